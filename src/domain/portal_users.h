/*
 * portal_users.h — the people who sign in to the portal for a customer
 * account: finding one to sign in, registering from the portal, and what
 * only the person may change (password, e-mail), with the single-use
 * links (e-mail verification, password reset) that prove a mailbox. An
 * admin's view of the accounts and their users is customers.h.
 *
 * Every function that can fail returns an enum cs_result; CS_REFUSED
 * comes with a sentence for the person in *why. Strings come back in the
 * arena given.
 */
#ifndef CSDESK_PORTAL_USERS_H
#define CSDESK_PORTAL_USERS_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;

/* Limits, as the portal_users table's CHECKs have them (characters). */
#define PORTAL_USER_NAME_MAX 200
#define PORTAL_USER_EMAIL_MAX 254

/* How long a link stays valid, in seconds: verification 2 days, reset 2 hours. */
#define PORTAL_LINK_VERIFY_SECONDS (48 * 3600)
#define PORTAL_LINK_RESET_SECONDS (2 * 3600)
/* A sign-in link ("continue by e-mail") works for 15 minutes. */
#define PORTAL_LINK_SIGNIN_SECONDS (15 * 60)

/*
 * Mail that anyone may cause to be sent to an address, without signing
 * in, is limited per address: at most _MAX of the kind in _WINDOW
 * seconds. Counted in the outbox, so every worker and host shares it.
 */
#define PORTAL_MAIL_RESET_MAX 3		/* password reset links an hour */
#define PORTAL_MAIL_RESET_WINDOW 3600
#define PORTAL_MAIL_SIGNIN_MAX 3	/* sign-in links an hour */
#define PORTAL_MAIL_SIGNIN_WINDOW 3600
#define PORTAL_MAIL_EXISTS_MAX 1	/* "someone tried to register your address" a day */
#define PORTAL_MAIL_EXISTS_WINDOW (24 * 3600)

struct portal_login {
	long long user_id, customer_id;
	const char *name;
	const char *password_hash;	/* NULL when no such person */
	int active;
	int verified;
};

/*
 * Fills l for the portal user with that e-mail; l->password_hash stays
 * NULL when there is none (still CS_OK). CS_OK or the failure.
 */
enum cs_result portal_user_lookup(struct db *db, struct arena *a, const char *email,
    struct portal_login *l);

/* A registration from the portal. */
struct portal_signup {
	const char *name;		/* 1..PORTAL_USER_NAME_MAX characters */
	const char *email;		/* an address the outbox accepts */
	const char *password_hash;
	const char *language;		/* "en" */
};

/* Whether s keeps the limits: CS_OK, or CS_REFUSED with why. Cannot fail otherwise. */
enum cs_result portal_signup_check(const struct portal_signup *s, const char **why);

/*
 * Opens a person account with one unverified portal login for s: sets
 * *user_id and *customer_id. Returns CS_OK, CS_TAKEN (the address has a
 * login already, or is a staff member's), CS_REFUSED (a limit) or the
 * failure.
 */
enum cs_result portal_user_register(struct db *db, const struct portal_signup *s,
    long long *user_id, long long *customer_id, const char **why);

/*
 * Sets *staff to 1 when a staff member has the address email, else 0: who
 * must hear of a registration CS_TAKEN refused. CS_OK or the failure.
 */
enum cs_result portal_address_staff(struct db *db, const char *email, int *staff);

/* A new password hash (the caller checked the old one). CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result portal_user_set_password(struct db *db, long long user_id, const char *hash);

/*
 * A new e-mail address, unverified again. CS_OK, CS_REFUSED (not an
 * address), CS_TAKEN (another login uses it), CS_NOT_FOUND or the failure.
 */
enum cs_result portal_user_set_email(struct db *db, long long user_id, const char *email,
    const char **why);

/* Marks the address verified (once). CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result portal_user_mark_verified(struct db *db, long long user_id);

/*
 * The stored hash of an active person's password, for re-authentication,
 * and whether the address is verified (verified may be NULL). CS_OK,
 * CS_NOT_FOUND (*hash NULL) or the failure.
 */
enum cs_result portal_user_hash(struct db *db, struct arena *a, long long user_id,
    const char **hash, int *verified);

/* A portal user's name and e-mail (for announcements). CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result portal_user_contact(struct db *db, struct arena *a, long long user_id,
    const char **name, const char **email);

/*
 * Single-use links. portal_link_issue stores the hash of a new token for
 * the active user with that e-mail (email non-NULL) or id, valid for
 * seconds, and hands back the token (in the arena), the user's name and
 * e-mail. CS_OK, CS_NOT_FOUND when there is no such user, or the failure.
 */
enum cs_result portal_link_issue(struct db *db, struct arena *a, const char *purpose,
    const char *email, long long user_id, int seconds, const char **token, const char **name,
    const char **to);

/*
 * Spends a link: CS_OK with the user and customer ids when it is valid
 * (it is used now), CS_NOT_FOUND when not (unknown, used or expired), or
 * the failure.
 */
enum cs_result portal_link_redeem(struct db *db, const char *purpose, const char *token,
    long long *user_id, long long *customer_id);

/*
 * Whether one more mail of kind (the outbox's kind: "reset_password",
 * "signin_link", "account_exists", …) may go to email, under max in the
 * last seconds. Call it inside the transaction that queues the mail: it
 * holds a lock on (kind, address) until that transaction ends, so two
 * workers cannot both take the last place. CS_OK allowed, CS_REFUSED
 * over the limit, or the failure.
 */
enum cs_result portal_mail_allowed(struct db *db, const char *kind, const char *email, int max,
    int seconds);

#endif
