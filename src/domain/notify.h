/*
 * notify.h — the mail outbox: messages to send, as rows of `notifications`.
 *
 * A message is rendered when it is queued, from three templates under
 * templates/email/<name>/ (subject, text, and optionally html), and stored
 * whole; `csdesk batch` delivers it later (see mailer.h). Queuing is one
 * INSERT, so it belongs to the caller's transaction: a change and the mail
 * announcing it are committed, or rolled back, together.
 */
#ifndef CSDESK_NOTIFY_H
#define CSDESK_NOTIFY_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;
struct tmpl_set;
struct tval;

/* Longest subject stored, in characters (the column's CHECK). */
#define NOTIFY_SUBJECT_MAX 300

/* Longest recipient address, in bytes (RFC 5321 and the column's CHECK). */
#define NOTIFY_ADDRESS_MAX 254

/*
 * Queues one e-mail of kind (a short tag such as "password_reset": letters,
 * digits and '_', it names the .eml file) to recipient, rendered from the
 * templates email/<name>/subject, email/<name>/text and, when the set has
 * it, email/<name>/html against ctx. All three are written like any
 * template ({{name}} escapes); the subject and text are plain text, so the
 * HTML escaping is undone in them after rendering (an HTML entity typed
 * literally in those two templates would be decoded too: write the
 * character). The subject is made one trimmed line
 * (control characters, CR and LF included, become spaces: no header
 * injection) of at most NOTIFY_SUBJECT_MAX characters.
 *
 * Works inside the caller's transaction: it executes one INSERT and
 * nothing else, and fails before touching the database when the address,
 * kind or name is not acceptable or a template does not render, so such a
 * failure leaves the transaction usable. The rendered text lives in a for
 * the duration of the call. Returns CS_OK; CS_FAILED (logged without the
 * address) for what it refuses before the database; or the database's
 * failure (db_result()).
 */
enum cs_result notify_enqueue(struct db *db, const struct tmpl_set *set, struct arena *a, const char *kind,
    const char *recipient, const char *name, const struct tval *ctx);

/*
 * notify_enqueue for a mail about ticket_id: the mailer gives it the
 * ticket's thread (In-Reply-To, References) and reply address, and
 * "Auto-Submitted: auto-generated" only when automatic (not a person's
 * reply). Same results.
 */
enum cs_result notify_enqueue_ticket(struct db *db, const struct tmpl_set *set, struct arena *a,
    const char *kind, const char *recipient, const char *name, const struct tval *ctx,
    long long ticket_id, int automatic);

/* A file a message carries (a mailed report's export), pointing into the caller's data. */
struct notify_file {
	const char *name;	/* [A-Za-z0-9._-], at most 100: safe in a MIME header as it is */
	const char *type;	/* "application/pdf" */
	const void *data;
	size_t len;		/* at most NOTIFY_FILE_MAX */
};

/* Largest file a message carries (the column's CHECK). */
#define NOTIFY_FILE_MAX 10485760

/*
 * notify_enqueue with file attached (sent base64 in a multipart/mixed
 * message, after the text). Same results; CS_FAILED too when the file's
 * name or type is not acceptable or it is too large.
 */
enum cs_result notify_enqueue_file(struct db *db, const struct tmpl_set *set, struct arena *a,
    const char *kind, const char *recipient, const char *name, const struct tval *ctx,
    const struct notify_file *file);

/*
 * Non-zero when addr is an address the outbox accepts: plain ASCII
 * local@domain, at most NOTIFY_ADDRESS_MAX bytes, no spaces, quotes,
 * angle brackets, commas or control characters (so it is safe in a header
 * and an SMTP command as it is). Cannot fail.
 */
int notify_address_ok(const char *addr);

/*
 * Undoes, in place, the HTML escaping the template engine gives every
 * {{value}} (its five entities exactly), for text that is not HTML: the
 * plain-text parts of a mail, a canned response put into a reply box.
 * s[len] becomes NUL. Returns the new length. Cannot fail.
 */
size_t notify_unescape(char *s, size_t len);

/*
 * Whether mail of kind is one a customer may turn off (survey
 * invitations): notify_enqueue gives it a List-Unsubscribe token and does
 * not queue it to an address that turned it off (mail_opt_out.h). Cannot
 * fail.
 */
int notify_kind_optional(const char *kind);

#endif
