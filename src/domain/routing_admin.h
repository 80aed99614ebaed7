/*
 * routing_admin.h — what admins do to the routing rules (routing_rules,
 * applied by ticket_route() in SQL to every new ticket from every
 * channel): list them in the order they are tried, add, change, delete,
 * and move one up or down.
 *
 * A rule's conditions are all optional ("" or 0: any) and must all hold;
 * the first active rule that matches decides. Its actions set the queue
 * (and with it the queue's team), the team, the priority, and add tags.
 * The caller checks the values against the lists it offered; the database
 * still refuses an id that vanished meanwhile (ROUTING_BAD_REF) and a
 * word outside the allowed ones (ROUTING_BAD_VALUE).
 *
 * Every change runs in one transaction with its audit record. Functions
 * return 0 (or a new id), a negative ROUTING_* code, or -1 on a database
 * error (logged). Strings come back in the arena given.
 */
#ifndef CSDESK_ROUTING_ADMIN_H
#define CSDESK_ROUTING_ADMIN_H

#include <stddef.h>

struct arena;
struct audit_entry;
struct db;

#define ROUTING_NOT_FOUND (-2)
#define ROUTING_BAD_REF (-3)	/* a category, queue or team that does not exist */
#define ROUTING_BAD_VALUE (-4)	/* a channel, priority, tier or language the table refuses */

struct routing_rule {
	long long id;
	int position;			/* read-only here: order changes by moving */
	const char *name;
	int active;
	/* Conditions: "" or 0 for any. */
	long long if_category_id;
	const char *if_channel, *if_priority, *if_tier, *if_language, *if_keyword;
	/* Actions: "" or 0 for none. */
	long long set_queue_id, set_team_id;
	const char *set_priority;
	const char *set_tags;		/* "vip,returns": comma list */
	/* Read-only names for the list: "" when none. */
	const char *category, *queue, *team;
};

/* Every rule in the order they are tried. *rows is an arena array of *n. 0 or -1. */
int routing_admin_list(struct db *db, struct arena *a, struct routing_rule **rows, size_t *n);

/* Fills r for id. Returns 1 found, 0 not, -1. */
int routing_admin_get(struct db *db, struct arena *a, long long id, struct routing_rule *r);

/* Adds r (id and position ignored) after the last rule. Returns its id, a ROUTING_* code or -1. */
long long routing_admin_create(struct db *db, const struct audit_entry *by,
    const struct routing_rule *r);

/* Saves r (everything but position). Returns 0, a ROUTING_* code or -1. */
int routing_admin_update(struct db *db, const struct audit_entry *by,
    const struct routing_rule *r);

/* Deletes rule id. Returns 0, ROUTING_NOT_FOUND or -1. */
int routing_admin_delete(struct db *db, const struct audit_entry *by, long long id);

/*
 * Swaps rule id with the one tried just before it (up) or just after it
 * (down); at either end nothing moves. Returns 0, ROUTING_NOT_FOUND or -1.
 */
int routing_admin_move(struct db *db, const struct audit_entry *by, long long id, int up);

#endif
