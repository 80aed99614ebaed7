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
 * still refuses an id that vanished meanwhile and a word outside the
 * allowed ones (CS_REFUSED, with a sentence for the person).
 *
 * Every change runs in one transaction with its audit record. Functions
 * that can fail return an enum cs_result; CS_REFUSED comes with a sentence
 * in *why. Strings come back in the arena given.
 */
#ifndef CSDESK_ROUTING_ADMIN_H
#define CSDESK_ROUTING_ADMIN_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct audit_entry;
struct db;

/* Limits, in characters, as the routing_rules table's CHECKs have them. */
#define ROUTING_NAME_MAX 100
#define ROUTING_KEYWORD_MAX 100

/* What a refusal by the database says: a chosen row vanished, or a value is not allowed. */
#define ROUTING_WHY_REF "A category, type, queue or team you chose no longer exists: choose again."
#define ROUTING_WHY_VALUE "One of the values was refused: check them and save again."

struct routing_rule {
	long long id;
	int position;			/* read-only here: order changes by moving */
	const char *name;
	int active;
	/* Conditions: "" or 0 for any. */
	long long if_category_id;
	const char *if_channel, *if_priority, *if_tier, *if_language, *if_keyword;
	const char *if_type;		/* a ticket type's code (ticket_types) */
	const char *if_site;		/* words of the ticket's site's name or address */
	/* Actions: "" or 0 for none. */
	long long set_queue_id, set_team_id;
	const char *set_priority;
	const char *set_tags;		/* "vip,returns": comma list */
	int set_skill_level;		/* 2..5: the queue's skill at least at this level; 0 none */
	/* Read-only names for the list: "" when none. */
	const char *category, *queue, *team;
};

/* Every rule in the order they are tried: *rows, an arena array of *n. CS_OK or the failure. */
enum cs_result routing_admin_list(struct db *db, struct arena *a, struct routing_rule **rows,
    size_t *n);

/* Fills r for id. CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result routing_admin_get(struct db *db, struct arena *a, long long id,
    struct routing_rule *r);

/*
 * Adds r (id and position ignored) after the last rule and sets *id.
 * CS_OK, CS_REFUSED (a limit, ROUTING_WHY_REF or ROUTING_WHY_VALUE) or
 * the failure.
 */
enum cs_result routing_admin_create(struct db *db, const struct audit_entry *by,
    const struct routing_rule *r, long long *id, const char **why);

/* Saves r (everything but position). CS_OK, CS_NOT_FOUND, CS_REFUSED or the failure. */
enum cs_result routing_admin_update(struct db *db, const struct audit_entry *by,
    const struct routing_rule *r, const char **why);

/* Deletes rule id. CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result routing_admin_delete(struct db *db, const struct audit_entry *by, long long id);

/*
 * Swaps rule id with the one tried just before it (up) or just after it
 * (down); at either end nothing moves. CS_OK, CS_NOT_FOUND or the failure.
 */
enum cs_result routing_admin_move(struct db *db, const struct audit_entry *by, long long id,
    int up);

#endif
