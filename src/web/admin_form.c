/* admin_form.c — see admin_form.h. */
#include "web/admin_form.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <string.h>

const char *
admin_form_entered(const struct field_form *f, const char *field)
{
	const struct tval *v = tval_get(f->values, field);

	return v != NULL ? v->u.str.s : NULL;
}

int
admin_form_ticked(const struct field_form *f, const char *field)
{
	const char *v = admin_form_entered(f, field);

	return v != NULL && *v != '\0';
}

int
admin_list_page(struct app *app, struct req *r, struct resp *w, const char *title,
    const char *template, const char *key, const void *rows, size_t n, size_t size,
    int (*row)(struct arena *a, struct tval *m, const void *row))
{
	struct arena *a = r->arena;
	struct tval *ctx = app_page(app, r, title), *list = tval_list(a);
	size_t i;
	int rc = ctx == NULL || list == NULL;

	for (i = 0; !rc && i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= m == NULL || row(a, m, (const char *)rows + i * size) != 0;
		rc |= tval_push(a, list, m);
	}
	if (rc || tval_set(a, ctx, key, list))
		return 500;
	return app_render(app, r, w, template, ctx);
}

/* The form page for st with status: the page's own keys, the action, f and e. */
static int
render(struct app *app, struct req *r, struct resp *w, const struct admin_form *form,
    struct admin_form_state *st, int status)
{
	struct arena *a = r->arena;
	struct tval *ctx;
	int rc;

	if (st->f.failed)
		return 500;
	if ((ctx = app_page(app, r, st->id ? form->title_edit : form->title_new)) == NULL)
		return 500;
	if (form->fill != NULL && (rc = form->fill(app, r, st, ctx)) != 0)
		return rc;
	rc = tval_set_str(a, ctx, "action", st->id ? arena_printf(a, "%s/%lld", form->base,
	    st->id) : arena_printf(a, "%s/new", form->base));
	rc |= tval_set_bool(a, ctx, "editing", st->id != 0);
	if (rc || fields_ctx(&st->f, ctx) < 0)
		return 500;
	w->status = status;
	return app_render(app, r, w, form->template, ctx);
}

/* Starts st for object id; 0, or -1 when out of memory. */
static int
state_init(struct admin_form_state *st, struct req *r, long long id)
{
	memset(st, 0, sizeof(*st));
	st->id = id;
	return fields_init(&st->f, r->arena);
}

/* Loads the stored object id into st: 0, or the status to answer (404 for none). */
static int
load(struct app *app, struct req *r, const struct admin_form *form,
    struct admin_form_state *st, long long id)
{
	enum cs_result res;

	if (id == 0)
		return 404;
	if (state_init(st, r, id) < 0)
		return 500;
	if ((res = form->load(app, r, st)) != CS_OK)
		return web_result_status(res);
	return st->f.failed ? 500 : 0;
}

int
admin_form_new(struct app *app, struct req *r, struct resp *w, const struct admin_form *form)
{
	struct admin_form_state st;

	if (state_init(&st, r, 0) < 0)
		return 500;
	if (form->defaults != NULL && form->defaults(app, r, &st) < 0)
		return 500;
	return render(app, r, w, form, &st, 200);
}

int
admin_form_edit(struct app *app, struct req *r, struct resp *w, const struct admin_form *form)
{
	struct admin_form_state st;
	int rc = load(app, r, form, &st, web_path_id(r, "id"));

	return rc != 0 ? rc : render(app, r, w, form, &st, 200);
}

/* Checks and saves the posted form for id (0: a new one; stored: what load kept of it). */
static int
post(struct app *app, struct req *r, struct resp *w, const struct admin_form *form, long long id,
    const void *stored)
{
	struct admin_form_state st;
	struct audit_entry by;
	const char **v;
	long long *nums;
	enum cs_result rc;
	int made;

	if (state_init(&st, r, id) < 0)
		return 500;
	st.stored = stored;
	v = arena_alloc(r->arena, form->nrules * sizeof(*v));
	nums = arena_alloc(r->arena, form->nrules * sizeof(*nums));
	if (v == NULL || nums == NULL)
		return 500;
	fields_check(&st.f, r, form->rules, form->nrules, v, nums);
	if (st.f.failed)
		return 500;
	web_audit_actor(r, &by);
	rc = form->save(app, r, &st, v, nums, &by);
	if (rc == CS_REFUSED || rc == CS_TAKEN)
		return render(app, r, w, form, &st, 422);
	if (rc != CS_OK)
		return web_result_status(rc);
	made = id == 0 && form->made_before != NULL;
	web_flash(app, r, w, "%s%s%s", made ? form->made_before : form->saved_before,
	    utf8_short(r->arena, st.name != NULL ? st.name : "", FLASH_NAME),
	    made ? form->made_after : form->saved_after);
	resp_redirect(w, form->base);
	return 0;
}

int
admin_form_create(struct app *app, struct req *r, struct resp *w,
    const struct admin_form *form)
{
	return post(app, r, w, form, 0, NULL);
}

int
admin_form_update(struct app *app, struct req *r, struct resp *w,
    const struct admin_form *form)
{
	struct admin_form_state stored;
	long long id = web_path_id(r, "id");
	int rc = load(app, r, form, &stored, id);

	return rc != 0 ? rc : post(app, r, w, form, id, stored.extra);
}
