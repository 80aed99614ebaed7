/*
 * admin_setup.c — the short lists routing and the ticket forms draw from:
 * GET|POST /agent/admin/queues, /categories, /product-categories,
 * /resolution-codes, /ticket-types. One page serves all five: each kind declares its
 * fields once (a form rule and how it is typed in), and the same
 * handler, template (console/admin/setup) and domain calls
 * (setup_admin.h) do the rest. Rows are added, changed and deactivated
 * (never deleted: tickets point at them). Routes and access (admin only)
 * are in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/setup_admin.h"
#include "domain/sla_calendars.h"
#include "domain/staff_groups.h"
#include "tmpl/tval.h"

#include <stdio.h>
#include <string.h>

/* How a field is typed in. */
enum setup_input {
	IN_TEXT,
	IN_NUMBER,
	IN_TEAM,	/* a select of the teams, "" for none */
	IN_SKILL,	/* a select of the skills, "" for none */
	IN_CHECK,	/* a checkbox: "t" when ticked */
	IN_PARENT,	/* a select of the top-level categories, "" for none */
	IN_CALENDAR,	/* a select of the business calendars, "" for none */
};

struct setup_field {
	struct field_rule rule;	/* name in setup_admin_columns order */
	enum setup_input input;
	const char *hint;	/* shown under the add form's field, or NULL */
	const char *initial;	/* the add form's value before anything is typed */
};

struct setup_page {
	const char *title, *singular, *url, *intro;
	struct setup_field fields[SETUP_FIELDS];
	size_t nfields;
};

static const struct setup_page pages[SETUP_KIND__MAX] = {
	[SETUP_QUEUES] = { "Queues", "queue", "/agent/admin/queues",
		"Routing rules send tickets to a queue. A queue that assigns automatically gives "
		"each new ticket to the least-loaded agent of its team who is on shift and has "
		"its required skill.", {
		{ { "name", "Name", FIELD_TEXT, 1, 1, SETUP_NAME_MAX, NULL }, IN_TEXT, NULL, "" },
		{ { "team_id", "Team", FIELD_TEXT, 0, 0, 20, NULL }, IN_TEAM, NULL, "" },
		{ { "auto_assign", "Assign automatically", FIELD_TEXT, 0, 0, 1, NULL }, IN_CHECK,
		    NULL, "t" },
		{ { "required_skill_id", "Required skill", FIELD_TEXT, 0, 0, 20, NULL }, IN_SKILL,
		    NULL, "" },
		/* Optional in a post (1, or as it was): older forms have no such field. */
		{ { "required_skill_level", "Skill level", FIELD_INT, 0, 1, 5, NULL }, IN_NUMBER,
		    "At least this level of the skill, from 1 to 5.", "1" },
		{ { "calendar_id", "Calendar", FIELD_TEXT, 0, 0, 20, NULL }, IN_CALENDAR,
		    "The hours automations count in business hours (else the SLA calendar's).", "" },
	}, 6 },
	[SETUP_CATEGORIES] = { "Categories", "category", "/agent/admin/categories",
		"What customers and agents choose a ticket's topic from, lowest position first. A "
		"category may have sub-categories, one level deep: the portal offers them after "
		"their category, and a routing rule, SLA policy or report for a category takes "
		"its sub-categories in.", {
		{ { "name", "Name", FIELD_TEXT, 1, 1, SETUP_NAME_MAX, NULL }, IN_TEXT, NULL, "" },
		{ { "position", "Position", FIELD_INT, 1, 0, SETUP_POSITION_MAX, NULL }, IN_NUMBER,
		    "A whole number from 0 to 10000.", "0" },
		{ { "parent_id", "Sub-category of", FIELD_TEXT, 0, 0, 20, NULL }, IN_PARENT, NULL,
		    "" },
	}, 3 },
	[SETUP_PRODUCT_CATEGORIES] = { "Product categories", "product category",
		"/agent/admin/product-categories",
		"What products are grouped by: return windows and warranty reports use it.", {
		{ { "name", "Name", FIELD_TEXT, 1, 1, SETUP_NAME_MAX, NULL }, IN_TEXT, NULL, "" },
	}, 1 },
	[SETUP_CODES] = { "Resolution codes", "resolution code",
		"/agent/admin/resolution-codes",
		"What agents pick when they resolve a ticket.", {
		{ { "code", "Code", FIELD_TEXT, 1, 1, SETUP_CODE_MAX, NULL }, IN_TEXT,
		    "Lower-case letters, digits and _ only, e.g. replaced_part.", "" },
		{ { "label", "Label", FIELD_TEXT, 1, 1, SETUP_NAME_MAX, NULL }, IN_TEXT, NULL, "" },
	}, 2 },
	[SETUP_TYPES] = { "Ticket types", "ticket type", "/agent/admin/ticket-types",
		"What kind of request a ticket is: customers choose one on the portal, agents on the "
		"ticket page, routing rules and reports go by it. Lowest position first; a "
		"deactivated type is no longer offered, its tickets keep it.", {
		{ { "code", "Code", FIELD_TEXT, 1, 1, SETUP_CODE_MAX, NULL }, IN_TEXT,
		    "Lower-case letters, digits and _ only, e.g. feature_request. The API uses it.",
		    "" },
		{ { "label", "Label", FIELD_TEXT, 1, 1, SETUP_NAME_MAX, NULL }, IN_TEXT, NULL, "" },
		{ { "position", "Position", FIELD_INT, 1, 0, SETUP_POSITION_MAX, NULL }, IN_NUMBER,
		    "A whole number from 0 to 10000.", "0" },
	}, 3 },
};

/* The teams and skills for IN_TEAM and IN_SKILL selects. */
struct groups {
	struct staff_group *rows;
	size_t n;
};
struct teams {
	struct groups g[STAFF_GROUP__MAX];	/* STAFF_TEAMS, STAFF_SKILLS */
	struct groups parents;			/* IN_PARENT: top-level categories */
	struct groups calendars;		/* IN_CALENDAR */
};

/* The group kind a select input lists, or STAFF_GROUP__MAX for none. */
static enum staff_group_kind
group_of(enum setup_input in)
{
	return in == IN_TEAM ? STAFF_TEAMS : in == IN_SKILL ? STAFF_SKILLS : STAFF_GROUP__MAX;
}

/* The top-level categories among rows (SETUP_CATEGORIES' list), for IN_PARENT. */
static int
parents_of(struct arena *a, const struct setup_row *rows, size_t n, struct groups *out)
{
	size_t i;

	out->n = 0;
	if ((out->rows = arena_calloc(a, n + 1, sizeof(*out->rows))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (*rows[i].v[2] == '\0') {
			out->rows[out->n].id = rows[i].id;
			out->rows[out->n++].name = rows[i].active ? rows[i].v[0] :
			    arena_printf(a, "%s (inactive)", rows[i].v[0]);
		}
	return 0;
}

/* The business calendars, for IN_CALENDAR. CS_OK or the failure. */
static enum cs_result
calendars_of(struct app *app, struct arena *a, struct groups *out)
{
	struct db_option *o;
	size_t i;
	enum cs_result rc = sla_calendar_options(&app->db, a, &o, &out->n);

	if (rc != CS_OK)
		return rc;
	if ((out->rows = arena_calloc(a, out->n + 1, sizeof(*out->rows))) == NULL)
		return CS_FAILED;
	for (i = 0; i < out->n; i++) {
		out->rows[i].id = o[i].id;
		out->rows[i].name = o[i].name;
	}
	return CS_OK;
}

/* The options list an IN_TEAM, IN_SKILL or IN_PARENT select draws from. */
static const struct groups *
options_of(const struct teams *t, enum setup_input in)
{
	return in == IN_PARENT ? &t->parents : in == IN_CALENDAR ? &t->calendars :
	    &t->g[group_of(in)];
}

/* Its "none" option's label. */
static const char *
none_label(enum setup_input in)
{
	return in == IN_TEAM ? "No team" : in == IN_SKILL ? "No skill" :
	    in == IN_CALENDAR ? "The SLA calendar's" : "None: a category";
}


/* Whether an input is a select of ids. */
static int
is_select(enum setup_input in)
{
	return group_of(in) != STAFF_GROUP__MAX || in == IN_PARENT || in == IN_CALENDAR;
}

/*
 * One form's fields for the template: {name, label, dom_id, form, value,
 * max, hint, is_text, is_number, is_select, is_check, checked, options,
 * error}. values/errors are per field (errors may hold NULLs).
 */
static struct tval *
cells(struct arena *a, const struct setup_page *pg, const char *form_id,
    const char *const *values, const char *const *errors, const struct teams *t)
{
	struct tval *list = tval_list(a);
	size_t i, k;
	int rc = list == NULL;

	for (i = 0; i < pg->nfields && !rc; i++) {
		const struct setup_field *fd = &pg->fields[i];
		struct tval *m = tval_map(a);

		rc |= tval_set_str(a, m, "name", fd->rule.name);
		rc |= tval_set_str(a, m, "label", fd->rule.label);
		rc |= tval_set_str(a, m, "dom_id", arena_printf(a, "%s-%s", form_id, fd->rule.name));
		rc |= tval_set_str(a, m, "form", form_id);
		rc |= tval_set_str(a, m, "value", values[i]);
		rc |= tval_set_int(a, m, "max", fd->rule.max);
		rc |= tval_set_str(a, m, "hint", fd->hint ? fd->hint : "");
		rc |= tval_set_bool(a, m, "is_text", fd->input == IN_TEXT);
		rc |= tval_set_bool(a, m, "is_number", fd->input == IN_NUMBER);
		rc |= tval_set_bool(a, m, "is_select", is_select(fd->input));
		rc |= tval_set_bool(a, m, "is_check", fd->input == IN_CHECK);
		rc |= tval_set_bool(a, m, "checked", strcmp(values[i], "t") == 0);
		rc |= tval_set_str(a, m, "error", errors[i] ? errors[i] : "");
		if (is_select(fd->input)) {
			const struct groups *gr = options_of(t, fd->input);
			struct tval *opts = tval_list(a);
			struct tval *o = tval_map(a);

			rc |= opts == NULL || o == NULL;
			rc |= tval_set_str(a, o, "value", "") |
			    tval_set_str(a, o, "label", none_label(fd->input)) |
			    tval_set_bool(a, o, "selected", values[i][0] == '\0') |
			    tval_push(a, opts, o);
			for (k = 0; k < gr->n && !rc; k++) {
				const char *id = arena_printf(a, "%lld", gr->rows[k].id);

				o = tval_map(a);
				rc |= id == NULL || o == NULL;
				rc |= tval_set_str(a, o, "value", id) |
				    tval_set_str(a, o, "label", gr->rows[k].name) |
				    tval_set_bool(a, o, "selected", strcmp(id, values[i]) == 0) |
				    tval_push(a, opts, o);
			}
			rc |= tval_set(a, m, "options", opts);
		}
		rc |= tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

/* What a failed post brings back: the row (0: the add form), its values and messages. */
struct setup_failure {
	long long row_id;
	const char *values[SETUP_FIELDS];
	const char *errors[SETUP_FIELDS];
	int active;
	const char *message;	/* above the form that failed */
};

static int
setup_render(struct app *app, struct req *r, struct resp *w, enum setup_kind kind,
    const struct setup_failure *sf, int status)
{
	const struct setup_page *pg = &pages[kind];
	struct tval *ctx = app_page(app, r, pg->title), *list;
	struct arena *a = r->arena;
	struct setup_row *rows;
	struct teams t;
	const char *blank[SETUP_FIELDS] = { "", "", "", "", "", "" };
	const char *initial[SETUP_FIELDS] = { "", "", "", "", "", "" };
	const char *none[SETUP_FIELDS] = { NULL, NULL, NULL, NULL, NULL, NULL };
	size_t n, i;
	int rc = 0, shown = sf == NULL || sf->row_id == 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	memset(&t, 0, sizeof(t));
	if (setup_admin_list(&app->db, a, kind, &rows, &n) != CS_OK ||
	    staff_group_list(&app->db, a, STAFF_TEAMS, &t.g[STAFF_TEAMS].rows,
	    &t.g[STAFF_TEAMS].n) != CS_OK ||
	    staff_group_list(&app->db, a, STAFF_SKILLS, &t.g[STAFF_SKILLS].rows,
	    &t.g[STAFF_SKILLS].n) != CS_OK)
		return web_db_error(app);
	if (kind == SETUP_CATEGORIES && parents_of(a, rows, n, &t.parents) < 0)
		return 500;
	if (kind == SETUP_QUEUES && calendars_of(app, a, &t.calendars) != CS_OK)
		return web_db_error(app);
	for (i = 0; i < n && !rc; i++) {
		struct tval *m = tval_map(a);
		const char *form_id = arena_printf(a, "row-%lld", rows[i].id);
		int failed = sf != NULL && sf->row_id == rows[i].id;

		shown |= failed;
		rc |= m == NULL || form_id == NULL;
		rc |= tval_set_int(a, m, "id", rows[i].id);
		rc |= tval_set_str(a, m, "form", form_id);
		rc |= tval_set_str(a, m, "row_name", rows[i].v[0]);
		rc |= tval_set_bool(a, m, "active", failed ? sf->active : rows[i].active);
		rc |= tval_set(a, m, "cells", cells(a, pg, form_id, failed ? sf->values :
		    rows[i].v, failed ? sf->errors : none, &t));
		rc |= tval_set_str(a, m, "message", failed && sf->message ? sf->message : "");
		rc |= tval_push(a, list, m);
	}
	/* A change to a row that is not there. */
	if (!shown)
		return 404;
	rc |= tval_set(a, ctx, "rows", list);
	rc |= tval_set(a, ctx, "columns", cells(a, pg, "col", blank, none, &t));
	for (i = 0; i < pg->nfields; i++)
		initial[i] = pg->fields[i].initial;
	rc |= tval_set(a, ctx, "add_fields", cells(a, pg, "add", sf != NULL && sf->row_id == 0 ?
	    sf->values : initial, sf != NULL && sf->row_id == 0 ? sf->errors : none, &t));
	rc |= tval_set_str(a, ctx, "add_message", sf != NULL && sf->row_id == 0 && sf->message ?
	    sf->message : "");
	rc |= tval_set_bool(a, ctx, "has_errors", sf != NULL);
	rc |= tval_set_str(a, ctx, "title", pg->title);
	rc |= tval_set_str(a, ctx, "singular", pg->singular);
	rc |= tval_set_str(a, ctx, "url", pg->url);
	rc |= tval_set_str(a, ctx, "intro", pg->intro);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/admin/setup", ctx);
}

/*
 * A category's parent v ("" none) for row row_id (0: a new one): a
 * top-level category other than itself, and only for a category without
 * sub-categories of its own. A message, or NULL.
 */
static const char *
parent_check(struct app *app, struct arena *a, long long row_id, const char *v, int *dberr)
{
	struct setup_row *rows;
	long long id = web_id(v);
	size_t n, k;
	int top = 0;

	if (*v == '\0')
		return NULL;
	if (setup_admin_list(&app->db, a, SETUP_CATEGORIES, &rows, &n) != CS_OK) {
		*dberr = 1;
		return NULL;
	}
	for (k = 0; k < n; k++) {
		if (row_id > 0 && web_id(rows[k].v[2]) == row_id)
			return "This category has sub-categories: it cannot become one.";
		top |= id > 0 && rows[k].id == id && *rows[k].v[2] == '\0';
	}
	if (!top || id == row_id)
		return "Choose one of the listed categories, or none.";
	return NULL;
}

/* Checks what only this kind knows; a message for field i, or NULL. */
static const char *
extra_check(struct app *app, struct arena *a, enum setup_kind kind, size_t i, const char *v,
    long long row_id, int *dberr)
{
	const struct setup_field *fd = &pages[kind].fields[i];

	if (fd->input == IN_PARENT)
		return parent_check(app, a, row_id, v, dberr);
	if (fd->input == IN_CALENDAR && *v != '\0') {
		struct groups cal;
		size_t k;

		if (calendars_of(app, a, &cal) != CS_OK) {
			*dberr = 1;
			return NULL;
		}
		for (k = 0; k < cal.n; k++)
			if (cal.rows[k].id == web_id(v))
				return NULL;
		return "Choose one of the listed calendars.";
	}

	if (group_of(fd->input) != STAFF_GROUP__MAX && *v != '\0') {
		struct staff_group *rows;
		long long id = web_id(v);
		size_t n, k;

		if (staff_group_list(&app->db, a, group_of(fd->input), &rows, &n) != CS_OK) {
			*dberr = 1;
			return NULL;
		}
		for (k = 0; id > 0 && k < n; k++)
			if (rows[k].id == id)
				return NULL;
		return fd->input == IN_TEAM ? "Choose one of the listed teams." :
		    "Choose one of the listed skills.";
	}
	if ((kind == SETUP_CODES || kind == SETUP_TYPES) && strcmp(fd->rule.name, "code") == 0 &&
	    strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(v))
		return "The code may hold lower-case letters, digits and _ only.";
	return NULL;
}

/* A change names its row and whether it stays active (a checkbox). */
static const struct field_rule row_rules[] = {
	{ "active", "Active", FIELD_TEXT, 0, 0, 1, NULL },
	{ "id", "Row", FIELD_TEXT, 0, 0, 0, NULL },
};
enum { ROW_ACTIVE, ROW_ID, ROW__MAX };
_Static_assert(sizeof(row_rules) / sizeof(row_rules[0]) == ROW__MAX, "one rule per field");

/* POST: add (no id) or change (id) a row of kind. */
static int
setup_post(struct app *app, struct req *r, struct resp *w, enum setup_kind kind)
{
	const struct setup_page *pg = &pages[kind];
	struct field_rule rules[SETUP_FIELDS + ROW__MAX];
	const char *vals[SETUP_FIELDS + ROW__MAX], *why;
	struct setup_failure sf;
	struct audit_entry by;
	struct field_form f;
	enum cs_result rc;
	long long id = 0;
	size_t i;
	int dberr = 0;

	memset(&sf, 0, sizeof(sf));
	if (fields_init(&f, r->arena) < 0)
		return 500;
	for (i = 0; i < pg->nfields; i++)
		rules[i] = pg->fields[i].rule;
	for (i = 0; i < ROW__MAX; i++)
		rules[pg->nfields + i] = row_rules[i];
	fields_check(&f, r, rules, pg->nfields + ROW__MAX, vals, NULL);
	if (f.failed)
		return 500;
	if (*vals[pg->nfields + ROW_ID] != '\0' && (id = web_id(vals[pg->nfields + ROW_ID])) == 0)
		return 400;
	sf.row_id = id;
	sf.active = strcmp(vals[pg->nfields + ROW_ACTIVE], "1") == 0;
	for (i = 0; i < SETUP_FIELDS; i++) {
		struct tval *typed, *err;

		sf.values[i] = "";
		if (i >= pg->nfields)
			continue;
		if (pg->fields[i].input == IN_CHECK) {
			vals[i] = sf.values[i] = strcmp(vals[i], "1") == 0 ? "t" : "f";
			continue;
		}
		typed = tval_get(f.values, pg->fields[i].rule.name);
		err = tval_get(f.errors, pg->fields[i].rule.name);
		sf.values[i] = typed != NULL ? typed->u.str.s : "";
		if (err != NULL)
			sf.errors[i] = err->u.str.s;
		else if ((sf.errors[i] = extra_check(app, r->arena, kind, i, vals[i], id,
		    &dberr)) != NULL)
			f.nerrors++;
		if (dberr)
			return web_db_error(app);
	}
	for (; i < SETUP_FIELDS; i++)
		vals[i] = "";
	if (f.nerrors) {
		sf.message = "Nothing was saved: see the messages next to the fields.";
		return setup_render(app, r, w, kind, &sf, 422);
	}
	web_audit_actor(r, &by);
	{
		long long added;

		rc = id ? setup_admin_update(&app->db, &by, kind, id, vals, sf.active, &why) :
		    setup_admin_add(&app->db, &by, kind, vals, &added, &why);
	}
	if (rc == CS_NOT_FOUND)
		return 404;
	if (rc == CS_TAKEN || rc == CS_REFUSED) {
		sf.message = rc == CS_TAKEN ? "That name is already in use: choose another." : why;
		sf.errors[0] = rc == CS_TAKEN ? sf.message : NULL;
		return setup_render(app, r, w, kind, &sf, 422);
	}
	if (rc != CS_OK)
		return web_db_error(app);
	web_flash(app, r, w, id ? "Changes to “%s” were saved." : "“%s” was added.",
	    utf8_short(r->arena, vals[0], FLASH_NAME));
	resp_redirect(w, pg->url);
	return 0;
}

int
console_admin_queues(struct app *app, struct req *r, struct resp *w)
{
	return setup_render(app, r, w, SETUP_QUEUES, NULL, 200);
}

int
console_admin_queues_post(struct app *app, struct req *r, struct resp *w)
{
	return setup_post(app, r, w, SETUP_QUEUES);
}

int
console_admin_categories(struct app *app, struct req *r, struct resp *w)
{
	return setup_render(app, r, w, SETUP_CATEGORIES, NULL, 200);
}

int
console_admin_categories_post(struct app *app, struct req *r, struct resp *w)
{
	return setup_post(app, r, w, SETUP_CATEGORIES);
}

int
console_admin_product_categories(struct app *app, struct req *r, struct resp *w)
{
	return setup_render(app, r, w, SETUP_PRODUCT_CATEGORIES, NULL, 200);
}

int
console_admin_product_categories_post(struct app *app, struct req *r, struct resp *w)
{
	return setup_post(app, r, w, SETUP_PRODUCT_CATEGORIES);
}

int
console_admin_codes(struct app *app, struct req *r, struct resp *w)
{
	return setup_render(app, r, w, SETUP_CODES, NULL, 200);
}

int
console_admin_codes_post(struct app *app, struct req *r, struct resp *w)
{
	return setup_post(app, r, w, SETUP_CODES);
}

int
console_admin_types(struct app *app, struct req *r, struct resp *w)
{
	return setup_render(app, r, w, SETUP_TYPES, NULL, 200);
}

int
console_admin_types_post(struct app *app, struct req *r, struct resp *w)
{
	return setup_post(app, r, w, SETUP_TYPES);
}
