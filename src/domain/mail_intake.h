/*
 * mail_intake.h — a received message becomes a ticket, a reply, an
 * internal note or a bounce record: `csdesk mail-in` (one message on
 * standard input, an MTA pipe) and `csdesk lmtp` both call this, so both
 * give the same guarantees.
 *
 * Two steps, each its own transaction:
 *
 *   mail_store     the raw bytes, with their SHA-256 and Message-ID, into
 *                  mail_messages (compressed by PostgreSQL). The same
 *                  Message-ID with the same bytes is the same message: a
 *                  second delivery finds the first row. Once this step has
 *                  committed the message cannot be lost.
 *   mail_process   parses it (mail_parse.h) and files it: threading by
 *                  In-Reply-To/References (the Message-IDs csdesk sent and
 *                  received), then the subject's [TKT-000123] tag, then the
 *                  reply address's token; a party of the ticket (its
 *                  customer's logins) adds a public reply, anyone else an
 *                  internal note flagged for review; otherwise a new ticket
 *                  for the sender's contact (made when new: contacts.h) in
 *                  the queue of the address it came to, with a suggested
 *                  merge when a ticket of the same sender has the same
 *                  subject. Bounces mark the address and point at the mail
 *                  they bounce. Its outcome, with the reason, is recorded
 *                  on the row in the same transaction as the ticket change
 *                  (status 'received' becomes ticket/reply/note/bounce/
 *                  ignored/failed), so a message is filed exactly once.
 *
 * The store commits without waiting for the disk, the filing's commit
 * waits for both (the log is flushed in order): mail_intake answers CS_OK,
 * and the MTA hears "stored", only after a commit that waited.
 *
 * A message stored but not filed (the database went away between the two
 * steps) is filed when the MTA delivers it again; `mail-in --reprocess ID`
 * files a stored message again from its raw bytes after a parser fix.
 *
 * Results: CS_OK; CS_DB_LOST when the database cannot be reached (the
 * caller answers "try again later": exit 75, LMTP 451); CS_NOT_FOUND (no
 * such stored message); or CS_FAILED (logged).
 */
#ifndef CSDESK_MAIL_INTAKE_H
#define CSDESK_MAIL_INTAKE_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;

/* Largest message taken, in bytes (the MTA is told to refuse larger). */
#define MAIL_MESSAGE_MAX (40u << 20)

/* Subject of a message that has none. */
#define MAIL_NO_SUBJECT "(no subject)"

struct mail_outcome {
	long long id;			/* mail_messages.id */
	int duplicate;			/* stored before: nothing done now */
	const char *status;		/* "ticket", "reply", "note", … */
	const char *why;		/* the reason, as the mail log shows it */
	const char *ticket;		/* the ticket's number, or "" */
};

/*
 * Stores raw[0..len) received for recipient (the envelope's, may be NULL)
 * and files it unless it was filed before. Fills *out.
 */
enum cs_result mail_intake(struct db *db, struct arena *a, const unsigned char *raw, size_t len,
    const char *recipient, struct mail_outcome *out);

/* Files the stored message id again from its raw bytes (whatever its status). */
enum cs_result mail_reprocess(struct db *db, struct arena *a, long long id,
    struct mail_outcome *out);

/*
 * Whether the ticket's confirmation may answer the mail that opened it
 * (RFC 3834): not to a machine, a list or a bounce, and at most
 * mail_autoreply_per_hour (a setting) to one sender an hour; *ok is 1 for
 * a ticket no mail opened. *text is the automatic reply's text (the
 * mail_autoreply_text setting, a template) for a ticket a mail opened,
 * else NULL. CS_OK or the failure.
 */
enum cs_result mail_auto_reply(struct db *db, struct arena *a, long long ticket_id, int *ok,
    const char **text);

#endif
