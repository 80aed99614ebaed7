/*
 * notify_admin.h — what admins see and do with the mail outbox (notify.h
 * queues it, mailer.h delivers it): the newest messages, the ones given up
 * ('dead', after MAILER_MAX_ATTEMPTS failed attempts) with their last
 * error, and queuing a given-up one again.
 *
 * Functions return an enum cs_result (failures logged). Strings come back
 * in the arena given.
 */
#ifndef CSDESK_NOTIFY_ADMIN_H
#define CSDESK_NOTIFY_ADMIN_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct audit_entry;
struct db;

/* One outbox row for the admin pages; every field is text in the arena. */
struct notify_row {
	const char *id;
	const char *kind;
	const char *recipient;
	const char *subject;
	const char *status;		/* "queued", "sent" or "dead" */
	const char *attempts;
	const char *last_error;		/* NULL when no attempt failed */
	const char *created_at;		/* UTC, "2024-05-01T09:30:00Z" */
	const char *sent_at;		/* same format; NULL until sent */
};

/* How many rows one list returns at most. */
#define NOTIFY_LIST_MAX 500

/*
 * The newest limit messages (clamped to 1 … NOTIFY_LIST_MAX), newest
 * first. Sets *rows (an array in a, NULL when there are none) and *n.
 * CS_OK or the failure.
 */
enum cs_result notify_list_recent(struct db *db, struct arena *a, int limit,
    struct notify_row **rows, size_t *n);

/* The same for the given-up messages only. */
enum cs_result notify_list_dead(struct db *db, struct arena *a, int limit,
    struct notify_row **rows, size_t *n);

/*
 * Queues given-up message id again, due now, with a fresh count of
 * attempts (its last error stays until the next attempt), and records it
 * in the audit log as by ("mail.requeue"), in one transaction. CS_OK,
 * CS_NOT_FOUND when id is not a given-up message (sent, still queued, or
 * unknown), or the failure.
 */
enum cs_result notify_requeue(struct db *db, const struct audit_entry *by, long long id);

#endif
