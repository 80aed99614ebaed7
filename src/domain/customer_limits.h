/*
 * customer_limits.h — how fast a customer's account may open tickets and
 * reply, and how many files (and bytes) it may send a day. Counted in
 * PostgreSQL from the rows themselves (tickets.created_at, the comments of
 * the account's portal users, the attachments of the last 24 hours; the
 * indexes of migration 028), so every worker on every host sees the same
 * count. Staff, the system and API keys are not held to these.
 *
 * All are settings rows: the rates (customer_tickets_per_minute, …_per_hour,
 * customer_replies_per_minute, …_per_hour; migration 029) are changed in
 * the database, the file quota (customer_files_per_day,
 * customer_file_mb_per_day) on the console's settings page through
 * ops_settings.h. The constants below are their defaults, and stand in for
 * a row that is missing or unusable.
 */
#ifndef CSDESK_CUSTOMER_LIMITS_H
#define CSDESK_CUSTOMER_LIMITS_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;
struct ticket_file;

/* New tickets an account may open in a minute, and in an hour. */
#define CUSTOMER_TICKETS_PER_MINUTE 5
#define CUSTOMER_TICKETS_PER_HOUR 30
/* Replies an account's people may send (a reopen's reason counts among them). */
#define CUSTOMER_REPLIES_PER_MINUTE 10
#define CUSTOMER_REPLIES_PER_HOUR 120

/*
 * Highest rate a setting may give. An account whose two rates for a kind
 * are both at it has no limit on that kind: a change without files is
 * neither counted nor made to wait for the account's other changes (the
 * bench lifts the ticket rates so, to measure the machine).
 */
#define CUSTOMER_RATE_MAX 1000000

/* The attachment quota of an account over the last 24 hours; 0: no files. */
#define CUSTOMER_FILES_PER_DAY_DEFAULT 50
#define CUSTOMER_FILES_PER_DAY_MAX 100000
#define CUSTOMER_FILE_MB_PER_DAY_DEFAULT 100
#define CUSTOMER_FILE_MB_PER_DAY_MAX 100000

/* What is about to be added. */
enum customer_limit_kind {
	CUSTOMER_LIMIT_TICKET,
	CUSTOMER_LIMIT_REPLY,
	CUSTOMER_LIMIT__MAX
};

/*
 * Whether customer_id's account may add one more ticket or reply carrying
 * files[0..n). Runs inside the caller's transaction (which must be open)
 * and takes a per-account lock until it ends, so two requests at once are
 * counted one after the other. CS_OK; CS_LIMITED with *why (a sentence in
 * a, saying when to try again) and *retry_after (seconds, at least 1); or
 * the failure.
 */
enum cs_result customer_limits_check(struct db *db, struct arena *a,
    enum customer_limit_kind kind, long long customer_id, const struct ticket_file *files,
    size_t n, const char **why, int *retry_after);

#endif
