/*
 * admin_teams.c — the admin pages for the team and skill lists: one page
 * over two lists (staff_groups.h), each with an add form and a rename
 * form per row. Routes and access (admin only) are in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/staff_groups.h"
#include "tmpl/tval.h"

/* The fields of the team and skill forms: a rename carries the row's id. */
static const struct field_rule named_rules[] = {
	{ "name", "Name", FIELD_TEXT, 1, 1, STAFF_GROUP_NAME_MAX, NULL },
	{ "id", "Row", FIELD_TEXT, 0, 0, 0, NULL },
};
enum { NM_NAME, NM_ID, NM__MAX };
_Static_assert(sizeof(named_rules) / sizeof(named_rules[0]) == NM__MAX, "one rule per field");

/* The team and skill pages: the same page over two lists. */
static const struct {
	const char *title, *singular, *url, *members;
} named_pages[STAFF_GROUP__MAX] = {
	[STAFF_TEAMS] = { "Teams", "team", "/agent/admin/teams", "Active members" },
	[STAFF_SKILLS] = { "Skills", "skill", "/agent/admin/skills", "Active staff with it" },
};


/*
 * The team or skill page. After a failed add, add_value and add_error
 * fill the add form; after a failed rename, row_id names the row that
 * shows row_value and row_error.
 */
struct named_failure {
	const char *add_value, *add_error;
	long long row_id;
	const char *row_value, *row_error;
};

static int
render(struct app *app, struct req *r, struct resp *w, const char *name, struct tval *ctx,
    int status)
{
	w->status = status;
	return app_render(app, r, w, name, ctx);
}

static int
named_render(struct app *app, struct req *r, struct resp *w, enum staff_group_kind kind,
    const struct named_failure *nf, int status)
{
	struct tval *ctx = app_page(app, r, named_pages[kind].title), *list;
	struct arena *a = r->arena;
	struct staff_group *rows;
	size_t n, i;
	int rc = 0, shown = nf->row_id == 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if (staff_group_list(&app->db, a, kind, &rows, &n) != CS_OK)
		return web_db_error(app);
	for (i = 0; i < n; i++) {
		struct tval *row = tval_map(a);
		int failed = nf->row_id != 0 && rows[i].id == nf->row_id;

		shown |= failed;

		rc |= tval_set_int(a, row, "id", rows[i].id);
		rc |= tval_set_str(a, row, "name", rows[i].name);
		rc |= tval_set_str(a, row, "value", failed ? nf->row_value : rows[i].name);
		rc |= tval_set_int(a, row, "members", rows[i].members);
		if (failed)
			rc |= tval_set_str(a, row, "error", nf->row_error);
		rc |= tval_push(a, list, row);
	}
	/* A rename of something that is not there. */
	if (!shown)
		return 404;
	rc |= tval_set(a, ctx, "rows", list);
	rc |= tval_set_str(a, ctx, "add_value", nf->add_value ? nf->add_value : "");
	if (nf->add_error != NULL)
		rc |= tval_set_str(a, ctx, "add_error", nf->add_error);
	rc |= tval_set_bool(a, ctx, "has_errors", nf->add_error || nf->row_error);
	rc |= tval_set_str(a, ctx, "title", named_pages[kind].title);
	rc |= tval_set_str(a, ctx, "singular", named_pages[kind].singular);
	rc |= tval_set_str(a, ctx, "url", named_pages[kind].url);
	rc |= tval_set_str(a, ctx, "members_label", named_pages[kind].members);
	if (rc)
		return 500;
	return render(app, r, w, "console/admin/named", ctx, status);
}

static int
named_page(struct app *app, struct req *r, struct resp *w, enum staff_group_kind kind)
{
	struct named_failure none = { 0 };

	return named_render(app, r, w, kind, &none, 200);
}

/* POST: add (no id) or rename (id) a team or skill. */
static int
named_post(struct app *app, struct req *r, struct resp *w, enum staff_group_kind kind)
{
	const char *v[NM__MAX], *typed, *msg;
	struct named_failure nf = { 0 };
	struct audit_entry by;
	struct field_form f;
	long long id = 0, added;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, named_rules, NM__MAX, v, NULL);
	if (f.failed)
		return 500;
	if (*v[NM_ID] != '\0' && (id = web_id(v[NM_ID])) == 0)
		return 400;
	/* What was typed goes back into the form, trimmed. */
	typed = tval_get(f.values, "name") ? tval_get(f.values, "name")->u.str.s : "";
	msg = f.nerrors ? tval_get(f.errors, "name")->u.str.s : NULL;
	if (msg == NULL) {
		web_audit_actor(r, &by);
		rc = id ? staff_group_rename(&app->db, &by, kind, id, v[NM_NAME], &msg) :
		    staff_group_add(&app->db, &by, kind, v[NM_NAME], &added, &msg);
		if (rc == CS_NOT_FOUND)
			return 404;
		if (rc == CS_TAKEN)
			msg = arena_printf(r->arena, "There is already a %s called “%s”.",
			    named_pages[kind].singular, v[NM_NAME]);
		else if (rc != CS_OK && rc != CS_REFUSED)
			return web_db_error(app);
	}
	if (msg != NULL) {
		if (id) {
			nf.row_id = id;
			nf.row_value = typed;
			nf.row_error = msg;
		} else {
			nf.add_value = typed;
			nf.add_error = msg;
		}
		return named_render(app, r, w, kind, &nf, 422);
	}
	web_flash(app, r, w, id ? "Renamed to “%s”." : "“%s” was added.",
	    utf8_short(r->arena, v[NM_NAME], FLASH_NAME));
	resp_redirect(w, named_pages[kind].url);
	return 0;
}

int
console_admin_teams(struct app *app, struct req *r, struct resp *w)
{
	return named_page(app, r, w, STAFF_TEAMS);
}

int
console_admin_teams_post(struct app *app, struct req *r, struct resp *w)
{
	return named_post(app, r, w, STAFF_TEAMS);
}

int
console_admin_skills(struct app *app, struct req *r, struct resp *w)
{
	return named_page(app, r, w, STAFF_SKILLS);
}

int
console_admin_skills_post(struct app *app, struct req *r, struct resp *w)
{
	return named_post(app, r, w, STAFF_SKILLS);
}
