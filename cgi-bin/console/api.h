/*
 * api.h — the console's JSON API (/api/v1/: api_tickets.c, api_update.c,
 * api_comments.c; routes in api_routes.h) and the admin pages for its
 * keys (admin_api_keys.c, routed in cgi-bin/console.c).
 */
#ifndef CSDESK_CONSOLE_API_H
#define CSDESK_CONSOLE_API_H

#include "web/app.h"

/* api_tickets.c */
int console_api_tickets(struct app *app, struct req *r, struct resp *w);
int console_api_ticket_create(struct app *app, struct req *r, struct resp *w);
int console_api_ticket(struct app *app, struct req *r, struct resp *w);
int console_api_choices(struct app *app, struct req *r, struct resp *w);
/* api_update.c */
int console_api_ticket_update(struct app *app, struct req *r, struct resp *w);
/* api_comments.c */
int console_api_comments(struct app *app, struct req *r, struct resp *w);
int console_api_comment_add(struct app *app, struct req *r, struct resp *w);

/* admin_api_keys.c */
int console_admin_api_keys(struct app *app, struct req *r, struct resp *w);
int console_admin_api_key_create(struct app *app, struct req *r, struct resp *w);
int console_admin_api_key_revoke(struct app *app, struct req *r, struct resp *w);

#endif
