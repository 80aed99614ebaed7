/*
 * mail_int.h — what the mail intake files share (mail_intake.c stores and
 * records, mail_filing.c decides). Not for other modules: they use
 * mail_intake.h.
 */
#ifndef CSDESK_MAIL_INT_H
#define CSDESK_MAIL_INT_H

#include "core/result.h"
#include "domain/mail_parse.h"

struct arena;
struct db;

/* Where a message went, and why: a row's outcome in mail_messages. */
struct mail_filed {
	const char *status;		/* ticket, reply, note, bounce, ignored, failed */
	const char *why;
	long long ticket_id, comment_id, sender_id, suggested_id, bounce_of;
	const char *ticket_number;	/* "" when none */
	int review, auto_reply;
	int filed_before;		/* the row was filed before: nothing done */
};

/*
 * Files the parsed message m, stored as row id (received for recipient,
 * may be ""), inside the caller's transaction: locks the row first, so two
 * deliveries file it once (f->filed_before: it was; force: file it
 * whatever its status); then a ticket, a reply, a note or a bounce, and
 * fills *f. CS_OK (f says what became of it, "failed" included),
 * CS_NOT_FOUND (no row id), or the database's failure (the caller rolls
 * back and the message stays 'received').
 */
enum cs_result mail_file_message(struct db *db, struct arena *a, long long id, int force,
    const struct mail_parsed *m, const char *recipient, struct mail_filed *f);

#endif
