/*
 * parts_transfers.c — transfers for supervisors: GET /agent/stock/transfers
 * lists the proposed ones (the nightly replenishment and part requests a
 * warehouse could not serve) with what the source has, to approve with
 * the quantity edited or to reject; ?status=approved lists those on their
 * way, to mark received (which brings the tickets waiting for them back to
 * work). Oldest first, keyset pages (?after=id).
 */
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/parts.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <string.h>

static int
transfers_page(struct app *app, struct req *r, struct resp *w, int status, long long failed_id,
    const char *error)
{
	struct arena *a = r->arena;
	struct tval *ctx = app_page(app, r, "Transfers"), *list = tval_list(a);
	const char *st = req_query(r, "status");
	struct parts_transfer *t;
	long long after = 0;
	size_t n, i;
	int more = 0, rc = 0;
	enum cs_result got;

	if (ctx == NULL || list == NULL)
		return 500;
	if (st == NULL || *st == '\0')
		st = "proposed";
	if ((strcmp(st, "proposed") != 0 && strcmp(st, "approved") != 0) ||
	    web_query_key(r, "after", &after) < 0)
		return 404;
	if ((got = parts_transfers(&app->db, a, st, after, &t, &n, &more)) != CS_OK)
		return web_result_status(got);
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= m == NULL || tval_set_int(a, m, "id", t[i].id) ||
		    tval_set_bool(a, m, "request", strcmp(t[i].kind, "request") == 0) ||
		    tval_set_str(a, m, "number", t[i].number) || tval_set_str(a, m, "name", t[i].name) ||
		    tval_set_str(a, m, "from", t[i].from) || tval_set_str(a, m, "to", t[i].to) ||
		    tval_set_str(a, m, "reason", t[i].reason) ||
		    tval_set_str(a, m, "created_at", t[i].created_at) ||
		    tval_set_int(a, m, "proposed_qty", t[i].proposed_qty) ||
		    tval_set_int(a, m, "qty", t[i].qty) ||
		    tval_set_bool(a, m, "supplier", t[i].available < 0) ||
		    tval_set_int(a, m, "available", t[i].available) ||
		    tval_push(a, list, m);
	}
	if (error != NULL)
		rc |= tval_set_str(a, ctx, "error", arena_printf(a, "Transfer %lld: %s", failed_id,
		    error));
	rc |= tval_set(a, ctx, "transfers", list) | tval_set_bool(a, ctx, "empty", n == 0) |
	    tval_set_bool(a, ctx, "proposed", strcmp(st, "proposed") == 0);
	if (more && n > 0)
		rc |= tval_set_str(a, ctx, "next", arena_printf(a, "?status=%s&after=%lld", st,
		    t[n - 1].id));
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/parts/transfers", ctx);
}

int
console_parts_transfers(struct app *app, struct req *r, struct resp *w)
{
	return transfers_page(app, r, w, 200, 0, NULL);
}

static const struct field_rule rules[] = {
	{ "qty", "Quantity", FIELD_INT, 0, 0, PARTS_QTY_MAX, NULL },
	{ "reason", "Reason", FIELD_TEXT, 0, 0, PARTS_REASON_MAX, NULL },
};

/* approve, reject or receive transfer {id}. */
static int
decide(struct app *app, struct req *r, struct resp *w, char what)
{
	struct field_actor by = { .staff_id = r->who.id };
	struct field_form f;
	const char *v[2], *why = NULL;
	long long nums[2], id = web_path_id(r, "id");
	enum cs_result got;

	if (id <= 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, rules, 2, v, nums);
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return transfers_page(app, r, w, 422, id, fields_first_error(&f));
	got = what == 'a' ? parts_transfer_approve(&app->db, r->arena, &by, id, (int)nums[0], &why) :
	    what == 'r' ? parts_transfer_reject(&app->db, r->arena, &by, id, v[1], &why) :
	    parts_transfer_receive(&app->db, r->arena, &by, id, &why);
	if (got == CS_REFUSED)
		return transfers_page(app, r, w, 422, id, why);
	if (got != CS_OK)
		return web_result_status(got);
	web_flash(app, r, w, "%s", what == 'a' ? "Transfer approved." : what == 'r' ?
	    "Transfer rejected." : "Transfer received.");
	resp_redirect(w, what == 'v' ? "/agent/stock/transfers?status=approved" :
	    "/agent/stock/transfers");
	return 0;
}

int
console_parts_transfer_approve(struct app *app, struct req *r, struct resp *w)
{
	return decide(app, r, w, 'a');
}

int
console_parts_transfer_reject(struct app *app, struct req *r, struct resp *w)
{
	return decide(app, r, w, 'r');
}

int
console_parts_transfer_receive(struct app *app, struct req *r, struct resp *w)
{
	return decide(app, r, w, 'v');
}
