/*
 * visit_report.c — GET /visits/{id}/report: the printable report of a
 * completed visit (charges, what cover paid, the signature and its hash)
 * for the customer whose visit it was; anybody else gets 404, as for a
 * visit not completed. The query names the customer and row-level
 * security keeps the session to its own rows.
 *
 * GET /visits/{id}/photos/{photo}: a photo of the visit the technician
 * shared with the customer (any other, or another customer's: 404).
 */
#include "portal/handlers.h"
#include "web/field_photo_view.h"
#include "web/parts_view.h"

int
portal_visit_report(struct app *app, struct req *r, struct resp *w)
{
	if (r->who.customer_id <= 0)
		return 404;
	return parts_view_report_page(app, r, w, r->who.customer_id, "portal/visit_report");
}

int
portal_visit_photo(struct app *app, struct req *r, struct resp *w)
{
	if (r->who.customer_id <= 0)
		return 404;
	return field_photo_view_send(app, r, w, r->who.customer_id);
}
