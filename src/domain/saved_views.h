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
 * Functions return 0 (or a new id) on success, a negative SAVED_VIEW_*
 * code otherwise; -1 is a database error (logged). Strings come back in
 * the arena given.
 */
#ifndef CSDESK_SAVED_VIEWS_H
#define CSDESK_SAVED_VIEWS_H

#include <stddef.h>

struct arena;
struct db;

#define SAVED_VIEW_NOT_FOUND (-2)	/* no such view of this person's (or shared with them) */
#define SAVED_VIEW_TAKEN (-3)		/* the owner already has a view of that name */
#define SAVED_VIEW_FULL (-4)		/* the owner has SAVED_VIEWS_MAX views */

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
 * shared, each by name. *out is an arena array of *n. Returns 0 or -1.
 */
int saved_views_list(struct db *db, struct arena *a, long long staff_id,
    struct saved_view **out, size_t *n);

/* One view staff_id may open. Returns 1 found, 0 not (or not theirs), -1. */
int saved_view_get(struct db *db, struct arena *a, long long staff_id, long long id,
    struct saved_view *v);

/* Adds a view for staff_id. Returns its id, SAVED_VIEW_TAKEN, SAVED_VIEW_FULL or -1. */
long long saved_view_create(struct db *db, long long staff_id, const char *name,
    const char *query, int shared);

/*
 * Renames one of staff_id's own views and sets whether it is shared.
 * Returns 0, SAVED_VIEW_NOT_FOUND, SAVED_VIEW_TAKEN or -1.
 */
int saved_view_update(struct db *db, long long staff_id, long long id, const char *name,
    int shared);

/* Deletes one of staff_id's own views. Returns 0, SAVED_VIEW_NOT_FOUND or -1. */
int saved_view_delete(struct db *db, long long staff_id, long long id);

#endif
