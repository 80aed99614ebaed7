/*
 * warranty_reports.c — GET /agent/reports/warranty: claims by product and
 * month (claim rate per unit registered, cost, covered cost) and the
 * service contracts due for renewal; GET /agent/reports/warranty/claims.csv
 * and /renewals.csv the same as CSV. Supervisors and admins
 * (cgi-bin/console.c). Query: from, to (YYYY-MM-DD, inclusive; default the
 * last twelve months), product (an id; default all), days (renewals due
 * within, 1 to 365; default 60).
 */
#include "console/handlers.h"
#include "core/arena.h"
#include "core/buf.h"
#include "domain/warranty.h"
#include "domain/warranty_contracts.h"
#include "domain/warranty_reports.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"
#include "web/warranty_view.h"

#include <string.h>

/* What the query asks for. */
struct ask {
	const char *from, *to;
	long long product;
	long long days;
};

/* 0, or 400 for a product or days that are not numbers in range (named in *bad). */
static int
ask_of(const struct req *r, struct ask *q, const char **bad)
{
	const char *days = req_query(r, "days");

	q->from = req_query(r, "from");
	q->to = req_query(r, "to");
	q->product = 0;
	q->days = 60;
	*bad = "product";
	if (web_query_key(r, "product", &q->product) < 0)
		return 400;
	*bad = "days";
	if (days != NULL && *days != '\0' && ((q->days = web_id(days)) <= 0 || q->days > 365))
		return 400;
	return 0;
}

int
console_warranty_reports(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Warranty reports"), *rows;
	struct warranty_claim_figures *f;
	struct warranty_contract *k;
	struct db_option *prods;
	struct arena *a = r->arena;
	const char *why;
	struct ask q;
	size_t n, nk, np, i;
	enum cs_result got;
	int rc = 0, bad;

	if (ctx == NULL || (rows = tval_list(a)) == NULL)
		return 500;
	if (ask_of(r, &q, &why) != 0)
		return app_bad_query(app, r, w, why, NULL, NULL);
	got = warranty_report_claims(&app->db, a, &q.from, &q.to, q.product, &f, &n, &why);
	bad = got == CS_REFUSED;
	if (got != CS_OK && !bad)
		return web_result_status(got);
	if (warranty_contracts_due(&app->db, a, (int)q.days, &k, &nk) != CS_OK ||
	    warranty_products(&app->db, a, &prods, &np) != CS_OK)
		return web_db_error(app);
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_str(a, m, "month", f[i].month);
		rc |= tval_set_str(a, m, "product", f[i].product);
		rc |= tval_set_str(a, m, "sku", f[i].sku);
		rc |= tval_set_int(a, m, "claims", f[i].claims);
		rc |= tval_set_int(a, m, "units", f[i].units);
		rc |= tval_set_str(a, m, "rate", *f[i].rate ? f[i].rate : "–");
		rc |= tval_set_str(a, m, "cost", f[i].cost);
		rc |= tval_set_str(a, m, "covered", f[i].covered);
		rc |= tval_push(a, rows, m);
	}
	rc |= tval_set(a, ctx, "figures", rows);
	rc |= tval_set_bool(a, ctx, "has_figures", n > 0);
	rc |= tval_set(a, ctx, "product_options", warranty_view_options(a, prods, np, q.product));
	rc |= tval_set_str(a, ctx, "from", q.from != NULL ? q.from : "");
	rc |= tval_set_str(a, ctx, "to", q.to != NULL ? q.to : "");
	rc |= tval_set_int(a, ctx, "days", q.days);
	rc |= tval_set(a, ctx, "error", tval_str(a, why));
	rc |= tval_set_bool(a, ctx, "has_renewals", nk > 0);
	{
		struct tval *list = tval_list(a);

		for (i = 0; i < nk && list != NULL; i++) {
			struct tval *m = tval_map(a);

			rc |= tval_set_str(a, m, "ends_on", warranty_date_words(a, k[i].ends_on));
			rc |= tval_set_str(a, m, "customer", k[i].customer);
			rc |= tval_set_int(a, m, "customer_id", k[i].customer_id);
			rc |= tval_set_str(a, m, "name", k[i].name);
			rc |= tval_set_str(a, m, "covers", k[i].covers);
			rc |= tval_set_str(a, m, "tier", k[i].response_tier);
			rc |= tval_push(a, list, m);
		}
		rc |= tval_set(a, ctx, "renewals", list);
	}
	if (!bad)
		rc |= tval_set_str(a, ctx, "claims_csv", arena_printf(a,
		    "/agent/reports/warranty/claims.csv?from=%s&to=%s&product=%lld", q.from, q.to,
		    q.product)) |
		    tval_set_str(a, ctx, "renewals_csv", arena_printf(a,
		    "/agent/reports/warranty/renewals.csv?days=%lld", q.days));
	if (rc)
		return 500;
	w->status = bad ? 422 : 200;
	return app_render(app, r, w, "console/warranty/reports", ctx);
}

/* The response as a CSV download called name. */
static void
as_csv(struct req *r, struct resp *w, const char *name)
{
	w->status = 200;
	w->content_type = "text/csv; charset=utf-8";
	resp_header(w, "Content-Disposition", arena_printf(r->arena,
	    "attachment; filename=\"%s\"", name));
	resp_header(w, "Cache-Control", "private, no-store");
}

int
console_warranty_claims_csv(struct app *app, struct req *r, struct resp *w)
{
	struct warranty_claim_figures *f;
	const char *why;
	struct ask q;
	size_t n;
	enum cs_result got;

	if (ask_of(r, &q, &why) != 0)
		return app_bad_query(app, r, w, why, NULL, NULL);
	got = warranty_report_claims(&app->db, r->arena, &q.from, &q.to, q.product, &f, &n, &why);
	if (got == CS_REFUSED)
		return app_bad_query(app, r, w, NULL, why, NULL);
	if (got != CS_OK)
		return web_result_status(got);
	buf_reset(&w->body);
	warranty_report_claims_csv(f, n, &w->body);
	as_csv(r, w, "warranty-claims.csv");
	return buf_failed(&w->body) ? 500 : 0;
}

int
console_warranty_renewals_csv(struct app *app, struct req *r, struct resp *w)
{
	struct warranty_contract *k;
	struct ask q;
	const char *bad;
	size_t n;

	if (ask_of(r, &q, &bad) != 0)
		return app_bad_query(app, r, w, bad, NULL, NULL);
	if (warranty_contracts_due(&app->db, r->arena, (int)q.days, &k, &n) != CS_OK)
		return web_db_error(app);
	buf_reset(&w->body);
	warranty_report_renewals_csv(k, n, &w->body);
	as_csv(r, w, "contract-renewals.csv");
	return buf_failed(&w->body) ? 500 : 0;
}
