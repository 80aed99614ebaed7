/*
 * mail_review.h — mail that needs an agent's eye, on the ticket page: a
 * message from someone who is not a party of the ticket (mail intake
 * files it as an internal note flagged for review, mail_filing.c) and a
 * suggested merge (mail that opened a new ticket while its sender has a
 * ticket of the same subject, changed within a day). The page reads them
 * in its pipeline (mail_review_send/take); an agent accepts or dismisses
 * the review and may dismiss the suggestion (the merge itself is
 * collab_merge's, ticket_collab.h).
 */
#ifndef CSDESK_MAIL_REVIEW_H
#define CSDESK_MAIL_REVIEW_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;
struct db_pipe;

/* At most this many messages of a ticket are shown for review. */
#define MAIL_REVIEW_MAX 10

struct mail_review_item {
	long long id;			/* mail_messages.id */
	const char *from_addr, *subject, *received_at;	/* received_at: "YYYY-MM-DD HH:MM" UTC */
	int review;			/* a non-party's note waiting for a decision */
	/* A merge suggested and not dismissed: the earlier ticket's number and
	 * subject ("" for none). */
	const char *merge_number, *merge_subject;
};

/*
 * Queues the statement reading ticket_id's messages to review on pipe;
 * its slot, or -1 (out of memory, pipe full). After db_pipe_run,
 * mail_review_take reads them (oldest first): CS_OK or CS_FAILED.
 */
int mail_review_send(struct db_pipe *pipe, struct arena *a, long long ticket_id);
enum cs_result mail_review_take(struct db_pipe *pipe, int slot, struct arena *a,
    struct mail_review_item **items, size_t *n);

/*
 * staff_id decides on message mail_id of ticket_id: accept (its internal
 * note becomes a public comment the customer sees) or dismiss (it stays
 * internal). One transaction: the decision, a history row and a
 * "ticket.mail_reviewed" event ({mail_id, outcome}). CS_OK, CS_CONFLICT
 * (decided already, or no such message waiting on that ticket) or the
 * failure.
 */
enum cs_result mail_review_decide(struct db *db, long long staff_id, long long ticket_id,
    long long mail_id, int accept);

/*
 * staff_id dismisses the merge suggested by message mail_id of ticket_id.
 * CS_OK, CS_NOT_FOUND (none to dismiss) or the failure.
 */
enum cs_result mail_review_merge_dismiss(struct db *db, long long staff_id, long long ticket_id,
    long long mail_id);

#endif
