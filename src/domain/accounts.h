/*
 * accounts.h — the people who sign in: staff and customers' portal users.
 * Creating them, finding them to sign in, and changing what only they may
 * change (password, e-mail, second factor). Listing and editing people is
 * the admin pages' business (staff_admin.h, customer_admin.h).
 *
 * Functions return 0 on success and -1 on a database error unless said
 * otherwise; strings come back in the arena given.
 */
#ifndef CSDESK_ACCOUNTS_H
#define CSDESK_ACCOUNTS_H

#include <stddef.h>

struct arena;
struct db;

/* Returned by the create functions when the e-mail is already in use. */
#define ACCOUNTS_TAKEN (-2)

/* roles: comma-separated subset of agent,supervisor,technician,admin. */
long long accounts_staff_create(struct db *db, const char *email, const char *name,
    const char *password_hash, const char *roles);

/*
 * A new customer account (name: the person or the company) with one
 * portal login for user_name, who administers the account. Returns the
 * customer id, ACCOUNTS_TAKEN or -1; *user_id is the login's id.
 */
long long accounts_customer_create(struct db *db, const char *name, const char *kind,
    const char *tier, const char *language, const char *email, const char *user_name,
    const char *password_hash, int verified, long long *user_id);

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

/* Fills l for the staff member with that e-mail; l->password_hash stays
 * NULL when there is none. */
int accounts_staff_login(struct db *db, struct arena *a, const char *email,
    struct staff_login *l);

struct customer_login {
	long long user_id, customer_id;
	const char *name;
	const char *password_hash;	/* NULL when no such person */
	int active;
	int verified;
};

int accounts_customer_login(struct db *db, struct arena *a, const char *email,
    struct customer_login *l);

/* Registration from the portal: a person account, unverified. Returns the
 * portal user id, ACCOUNTS_TAKEN, or -1. */
long long accounts_register(struct db *db, const char *name, const char *email,
    const char *password_hash, const char *language, long long *customer_id);

/* Password and e-mail changes; the caller has checked the old password. */
int accounts_staff_set_password(struct db *db, long long staff_id, const char *hash);
int accounts_user_set_password(struct db *db, long long user_id, const char *hash);
/* Sets a new e-mail (unverified again). 0, ACCOUNTS_TAKEN or -1. */
int accounts_user_set_email(struct db *db, long long user_id, const char *email);
int accounts_user_mark_verified(struct db *db, long long user_id);

/* The stored hash of a person's password, for re-authentication. */
const char *accounts_staff_hash(struct db *db, struct arena *a, long long staff_id);
const char *accounts_user_hash(struct db *db, struct arena *a, long long user_id,
    int *verified);

/* A portal user's name and e-mail (for announcements). 0 or -1. */
int accounts_user_contact(struct db *db, struct arena *a, long long user_id,
    const char **name, const char **email);

/*
 * Single-use links. accounts_link_issue stores the hash of a new token
 * for the user with that e-mail (email non-NULL) or id, valid for seconds;
 * returns 1 and the token (in the arena), the user's name and e-mail when
 * such an active user exists, 0 when not, -1 on error.
 */
int accounts_link_issue(struct db *db, struct arena *a, const char *purpose,
    const char *email, long long user_id, int seconds, const char **token,
    const char **name, const char **to);

/* Uses a link: 1 and the user and customer ids when it is valid (it is
 * spent now), 0 when not (unknown, used or expired), -1 on error. */
int accounts_link_redeem(struct db *db, const char *purpose, const char *token,
    long long *user_id, long long *customer_id);

/* Second factor: a pending secret until confirmed; recovery codes hashed. */
int accounts_totp_set_pending(struct db *db, long long staff_id, const unsigned char *secret,
    size_t len);
int accounts_totp_enable(struct db *db, long long staff_id, long long step,
    unsigned char (*code_hashes)[32], size_t ncodes);
int accounts_totp_disable(struct db *db, long long staff_id);
int accounts_totp_used_step(struct db *db, long long staff_id, long long step);
/* 1 when a recovery code hash matched an unused code (now used), 0, -1. */
int accounts_totp_use_recovery(struct db *db, long long staff_id, const unsigned char hash[32]);

/* A setting's value (settings table), or fallback. */
const char *accounts_setting(struct db *db, struct arena *a, const char *key,
    const char *fallback);

#endif
