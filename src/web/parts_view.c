/* parts_view.c — see parts_view.h. */
#include "web/parts_view.h"
#include "core/arena.h"
#include "domain/parts_job.h"
#include "web/field_photo_view.h"
#include "tmpl/tval.h"
#include "web/app.h"
#include "web/fields.h"
#include "web/result.h"

#include <string.h>

static int
line_of(struct arena *a, struct tval *list, const struct parts_charge *l)
{
	struct tval *m = tval_map(a);

	return m == NULL || tval_set_str(a, m, "what", l->what) ||
	    tval_set_str(a, m, "number", l->number) || tval_set_str(a, m, "qty", l->qty) ||
	    tval_set_str(a, m, "unit", parts_money(a, l->unit)) ||
	    tval_set_str(a, m, "amount", parts_money(a, l->amount)) ||
	    tval_set_str(a, m, "charged", parts_money(a, l->charged)) ||
	    tval_set_str(a, m, "covered_by", l->covered_by) ||
	    tval_set_bool(a, m, "covered", *l->covered_by != '\0') || tval_push(a, list, m);
}

struct tval *
parts_view_report(struct arena *a, const struct parts_job_report *r)
{
	struct tval *m = tval_map(a), *lines = tval_list(a);
	size_t i;
	int rc = m == NULL || lines == NULL;

	for (i = 0; !rc && i < r->n; i++)
		rc |= line_of(a, lines, &r->lines[i]);
	rc |= tval_set_int(a, m, "id", r->id);
	rc |= tval_set_str(a, m, "number", r->ticket_number);
	rc |= tval_set_str(a, m, "customer", r->customer);
	rc |= tval_set_str(a, m, "technician", r->technician);
	rc |= tval_set_str(a, m, "address", r->address);
	rc |= tval_set_str(a, m, "postcode", r->postcode);
	rc |= tval_set_str(a, m, "summary", r->summary);
	rc |= tval_set_str(a, m, "day", r->day);
	rc |= tval_set_str(a, m, "checkin", r->checkin);
	rc |= tval_set_str(a, m, "checkout", r->checkout);
	rc |= tval_set_str(a, m, "notes", r->notes);
	rc |= tval_set_str(a, m, "coverage", r->coverage);
	rc |= tval_set(a, m, "lines", lines);
	rc |= tval_set_str(a, m, "total", parts_money(a, r->total));
	rc |= tval_set_str(a, m, "charged", parts_money(a, r->charged));
	rc |= tval_set_str(a, m, "covered_warranty", parts_money(a, r->covered_warranty));
	rc |= tval_set_str(a, m, "covered_contract", parts_money(a, r->covered_contract));
	rc |= tval_set_bool(a, m, "has_covered", r->covered_warranty + r->covered_contract > 0);
	rc |= tval_set_str(a, m, "signature_sha256", r->signature_sha256);
	rc |= tval_set_str(a, m, "signature_url", r->signature_url);
	return rc ? NULL : m;
}

int
parts_view_report_page(struct app *app, struct req *r, struct resp *w, long long customer_id,
    const char *name)
{
	struct parts_job_report rep;
	struct tval *ctx = app_page(app, r, "Job report");
	long long id = web_path_id(r, "id");
	/* The photos the reader may see (a customer the shared ones), in the report's round trip. */
	struct field_photo_viewer v = field_photo_viewer_of(r, customer_id);
	enum cs_result rc;

	if (ctx == NULL)
		return 500;
	if (id <= 0)
		return 404;
	if ((rc = parts_job_report_with_photos(&app->db, r->arena, id, customer_id, &v,
	    &rep)) != CS_OK)
		return web_result_status(rc);
	if (tval_set(r->arena, ctx, "report", parts_view_report(r->arena, &rep)) < 0 ||
	    field_photo_view_set(r->arena, ctx, rep.photos, rep.nphotos, arena_printf(r->arena,
	    customer_id > 0 ? "/visits/%lld/photos" : "/agent/field/jobs/%lld/photos", id)) != 0)
		return 500;
	return app_render(app, r, w, name, ctx);
}
