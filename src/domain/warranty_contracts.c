/* warranty_contracts.c — service contracts and their renewal reminders; see warranty_contracts.h. */
#include "domain/warranty_contracts.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/warranty_int.h"

#include <jansson.h>
#include <string.h>

#define K_COLS(X) \
	X(KC, id, "k.id") X(KC, customer_id, "k.customer_id") X(KC, customer, "c.name") \
	X(KC, name, "k.name") X(KC, starts_on, "k.starts_on::text") \
	X(KC, ends_on, "k.ends_on::text") \
	X(KC, covers, "coalesce((SELECT string_agg(coalesce(p.name, g.serial), ', ' ORDER BY i.id)" \
	    " FROM service_contract_items i LEFT JOIN products p ON p.id = i.product_id" \
	    " LEFT JOIN warranty_registrations g ON g.id = i.registration_id" \
	    " WHERE i.contract_id = k.id), '')") \
	X(KC, response_tier, "k.response_tier") X(KC, parts, "k.parts") X(KC, labour, "k.labour") \
	X(KC, travel, "k.travel") X(KC, visits, "k.visits")
enum { DB_COL_ENUM(K_COLS) };
#define K_FROM " FROM service_contracts k JOIN customers c ON c.id = k.customer_id"
#define ID_COLS(X) X(KI, id, "id")
enum { DB_COL_ENUM(ID_COLS) };
#define DUE_COLS(X) X(KD, id, "k.id")
enum { DB_COL_ENUM(DUE_COLS) };

enum stmt {
	ST_INSERT,
	ST_ITEM,
	ST_OF,
	ST_DUE,
	ST_REMIND,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_INSERT] = DB_STMT("warranty_contract_insert",
	    "INSERT INTO service_contracts (customer_id, name, starts_on, ends_on, parts, labour,"
	    " travel, visits, response_tier) VALUES ($1::bigint, $2, $3::date, $4::date,"
	    " $5::boolean, $6::boolean, $7::boolean, $8::int, $9) RETURNING " DB_COLS(ID_COLS), 9),
	/* What it covers: an active product, or a registration of the same customer. */
	[ST_ITEM] = DB_STMT("warranty_contract_item",
	    "INSERT INTO service_contract_items (contract_id, product_id, registration_id)"
	    " SELECT $1::bigint, $2::bigint, $3::bigint WHERE ($2::bigint IS NOT NULL AND EXISTS"
	    " (SELECT 1 FROM products WHERE id = $2::bigint AND active)) OR ($3::bigint IS NOT NULL"
	    " AND EXISTS (SELECT 1 FROM warranty_registrations WHERE id = $3::bigint"
	    " AND customer_id = $4::bigint)) RETURNING " DB_COLS(ID_COLS), 4),
	[ST_OF] = DB_STMT("warranty_contract_of",
	    "SELECT " DB_COLS(K_COLS) K_FROM " WHERE k.customer_id = $1::bigint"
	    " ORDER BY k.ends_on DESC, k.id DESC LIMIT 50", 1),
	[ST_DUE] = DB_STMT("warranty_contract_due",
	    "SELECT " DB_COLS(K_COLS) K_FROM " WHERE k.ends_on >= current_date"
	    " AND k.ends_on <= current_date + $1::int ORDER BY k.ends_on, k.id LIMIT 500", 1),
	/* Due in the customer's own days: one reminder per period (reminded_for). */
	[ST_REMIND] = DB_STMT("warranty_contract_remind",
	    "UPDATE service_contracts k SET reminded_for = k.ends_on FROM customers c"
	    " WHERE c.id = k.customer_id AND k.reminded_for IS DISTINCT FROM k.ends_on"
	    " AND k.ends_on >= (now() AT TIME ZONE coalesce(c.time_zone, 'UTC'))::date"
	    " AND k.ends_on - coalesce((SELECT value::int FROM settings"
	    " WHERE key = 'warranty_renewal_notice_days'), 30)"
	    " <= (now() AT TIME ZONE coalesce(c.time_zone, 'UTC'))::date RETURNING " DB_COLS(DUE_COLS), 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct warranty_contract *k = elem;
	int failed = 0;

	k->id = db_ll(r, i, KC_id);
	k->customer_id = db_ll(r, i, KC_customer_id);
	k->customer = db_str(a, r, i, KC_customer, &failed);
	k->name = db_str(a, r, i, KC_name, &failed);
	k->starts_on = db_str(a, r, i, KC_starts_on, &failed);
	k->ends_on = db_str(a, r, i, KC_ends_on, &failed);
	k->covers = db_str(a, r, i, KC_covers, &failed);
	k->response_tier = db_str(a, r, i, KC_response_tier, &failed);
	k->parts = db_bool(r, i, KC_parts);
	k->labour = db_bool(r, i, KC_labour);
	k->travel = db_bool(r, i, KC_travel);
	k->visits = (int)db_ll(r, i, KC_visits);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
warranty_contracts_of(struct db *db, struct arena *a, long long customer_id,
    struct warranty_contract **rows, size_t *n)
{
	const char *p[] = { db_param_ll(a, customer_id) };
	void *out;
	enum cs_result rc = db_rows(db, a, &stmts[ST_OF], p, sizeof(**rows), fill, &out, n);

	*rows = out;
	return rc;
}

enum cs_result
warranty_contracts_due(struct db *db, struct arena *a, int days, struct warranty_contract **rows,
    size_t *n)
{
	const char *p[] = { db_param_ll(a, days) };
	void *out;
	enum cs_result rc = db_rows(db, a, &stmts[ST_DUE], p, sizeof(**rows), fill, &out, n);

	*rows = out;
	return rc;
}

static enum cs_result
check_input(const struct warranty_contract_input *in, const char **why, const char **field)
{
	size_t name = in->name != NULL ? utf8_chars(in->name) : 0;
	const char *tier = in->response_tier != NULL ? in->response_tier : "";

	if (name == 0)
		*why = "Name is required.", *field = "name";
	else if (name > WARRANTY_CONTRACT_NAME_MAX)
		*why = "A name has at most 200 characters.", *field = "name";
	else if (in->visits < 0 || in->visits > WARRANTY_VISITS_MAX)
		*why = "Visits: a whole number from 0 to 1000.", *field = "visits";
	else if (strcmp(tier, "standard") != 0 && strcmp(tier, "premium") != 0 &&
	    strcmp(tier, "vip") != 0)
		*why = "Choose a response tier: standard, premium or vip.", *field = "response_tier";
	else if ((in->product_id > 0) == (in->registration_id > 0))
		*why = "Choose what the contract covers: a product or one serial.", *field = "covers";
	else if (!in->parts && !in->labour && !in->travel)
		*why = "A contract includes parts, labour or travel.", *field = "parts";
	return *why != NULL ? CS_REFUSED : CS_OK;
}

enum cs_result
warranty_contract_add(struct db *db, struct arena *a, const struct warranty_actor *by,
    const struct warranty_contract_input *in, long long *id, const char **why,
    const char **field)
{
	const char *cust = db_param_ll(a, in->customer_id);
	const char *p[] = { cust, in->name, in->starts_on, in->ends_on, in->parts ? "t" : "f",
		in->labour ? "t" : "f", in->travel ? "t" : "f", db_param_ll(a, in->visits),
		in->response_tier };
	const char *ip[] = { NULL, db_param_id(a, in->product_id),
		db_param_id(a, in->registration_id), cust };
	long long item;
	enum cs_result rc;

	*id = 0;
	*why = NULL;
	*field = NULL;
	if (by->kind != WA_STAFF)
		return CS_NOT_FOUND;
	if ((rc = check_input(in, why, field)) != CS_OK)
		return rc;
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_id(db, &stmts[ST_INSERT], p, KI_id, id);
	if (rc == CS_FAILED && (db_is(db, "22007") || db_is(db, "22008"))) {
		*why = "Enter dates as YYYY-MM-DD, e.g. 2026-03-14.";
		*field = "starts_on";
		return db_end(db, CS_REFUSED);
	}
	if (rc == CS_FAILED && db_is(db, "23514")) {
		*why = "The contract cannot end before it starts.";
		*field = "ends_on";
		return db_end(db, CS_REFUSED);
	}
	if (rc == CS_FAILED && db_is(db, "23503"))
		rc = CS_NOT_FOUND;
	if (rc == CS_OK) {
		ip[0] = db_param_ll(a, *id);
		rc = db_id(db, &stmts[ST_ITEM], ip, KI_id, &item);
		if (rc == CS_NOT_FOUND) {
			*why = "That product or serial is not one this customer can have covered.";
			*field = "covers";
			rc = CS_REFUSED;
		}
	}
	if (rc == CS_OK)
		rc = warranty_event(db, by, "service_contract", *id, "service_contract.created",
		    json_pack("{s:s, s:s, s:s}", "name", in->name, "starts_on", in->starts_on,
		    "ends_on", in->ends_on));
	if ((rc = db_end(db, rc)) != CS_OK)
		*id = 0;
	return rc;
}

enum cs_result
warranty_contracts_remind(struct db *db, long *done)
{
	struct warranty_actor sys = { WA_SYSTEM, 0, 0, 0 };
	PGresult *r;
	enum cs_result rc = CS_OK;
	int i;

	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_REMIND], NULL)) == NULL)
		return db_end(db, db_result(db));
	for (i = 0; i < PQntuples(r) && rc == CS_OK; i++)
		rc = warranty_event(db, &sys, "service_contract", db_ll(r, i, KD_id),
		    "service_contract.renewal_due", json_object());
	if (rc == CS_OK)
		*done += PQntuples(r);
	PQclear(r);
	return db_end(db, rc);
}
