/*
 * field_photos.c — photos of a visit, from the technician's phone:
 * GET /agent/field/jobs/{id}/photos shows them (staff who may see the
 * visit: everyone but a technician, who sees their own jobs) and, for the
 * technician assigned, a form that takes several at once from the camera
 * with a caption and whether the customer may see them (a plain file
 * input: no script needed), and per photo its caption and sharing.
 * A refused upload comes back at 422 with the sentence naming the file and
 * the caption as typed. GET …/photos/{photo} serves one photo.
 */
#include "console/handlers.h"
#include "core/arena.h"
#include "core/form.h"
#include "domain/field.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"
#include "web/field_photo_view.h"
#include "web/fields.h"
#include "web/result.h"

#include <string.h>

static const char *const yes[] = { "yes", NULL };

static const struct field_rule add_rules[] = {
	{ "caption", "Caption", FIELD_TEXT, 0, 0, FIELD_PHOTO_CAPTION_MAX, NULL },
	{ "shared", "Show to the customer", FIELD_CHOICE, 0, 0, 0, yes },
};

/* The visit, if the signed-in person may see it: 0, or the status to answer. */
static int
visible(struct app *app, struct req *r, long long id, struct field_appointment *ap)
{
	struct field_photo_viewer v = field_photo_viewer_of(r, 0);
	enum cs_result rc;

	if (id <= 0)
		return 404;
	if ((rc = field_appointment(&app->db, r->arena, id, ap)) != CS_OK)
		return web_result_status(rc);
	return v.all_jobs || ap->technician_id == r->who.id ? 0 : 404;
}

static int
photos_page(struct app *app, struct req *r, struct resp *w, const struct field_appointment *ap,
    int status, const char *error, struct field_form *f)
{
	struct arena *a = r->arena;
	struct field_photo_viewer v = field_photo_viewer_of(r, 0);
	struct tval *ctx = app_page(app, r, "Photos of the visit");
	struct field_photo *rows;
	size_t n;
	enum cs_result got;
	int rc, mine = ap->technician_id == r->who.id && strcmp(ap->status, "cancelled") != 0;
	const char *base = arena_printf(a, "/agent/field/jobs/%lld/photos", ap->id);

	if (ctx == NULL || base == NULL)
		return 500;
	if ((got = field_photos_of(&app->db, a, &v, ap->id, &rows, &n)) != CS_OK)
		return web_result_status(got);
	rc = tval_set_int(a, ctx, "id", ap->id) | tval_set_int(a, ctx, "job_id", ap->id) |
	    tval_set_str(a, ctx, "number", ap->ticket_number) |
	    tval_set_str(a, ctx, "summary", ap->summary) |
	    tval_set_bool(a, ctx, "mine", mine) |
	    tval_set_bool(a, ctx, "room", mine && n < FIELD_PHOTOS_PER_VISIT) |
	    tval_set_bool(a, ctx, "completed", strcmp(ap->status, "completed") == 0) |
	    tval_set_int(a, ctx, "max", FIELD_PHOTOS_PER_VISIT) |
	    tval_set_int(a, ctx, "caption_max", FIELD_PHOTO_CAPTION_MAX) |
	    tval_set(a, ctx, "photos", field_photo_view_list(a, rows, n, base)) |
	    (error != NULL ? tval_set_str(a, ctx, "error", error) : 0) |
	    (f != NULL ? fields_ctx(f, ctx) : 0);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/field/photos", ctx);
}

int
console_field_photos(struct app *app, struct req *r, struct resp *w)
{
	struct field_appointment ap;
	int st = visible(app, r, web_path_id(r, "id"), &ap);

	return st != 0 ? st : photos_page(app, r, w, &ap, 200, NULL, NULL);
}

/* The files sent under "photo" (a file input with multiple), empty ones too: they are refused by name. */
static size_t
sent_photos(const struct req *r, struct ticket_file *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < r->body.nfiles && n < max; i++) {
		const struct form_file *f = &r->body.files[i];

		if (strcmp(f->field, "photo") != 0)
			continue;
		out[n].filename = f->filename;
		out[n].content_type = f->content_type;
		out[n].data = f->data;
		out[n].len = f->len;
		n++;
	}
	return n;
}

/*
 * A form of the technician assigned: the visit in *ap and the caption and
 * shared fields checked into f and v. 0 to go on, -1 when the page with
 * the fields' message was answered (*st its status), else the status.
 */
static int
technicians_form(struct app *app, struct req *r, struct resp *w, struct field_appointment *ap,
    struct field_form *f, const char **v, int *st)
{
	int rc = visible(app, r, web_path_id(r, "id"), ap);

	if (rc != 0)
		return rc;
	if (ap->technician_id != r->who.id)
		return 404;
	if (fields_init(f, r->arena) < 0)
		return 500;
	fields_check(f, r, add_rules, 2, v, NULL);
	if (f->failed)
		return 500;
	if (f->nerrors == 0)
		return 0;
	*st = photos_page(app, r, w, ap, 422, fields_first_error(f), f);
	return -1;
}

int
console_field_photos_add(struct app *app, struct req *r, struct resp *w)
{
	struct field_actor by = { .staff_id = r->who.id };
	struct field_appointment ap;
	struct ticket_file files[32];
	struct field_form f;
	const char *v[2], *why = NULL;
	size_t n, added = 0;
	enum cs_result rc;
	int st = 0, go = technicians_form(app, r, w, &ap, &f, v, &st);

	if (go != 0)
		return go < 0 ? st : go;
	n = sent_photos(r, files, sizeof(files) / sizeof(files[0]));
	rc = field_photos_add(&app->db, r->arena, &by, ap.id, files, n, v[0], *v[1] != '\0',
	    &added, &why);
	if (rc == CS_REFUSED) {
		fields_error(&f, "photo", why);
		return photos_page(app, r, w, &ap, 422, why, &f);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	if (added == 0)
		web_flash(app, r, w, "The visit has those photos already.");
	else
		web_flash(app, r, w, "%zu photo%s added.", added, added == 1 ? "" : "s");
	resp_redirect(w, arena_printf(r->arena, "/agent/field/jobs/%lld/photos", ap.id));
	return 0;
}

int
console_field_photo_update(struct app *app, struct req *r, struct resp *w)
{
	struct field_actor by = { .staff_id = r->who.id };
	struct field_appointment ap;
	struct field_form f;
	const char *v[2], *why = NULL;
	long long photo = web_path_id(r, "photo");
	enum cs_result rc;
	int st = 0, go;

	if (photo <= 0)
		return 404;
	if ((go = technicians_form(app, r, w, &ap, &f, v, &st)) != 0)
		return go < 0 ? st : go;
	rc = field_photo_update(&app->db, r->arena, &by, ap.id, photo, v[0], *v[1] != '\0', &why);
	if (rc == CS_REFUSED)
		return photos_page(app, r, w, &ap, 422, why, NULL);
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "%s", *v[1] != '\0' ? "Photo saved; the customer sees it." :
	    "Photo saved; only staff see it.");
	resp_redirect(w, arena_printf(r->arena, "/agent/field/jobs/%lld/photos", ap.id));
	return 0;
}

int
console_field_photo(struct app *app, struct req *r, struct resp *w)
{
	return field_photo_view_send(app, r, w, 0);
}
