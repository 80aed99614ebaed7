/*
 * admin_staff.c — the admin pages for people who work here: the admin
 * home, the staff list, creating and editing a staff member, and the team
 * and skill lists. Routes and access (admin only) are in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "console/admin_staff_skills.h"
#include "auth/password.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/staff.h"
#include "domain/staff_groups.h"
#include "tmpl/tval.h"

#include <stdio.h>
#include <string.h>

#define STAFF_URL "/agent/admin/staff"

/* Labels of the roles, in staff_roles order. */
static const char *const role_labels[STAFF_NROLES] = {
	"Agent", "Supervisor", "Technician", "Admin", "Warehouse",
};

/* Days of the week as the form sends them (1 = Monday) and as people read them. */
static const char *const day_values[7] = { "1", "2", "3", "4", "5", "6", "7" };
static const char *const day_labels[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

static const char *const level_values[] = { "1", "2", "3", "4", "5", NULL };

/* The fields of the new-staff form (the roles, a checkbox group, are read apart). */
static const struct field_rule new_rules[] = {
	{ "name", "Name", FIELD_TEXT, 1, 1, STAFF_NAME_MAX, NULL },
	{ "email", "E-mail address", FIELD_EMAIL, 1, 0, 0, NULL },
	{ "password", "Initial password", FIELD_PASSWORD, 1, 0, 0, NULL },
	{ "team_id", "Team", FIELD_TEXT, 0, 0, 0, NULL },
};
enum { NEW_NAME, NEW_EMAIL, NEW_PASSWORD, NEW_TEAM, NEW__MAX };
_Static_assert(sizeof(new_rules) / sizeof(new_rules[0]) == NEW__MAX, "one rule per field");

/* The fields of the edit form (roles, skills and days, checkbox groups, apart). */
static const struct field_rule edit_rules[] = {
	{ "name", "Name", FIELD_TEXT, 1, 1, STAFF_NAME_MAX, NULL },
	{ "languages", "Languages", FIELD_TEXT, 1, 2, STAFF_LANGUAGES_TYPED_MAX, NULL },
	{ "capacity", "Capacity", FIELD_INT, 1, 0, STAFF_CAPACITY_MAX, NULL },
	{ "work_start", "Start time", FIELD_TEXT, 1, 5, 8, NULL },
	{ "work_end", "End time", FIELD_TEXT, 1, 5, 8, NULL },
	{ "time_zone", "Time zone", FIELD_TEXT, 1, 1, STAFF_ZONE_MAX, NULL },
	{ "escalation_level", "Escalation level", FIELD_INT, 1, 1, STAFF_LEVEL_MAX, NULL },
	{ "team_id", "Team", FIELD_TEXT, 0, 0, 0, NULL },
	{ "active", "Active", FIELD_TEXT, 0, 0, 0, NULL },
};
enum { ED_NAME, ED_LANGS, ED_CAPACITY, ED_START, ED_END, ED_ZONE, ED_LEVEL, ED_TEAM, ED_ACTIVE,
	ED__MAX };
_Static_assert(sizeof(edit_rules) / sizeof(edit_rules[0]) == ED__MAX, "one rule per field");

static int
render(struct app *app, struct req *r, struct resp *w, const char *name, struct tval *ctx,
    int status)
{
	w->status = status;
	return app_render(app, r, w, name, ctx);
}

/* The roles ticked in the form; *bad set when one is not a role at all. */
static unsigned
roles_posted(const struct req *r, int *bad)
{
	const char *v[16];
	size_t n = fields_all(r, "roles", v, 16), i, k;
	unsigned mask = 0;

	*bad = 0;
	for (i = 0; i < n; i++) {
		for (k = 0; k < STAFF_NROLES; k++)
			if (strcmp(v[i], staff_roles[k]) == 0)
				break;
		if (k == STAFF_NROLES)
			*bad = 1;
		else
			mask |= 1u << k;
	}
	return mask;
}

static struct tval *
role_options(struct arena *a, unsigned mask)
{
	unsigned char checked[STAFF_NROLES];
	size_t i;

	for (i = 0; i < STAFF_NROLES; i++)
		checked[i] = (mask >> i) & 1u;
	return fields_options(a, staff_roles, role_labels, STAFF_NROLES, checked);
}

/* The teams or skills as value/label arrays for fields_options; 0 or -1. */
static int
named_choices(struct app *app, struct arena *a, enum staff_group_kind kind,
    const char ***values, const char ***labels, struct staff_group **rows, size_t *n)
{
	size_t i;

	if (staff_group_list(&app->db, a, kind, rows, n) != CS_OK)
		return -1;
	*values = arena_calloc(a, *n + 1, sizeof(**values));
	*labels = arena_calloc(a, *n + 1, sizeof(**labels));
	if (*values == NULL || *labels == NULL)
		return -1;
	for (i = 0; i < *n; i++) {
		(*values)[i] = arena_printf(a, "%lld", (*rows)[i].id);
		(*labels)[i] = (*rows)[i].name;
		if ((*values)[i] == NULL)
			return -1;
	}
	return 0;
}

/* The team select: "No team" and every team, current picked. */
static struct tval *
team_options(struct app *app, struct arena *a, long long current, int *dberr)
{
	struct staff_group *rows;
	const char **values, **labels, **v2, **l2;
	size_t n;

	*dberr = 0;
	if (named_choices(app, a, STAFF_TEAMS, &values, &labels, &rows, &n) < 0) {
		*dberr = 1;
		return NULL;
	}
	v2 = arena_calloc(a, n + 2, sizeof(*v2));
	l2 = arena_calloc(a, n + 2, sizeof(*l2));
	if (v2 == NULL || l2 == NULL)
		return NULL;
	v2[0] = "";
	l2[0] = "No team";
	memcpy(v2 + 1, values, n * sizeof(*v2));
	memcpy(l2 + 1, labels, n * sizeof(*l2));
	return fields_select(a, v2, l2, n + 1, current > 0 ? arena_printf(a, "%lld", current) : "");
}

/*
 * The team picked in the form: 0 for none, the id of a listed team, or -1
 * (with a message in f) for anything else.
 */
static long long
team_posted(struct app *app, const struct req *r, struct field_form *f, const char *v,
    int *dberr)
{
	struct staff_group *rows;
	size_t n, i;
	long long id;

	*dberr = 0;
	if (*v == '\0')
		return 0;
	if (staff_group_list(&app->db, r->arena, STAFF_TEAMS, &rows, &n) != CS_OK) {
		*dberr = 1;
		return -1;
	}
	id = web_id(v);
	for (i = 0; id > 0 && i < n; i++)
		if (rows[i].id == id)
			return id;
	fields_error(f, "team_id", "Choose one of the listed teams.");
	return -1;
}

int
console_admin_home(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Administration");

	if (ctx == NULL)
		return 500;
	return app_render(app, r, w, "console/admin/index", ctx);
}

/* --- the staff list ------------------------------------------------------ */

static const char *const active_values[] = { "", "yes", "no" };
static const char *const active_labels[] = { "Everyone", "Active", "Inactive" };

/* A link to the list with the same filters, continuing after after (0: from the start). */
static const char *
staff_list_url(struct arena *a, const char *text, const char *active, long long after)
{
	struct buf b;

	buf_init(&b, a);
	buf_addstr(&b, STAFF_URL "?q=");
	url_encode(&b, text);
	buf_addstr(&b, "&active=");
	url_encode(&b, active);
	if (after > 0)
		buf_printf(&b, "&after=%lld", after);
	return buf_failed(&b) ? NULL : b.buf;
}

static struct tval *
role_badges(struct arena *a, const char *csv)
{
	struct tval *list = tval_list(a);
	int rc = list ? 0 : -1;

	while (rc == 0 && *csv) {
		size_t len = strcspn(csv, ",");

		rc |= tval_push(a, list, tval_strn(a, csv, len));
		csv += len + (csv[len] == ',');
	}
	return rc ? NULL : list;
}

int
console_admin_staff_list(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Staff"), *list;
	struct arena *a = r->arena;
	struct staff_query q = { .active = -1 };
	struct staff_row *rows;
	const char *text = req_query(r, "q"), *active = req_query(r, "active");
	size_t n, i;
	long long next;
	int rc = 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if (web_query_key(r, "after", &q.after) < 0)
		return app_bad_query(app, r, w, "after", NULL, NULL);
	text = fields_trim(a, text ? text : "");
	if (text == NULL)
		return 500;
	q.text = text;
	if (active == NULL || !fields_in(active, active_values, 3))
		active = "";
	q.active = *active == '\0' ? -1 : strcmp(active, "yes") == 0;
	switch (staff_list(&app->db, a, &q, &rows, &n, &next)) {
	case CS_OK:
		break;
	case CS_REFUSED:	/* a search longer than any name */
		return app_bad_query(app, r, w, "q", NULL, NULL);
	default:
		return web_db_error(app);
	}
	for (i = 0; i < n; i++) {
		struct tval *row = tval_map(a);

		rc |= tval_set_int(a, row, "id", rows[i].id);
		rc |= tval_set_str(a, row, "name", rows[i].name);
		rc |= tval_set_str(a, row, "email", rows[i].email);
		rc |= tval_set(a, row, "roles", role_badges(a, rows[i].roles));
		rc |= tval_set_str(a, row, "team", rows[i].team);
		rc |= tval_set_bool(a, row, "active", rows[i].active);
		rc |= tval_set_bool(a, row, "totp", rows[i].totp);
		rc |= tval_push(a, list, row);
	}
	rc |= tval_set(a, ctx, "staff", list);
	rc |= tval_set_str(a, ctx, "q", text);
	rc |= tval_set(a, ctx, "active_options", fields_select(a, active_values, active_labels, 3,
	    active));
	rc |= tval_set_bool(a, ctx, "pager", next > 0 || q.after > 0);
	if (next > 0)
		rc |= tval_set_str(a, ctx, "next_url", staff_list_url(a, text, active, next));
	if (q.after > 0)
		rc |= tval_set_str(a, ctx, "first_url", staff_list_url(a, text, active, 0));
	if (rc)
		return 500;
	return app_render(app, r, w, "console/admin/staff_list", ctx);
}

/* --- creating a staff member -------------------------------------------- */

static int
staff_new_render(struct app *app, struct req *r, struct resp *w, struct field_form *f,
    unsigned roles, long long team, int status)
{
	struct tval *ctx = app_page(app, r, "New staff member");
	struct arena *a = r->arena;
	int rc = 0, dberr;

	if (ctx == NULL)
		return 500;
	rc |= fields_ctx(f, ctx);
	rc |= tval_set(a, ctx, "role_options", role_options(a, roles));
	rc |= tval_set(a, ctx, "team_options", team_options(app, a, team, &dberr));
	if (dberr)
		return web_db_error(app);
	if (rc)
		return 500;
	return render(app, r, w, "console/admin/staff_new", ctx, status);
}

int
console_admin_staff_new_form(struct app *app, struct req *r, struct resp *w)
{
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	/* Most people added are agents. */
	return staff_new_render(app, r, w, &f, 1u << STAFF_AGENT, 0, 200);
}

int
console_admin_staff_create(struct app *app, struct req *r, struct resp *w)
{
	const char *v[NEW__MAX], *why, *roles;
	char hash[PASSWORD_HASH_MAX];
	struct audit_entry by;
	struct field_form f;
	struct staff_new in;
	enum cs_result rc;
	unsigned mask;
	long long team, id;
	int bad, dberr;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, new_rules, NEW__MAX, v, NULL);
	mask = roles_posted(r, &bad);
	if (bad || mask == 0)
		fields_error(&f, "roles", bad ? "Choose roles from the list." :
		    "Choose at least one role.");
	team = team_posted(app, r, &f, v[NEW_TEAM], &dberr);
	if (dberr)
		return web_db_error(app);
	if (*v[NEW_PASSWORD] != '\0' && *v[NEW_NAME] != '\0' && *v[NEW_EMAIL] != '\0' &&
	    (why = password_weakness(v[NEW_PASSWORD], v[NEW_EMAIL], v[NEW_NAME])) != NULL)
		fields_error(&f, "password", why);
	roles = staff_roles_csv(r->arena, mask);
	if (roles == NULL || f.failed)
		return 500;
	if (f.nerrors)
		return staff_new_render(app, r, w, &f, mask, team, 422);
	if (password_hash(v[NEW_PASSWORD], hash) < 0)
		return 503;
	web_audit_actor(r, &by);
	in.name = v[NEW_NAME];
	in.email = v[NEW_EMAIL];
	in.roles = roles;
	in.team_id = team;
	in.password_hash = hash;
	rc = staff_create(&app->db, &by, &in, &id, &why);
	sodium_memzero(hash, sizeof(hash));
	if (rc == CS_TAKEN || rc == CS_REFUSED) {
		if (rc == CS_TAKEN)
			fields_error(&f, "email", "A staff member with this e-mail address already "
			    "exists.");
		else
			fields_error(&f, strcmp(why, STAFF_WHY_TEAM) == 0 ? "team_id" : "name", why);
		return staff_new_render(app, r, w, &f, mask, rc == CS_TAKEN ? team : 0, 422);
	}
	if (rc != CS_OK)
		return web_db_error(app);
	web_flash(app, r, w, "%s was added.", utf8_short(r->arena, v[NEW_NAME], FLASH_NAME));
	resp_redirect(w, arena_printf(r->arena, STAFF_URL "/%lld", id));
	return 0;
}

/* --- editing a staff member --------------------------------------------- */

/* Fills f from p: what the edit form shows before anything is typed. */
static void
person_values(struct field_form *f, const struct staff_person *p)
{
	struct arena *a = f->a;
	struct buf langs;
	const char *c;

	/* "en, fr" reads better than "en,fr". */
	buf_init(&langs, a);
	for (c = p->languages; *c; c++) {
		if (*c == ',')
			buf_addstr(&langs, ", ");
		else
			buf_addch(&langs, *c);
	}
	if (buf_failed(&langs))
		f->failed = 1;
	fields_value(f, "name", p->name);
	fields_value(f, "languages", langs.buf);
	fields_value(f, "capacity", arena_printf(a, "%d", p->capacity));
	fields_value(f, "work_start", p->work_start);
	fields_value(f, "work_end", p->work_end);
	fields_value(f, "time_zone", p->time_zone);
	fields_value(f, "escalation_level", arena_printf(a, "%d", p->escalation_level));
}

/*
 * The edit page. stored is the person as stored (e-mail, second factor);
 * shown carries the roles, team, skills, days and activity to show ticked
 * (stored ones, or those just posted).
 */
static int
staff_edit_render(struct app *app, struct req *r, struct resp *w, struct field_form *f,
    const struct staff_person *stored, const struct staff_person *shown,
    int status)
{
	struct tval *ctx = app_page(app, r, stored->name), *person;
	struct arena *a = r->arena;
	struct staff_group *skills;
	unsigned char days[7];
	size_t n, i;
	int rc = 0, dberr;

	if (ctx == NULL || (person = tval_map(a)) == NULL)
		return 500;
	if (staff_group_list(&app->db, a, STAFF_SKILLS, &skills, &n) != CS_OK)
		return web_db_error(app);
	for (i = 0; i < 7; i++)
		days[i] = (shown->work_days >> i) & 1u;
	rc |= tval_set_int(a, person, "id", stored->id);
	rc |= tval_set_str(a, person, "name", stored->name);
	rc |= tval_set_str(a, person, "email", stored->email);
	rc |= tval_set_bool(a, person, "totp", stored->totp);
	rc |= tval_set_bool(a, person, "active", stored->active);
	rc |= tval_set(a, ctx, "person", person);
	rc |= tval_set_bool(a, ctx, "self", stored->id == r->who.id);
	rc |= tval_set_bool(a, ctx, "active_checked", shown->active);
	rc |= fields_ctx(f, ctx);
	rc |= tval_set(a, ctx, "role_options", role_options(a, staff_roles_mask(shown->roles)));
	rc |= tval_set(a, ctx, "skill_options", staff_skill_options(a, skills, n, shown));
	rc |= tval_set(a, ctx, "day_options", fields_options(a, day_values, day_labels, 7, days));
	rc |= tval_set(a, ctx, "level_options", fields_select(a, level_values, NULL, STAFF_LEVEL_MAX,
	    tval_get(f->values, "escalation_level") ?
	    tval_get(f->values, "escalation_level")->u.str.s : NULL));
	rc |= tval_set(a, ctx, "team_options", team_options(app, a, shown->team_id, &dberr));
	if (dberr)
		return web_db_error(app);
	if (rc)
		return 500;
	return render(app, r, w, "console/admin/staff_edit", ctx, status);
}

int
console_admin_staff_edit_form(struct app *app, struct req *r, struct resp *w)
{
	struct staff_person p;
	long long id = web_path_id(r, "id");
	struct field_form f;
	enum cs_result rc;

	if (id == 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	rc = staff_get(&app->db, r->arena, id, &p);
	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : web_db_error(app);
	person_values(&f, &p);
	if (f.failed)
		return 500;
	return staff_edit_render(app, r, w, &f, &p, &p, 200);
}

/* The days ticked, as a mask (1 = Monday is bit 0). */
static unsigned
days_posted(const struct req *r)
{
	const char *v[16];
	size_t n = fields_all(r, "work_days", v, 16), i, d;
	unsigned mask = 0;

	for (i = 0; i < n; i++)
		for (d = 0; d < 7; d++)
			if (strcmp(v[i], day_values[d]) == 0)
				mask |= 1u << d;
	return mask;
}

int
console_admin_staff_update(struct app *app, struct req *r, struct resp *w)
{
	struct staff_person stored, p;
	const char *v[ED__MAX];
	long long num[ED__MAX], id = web_path_id(r, "id");
	struct audit_entry by;
	struct field_form f;
	unsigned mask;
	const char *why;
	enum cs_result rc;
	int bad, dberr;

	if (id == 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	rc = staff_get(&app->db, r->arena, id, &stored);
	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : web_db_error(app);
	memset(&p, 0, sizeof(p));
	p.id = id;
	fields_check(&f, r, edit_rules, ED__MAX, v, num);
	p.name = v[ED_NAME];
	mask = roles_posted(r, &bad);
	if (bad || mask == 0)
		fields_error(&f, "roles", bad ? "Choose roles from the list." :
		    "Choose at least one role.");
	p.roles = staff_roles_csv(r->arena, mask);
	p.team_id = team_posted(app, r, &f, v[ED_TEAM], &dberr);
	if (dberr)
		return web_db_error(app);
	if (p.team_id < 0)
		p.team_id = 0;
	if (staff_skills_posted(app, r, &f, &p) < 0)
		return web_db_error(app);
	p.work_days = days_posted(r);
	p.active = *v[ED_ACTIVE] != '\0';
	if (*v[ED_LANGS] != '\0' &&
	    staff_languages(r->arena, v[ED_LANGS], &p.languages, &why) != CS_OK)
		fields_error(&f, "languages", why);
	p.capacity = (int)num[ED_CAPACITY];
	p.escalation_level = (int)num[ED_LEVEL];
	if (*v[ED_START] != '\0' && (p.work_start = staff_time_of_day(r->arena, v[ED_START])) == NULL)
		fields_error(&f, "work_start", "Start time must be a time of day like 09:00.");
	if (*v[ED_END] != '\0' && (p.work_end = staff_time_of_day(r->arena, v[ED_END])) == NULL)
		fields_error(&f, "work_end", "End time must be a time of day like 17:00.");
	p.time_zone = v[ED_ZONE];
	if (*p.time_zone != '\0') {
		rc = staff_zone_check(&app->db, p.time_zone, &why);
		if (rc == CS_REFUSED)
			fields_error(&f, "time_zone", why);
		else if (rc != CS_OK)
			return web_db_error(app);
	}
	/* An admin cannot lock themselves out; the domain refuses it too. */
	if (id == r->who.id && mask != 0 && !(mask & (1u << STAFF_ADMIN)))
		fields_error(&f, "roles", "You cannot remove your own admin role: ask another "
		    "admin to do it.");
	if (id == r->who.id && !p.active)
		fields_error(&f, "active", "You cannot deactivate yourself: ask another admin to "
		    "do it.");
	if (p.roles == NULL || f.failed)
		return 500;
	if (f.nerrors)
		return staff_edit_render(app, r, w, &f, &stored, &p, 422);
	web_audit_actor(r, &by);
	rc = staff_update(&app->db, &by, &p, &why);
	if (rc == CS_NOT_FOUND)
		return 404;
	if (rc == CS_REFUSED) {
		fields_error(&f, strcmp(why, STAFF_WHY_TEAM) == 0 ? "team_id" : "roles", why);
		return staff_edit_render(app, r, w, &f, &stored, &p, 422);
	}
	if (rc != CS_OK)
		return web_db_error(app);
	web_flash(app, r, w, stored.active && !p.active ?
	    "%s was deactivated and signed out everywhere." : "Changes to %s were saved.",
	    utf8_short(r->arena, p.name, FLASH_NAME));
	resp_redirect(w, arena_printf(r->arena, STAFF_URL "/%lld", id));
	return 0;
}

