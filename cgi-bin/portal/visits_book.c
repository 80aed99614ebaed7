/*
 * visits_book.c — the customer books, moves and cancels their own
 * technician visits:
 *   GET  /visits/book?postcode=…   the windows free for that postcode and
 *                                  the form to book one for a ticket
 *   POST /visits/book              books it
 *   GET  /visits/{id}              their visit, with the windows to move it
 *                                  to and a cancel form (both with a reason)
 *   POST /visits/{id}/reschedule, /visits/{id}/cancel
 * A window taken by someone else between the page and the post comes back
 * at 409 with "That window was just taken" and the windows left; a visit
 * of another customer is 404 (row-level security and the functions'
 * request_customer() both keep to the session's customer).
 */
#include "portal/handlers.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/field.h"
#include "domain/field_booking.h"
#include "tmpl/tval.h"
#include "web/field_photo_view.h"
#include "web/fields.h"
#include "web/result.h"

#include <string.h>

/* The windows as radio choices, chosen the one posted. */
static struct tval *
windows_list(struct app *app, struct req *r, const char *postcode, const char *chosen,
    enum cs_result *rc)
{
	struct field_window *w;
	struct tval *list = tval_list(r->arena);
	size_t n, i;

	if ((*rc = field_windows(&app->db, r->arena, r->who.customer_id, postcode, &w, &n)) !=
	    CS_OK || list == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(r->arena);

		if (m == NULL || tval_set_str(r->arena, m, "start", w[i].start) < 0 ||
		    tval_set_str(r->arena, m, "label", w[i].label) < 0 ||
		    tval_set_int(r->arena, m, "n", (long long)i) < 0 ||
		    tval_set_bool(r->arena, m, "checked", chosen != NULL &&
		    strcmp(chosen, w[i].start) == 0) < 0 || tval_push(r->arena, list, m) < 0)
			return NULL;
	}
	return list;
}

static int
book_page(struct app *app, struct req *r, struct resp *w, int status, const char *postcode,
    struct field_form *f, const char *chosen, long long ticket, const char *error)
{
	struct tval *ctx = app_page(app, r, "Book a visit"), *wins, *tickets = tval_list(r->arena);
	struct db_option *t;
	size_t n, i;
	enum cs_result rc;

	if (ctx == NULL || tickets == NULL)
		return 500;
	wins = windows_list(app, r, postcode, chosen, &rc);
	if (rc != CS_OK)
		return web_result_status(rc);
	if ((rc = field_bookable_tickets(&app->db, r->arena, r->who.customer_id, r->who.id,
	    r->who.account_admin, &t, &n)) != CS_OK)
		return web_result_status(rc);
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(r->arena);

		if (m == NULL || tval_set_int(r->arena, m, "id", t[i].id) < 0 ||
		    tval_set_str(r->arena, m, "name", t[i].name) < 0 ||
		    tval_set_bool(r->arena, m, "selected", t[i].id == ticket) < 0 ||
		    tval_push(r->arena, tickets, m) < 0)
			return 500;
	}
	if (wins == NULL || tval_set(r->arena, ctx, "windows", wins) < 0 ||
	    tval_set(r->arena, ctx, "tickets", tickets) < 0 ||
	    tval_set_str(r->arena, ctx, "postcode", postcode != NULL ? postcode : "") < 0 ||
	    (error != NULL && tval_set_str(r->arena, ctx, "error", error) < 0) ||
	    (f != NULL && fields_ctx(f, ctx) < 0))
		return 500;
	w->status = status;
	return app_render(app, r, w, "portal/visit_book", ctx);
}

int
portal_visit_book_form(struct app *app, struct req *r, struct resp *w)
{
	const char *postcode = req_query(r, "postcode");
	char *pc = fields_trim(r->arena, postcode != NULL ? postcode : "");

	if (pc == NULL)
		return 500;
	if (utf8_chars(pc) > 20)
		pc[0] = '\0';
	return book_page(app, r, w, 200, pc, NULL, NULL, 0, NULL);
}

enum { BK_TICKET, BK_START, BK_POSTCODE, BK_ADDRESS, BK_SUMMARY, BK__MAX };

static const struct field_rule book_rules[] = {
	[BK_TICKET] = { "ticket_id", "Request", FIELD_INT, 1, 1, 1LL << 53, NULL },
	[BK_START] = { "start", "Window", FIELD_TEXT, 1, 1, 40, NULL },
	[BK_POSTCODE] = { "postcode", "Postcode", FIELD_TEXT, 0, 0, 20, NULL },
	[BK_ADDRESS] = { "address", "Address", FIELD_TEXT, 1, 1, FIELD_TEXT_MAX, NULL },
	[BK_SUMMARY] = { "summary", "What the visit is for", FIELD_TEXT, 1, 1, FIELD_TEXT_MAX,
		NULL },
};
_Static_assert(sizeof(book_rules) / sizeof(book_rules[0]) == BK__MAX, "one rule per field");

int
portal_visit_book(struct app *app, struct req *r, struct resp *w)
{
	struct field_actor by = { 0, r->who.id };
	struct field_portal_booking b;
	struct field_form f;
	const char *v[BK__MAX], *why = NULL;
	long long num[BK__MAX], id = 0;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, book_rules, BK__MAX, v, num);
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return book_page(app, r, w, 422, v[BK_POSTCODE], &f, v[BK_START], num[BK_TICKET],
		    fields_first_error(&f));
	memset(&b, 0, sizeof(b));
	b.ticket_id = num[BK_TICKET];
	b.start = v[BK_START];
	b.postcode = v[BK_POSTCODE];
	b.address = v[BK_ADDRESS];
	b.summary = v[BK_SUMMARY];
	rc = field_portal_book(&app->db, r->arena, &by, &b, &id, &why);
	if (rc == CS_TAKEN || rc == CS_REFUSED)
		return book_page(app, r, w, rc == CS_TAKEN ? 409 : 422, v[BK_POSTCODE], &f,
		    rc == CS_TAKEN ? NULL : v[BK_START], num[BK_TICKET], why);
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Visit booked: you will get a confirmation by e-mail.");
	resp_redirect(w, arena_printf(r->arena, "/visits/%lld", id));
	return 0;
}

static int
visit_page(struct app *app, struct req *r, struct resp *w, long long id, int status,
    struct field_form *f, const char *error)
{
	struct field_visit v;
	struct tval *ctx, *m, *wins = NULL;
	enum cs_result rc;
	int booked, st;

	if ((rc = field_portal_visit(&app->db, r->arena, r->who.customer_id, id, &v)) != CS_OK)
		return web_result_status(rc);
	booked = strcmp(v.status, "booked") == 0;
	if (booked && (wins = windows_list(app, r, v.postcode, NULL, &rc)) == NULL)
		return rc != CS_OK ? web_result_status(rc) : 500;
	if ((ctx = app_page(app, r, "Your visit")) == NULL || (m = tval_map(r->arena)) == NULL ||
	    tval_set_int(r->arena, m, "id", v.id) < 0 ||
	    tval_set_str(r->arena, m, "number", v.ticket_number) < 0 ||
	    tval_set_str(r->arena, m, "summary", v.summary) < 0 ||
	    tval_set_str(r->arena, m, "address", v.address) < 0 ||
	    tval_set_str(r->arena, m, "window", v.window) < 0 ||
	    tval_set_str(r->arena, m, "status", v.status) < 0 ||
	    tval_set_bool(r->arena, m, "booked", booked) < 0 ||
	    tval_set_bool(r->arena, m, "assigned", v.assigned) < 0 ||
	    tval_set(r->arena, ctx, "visit", m) < 0 ||
	    (wins != NULL && tval_set(r->arena, ctx, "windows", wins) < 0) ||
	    (error != NULL && tval_set_str(r->arena, ctx, "error", error) < 0) ||
	    (f != NULL && fields_ctx(f, ctx) < 0))
		return 500;
	/* The photos the technician shared. */
	if ((st = field_photo_view_ctx(app, r, ctx, v.id, r->who.customer_id,
	    arena_printf(r->arena, "/visits/%lld/photos", v.id))) != 0)
		return st;
	w->status = status;
	return app_render(app, r, w, "portal/visit", ctx);
}

int
portal_visit(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");

	return id == 0 ? 404 : visit_page(app, r, w, id, 200, NULL, NULL);
}

static const struct field_rule move_rules[] = {
	{ "start", "Window", FIELD_TEXT, 1, 1, 40, NULL },
	{ "reason", "Reason", FIELD_TEXT, 1, 1, FIELD_TEXT_MAX, NULL },
};

static const struct field_rule cancel_rules[] = {
	{ "cancel_reason", "Reason", FIELD_TEXT, 1, 1, FIELD_TEXT_MAX, NULL },
};

/* A change's outcome: back to the visit, or the page again with the sentence. */
static int
changed(struct app *app, struct req *r, struct resp *w, long long id, enum cs_result rc,
    struct field_form *f, const char *why, const char *done)
{
	if (rc == CS_REFUSED || rc == CS_TAKEN)
		return visit_page(app, r, w, id, rc == CS_TAKEN ? 409 : 422, f, why);
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "%s", done);
	resp_redirect(w, arena_printf(r->arena, "/visits/%lld", id));
	return 0;
}

int
portal_visit_reschedule(struct app *app, struct req *r, struct resp *w)
{
	struct field_actor by = { 0, r->who.id };
	struct field_form f;
	const char *v[2], *why = NULL;
	long long id = web_path_id(r, "id");
	enum cs_result rc;

	if (id == 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, move_rules, 2, v, NULL);
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return visit_page(app, r, w, id, 422, &f, fields_first_error(&f));
	rc = field_portal_move(&app->db, r->arena, &by, id, v[0], v[1], &why);
	return changed(app, r, w, id, rc, &f, why, "Visit moved: you will get the new time by e-mail.");
}

int
portal_visit_cancel(struct app *app, struct req *r, struct resp *w)
{
	struct field_actor by = { 0, r->who.id };
	struct field_visit v;
	struct field_form f;
	const char *val[1], *why = NULL;
	long long id = web_path_id(r, "id");
	enum cs_result rc;

	if (id == 0)
		return 404;
	/* Theirs first: row-level security hides another customer's visit (404). */
	if ((rc = field_portal_visit(&app->db, r->arena, r->who.customer_id, id, &v)) != CS_OK)
		return web_result_status(rc);
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, cancel_rules, 1, val, NULL);
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return visit_page(app, r, w, id, 422, &f, fields_first_error(&f));
	rc = field_cancel(&app->db, r->arena, &by, id, val[0], &why);
	if (rc == CS_NOT_FOUND)
		return visit_page(app, r, w, id, 409, &f, "This visit can no longer be cancelled.");
	return changed(app, r, w, id, rc, &f, why, "Visit cancelled.");
}
