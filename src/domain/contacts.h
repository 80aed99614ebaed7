/*
 * contacts.h — finding the customer behind an e-mail address or a phone
 * number, and making one when there is none: what mail intake and the
 * API's ticket creation need for people who never registered.
 *
 * A contact made here is a person's account with one portal login that
 * has no password (NULL) and an unverified address. No sign-in path takes
 * it (password, sign-in link, reset link: 020's auth_token_issue refuses
 * them) until the person sets a password through the invitation link that
 * comes with the first mail about their request (ticket_notify.h). A
 * phone number alone makes an account with the phone and no login (no
 * mail can go to it).
 *
 * Results (core/result.h): CS_OK; CS_REFUSED with *why (neither a usable
 * address nor a phone, a staff member's address, a disabled login); or
 * the failure (logged). Strings come back in the arena given.
 */
#ifndef CSDESK_CONTACTS_H
#define CSDESK_CONTACTS_H

#include "core/result.h"

struct arena;
struct db;

struct contact_in {
	const char *email;		/* NULL or "": find by phone */
	const char *phone;		/* NULL or "" */
	const char *name;		/* a new contact's name; NULL or "": from the address */
	const char *via;		/* "email", "api": recorded with the event */
	/* The caller has just looked the address up and found no login
	 * (mail intake's one lookup call): made without asking again. */
	int absent;
};

struct contact {
	long long customer_id;
	long long user_id;		/* 0: an account without a login (phone only) */
	int created;			/* made now */
};

/*
 * The active contact with in->email (any case), else the first active
 * account whose phone ends with in->phone's digits; made when there is
 * none, in its own transaction (joining the caller's), with a
 * customer.contact_created event. Two calls for the same new address at
 * once give the same contact.
 */
enum cs_result contact_find_or_create(struct db *db, struct arena *a, const struct contact_in *in,
    struct contact *out, const char **why);

#endif
