/*
 * returns_detail.c — one return in the console: GET /agent/returns/{number},
 * POST /agent/returns/{number}/step (approve, reject, authorise, cancel,
 * close), POST /agent/returns/{number}/settle, its photos and its printable
 * authorisation. The page offers only the steps the person's roles allow
 * from the return's state (returns_step_allowed); the domain decides again.
 */
#include "console/returns_pages.h"
#include "core/arena.h"
#include "domain/staff.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"
#include "web/returns_view.h"

#include <stdio.h>
#include <string.h>

static const char *const step_labels[RSTEP__MAX] = {
	"Approve", "Reject", "Send the authorisation", "Cancel the return", "Close",
};

void
console_return_actor(const struct req *r, struct return_actor *by)
{
	static const struct {
		unsigned access;
		enum staff_role role;
	} map[] = {
		{ ACCESS_AGENT, STAFF_AGENT }, { ACCESS_SUPERVISOR, STAFF_SUPERVISOR },
		{ ACCESS_TECHNICIAN, STAFF_TECHNICIAN }, { ACCESS_ADMIN, STAFF_ADMIN },
		{ ACCESS_WAREHOUSE, STAFF_WAREHOUSE },
	};
	size_t i;

	memset(by, 0, sizeof(*by));
	by->kind = RA_STAFF;
	by->id = r->who.id;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (r->who.access & map[i].access)
			by->roles |= 1u << map[i].role;
}

/* What f holds for field name as typed (f may be NULL), else fallback. */
static const char *
typed(struct field_form *f, const char *name, const char *fallback)
{
	struct tval *v = f != NULL ? tval_get(f->values, name) : NULL;

	return v != NULL && v->type == TVAL_STR ? v->u.str.s : fallback;
}

/* The steps by may take now, as buttons. */
static struct tval *
step_buttons(struct arena *a, const struct return_actor *by, enum return_state st)
{
	struct tval *list = tval_list(a);
	int i, rc = list == NULL;

	for (i = 0; !rc && i < RSTEP__MAX; i++) {
		struct tval *m;

		if (!returns_step_allowed(by, (enum return_step)i, st))
			continue;
		rc |= (m = tval_map(a)) == NULL;
		if (rc)
			break;
		rc |= tval_set_str(a, m, "name", return_step_names[i]);
		rc |= tval_set_str(a, m, "label", step_labels[i]);
		rc |= tval_set_bool(a, m, "reject", i == RSTEP_REJECT);
		rc |= tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

int
console_return_page(struct app *app, struct req *r, struct resp *w, const char *tmpl,
    int status, const char *error, struct field_form *f)
{
	struct return_actor by;
	struct return_sheet s;
	struct tval *ctx;
	enum return_state st;
	enum cs_result rc;
	int bad, i, has_steps = 0;

	console_return_actor(r, &by);
	rc = returns_get(&app->db, r->arena, &by, req_param(r, "number"), &s);
	if (rc != CS_OK)
		return web_result_status(rc);
	st = return_state_parse(s.state);
	if ((ctx = app_page(app, r, s.number)) == NULL)
		return 500;
	bad = returns_view_ctx(r->arena, &s, arena_printf(r->arena, "/agent/returns/%s/photos",
	    s.number), f, ctx) < 0;
	bad |= tval_set(r->arena, ctx, "steps", step_buttons(r->arena, &by, st)) < 0;
	for (i = 0; i < RSTEP__MAX; i++)
		has_steps |= returns_step_allowed(&by, (enum return_step)i, st);
	bad |= tval_set_bool(r->arena, ctx, "has_steps", has_steps) < 0;
	bad |= tval_set_str(r->arena, ctx, "typed_note", typed(f, "note", "")) < 0;
	bad |= tval_set_str(r->arena, ctx, "typed_condition", typed(f, "condition", "")) < 0;
	if (returns_may_warehouse(&by)) {
		bad |= tval_set_bool(r->arena, ctx, "warehouse", st >= RS_AWAITING_SHIPMENT &&
		    st <= RS_INSPECTED) < 0;
		bad |= tval_set_bool(r->arena, ctx, "can_receive", st == RS_AWAITING_SHIPMENT ||
		    st == RS_RECEIVED) < 0;
		bad |= tval_set_bool(r->arena, ctx, "can_inspect", st == RS_RECEIVED) < 0;
		bad |= tval_set_bool(r->arena, ctx, "can_dispose", st == RS_INSPECTED ||
		    st == RS_RECEIVED) < 0;
	}
	bad |= tval_set_bool(r->arena, ctx, "can_settle", returns_may_settle(&by) &&
	    st == RS_DISPOSITIONED) < 0;
	bad |= tval_set_int(r->arena, ctx, "max_photos", RETURN_PHOTOS_MAX) < 0;
	if (error != NULL)
		bad |= tval_set_str(r->arena, ctx, "error", error) < 0;
	if (bad)
		return 500;
	w->status = status;
	return app_render(app, r, w, tmpl, ctx);
}

int
console_return(struct app *app, struct req *r, struct resp *w)
{
	return console_return_page(app, r, w, "console/returns/show", 200, NULL, NULL);
}

static const struct field_rule step_rules[] = {
	{ "step", "Step", FIELD_CHOICE, 1, 0, 0, return_step_names },
	{ "note", "Note", FIELD_LINES, 0, 0, 0, NULL },
};

int
console_return_step(struct app *app, struct req *r, struct resp *w)
{
	struct return_actor by;
	struct field_form f;
	const char *v[2], *why = NULL, *number = req_param(r, "number");
	enum cs_result rc;
	int i;

	console_return_actor(r, &by);
	if (fields_init(&f, r->arena) < 0)
		return 500;
	if (fields_check(&f, r, step_rules, 2, v, NULL) > 0)
		return console_return_page(app, r, w, "console/returns/show", 422,
		    fields_first_error(&f), &f);
	for (i = 0; i < RSTEP__MAX && strcmp(v[0], return_step_names[i]) != 0; i++)
		;
	rc = returns_take_step(&app->db, r->arena, &by, number, (enum return_step)i, v[1], &why);
	if (rc == CS_REFUSED)
		return console_return_page(app, r, w, "console/returns/show", 422, why, &f);
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "%s: %s.", number, step_labels[i]);
	resp_redirect(w, arena_printf(r->arena, "/agent/returns/%s", number));
	return 0;
}

int
console_return_unit_form(struct app *app, struct req *r, const char *name,
    const char *const *choices, struct field_form *f, struct return_unit_input **units,
    size_t *n)
{
	struct return_actor by;
	struct return_sheet s;
	struct field_rule *rules;
	const char **v;
	enum cs_result rc;
	size_t i;

	console_return_actor(r, &by);
	if ((rc = returns_get(&app->db, r->arena, &by, req_param(r, "number"), &s)) != CS_OK)
		return web_result_status(rc);
	*n = s.nunits;
	rules = arena_calloc(r->arena, s.nunits + 1, sizeof(*rules));
	v = arena_calloc(r->arena, s.nunits + 1, sizeof(*v));
	*units = arena_calloc(r->arena, s.nunits + 1, sizeof(**units));
	if (rules == NULL || v == NULL || *units == NULL || fields_init(f, r->arena) < 0)
		return 500;
	for (i = 0; i < s.nunits; i++) {
		rules[i].name = arena_printf(r->arena, "%s%lld", name, s.units[i].id);
		rules[i].label = arena_printf(r->arena, "Item %d, unit %d", s.units[i].line_position,
		    s.units[i].unit);
		rules[i].kind = choices != NULL ? FIELD_CHOICE : FIELD_LINES;
		rules[i].required = choices != NULL;
		rules[i].choices = choices;
		if (rules[i].name == NULL || rules[i].label == NULL)
			return 500;
	}
	fields_check(f, r, rules, s.nunits, v, NULL);
	if (f->failed)
		return 500;
	for (i = 0; i < s.nunits; i++) {
		(*units)[i].unit_id = s.units[i].id;
		(*units)[i].condition = v[i];
		(*units)[i].disposition = v[i];
		(*units)[i].outcome = v[i];
	}
	return 0;
}

static const char *const waive_values[] = { "1", NULL };
static const struct field_rule waive_rules[] = {
	{ "waive_fee", "Waive the fee", FIELD_CHOICE, 0, 0, 0, waive_values },
};

int
console_return_settle(struct app *app, struct req *r, struct resp *w)
{
	struct return_actor by;
	struct return_unit_input *units;
	struct field_form f, g;
	const char *why = NULL, *number = req_param(r, "number"), *waive[1];
	size_t n;
	enum cs_result rc;
	int status;

	console_return_actor(r, &by);
	if ((status = console_return_unit_form(app, r, "outcome", return_outcome_names, &f,
	    &units, &n)) != 0)
		return status;
	if (fields_init(&g, r->arena) < 0)
		return 500;
	fields_check(&g, r, waive_rules, 1, waive, NULL);
	if (f.nerrors > 0)
		return console_return_page(app, r, w, "console/returns/show", 422,
		    "Choose what the customer gets for every unit.", &f);
	rc = returns_settle(&app->db, r->arena, &by, number, units, n, *waive[0] != '\0', &why);
	if (rc == CS_REFUSED)
		return console_return_page(app, r, w, "console/returns/show", 422, why, &f);
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "%s is settled.", number);
	resp_redirect(w, arena_printf(r->arena, "/agent/returns/%s", number));
	return 0;
}

int
console_return_photo(struct app *app, struct req *r, struct resp *w)
{
	struct return_actor by;
	struct return_photo_file f;
	enum cs_result rc;

	console_return_actor(r, &by);
	rc = returns_photo(&app->db, r->arena, &by, req_param(r, "number"),
	    web_path_id(r, "id"), &f);
	if (rc != CS_OK)
		return web_result_status(rc);
	return returns_view_photo(w, &f);
}

int
console_return_authorisation(struct app *app, struct req *r, struct resp *w)
{
	return console_return_page(app, r, w, "console/returns/authorisation", 200, NULL, NULL);
}
