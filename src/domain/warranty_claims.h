/*
 * warranty_claims.h — warranty claims: a customer's request to have a
 * registered product repaired, replaced, refunded or credited under its
 * cover, and the way staff decide it.
 *
 *   draft → submitted → under review → approved / rejected
 *         → fulfilled (repair, replacement, refund, credit) → closed
 *
 * Each move is allowed only from its state and only to its people (the
 * table in warranty_claims.c): customers and agents submit; the batch
 * approves a submitted claim under the admin-set amount whose serial is
 * covered, and sends every other to review (warranty_claims_sweep);
 * supervisors approve or reject what is under review; agents fulfil and
 * close. Every move is one transaction with a "warranty_claim.moved"
 * event carrying who, from, to and why; mail to the customer and audit
 * follow from the events (warranty_consumers.h).
 *
 * Submitting reads the serial's stored coverage: a serial covered for
 * nothing is refused with the reason and the date, unless staff give an
 * override reason (recorded on the claim, audited through its event).
 * The covered share of each cost is fixed then: labour by labour cover,
 * parts by parts cover, shipping by travel cover. A replacement gets its
 * own registration and warranty, starting the day it is fulfilled.
 */
#ifndef CSDESK_WARRANTY_CLAIMS_H
#define CSDESK_WARRANTY_CLAIMS_H

#include <stddef.h>

#include "core/result.h"
#include "domain/warranty.h"

struct arena;
struct db;

enum warranty_claim_state {
	WC_DRAFT,
	WC_SUBMITTED,
	WC_UNDER_REVIEW,
	WC_APPROVED,
	WC_REJECTED,
	WC_FULFILLED,
	WC_CLOSED,
	WC__MAX
};

/* The state's name in the table ("under_review") and in words ("under review"). */
const char *warranty_claim_state_name(enum warranty_claim_state s);
const char *warranty_claim_state_words(enum warranty_claim_state s);
/* The state called name, or WC__MAX. */
enum warranty_claim_state warranty_claim_state_of(const char *name);

#define WARRANTY_PROBLEM_MAX 4000
#define WARRANTY_REASON_MAX 1000
/* Largest cost, in the currency's units. */
#define WARRANTY_COST_MAX 1000000

/* What a new claim is made of. */
struct warranty_claim_input {
	long long registration_id;	/* or 0 with ticket_id: the ticket's serial */
	long long ticket_id;		/* 0: none */
	const char *problem;
	int submit;			/* 1: submitted at once; 0: a draft */
	const char *override_reason;	/* staff only; NULL or "": none */
};

/*
 * Opens a claim (*id set). A customer may claim only their registrations
 * (else CS_NOT_FOUND); from a ticket (registration_id 0) the
 * registration is the ticket customer's one of the ticket's serial
 * ("Serial X is not registered." otherwise). CS_REFUSED with *why and
 * *field ("problem", "registration_id", "override_reason") for a problem
 * empty or too long, a serial not covered (submit, no override), an
 * override by a customer or too long. CS_OK or the failure.
 */
enum cs_result warranty_claim_open(struct db *db, struct arena *a,
    const struct warranty_actor *by, const struct warranty_claim_input *in, long long *id,
    const char **why, const char **field);

/* A move asked for. */
struct warranty_claim_move {
	enum warranty_claim_state to;
	const char *reason;		/* required to reject; NULL or "": none */
	const char *fulfilment;		/* to fulfilled: "repair", "replacement", "refund", "credit" */
	const char *replacement_serial;	/* fulfilment "replacement": the new unit's serial */
	const char *override_reason;	/* submitting a serial not covered (staff) */
};

/*
 * Moves claim id. CS_NOT_FOUND (no such claim, or a customer's not
 * theirs), CS_REFUSED with *why and *field for a move not allowed from its
 * state or to this person, a missing reason, fulfilment or serial, a
 * serial not covered (submit). CS_CONFLICT when it moved meanwhile.
 * CS_OK or the failure.
 */
enum cs_result warranty_claim_move(struct db *db, struct arena *a,
    const struct warranty_actor *by, long long id, const struct warranty_claim_move *m,
    const char **why, const char **field);

/*
 * Sets the costs of claim id (staff; not once approved): decimal texts
 * "120.50" from 0 to WARRANTY_COST_MAX. CS_REFUSED with *why and *field
 * ("labour_cost", "parts_cost", "shipping_cost", or NULL for the state).
 */
enum cs_result warranty_claim_costs(struct db *db, struct arena *a,
    const struct warranty_actor *by, long long id, const char *labour, const char *parts,
    const char *shipping, const char **why, const char **field);

struct warranty_claim {
	long long id, registration_id, customer_id, ticket_id, replacement_id;
	const char *number;		/* "WC-000123" */
	enum warranty_claim_state state;
	const char *customer, *product, *serial, *ticket_number;
	const char *problem, *fulfilment, *override_reason, *last_reason;
	const char *labour_cost, *parts_cost, *shipping_cost, *total;
	const char *covered_total;	/* the covered share of the total */
	int labour_covered, parts_covered, shipping_covered;
	const char *created_at, *updated_at;	/* "2026-03-14 09:30" UTC */
};

/*
 * Claim id; customer_id > 0: only theirs. CS_OK, CS_NOT_FOUND or the failure.
 */
enum cs_result warranty_claim_get(struct db *db, struct arena *a, long long id,
    long long customer_id, struct warranty_claim *out);

/* How many claims a queue page lists. */
#define WARRANTY_CLAIM_PAGE 50

/*
 * Claims in state (WC__MAX: awaiting a decision: submitted and under
 * review), oldest first, a page after claim after_id. *more when another
 * page follows. CS_OK or the failure.
 */
enum cs_result warranty_claims_queue(struct db *db, struct arena *a,
    enum warranty_claim_state state, long long after_id, struct warranty_claim **rows,
    size_t *n, int *more);

/* The claims of registration reg (customer_id > 0: only theirs), newest first (at most 50). */
enum cs_result warranty_claims_of(struct db *db, struct arena *a, long long reg,
    long long customer_id, struct warranty_claim **rows, size_t *n);

/* The claims opened from ticket_id, newest first (at most 20). */
enum cs_result warranty_claims_of_ticket(struct db *db, struct arena *a, long long ticket_id,
    struct warranty_claim **rows, size_t *n);

/* What the ticket page shows of the warranty: the cover of the ticket's serial and its claims. */
struct warranty_ticket_panel {
	int registered;				/* the serial is the ticket customer's */
	struct warranty_registration reg;	/* when registered */
	struct warranty_claim *claims;
	size_t nclaims;
	const char *why;			/* when not: "Serial X is not registered." */
};

/*
 * The ticket page's one warranty call: ticket_id's serial (may be NULL or
 * "") looked up for customer_id, and the claims opened from the ticket.
 * CS_OK or the failure.
 */
enum cs_result warranty_ticket_panel(struct db *db, struct arena *a, long long ticket_id,
    long long customer_id, const char *serial, struct warranty_ticket_panel *out);

/* The same in a page's pipeline (ticket_sheet.h): _send returns the slot
 * (-1: out of memory, pipe full); _take reads it after db_pipe_run, or with
 * slot -1 (not sent: the ticket has no serial and no claim) the empty panel. */
struct db_pipe;
int warranty_ticket_panel_send(struct db_pipe *pipe, struct arena *a, long long ticket_id,
    long long customer_id, const char *serial);
enum cs_result warranty_ticket_panel_take(const struct db_pipe *pipe, int slot, struct arena *a,
    const char *serial, struct warranty_ticket_panel *out);

/* One step of a claim's history, from its events. */
struct warranty_claim_step {
	const char *at, *who, *from, *to, *reason;
};

/* Claim id's moves, oldest first (console). CS_OK or the failure. */
enum cs_result warranty_claim_history(struct db *db, struct arena *a, long long id,
    struct warranty_claim_step **rows, size_t *n);

/*
 * The batch's claims step: every submitted claim is approved (a total
 * above 0 and at most the warranty_auto_approve_max setting, a covered
 * serial, no override) or sent to review, by the system, through
 * warranty_claim_move. Idempotent: it only looks at submitted claims.
 * Adds to *approved and *reviewed. CS_OK or the first failure.
 */
enum cs_result warranty_claims_sweep(struct db *db, long *approved, long *reviewed);

#endif
