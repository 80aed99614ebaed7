/*
 * visit_report.c — GET /visits/{id}/report: the printable report of a
 * completed visit (charges, what cover paid, the signature and its hash)
 * for the customer whose visit it was; anybody else gets 404, as for a
 * visit not completed. The query names the customer and row-level
 * security keeps the session to its own rows.
 */
#include "portal/handlers.h"
#include "domain/parts_job.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/parts_view.h"
#include "web/result.h"

int
portal_visit_report(struct app *app, struct req *r, struct resp *w)
{
	struct parts_job_report rep;
	struct tval *ctx = app_page(app, r, "Job report");
	long long id = web_path_id(r, "id");
	enum cs_result rc;

	if (ctx == NULL)
		return 500;
	if (id <= 0 || r->who.customer_id <= 0)
		return 404;
	rc = parts_job_report(&app->db, r->arena, id, r->who.customer_id, &rep);
	if (rc != CS_OK)
		return web_result_status(rc);
	if (tval_set(r->arena, ctx, "report", parts_view_report(r->arena, &rep)) < 0)
		return 500;
	return app_render(app, r, w, "portal/visit_report", ctx);
}
