/*
 * staff_auth.h — how a staff member proves who they are: the row a
 * sign-in checks (password hash, activity, second factor), changing the
 * password, and the second factor (a TOTP secret, pending until a code
 * confirms it, and single-use recovery codes stored hashed). Passwords are
 * checked in C (auth/password.h) after fetching the row, never in SQL.
 *
 * Every function that can fail returns an enum cs_result. Strings come
 * back in the arena given.
 */
#ifndef CSDESK_STAFF_AUTH_H
#define CSDESK_STAFF_AUTH_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;

struct staff_login {
	long long id;
	const char *name;
	const char *password_hash;	/* NULL when no such person */
	const char *roles;
	int active;
	int totp_enabled;
	unsigned char totp_secret[64];
	size_t totp_secret_len;		/* 0 when none, even pending */
	long long totp_last_step;
};

/*
 * Fills l for the staff member with that e-mail; l->password_hash stays
 * NULL when there is none (still CS_OK). CS_OK or the failure.
 */
enum cs_result staff_auth_lookup(struct db *db, struct arena *a, const char *email,
    struct staff_login *l);

/*
 * The stored hash of an active person's password, for re-authentication:
 * CS_OK, CS_NOT_FOUND (*hash NULL) or the failure.
 */
enum cs_result staff_auth_hash(struct db *db, struct arena *a, long long staff_id,
    const char **hash);

/* A new password hash (the caller checked the old password). CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result staff_auth_set_password(struct db *db, long long staff_id, const char *hash);

/* Stores a new secret, pending until staff_totp_enable. CS_OK or the failure. */
enum cs_result staff_totp_set_pending(struct db *db, long long staff_id,
    const unsigned char *secret, size_t len);

/*
 * Turns the pending secret on, step being the time step of the code that
 * proved it, and replaces the recovery codes by code_hashes, in one
 * transaction. CS_OK, CS_NOT_FOUND (no pending secret) or the failure.
 */
enum cs_result staff_totp_enable(struct db *db, long long staff_id, long long step,
    unsigned char (*code_hashes)[32], size_t ncodes);

/* Removes the secret and the recovery codes. CS_OK or the failure. */
enum cs_result staff_totp_disable(struct db *db, long long staff_id);

/*
 * Records that the code of step was used, atomically: CS_OK, CS_TAKEN when
 * that step (or a later one) was used already, or the failure.
 */
enum cs_result staff_totp_use_step(struct db *db, long long staff_id, long long step);

/*
 * Spends an unused recovery code with that hash: CS_OK, CS_NOT_FOUND when
 * none matches, or the failure.
 */
enum cs_result staff_totp_use_recovery(struct db *db, long long staff_id,
    const unsigned char hash[32]);

/*
 * "Continue by e-mail link" for staff under attack on a new device.
 * staff_link_issue makes a single-use sign-in link for the active staff
 * member with that e-mail, valid for seconds (older unused links are
 * void), unless STAFF_LINK_MAIL_MAX went to the address in the last hour:
 * *token (in the arena) and *to, the address to mail it to. CS_OK,
 * CS_NOT_FOUND (no such active person), CS_REFUSED (the address had its
 * share) or the failure. Call it in the transaction that queues the mail.
 */
#define STAFF_LINK_SECONDS (15 * 60)
#define STAFF_LINK_MAIL_MAX 3
#define STAFF_LINK_MAIL_KIND "staff_signin_link"
enum cs_result staff_link_issue(struct db *db, struct arena *a, const char *email,
    const char **token, const char **to);

/*
 * The e-mail of the active staff member a valid, unused link is for,
 * without spending it (the second factor comes first). CS_OK,
 * CS_NOT_FOUND or the failure.
 */
enum cs_result staff_link_check(struct db *db, struct arena *a, const char *token,
    const char **email);

/* Spends a link: CS_OK with *staff_id, CS_NOT_FOUND (used, expired, unknown) or the failure. */
enum cs_result staff_link_redeem(struct db *db, const char *token, long long *staff_id);

#endif
