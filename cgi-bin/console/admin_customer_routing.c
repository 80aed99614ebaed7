/*
 * admin_customer_routing.c — GET|POST /agent/admin/customers/{id}/routing:
 * a customer account's preferred agent and time zone (assign_customer.h),
 * linked from the account's edit page. A refused form comes back with the
 * message at its field and what was chosen. Routes and access (admin
 * only) are in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "console/tickets.h"
#include "core/arena.h"
#include "domain/assign_customer.h"
#include "domain/audit.h"
#include "domain/ticket_choices.h"
#include "tmpl/tval.h"
#include "web/result.h"

static const struct field_rule routing_rules[] = {
	{ "preferred_agent_id", "Preferred agent", FIELD_INT, 0, 0, 1LL << 50, NULL },
	{ "time_zone", "Time zone", FIELD_TEXT, 0, 0, 0, NULL },
};
enum { CR_AGENT, CR_ZONE, CR__MAX };
_Static_assert(sizeof(routing_rules) / sizeof(routing_rules[0]) == CR__MAX, "one per field");

static int
routing_render(struct app *app, struct req *r, struct resp *w, struct field_form *f,
    const struct assign_customer *c, int status)
{
	struct tval *ctx = app_page(app, r, "Routing and time zone");
	const struct tval *agent = tval_get(f->values, "preferred_agent_id");
	struct arena *a = r->arena;
	struct ticket_choices ch;
	enum cs_result res;

	if (ctx == NULL)
		return 500;
	if ((res = ticket_choices_get(&app->db, a, &ch)) != CS_OK)
		return web_result_status(res);
	if (tval_set(a, ctx, "agent_options", console_tickets_choices(a, ch.agents, ch.nagents,
	    agent != NULL ? web_id(agent->u.str.s) : 0, "Nobody")) ||
	    tval_set_int(a, ctx, "id", c->customer_id) || tval_set_str(a, ctx, "name", c->name) ||
	    fields_ctx(f, ctx) < 0)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/admin/customer_routing", ctx);
}

int
console_admin_customer_routing(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	struct assign_customer c;
	struct field_form f;
	enum cs_result res;

	if (id == 0)
		return 404;
	if ((res = assign_customer_get(&app->db, r->arena, id, &c)) != CS_OK)
		return web_result_status(res);
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_value(&f, "preferred_agent_id", c.preferred_agent_id > 0 ?
	    arena_printf(r->arena, "%lld", c.preferred_agent_id) : "");
	fields_value(&f, "time_zone", c.time_zone);
	return f.failed ? 500 : routing_render(app, r, w, &f, &c, 200);
}

int
console_admin_customer_routing_post(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id"), nums[CR__MAX];
	const char *v[CR__MAX], *field = NULL, *why = NULL;
	struct assign_customer c, in;
	struct audit_entry by;
	struct field_form f;
	enum cs_result res;

	if (id == 0)
		return 404;
	if ((res = assign_customer_get(&app->db, r->arena, id, &c)) != CS_OK)
		return web_result_status(res);
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, routing_rules, CR__MAX, v, nums);
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return routing_render(app, r, w, &f, &c, 422);
	in = c;
	in.preferred_agent_id = nums[CR_AGENT];
	in.time_zone = v[CR_ZONE];
	web_audit_actor(r, &by);
	res = assign_customer_set(&app->db, r->arena, &by, &in, &field, &why);
	if (res == CS_REFUSED) {
		fields_error(&f, field, why);
		return routing_render(app, r, w, &f, &c, 422);
	}
	if (res != CS_OK)
		return web_result_status(res);
	web_flash(app, r, w, "Routing and time zone of %s saved.", utf8_short(r->arena, c.name,
	    FLASH_NAME));
	resp_redirect(w, arena_printf(r->arena, "/agent/admin/customers/%lld", id));
	return 0;
}
