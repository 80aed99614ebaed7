/*
 * api.h — the console's JSON API (/api/v1/, api.c) and the admin pages
 * for its keys (admin_api_keys.c). Routes are in cgi-bin/console.c.
 */
#ifndef CSDESK_CONSOLE_API_H
#define CSDESK_CONSOLE_API_H

#include "web/app.h"

/* api.c */
int console_api_tickets(struct app *app, struct req *r, struct resp *w);
int console_api_ticket_create(struct app *app, struct req *r, struct resp *w);
int console_api_ticket(struct app *app, struct req *r, struct resp *w);
int console_api_ticket_update(struct app *app, struct req *r, struct resp *w);
int console_api_comments(struct app *app, struct req *r, struct resp *w);
int console_api_comment_add(struct app *app, struct req *r, struct resp *w);

/* admin_api_keys.c */
int console_admin_api_keys(struct app *app, struct req *r, struct resp *w);
int console_admin_api_key_create(struct app *app, struct req *r, struct resp *w);
int console_admin_api_key_revoke(struct app *app, struct req *r, struct resp *w);

#endif
