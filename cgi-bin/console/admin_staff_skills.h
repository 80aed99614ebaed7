/*
 * admin_staff_skills.h — the skills part of the staff edit form
 * (admin_staff.c): each skill a checkbox with the person's level of it
 * (1 … 5, 046) beside it, and reading them back.
 */
#ifndef CSDESK_CONSOLE_ADMIN_STAFF_SKILLS_H
#define CSDESK_CONSOLE_ADMIN_STAFF_SKILLS_H

#include "web/app.h"

struct field_form;
struct staff_group;
struct staff_person;
struct tval;

/*
 * {value, label, selected, levels: [{value, selected}]} per skill of the
 * n in skills, ticked and at the level shown has. NULL when out of memory.
 */
struct tval *staff_skill_options(struct arena *a, const struct staff_group *skills, size_t n,
    const struct staff_person *shown);

/*
 * The skills ticked (kept to those that exist) and each one's level
 * ("skill_level_<id>", 1 when not sent) into p; a level out of range is a
 * message on "skills" in f. 0, or -1 (database, memory).
 */
int staff_skills_posted(struct app *app, const struct req *r, struct field_form *f,
    struct staff_person *p);

#endif
