/*
 * warranty_contracts.h — service contracts: a customer's annual
 * maintenance, covering some of their products (every registration of a
 * product, or one serial) for a period with parts, labour, travel, a
 * number of visits and a response-time tier the SLA policy choice reads.
 * A contract's cover joins the products' own warranty in the stored
 * coverage (warranty.h) as soon as it is saved.
 *
 * A reminder that the contract is up for renewal is recorded as a
 * "service_contract.renewal_due" event once per period, the
 * warranty_renewal_notice_days setting before it ends; the mail follows
 * from the event (warranty_consumers.h).
 */
#ifndef CSDESK_WARRANTY_CONTRACTS_H
#define CSDESK_WARRANTY_CONTRACTS_H

#include <stddef.h>

#include "core/result.h"
#include "domain/warranty.h"

struct arena;
struct db;

#define WARRANTY_CONTRACT_NAME_MAX 200
#define WARRANTY_VISITS_MAX 1000

struct warranty_contract_input {
	long long customer_id;
	const char *name;
	const char *starts_on, *ends_on;	/* "YYYY-MM-DD" */
	int parts, labour, travel;
	int visits;
	const char *response_tier;		/* "standard", "premium", "vip" */
	long long product_id;			/* what it covers: every unit of a product … */
	long long registration_id;		/* … or one serial; exactly one of the two */
};

/*
 * Adds a contract (staff) with what it covers, in one transaction with a
 * "service_contract.created" event; coverage is recomputed by the
 * database. CS_REFUSED with *why and *field ("name", "starts_on",
 * "ends_on", "visits", "response_tier", "covers") for bad input, an end
 * before the start, a product or serial not the customer's. CS_OK or the
 * failure.
 */
enum cs_result warranty_contract_add(struct db *db, struct arena *a,
    const struct warranty_actor *by, const struct warranty_contract_input *in, long long *id,
    const char **why, const char **field);

struct warranty_contract {
	long long id, customer_id;
	const char *customer, *name, *starts_on, *ends_on, *covers, *response_tier;
	int parts, labour, travel, visits;
};

/* A customer's contracts, latest end first (at most 50). */
enum cs_result warranty_contracts_of(struct db *db, struct arena *a, long long customer_id,
    struct warranty_contract **rows, size_t *n);

/* Contracts ending within days from today (UTC), soonest first (at most 500). */
enum cs_result warranty_contracts_due(struct db *db, struct arena *a, int days,
    struct warranty_contract **rows, size_t *n);

/*
 * The batch: records the renewal reminder of every contract that ends
 * within the notice and has none for this period yet, each with its event,
 * in one transaction. Adds how many to *done. CS_OK or the failure.
 */
enum cs_result warranty_contracts_remind(struct db *db, long *done);

#endif
