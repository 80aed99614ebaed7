/* field_photo_view.c — see field_photo_view.h. */
#include "web/send_file.h"
#include "web/field_photo_view.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/http.h"
#include "core/router.h"
#include "tmpl/tval.h"
#include "web/app.h"
#include "web/fields.h"
#include "web/result.h"

#include <string.h>

struct field_photo_viewer
field_photo_viewer_of(const struct req *r, long long customer_id)
{
	struct field_photo_viewer v = { 0, 0, 0 };

	if (customer_id > 0)
		v.customer_id = customer_id;
	else {
		v.staff_id = r->who.id;
		v.all_jobs = (r->who.access & (ACCESS_AGENT | ACCESS_SUPERVISOR | ACCESS_ADMIN)) != 0;
	}
	return v;
}

struct tval *
field_photo_view_list(struct arena *a, const struct field_photo *rows, size_t n, const char *base)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; !rc && i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= m == NULL || tval_set_int(a, m, "id", rows[i].id) ||
		    tval_set_str(a, m, "href", arena_printf(a, "%s/%lld", base, rows[i].id)) ||
		    tval_set_str(a, m, "caption", rows[i].caption) ||
		    tval_set_str(a, m, "filename", rows[i].filename) ||
		    tval_set_str(a, m, "taken", rows[i].taken) ||
		    tval_set_bool(a, m, "shared", rows[i].shared) || tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

int
field_photo_view_ctx(struct app *app, struct req *r, struct tval *ctx, long long id,
    long long customer_id, const char *base)
{
	struct field_photo_viewer v = field_photo_viewer_of(r, customer_id);
	struct field_photo *rows;
	size_t n;
	enum cs_result rc;

	if ((rc = field_photos_of(&app->db, r->arena, &v, id, &rows, &n)) != CS_OK)
		return web_result_status(rc);
	return field_photo_view_set(r->arena, ctx, rows, n, base);
}

int
field_photo_view_set(struct arena *a, struct tval *ctx, const struct field_photo *rows, size_t n,
    const char *base)
{
	if (base == NULL || tval_set(a, ctx, "photos", field_photo_view_list(a, rows, n, base)) < 0 ||
	    tval_set_bool(a, ctx, "has_photos", n > 0) < 0)
		return 500;
	return 0;
}

int
field_photo_view_send(struct app *app, struct req *r, struct resp *w, long long customer_id)
{
	struct field_photo_viewer v = field_photo_viewer_of(r, customer_id);
	struct field_photo_file f;
	long long id = web_path_id(r, "id"), photo = web_path_id(r, "photo");
	enum cs_result rc;

	if (id <= 0 || photo <= 0)
		return 404;
	if ((rc = field_photo_file(&app->db, r->arena, &v, id, photo, &f)) != CS_OK)
		return web_result_status(rc);
	/* The type found in the bytes when it was stored (053's CHECK lists the three). */
	return web_send_file(r, w, &(struct web_file){ .type = f.content_type, .data = f.data,
	    .len = f.len, .disposition = "inline", .filename = f.filename,
	    .cache = "private, max-age=3600" });
}
