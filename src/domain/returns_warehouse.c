/*
 * returns_warehouse.c — what happens once the parcel is back: receiving
 * (units counted into rows), inspection and disposition per unit, and the
 * settlement that gives the customer money, credit or a replacement per
 * unit received. See returns.h.
 */
#include "domain/returns_int.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

#define COUNT_COLS(X) \
	X(CN, units, "count(*)") X(CN, open, "count(*) FILTER (WHERE NOT u.inspected" \
	" AND l.needs_inspection)") X(CN, need, "count(*) FILTER (WHERE l.needs_inspection)") \
	X(CN, undisposed, "count(*) FILTER (WHERE u.disposition IS NULL)") \
	X(CN, unsettled, "count(*) FILTER (WHERE u.outcome IS NULL)") \
	X(CN, refund, "count(*) FILTER (WHERE u.outcome = 'refund')") \
	X(CN, credit, "count(*) FILTER (WHERE u.outcome = 'credit')") \
	X(CN, replace, "count(*) FILTER (WHERE u.outcome = 'replace')")
enum { DB_COL_ENUM(COUNT_COLS) };
#define OVER_COLS(X) X(OV, position, "position") X(OV, money, "money::text") \
	X(OV, fee, "fee::text")
enum { DB_COL_ENUM(OVER_COLS) };
#define MONEY_COLS(X) X(MN, words, "concat_ws(', ', CASE WHEN refund_total > 0 THEN" \
	" 'refund ' || refund_total END, CASE WHEN credit_total > 0 THEN 'credit ' ||" \
	" credit_total END, CASE WHEN fee_total > 0 THEN 'restocking fee ' || fee_total END)")
enum { DB_COL_ENUM(MONEY_COLS) };

enum stmt {
	ST_RECEIVE,
	ST_COUNTS,
	ST_INSPECT,
	ST_DISPOSE,
	ST_OUTCOME,
	ST_SETTLE,
	ST_MONEY,
	ST__MAX
};

/* Per unit: $1 the return, $2 the unit, $3 the value; a row when it is the return's. */
#define UNIT_OF_RETURN " FROM return_lines l WHERE u.id = $2::bigint AND l.id = u.line_id" \
	" AND l.return_id = $1::bigint RETURNING u.id"

static struct db_stmt stmts[] = {
	/* More units of one line: counted, then one row each; none past the quantity. */
	[ST_RECEIVE] = DB_STMT("returns_receive",
	    "WITH l AS (UPDATE return_lines SET received = received + $3::integer"
	    " WHERE return_id = $1::bigint AND position = $2::smallint"
	    " AND received + $3::integer <= quantity RETURNING id, received)"
	    " INSERT INTO return_units (line_id, unit, condition)"
	    " SELECT l.id, g, $4 FROM l, generate_series(l.received - $3::integer + 1, l.received) g"
	    " RETURNING id", 4),
	[ST_COUNTS] = DB_STMT("returns_unit_counts",
	    "SELECT " DB_COLS(COUNT_COLS) " FROM return_units u"
	    " JOIN return_lines l ON l.id = u.line_id WHERE l.return_id = $1", 1),
	[ST_INSPECT] = DB_STMT("returns_inspect",
	    "UPDATE return_units u SET condition = $3, inspected = true" UNIT_OF_RETURN, 3),
	[ST_DISPOSE] = DB_STMT("returns_dispose",
	    "UPDATE return_units u SET disposition = $3" UNIT_OF_RETURN, 3),
	[ST_OUTCOME] = DB_STMT("returns_outcome",
	    "UPDATE return_units u SET outcome = $3" UNIT_OF_RETURN, 3),
	[ST_SETTLE] = DB_STMT("returns_settle",
	    "SELECT " DB_COLS(OVER_COLS) " FROM return_settle_lines($1, $2)", 2),
	[ST_MONEY] = DB_STMT("returns_money_words",
	    "SELECT " DB_COLS(MONEY_COLS) " FROM returns WHERE id = $1", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

struct counts {
	long long units, open, need, undisposed, unsettled, refund, credit, replace;
};

static enum cs_result
counts(struct db *db, long long id, struct counts *c)
{
	char ib[24];
	const char *p[] = { ib };
	PGresult *r;

	snprintf(ib, sizeof(ib), "%lld", id);
	if ((r = db_exec(db, &stmts[ST_COUNTS], p)) == NULL)
		return db_result(db);
	c->units = db_ll(r, 0, CN_units);
	c->open = db_ll(r, 0, CN_open);
	c->need = db_ll(r, 0, CN_need);
	c->undisposed = db_ll(r, 0, CN_undisposed);
	c->unsettled = db_ll(r, 0, CN_unsettled);
	c->refund = db_ll(r, 0, CN_refund);
	c->credit = db_ll(r, 0, CN_credit);
	c->replace = db_ll(r, 0, CN_replace);
	PQclear(r);
	return CS_OK;
}

/*
 * Opens the transaction and locks number for a step by a role in mask from
 * a state in from (bits). CS_OK with the transaction open; else it is
 * closed and the answer is returned (CS_REFUSED with *why).
 */
static enum cs_result
begin_step(struct db *db, struct arena *a, const struct return_actor *by, const char *number,
    int allowed, unsigned from, const char *not_now, struct return_locked *l,
    const char **why)
{
	enum cs_result rc;

	if (db_begin(db) < 0)
		return db_result(db);
	rc = returns_lock(db, a, by, number, l);
	if (rc == CS_OK && !allowed) {
		*why = "Your role cannot take that step.";
		rc = CS_REFUSED;
	} else if (rc == CS_OK && !(from & (1u << l->state))) {
		*why = not_now;
		rc = CS_REFUSED;
	}
	if (rc != CS_OK)
		db_rollback(db);
	return rc;
}

/* Sets one value per unit with st (values from pick); refuses a unit not of the return. */
static enum cs_result
set_units(struct db *db, const struct return_locked *l, struct db_stmt *st,
    const struct return_unit_input *units, size_t n, const char *(*pick)(const struct
    return_unit_input *), const char **why)
{
	char rid[24], uid[24];
	const char *p[] = { rid, uid, NULL };
	size_t i;

	snprintf(rid, sizeof(rid), "%lld", l->id);
	for (i = 0; i < n; i++) {
		PGresult *r;
		int found;

		snprintf(uid, sizeof(uid), "%lld", units[i].unit_id);
		p[2] = pick(&units[i]);
		if ((r = db_exec(db, st, p)) == NULL)
			return db_result(db);
		found = PQntuples(r) == 1;
		PQclear(r);
		if (!found) {
			*why = "A unit on the form is not one of this return's: reload the page.";
			return CS_REFUSED;
		}
	}
	return CS_OK;
}

static const char *pick_condition(const struct return_unit_input *u) { return u->condition; }
static const char *pick_disposition(const struct return_unit_input *u) { return u->disposition; }
static const char *pick_outcome(const struct return_unit_input *u) { return u->outcome; }

/* Non-zero when every unit's value (by pick) is in names (NULL-ended); conditions: length. */
static int
units_ok(const struct return_unit_input *units, size_t n,
    const char *(*pick)(const struct return_unit_input *), const char *const *names)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		const char *v = pick(&units[i]);

		if (v == NULL)
			return 0;
		if (names == NULL) {
			if (utf8_chars(v) > RETURN_CONDITION_MAX)
				return 0;
			continue;
		}
		for (k = 0; names[k] != NULL && strcmp(names[k], v) != 0; k++)
			;
		if (names[k] == NULL)
			return 0;
	}
	return 1;
}

enum cs_result
returns_receive(struct db *db, struct arena *a, const struct return_actor *by,
    const char *number, const int *received, size_t n, const char *condition,
    const struct ticket_file *photos, size_t nphotos, const char **why)
{
	struct return_locked l;
	char rid[24], pos[24], qty[16];
	const char *p[] = { rid, pos, qty, condition != NULL ? condition : "" };
	enum cs_result rc;
	size_t i;
	long long total = 0;

	*why = NULL;
	for (i = 0; i < n; i++) {
		if (received[i] < 0 || received[i] > RETURN_QTY_MAX) {
			*why = "Count the units that came: a whole number for each line.";
			return CS_REFUSED;
		}
		total += received[i];
	}
	if (total == 0)
		*why = "Count at least one unit that came.";
	else if (n > RETURN_LINES_MAX)
		*why = "There are at most 10 lines in a return.";
	else if (condition != NULL && utf8_chars(condition) > RETURN_CONDITION_MAX)
		*why = "Keep the condition to 1,000 characters.";
	else
		*why = returns_photos_refused(photos, nphotos);
	if (*why != NULL)
		return CS_REFUSED;
	rc = begin_step(db, a, by, number, returns_may_warehouse(by),
	    (1u << RS_AWAITING_SHIPMENT) | (1u << RS_RECEIVED),
	    "Units are received only once the authorisation was sent, and before inspection.",
	    &l, why);
	if (rc != CS_OK)
		return rc;
	snprintf(rid, sizeof(rid), "%lld", l.id);
	for (i = 0; i < n && rc == CS_OK; i++) {
		PGresult *r;

		if (received[i] == 0)
			continue;
		snprintf(pos, sizeof(pos), "%zu", i + 1);
		snprintf(qty, sizeof(qty), "%d", received[i]);
		if ((r = db_exec(db, &stmts[ST_RECEIVE], p)) == NULL)
			return db_end(db, db_result(db));
		if (PQntuples(r) != received[i]) {
			*why = arena_printf(a, "Line %zu: that is more units than were asked for, "
			    "with those already received.", i + 1);
			rc = *why != NULL ? CS_REFUSED : CS_FAILED;
		}
		PQclear(r);
	}
	if (rc == CS_OK)
		rc = returns_photos_store(db, l.id, "warehouse", photos, nphotos);
	if (rc == CS_OK)
		rc = returns_move(db, by, &l, RS_RECEIVED, condition, 0);
	return db_end(db, rc);
}

enum cs_result
returns_inspect(struct db *db, struct arena *a, const struct return_actor *by,
    const char *number, const struct return_unit_input *units, size_t n,
    const struct ticket_file *photos, size_t nphotos, const char **why)
{
	struct return_locked l;
	struct counts c = { 0 };
	enum cs_result rc;

	*why = NULL;
	if (!units_ok(units, n, pick_condition, NULL))
		*why = "Keep each unit's condition to 1,000 characters.";
	else
		*why = returns_photos_refused(photos, nphotos);
	if (*why != NULL)
		return CS_REFUSED;
	rc = begin_step(db, a, by, number, returns_may_warehouse(by), 1u << RS_RECEIVED,
	    "Only a received return can be inspected.", &l, why);
	if (rc != CS_OK)
		return rc;
	rc = set_units(db, &l, &stmts[ST_INSPECT], units, n, pick_condition, why);
	if (rc == CS_OK)
		rc = returns_photos_store(db, l.id, "warehouse", photos, nphotos);
	if (rc == CS_OK && (rc = counts(db, l.id, &c)) == CS_OK && c.open > 0) {
		*why = "Inspect every unit received.";
		rc = CS_REFUSED;
	}
	if (rc == CS_OK)
		rc = returns_move(db, by, &l, RS_INSPECTED, NULL, 0);
	return db_end(db, rc);
}

enum cs_result
returns_disposition(struct db *db, struct arena *a, const struct return_actor *by,
    const char *number, const struct return_unit_input *units, size_t n, const char **why)
{
	struct return_locked l;
	struct counts c = { 0 };
	enum cs_result rc;

	*why = NULL;
	if (!units_ok(units, n, pick_disposition, return_disposition_names)) {
		*why = "Choose what becomes of each unit from the list.";
		return CS_REFUSED;
	}
	rc = begin_step(db, a, by, number, returns_may_warehouse(by),
	    (1u << RS_INSPECTED) | (1u << RS_RECEIVED),
	    "Units are dispositioned once received and inspected.", &l, why);
	if (rc != CS_OK)
		return rc;
	if ((rc = counts(db, l.id, &c)) == CS_OK && l.state == RS_RECEIVED && c.need > 0) {
		*why = "Inspect the units first: their reason needs inspection.";
		rc = CS_REFUSED;
	}
	if (rc == CS_OK)
		rc = set_units(db, &l, &stmts[ST_DISPOSE], units, n, pick_disposition, why);
	if (rc == CS_OK && (rc = counts(db, l.id, &c)) == CS_OK && c.undisposed > 0) {
		*why = "Choose what becomes of every unit received.";
		rc = CS_REFUSED;
	}
	if (rc == CS_OK)
		rc = returns_move(db, by, &l, RS_DISPOSITIONED, NULL, 0);
	return db_end(db, rc);
}

/* Refuses the settlement when a line's fee is larger than its money. */
static enum cs_result
settle_money(struct db *db, struct arena *a, const struct return_locked *l, int waive,
    const char **why, const char **words)
{
	char ib[24];
	const char *p[] = { ib, waive ? "t" : "f" };
	PGresult *r;
	int failed = 0;

	snprintf(ib, sizeof(ib), "%lld", l->id);
	if ((r = db_exec(db, &stmts[ST_SETTLE], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) > 0) {
		*why = arena_printf(a, "Line %s: the restocking fee (%s) is more than the money "
		    "it gives back (%s). Replace instead, or waive the fee.",
		    PQgetvalue(r, 0, OV_position), PQgetvalue(r, 0, OV_fee),
		    PQgetvalue(r, 0, OV_money));
		PQclear(r);
		return *why != NULL ? CS_REFUSED : CS_FAILED;
	}
	PQclear(r);
	if ((r = db_exec(db, &stmts[ST_MONEY], p)) == NULL)
		return db_result(db);
	*words = PQntuples(r) == 1 ? db_str(a, r, 0, MN_words, &failed) : "";
	PQclear(r);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
returns_settle(struct db *db, struct arena *a, const struct return_actor *by,
    const char *number, const struct return_unit_input *units, size_t n, int waive_fee,
    const char **why)
{
	struct return_locked l;
	struct counts c = { 0 };
	const char *words = "";
	enum return_state to;
	enum cs_result rc;

	*why = NULL;
	if (!units_ok(units, n, pick_outcome, return_outcome_names)) {
		*why = "Choose what the customer gets for each unit from the list.";
		return CS_REFUSED;
	}
	rc = begin_step(db, a, by, number, returns_may_settle(by), 1u << RS_DISPOSITIONED,
	    "A return is settled once every unit is dispositioned.", &l, why);
	if (rc != CS_OK)
		return rc;
	rc = set_units(db, &l, &stmts[ST_OUTCOME], units, n, pick_outcome, why);
	if (rc == CS_OK && (rc = counts(db, l.id, &c)) == CS_OK && c.unsettled > 0) {
		*why = "Choose what the customer gets for every unit received.";
		rc = CS_REFUSED;
	}
	if (rc == CS_OK)
		rc = settle_money(db, a, &l, waive_fee, why, &words);
	to = c.refund > 0 ? RS_REFUNDED : c.credit > 0 ? RS_CREDITED : c.replace > 0 ?
	    RS_REPLACED : RS_CLOSED;
	if (rc == CS_OK)
		rc = returns_move(db, by, &l, to, words, 0);
	return db_end(db, rc);
}
