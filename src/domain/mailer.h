/*
 * mailer.h — delivering the outbox (`notifications`, see notify.h).
 *
 * A delivery run claims due messages, sends each, and records the outcome:
 * sent (status 'sent', sent_at), or failed (last_error, a later
 * next_attempt_at: 1, 2, 4, 8 … minutes, at most 6 hours), and 'dead' once
 * MAILER_MAX_ATTEMPTS attempts have failed. A message is never dropped:
 * the worst a crash can do is send one twice (a run killed between sending
 * and marking: that message; the database server crashing: the messages
 * marked in its last fraction of a second, as the marks commit without
 * waiting for the disk).
 *
 * Claiming is one statement, committed before any mail goes out:
 *
 *   the due rows (status 'queued', next_attempt_at <= now(), oldest due
 *   first) are locked with FOR UPDATE SKIP LOCKED, so two runs never claim
 *   the same row; each claimed row's attempts goes up by one and its
 *   next_attempt_at moves MAILER_LEASE_SECONDS ahead (a lease).
 *
 * No transaction stays open while mail is sent (a slow server cannot hold
 * locks, nor make a killed session send a whole batch again), and a run
 * that dies half-way leaves its unfinished rows to come due again when the
 * lease ends. Counting the attempt when claiming means a message that
 * crashes the sender still ends up 'dead' instead of looping.
 *
 * Two ways to deliver, chosen by the configuration:
 *   - SMTP through libcurl (smtp:// or smtps://, credentials in the URL;
 *     STARTTLS is required on smtp:// whenever the URL carries a user name);
 *   - a file per message, <dir>/<id>-<kind>.eml, written atomically (a
 *     temporary file renamed into place) with mode 0640, for development:
 *     a person reads the mail with any mail program.
 *
 * Either way the message is the same RFC 5322 text: Date, From, To,
 * Subject (RFC 2047 encoded when not plain ASCII), Message-ID,
 * MIME-Version, Auto-Submitted: auto-generated, and a quoted-printable
 * UTF-8 text/plain body, inside multipart/alternative with a text/html
 * part when the message has HTML.
 */
#ifndef CSDESK_MAILER_H
#define CSDESK_MAILER_H

#include "core/result.h"
#include "domain/mail_format.h"

struct arena;
struct buf;
struct db;
struct mailer;

/* Failed attempts after which a message is given up ('dead'). */
#define MAILER_MAX_ATTEMPTS 8

/* Most messages one mailer_deliver claims. */
#define MAILER_BATCH_MAX 50

/* Seconds a claimed message belongs to the run that claimed it. */
#define MAILER_LEASE_SECONDS 1800

/* Seconds one SMTP message may take (connecting: MAILER_CONNECT_TIMEOUT). */
#define MAILER_SEND_TIMEOUT 30
#define MAILER_CONNECT_TIMEOUT 10

/* A whole batch must fit in the lease even when every message is slow. */
_Static_assert(MAILER_BATCH_MAX * MAILER_SEND_TIMEOUT < MAILER_LEASE_SECONDS,
    "the lease must outlast a batch");

/*
 * The session advisory lock (pg_try_advisory_lock) that `csdesk batch`
 * holds while it delivers mail, so hosts running the batch at once take
 * turns instead of racing.
 */
#define MAILER_LOCK_KEY 0x6373646b0001LL

struct mailer_config {
	const char *smtp_url;	/* NULL or "": write .eml files into dir */
	const char *from;	/* "addr@example.com" or "Name <addr@example.com>" */
	const char *dir;	/* where .eml files go */
	int starttls;		/* require STARTTLS on smtp:// even without a user */
};

/*
 * Fills cfg from the environment:
 *   CSDESK_SMTP_URL        smtp://host:port or smtps://user:pass@host:465
 *   CSDESK_MAIL_FROM       sender (default csdesk@localhost)
 *   CSDESK_MAIL_DIR        .eml directory (default <datadir>/var/mail)
 *   CSDESK_SMTP_STARTTLS   "1": require STARTTLS on smtp://
 * Strings point into the environment or a. CS_OK, or CS_FAILED when out of
 * memory.
 */
enum cs_result mailer_config_env(struct mailer_config *cfg, struct arena *a, const char *datadir);

/*
 * A mailer for cfg (which it copies what it needs from), or NULL after
 * logging why: the sender is not a usable address, the SMTP URL is not an
 * smtp:// or smtps:// URL, or libcurl could not start. Free with
 * mailer_free. The log never shows the URL (it may hold a password).
 */
struct mailer *mailer_new(const struct mailer_config *cfg);

/* Frees m (closing its SMTP connection); NULL is fine. */
void mailer_free(struct mailer *m);

/* Outcomes of delivery runs; mailer_deliver adds to them. */
struct mailer_counts {
	long sent;
	long failed;		/* will be tried again */
	long dead;		/* given up */
};

/*
 * Claims up to limit (at most MAILER_BATCH_MAX) due messages on db and
 * delivers them, adding the outcomes to counts and setting *claimed to how
 * many it claimed (0: none is due). Call it outside a transaction. CS_OK,
 * or the failure of the database (logged); messages claimed and not yet
 * recorded then come due again when their lease ends.
 */
enum cs_result mailer_deliver(struct mailer *m, struct db *db, int limit,
    struct mailer_counts *counts, int *claimed);

/*
 * Appends msg as an RFC 5322 message (mail_format) from m's sender to
 * out. Check buf_failed(out) afterwards. Cannot fail otherwise.
 */
void mailer_compose(const struct mailer *m, const struct mailer_msg *msg, struct buf *out);

#endif
