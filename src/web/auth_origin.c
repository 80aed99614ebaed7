/* auth_origin.c — auth_origin_of; see auth_origin.h. */
#include "web/auth_origin.h"
#include "web/app.h"
#include "auth/password.h"

#include <string.h>

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

void
sign_in_of(struct req *r, struct sign_in *s, const struct throttle_key *k, const char *email,
    long long id, const char *pw, int rehash, char *fresh)
{
	memset(s, 0, sizeof(*s));
	s->key = k;
	s->email = email;
	s->id = id;
	if (id != 0 && rehash && password_hash(pw, fresh) == 0)
		s->fresh_hash = fresh;
	s->old_session = r->session_token;
	s->ua = req_env(r, "HTTP_USER_AGENT");
	s->action = "login.success";
}
