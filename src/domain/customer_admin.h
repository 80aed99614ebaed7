/*
 * customer_admin.h — what admins do to customer accounts from the
 * console: find them, open one with its first portal login, change an
 * account's name, kind, tier, language, phone and activity, and turn its
 * portal users' activity and account-admin flag on and off.
 *
 * Every change runs in one transaction (nested inside the caller's, if
 * any) with its audit record. Deactivating an account ends the sessions of
 * all of its people, deactivating one portal user ends theirs, in that
 * same transaction.
 *
 * Changes take `by`, who acts: its actor_kind, actor_id and ip go into the
 * audit record (the rest of it is ignored).
 *
 * Functions return 0 (or a new id) on success, a negative CUSTOMER_ADMIN_*
 * code otherwise; -1 is a database error (logged). Strings come back in
 * the arena given.
 */
#ifndef CSDESK_CUSTOMER_ADMIN_H
#define CSDESK_CUSTOMER_ADMIN_H

#include <stddef.h>

struct arena;
struct audit_entry;
struct db;

/* Rows per page of the customer list. */
#define CUSTOMER_ADMIN_PAGE 50

#define CUSTOMER_ADMIN_NOT_FOUND (-2)	/* no such account or user (in that account) */
#define CUSTOMER_ADMIN_TAKEN (-3)	/* the login e-mail is already in use */

/* The allowed kinds and tiers, in display order, NULL-terminated. */
extern const char *const customer_admin_kinds[];
extern const char *const customer_admin_tiers[];

/* One line of the customer list. */
struct customer_admin_row {
	long long id;
	const char *name, *kind, *tier, *language;
	const char *email;	/* the first portal login's, "" when none */
	long long users;	/* portal logins */
	int active;
};

struct customer_admin_query {
	const char *text;	/* "" or text to find in the name or a login's e-mail */
	long long before;	/* keyset: only ids below this (0: from the newest) */
};

/*
 * Up to CUSTOMER_ADMIN_PAGE accounts matching q, newest first. *rows is an
 * arena array of *n rows; *next is the id to continue before when there
 * are more, else 0. Returns 0 or -1.
 */
int customer_admin_list(struct db *db, struct arena *a, const struct customer_admin_query *q,
    struct customer_admin_row **rows, size_t *n, long long *next);

/* An account as the edit form shows and changes it. */
struct customer_admin_account {
	long long id;
	const char *name;
	const char *kind;	/* one of customer_admin_kinds */
	const char *tier;	/* one of customer_admin_tiers */
	const char *language;	/* "en" or "en-GB" */
	const char *phone;	/* "" for none */
	int active;
	const char *created_at;	/* read-only, UTC "YYYY-MM-DD HH:MM" */
};

/* One portal login of an account. */
struct customer_admin_user {
	long long id;
	const char *name, *email;
	int verified, active, account_admin;
	const char *created_at;	/* UTC "YYYY-MM-DD HH:MM" */
};

/*
 * Fills c and the account's portal users (*users, an arena array of *n,
 * oldest first). Returns 1 found, 0 no such account, -1.
 */
int customer_admin_get(struct db *db, struct arena *a, long long id,
    struct customer_admin_account *c, struct customer_admin_user **users, size_t *n);

/*
 * Creates an account from c (id, active and created_at ignored) with its
 * first portal login: login_email (stored lower-cased, marked verified —
 * an admin typed it), login_name and a password hash, as the account's
 * admin. Sets *user_id. Returns the account id, CUSTOMER_ADMIN_TAKEN or -1.
 */
long long customer_admin_create(struct db *db, const struct audit_entry *by,
    const struct customer_admin_account *c, const char *login_email, const char *login_name,
    const char *password_hash, long long *user_id);

/*
 * Saves c (everything but created_at). When c->active is off, every
 * session of every person of the account ends. Returns 0,
 * CUSTOMER_ADMIN_NOT_FOUND or -1.
 */
int customer_admin_update(struct db *db, const struct audit_entry *by,
    const struct customer_admin_account *c);

/* What customer_admin_user_set changes. */
enum customer_admin_flag {
	CUSTOMER_ADMIN_USER_ACTIVE,
	CUSTOMER_ADMIN_USER_ACCOUNT_ADMIN,
	CUSTOMER_ADMIN_FLAG__MAX
};

/*
 * Turns flag on or off for portal user user_id of account customer_id;
 * turning a user's activity off ends their sessions. Returns 0,
 * CUSTOMER_ADMIN_NOT_FOUND (no such user in that account) or -1.
 */
int customer_admin_user_set(struct db *db, const struct audit_entry *by,
    long long customer_id, long long user_id, enum customer_admin_flag flag, int on);

#endif
