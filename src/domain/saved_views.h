/*
 * saved_views.h — an agent's saved ticket-list views: a name and the list
 * page's query string ("status=open&queue=3"), kept per staff member.
 *
 * Ownership is in every statement: a view is read by its owner, or by a
 * member of the owner's team when the owner shared it; it is renamed,
 * re-shared or deleted by its owner only. Anything else is "not found",
 * so nobody learns which ids exist. The query string is stored as given:
 * the caller checks it with the list page's filter parser first.
 *
 * Names and query strings are checked here, in characters, against the
 * limits below (the table's CHECKs). Saving a view is no change to a
 * ticket: no event. Functions return CS_OK or what went wrong (below);
 * strings come back in the arena given.
 */
#ifndef CSDESK_SAVED_VIEWS_H
#define CSDESK_SAVED_VIEWS_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;

/* Views one person may keep, and the longest name and query string. */
#define SAVED_VIEWS_MAX 50
#define SAVED_VIEW_NAME_MAX 100
#define SAVED_VIEW_QUERY_MAX 2000

struct saved_view {
	long long id;
	const char *name;
	const char *query;	/* without the leading '?' */
	int own;		/* the asker's own (else a team member's, shared) */
	int shared;
	const char *owner;	/* the owner's name */
};

/*
 * The views staff_id may open: their own, then the ones their team mates
 * shared, each by name. *out is an arena array of *n. CS_OK or the failure.
 */
enum cs_result saved_views_list(struct db *db, struct arena *a, long long staff_id,
    struct saved_view **out, size_t *n);

/*
 * The same as part of a page's pipeline (the queue's: ticket_queue.h):
 * _send queues the statement and returns its slot (-1: out of memory or
 * the pipe is full); after db_pipe_run, _take reads the views. CS_OK or
 * CS_FAILED.
 */
struct db_pipe;
int saved_views_list_send(struct db_pipe *pipe, struct arena *a, long long staff_id);
enum cs_result saved_views_list_take(struct db_pipe *pipe, int slot, struct arena *a,
    struct saved_view **out, size_t *n);

/* One view staff_id may open. CS_OK, CS_NOT_FOUND (not there, or not theirs) or the failure. */
enum cs_result saved_view_get(struct db *db, struct arena *a, long long staff_id, long long id,
    struct saved_view *v);

/*
 * Adds a view for staff_id; *id is its id. Returns CS_OK, CS_TAKEN (they
 * have a view of that name), CS_REFUSED (a name or query too long, or as
 * many views as one may keep: *why, and *field "name" or "query") or the
 * failure.
 */
enum cs_result saved_view_create(struct db *db, long long staff_id, const char *name,
    const char *query, int shared, long long *id, const char **why, const char **field);

/*
 * Renames one of staff_id's own views and sets whether it is shared.
 * Returns CS_OK, CS_NOT_FOUND, CS_TAKEN, CS_REFUSED (a name too long:
 * *why) or the failure.
 */
enum cs_result saved_view_update(struct db *db, long long staff_id, long long id,
    const char *name, int shared, const char **why);

/* Deletes one of staff_id's own views. CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result saved_view_delete(struct db *db, long long staff_id, long long id);

#endif
