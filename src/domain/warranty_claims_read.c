/* warranty_claims_read.c — claims as pages and queues read them; see warranty_claims.h. */
#include "domain/warranty_claims.h"
#include "core/arena.h"
#include "db/db.h"

#include <string.h>

#define CLAIM_COLS(X) \
	X(CL, id, "w.id") X(CL, registration_id, "w.registration_id") \
	X(CL, customer_id, "w.customer_id") X(CL, ticket_id, "coalesce(w.ticket_id, 0)") \
	X(CL, replacement_id, "coalesce(w.replacement_id, 0)") \
	X(CL, number, "'WC-' || lpad(w.id::text, 6, '0')") X(CL, state, "w.state") \
	X(CL, customer, "c.name") X(CL, product, "p.name") X(CL, serial, "g.serial") \
	X(CL, ticket_number, "coalesce(t.number, '')") X(CL, problem, "w.problem") \
	X(CL, fulfilment, "coalesce(w.fulfilment, '')") \
	X(CL, override_reason, "coalesce(w.override_reason, '')") \
	X(CL, last_reason, "coalesce(w.last_reason, '')") \
	X(CL, labour_cost, "w.labour_cost::text") X(CL, parts_cost, "w.parts_cost::text") \
	X(CL, shipping_cost, "w.shipping_cost::text") \
	X(CL, total, "(w.labour_cost + w.parts_cost + w.shipping_cost)::text") \
	X(CL, covered_total, "(CASE WHEN w.labour_covered THEN w.labour_cost ELSE 0 END" \
	    " + CASE WHEN w.parts_covered THEN w.parts_cost ELSE 0 END" \
	    " + CASE WHEN w.shipping_covered THEN w.shipping_cost ELSE 0 END)::text") \
	X(CL, labour_covered, "w.labour_covered") X(CL, parts_covered, "w.parts_covered") \
	X(CL, shipping_covered, "w.shipping_covered") \
	X(CL, created_at, "to_char(w.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')") \
	X(CL, updated_at, "to_char(w.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')")
enum { DB_COL_ENUM(CLAIM_COLS) };
#define CLAIM_FROM " FROM warranty_claims w" \
	" JOIN warranty_registrations g ON g.id = w.registration_id" \
	" JOIN products p ON p.id = g.product_id JOIN customers c ON c.id = w.customer_id" \
	" LEFT JOIN tickets t ON t.id = w.ticket_id"

#define STEP_COLS(X) \
	X(HS, at, "to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')") \
	X(HS, who, "CASE e.actor_kind WHEN 'staff' THEN coalesce((SELECT name FROM staff" \
	    " WHERE id = e.actor_id), 'staff') WHEN 'customer' THEN coalesce((SELECT name" \
	    " FROM portal_users WHERE id = e.actor_id), 'customer') ELSE 'automatic' END") \
	X(HS, from, "coalesce(e.payload->>'from', '')") X(HS, to, "coalesce(e.payload->>'to', '')") \
	X(HS, reason, "coalesce(nullif(e.payload->>'reason', ''), '')")
enum { DB_COL_ENUM(STEP_COLS) };

enum stmt {
	ST_GET,
	ST_QUEUE,
	ST_OF_REG,
	ST_OF_TICKET,
	ST_HISTORY,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_GET] = DB_STMT("warranty_claim_get",
	    "SELECT " DB_COLS(CLAIM_COLS) CLAIM_FROM " WHERE w.id = $1::bigint"
	    " AND ($2::bigint = 0 OR w.customer_id = $2::bigint)", 2),
	/*
	 * The queue: one state (or both awaiting a decision), oldest first. Each
	 * state walks its own range of (state, id) and stops at the page, and the
	 * pages are merged: never a sort of every claim in those states.
	 */
	[ST_QUEUE] = DB_STMT("warranty_claim_queue",
	    "SELECT " DB_COLS(CLAIM_COLS) " FROM (SELECT q.id FROM unnest($1::text[]) s (state)"
	    " CROSS JOIN LATERAL (SELECT c.id FROM warranty_claims c WHERE c.state = s.state"
	    " AND c.id > $2::bigint ORDER BY c.id LIMIT $3::int) q ORDER BY q.id LIMIT $3::int) k"
	    " JOIN warranty_claims w ON w.id = k.id"
	    " JOIN warranty_registrations g ON g.id = w.registration_id"
	    " JOIN products p ON p.id = g.product_id JOIN customers c ON c.id = w.customer_id"
	    " LEFT JOIN tickets t ON t.id = w.ticket_id ORDER BY w.id", 3),
	[ST_OF_REG] = DB_STMT("warranty_claim_of_reg",
	    "SELECT " DB_COLS(CLAIM_COLS) CLAIM_FROM " WHERE w.registration_id = $1::bigint"
	    " AND ($2::bigint = 0 OR w.customer_id = $2::bigint) ORDER BY w.id DESC LIMIT 50", 2),
	[ST_OF_TICKET] = DB_STMT("warranty_claim_of_ticket",
	    "SELECT " DB_COLS(CLAIM_COLS) CLAIM_FROM " WHERE w.ticket_id = $1::bigint"
	    " ORDER BY w.id DESC LIMIT 20", 1),
	[ST_HISTORY] = DB_STMT("warranty_claim_history",
	    "SELECT " DB_COLS(STEP_COLS) " FROM domain_events e WHERE e.aggregate = 'warranty_claim'"
	    " AND e.aggregate_id = $1::bigint AND e.type = 'warranty_claim.moved' ORDER BY e.id", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct warranty_claim *c = elem;
	int failed = 0;

	c->id = db_ll(r, i, CL_id);
	c->registration_id = db_ll(r, i, CL_registration_id);
	c->customer_id = db_ll(r, i, CL_customer_id);
	c->ticket_id = db_ll(r, i, CL_ticket_id);
	c->replacement_id = db_ll(r, i, CL_replacement_id);
	c->number = db_str(a, r, i, CL_number, &failed);
	c->state = warranty_claim_state_of(PQgetvalue(r, i, CL_state));
	c->customer = db_str(a, r, i, CL_customer, &failed);
	c->product = db_str(a, r, i, CL_product, &failed);
	c->serial = db_str(a, r, i, CL_serial, &failed);
	c->ticket_number = db_str(a, r, i, CL_ticket_number, &failed);
	c->problem = db_str(a, r, i, CL_problem, &failed);
	c->fulfilment = db_str(a, r, i, CL_fulfilment, &failed);
	c->override_reason = db_str(a, r, i, CL_override_reason, &failed);
	c->last_reason = db_str(a, r, i, CL_last_reason, &failed);
	c->labour_cost = db_str(a, r, i, CL_labour_cost, &failed);
	c->parts_cost = db_str(a, r, i, CL_parts_cost, &failed);
	c->shipping_cost = db_str(a, r, i, CL_shipping_cost, &failed);
	c->total = db_str(a, r, i, CL_total, &failed);
	c->covered_total = db_str(a, r, i, CL_covered_total, &failed);
	c->labour_covered = db_bool(r, i, CL_labour_covered);
	c->parts_covered = db_bool(r, i, CL_parts_covered);
	c->shipping_covered = db_bool(r, i, CL_shipping_covered);
	c->created_at = db_str(a, r, i, CL_created_at, &failed);
	c->updated_at = db_str(a, r, i, CL_updated_at, &failed);
	return failed || c->state == WC__MAX ? CS_FAILED : CS_OK;
}

enum cs_result
warranty_claim_get(struct db *db, struct arena *a, long long id, long long customer_id,
    struct warranty_claim *out)
{
	const char *p[] = { db_param_ll(a, id), db_param_ll(a, customer_id) };

	memset(out, 0, sizeof(*out));
	return db_one(db, a, &stmts[ST_GET], p, fill, out);
}

enum cs_result
warranty_claims_queue(struct db *db, struct arena *a, enum warranty_claim_state state,
    long long after_id, struct warranty_claim **rows, size_t *n, int *more)
{
	const char *p[] = { state < WC__MAX ? arena_printf(a, "{%s}",
		warranty_claim_state_name(state)) : "{submitted,under_review}",
		db_param_ll(a, after_id), db_param_ll(a, WARRANTY_CLAIM_PAGE + 1) };
	void *out;
	enum cs_result rc;

	rc = db_page(db, a, &stmts[ST_QUEUE], p, WARRANTY_CLAIM_PAGE, sizeof(**rows), fill, &out,
	    n, more);
	*rows = out;
	return rc;
}

enum cs_result
warranty_claims_of(struct db *db, struct arena *a, long long reg, long long customer_id,
    struct warranty_claim **rows, size_t *n)
{
	const char *p[] = { db_param_ll(a, reg), db_param_ll(a, customer_id) };
	void *out;
	enum cs_result rc = db_rows(db, a, &stmts[ST_OF_REG], p, sizeof(**rows), fill, &out, n);

	*rows = out;
	return rc;
}

enum cs_result
warranty_claims_of_ticket(struct db *db, struct arena *a, long long ticket_id,
    struct warranty_claim **rows, size_t *n)
{
	const char *p[] = { db_param_ll(a, ticket_id) };
	void *out;
	enum cs_result rc = db_rows(db, a, &stmts[ST_OF_TICKET], p, sizeof(**rows), fill, &out,
	    n);

	*rows = out;
	return rc;
}

static enum cs_result
fill_step(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct warranty_claim_step *s = elem;
	int failed = 0;

	s->at = db_str(a, r, i, HS_at, &failed);
	s->who = db_str(a, r, i, HS_who, &failed);
	s->from = warranty_claim_state_words(warranty_claim_state_of(PQgetvalue(r, i, HS_from)));
	s->to = warranty_claim_state_words(warranty_claim_state_of(PQgetvalue(r, i, HS_to)));
	s->reason = db_str(a, r, i, HS_reason, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
warranty_claim_history(struct db *db, struct arena *a, long long id,
    struct warranty_claim_step **rows, size_t *n)
{
	const char *p[] = { db_param_ll(a, id) };
	void *out;
	enum cs_result rc = db_rows(db, a, &stmts[ST_HISTORY], p, sizeof(**rows), fill_step,
	    &out, n);

	*rows = out;
	return rc;
}
