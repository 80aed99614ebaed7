/*
 * ticket_int.h — what the ticket modules (ticket_open.c, ticket_reply.c,
 * ticket_status.c, ticket_read.c, ticket_files.c; tickets.h is their
 * public face) share, and nobody else uses: parameters, the scope of a
 * read, locking a ticket for a change, the history row and the event.
 */
#ifndef CSDESK_TICKET_INT_H
#define CSDESK_TICKET_INT_H

#include "core/result.h"
#include "domain/tickets.h"

#include <stddef.h>

struct arena;
struct db;
struct json_t;

/*
 * Scope of a read or a lock, as four parameters: is staff, the customer,
 * whether the customer sees the whole account, the requester. Staff see
 * every ticket; customers their account's (account admins) or their own.
 * Row-level security says the same for the portal's role: this is the
 * second lock on the door, and the one that holds for requester_id.
 */
#define TICKET_SCOPE(a, b, c, d) \
	" (" a " OR (t.customer_id = " b " AND (" c " OR t.requester_id = " d ")))"

/* Times as pages show them (UTC). */
#define TICKET_TS(x) "coalesce(to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), '')"

/* Text of a number, for parameters. */
struct tnum {
	char s[24];
};

const char *tnum(struct tnum *n, long long v);
/* The number, or NULL (SQL NULL) for 0. */
const char *tnum_or_null(struct tnum *n, long long v);

/* Customers are not staff; the system and API keys act as staff. */
int ticket_is_staff(const struct ticket_actor_ref *by);

/* Fills p[0..3] with the scope of by (see TICKET_SCOPE). */
void ticket_scope_params(const struct ticket_actor_ref *by, struct tnum n[2], const char **p);

/* Sets *why (when why is not NULL) and returns CS_REFUSED. */
enum cs_result ticket_refuse(const char **why, const char *text);

/* Whether s is NULL or only blanks. */
int ticket_blank(const char *s);

/* What a lock tells about the ticket it holds. */
struct ticket_locked {
	enum ticket_status status;
	int version;
	int awaits_response;		/* first_response_at is still NULL */
	const char *number;		/* in the arena */
};

/*
 * Locks the ticket for a change, inside the caller's transaction, if by
 * may see it. CS_OK with *l filled, CS_NOT_FOUND, or the failure.
 */
enum cs_result ticket_lock(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, struct ticket_locked *l);

/*
 * Ends a change's transaction by its result: commits CS_OK, and also
 * CS_REFUSED and CS_NOT_FOUND, which come before any write (nothing to
 * undo, and the caller's transaction stays usable for the page that
 * explains); rolls anything else back. Returns rc, or the commit's failure.
 */
enum cs_result ticket_end(struct db *db, enum cs_result rc);

/* Adds a ticket_events row (the history pages show). CS_OK or the failure. */
enum cs_result ticket_history(struct db *db, const struct ticket_actor_ref *by,
    long long ticket_id, const char *field, const char *old_value, const char *new_value);

/*
 * Appends the domain event type about ticket_id by by, with payload (a
 * JSON object, taken: decref'd here; NULL when jansson ran out of memory,
 * which fails). "ip" is added when ip is given. CS_OK or the failure.
 */
enum cs_result ticket_event(struct db *db, const struct ticket_actor_ref *by,
    long long ticket_id, const char *type, struct json_t *payload, const char *ip);

/* Checks files before anything is written: NULL when all may be stored. */
const char *ticket_files_refused(const struct ticket_file *files, size_t n);

/* Stores files of the ticket (comment_id 0: of the ticket itself), with
 * a history row each. CS_OK or the failure. */
enum cs_result ticket_files_store(struct db *db, const struct ticket_actor_ref *by,
    long long ticket_id, long long comment_id, const struct ticket_file *files, size_t n);

/*
 * Adds the comment of in to a ticket already locked (l), with its events:
 * the body of ticket_reply, shared with a reopen that carries its reason.
 * Refusals are checked by the caller. Fills *out (may be NULL). CS_OK or
 * the failure.
 */
enum cs_result ticket_reply_locked(struct db *db, struct arena *a,
    const struct ticket_actor_ref *by, const struct ticket_reply_in *in,
    const struct ticket_locked *l, struct ticket_replied *out);

/*
 * The checks of a comment that need no database: kind, body, minutes,
 * files. NULL when it may be added, else the sentence (minutes_spent is
 * not checked for customers: theirs is always 0).
 */
const char *ticket_reply_refused(const struct ticket_actor_ref *by,
    const struct ticket_reply_in *in, int *not_found);

/* Whether v is NULL, or valid UTF-8 of at most max characters. */
int ticket_text_fits(const char *v, size_t max);

#endif
