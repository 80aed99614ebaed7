/*
 * ticket_api.h — the reads the JSON API needs beyond tickets.h: its
 * ticket list (newest first, keyset by id, filtered by status and by the
 * customer's portal e-mail) and finding the customer and category a new
 * ticket names. Creating, reading one ticket, comments and status changes
 * go through tickets.h like every other channel.
 *
 * Results (core/result.h): CS_OK, CS_NOT_FOUND, or the failure (logged).
 * Strings come back in the arena given.
 */
#ifndef CSDESK_TICKET_API_H
#define CSDESK_TICKET_API_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;

#define TICKET_API_LIMIT_MAX 100

struct ticket_api_filter {
	const char *status;		/* a status name, "open", or NULL: all */
	const char *customer_email;	/* a portal user's e-mail: their account's; NULL: all */
	long long before_id;		/* rows with a smaller id (0: from the newest) */
	int limit;			/* 1..TICKET_API_LIMIT_MAX */
};

struct ticket_api_row {
	long long id, customer_id;
	const char *number, *status, *priority, *channel, *subject;
	const char *created_at, *updated_at;	/* ISO 8601, UTC */
};

/*
 * One page of tickets, newest first. *next_before is the id to pass as
 * before_id for the next page, 0 when this is the last one.
 */
enum cs_result ticket_api_list(struct db *db, struct arena *a, const struct ticket_api_filter *f,
    struct ticket_api_row **rows, size_t *n, long long *next_before);

/* The customer account and portal user of an active login's e-mail. */
enum cs_result ticket_api_customer(struct db *db, const char *email, long long *customer_id,
    long long *user_id);

/* An active category's id by its name. */
enum cs_result ticket_api_category(struct db *db, const char *name, long long *id);

#endif
