/*
 * session.h — signed-in sessions for customers (portal) and staff
 * (console).
 *
 * A session token is 32 random bytes, sent to the browser once in a cookie
 * (unpadded base64url, 43 characters); the database keeps only its
 * BLAKE2b hash. Each session carries its own CSRF token. Idle and absolute
 * lifetimes are fixed when the session starts. Lookups record activity at
 * most once a minute.
 */
#ifndef CSDESK_SESSION_H
#define CSDESK_SESSION_H

#include <stddef.h>

#include "core/http.h"

struct arena;
struct db;

#define SESSION_TOKEN_LEN 43

/* Lifetimes in seconds (docs/security.md, "Sessions"), overridable for tests. */
struct session_policy {
	int staff_idle, staff_absolute;
	int customer_idle, customer_absolute, customer_remember;
};

/* The lifetimes in force: defaults or CSDESK_SESSION_* variables. */
const struct session_policy *session_policy(void);

/* A new token (in the arena) and its hash; NULL when out of memory. */
char *session_token_new(struct arena *a, unsigned char hash[32]);

/* Hash of a token from a cookie; -1 when it is not well formed. */
int session_token_hash(const char *token, unsigned char hash[32]);

/*
 * Looks up a live session by token and fills who (strings in the arena).
 * Returns 1 found, 0 not found or expired, -1 database error.
 */
int session_customer_lookup(struct db *db, struct arena *a, const char *token,
    struct principal *who, const char **csrf);
int session_staff_lookup(struct db *db, struct arena *a, const char *token,
    struct principal *who, const char **csrf);

/*
 * Starts a session for a person whose password (and second factor) was
 * just checked. *token (for the cookie) and *csrf are set in the arena.
 * Returns 0 or -1.
 */
int session_customer_start(struct db *db, struct arena *a, long long user_id, int remember,
    const char *user_agent, const char *ip, const char **token, const char **csrf);
int session_staff_start(struct db *db, struct arena *a, long long staff_id,
    const char *user_agent, const char *ip, const char **token, const char **csrf);

/* Ends the session with this token (logout). 0 or -1. */
int session_customer_end(struct db *db, const char *token);
int session_staff_end(struct db *db, const char *token);

/*
 * Ends every session of a person except keep_session_id (0: all of them):
 * after a password change, on deactivation. Returns how many, or -1.
 */
long long session_staff_end_all(struct db *db, long long staff_id, long long keep_session_id);
long long session_customer_end_all(struct db *db, long long user_id, long long keep_session_id);
/* Every session of every person of a customer account (deactivation). */
long long session_account_end_all(struct db *db, long long customer_id);

struct session_row {
	long long id;
	const char *created_at, *last_seen_at, *user_agent, *ip;
	int current;
};

/* A person's live sessions, newest first (at most 50). 0 or -1. */
int session_customer_list(struct db *db, struct arena *a, long long user_id,
    long long current_id, struct session_row **rows, size_t *n);

/* Ends one session of this person (not someone else's). 1 ended, 0 none, -1. */
int session_customer_end_one(struct db *db, long long user_id, long long session_id);

#endif
