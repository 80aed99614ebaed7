/*
 * idempotency.h — a retried change answers what the first one did.
 *
 * A client names each change with a key: the API's Idempotency-Key header,
 * or a form's hidden one-time token (idem_form_token). The first request
 * with a key claims it and, in the same transaction as the ticket or
 * comment it makes, stores its answer (status, Location, body); a retry
 * with the key gets that answer back instead of making a second one. So a
 * client that timed out (a 502/504 after the work committed) may simply
 * send again. Keys belong to an owner (an API key, a portal user, a staff
 * member: the scope says which) and live IDEM_TTL_HOURS; the batch's
 * housekeeping deletes older ones.
 *
 * Concurrency: a second request with a key whose first is still running
 * waits on the first's row (bounded by the lock timeout) and then replays
 * its answer; if the first rolled back, the second claims the key itself.
 */
#ifndef CSDESK_IDEMPOTENCY_H
#define CSDESK_IDEMPOTENCY_H

#include "core/result.h"

struct arena;
struct db;

#define IDEM_TTL_HOURS 24
/* The longest key a client may send, in bytes (printable ASCII only). */
#define IDEM_KEY_MAX 255

enum idem_scope {
	IDEM_API,		/* owner: api_keys.id */
	IDEM_PORTAL,		/* owner: portal_users.id */
	IDEM_CONSOLE,		/* owner: staff.id */
	IDEM_SCOPE__MAX
};

/* What a claim found. */
struct idem_claim {
	int replay;		/* 1: answer with what is stored below */
	int status;		/* the stored HTTP status (0 for a ticket's key) */
	const char *location;	/* the stored Location, or "" */
	const char *body;	/* the stored body, or "" */
	long long ticket_id;	/* the ticket the first request opened, or 0 */
	const char *ticket_number;	/* its number, or "" */
};

/*
 * A change named by its client, for the use case that makes it to claim
 * in its own transaction (ticket_open: tickets.h).
 */
struct idem_key {
	enum idem_scope scope;
	long long owner_id;
	const char *key;	/* idem_key_valid */
	const char *request;	/* what it asks, compared by hash; NULL compares nothing */
};

/* Non-zero when key is 1..IDEM_KEY_MAX printable ASCII characters. */
int idem_key_valid(const char *key);

/* A fresh form token in the arena (random, URL-safe), or NULL when out of memory. */
const char *idem_form_token(struct arena *a);

/*
 * Claims key for the request whose content is request (method, path and
 * body as the caller chooses; compared by its hash; NULL compares
 * nothing). Must run inside the caller's transaction (db_begin), which
 * then also makes the change and calls idem_store before committing.
 *
 * CS_OK with out->replay 0: the key is this request's, go on.
 * CS_OK with out->replay 1: an earlier request with the key answered;
 *   answer the same (out's strings are in the arena).
 * CS_REFUSED with *why: the key was used for a different request.
 * CS_CONFLICT: the key is claimed but holds no answer (answer 409).
 * Else the failure (CS_DB_LOST also when the wait for a running first
 * request ran out of time).
 */
enum cs_result idem_claim(struct db *db, struct arena *a, enum idem_scope scope,
    long long owner_id, const char *key, const char *request, struct idem_claim *out,
    const char **why);

/*
 * Stores the answer to the request that claimed key (location and body
 * may be NULL), in the caller's transaction. CS_OK or the failure.
 */
enum cs_result idem_store(struct db *db, enum idem_scope scope, long long owner_id,
    const char *key, int status, const char *location, const char *body);

/*
 * Stores the ticket the request that claimed k opened, in the caller's
 * transaction: a retry answers with that ticket as it stands then. CS_OK
 * or the failure.
 */
enum cs_result idem_store_ticket(struct db *db, const struct idem_key *k, long long ticket_id);

#endif
