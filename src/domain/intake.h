/*
 * intake.h — finding the customer on the line and, when they are new,
 * opening their account on the spot: what the console's quick create
 * (phone, walk-in) needs besides ticket_open().
 *
 * A "contact" is one portal login of a customer account: the requester a
 * ticket's mail goes to. A customer found by phone may have several (one
 * match each) or none (one match with user_id 0).
 *
 * Results (core/result.h): CS_OK, CS_NOT_FOUND, CS_TAKEN, or the failure
 * (logged). Strings come back in the arena given.
 */
#ifndef CSDESK_INTAKE_H
#define CSDESK_INTAKE_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct audit_entry;
struct db;
struct ticket_actor_ref;
struct ticket_new;
struct ticket_opened;

/* Most matches one search gives. */
#define INTAKE_MATCHES_MAX 20
/* Fewest digits a phone search needs (fewer would match half the book). */
#define INTAKE_PHONE_MIN_DIGITS 6

struct intake_match {
	long long customer_id;
	const char *customer, *tier, *phone;	/* phone "" when none */
	long long user_id;			/* 0: the account has no active login */
	const char *name, *email;		/* the login's, "" when none */
};

/*
 * The active contacts for what the agent typed: an e-mail address (exact,
 * any case) or a phone number: its digits match a customer's phone whose
 * digits end with them, however either was written ("30 1234 5678"
 * finds "+49 30 1234-5678"). *out is an arena array of *n, at
 * most INTAKE_MATCHES_MAX. A term that is neither (no '@', fewer than
 * INTAKE_PHONE_MIN_DIGITS digits) finds nothing. CS_OK or the failure.
 */
enum cs_result intake_find(struct db *db, struct arena *a, const char *term, struct intake_match **out,
    size_t *n);

/*
 * One contact: user_id > 0 an active login (and its active account), else
 * customer_id an active account by itself. CS_OK, CS_NOT_FOUND or the
 * failure.
 */
enum cs_result intake_contact(struct db *db, struct arena *a, long long customer_id, long long user_id,
    struct intake_match *m);

/* Digits in s: what a phone search compares. */
size_t intake_phone_digits(const char *s);

/*
 * Opens an account for a caller: customer name with phone (may be "") and
 * one login for email (lower-cased, not verified, no password — they set
 * one through "forgot password" when they want the portal), as the
 * account's admin, in language. Audited as by's change. Sets
 * *customer_id and *user_id. CS_OK, CS_TAKEN (a portal login already has
 * that e-mail) or the failure.
 */
enum cs_result intake_customer_create(struct db *db, const struct audit_entry *by,
    const char *name, const char *email, const char *phone, const char *language,
    long long *customer_id, long long *user_id);

/* A caller's new account (quick create's "new customer"). */
struct intake_account {
	const char *name, *email, *phone, *language;
	const struct audit_entry *by;	/* who opens it, for the audit trail */
};

/*
 * Opens t for a caller as one change: with t->once, the key is claimed
 * first (a retry gets CS_OK with out->replayed and the first's ticket,
 * and opens no second account); with account, the account is opened
 * (intake_customer_create) and t is opened for it; then ticket_open. The
 * key, the account and the ticket commit together. CS_TAKEN: a portal
 * login already has account's e-mail (nothing done); else what
 * ticket_open returns.
 */
enum cs_result intake_open(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const struct intake_account *account, struct ticket_new *t, struct ticket_opened *out,
    const char **why);

#endif
