/*
 * ticket_fields.h — changing a ticket's fields (priority, type, category,
 * product and serial, queue, team, tags, site) from its page or the API, each
 * change with its history row (who, before, after) and one
 * "ticket.fields_changed" event per use case; and the field writes other
 * use cases (assignment, bulk actions) make inside their own transaction.
 *
 * Limits are in characters and match the table's CHECK (serial) or the
 * rule here (tags, which have no CHECK).
 */
#ifndef CSDESK_TICKET_FIELDS_H
#define CSDESK_TICKET_FIELDS_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;

enum ticket_field {
	TF_PRIORITY,	/* value a priority */
	TF_TYPE,	/* value a ticket type */
	TF_CATEGORY,	/* value an active category's id, or "" for none */
	TF_QUEUE,	/* value an active queue's id, or "" for none */
	TF_PRODUCT,	/* value an active product's id, or "" for none */
	TF_SERIAL,	/* value a serial number (TF_SERIAL_MAX), or "" for none */
	TF_TEAM,	/* value a team id, or "" for none */
	TF_TAGS,	/* value tags separated by commas or blanks (ticket_tags_parse) */
	TF_SITE,	/* value the id of one of the ticket's customer's active sites
			 * (or the one it has), or "" for none; a change may move an
			 * untouched ticket to the queue a site rule gives
			 * (ticket_site.h) */
	TF__MAX,
	/* Not a form field: ticket_assign.h sets it, through ticket_field_write. */
	TF_ASSIGNEE = TF__MAX
};

/* A serial number, in characters (tickets.serial's CHECK); tags: how many,
 * and each one's length. */
#define TF_SERIAL_MAX 100
#define TF_TAGS_MAX 20
#define TF_TAG_MAX 40

/*
 * Sets several fields of one ticket for staff member staff_id, in one
 * transaction, with a history row per field that changed and one
 * "ticket.fields_changed" event ({"fields": {name: {"from", "to"}}}) when
 * any did. values[f] NULL leaves field f alone. When one value is refused
 * nothing changes: CS_REFUSED, with *bad set to the field at fault and
 * *why saying what is expected. *changed counts the fields changed.
 * Returns CS_OK, CS_REFUSED, CS_NOT_FOUND (no such ticket) or the failure.
 */
enum cs_result ticket_fields_set(struct db *db, long long staff_id, long long ticket_id,
    const char *const values[TF__MAX], enum ticket_field *bad, int *changed, const char **why);

/* ticket_fields_set for one field. */
enum cs_result ticket_field_set(struct db *db, long long staff_id, long long ticket_id,
    enum ticket_field field, const char *value, const char **why);

/*
 * Tags as typed ("Printer, warranty  urgent-fix") made into the stored
 * form: lower-cased, distinct, sorted, each 1..TF_TAG_MAX of a-z 0-9 _ -,
 * at most TF_TAGS_MAX, as a PostgreSQL array literal in a. NULL when a tag
 * is not acceptable (or memory ran out: *oom set).
 */
const char *ticket_tags_parse(struct arena *a, const char *typed, int *oom);

/* One field changed, as its history row names the values. */
struct tf_change {
	enum ticket_field field;
	const char *from, *to;		/* names; NULL: none */
};

/*
 * Inside the caller's transaction (the ticket locked): sets field of
 * ticket_id to param (a checked stored value or id; NULL for none) with
 * its history row by staff_id, when it differs. *changed is 1 or 0; c
 * (may be NULL) gets what changed, in a. Returns CS_OK or the failure.
 */
enum cs_result ticket_field_write(struct db *db, struct arena *a, enum ticket_field field,
    long long staff_id, long long ticket_id, const char *param, int *changed,
    struct tf_change *c);

/*
 * Whether id is one a field may take: an active queue, category or
 * product, or a team (field TF_QUEUE, TF_CATEGORY, TF_PRODUCT, TF_TEAM).
 * CS_OK, CS_NOT_FOUND or the failure.
 */
enum cs_result ticket_field_known(struct db *db, enum ticket_field field, long long id);

/*
 * Inside the caller's transaction: appends "ticket.fields_changed" for the
 * n changes of ticket_id by staff_id (nothing when n is 0). CS_OK or the
 * failure.
 */
enum cs_result ticket_fields_event(struct db *db, long long staff_id, long long ticket_id,
    const struct tf_change *c, size_t n);

#endif
