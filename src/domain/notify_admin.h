/*
 * notify_admin.h — what admins do with the outbox (notify.h) beyond
 * reading it: list the messages given up ('dead', after
 * MAILER_MAX_ATTEMPTS failed attempts) with their last error, and queue
 * one again.
 */
#ifndef CSDESK_NOTIFY_ADMIN_H
#define CSDESK_NOTIFY_ADMIN_H

#include <stddef.h>

struct arena;
struct audit_entry;
struct db;
struct notify_row;

/*
 * The newest limit (1 … NOTIFY_LIST_MAX) given-up messages, newest first.
 * Sets *rows (in a; NULL when none) and *n. 0 or -1 (logged).
 */
int notify_list_dead(struct db *db, struct arena *a, int limit, struct notify_row **rows,
    size_t *n);

/*
 * Queues given-up message id again, due now, with a fresh count of
 * attempts (its last error stays until the next attempt), and records it
 * in the audit log as by ("mail.requeue"), in one transaction. Returns 1,
 * 0 when id is not a given-up message (sent, still queued, or unknown),
 * or -1.
 */
int notify_requeue(struct db *db, const struct audit_entry *by, long long id);

#endif
