/*
 * handlers.h — the customer portal's page handlers, one file per area
 * under cgi-bin/portal/. The route table is in cgi-bin/portal.c.
 */
#ifndef CSDESK_PORTAL_HANDLERS_H
#define CSDESK_PORTAL_HANDLERS_H

#include "web/app.h"

/* home.c */
int portal_home(struct app *app, struct req *r, struct resp *w);

/* login.c */
int portal_login_form(struct app *app, struct req *r, struct resp *w);

#endif
