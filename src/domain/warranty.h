/*
 * warranty.h — what customers own and what covers it: warranty
 * registrations (one per serial) and their coverage, per component
 * (parts, labour, travel), from the product's terms and any service
 * contract. See docs/warranty.md.
 *
 * Coverage is computed in the database (sql/functions/140_warranty.sql)
 * and stored per registration when anything it depends on changes and when
 * a midnight in the customer's time zone passes (warranty_coverage_tick,
 * the batch's coverage step), so pages read it and never compute it.
 *
 * Functions return an enum cs_result; CS_REFUSED comes with a sentence
 * for the person in *why (and, for a form, the field in *field). Strings
 * come back in the arena given.
 */
#ifndef CSDESK_WARRANTY_H
#define CSDESK_WARRANTY_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;

/* Who acts: a customer (portal), staff (console) or the batch. */
enum warranty_actor_kind {
	WA_CUSTOMER,
	WA_STAFF,
	WA_SYSTEM
};

struct warranty_actor {
	enum warranty_actor_kind kind;
	long long id;			/* portal_users.id, staff.id; 0 for the system */
	long long customer_id;		/* WA_CUSTOMER: their account */
	int supervisor;			/* WA_STAFF: supervisor or admin (reviews claims) */
};

enum warranty_part {
	WARRANTY_PARTS,
	WARRANTY_LABOUR,
	WARRANTY_TRAVEL,
	WARRANTY_PART__MAX
};

/* One component's coverage. */
struct warranty_component {
	int covered;
	const char *until;	/* "2027-03-02": the last covered day (or the last one
				 * that was); "" when it never was covered */
	const char *by;		/* "warranty", "contract" or "" */
};

struct warranty_coverage {
	long long registration_id;
	struct warranty_component part[WARRANTY_PART__MAX];
	const char *words;	/* "labour covered until 3 Mar 2027, parts until …" */
};

/*
 * The answer to "what covers this serial (of this product) for this
 * customer at this time": the registration and its coverage per
 * component, with the sentence that says why. at NULL: now (the stored
 * coverage); else an ISO 8601 time (computed for then, nothing stored).
 * product_id 0: any product. CS_OK; CS_NOT_FOUND with *why when the
 * serial is not registered to this customer (or to this product):
 * "Serial X is not registered."; CS_REFUSED for a time that is not one;
 * or the failure. Used by claims, tickets and field service.
 */
enum cs_result warranty_coverage_for(struct db *db, struct arena *a, long long customer_id,
    long long product_id, const char *serial, const char *at, struct warranty_coverage *out,
    const char **why);

/* Fills c->words from c->part. Returns c->words, NULL when out of memory. */
const char *warranty_words(struct arena *a, struct warranty_coverage *c);

/* "2027-03-02" as "2 Mar 2027" (the string itself when it is not a date). */
const char *warranty_date_words(struct arena *a, const char *iso);

/*
 * The batch's coverage step: recomputes the stored coverage of every
 * registration a midnight has passed for, as of at (NULL: now; tests give
 * a later time), in runs of at most limit rows, until none is due. Adds
 * to *done how many rows it recomputed. CS_OK or the failure.
 */
enum cs_result warranty_coverage_tick(struct db *db, const char *at, int limit, long *done);

/* Limits, in characters, as the tables' CHECKs have them. */
#define WARRANTY_SERIAL_MAX 100
#define WARRANTY_PROOF_NAME_MAX 200
#define WARRANTY_PROOF_BYTES (5 * 1024 * 1024)

/* What a registration is made of. */
struct warranty_reg_input {
	long long customer_id;		/* staff: whose; a customer: ignored (their own) */
	long long product_id;
	const char *serial;
	const char *start_date;		/* "YYYY-MM-DD": the product's warranty basis date */
	/* Proof of purchase, optional (size 0: none). */
	const char *proof_name, *proof_type;
	const void *proof;
	size_t proof_size;
};

/*
 * Registers a product for a customer (*id set), in its own transaction
 * (joining the caller's), with a "warranty.registered" event; its coverage
 * is stored at once. CS_REFUSED with *why and *field ("product_id",
 * "serial", "start_date", "proof") for: a product that is not there or
 * not active; a serial empty, too long or already registered (to this
 * customer: "already registered"; to another: refused and flagged for
 * staff review, the flag committed even so); a date that is not one, in
 * the future or before 1990; a proof too large. CS_NOT_FOUND: no such
 * customer (staff). Or the failure.
 */
enum cs_result warranty_register(struct db *db, struct arena *a, const struct warranty_actor *by,
    const struct warranty_reg_input *in, long long *id, const char **why, const char **field);

/* One registration as lists and pages show it. */
struct warranty_registration {
	long long id, customer_id, product_id;
	const char *customer;		/* the account's name */
	const char *product, *sku, *model, *basis;	/* basis: "delivery", … */
	const char *serial, *start_date, *source;
	const char *proof_name;		/* "" when none */
	long long replaces_id;		/* a replacement: the registration it replaced */
	int has_picture;		/* the product has one (product_catalogue_image) */
	struct warranty_coverage cover;
};

/* How many registrations one page lists. */
#define WARRANTY_PAGE 50

/*
 * A customer's registrations, newest first, WARRANTY_PAGE at a time after
 * registration after_id (0: from the newest); *more when another page
 * follows. *rows is an arena array of *n. CS_OK or the failure.
 */
enum cs_result warranty_registrations_of(struct db *db, struct arena *a, long long customer_id,
    long long after_id, struct warranty_registration **rows, size_t *n, int *more);

/*
 * Registration id; customer_id > 0: only when it is theirs (the portal).
 * CS_OK, CS_NOT_FOUND or the failure.
 */
enum cs_result warranty_registration_get(struct db *db, struct arena *a, long long id,
    long long customer_id, struct warranty_registration *out);

/* The registration of serial for customer_id: CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result warranty_registration_by_serial(struct db *db, struct arena *a,
    long long customer_id, const char *serial, struct warranty_registration *out);

/* The proof of purchase of registration id (customer_id as above). */
enum cs_result warranty_registration_proof(struct db *db, struct arena *a, long long id,
    long long customer_id, const char **name, const char **type, const void **data,
    size_t *size);

/* A serial another customer tried to register, waiting for staff to look into it. */
struct warranty_flag {
	long long id, registration_id, owner_id, tried_by_id;
	const char *serial, *product, *owner, *tried_by, *at;	/* at: UTC "YYYY-MM-DD HH:MM" */
};

/* The flags not yet reviewed, oldest first (at most 50). CS_OK or the failure. */
enum cs_result warranty_flags_open(struct db *db, struct arena *a, struct warranty_flag **rows,
    size_t *n);

/*
 * Staff mark flag id reviewed, with a "warranty.flag_reviewed" event.
 * CS_OK, CS_NOT_FOUND (none, or reviewed already) or the failure.
 */
enum cs_result warranty_flag_review(struct db *db, const struct warranty_actor *by, long long id);

/* The amounts admins set (table settings). */
#define WARRANTY_NOTICE_DAYS_MAX 365
struct warranty_settings {
	const char *auto_approve_max;	/* "150.00": the batch approves claims up to it */
	int renewal_notice_days;	/* a contract's reminder goes this many days before it ends */
};

/* The settings (defaults for missing rows). CS_OK or the failure. */
enum cs_result warranty_settings_load(struct db *db, struct arena *a, struct warranty_settings *s);

/*
 * Stores them, audited ("warranty.settings"). CS_REFUSED with *why and
 * *field ("auto_approve_max", "renewal_notice_days") for an amount that is
 * not one or days out of 1 … 365. CS_OK or the failure.
 */
struct audit_entry;
enum cs_result warranty_settings_save(struct db *db, struct arena *a,
    const struct audit_entry *by, const struct warranty_settings *s, const char **why,
    const char **field);

/* The active products to register, by name: *opts an arena array of *n. */
struct db_option;
enum cs_result warranty_products(struct db *db, struct arena *a, struct db_option **opts,
    size_t *n);

#endif
