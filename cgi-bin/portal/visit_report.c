/*
 * visit_report.c — GET /visits/{id}/report: the printable report of a
 * completed visit (charges, what cover paid, the signature and its hash)
 * for the customer whose visit it was; anybody else gets 404, as for a
 * visit not completed. The query names the customer and row-level
 * security keeps the session to its own rows.
 */
#include "portal/handlers.h"
#include "web/parts_view.h"

int
portal_visit_report(struct app *app, struct req *r, struct resp *w)
{
	if (r->who.customer_id <= 0)
		return 404;
	return parts_view_report_page(app, r, w, r->who.customer_id, "portal/visit_report");
}
