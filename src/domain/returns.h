/*
 * returns.h — returns (RMA): a customer asks to send things back, staff
 * approve and authorise, the warehouse receives, inspects and decides what
 * becomes of each unit, and the customer is refunded, credited or sent a
 * replacement.
 *
 *   requested → approved → awaiting_shipment → received → inspected →
 *   dispositioned → refunded | replaced | credited → closed
 *   requested | approved | awaiting_shipment → rejected (not after
 *   approval) | cancelled
 *
 * Inspection is skipped (received → dispositioned) when no unit received
 * has a reason that needs it (return_reasons). Units are rows: receiving
 * makes one per unit that came, disposition and outcome are set per unit,
 * so no more units can be refunded or replaced than were received.
 *
 * Every step is one use case here: it checks who acts (the table in
 * returns_flow.c: roles per step; customers only ask and cancel their own),
 * locks the return, changes it, records the step in return_steps and
 * appends a "return.<state>" event (events.h) in one transaction. The
 * customer's mail follows from those events (returns_mail.h).
 *
 * Money is numeric in PostgreSQL and text here ("68.00"): C never adds
 * prices. Every function returns an enum cs_result; CS_REFUSED comes with a
 * sentence for the person in *why. Strings live in the arena given.
 */
#ifndef CSDESK_RETURNS_H
#define CSDESK_RETURNS_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;
struct ticket_file;

/* Limits, as the tables' CHECKs have them (characters). */
#define RETURN_LINES_MAX 10
#define RETURN_QTY_MAX 1000
#define RETURN_SERIAL_MAX 100
#define RETURN_ORDER_MAX 100
#define RETURN_NOTE_MAX 2000
#define RETURN_WHY_MAX 1000
#define RETURN_CONDITION_MAX 1000
#define RETURN_PHOTOS_MAX 5
#define RETURN_SHIP_TO_MAX 500
#define RETURN_WINDOW_MAX 3650
/* Largest price or amount typed, in whole units (numeric(12, 2) holds more). */
#define RETURN_MONEY_MAX 1000000
/* Rows per page of a list, and the longest text the warehouse searches for. */
#define RETURN_PAGE 50
#define RETURN_FIND_MAX 100

enum return_state {
	RS_REQUESTED, RS_APPROVED, RS_AWAITING_SHIPMENT, RS_RECEIVED, RS_INSPECTED,
	RS_DISPOSITIONED, RS_REFUNDED, RS_REPLACED, RS_CREDITED, RS_CLOSED, RS_REJECTED,
	RS_CANCELLED, RS__MAX
};
/* As stored ("awaiting_shipment") and as people read them ("Awaiting shipment"). */
extern const char *const return_state_names[RS__MAX];
extern const char *const return_state_labels[RS__MAX];
/* The state named s, or RS__MAX. */
enum return_state return_state_parse(const char *s);

/* The closed lists of a line and a unit: value, label; NULL-ended values. */
#define RETURN_REASONS 4
extern const char *const return_reason_names[RETURN_REASONS + 1];
extern const char *const return_reason_labels[RETURN_REASONS];
#define RETURN_TYPES 4
extern const char *const return_type_names[RETURN_TYPES + 1];
extern const char *const return_type_labels[RETURN_TYPES];
#define RETURN_DISPOSITIONS 4
extern const char *const return_disposition_names[RETURN_DISPOSITIONS + 1];
extern const char *const return_disposition_labels[RETURN_DISPOSITIONS];
#define RETURN_OUTCOMES 4
extern const char *const return_outcome_names[RETURN_OUTCOMES + 1];
extern const char *const return_outcome_labels[RETURN_OUTCOMES];
/* The label of name in names (NULL-ended) / labels; name itself when unknown. */
const char *return_label(const char *const *names, const char *const *labels, const char *name);

/* Who acts. Staff roles are staff_roles_mask() bits (staff.h). */
enum return_actor_kind { RA_CUSTOMER, RA_STAFF, RA_SYSTEM };
struct return_actor {
	enum return_actor_kind kind;
	long long id;			/* portal_users.id or staff.id */
	long long customer_id;		/* customers: their account */
	int account_admin;		/* customers: sees the account's returns */
	unsigned roles;			/* staff */
};

/* ---- asking ------------------------------------------------------------- */

struct return_line_input {
	long long product_id;
	const char *serial;		/* "" when none */
	int quantity;			/* 1..RETURN_QTY_MAX */
	const char *order_ref;		/* 1..RETURN_ORDER_MAX characters */
	const char *delivered_on;	/* "YYYY-MM-DD", not in the future */
	const char *unit_price;		/* "80" or "80.00": what was paid per unit */
	const char *reason;		/* return_reason_names */
	const char *request_type;	/* return_type_names */
};

struct return_request {
	long long customer_id;		/* staff asking: the account; customers: ignored */
	long long requester_id;		/* staff asking: the portal user; customers: ignored */
	const char *requester_email;	/* staff asking: or this portal user's address */
	/* Staff asking from a ticket: its number ("" or NULL: none). The return
	 * is linked to it, and its requester is the return's when no address
	 * is given. */
	const char *ticket_number;
	const char *note;		/* 0..RETURN_NOTE_MAX */
	const struct return_line_input *lines;
	size_t nlines;			/* 1..RETURN_LINES_MAX */
	const struct ticket_file *photos;	/* images only */
	size_t nphotos;			/* 0..RETURN_PHOTOS_MAX */
};

/*
 * Opens a return for the customer (by->kind RA_CUSTOMER: their own account
 * and themselves as requester) or, by staff, for in->requester_email's
 * account. Each line is checked and its window and fee fixed from the
 * policy; a line delivered longer ago than its category's window is
 * refused with the last day it could have been asked. A return whose value
 * is within the policy's auto-approve amount is approved in the same
 * transaction (a second step and event, by the system).
 * *number is the new RMA number. CS_OK; CS_REFUSED with *why and, when one
 * line is at fault, *line (1-based; 0 otherwise) and *field (the form
 * field: "serial", "quantity", "order_ref", "delivered_on", "unit_price",
 * "reason", "request_type", "product", "note", "requester", "ticket",
 * "photo"); or the failure.
 */
enum cs_result returns_request(struct db *db, struct arena *a, const struct return_actor *by,
    const struct return_request *in, const char **number, const char **why, int *line,
    const char **field);

/* ---- steps -------------------------------------------------------------- */

/* The steps that only move the state (with an optional note). */
enum return_step {
	RSTEP_APPROVE, RSTEP_REJECT, RSTEP_AUTHORISE, RSTEP_CANCEL, RSTEP_CLOSE, RSTEP__MAX
};
/* As a form posts them ("approve"), NULL-ended. */
extern const char *const return_step_names[RSTEP__MAX + 1];

/*
 * Takes step on return number. A note (0..RETURN_WHY_MAX) is required to
 * reject and kept as what the customer is told. CS_OK; CS_NOT_FOUND (no
 * such return, or not the customer's); CS_REFUSED (not allowed in its
 * state or for by's roles: *why); or the failure.
 */
enum cs_result returns_take_step(struct db *db, struct arena *a, const struct return_actor *by,
    const char *number, enum return_step step, const char *note, const char **why);

/*
 * What the warehouse records per unit; the fields a use case does not
 * read are ignored.
 */
struct return_unit_input {
	long long unit_id;
	const char *condition;		/* inspection: 0..RETURN_CONDITION_MAX */
	const char *disposition;	/* return_disposition_names */
	const char *outcome;		/* return_outcome_names */
};

/*
 * Receiving: received[i] more units of line position i+1 came (n entries,
 * 0 for none), with a condition note and photos. From awaiting_shipment
 * (or received, for a second parcel); never more than a line's quantity in
 * all. Warehouse or admin. CS_OK, CS_NOT_FOUND, CS_REFUSED (*why) or the
 * failure.
 */
enum cs_result returns_receive(struct db *db, struct arena *a, const struct return_actor *by,
    const char *number, const int *received, size_t n, const char *condition,
    const struct ticket_file *photos, size_t nphotos, const char **why);

/*
 * Inspection: each received unit's condition (every unit of the return,
 * once), with photos. From received. Warehouse or admin.
 */
enum cs_result returns_inspect(struct db *db, struct arena *a, const struct return_actor *by,
    const char *number, const struct return_unit_input *units, size_t n,
    const struct ticket_file *photos, size_t nphotos, const char **why);

/*
 * Disposition: what becomes of each received unit (every one). From
 * inspected, or from received when no unit needs inspection. Warehouse or
 * admin.
 */
enum cs_result returns_disposition(struct db *db, struct arena *a,
    const struct return_actor *by, const char *number, const struct return_unit_input *units,
    size_t n, const char **why);

/*
 * Settlement: what the customer gets for each received unit (every one).
 * Per line, the money is units refunded or credited × unit price less the
 * restocking fee fixed when it was asked (a percentage of that, or the
 * fixed amount once per line); a fee larger than the line's money is
 * refused unless waive_fee. The return moves to refunded when any unit is
 * refunded, else credited, else replaced, else (nothing given) closed.
 * Supervisor or admin. From dispositioned.
 */
enum cs_result returns_settle(struct db *db, struct arena *a, const struct return_actor *by,
    const char *number, const struct return_unit_input *units, size_t n, int waive_fee,
    const char **why);

/* ---- reading ------------------------------------------------------------ */

struct return_row {
	long long id;
	const char *number, *state, *customer, *created_at, *updated_at;
	const char *products;		/* "Aurora Kettle 1.7 l ×2, …" */
	const char *value;		/* what was asked for, money */
};

struct return_filter {
	const char *state;		/* "" for all, else a state name */
	long long before_id;		/* keyset: ids below this (0: newest) */
};

/*
 * A page of returns newest first: staff see all, a customer those of their
 * account (account admin) or their own. *next is the id to go on from when
 * there are more, else 0. CS_OK or the failure.
 */
enum cs_result returns_list(struct db *db, struct arena *a, const struct return_actor *by,
    const struct return_filter *f, struct return_row **rows, size_t *n, long long *next);

struct return_line {
	long long id;
	int position, quantity, received;
	const char *product, *sku, *serial, *order_ref, *delivered_on, *unit_price;
	const char *reason, *request_type, *window_until, *fee_words;
	const char *refund, *credit, *fee;
	int needs_inspection;
};

struct return_unit {
	long long id;
	int line_position, unit;
	const char *product, *condition, *disposition, *outcome;	/* "" when not set */
	int inspected, needs_inspection;
};

struct return_photo {
	long long id;
	const char *stage, *filename;
	long long size;
};

struct return_step_row {
	const char *from, *to, *who, *note, *at;
};

struct return_sheet {
	long long id;
	const char *number, *state, *customer, *requester, *requester_email, *note;
	const char *outcome_note, *refund_total, *credit_total, *fee_total, *value;
	const char *ticket;		/* the ticket it was opened from, or "" */
	const char *created_at, *ship_to;
	struct return_line *lines;
	size_t nlines;
	struct return_unit *units;
	size_t nunits;
	struct return_photo *photos;
	size_t nphotos;
	struct return_step_row *steps;
	size_t nsteps;
};

/*
 * One return by its number, with its lines, units, photos (a customer sees
 * their own request's photos only) and steps. CS_OK, CS_NOT_FOUND (none,
 * or not by's to see) or the failure.
 */
enum cs_result returns_get(struct db *db, struct arena *a, const struct return_actor *by,
    const char *number, struct return_sheet *s);

/*
 * The warehouse's search: text is an RMA number (any case) or a serial on
 * one of the lines. *number is the newest match. CS_OK, CS_NOT_FOUND,
 * CS_REFUSED (empty or over RETURN_FIND_MAX) or the failure.
 */
enum cs_result returns_find(struct db *db, struct arena *a, const char *text,
    const char **number, const char **why);

struct return_photo_file {
	const char *filename, *content_type;
	const unsigned char *data;
	size_t len;
};

/* A photo of return number, as by may see it. CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result returns_photo(struct db *db, struct arena *a, const struct return_actor *by,
    const char *number, long long photo_id, struct return_photo_file *f);

/*
 * The states each step may start from and whether by may take it, for a
 * page to offer only what it can do: non-zero when step is allowed from
 * state for by. Cannot fail.
 */
int returns_step_allowed(const struct return_actor *by, enum return_step step,
    enum return_state state);

/* Whether by may do the warehouse's steps (receive, inspect, disposition). */
int returns_may_warehouse(const struct return_actor *by);

/* Whether by may settle. */
int returns_may_settle(const struct return_actor *by);

#endif
