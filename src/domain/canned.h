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
 * A response may also be a macro: when an agent sends it, the ticket's
 * status and priority are set, tags added and the ticket taken for the
 * agent (ticket_submit.h does it; the ticket page preselects them). The
 * statuses a macro may set are canned_statuses.
 *
 * Titles and bodies are checked here, in characters, against the limits
 * below (the table's CHECKs), and a body must compile as a template.
 * Changes are audited (admin_audit) in the same transaction. Functions
 * return CS_OK or what went wrong (below); strings come back in the arena.
 */
#ifndef CSDESK_CANNED_H
#define CSDESK_CANNED_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct audit_entry;
struct db;
struct tval;

#define CANNED_TITLE_MAX 100
#define CANNED_BODY_MAX 10000
#define CANNED_TAGS_MAX 1000

/* The statuses a macro may set (039_workspace.sql's CHECK), NULL-terminated. */
extern const char *const canned_statuses[];

struct canned {
	long long id;
	const char *title, *body;
	long long team_id;		/* 0: everyone */
	const char *team;		/* its name, or "" */
	const char *created_by;		/* a name, or "" */
	const char *created_at;		/* "2026-01-31 14:05" UTC */
	/* The macro: "" for each part that changes nothing. */
	const char *set_status, *set_priority;
	const char *add_tags;		/* as typed: "warranty, printer" */
	int take;			/* 1: assign to the agent who sends it */
};

/*
 * Every response (for_staff 0), or those staff member for_staff may use
 * (for everyone, or for their team), by title. CS_OK or the failure.
 */
enum cs_result canned_list(struct db *db, struct arena *a, long long for_staff,
    struct canned **out, size_t *n);

/*
 * canned_list as part of a page's pipeline: _send queues it and returns
 * its slot (-1: out of memory or the pipe is full); after db_pipe_run,
 * _take reads the rows. CS_OK or CS_FAILED.
 */
struct db_pipe;
int canned_list_send(struct db_pipe *pipe, struct arena *a, long long for_staff);
enum cs_result canned_list_take(struct db_pipe *pipe, int slot, struct arena *a,
    struct canned **out, size_t *n);

/*
 * One response; with for_staff > 0 only one they may use. CS_OK,
 * CS_NOT_FOUND or the failure.
 */
enum cs_result canned_get(struct db *db, struct arena *a, long long id, long long for_staff,
    struct canned *c);

/* What a response is made of; team_id 0 for everyone; the macro's parts
 * "" (or 0) for nothing. */
struct canned_input {
	const char *title, *body;
	long long team_id;
	const char *set_status, *set_priority, *add_tags;
	int take;
};

/*
 * Creates one (*id set) for staff_id, or updates response id. Returns
 * CS_OK, CS_NOT_FOUND (update: no such response), CS_REFUSED (a title or
 * body empty or too long, a body that does not compile, a team gone
 * meanwhile, a status, priority or tags a macro may not set: *why, and
 * *field "title", "body", "team_id", "set_status", "set_priority" or
 * "add_tags") or the failure.
 */
enum cs_result canned_create(struct db *db, struct arena *a, const struct audit_entry *by,
    long long staff_id, const struct canned_input *in, long long *id, const char **why,
    const char **field);
enum cs_result canned_update(struct db *db, struct arena *a, const struct audit_entry *by,
    long long id, const struct canned_input *in, const char **why, const char **field);

/* Deletes one; its title into *title (in a). CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result canned_delete(struct db *db, struct arena *a, const struct audit_entry *by,
    long long id, const char **title);

/* body rendered on ctx as plain text, in a; NULL when it does not render. */
const char *canned_render(struct arena *a, const char *body, const struct tval *ctx);

#endif
