/*
 * parts.h — service parts: the catalogue, stock per location (warehouses
 * and technicians' vans), movements, parts used on jobs (loaners too),
 * part requests that hold a ticket in "waiting for parts", replenishment
 * transfers and van audits. See docs/parts.md.
 *
 * Every change of stock is a row of stock_movements written in the same
 * transaction as its cause (a receipt, a transfer received, a part used or
 * returned, an audit). Stock never goes negative: taking more than a
 * location has (on hand minus reserved) is CS_REFUSED with the shortage
 * named — "Van 3 has 1 of P-100, 2 needed."
 *
 * Functions return an enum cs_result; CS_REFUSED comes with a sentence in
 * *why. Strings come back in the arena given. Money is text as PostgreSQL
 * prints numeric(12,2) ("12.50").
 */
#ifndef CSDESK_PARTS_H
#define CSDESK_PARTS_H

#include <stddef.h>

#include "core/result.h"
#include "domain/field.h"

struct arena;
struct db;

#define PARTS_NUMBER_MAX 40
#define PARTS_NAME_MAX 200
#define PARTS_QTY_MAX 1000
#define PARTS_REASON_MAX 500
#define PARTS_PAGE 50

/* ---- catalogue (parts_catalogue.c) ---------------------------------------- */

struct parts_part_in {
	const char *number, *name;
	const char *cost, *price;	/* "12.50"; "" is 0 */
	int serial_tracked;
	int active;
	const char *replaced_by;	/* a part number, or "" */
	const long long *products;	/* the products it fits */
	size_t nproducts;
};

/* Adds (id 0) or changes part id. Refused: a number taken, a bad amount, an unknown replacement. */
enum cs_result parts_save(struct db *db, struct arena *a, long long id,
    const struct parts_part_in *in, long long *out_id, const char **why);

struct parts_part {
	long long id;
	const char *number, *name, *cost, *price;
	int serial_tracked, active;
	const char *replaced_by;	/* its number, or "" */
	const char *products;		/* "Boiler X200, Heat pump H9" */
	long long *product_ids;		/* parts_get only */
	size_t nproduct_ids;
};

/* The catalogue by number, PARTS_PAGE at a time after number after ("" first). */
enum cs_result parts_list(struct db *db, struct arena *a, const char *after,
    struct parts_part **rows, size_t *n, int *more);

/* One part with its products. CS_OK or CS_NOT_FOUND. */
enum cs_result parts_get(struct db *db, struct arena *a, long long id, struct parts_part *out);

/* Active parts as form choices ("P-100 Ignition board"). */
struct db_option;
enum cs_result parts_choices(struct db *db, struct arena *a, struct db_option **rows, size_t *n);

/* ---- stock (parts_stock.c) ------------------------------------------------- */

struct parts_location {
	long long id;
	const char *name, *kind;	/* "warehouse" or "van" */
	const char *technician;		/* a van's technician, else "" */
	const char *source;		/* where it is replenished from, "" a supplier */
	long long technician_id, source_id;
};

/* Adds a warehouse (technician 0) or the van of technician_id, replenished from source_id (0: a supplier). */
enum cs_result parts_location_add(struct db *db, struct arena *a, const char *name,
    long long technician_id, long long source_id, long long *id, const char **why);

/* Every active location, warehouses first, by name (at most 500). */
enum cs_result parts_locations(struct db *db, struct arena *a, struct parts_location **rows,
    size_t *n);
enum cs_result parts_location(struct db *db, struct arena *a, long long id,
    struct parts_location *out);

/* Active technicians as form choices (whose van a location may be). */
enum cs_result parts_technicians(struct db *db, struct arena *a, struct db_option **rows,
    size_t *n);

/* The van of technician staff_id: CS_OK with *id, or CS_NOT_FOUND. */
enum cs_result parts_van_of(struct db *db, struct arena *a, long long staff_id, long long *id);

struct parts_level {
	long long part_id;
	const char *number, *name;
	int on_hand, reserved, min, max, multiple;
	int below_min;		/* on hand minus reserved below min */
};

/* A location's stock by part number, PARTS_PAGE after number after ("" first). */
enum cs_result parts_levels(struct db *db, struct arena *a, long long location_id,
    const char *after, struct parts_level **rows, size_t *n, int *more);

/* The parts location has free (on hand minus reserved), by number: a form's choices (up to 1000). */
enum cs_result parts_in_stock(struct db *db, struct arena *a, long long location_id,
    struct parts_level **rows, size_t *n);

/* Sets the replenishment rule of a part at a location (0 <= min <= max, multiple >= 1). */
enum cs_result parts_level_set(struct db *db, struct arena *a, long long location_id,
    long long part_id, int min, int max, int multiple, const char **why);

/* Stock bought from a supplier arrives at location: a receipt movement. */
enum cs_result parts_receive(struct db *db, struct arena *a, const struct field_actor *by,
    long long location_id, long long part_id, int qty, const char **why);

/* Moves qty at once from one location to another (a transfer movement); refused on a shortage. */
enum cs_result parts_move(struct db *db, struct arena *a, const struct field_actor *by,
    long long from_id, long long to_id, long long part_id, int qty, const char **why);

/* ---- usage on a job (parts_usage.c) ---------------------------------------- */

enum parts_use_kind { PARTS_INSTALLED, PARTS_CONSUMED, PARTS_LOANER, PARTS_USE__MAX };
const char *parts_use_kind_name(enum parts_use_kind k);
/* PARTS_USE__MAX when name is none of them. */
enum parts_use_kind parts_use_kind_parse(const char *name);

struct parts_use_in {
	long long appointment_id;
	long long part_id;
	int qty;
	enum parts_use_kind kind;
	const char *due_on;	/* a loaner's return date ("2026-12-20"), else NULL */
	const char *serial;	/* optional; required for a serial-tracked part */
	const char *token;	/* the form's idempotency token (required) */
};

/*
 * The technician assigned to the job uses a part from their van: the
 * usage, a "use" movement and the cover of the ticket's serial for parts
 * (charged at 0 when covered), in one transaction. The same form sent again
 * (same token) is CS_OK and records nothing more. Refused on a shortage.
 */
enum cs_result parts_use(struct db *db, struct arena *a, const struct field_actor *by,
    const struct parts_use_in *in, const char **why);

/* A usage back to the location it came from (a loaner returned, a part not fitted). */
enum cs_result parts_return(struct db *db, struct arena *a, const struct field_actor *by,
    long long usage_id, const char **why);

/*
 * The technician asks for a part their van lacks: a transfer from the van's
 * source, approved, and the job's ticket moved to "waiting for parts" (its
 * SLA pauses when the policy pauses on it). Same token again: CS_OK.
 */
enum cs_result parts_request(struct db *db, struct arena *a, const struct field_actor *by,
    long long appointment_id, long long part_id, int qty, const char *token, const char **why);

struct parts_usage {
	long long id;
	const char *number, *name, *kind, *serial;
	int qty;
	const char *due_on;		/* loaners, else "" */
	const char *covered_by;		/* "warranty", "contract", "" */
	int returned, overdue;
};

/* The parts used on appointment id, in order. */
enum cs_result parts_of_job(struct db *db, struct arena *a, long long appointment_id,
    struct parts_usage **rows, size_t *n);

struct parts_request_row {
	long long id, transfer_id;
	const char *number, *name, *status;	/* the transfer's status */
	int qty;
};

/* The part requests of appointment id. */
enum cs_result parts_requests_of_job(struct db *db, struct arena *a, long long appointment_id,
    struct parts_request_row **rows, size_t *n);

/* ---- transfers, replenishment and audits (parts_replenish.c) --------------- */

/*
 * The nightly proposal: for each location and part with a rule where on
 * hand minus reserved plus what is on its way is below min, a proposed
 * replenishment up to max rounded up to the multiple (min 2 / max 6 /
 * multiple 2 / 1 there → 6). Never two open for the same location and part.
 */
enum cs_result parts_propose(struct db *db, long *proposed);

struct parts_transfer {
	long long id;
	const char *kind, *status, *number, *name, *from, *to, *reason, *created_at;
	int proposed_qty, qty;
	int available;		/* at the source now (on hand minus reserved); -1 a supplier */
};

/* Transfers in status, oldest first, PARTS_PAGE after id after. */
enum cs_result parts_transfers(struct db *db, struct arena *a, const char *status,
    long long after, struct parts_transfer **rows, size_t *n, int *more);

/* A supervisor approves a proposal with qty (its edit): stock reserved at the source. */
enum cs_result parts_transfer_approve(struct db *db, struct arena *a,
    const struct field_actor *by, long long id, int qty, const char **why);
enum cs_result parts_transfer_reject(struct db *db, struct arena *a,
    const struct field_actor *by, long long id, const char *reason, const char **why);

/*
 * An approved transfer arrives: a transfer movement (a receipt when from a
 * supplier), and every ticket waiting for its parts back to in progress.
 */
enum cs_result parts_transfer_receive(struct db *db, struct arena *a,
    const struct field_actor *by, long long id, const char **why);

/*
 * A count of location's stock: one line per part counted; the variance
 * (counted - expected) recorded, and an adjustment movement for each.
 */
struct parts_count {
	long long part_id;
	int counted;
};
enum cs_result parts_audit(struct db *db, struct arena *a, const struct field_actor *by,
    long long location_id, const struct parts_count *lines, size_t n, long long *audit_id,
    const char **why);

struct parts_audit_line {
	const char *number, *name, *at;
	int expected, counted, variance;
};

/* The lines of location's recent audits, newest first (up to 100). */
enum cs_result parts_audit_lines(struct db *db, struct arena *a, long long location_id,
    struct parts_audit_line **rows, size_t *n);

#endif
