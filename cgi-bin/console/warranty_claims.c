/*
 * warranty_claims.c — warranty claims in the console: GET /agent/claims
 * (the queue: awaiting a decision, or one state), GET /agent/claims/{id}
 * (a claim, its costs and covered share, its history, the moves it
 * allows), POST /agent/claims/{id}/costs, POST /agent/claims/{id}/move;
 * from a ticket: its warranty panel (console_warranty_ticket_panel, on the
 * ticket page), GET|POST /agent/tickets/{number}/claim (a claim with the
 * ticket's product and serial filled in).
 *
 * Who may make which move is the domain's table (warranty_claims.h): a
 * move the person may not make is refused with the reason, at 422.
 */
#include "console/handlers.h"
#include "console/ticket_page.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/tickets.h"
#include "domain/warranty.h"
#include "domain/warranty_claims.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"
#include "web/warranty_view.h"

#include <string.h>

struct warranty_actor
console_warranty_actor(const struct req *r)
{
	struct warranty_actor by = { WA_STAFF, r->who.id, 0,
		(r->who.access & (ACCESS_SUPERVISOR | ACCESS_ADMIN)) != 0 };

	return by;
}

/* The queue's filters: "" awaiting a decision, else a state. */
static const char *const queue_states[] = { "", "submitted", "under_review", "approved",
	"rejected", "fulfilled", "closed", "draft" };
static const char *const queue_labels[] = { "Awaiting a decision", "Submitted", "Under review",
	"Approved", "Rejected", "Fulfilled", "Closed", "Drafts" };

/* Serials another customer tried to register: {id, serial, product, owner, …}. */
static struct tval *
flags_list(struct arena *a, const struct warranty_flag *f, size_t n)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; i < n && !rc; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_int(a, m, "id", f[i].id);
		rc |= tval_set_str(a, m, "serial", f[i].serial);
		rc |= tval_set_str(a, m, "product", f[i].product);
		rc |= tval_set_str(a, m, "owner", f[i].owner);
		rc |= tval_set_int(a, m, "owner_id", f[i].owner_id);
		rc |= tval_set_str(a, m, "tried_by", f[i].tried_by);
		rc |= tval_set_int(a, m, "tried_by_id", f[i].tried_by_id);
		rc |= tval_set_str(a, m, "at", f[i].at);
		rc |= tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

/* The queue; for admins also the settings form, f's values after a refused post. */
static int
claims_page(struct app *app, struct req *r, struct resp *w, struct field_form *f, int status)
{
	struct tval *ctx = app_page(app, r, "Warranty claims");
	const char *state = req_query(r, "state");
	enum warranty_claim_state st = WC__MAX;
	struct warranty_claim *rows;
	struct warranty_flag *flags;
	long long after = 0;
	size_t n, nf;
	int more, rc = 0;

	if (ctx == NULL)
		return 500;
	if (state == NULL || !fields_in(state, queue_states, sizeof(queue_states) /
	    sizeof(queue_states[0])))
		state = "";
	if (*state != '\0')
		st = warranty_claim_state_of(state);
	if (web_query_key(r, "after", &after) < 0)
		return app_bad_query(app, r, w, "after", NULL, NULL);
	if (warranty_claims_queue(&app->db, r->arena, st, after, &rows, &n, &more) != CS_OK ||
	    warranty_flags_open(&app->db, r->arena, &flags, &nf) != CS_OK)
		return web_db_error(app);
	rc |= tval_set(r->arena, ctx, "flags", flags_list(r->arena, flags, nf));
	rc |= tval_set_bool(r->arena, ctx, "has_flags", nf > 0);
	rc |= tval_set(r->arena, ctx, "claims", warranty_view_claims(r->arena, rows, n));
	rc |= tval_set_bool(r->arena, ctx, "has_claims", n > 0);
	rc |= tval_set(r->arena, ctx, "states", fields_select(r->arena, queue_states, queue_labels,
	    sizeof(queue_states) / sizeof(queue_states[0]), state));
	if (more && n > 0)
		rc |= tval_set_str(r->arena, ctx, "next", arena_printf(r->arena,
		    "/agent/claims?state=%s&after=%lld", state, rows[n - 1].id));
	if (r->who.access & ACCESS_ADMIN) {
		struct warranty_settings ws;
		struct tval *fv = tval_map(r->arena);

		if (warranty_settings_load(&app->db, r->arena, &ws) != CS_OK)
			return web_db_error(app);
		rc |= tval_set_bool(r->arena, ctx, "is_admin", 1);
		if (f != NULL)
			rc |= fields_ctx(f, ctx);
		else
			rc |= tval_set_str(r->arena, fv, "auto_approve_max", ws.auto_approve_max) |
			    tval_set_int(r->arena, fv, "renewal_notice_days", ws.renewal_notice_days) |
			    tval_set(r->arena, ctx, "f", fv);
	}
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/warranty/claims", ctx);
}

int
console_claims(struct app *app, struct req *r, struct resp *w)
{
	return claims_page(app, r, w, NULL, 200);
}

static const struct field_rule settings_rules[] = {
	{ "auto_approve_max", "Approve automatically up to", FIELD_TEXT, 1, 1, 12, NULL },
	{ "renewal_notice_days", "Renewal reminder, days before", FIELD_INT, 1, 1,
	    WARRANTY_NOTICE_DAYS_MAX, NULL },
};
enum { WS_MAX, WS_DAYS, WS__MAX };
_Static_assert(sizeof(settings_rules) / sizeof(settings_rules[0]) == WS__MAX,
    "one rule per field");

int
console_warranty_settings(struct app *app, struct req *r, struct resp *w)
{
	struct warranty_settings ws;
	struct audit_entry by;
	const char *v[WS__MAX], *why, *field;
	long long nums[WS__MAX];
	struct field_form f;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, settings_rules, WS__MAX, v, nums);
	if (f.failed)
		return 500;
	if (f.nerrors)
		return claims_page(app, r, w, &f, 422);
	ws.auto_approve_max = v[WS_MAX];
	ws.renewal_notice_days = (int)nums[WS_DAYS];
	web_audit_actor(r, &by);
	rc = warranty_settings_save(&app->db, r->arena, &by, &ws, &why, &field);
	if (rc == CS_REFUSED) {
		fields_error(&f, field, why);
		return claims_page(app, r, w, &f, 422);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "The warranty settings were saved.");
	resp_redirect(w, "/agent/claims");
	return 0;
}

int
console_warranty_flag_review(struct app *app, struct req *r, struct resp *w)
{
	struct warranty_actor by = console_warranty_actor(r);
	long long id = web_path_id(r, "id");
	enum cs_result rc;

	if (id <= 0)
		return 404;
	rc = warranty_flag_review(&app->db, &by, id);
	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : web_result_status(rc);
	web_flash(app, r, w, "The flag was marked as looked into.");
	resp_redirect(w, "/agent/claims");
	return 0;
}

/* The moves a claim in state s offers: {to, label, reason, fulfil, supervisor}. */
static struct tval *
moves_of(struct arena *a, enum warranty_claim_state s)
{
	static const struct {
		enum warranty_claim_state from, to;
		const char *label;
		int reason, fulfil, supervisor;
	} offers[] = {
		{ WC_DRAFT, WC_SUBMITTED, "Submit", 0, 0, 0 },
		{ WC_DRAFT, WC_CLOSED, "Close the draft", 0, 0, 0 },
		{ WC_SUBMITTED, WC_UNDER_REVIEW, "Review now", 0, 0, 1 },
		{ WC_UNDER_REVIEW, WC_APPROVED, "Approve", 1, 0, 1 },
		{ WC_UNDER_REVIEW, WC_REJECTED, "Reject", 1, 0, 1 },
		{ WC_APPROVED, WC_FULFILLED, "Mark fulfilled", 0, 1, 0 },
		{ WC_FULFILLED, WC_CLOSED, "Close", 0, 0, 0 },
		{ WC_REJECTED, WC_CLOSED, "Close", 0, 0, 0 },
	};
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; i < sizeof(offers) / sizeof(offers[0]) && !rc; i++) {
		struct tval *m;

		if (offers[i].from != s)
			continue;
		m = tval_map(a);
		rc |= m == NULL;
		rc |= tval_set_str(a, m, "to", warranty_claim_state_name(offers[i].to));
		rc |= tval_set_str(a, m, "label", offers[i].label);
		rc |= tval_set_bool(a, m, "reason", offers[i].reason);
		rc |= tval_set_bool(a, m, "fulfil", offers[i].fulfil);
		rc |= tval_set_bool(a, m, "submit", offers[i].to == WC_SUBMITTED);
		rc |= tval_set_bool(a, m, "supervisor", offers[i].supervisor);
		rc |= tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

/* The claim page, with f's values and messages after a refused post. */
static int
claim_page(struct app *app, struct req *r, struct resp *w, long long id, struct field_form *f,
    const char *message, int status)
{
	struct warranty_claim c;
	struct warranty_claim_step *steps;
	struct warranty_registration g;
	struct tval *ctx, *hist;
	size_t n, i;
	enum cs_result rc;
	int bad = 0;

	if ((rc = warranty_claim_get(&app->db, r->arena, id, 0, &c)) != CS_OK ||
	    (rc = warranty_registration_get(&app->db, r->arena, c.registration_id, 0, &g)) !=
	    CS_OK || (rc = warranty_claim_history(&app->db, r->arena, id, &steps, &n)) != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : web_db_error(app);
	if ((ctx = app_page(app, r, c.number)) == NULL || (hist = tval_list(r->arena)) == NULL)
		return 500;
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(r->arena);

		bad |= tval_set_str(r->arena, m, "at", steps[i].at);
		bad |= tval_set_str(r->arena, m, "who", steps[i].who);
		bad |= tval_set_str(r->arena, m, "from", steps[i].from);
		bad |= tval_set_str(r->arena, m, "to", steps[i].to);
		bad |= tval_set_str(r->arena, m, "reason", steps[i].reason);
		bad |= tval_push(r->arena, hist, m);
	}
	bad |= tval_set(r->arena, ctx, "claim", warranty_view_claim(r->arena, &c));
	bad |= tval_set(r->arena, ctx, "registration", warranty_view_registration(r->arena, &g));
	bad |= tval_set(r->arena, ctx, "history", hist);
	bad |= tval_set(r->arena, ctx, "moves", moves_of(r->arena, c.state));
	bad |= tval_set_bool(r->arena, ctx, "costs_open", c.state == WC_DRAFT ||
	    c.state == WC_SUBMITTED || c.state == WC_UNDER_REVIEW);
	bad |= tval_set_bool(r->arena, ctx, "is_supervisor", console_warranty_actor(r).supervisor);
	bad |= tval_set_str(r->arena, ctx, "message", message != NULL ? message : "");
	if (f != NULL)
		bad |= fields_ctx(f, ctx);
	else {
		/* The costs form shows what is stored. */
		struct tval *fv = tval_map(r->arena);

		bad |= tval_set_str(r->arena, fv, "labour_cost", c.labour_cost);
		bad |= tval_set_str(r->arena, fv, "parts_cost", c.parts_cost);
		bad |= tval_set_str(r->arena, fv, "shipping_cost", c.shipping_cost);
		bad |= tval_set(r->arena, ctx, "f", fv);
	}
	if (bad)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/warranty/claim", ctx);
}

int
console_claim(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");

	return id > 0 ? claim_page(app, r, w, id, NULL, NULL, 200) : 404;
}

static const struct field_rule cost_rules[] = {
	{ "labour_cost", "Labour", FIELD_TEXT, 0, 0, 12, NULL },
	{ "parts_cost", "Parts", FIELD_TEXT, 0, 0, 12, NULL },
	{ "shipping_cost", "Shipping", FIELD_TEXT, 0, 0, 12, NULL },
};
enum { CO_LABOUR, CO_PARTS, CO_SHIPPING, CO__MAX };
_Static_assert(sizeof(cost_rules) / sizeof(cost_rules[0]) == CO__MAX, "one rule per field");

int
console_claim_costs(struct app *app, struct req *r, struct resp *w)
{
	struct warranty_actor by = console_warranty_actor(r);
	long long id = web_path_id(r, "id");
	const char *v[CO__MAX], *why, *field;
	struct field_form f;
	enum cs_result rc;

	if (id <= 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, cost_rules, CO__MAX, v, NULL);
	if (f.failed)
		return 500;
	if (f.nerrors)
		return claim_page(app, r, w, id, &f, NULL, 422);
	rc = warranty_claim_costs(&app->db, r->arena, &by, id, v[CO_LABOUR], v[CO_PARTS],
	    v[CO_SHIPPING], &why, &field);
	if (rc == CS_REFUSED) {
		if (field != NULL)
			fields_error(&f, field, why);
		return claim_page(app, r, w, id, &f, why, 422);
	}
	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : web_result_status(rc);
	web_flash(app, r, w, "The costs of WC-%06lld were saved.", id);
	resp_redirect(w, arena_printf(r->arena, "/agent/claims/%lld", id));
	return 0;
}

static const char *const move_states[] = { "submitted", "under_review", "approved",
	"rejected", "fulfilled", "closed" };
static const char *const fulfilments[] = { "", "repair", "replacement", "refund", "credit",
	NULL };

static const struct field_rule move_rules[] = {
	{ "to", "Move", FIELD_CHOICE, 1, 0, 0, move_states },
	{ "reason", "Reason", FIELD_LINES, 0, 0, WARRANTY_REASON_MAX, NULL },
	{ "fulfilment", "Fulfilment", FIELD_CHOICE, 0, 0, 0, fulfilments },
	{ "replacement_serial", "Replacement serial", FIELD_TEXT, 0, 0, WARRANTY_SERIAL_MAX, NULL },
	{ "override_reason", "Reason for an exception", FIELD_LINES, 0, 0, WARRANTY_REASON_MAX,
	    NULL },
};
enum { MV_TO, MV_REASON, MV_FULFIL, MV_SERIAL, MV_OVERRIDE, MV__MAX };
_Static_assert(sizeof(move_rules) / sizeof(move_rules[0]) == MV__MAX, "one rule per field");

int
console_claim_move(struct app *app, struct req *r, struct resp *w)
{
	struct warranty_actor by = console_warranty_actor(r);
	struct warranty_claim_move m;
	long long id = web_path_id(r, "id");
	const char *v[MV__MAX], *why, *field;
	struct field_form f;
	enum cs_result rc;

	if (id <= 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, move_rules, MV__MAX, v, NULL);
	if (f.failed)
		return 500;
	if (f.nerrors)
		return claim_page(app, r, w, id, &f, fields_first_error(&f), 422);
	memset(&m, 0, sizeof(m));
	m.to = warranty_claim_state_of(v[MV_TO]);
	m.reason = v[MV_REASON];
	m.fulfilment = v[MV_FULFIL];
	m.replacement_serial = v[MV_SERIAL];
	m.override_reason = v[MV_OVERRIDE];
	rc = warranty_claim_move(&app->db, r->arena, &by, id, &m, &why, &field);
	if (rc == CS_REFUSED || rc == CS_CONFLICT) {
		if (rc == CS_CONFLICT)
			why = "Someone moved this claim meanwhile: here it is as it is now.";
		else if (field != NULL)
			fields_error(&f, field, why);
		return claim_page(app, r, w, id, &f, why, rc == CS_CONFLICT ? 409 : 422);
	}
	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : web_result_status(rc);
	web_flash(app, r, w, "WC-%06lld is %s.", id, warranty_claim_state_words(m.to));
	resp_redirect(w, arena_printf(r->arena, "/agent/claims/%lld", id));
	return 0;
}

/* ---- from a ticket -------------------------------------------------------- */

int
console_warranty_ticket_panel(struct req *r, struct tval *ctx, const struct ticket *t,
    const struct warranty_ticket_panel *p)
{
	struct tval *m = tval_map(r->arena);
	int rc = m == NULL;

	if (rc)
		return -1;
	rc |= tval_set_bool(r->arena, m, "registered", p->registered);
	if (p->registered)
		rc |= tval_set(r->arena, m, "product", warranty_view_registration(r->arena, &p->reg));
	rc |= tval_set_str(r->arena, m, "why", p->why != NULL ? p->why : "");
	rc |= tval_set(r->arena, m, "claims", warranty_view_claims(r->arena, p->claims,
	    p->nclaims));
	rc |= tval_set_str(r->arena, m, "number", t->number);
	rc |= tval_set_int(r->arena, m, "customer_id", t->customer_id);
	return rc | tval_set(r->arena, ctx, "warranty", m);
}

static const struct field_rule open_rules[] = {
	{ "problem", "What is wrong", FIELD_LINES, 1, 1, WARRANTY_PROBLEM_MAX, NULL },
	{ "override_reason", "Reason for an exception", FIELD_LINES, 0, 0, WARRANTY_REASON_MAX,
	    NULL },
};
enum { OP_PROBLEM, OP_OVERRIDE, OP__MAX };
_Static_assert(sizeof(open_rules) / sizeof(open_rules[0]) == OP__MAX, "one rule per field");

static int
open_form(struct app *app, struct req *r, struct resp *w, struct field_form *f,
    const char *message, int status)
{
	struct ticket t;
	struct tval *ctx;
	int rc;

	if ((rc = console_ticket_load(app, r, &t)) != 0)
		return rc;
	if ((ctx = app_page(app, r, "Claim warranty")) == NULL)
		return 500;
	{
		/* The claim form reads the panel on its own (no page pipeline here). */
		struct warranty_ticket_panel p;

		if (warranty_ticket_panel(&app->db, r->arena, t.id, t.customer_id, t.serial, &p) !=
		    CS_OK)
			return web_db_error(app);
		rc = console_warranty_ticket_panel(r, ctx, &t, &p);
	}
	rc |= tval_set_str(r->arena, ctx, "message", message != NULL ? message : "");
	rc |= tval_set_int(r->arena, ctx, "problem_max", WARRANTY_PROBLEM_MAX);
	if (f != NULL)
		rc |= fields_ctx(f, ctx);
	else {
		struct tval *fv = tval_map(r->arena);

		rc |= tval_set_str(r->arena, fv, "problem", t.subject);
		rc |= tval_set(r->arena, ctx, "f", fv);
	}
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/warranty/open", ctx);
}

int
console_ticket_claim_form(struct app *app, struct req *r, struct resp *w)
{
	return open_form(app, r, w, NULL, NULL, 200);
}

int
console_ticket_claim(struct app *app, struct req *r, struct resp *w)
{
	struct warranty_actor by = console_warranty_actor(r);
	struct warranty_claim_input in;
	const char *v[OP__MAX], *why, *field;
	struct field_form f;
	struct ticket t;
	long long id;
	enum cs_result rc;
	int st;

	if ((st = console_ticket_load(app, r, &t)) != 0)
		return st;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, open_rules, OP__MAX, v, NULL);
	if (f.failed)
		return 500;
	if (f.nerrors)
		return open_form(app, r, w, &f, NULL, 422);
	memset(&in, 0, sizeof(in));
	in.ticket_id = t.id;
	in.problem = v[OP_PROBLEM];
	in.override_reason = v[OP_OVERRIDE];
	in.submit = 1;
	rc = warranty_claim_open(&app->db, r->arena, &by, &in, &id, &why, &field);
	if (rc == CS_REFUSED) {
		fields_error(&f, field != NULL && strcmp(field, "registration_id") != 0 ? field :
		    "problem", why);
		return open_form(app, r, w, &f, why, 422);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Claim WC-%06lld is submitted.", id);
	resp_redirect(w, arena_printf(r->arena, "/agent/claims/%lld", id));
	return 0;
}
