/*
 * canned.h — canned responses: texts agents insert into a reply, written
 * by admins, each for everyone or for one team.
 *
 * A body is a mustache template (the project's engine, src/tmpl) rendered
 * on a context the caller builds, so placeholders such as
 * {{customer.name}}, {{ticket.number}}, {{ticket.subject}} and
 * {{agent.name}} are filled by the engine, never by replacing strings.
 * It is rendered alone (partials and parents render as nothing) under a
 * small work budget, and the result is plain text for a reply box: the
 * page that shows it escapes it, once.
 *
 * Changes are audited (admin_audit) in the same transaction.
 * Return values: 0 success; CANNED_NOT_FOUND; -1 database error (logged).
 */
#ifndef CSDESK_CANNED_H
#define CSDESK_CANNED_H

#include <stddef.h>

struct arena;
struct audit_entry;
struct db;
struct tval;

#define CANNED_NOT_FOUND (-2)

#define CANNED_TITLE_MAX 100
#define CANNED_BODY_MAX 10000

struct canned {
	long long id;
	const char *title, *body;
	long long team_id;		/* 0: everyone */
	const char *team;		/* its name, or "" */
	const char *created_by;		/* a name, or "" */
	const char *created_at;		/* "2026-01-31 14:05" UTC */
};

/*
 * Every response (for_staff 0), or those staff member for_staff may use
 * (for everyone, or for their team), by title. 0 or -1.
 */
int canned_list(struct db *db, struct arena *a, long long for_staff, struct canned **out,
    size_t *n);

/* One response; with for_staff > 0 only one they may use. 0, CANNED_NOT_FOUND or -1. */
int canned_get(struct db *db, struct arena *a, long long id, long long for_staff,
    struct canned *c);

/*
 * NULL when body is a template that compiles, else why not (a message
 * naming the line, in a). Lengths are the caller's to check.
 */
const char *canned_body_error(struct arena *a, const char *body);

/* Creates (*id set) or updates one; team_id 0 for everyone. 0, CANNED_NOT_FOUND or -1. */
int canned_create(struct db *db, const struct audit_entry *by, long long staff_id,
    const char *title, const char *body, long long team_id, long long *id);
int canned_update(struct db *db, const struct audit_entry *by, long long id, const char *title,
    const char *body, long long team_id);

/* Deletes one; its title into *title (in a). 0, CANNED_NOT_FOUND or -1. */
int canned_delete(struct db *db, struct arena *a, const struct audit_entry *by, long long id,
    const char **title);

/* body rendered on ctx as plain text, in a; NULL when it does not render. */
const char *canned_render(struct arena *a, const char *body, const struct tval *ctx);

#endif
