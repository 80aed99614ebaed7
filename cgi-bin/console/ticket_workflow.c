/*
 * ticket_workflow.c — the console ticket page's workflow forms: POST
 * /agent/tickets/{number}/status (a move the workflow allows, or resolving
 * with a code and a root cause) and POST /agent/tickets/{number}/assign (a
 * team and an agent). Each declares its fields, calls the use case and
 * re-shows the page (ticket_page.h) with the refusal's sentence. Routes and
 * access (staff) are in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "console/ticket_page.h"
#include "core/arena.h"
#include "domain/ticket_assign.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <string.h>

/* The status and resolve forms; the code and the cause belong to resolving. */
static const struct field_rule status_rules[] = {
	{ "status", "Status", FIELD_TEXT, 1, 0, 0, NULL },
	{ "resolution_code", "Resolution code", FIELD_TEXT, 0, 0, 0, NULL },
	{ "root_cause", "Root cause", FIELD_LINES, 0, 0, 0, NULL },
};
enum { S_STATUS, S_CODE, S_CAUSE, S__MAX };
_Static_assert(sizeof(status_rules) / sizeof(status_rules[0]) == S__MAX, "one rule per field");

int
console_ticket_status(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by;
	struct ticket_status_in in = { 0 };
	struct ticket_view v = { 0 };
	struct field_form f;
	struct ticket t;
	const char *val[S__MAX], *cause, *why = NULL;
	enum ticket_status to;
	enum cs_result rc;
	int st;

	if ((st = console_ticket_load(app, r, &t)) != 0)
		return st;
	console_ticket_actor(r, &by);
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, status_rules, S__MAX, val, NULL);
	if (f.failed || (cause = fields_trim(r->arena, val[S_CAUSE])) == NULL)
		return 500;
	v.status = 422;
	v.resolution_code = val[S_CODE];
	v.root_cause = cause;
	to = ticket_status_parse(val[S_STATUS]);
	if (to == TS__MAX || tval_get(f.errors, "status") != NULL) {
		v.error = "Choose a status.";
		return console_ticket_page(app, r, w, &v);
	}
	if (f.nerrors > 0) {
		v.error = fields_first_error(&f);
		return console_ticket_page(app, r, w, &v);
	}
	/* A resolution code and a root cause belong to resolving only. */
	if (to != TS_RESOLVED && (*val[S_CODE] != '\0' || *cause != '\0')) {
		v.error = "A resolution code and a root cause are given when resolving: use the "
		    "Resolve form.";
		return console_ticket_page(app, r, w, &v);
	}
	in.ticket_id = t.id;
	in.to = to;
	in.resolution_code = val[S_CODE];
	in.root_cause = cause;
	in.ip = r->remote_addr;
	rc = ticket_change_status(&app->db, r->arena, &by, &in, &why);
	if (rc == CS_REFUSED) {
		v.error = why != NULL ? why : "That status change is not allowed.";
		return console_ticket_page(app, r, w, &v);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	resp_redirect(w, console_ticket_url(r->arena, t.number));
	web_flash(app, r, w, "Status changed to %s.", ticket_status_label(to, 0));
	return 0;
}

/* The assignment form: an empty select is "no team", "nobody". */
static const struct field_rule assign_rules[] = {
	{ "team_id", "Team", FIELD_INT, 0, 1, 1LL << 62, NULL },
	{ "agent_id", "Agent", FIELD_INT, 0, 1, 1LL << 62, NULL },
};
enum { A_TEAM, A_AGENT, A__MAX };
_Static_assert(sizeof(assign_rules) / sizeof(assign_rules[0]) == A__MAX, "one rule per field");

int
console_ticket_assign(struct app *app, struct req *r, struct resp *w)
{
	struct ticket t;
	struct field_form f;
	const char *v[A__MAX], *why;
	long long ids[A__MAX];
	enum cs_result res;
	int rc;

	if ((rc = console_ticket_load(app, r, &t)) != 0)
		return rc;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, assign_rules, A__MAX, v, ids);
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return console_ticket_refused(app, r, w, 422, "Choose a team and an agent from "
		    "the lists.");
	res = ticket_assign(&app->db, r->who.id, t.id, ids[A_TEAM], ids[A_AGENT], &why);
	if (res == CS_REFUSED)
		return console_ticket_refused(app, r, w, 422, why);
	if (res != CS_OK)
		return web_result_status(res);
	resp_redirect(w, console_ticket_url(r->arena, t.number));
	app_flash(app, r, w, 0, "Assignment saved.");
	return 0;
}

