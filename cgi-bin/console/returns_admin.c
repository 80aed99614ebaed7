/*
 * returns_admin.c — the return policy, for admins: GET and POST
 * /agent/admin/returns (the auto-approve amount, windows per product
 * category, where parcels go, which reasons need inspection), POST
 * /agent/admin/returns/fees (a restocking fee) and POST
 * /agent/admin/returns/fees/{id}/delete. Everything is judged and audited
 * by returns_policy.h; a refused form comes back as typed.
 */
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/returns_policy.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <stdio.h>
#include <string.h>

#define URL "/agent/admin/returns"

static const char *const on[] = { "1", NULL };
static const char *const kinds[] = { "percent", "fixed", NULL };
static const char *const kind_labels[] = { "% of the money given back", "Fixed amount" };

/* What f holds for field name as typed, or NULL. */
static const char *
typed(const struct field_form *f, const char *name)
{
	struct tval *t = tval_get(f->values, name);

	return t != NULL && t->type == TVAL_STR ? t->u.str.s : NULL;
}

/* The policy page: v as stored, f as typed (or NULL), with status. */
static int
page(struct app *app, struct req *r, struct resp *w, struct field_form *f, int status,
    const char *error)
{
	struct arena *a = r->arena;
	struct return_policy_view v;
	struct tval *ctx = app_page(app, r, "Return policy"), *wins, *reasons, *fees;
	struct field_form empty;
	enum cs_result rc;
	size_t i;
	int bad;

	if (ctx == NULL || (wins = tval_list(a)) == NULL || (reasons = tval_list(a)) == NULL ||
	    (fees = tval_list(a)) == NULL)
		return 500;
	if ((rc = returns_policy_get(&app->db, a, &v)) != CS_OK)
		return web_result_status(rc);
	if (f == NULL) {
		/* First shown: the stored policy as the form's values. */
		if (fields_init(&empty, a) < 0)
			return 500;
		f = &empty;
		fields_value(f, "auto_approve_max", v.auto_approve_max);
		fields_value(f, "default_window_days", arena_printf(a, "%d", v.default_window_days));
		fields_value(f, "ship_to", v.ship_to);
	}
	bad = 0;
	for (i = 0; i < v.nwindows; i++) {
		struct tval *m = tval_map(a);
		const char *name = arena_printf(a, "window%lld", v.windows[i].category_id);
		struct tval *t = name != NULL ? tval_get(f->values, name) : NULL;

		bad |= m == NULL || name == NULL;
		if (bad)
			break;
		bad |= tval_set_str(a, m, "name", name) | tval_set_str(a, m, "category",
		    v.windows[i].category);
		if (t != NULL)
			bad |= tval_set(a, m, "days", t);
		else if (v.windows[i].days >= 0)
			bad |= tval_set_int(a, m, "days", v.windows[i].days);
		bad |= tval_push(a, wins, m);
	}
	for (i = 0; i < RETURN_REASONS; i++) {
		struct tval *m = tval_map(a);

		bad |= m == NULL;
		if (bad)
			break;
		bad |= tval_set_str(a, m, "reason", return_reason_names[i]);
		bad |= tval_set_str(a, m, "label", return_reason_labels[i]);
		bad |= tval_set_bool(a, m, "checked", v.needs_inspection[i]);
		bad |= tval_push(a, reasons, m);
	}
	for (i = 0; i < v.nfees; i++) {
		struct tval *m = tval_map(a);

		bad |= m == NULL;
		if (bad)
			break;
		bad |= tval_set_int(a, m, "id", v.fees[i].id);
		bad |= tval_set_str(a, m, "reason", return_label(return_reason_names,
		    return_reason_labels, v.fees[i].reason));
		bad |= tval_set_int(a, m, "from_days", v.fees[i].from_days);
		bad |= tval_set_str(a, m, "amount", arena_printf(a, strcmp(v.fees[i].kind,
		    "percent") == 0 ? "%s %%" : "%s", v.fees[i].amount));
		bad |= tval_push(a, fees, m);
	}
	bad |= tval_set(a, ctx, "windows", wins) | tval_set(a, ctx, "reasons", reasons);
	bad |= tval_set(a, ctx, "fees", fees) | tval_set_bool(a, ctx, "has_fees", v.nfees > 0);
	bad |= tval_set(a, ctx, "fee_reasons", fields_select(a, return_reason_names,
	    return_reason_labels, RETURN_REASONS, typed(f, "fee_reason")));
	bad |= tval_set(a, ctx, "fee_kinds", fields_select(a, kinds, kind_labels, 2,
	    typed(f, "fee_kind")));
	bad |= fields_ctx(f, ctx);
	if (error != NULL)
		bad |= tval_set_str(a, ctx, "error", error);
	if (bad)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/returns/policy", ctx);
}

int
console_admin_returns(struct app *app, struct req *r, struct resp *w)
{
	return page(app, r, w, NULL, 200, NULL);
}

static const struct field_rule policy_rules[] = {
	{ "auto_approve_max", "Approve at once up to", FIELD_TEXT, 1, 0, 0, NULL },
	{ "default_window_days", "Default window", FIELD_INT, 1, 0, 1000000, NULL },
	{ "ship_to", "Send parcels to", FIELD_LINES, 1, 0, 0, NULL },
};

int
console_admin_returns_save(struct app *app, struct req *r, struct resp *w)
{
	struct arena *a = r->arena;
	struct return_policy_view v;
	struct return_policy_input in;
	struct audit_entry by;
	struct field_form f;
	struct field_rule rule = { NULL, "Window", FIELD_INT, 0, 0, 1000000, NULL };
	const char *vals[3], *why = NULL, *field = NULL, *one;
	long long nums[3], *cats, days;
	int *windows;
	size_t i;
	enum cs_result rc;

	if (fields_init(&f, a) < 0)
		return 500;
	if ((rc = returns_policy_get(&app->db, a, &v)) != CS_OK)
		return web_result_status(rc);
	fields_check(&f, r, policy_rules, 3, vals, nums);
	cats = arena_calloc(a, v.nwindows + 1, sizeof(*cats));
	windows = arena_calloc(a, v.nwindows + 1, sizeof(*windows));
	if (cats == NULL || windows == NULL)
		return 500;
	/* Each category's window: empty for the default. */
	for (i = 0; i < v.nwindows; i++) {
		rule.name = arena_printf(a, "window%lld", v.windows[i].category_id);
		rule.label = v.windows[i].category;
		if (rule.name == NULL)
			return 500;
		fields_check(&f, r, &rule, 1, &one, &days);
		cats[i] = v.windows[i].category_id;
		windows[i] = *one == '\0' ? -1 : (int)days;
	}
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return page(app, r, w, &f, 422, fields_first_error(&f));
	memset(&in, 0, sizeof(in));
	in.auto_approve_max = vals[0];
	in.default_window_days = (int)nums[1];
	in.ship_to = vals[2];
	in.category_ids = cats;
	in.days = windows;
	in.nwindows = v.nwindows;
	for (i = 0; i < RETURN_REASONS; i++) {
		const char *name = arena_printf(a, "inspect_%s", return_reason_names[i]);

		in.needs_inspection[i] = name != NULL && req_field(r, name) != NULL &&
		    fields_in(req_field(r, name), on, 1);
	}
	web_audit_actor(r, &by);
	rc = returns_policy_save(&app->db, &by, &in, &why, &field);
	if (rc == CS_REFUSED) {
		fields_error(&f, field, why);
		return page(app, r, w, &f, 422, why);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "The return policy is saved.");
	resp_redirect(w, URL);
	return 0;
}

static const struct field_rule fee_rules[] = {
	{ "fee_reason", "Reason", FIELD_CHOICE, 1, 0, 0, return_reason_names },
	{ "fee_from_days", "From day", FIELD_INT, 1, 0, 1000000, NULL },
	{ "fee_kind", "Kind", FIELD_CHOICE, 1, 0, 0, kinds },
	{ "fee_amount", "Amount", FIELD_TEXT, 1, 0, 0, NULL },
};

int
console_admin_returns_fee(struct app *app, struct req *r, struct resp *w)
{
	struct audit_entry by;
	struct field_form f;
	const char *v[4], *why = NULL, *field = NULL;
	long long n[4];
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	if (fields_check(&f, r, fee_rules, 4, v, n) > 0)
		return page(app, r, w, &f, 422, fields_first_error(&f));
	web_audit_actor(r, &by);
	rc = returns_fee_add(&app->db, &by, v[0], (int)n[1], v[2], v[3], &why, &field);
	if (rc == CS_REFUSED) {
		fields_error(&f, arena_printf(r->arena, "fee_%s", field), why);
		return page(app, r, w, &f, 422, why);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "The restocking fee is added.");
	resp_redirect(w, URL);
	return 0;
}

int
console_admin_returns_fee_delete(struct app *app, struct req *r, struct resp *w)
{
	struct audit_entry by;
	long long id = web_path_id(r, "id");
	enum cs_result rc;

	if (id <= 0)
		return 404;
	web_audit_actor(r, &by);
	if ((rc = returns_fee_delete(&app->db, &by, id)) != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "The restocking fee is removed.");
	resp_redirect(w, URL);
	return 0;
}
