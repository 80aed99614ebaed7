/* auth_origin.c — auth_origin_of; see auth_origin.h. */
#include "web/auth_origin.h"
#include "web/app.h"

int
auth_origin_of(struct app *app, struct req *r, struct auth_origin *o)
{
	o->ip = r->remote_addr;
	o->program = app->def->program;
	o->request_id = r->request_id;
	o->actor_id = r->who.id;
	o->tmpl = app->tmpl;
	o->base_url = app->cfg.base_url;
	/* The context every mail starts from, as every page does. */
	o->mail = app_page(app, r, "");
	return o->mail == NULL ? -1 : 0;
}
