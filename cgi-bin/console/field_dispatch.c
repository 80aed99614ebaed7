/*
 * field_dispatch.c — appointments from the agent's side: the ticket page's
 * appointment panel (console_field_ticket_panel), GET|POST
 * /agent/tickets/{number}/appointments/new (schedule a visit), and GET
 * /agent/field/appointments/{id}: the job with the technicians suggested
 * for it, ranked with the reason, each with a button to assign, and the
 * forms to reschedule and cancel (both with a reason). No double booking
 * is the database's rule: a slot taken meanwhile comes back at 409 with
 * the sentence.
 */
#include "console/handlers.h"
#include "console/ticket_page.h"
#include "core/arena.h"
#include "domain/field.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"
#include "web/field_photo_view.h"
#include "web/fields.h"
#include "web/result.h"

#include <stdlib.h>
#include <string.h>

static struct tval *
appointment_map(struct arena *a, const struct field_appointment *o)
{
	struct tval *m = tval_map(a);

	if (m == NULL || tval_set_int(a, m, "id", o->id) < 0 ||
	    tval_set_str(a, m, "number", o->ticket_number) < 0 ||
	    tval_set_str(a, m, "technician", o->technician) < 0 ||
	    tval_set_str(a, m, "summary", o->summary) < 0 ||
	    tval_set_str(a, m, "address", o->address) < 0 ||
	    tval_set_str(a, m, "postcode", o->postcode) < 0 ||
	    tval_set_str(a, m, "skill", o->skill) < 0 ||
	    tval_set_str(a, m, "window", o->window) < 0 ||
	    tval_set_str(a, m, "status", o->status) < 0 ||
	    tval_set_str(a, m, "reason", o->reason) < 0 ||
	    tval_set_bool(a, m, "booked", strcmp(o->status, "booked") == 0) < 0)
		return NULL;
	return m;
}

int
console_field_ticket_panel(struct req *r, struct tval *ctx, const struct ticket *t,
    const struct field_appointment *rows, size_t n)
{
	struct tval *m = tval_map(r->arena), *list = tval_list(r->arena);
	size_t i;

	if (m == NULL || list == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		struct tval *o = appointment_map(r->arena, &rows[i]);

		if (o == NULL || tval_push(r->arena, list, o) < 0)
			return -1;
	}
	if (tval_set(r->arena, m, "appointments", list) < 0 ||
	    tval_set_str(r->arena, m, "number", t->number) < 0)
		return -1;
	return tval_set(r->arena, ctx, "field", m) < 0 ? -1 : 0;
}

static const struct field_rule book_rules[] = {
	{ "starts_at", "Start", FIELD_TEXT, 1, 1, 40, NULL },
	{ "ends_at", "End", FIELD_TEXT, 1, 1, 40, NULL },
	{ "summary", "What the job is", FIELD_TEXT, 1, 1, FIELD_TEXT_MAX, NULL },
	{ "address", "Address", FIELD_TEXT, 1, 1, FIELD_TEXT_MAX, NULL },
	{ "postcode", "Postcode", FIELD_TEXT, 0, 0, 20, NULL },
	{ "skill", "Skill needed", FIELD_TEXT, 0, 0, 100, NULL },
};
#define NBOOK (sizeof(book_rules) / sizeof(book_rules[0]))

static int
book_page(struct app *app, struct req *r, struct resp *w, const struct ticket *t, int status,
    struct field_form *f, const char *error)
{
	struct tval *ctx = app_page(app, r, "Schedule a visit");

	if (ctx == NULL || tval_set_str(r->arena, ctx, "number", t->number) < 0 ||
	    (error != NULL && tval_set_str(r->arena, ctx, "error", error) < 0) ||
	    (f != NULL && fields_ctx(f, ctx) < 0))
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/field/book", ctx);
}

int
console_field_book_form(struct app *app, struct req *r, struct resp *w)
{
	struct ticket t;
	int rc = console_ticket_load(app, r, &t);

	return rc != 0 ? rc : book_page(app, r, w, &t, 200, NULL, NULL);
}

int
console_field_book(struct app *app, struct req *r, struct resp *w)
{
	struct field_actor by = { r->who.id, 0 };
	struct field_booking b;
	struct field_form f;
	struct ticket t;
	const char *v[NBOOK], *why = NULL;
	long long id = 0;
	enum cs_result rc;
	int st = console_ticket_load(app, r, &t);

	if (st != 0)
		return st;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, book_rules, NBOOK, v, NULL);
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return book_page(app, r, w, &t, 422, &f, fields_first_error(&f));
	memset(&b, 0, sizeof(b));
	b.ticket_id = t.id;
	b.starts_at = v[0];
	b.ends_at = v[1];
	b.summary = v[2];
	b.address = v[3];
	b.postcode = v[4];
	b.skill = v[5];
	rc = field_book(&app->db, r->arena, &by, &b, &id, &why);
	if (rc == CS_REFUSED || rc == CS_TAKEN)
		return book_page(app, r, w, &t, rc == CS_TAKEN ? 409 : 422, &f, why);
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Visit scheduled: choose a technician.");
	resp_redirect(w, arena_printf(r->arena, "/agent/field/appointments/%lld", id));
	return 0;
}

static int
appointment_page(struct app *app, struct req *r, struct resp *w, long long id, int status,
    struct field_form *f, const char *error)
{
	struct field_appointment o;
	struct field_candidate *c;
	struct tval *ctx, *list, *m;
	size_t n, i;
	enum cs_result rc;
	int st;

	if ((rc = field_appointment(&app->db, r->arena, id, &o)) != CS_OK)
		return web_result_status(rc);
	if ((ctx = app_page(app, r, o.ticket_number)) == NULL ||
	    (list = tval_list(r->arena)) == NULL || (m = appointment_map(r->arena, &o)) == NULL)
		return 500;
	if (strcmp(o.status, "booked") == 0) {
		if ((rc = field_dispatch_rank(&app->db, r->arena, id, FIELD_RANK_MAX, &c, &n)) != CS_OK)
			return web_result_status(rc);
		for (i = 0; i < n; i++) {
			struct tval *k = tval_map(r->arena);

			if (k == NULL || tval_set_int(r->arena, k, "staff_id", c[i].staff_id) < 0 ||
			    tval_set_str(r->arena, k, "name", c[i].name) < 0 ||
			    tval_set_str(r->arena, k, "why", c[i].why) < 0 ||
			    tval_set_bool(r->arena, k, "current", c[i].staff_id == o.technician_id) < 0 ||
			    tval_set_bool(r->arena, k, "available", c[i].free && !c[i].off &&
			    c[i].in_hours) < 0 || tval_push(r->arena, list, k) < 0)
				return 500;
		}
	}
	if (tval_set(r->arena, ctx, "a", m) < 0 || tval_set(r->arena, ctx, "candidates", list) < 0 ||
	    (error != NULL && tval_set_str(r->arena, ctx, "error", error) < 0) ||
	    (f != NULL && fields_ctx(f, ctx) < 0))
		return 500;
	/* The visit's photos, as the reader may see them. */
	if ((st = field_photo_view_ctx(app, r, ctx, o.id, 0, arena_printf(r->arena,
	    "/agent/field/jobs/%lld/photos", o.id))) != 0)
		return st;
	w->status = status;
	return app_render(app, r, w, "console/field/appointment", ctx);
}

static long long
path_id(const struct req *r)
{
	const char *s = req_param(r, "id");
	long long id = s != NULL ? atoll(s) : 0;

	return id > 0 ? id : 0;
}

int
console_field_appointment(struct app *app, struct req *r, struct resp *w)
{
	long long id = path_id(r);

	return id == 0 ? 404 : appointment_page(app, r, w, id, 200, NULL, NULL);
}

/* A change's outcome: back to the page, or the page again with the sentence. */
/* why is read through its pointer: after the call that set it, whatever the argument order. */
static int
changed(struct app *app, struct req *r, struct resp *w, long long id, enum cs_result rc,
    struct field_form *f, const char *const *why, const char *done)
{
	if (rc == CS_REFUSED || rc == CS_TAKEN)
		return appointment_page(app, r, w, id, rc == CS_TAKEN ? 409 : 422, f, *why);
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "%s.", done);
	resp_redirect(w, arena_printf(r->arena, "/agent/field/appointments/%lld", id));
	return 0;
}

/*
 * Reads the form of a change to appointment {id} against rules: 0 with
 * *id and the values, else the status already answered (the page again
 * with the first message, 404, 500).
 */
static int
change_form(struct app *app, struct req *r, struct resp *w, const struct field_rule *rules,
    size_t n, const char **v, long long *nums, struct field_form *f, long long *id)
{
	*id = path_id(r);
	if (*id == 0)
		return 404;
	if (fields_init(f, r->arena) < 0)
		return 500;
	fields_check(f, r, rules, n, v, nums);
	if (f->failed)
		return 500;
	if (f->nerrors > 0) {
		int st = appointment_page(app, r, w, *id, 422, f, fields_first_error(f));

		return st != 0 ? st : -1;
	}
	return 0;
}

/* change_form's answer for a handler: -1 (the page is rendered) is 0. */
#define ANSWERED(st) ((st) < 0 ? 0 : (st))

static const struct field_rule assign_rules[] = {
	{ "technician_id", "Technician", FIELD_INT, 1, 1, 1LL << 53, NULL },
};

int
console_field_assign(struct app *app, struct req *r, struct resp *w)
{
	struct field_actor by = { r->who.id, 0 };
	struct field_form f;
	const char *v[1], *why = NULL;
	long long tech[1], id;
	int st = change_form(app, r, w, assign_rules, 1, v, tech, &f, &id);

	if (st != 0)
		return ANSWERED(st);
	return changed(app, r, w, id, field_assign(&app->db, r->arena, &by, id, tech[0], &why), &f,
	    &why, "Technician assigned");
}

static const struct field_rule move_rules[] = {
	{ "starts_at", "Start", FIELD_TEXT, 1, 1, 40, NULL },
	{ "ends_at", "End", FIELD_TEXT, 1, 1, 40, NULL },
	{ "reason", "Reason", FIELD_TEXT, 1, 1, FIELD_TEXT_MAX, NULL },
};

int
console_field_reschedule(struct app *app, struct req *r, struct resp *w)
{
	struct field_actor by = { r->who.id, 0 };
	struct field_form f;
	const char *v[3], *why = NULL;
	long long id;
	int st = change_form(app, r, w, move_rules, 3, v, NULL, &f, &id);

	if (st != 0)
		return ANSWERED(st);
	return changed(app, r, w, id, field_reschedule(&app->db, r->arena, &by, id, v[0], v[1], 0,
	    v[2], &why), &f, &why, "Rescheduled");
}

static const struct field_rule cancel_rules[] = {
	{ "cancel_reason", "Reason", FIELD_TEXT, 1, 1, FIELD_TEXT_MAX, NULL },
};

int
console_field_cancel(struct app *app, struct req *r, struct resp *w)
{
	struct field_actor by = { r->who.id, 0 };
	struct field_form f;
	const char *v[1], *why = NULL;
	long long id;
	int st = change_form(app, r, w, cancel_rules, 1, v, NULL, &f, &id);

	if (st != 0)
		return ANSWERED(st);
	return changed(app, r, w, id, field_cancel(&app->db, r->arena, &by, id, v[0], &why), &f,
	    &why, "Appointment cancelled");
}
