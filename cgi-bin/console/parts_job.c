/*
 * parts_job.c — parts on a job, from the technician's phone:
 * GET /agent/field/jobs/{id}/parts lists what the job used and asked for,
 * with forms to use a part from the van (installed, consumed, loaned with
 * its due date), to return one to stock, and to request a part the van
 * lacks (the ticket then waits for parts). Each form carries an
 * idempotency token like the check-in forms, so a form sent again on a
 * poor connection records nothing twice; a refused form comes back with
 * its message and what was typed. Only the technician assigned (else 404).
 *
 * GET /agent/field/jobs/{id}/report is the printable job report of a
 * completed job, for staff (templates/partials/job_report.mustache).
 */
#include "console/handlers.h"
#include "auth/csrf.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/field.h"
#include "domain/parts.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/parts_view.h"
#include "web/result.h"

#include <string.h>

static const char *const kinds[] = { "installed", "consumed", "loaner", NULL };

/* The job, when it is the signed-in technician's: 0, or the status to answer. */
static int
mine(struct app *app, struct req *r, long long id, struct field_appointment *ap)
{
	enum cs_result rc;

	if (id <= 0)
		return 404;
	rc = field_appointment(&app->db, r->arena, id, ap);
	if (rc != CS_OK)
		return web_result_status(rc);
	return ap->technician_id == r->who.id ? 0 : 404;
}

static struct tval *
usages_of(struct arena *a, const struct parts_usage *u, size_t n)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; !rc && i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= m == NULL || tval_set_int(a, m, "id", u[i].id) ||
		    tval_set_str(a, m, "number", u[i].number) || tval_set_str(a, m, "name", u[i].name) ||
		    tval_set_str(a, m, "kind", u[i].kind) || tval_set_int(a, m, "qty", u[i].qty) ||
		    tval_set_str(a, m, "serial", u[i].serial) ||
		    tval_set_str(a, m, "due_on", u[i].due_on) ||
		    tval_set_str(a, m, "covered_by", u[i].covered_by) ||
		    tval_set_bool(a, m, "returned", u[i].returned) ||
		    tval_set_bool(a, m, "overdue", u[i].overdue) || tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

static struct tval *
requests_of(struct arena *a, const struct parts_request_row *q, size_t n)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; !rc && i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= m == NULL || tval_set_str(a, m, "number", q[i].number) ||
		    tval_set_str(a, m, "name", q[i].name) || tval_set_int(a, m, "qty", q[i].qty) ||
		    tval_set_bool(a, m, "arrived", strcmp(q[i].status, "received") == 0) ||
		    tval_set_bool(a, m, "waiting", strcmp(q[i].status, "proposed") == 0) ||
		    tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

/* The van's parts in stock, as choices for the use form. */
static struct tval *
van_choices(struct app *app, struct req *r, long long van, long long selected)
{
	struct arena *a = r->arena;
	struct tval *list = tval_list(a);
	struct parts_level *l;
	size_t n, i;
	int rc;

	if (list == NULL || van == 0)
		return list;
	if (parts_in_stock(&app->db, a, van, &l, &n) != CS_OK)
		return NULL;
	for (i = 0, rc = 0; !rc && i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= m == NULL || tval_set_int(a, m, "id", l[i].part_id) ||
		    tval_set_str(a, m, "name", arena_printf(a, "%s %s (%d in the van)", l[i].number,
		    l[i].name, l[i].on_hand - l[i].reserved)) ||
		    tval_set_bool(a, m, "selected", l[i].part_id == selected) || tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

static struct tval *
catalogue_choices(struct app *app, struct req *r, long long selected)
{
	struct arena *a = r->arena;
	struct tval *list = tval_list(a);
	struct db_option *o;
	size_t n, i;
	int rc;

	if (list == NULL || parts_choices(&app->db, a, &o, &n) != CS_OK)
		return NULL;
	for (i = 0, rc = 0; !rc && i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= m == NULL || tval_set_int(a, m, "id", o[i].id) ||
		    tval_set_str(a, m, "name", o[i].name) ||
		    tval_set_bool(a, m, "selected", o[i].id == selected) || tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

/* What a refused form sent, to show again. */
struct typed {
	const char *form;	/* "use" or "request" */
	const char *error;
	long long part;
	struct field_form *f;
};

static int
parts_page(struct app *app, struct req *r, struct resp *w, const struct field_appointment *ap,
    int status, const struct typed *t)
{
	struct arena *a = r->arena;
	struct tval *ctx = app_page(app, r, "Parts on the job");
	struct parts_usage *u;
	struct parts_request_row *q;
	size_t nu, nq;
	long long van = 0;
	enum cs_result got;
	int rc;

	if (ctx == NULL)
		return 500;
	got = parts_van_of(&app->db, a, r->who.id, &van);
	if (got != CS_OK && got != CS_NOT_FOUND)
		return web_result_status(got);
	if ((got = parts_of_job(&app->db, a, ap->id, &u, &nu)) != CS_OK ||
	    (got = parts_requests_of_job(&app->db, a, ap->id, &q, &nq)) != CS_OK)
		return web_result_status(got);
	struct tval *stock = van_choices(app, r, van, t != NULL ? t->part : 0);

	rc = tval_set_int(a, ctx, "id", ap->id) | tval_set_int(a, ctx, "job_id", ap->id) | tval_set_str(a, ctx, "number", ap->ticket_number) |
	    tval_set_str(a, ctx, "summary", ap->summary) |
	    tval_set_bool(a, ctx, "on_site", strcmp(ap->status, "checked_in") == 0 ||
	    strcmp(ap->status, "checked_out") == 0) |
	    tval_set_bool(a, ctx, "completed", strcmp(ap->status, "completed") == 0) |
	    tval_set_bool(a, ctx, "has_van", van > 0) |
	    tval_set(a, ctx, "usages", usages_of(a, u, nu)) |
	    tval_set(a, ctx, "requests", requests_of(a, q, nq)) |
	    tval_set(a, ctx, "van_parts", stock) |
	    tval_set_bool(a, ctx, "has_van_parts", stock != NULL && tval_truthy(stock)) |
	    tval_set_bool(a, ctx, "has_requests", nq > 0) |
	    tval_set(a, ctx, "catalogue", catalogue_choices(app, r, t != NULL ? t->part : 0)) |
	    tval_set_str(a, ctx, "use_token", csrf_new(a)) |
	    tval_set_str(a, ctx, "request_token", csrf_new(a)) |
	    tval_set(a, ctx, "kinds", fields_select(a, kinds, NULL, 3, NULL));
	if (t != NULL) {
		rc |= tval_set_str(a, ctx, t->form[0] == 'u' ? "use_error" : "request_error",
		    t->error);
		rc |= fields_ctx(t->f, ctx);
	}
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/parts/job", ctx);
}

int
console_parts_job(struct app *app, struct req *r, struct resp *w)
{
	struct field_appointment ap;
	int st = mine(app, r, web_path_id(r, "id"), &ap);

	return st != 0 ? st : parts_page(app, r, w, &ap, 200, NULL);
}

/* The use form's fields; the request form has the first three. */
static const struct field_rule use_rules[] = {
	{ "token", "Form", FIELD_TEXT, 1, 1, FIELD_TOKEN_MAX, NULL },
	{ "part", "Part", FIELD_INT, 1, 1, 1LL << 53, NULL },
	{ "qty", "Quantity", FIELD_INT, 1, 1, PARTS_QTY_MAX, NULL },
	{ "kind", "How", FIELD_CHOICE, 1, 0, 0, kinds },
	{ "due_on", "Due back", FIELD_TEXT, 0, 0, 10, NULL },
	{ "serial", "Serial", FIELD_TEXT, 0, 0, 100, NULL },
};

/* The refused form again, with why at its top. */
static int
refused(struct app *app, struct req *r, struct resp *w, const struct field_appointment *ap,
    const char *form, const char *why, long long part, struct field_form *f)
{
	struct typed t = { form, why, part, f };

	return parts_page(app, r, w, ap, 422, &t);
}

static void
back(struct app *app, struct req *r, struct resp *w, long long id, const char *what)
{
	web_flash(app, r, w, "%s.", what);
	resp_redirect(w, arena_printf(r->arena, "/agent/field/jobs/%lld/parts", id));
}

/* The use form (use) or the request form (its first three fields). */
static int
job_post(struct app *app, struct req *r, struct resp *w, int use)
{
	struct field_actor by = { .staff_id = r->who.id };
	struct field_appointment ap;
	struct parts_use_in in;
	struct field_form f;
	const char *v[6], *why = NULL, *form = use ? "use" : "request";
	long long nums[6];
	enum cs_result rc;
	int st = mine(app, r, web_path_id(r, "id"), &ap);

	if (st != 0)
		return st;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, use_rules, use ? 6 : 3, v, nums);
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return refused(app, r, w, &ap, form, fields_first_error(&f), nums[1], &f);
	memset(&in, 0, sizeof(in));
	in.appointment_id = ap.id;
	in.part_id = nums[1];
	in.qty = (int)nums[2];
	in.token = v[0];
	if (use) {
		in.kind = parts_use_kind_parse(v[3]);
		in.due_on = *v[4] != '\0' ? v[4] : NULL;
		in.serial = v[5];
		rc = parts_use(&app->db, r->arena, &by, &in, &why);
	} else
		rc = parts_request(&app->db, r->arena, &by, ap.id, in.part_id, in.qty, in.token, &why);
	if (rc == CS_REFUSED)
		return refused(app, r, w, &ap, form, why, nums[1], &f);
	if (rc != CS_OK)
		return web_result_status(rc);
	back(app, r, w, ap.id, use ? "Part recorded" : "Part requested; the ticket waits for it");
	return 0;
}

int
console_parts_job_use(struct app *app, struct req *r, struct resp *w)
{
	return job_post(app, r, w, 1);
}

int
console_parts_job_request(struct app *app, struct req *r, struct resp *w)
{
	return job_post(app, r, w, 0);
}

int
console_parts_job_return(struct app *app, struct req *r, struct resp *w)
{
	struct field_actor by = { .staff_id = r->who.id };
	struct field_appointment ap;
	const char *why = NULL;
	long long usage = web_path_id(r, "usage");
	enum cs_result rc;
	int st = mine(app, r, web_path_id(r, "id"), &ap);

	if (st != 0)
		return st;
	if (usage <= 0)
		return 404;
	rc = parts_return(&app->db, r->arena, &by, usage, &why);
	if (rc == CS_REFUSED) {
		web_flash(app, r, w, "%s", why);
		resp_redirect(w, arena_printf(r->arena, "/agent/field/jobs/%lld/parts", ap.id));
		return 0;
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	back(app, r, w, ap.id, "Back in stock");
	return 0;
}

int
console_parts_job_report(struct app *app, struct req *r, struct resp *w)
{
	return parts_view_report_page(app, r, w, 0, "console/parts/report");
}
