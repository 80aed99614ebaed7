/*
 * admin_oncall.c — the admin page of the on-call rota (oncall.h): the
 * slots still to come, each with a button to remove it, and a form to add
 * one (team, agent, day and hours in the agent's zone, override, note). A
 * refused slot comes back with a message at each field at fault and what
 * was typed. Routes and access (admin only) are in cgi-bin/console.c.
 */
#include "web/admin_form.h"
#include "console/admin_sla.h"
#include "console/handlers.h"
#include "console/tickets.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/oncall.h"
#include "domain/ticket_choices.h"
#include "tmpl/tval.h"
#include "web/result.h"

#define ONCALL_URL "/agent/admin/oncall"

/* Ranges are the domain's to check (oncall_check): here, numbers only. */
static const struct field_rule slot_rules[] = {
	{ "team_id", "Team", FIELD_INT, 0, 0, 1LL << 50, NULL },
	{ "staff_id", "On call", FIELD_INT, 0, 0, 1LL << 50, NULL },
	{ "day", "Day", FIELD_TEXT, 1, 0, 0, NULL },
	{ "from_hour", "From", FIELD_INT, 1, -1000, 1000, NULL },
	{ "to_hour", "To", FIELD_INT, 1, -1000, 1000, NULL },
	{ "override", "Override", FIELD_TEXT, 0, 0, 0, NULL },
	{ "note", "Note", FIELD_TEXT, 0, 0, 0, NULL },
};
enum { OC_TEAM, OC_STAFF, OC_DAY, OC_FROM, OC_TO, OC_OVERRIDE, OC_NOTE, OC__MAX };
_Static_assert(sizeof(slot_rules) / sizeof(slot_rules[0]) == OC__MAX, "one rule per field");

/* The slots as template maps. NULL: out of memory. */
static struct tval *
slots_list(struct arena *a, const struct oncall_slot *x, size_t n)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; i < n && !rc; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_int(a, m, "id", x[i].id);
		rc |= tval_set_str(a, m, "team", x[i].team);
		rc |= tval_set_str(a, m, "agent", x[i].agent);
		rc |= tval_set_str(a, m, "starts", x[i].starts);
		rc |= tval_set_str(a, m, "ends", x[i].ends);
		rc |= tval_set_str(a, m, "zone", x[i].zone);
		rc |= tval_set_bool(a, m, "override", x[i].override);
		rc |= tval_set_bool(a, m, "now", x[i].now);
		rc |= tval_set_str(a, m, "note", x[i].note);
		rc |= tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

static int
oncall_render(struct app *app, struct req *r, struct resp *w, struct field_form *f, long long id,
    const void *extra, int status)
{
	struct tval *ctx = app_page(app, r, "On-call rota");
	const char *team = admin_form_entered(f, "team_id");
	const char *staff = admin_form_entered(f, "staff_id");
	struct arena *a = r->arena;
	struct ticket_choices c;
	struct oncall_slot *x;
	enum cs_result res;
	size_t n;
	int rc = 0;

	(void)id;
	(void)extra;
	if (ctx == NULL)
		return 500;
	if ((res = ticket_choices_get(&app->db, a, &c)) != CS_OK ||
	    (res = oncall_list(&app->db, a, &x, &n)) != CS_OK)
		return web_result_status(res);
	rc |= tval_set(a, ctx, "slots", slots_list(a, x, n));
	rc |= tval_set(a, ctx, "team_options", console_tickets_choices(a, c.teams, c.nteams,
	    team != NULL ? web_id(team) : 0, "Choose a team"));
	rc |= tval_set(a, ctx, "staff_options", console_tickets_choices(a, c.agents, c.nagents,
	    staff != NULL ? web_id(staff) : 0, "Choose an agent"));
	rc |= tval_set_bool(a, ctx, "override", admin_form_ticked(f, "override"));
	if (rc || fields_ctx(f, ctx) < 0)
		return 500;
	return console_sla_render(app, r, w, "console/admin/oncall", ctx, status);
}

int
console_admin_oncall(struct app *app, struct req *r, struct resp *w)
{
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_value(&f, "from_hour", "18");
	fields_value(&f, "to_hour", "8");
	return f.failed ? 500 : oncall_render(app, r, w, &f, 0, NULL, 200);
}

static const struct console_sla_page oncall_page = { "on-call slot for", "", ONCALL_URL,
	oncall_render };

int
console_admin_oncall_add(struct app *app, struct req *r, struct resp *w)
{
	struct sla_why why = { .n = 0 };
	struct oncall_input in;
	struct audit_entry by;
	struct field_form f;
	const char *v[OC__MAX];
	long long nums[OC__MAX], id = 0;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, slot_rules, OC__MAX, v, nums);
	if (f.failed)
		return 500;
	in = (struct oncall_input){ .team_id = nums[OC_TEAM], .staff_id = nums[OC_STAFF],
		.day = v[OC_DAY], .from_hour = nums[OC_FROM], .to_hour = nums[OC_TO],
		.override = *v[OC_OVERRIDE] != '\0', .note = v[OC_NOTE] };
	if (f.nerrors > 0) {
		/* Every message at once: what the domain says of the rest as well. */
		oncall_check(&in, &why);
		rc = CS_REFUSED;
	} else {
		web_audit_actor(r, &by);
		rc = oncall_add(&app->db, r->arena, &by, &in, &id, &why);
	}
	return console_sla_answer(app, r, w, &oncall_page, &f, 0, NULL, rc, &why, in.day);
}

int
console_admin_oncall_remove(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	struct audit_entry by;
	enum cs_result rc;

	if (id == 0)
		return 404;
	web_audit_actor(r, &by);
	if ((rc = oncall_remove(&app->db, r->arena, &by, id)) != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "The on-call slot was removed.");
	resp_redirect(w, ONCALL_URL);
	return 0;
}
