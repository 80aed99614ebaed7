/*
 * customers.h — customer accounts (a person or a company) and the portal
 * logins that belong to them: opening an account with its first login,
 * finding and listing accounts, changing an account's name, kind, tier,
 * language, phone and activity, and turning its portal users' activity
 * and account-admin flag on and off. What a portal user does to their own
 * login is portal_users.h.
 *
 * Every change runs in one transaction (nested inside the caller's, if
 * any) with its audit record as by (actor_kind, actor_id and ip).
 * Deactivating an account ends the sessions of all of its people,
 * deactivating one portal user ends theirs, in that same transaction.
 *
 * Every function that can fail returns an enum cs_result; CS_REFUSED comes
 * with a sentence for the person in *why. Strings come back in the arena
 * given.
 */
#ifndef CSDESK_CUSTOMERS_H
#define CSDESK_CUSTOMERS_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct audit_entry;
struct db;

/* Limits, as the customers table's CHECKs have them (characters). */
#define CUSTOMER_NAME_MAX 200
#define CUSTOMER_PHONE_MAX 40
#define CUSTOMER_LANGUAGE_MAX 5		/* "en-GB" */

/* Rows per page of the customer list, and the longest text it searches for. */
#define CUSTOMER_PAGE 50
#define CUSTOMER_SEARCH_MAX 200

/* The allowed kinds and tiers, in display order, NULL-terminated. */
extern const char *const customer_kinds[];
extern const char *const customer_tiers[];

/* Non-zero for a language an account may have: "en" or "en-GB". */
int customer_language_ok(const char *s);

/* Non-zero for a phone number: digits, spaces and + - ( ) . / with a digit. */
int customer_phone_ok(const char *s);

/* One line of the customer list. */
struct customer_row {
	long long id;
	const char *name, *kind, *tier, *language;
	const char *email;	/* the first portal login's, "" when none */
	long long users;	/* portal logins */
	int active;
};

struct customer_query {
	const char *text;	/* "" or text to find in the name or a login's e-mail */
	long long before;	/* keyset: only ids below this (0: from the newest) */
};

/*
 * Up to CUSTOMER_PAGE accounts matching q, newest first. *rows is an
 * arena array of *n rows; *next is the id to continue before when there
 * are more, else 0. CS_OK, CS_REFUSED (q->text over CUSTOMER_SEARCH_MAX
 * characters) or the failure.
 */
enum cs_result customer_list(struct db *db, struct arena *a, const struct customer_query *q,
    struct customer_row **rows, size_t *n, long long *next);

/* An account as the edit form shows and changes it. */
struct customer_account {
	long long id;
	const char *name;	/* 1..CUSTOMER_NAME_MAX characters */
	const char *kind;	/* one of customer_kinds */
	const char *tier;	/* one of customer_tiers */
	const char *language;	/* customer_language_ok */
	const char *phone;	/* "" for none, else customer_phone_ok */
	int active;
	const char *created_at;	/* read-only, UTC "YYYY-MM-DD HH:MM" */
};

/* One portal login of an account. */
struct customer_user {
	long long id;
	const char *name, *email;
	int verified, active, account_admin;
	const char *created_at;	/* UTC "YYYY-MM-DD HH:MM" */
};

/*
 * Fills c and the account's portal users (*users, an arena array of *n,
 * oldest first). CS_OK, CS_NOT_FOUND or the failure.
 */
enum cs_result customer_get(struct db *db, struct arena *a, long long id,
    struct customer_account *c, struct customer_user **users, size_t *n);

/* A new account and its first portal login, the account's admin. */
struct customer_new {
	struct customer_account account;	/* id, active and created_at ignored */
	const char *login_email;		/* stored lower-cased */
	const char *login_name;			/* 1..CUSTOMER_NAME_MAX characters */
	const char *password_hash;
	int verified;				/* the address is known to be right */
};

/*
 * Opens the account and its login; sets *id and *user_id. by NULL records
 * no audit row (the command line, test fixtures). Returns CS_OK, CS_TAKEN
 * (the login e-mail is in use), CS_REFUSED (a limit) or the failure.
 */
enum cs_result customer_create(struct db *db, const struct audit_entry *by,
    const struct customer_new *in, long long *id, long long *user_id, const char **why);

/*
 * Saves c (everything but created_at). When c->active is off, every
 * session of every person of the account ends. Returns CS_OK, CS_REFUSED
 * (a limit), CS_NOT_FOUND or the failure.
 */
enum cs_result customer_update(struct db *db, const struct audit_entry *by,
    const struct customer_account *c, const char **why);

/* What customer_user_set changes. */
enum customer_flag {
	CUSTOMER_USER_ACTIVE,
	CUSTOMER_USER_ACCOUNT_ADMIN,
	CUSTOMER_FLAG__MAX
};

/*
 * Turns flag on or off for portal user user_id of account customer_id;
 * turning a user's activity off ends their sessions. Returns CS_OK,
 * CS_NOT_FOUND (no such user in that account) or the failure.
 */
enum cs_result customer_user_set(struct db *db, const struct audit_entry *by,
    long long customer_id, long long user_id, enum customer_flag flag, int on);

#endif
