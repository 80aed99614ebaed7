/* admin_staff_skills.c — see admin_staff_skills.h. */
#include "console/admin_staff_skills.h"
#include "core/arena.h"
#include "domain/staff.h"
#include "domain/staff_groups.h"
#include "tmpl/tval.h"
#include "web/fields.h"

#include <stdio.h>
#include <string.h>

/* Most skills read from a form. */
#define SKILLS_MAX 500

/* The level shown has of skill id; 0 when it does not have it. */
static long long
level_of(const struct staff_person *p, long long id)
{
	size_t i;

	for (i = 0; i < p->nskills; i++)
		if (p->skills[i] == id)
			return p->skill_levels != NULL ? p->skill_levels[i] : 1;
	return 0;
}

struct tval *
staff_skill_options(struct arena *a, const struct staff_group *skills, size_t n,
    const struct staff_person *shown)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL, l;

	for (i = 0; !rc && i < n; i++) {
		struct tval *m = tval_map(a), *levels = tval_list(a);
		long long has = level_of(shown, skills[i].id);

		rc |= m == NULL || levels == NULL;
		for (l = 1; !rc && l <= STAFF_SKILL_LEVEL_MAX; l++) {
			struct tval *o = tval_map(a);

			rc |= tval_set_int(a, o, "value", l) |
			    tval_set_bool(a, o, "selected", l == (has > 0 ? has : 1)) |
			    tval_push(a, levels, o);
		}
		rc |= tval_set_str(a, m, "value", arena_printf(a, "%lld", skills[i].id)) |
		    tval_set_str(a, m, "label", skills[i].name) |
		    tval_set_bool(a, m, "selected", has > 0) | tval_set(a, m, "levels", levels) |
		    tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

int
staff_skills_posted(struct app *app, const struct req *r, struct field_form *f,
    struct staff_person *p)
{
	const char **v = arena_calloc(r->arena, SKILLS_MAX, sizeof(*v));
	struct staff_group *rows;
	size_t n, i, k, nrows;

	p->nskills = 0;
	p->skills = arena_calloc(r->arena, SKILLS_MAX, sizeof(*p->skills));
	p->skill_levels = arena_calloc(r->arena, SKILLS_MAX, sizeof(*p->skill_levels));
	if (v == NULL || p->skills == NULL || p->skill_levels == NULL)
		return -1;
	n = fields_all(r, "skills", v, SKILLS_MAX);
	if (n == 0)
		return 0;
	if (staff_group_list(&app->db, r->arena, STAFF_SKILLS, &rows, &nrows) != CS_OK)
		return -1;
	for (i = 0; i < n; i++) {
		long long id = web_id(v[i]), level = 1;
		char name[48];
		const char *typed;

		for (k = 0; id > 0 && k < nrows && rows[k].id != id; k++)
			;
		if (id <= 0 || k == nrows || level_of(p, id) > 0)
			continue;
		snprintf(name, sizeof(name), "skill_level_%lld", id);
		typed = req_field(r, name);
		if (typed != NULL && *typed != '\0' && ((level = web_id(typed)) < 1 ||
		    level > STAFF_SKILL_LEVEL_MAX)) {
			fields_error(f, "skills", "A skill's level is a whole number from 1 to 5.");
			level = 1;
		}
		p->skills[p->nskills] = id;
		p->skill_levels[p->nskills++] = level;
	}
	return 0;
}
