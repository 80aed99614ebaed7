/*
 * warranty_claims.c — opening claims, their moves and costs, and the
 * batch's sweep of submitted claims; see warranty_claims.h. Reading them
 * is warranty_claims_read.c.
 */
#include "domain/warranty_claims.h"
#include "domain/warranty_int.h"
#include "core/arena.h"
#include "core/money.h"
#include "core/log.h"
#include "core/utf8.h"
#include "db/db.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* The registration a claim is about, with its stored coverage. */
#define REG_COLS(X) \
	X(RC, id, "g.id") X(RC, customer_id, "g.customer_id") X(RC, product_id, "g.product_id") \
	X(RC, serial, "g.serial") \
	WARRANTY_COVER_COLS(X, RC)
enum { DB_COL_ENUM(REG_COLS) };
#define REG_FROM " FROM warranty_registrations g" \
	" LEFT JOIN warranty_coverage v ON v.registration_id = g.id"

/* A claim locked for a move. */
#define LOCK_COLS(X) \
	X(LK, state, "w.state") X(LK, registration_id, "w.registration_id") \
	X(LK, customer_id, "w.customer_id") X(LK, product_id, "g.product_id") \
	X(LK, serial, "g.serial") X(LK, total, "w.labour_cost + w.parts_cost + w.shipping_cost") \
	X(LK, today, "(now() AT TIME ZONE coalesce(c.time_zone, 'UTC'))::date::text") \
	WARRANTY_COVER_COLS(X, LK)
enum { DB_COL_ENUM(LOCK_COLS) };

#define ID_COLS(X) X(CI, id, "id")
enum { DB_COL_ENUM(ID_COLS) };
#define SWEEP_COLS(X) X(SW, id, "w.id") \
	X(SW, automatic, "w.labour_cost + w.parts_cost + w.shipping_cost > 0" \
	    " AND w.labour_cost + w.parts_cost + w.shipping_cost <= coalesce((SELECT" \
	    " value::numeric FROM settings WHERE key = 'warranty_auto_approve_max'), 0)" \
	    " AND w.override_reason IS NULL AND (w.labour_covered OR w.parts_covered)")
enum { DB_COL_ENUM(SWEEP_COLS) };

enum stmt {
	ST_REG,
	ST_REG_OF_TICKET,
	ST_INSERT,
	ST_LOCK,
	ST_MOVE,
	ST_SNAPSHOT,
	ST_REPLACED,
	ST_COSTS,
	ST_SWEEP,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_REG] = DB_STMT("warranty_claim_reg",
	    "SELECT " DB_COLS(REG_COLS) REG_FROM " WHERE g.id = $1::bigint"
	    " AND ($2::bigint = 0 OR g.customer_id = $2::bigint)", 2),
	/* The ticket customer's registration of the ticket's serial. */
	[ST_REG_OF_TICKET] = DB_STMT("warranty_claim_reg_ticket",
	    "SELECT " DB_COLS(REG_COLS) " FROM tickets t JOIN warranty_registrations g"
	    " ON g.serial_key = upper(regexp_replace(t.serial, '\\s', '', 'g'))"
	    " AND g.customer_id = t.customer_id"
	    " LEFT JOIN warranty_coverage v ON v.registration_id = g.id WHERE t.id = $1::bigint", 1),
	[ST_INSERT] = DB_STMT("warranty_claim_insert",
	    "INSERT INTO warranty_claims (registration_id, customer_id, ticket_id, problem)"
	    " VALUES ($1::bigint, $2::bigint, $3::bigint, $4) RETURNING " DB_COLS(ID_COLS), 4),
	[ST_LOCK] = DB_STMT("warranty_claim_lock",
	    "SELECT " DB_COLS(LOCK_COLS) " FROM warranty_claims w"
	    " JOIN warranty_registrations g ON g.id = w.registration_id"
	    " JOIN customers c ON c.id = w.customer_id"
	    " LEFT JOIN warranty_coverage v ON v.registration_id = g.id"
	    " WHERE w.id = $1::bigint AND ($2::bigint = 0 OR w.customer_id = $2::bigint)"
	    " FOR UPDATE OF w", 2),
	[ST_MOVE] = DB_STMT("warranty_claim_move",
	    "UPDATE warranty_claims SET state = $2, last_reason = $3,"
	    " fulfilment = coalesce($4, fulfilment), replacement_id = coalesce($5::bigint,"
	    " replacement_id), updated_at = now() WHERE id = $1::bigint AND state = $6", 6),
	[ST_SNAPSHOT] = DB_STMT("warranty_claim_snapshot",
	    "UPDATE warranty_claims SET labour_covered = $2::boolean, parts_covered = $3::boolean,"
	    " shipping_covered = $4::boolean, override_reason = $5, override_by = $6::bigint"
	    " WHERE id = $1::bigint", 6),
	[ST_REPLACED] = DB_STMT("warranty_claim_replaced",
	    "UPDATE warranty_registrations SET source = 'replacement', replaces_id = $2::bigint"
	    " WHERE id = $1::bigint", 2),
	[ST_COSTS] = DB_STMT("warranty_claim_costs",
	    "UPDATE warranty_claims SET labour_cost = $2::numeric, parts_cost = $3::numeric,"
	    " shipping_cost = $4::numeric, updated_at = now() WHERE id = $1::bigint"
	    " AND state IN ('draft', 'submitted', 'under_review')", 4),
	[ST_SWEEP] = DB_STMT("warranty_claim_sweep",
	    "SELECT " DB_COLS(SWEEP_COLS) " FROM warranty_claims w WHERE w.state = 'submitted'"
	    " AND w.id > $1::bigint ORDER BY w.id LIMIT 200", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static const struct {
	const char *name, *words, *verb;
} states[WC__MAX] = {
	[WC_DRAFT] = { "draft", "draft", "made a draft" },
	[WC_SUBMITTED] = { "submitted", "submitted", "submitted" },
	[WC_UNDER_REVIEW] = { "under_review", "under review", "put under review" },
	[WC_APPROVED] = { "approved", "approved", "approved" },
	[WC_REJECTED] = { "rejected", "rejected", "rejected" },
	[WC_FULFILLED] = { "fulfilled", "fulfilled", "fulfilled" },
	[WC_CLOSED] = { "closed", "closed", "closed" },
};

const char *
warranty_claim_state_name(enum warranty_claim_state s)
{
	return s < WC__MAX ? states[s].name : "";
}

const char *
warranty_claim_state_words(enum warranty_claim_state s)
{
	return s < WC__MAX ? states[s].words : "";
}

enum warranty_claim_state
warranty_claim_state_of(const char *name)
{
	int s;

	for (s = 0; s < WC__MAX && name != NULL; s++)
		if (strcmp(states[s].name, name) == 0)
			return (enum warranty_claim_state)s;
	return WC__MAX;
}

/* Who may make a move. */
enum {
	BY_CUSTOMER = 1 << 0,
	BY_AGENT = 1 << 1,
	BY_SUPERVISOR = 1 << 2,
	BY_SYSTEM = 1 << 3,
	BY_STAFF = BY_AGENT | BY_SUPERVISOR
};

/* The moves there are, and who makes each. */
static const struct {
	enum warranty_claim_state from, to;
	unsigned who;
} moves[] = {
	{ WC_DRAFT, WC_SUBMITTED, BY_CUSTOMER | BY_STAFF },
	{ WC_DRAFT, WC_CLOSED, BY_CUSTOMER | BY_STAFF },
	{ WC_SUBMITTED, WC_UNDER_REVIEW, BY_SYSTEM | BY_SUPERVISOR },
	/* Only the sweep approves without a review: it knows the threshold. */
	{ WC_SUBMITTED, WC_APPROVED, BY_SYSTEM },
	{ WC_UNDER_REVIEW, WC_APPROVED, BY_SUPERVISOR },
	{ WC_UNDER_REVIEW, WC_REJECTED, BY_SUPERVISOR },
	{ WC_APPROVED, WC_FULFILLED, BY_STAFF },
	{ WC_FULFILLED, WC_CLOSED, BY_STAFF },
	{ WC_REJECTED, WC_CLOSED, BY_STAFF },
};

static unsigned
who_bits(const struct warranty_actor *by)
{
	if (by->kind == WA_CUSTOMER)
		return BY_CUSTOMER;
	if (by->kind == WA_SYSTEM)
		return BY_SYSTEM;
	return by->supervisor ? BY_STAFF : BY_AGENT;
}

/* CS_OK when by may move a claim from → to; else CS_REFUSED with *why. */
static enum cs_result
allowed(struct arena *a, const struct warranty_actor *by, enum warranty_claim_state from,
    enum warranty_claim_state to, const char **why)
{
	size_t i;

	for (i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		if (moves[i].from != from || moves[i].to != to)
			continue;
		if (moves[i].who & who_bits(by))
			return CS_OK;
		*why = moves[i].who == BY_SYSTEM ?
		    "A submitted claim is approved automatically or put under review first." :
		    moves[i].who & BY_SUPERVISOR && !(moves[i].who & BY_AGENT) ?
		    arena_printf(a, "Only a supervisor may %s a claim.", to == WC_REJECTED ?
			"reject" : to == WC_APPROVED ? "approve" : "review") :
		    "You may not do that to this claim.";
		return CS_REFUSED;
	}
	*why = arena_printf(a, "A claim that is %s cannot be %s.", states[from].words,
	    states[to].verb);
	return CS_REFUSED;
}

/* Appends event type of claim id with payload o (taken). */
static enum cs_result
append(struct db *db, const struct warranty_actor *by, long long id, const char *type, json_t *o)
{
	return warranty_event(db, by, "warranty_claim", id, type, o);
}

/* A claim, locked: what a move needs. */
struct locked {
	enum warranty_claim_state state;
	long long registration_id, customer_id, product_id;
	const char *serial, *total, *today;
	struct warranty_coverage cover;
};

static enum cs_result
fill_locked(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct locked *l = elem;
	int failed = 0;
	const char *state = db_str(a, r, i, LK_state, &failed);

	l->state = warranty_claim_state_of(state);
	l->registration_id = db_ll(r, i, LK_registration_id);
	l->customer_id = db_ll(r, i, LK_customer_id);
	l->product_id = db_ll(r, i, LK_product_id);
	l->serial = db_str(a, r, i, LK_serial, &failed);
	l->total = db_str(a, r, i, LK_total, &failed);
	l->today = db_str(a, r, i, LK_today, &failed);
	warranty_cover_fill(a, r, i, LK_parts_on, &l->cover, &failed);
	return failed || l->state == WC__MAX ? CS_FAILED : CS_OK;
}

/*
 * Submitting: the covered share is fixed from the stored coverage; a
 * serial covered for nothing needs staff's override reason (audited
 * through its event).
 */
static enum cs_result
snapshot(struct db *db, struct arena *a, const struct warranty_actor *by, long long id,
    const struct locked *l, const char *override, const char **why, const char **field)
{
	const struct warranty_component *c = l->cover.part;
	int any = c[WARRANTY_PARTS].covered || c[WARRANTY_LABOUR].covered;
	int over = !any && override != NULL && *override != '\0';
	const char *p[] = { db_param_ll(a, id), c[WARRANTY_LABOUR].covered || over ? "t" : "f",
		c[WARRANTY_PARTS].covered || over ? "t" : "f",
		c[WARRANTY_TRAVEL].covered ? "t" : "f", over ? override : NULL,
		over ? db_param_ll(a, by->id) : NULL };
	enum cs_result rc;

	if (!any && !over) {
		*field = "override_reason";
		*why = warranty_not_covered_why(a, l->serial, &l->cover);
		if (by->kind == WA_STAFF)
			*why = arena_printf(a, "%s To go on, give the reason for an exception.",
			    *why);
		return CS_REFUSED;
	}
	if ((rc = db_do(db, &stmts[ST_SNAPSHOT], p)) != CS_OK || !over)
		return rc;
	return append(db, by, id, "warranty_claim.overridden", json_pack("{s:s, s:s}",
	    "reason", override, "serial", l->serial));
}

/* Fulfilling with a replacement: the new unit's own registration, from today. */
static enum cs_result
replacement(struct db *db, struct arena *a, const struct warranty_actor *by,
    const struct locked *l, const char *serial, long long *reg, const char **why,
    const char **field)
{
	struct warranty_reg_input in;
	const char *p[2];
	enum cs_result rc;

	memset(&in, 0, sizeof(in));
	in.customer_id = l->customer_id;
	in.product_id = l->product_id;
	in.serial = serial;
	in.start_date = l->today;
	rc = warranty_register(db, a, by, &in, reg, why, field);
	if (rc == CS_TAKEN)
		rc = CS_REFUSED;
	*field = "replacement_serial";
	if (rc != CS_OK)
		return rc;
	p[0] = db_param_ll(a, *reg);
	p[1] = db_param_ll(a, l->registration_id);
	return db_do(db, &stmts[ST_REPLACED], p);
}

static int
one_of(const char *v, const char *const *list)
{
	for (; v != NULL && *list != NULL; list++)
		if (strcmp(v, *list) == 0)
			return 1;
	return 0;
}

/* Checks m against what its target state needs. CS_OK or CS_REFUSED. */
static enum cs_result
check_move(const struct warranty_claim_move *m, const char **why, const char **field)
{
	static const char *const kinds[] = { "repair", "replacement", "refund", "credit", NULL };
	int has_reason = m->reason != NULL && *m->reason != '\0';

	*field = "reason";
	if (has_reason && utf8_chars(m->reason) > WARRANTY_REASON_MAX)
		*why = "A reason has at most 1000 characters.";
	else if (m->to == WC_REJECTED && !has_reason)
		*why = "Say why the claim is rejected: the customer reads it.";
	else if (m->override_reason != NULL && utf8_chars(m->override_reason) > WARRANTY_REASON_MAX)
		*why = "A reason has at most 1000 characters.", *field = "override_reason";
	if (*why != NULL)
		return CS_REFUSED;
	if (m->to != WC_FULFILLED)
		return CS_OK;
	*field = "fulfilment";
	if (!one_of(m->fulfilment, kinds))
		*why = "Choose how the claim was fulfilled: repair, replacement, refund or credit.";
	else if (strcmp(m->fulfilment, "replacement") == 0 && (m->replacement_serial == NULL ||
	    *m->replacement_serial == '\0'))
		*why = "Give the serial of the replacement unit.", *field = "replacement_serial";
	return *why != NULL ? CS_REFUSED : CS_OK;
}

/* The move itself, inside the caller's transaction. */
static enum cs_result
move_locked(struct db *db, struct arena *a, const struct warranty_actor *by, long long id,
    const struct warranty_claim_move *m, const char **why, const char **field)
{
	const char *lp[] = { db_param_ll(a, id),
		db_param_ll(a, by->kind == WA_CUSTOMER ? by->customer_id : 0) };
	struct locked l;
	long long reg = 0;
	const char *p[6];
	enum cs_result rc;

	memset(&l, 0, sizeof(l));
	if ((rc = db_one(db, a, &stmts[ST_LOCK], lp, fill_locked, &l)) != CS_OK)
		return rc;
	*field = NULL;
	if ((rc = allowed(a, by, l.state, m->to, why)) != CS_OK)
		return rc;
	if (m->override_reason != NULL && *m->override_reason != '\0' && by->kind != WA_STAFF) {
		*why = "Only staff may make an exception.";
		*field = "override_reason";
		return CS_REFUSED;
	}
	if (m->to == WC_SUBMITTED &&
	    (rc = snapshot(db, a, by, id, &l, m->override_reason, why, field)) != CS_OK)
		return rc;
	if (m->to == WC_FULFILLED && strcmp(m->fulfilment, "replacement") == 0 &&
	    (rc = replacement(db, a, by, &l, m->replacement_serial, &reg, why, field)) != CS_OK)
		return rc;
	p[0] = lp[0];
	p[1] = states[m->to].name;
	p[2] = m->reason != NULL && *m->reason != '\0' ? m->reason : NULL;
	p[3] = m->to == WC_FULFILLED ? m->fulfilment : NULL;
	p[4] = reg > 0 ? db_param_ll(a, reg) : NULL;
	p[5] = states[l.state].name;
	if ((rc = db_update_one(db, &stmts[ST_MOVE], p)) == CS_NOT_FOUND)
		return CS_CONFLICT;
	if (rc != CS_OK)
		return rc;
	return append(db, by, id, "warranty_claim.moved", json_pack("{s:s, s:s, s:s, s:s, s:I}",
	    "from", states[l.state].name, "to", states[m->to].name, "reason", p[2] ? p[2] : "",
	    "fulfilment", p[3] ? p[3] : "", "replacement_id", (json_int_t)reg));
}

enum cs_result
warranty_claim_move(struct db *db, struct arena *a, const struct warranty_actor *by,
    long long id, const struct warranty_claim_move *m, const char **why, const char **field)
{
	enum cs_result rc;

	*why = NULL;
	*field = NULL;
	if (m->to >= WC__MAX)
		return CS_FAILED;
	if ((rc = check_move(m, why, field)) != CS_OK)
		return rc;
	if (db_begin(db) < 0)
		return db_result(db);
	return db_end(db, move_locked(db, a, by, id, m, why, field));
}

static enum cs_result
fill_reg(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct locked *l = elem;
	int failed = 0;

	l->registration_id = db_ll(r, i, RC_id);
	l->customer_id = db_ll(r, i, RC_customer_id);
	l->product_id = db_ll(r, i, RC_product_id);
	l->serial = db_str(a, r, i, RC_serial, &failed);
	warranty_cover_fill(a, r, i, RC_parts_on, &l->cover, &failed);
	return failed ? CS_FAILED : CS_OK;
}

/* The registration in names (or the ticket's), as by may claim it. */
static enum cs_result
claimed_registration(struct db *db, struct arena *a, const struct warranty_actor *by,
    const struct warranty_claim_input *in, struct locked *l, const char **why)
{
	const char *p[] = { db_param_ll(a, in->registration_id),
		db_param_ll(a, by->kind == WA_CUSTOMER ? by->customer_id : 0) };
	enum cs_result rc;

	if (in->registration_id > 0)
		return db_one(db, a, &stmts[ST_REG], p, fill_reg, l);
	if (in->ticket_id <= 0 || by->kind == WA_CUSTOMER)
		return CS_NOT_FOUND;
	p[0] = db_param_ll(a, in->ticket_id);
	rc = db_one(db, a, &stmts[ST_REG_OF_TICKET], p, fill_reg, l);
	if (rc == CS_NOT_FOUND) {
		*why = "The ticket's serial number is not registered to its customer: register "
		    "the product from the customer card first.";
		rc = CS_REFUSED;
	}
	return rc;
}

enum cs_result
warranty_claim_open(struct db *db, struct arena *a, const struct warranty_actor *by,
    const struct warranty_claim_input *in, long long *id, const char **why,
    const char **field)
{
	size_t problem = in->problem != NULL ? utf8_chars(in->problem) : 0;
	struct warranty_claim_move m;
	struct locked l;
	const char *p[4];
	enum cs_result rc;

	*id = 0;
	*why = NULL;
	*field = "problem";
	if (problem == 0 || strspn(in->problem, " \t\r\n") == strlen(in->problem))
		*why = "Describe the problem.";
	else if (problem > WARRANTY_PROBLEM_MAX)
		*why = "A description has at most 4000 characters.";
	if (*why != NULL)
		return CS_REFUSED;
	memset(&m, 0, sizeof(m));
	m.to = WC_SUBMITTED;
	m.override_reason = in->override_reason;
	if ((rc = check_move(&m, why, field)) != CS_OK)
		return rc;
	memset(&l, 0, sizeof(l));
	if (db_begin(db) < 0)
		return db_result(db);
	*field = "registration_id";
	if ((rc = claimed_registration(db, a, by, in, &l, why)) != CS_OK)
		return db_end(db, rc);
	p[0] = db_param_ll(a, l.registration_id);
	p[1] = db_param_ll(a, l.customer_id);
	p[2] = db_param_id(a, in->ticket_id);
	p[3] = in->problem;
	rc = db_id(db, &stmts[ST_INSERT], p, CI_id, id);
	if (rc == CS_OK)
		rc = append(db, by, *id, "warranty_claim.opened", json_pack("{s:I, s:I, s:s}",
		    "registration_id", (json_int_t)l.registration_id, "ticket_id",
		    (json_int_t)in->ticket_id, "serial", l.serial));
	if (rc == CS_OK && in->submit)
		rc = move_locked(db, a, by, *id, &m, why, field);
	if ((rc = db_end(db, rc)) != CS_OK)
		*id = 0;
	return rc;
}

/* A cost as typed, "" for 0; NULL when it is not an amount. */
static const char *
cost_of(const char *v)
{
	if (v == NULL || *v == '\0')
		return "0";
	return money_ok(v, WARRANTY_COST_MAX) ? v : NULL;
}

enum cs_result
warranty_claim_costs(struct db *db, struct arena *a, const struct warranty_actor *by,
    long long id, const char *labour, const char *parts, const char *shipping,
    const char **why, const char **field)
{
	const char *p[] = { db_param_ll(a, id), cost_of(labour), cost_of(parts),
		cost_of(shipping) };
	static const char *const names[] = { NULL, "labour_cost", "parts_cost", "shipping_cost" };
	enum cs_result rc;
	int i;

	*why = NULL;
	*field = NULL;
	for (i = 1; i < 4; i++)
		if (p[i] == NULL) {
			*field = names[i];
			*why = "Enter an amount such as 120 or 120.50, at most 1,000,000.";
			return CS_REFUSED;
		}
	if (by->kind != WA_STAFF)
		return CS_NOT_FOUND;
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_update_one(db, &stmts[ST_COSTS], p);
	if (rc == CS_NOT_FOUND) {
		*why = "The costs are fixed once a claim is decided.";
		rc = CS_REFUSED;
	}
	if (rc == CS_OK)
		rc = append(db, by, id, "warranty_claim.costs_set", json_pack("{s:s, s:s, s:s}",
		    "labour", p[1], "parts", p[2], "shipping", p[3]));
	return db_end(db, rc);
}

enum cs_result
warranty_claims_sweep(struct db *db, long *approved, long *reviewed)
{
	struct warranty_actor sys = { WA_SYSTEM, 0, 0, 0 };
	struct arena *a = arena_new(16 * 1024);
	enum cs_result rc = CS_OK;
	long long last = 0;

	if (a == NULL)
		return CS_FAILED;
	for (;;) {
		char after[24];
		const char *p[] = { after };
		PGresult *r;
		int i, n;

		snprintf(after, sizeof(after), "%lld", last);
		if ((r = db_exec(db, &stmts[ST_SWEEP], p)) == NULL) {
			rc = db_result(db);
			break;
		}

		n = PQntuples(r);
		for (i = 0; i < n && rc == CS_OK; i++) {
			struct warranty_claim_move m;
			const char *why, *field;
			enum cs_result one;

			last = db_ll(r, i, SW_id);
			memset(&m, 0, sizeof(m));
			m.to = db_bool(r, i, SW_automatic) ? WC_APPROVED : WC_UNDER_REVIEW;
			one = warranty_claim_move(db, a, &sys, last, &m, &why, &field);
			/* Moved meanwhile by someone else: nothing left to do for it. */
			if (one == CS_CONFLICT || one == CS_REFUSED)
				continue;
			if (one != CS_OK)
				rc = one;
			else if (m.to == WC_APPROVED)
				(*approved)++;
			else
				(*reviewed)++;
			arena_reset(a);
		}
		PQclear(r);
		if (rc != CS_OK || n < 200)
			break;
	}
	if (rc != CS_OK)
		log_error("warranty: claims sweep: %s", cs_result_str(rc));
	arena_free(a);
	return rc;
}
