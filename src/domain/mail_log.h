/*
 * mail_log.h — the mail log: every message received, newest first, with
 * where it went and why (mail_intake.h records both), and one message
 * with its original text for an agent to read (as text: the page escapes
 * it, nothing in it is active).
 *
 * Results: CS_OK, CS_NOT_FOUND, or the failure. Strings in the arena.
 */
#ifndef CSDESK_MAIL_LOG_H
#define CSDESK_MAIL_LOG_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;

/* Rows per page of the log. */
#define MAIL_LOG_PAGE 50
/* Bytes of an original shown on its page (the rest is said to be cut). */
#define MAIL_LOG_ORIGINAL_MAX (256u << 10)

struct mail_log_row {
	long long id;
	const char *received_at;	/* "2026-12-01 09:12" UTC */
	const char *from_addr, *subject, *status, *why;
	const char *ticket;		/* its number, or "" */
	const char *suggested;		/* a merge suggested with this number, or "" */
	int review;
	long long size;
};

/*
 * One page: status one of mail_messages' statuses or NULL for all;
 * before_id 0 for the newest. *next_before is the key of the next page,
 * 0 when this is the last.
 */
enum cs_result mail_log_page(struct db *db, struct arena *a, const char *status,
    long long before_id, struct mail_log_row **rows, size_t *n, long long *next_before);

/* Whether s is one of the statuses mail_log_page filters by. */
int mail_log_status_ok(const char *s);

/*
 * One message, with its original as text (invalid bytes and control
 * characters dropped) of at most MAIL_LOG_ORIGINAL_MAX bytes; *cut when
 * it was longer.
 */
enum cs_result mail_log_get(struct db *db, struct arena *a, long long id,
    struct mail_log_row *row, const char **original, int *cut);

#endif
