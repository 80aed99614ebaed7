/*
 * handlers.h — the agent console's page handlers, one file per area under
 * cgi-bin/console/. The route table is in cgi-bin/console.c.
 */
#ifndef CSDESK_CONSOLE_HANDLERS_H
#define CSDESK_CONSOLE_HANDLERS_H

#include "web/app.h"

/* home.c */
int console_home(struct app *app, struct req *r, struct resp *w);

/* login.c */
int console_login_form(struct app *app, struct req *r, struct resp *w);

#endif
