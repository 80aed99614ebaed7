/* returns_policy.c — the return policy admins edit; see returns_policy.h. */
#include "domain/returns_policy.h"
#include "domain/returns_int.h"
#include "core/arena.h"
#include "core/money.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/admin_audit.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POL_COLS(X) X(PO, max, "auto_approve_max::text") \
	X(PO, days, "default_window_days") X(PO, ship_to, "ship_to")
enum { DB_COL_ENUM(POL_COLS) };
#define WIN_COLS(X) X(WN, id, "c.id") X(WN, name, "c.name") X(WN, days, "coalesce(w.days, -1)")
enum { DB_COL_ENUM(WIN_COLS) };
#define REASON_COLS(X) X(RN, reason, "reason") X(RN, needs, "needs_inspection")
enum { DB_COL_ENUM(REASON_COLS) };
#define FEE_COLS(X) X(FE, id, "id") X(FE, reason, "reason") X(FE, kind, "kind") \
	X(FE, amount, "amount::text") X(FE, from_days, "from_days")
enum { DB_COL_ENUM(FEE_COLS) };
#define ID_COLS(X) X(ID, id, "id")
enum { DB_COL_ENUM(ID_COLS) };

enum stmt {
	ST_POLICY,
	ST_WINDOWS,
	ST_REASONS,
	ST_FEES,
	ST_SAVE,
	ST_WINDOW_SET,
	ST_WINDOW_CLEAR,
	ST_REASON_SET,
	ST_FEE_ADD,
	ST_FEE_DELETE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_POLICY] = DB_STMT("returns_policy", "SELECT " DB_COLS(POL_COLS) " FROM return_policy", 0),
	[ST_WINDOWS] = DB_STMT("returns_policy_windows",
	    "SELECT " DB_COLS(WIN_COLS) " FROM product_categories c"
	    " LEFT JOIN return_windows w ON w.category_id = c.id WHERE c.active"
	    " ORDER BY lower(c.name), c.id", 0),
	[ST_REASONS] = DB_STMT("returns_policy_reasons",
	    "SELECT " DB_COLS(REASON_COLS) " FROM return_reasons", 0),
	[ST_FEES] = DB_STMT("returns_policy_fees",
	    "SELECT " DB_COLS(FEE_COLS) " FROM return_fees ORDER BY reason, from_days", 0),
	[ST_SAVE] = DB_STMT("returns_policy_save",
	    "UPDATE return_policy SET auto_approve_max = $1::numeric,"
	    " default_window_days = $2::integer, ship_to = $3", 3),
	[ST_WINDOW_SET] = DB_STMT("returns_window_set",
	    "INSERT INTO return_windows (category_id, days) SELECT id, $2::integer"
	    " FROM product_categories WHERE id = $1::bigint"
	    " ON CONFLICT (category_id) DO UPDATE SET days = EXCLUDED.days", 2),
	[ST_WINDOW_CLEAR] = DB_STMT("returns_window_clear",
	    "DELETE FROM return_windows WHERE category_id = $1::bigint", 1),
	[ST_REASON_SET] = DB_STMT("returns_reason_set",
	    "UPDATE return_reasons SET needs_inspection = $2::boolean WHERE reason = $1", 2),
	[ST_FEE_ADD] = DB_STMT("returns_fee_add",
	    "INSERT INTO return_fees (reason, from_days, kind, amount)"
	    " VALUES ($1, $2::integer, $3, $4::numeric) RETURNING " DB_COLS(ID_COLS), 4),
	[ST_FEE_DELETE] = DB_STMT("returns_fee_delete",
	    "DELETE FROM return_fees WHERE id = $1::bigint", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill_window(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct return_window_row *w = elem;
	int failed = 0;

	w->category_id = db_ll(r, i, WN_id);
	w->category = db_str(a, r, i, WN_name, &failed);
	w->days = (int)db_ll(r, i, WN_days);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
fill_fee(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct return_fee_row *f = elem;
	int failed = 0;

	f->id = db_ll(r, i, FE_id);
	f->reason = db_str(a, r, i, FE_reason, &failed);
	f->kind = db_str(a, r, i, FE_kind, &failed);
	f->amount = db_str(a, r, i, FE_amount, &failed);
	f->from_days = (int)db_ll(r, i, FE_from_days);
	return failed ? CS_FAILED : CS_OK;
}

static int
reason_index(const char *reason)
{
	int i;

	for (i = 0; i < RETURN_REASONS; i++)
		if (strcmp(reason, return_reason_names[i]) == 0)
			return i;
	return -1;
}

enum cs_result
returns_policy_get(struct db *db, struct arena *a, struct return_policy_view *v)
{
	struct db_pipe pipe;
	const PGresult *r;
	void *rows;
	enum cs_result rc;
	int pi, wi, ri, fi, i, failed = 0;

	memset(v, 0, sizeof(*v));
	db_pipe_init(&pipe);
	pi = db_pipe_add(&pipe, &stmts[ST_POLICY], NULL);
	wi = db_pipe_add(&pipe, &stmts[ST_WINDOWS], NULL);
	ri = db_pipe_add(&pipe, &stmts[ST_REASONS], NULL);
	fi = db_pipe_add(&pipe, &stmts[ST_FEES], NULL);
	if ((rc = db_pipe_run(db, &pipe)) != CS_OK)
		goto out;
	r = db_pipe_result(&pipe, pi);
	if (PQntuples(r) != 1) {
		rc = CS_FAILED;
		goto out;
	}
	v->auto_approve_max = db_str(a, r, 0, PO_max, &failed);
	v->default_window_days = (int)db_ll(r, 0, PO_days);
	v->ship_to = db_str(a, r, 0, PO_ship_to, &failed);
	r = db_pipe_result(&pipe, ri);
	for (i = 0; i < PQntuples(r); i++) {
		int k = reason_index(PQgetvalue(r, i, RN_reason));

		if (k >= 0)
			v->needs_inspection[k] = db_bool(r, i, RN_needs);
	}
	if ((rc = db_pipe_rows(&pipe, wi, a, sizeof(*v->windows), fill_window, &rows,
	    &v->nwindows)) != CS_OK)
		goto out;
	v->windows = rows;
	rc = db_pipe_rows(&pipe, fi, a, sizeof(*v->fees), fill_fee, &rows, &v->nfees);
	v->fees = rows;
	if (rc == CS_OK && failed)
		rc = CS_FAILED;
out:
	db_pipe_release(&pipe);
	return rc;
}

/* Checks the policy's own fields. CS_OK or CS_REFUSED with *why and *field. */
static enum cs_result
check(const struct return_policy_input *in, const char **why, const char **field)
{
	size_t i;

	*why = NULL;
	if (!money_ok(in->auto_approve_max, RETURN_MONEY_MAX)) {
		*field = "auto_approve_max";
		*why = "Give an amount such as 50 or 49.90 (0: approve nothing by itself).";
	} else if (in->default_window_days < 0 || in->default_window_days > RETURN_WINDOW_MAX) {
		*field = "default_window_days";
		*why = "The window is 0 to 3650 days.";
	} else if (in->ship_to == NULL || *in->ship_to == '\0' ||
	    utf8_chars(in->ship_to) > RETURN_SHIP_TO_MAX) {
		*field = "ship_to";
		*why = "Give the address returns are sent to (at most 500 characters).";
	}
	for (i = 0; *why == NULL && i < in->nwindows; i++)
		if (in->days[i] < -1 || in->days[i] > RETURN_WINDOW_MAX) {
			*field = "windows";
			*why = "Each category's window is 0 to 3650 days, or empty for the default.";
		}
	return *why != NULL ? CS_REFUSED : CS_OK;
}

static json_t *
detail(const struct return_policy_input *in)
{
	return json_pack("{s:s, s:i, s:s}", "auto_approve_max", in->auto_approve_max,
	    "default_window_days", in->default_window_days, "ship_to", in->ship_to);
}

enum cs_result
returns_policy_save(struct db *db, const struct audit_entry *by,
    const struct return_policy_input *in, const char **why, const char **field)
{
	char days[16], cat[24], wd[16];
	const char *sp[] = { in->auto_approve_max, days, in->ship_to };
	const char *wp[] = { cat, wd };
	enum cs_result rc;
	size_t i;

	if ((rc = check(in, why, field)) != CS_OK)
		return rc;
	snprintf(days, sizeof(days), "%d", in->default_window_days);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_do(db, &stmts[ST_SAVE], sp);
	for (i = 0; i < in->nwindows && rc == CS_OK; i++) {
		snprintf(cat, sizeof(cat), "%lld", in->category_ids[i]);
		snprintf(wd, sizeof(wd), "%d", in->days[i]);
		rc = db_do(db, &stmts[in->days[i] < 0 ? ST_WINDOW_CLEAR : ST_WINDOW_SET], wp);
	}
	for (i = 0; i < RETURN_REASONS && rc == CS_OK; i++) {
		const char *rp[] = { return_reason_names[i], in->needs_inspection[i] ? "t" : "f" };

		rc = db_do(db, &stmts[ST_REASON_SET], rp);
	}
	if (rc == CS_OK)
		rc = admin_audit(db, by, "returns.policy", "return_policy", 1, detail(in));
	return db_end(db, rc);
}

enum cs_result
returns_fee_add(struct db *db, const struct audit_entry *by, const char *reason, int from_days,
    const char *kind, const char *amount, const char **why, const char **field)
{
	char days[16];
	const char *p[] = { reason, days, kind, amount };
	long long id = 0;
	enum cs_result rc;

	*why = NULL;
	if (reason == NULL || reason_index(reason) < 0) {
		*field = "reason";
		*why = "Choose a reason from the list.";
	} else if (from_days < 0 || from_days > RETURN_WINDOW_MAX) {
		*field = "from_days";
		*why = "Days since delivery is 0 to 3650.";
	} else if (kind == NULL || (strcmp(kind, "fixed") != 0 && strcmp(kind, "percent") != 0)) {
		*field = "kind";
		*why = "Choose a fixed amount or a percentage.";
	} else if (!money_ok(amount, RETURN_MONEY_MAX) ||
	    (strcmp(kind, "percent") == 0 && strtod(amount, NULL) > 100)) {
		*field = "amount";
		*why = strcmp(kind, "percent") == 0 ? "A percentage is 0 to 100." :
		    "Give an amount such as 5 or 4.50.";
	}
	if (*why != NULL)
		return CS_REFUSED;
	snprintf(days, sizeof(days), "%d", from_days);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_id(db, &stmts[ST_FEE_ADD], p, ID_id, &id);
	if (rc == CS_TAKEN) {
		*field = "from_days";
		*why = "That reason already has a fee from that day: remove it first.";
		rc = CS_REFUSED;
	}
	if (rc == CS_OK)
		rc = admin_audit(db, by, "returns.fee_add", "return_fee", id,
		    json_pack("{s:s, s:i, s:s, s:s}", "reason", reason, "from_days", from_days,
		    "kind", kind, "amount", amount));
	return db_end(db, rc);
}

enum cs_result
returns_fee_delete(struct db *db, const struct audit_entry *by, long long id)
{
	char ib[24];
	const char *p[] = { ib };
	enum cs_result rc;

	snprintf(ib, sizeof(ib), "%lld", id);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_update_one(db, &stmts[ST_FEE_DELETE], p);
	if (rc == CS_OK)
		rc = admin_audit(db, by, "returns.fee_delete", "return_fee", id, NULL);
	return db_end(db, rc);
}
