/* field_read.c — appointments as the ticket page, the dispatcher and the portal read them; see field.h. */
#include "domain/field.h"
#include "core/arena.h"
#include "db/db.h"

#define A_COLS(X) \
	X(FA, id, "ap.id") X(FA, ticket_id, "ap.ticket_id") X(FA, number, "t.number") \
	X(FA, customer_id, "ap.customer_id") X(FA, technician_id, "coalesce(ap.technician_id, 0)") \
	X(FA, technician, "coalesce(s.name, '')") X(FA, summary, "ap.summary") \
	X(FA, address, "ap.address") X(FA, postcode, "ap.postcode") X(FA, skill, "ap.skill") \
	X(FA, window, "to_char(ap.starts_at AT TIME ZONE coalesce(c.time_zone, 'UTC')," \
	    " 'YYYY-MM-DD HH24:MI') || '–' || to_char(ap.ends_at AT TIME ZONE" \
	    " coalesce(c.time_zone, 'UTC'), 'HH24:MI') || ' ' || coalesce(c.time_zone, 'UTC')") \
	X(FA, status, "ap.status") X(FA, reason, "ap.reason") X(FA, sequence, "ap.sequence")
enum { DB_COL_ENUM(A_COLS) };
#define A_FROM " FROM appointments ap JOIN tickets t ON t.id = ap.ticket_id" \
	" JOIN customers c ON c.id = ap.customer_id LEFT JOIN staff s ON s.id = ap.technician_id"

/* The customer's view: no staff table (the portal's role cannot read it). */
#define V_COLS(X) \
	X(FV, id, "ap.id") X(FV, number, "t.number") X(FV, summary, "ap.summary") \
	X(FV, address, "ap.address") X(FV, postcode, "ap.postcode") \
	X(FV, window, "to_char(ap.starts_at AT TIME ZONE coalesce(c.time_zone, 'UTC')," \
	    " 'YYYY-MM-DD HH24:MI') || '–' || to_char(ap.ends_at AT TIME ZONE" \
	    " coalesce(c.time_zone, 'UTC'), 'HH24:MI')") \
	X(FV, status, "ap.status") X(FV, assigned, "ap.technician_id IS NOT NULL")
enum { DB_COL_ENUM(V_COLS) };

enum stmt {
	ST_GET,
	ST_OF_TICKET,
	ST_OF_CUSTOMER,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_GET] = DB_STMT("field_get", "SELECT " DB_COLS(A_COLS) A_FROM " WHERE ap.id = $1::bigint",
	    1),
	[ST_OF_TICKET] = DB_STMT("field_of_ticket",
	    "SELECT " DB_COLS(A_COLS) A_FROM " WHERE ap.ticket_id = $1::bigint"
	    " ORDER BY ap.id DESC LIMIT 20", 1),
	/* Row-level security also keeps a portal session to its own customer. */
	[ST_OF_CUSTOMER] = DB_STMT("field_of_customer",
	    "SELECT " DB_COLS(V_COLS) " FROM appointments ap JOIN tickets t ON t.id = ap.ticket_id"
	    " JOIN customers c ON c.id = ap.customer_id WHERE ap.customer_id = $1::bigint"
	    " ORDER BY ap.starts_at DESC, ap.id DESC LIMIT 50", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct field_appointment *o = elem;
	int failed = 0;

	o->id = db_ll(r, i, FA_id);
	o->ticket_id = db_ll(r, i, FA_ticket_id);
	o->ticket_number = db_str(a, r, i, FA_number, &failed);
	o->customer_id = db_ll(r, i, FA_customer_id);
	o->technician_id = db_ll(r, i, FA_technician_id);
	o->technician = db_str(a, r, i, FA_technician, &failed);
	o->summary = db_str(a, r, i, FA_summary, &failed);
	o->address = db_str(a, r, i, FA_address, &failed);
	o->postcode = db_str(a, r, i, FA_postcode, &failed);
	o->skill = db_str(a, r, i, FA_skill, &failed);
	o->window = db_str(a, r, i, FA_window, &failed);
	o->status = db_str(a, r, i, FA_status, &failed);
	o->reason = db_str(a, r, i, FA_reason, &failed);
	o->sequence = (int)db_ll(r, i, FA_sequence);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
field_appointment(struct db *db, struct arena *a, long long id, struct field_appointment *out)
{
	const char *p[] = { db_param_ll(a, id) };

	return db_one(db, a, &stmts[ST_GET], p, fill, out);
}

int
field_of_ticket_send(struct db_pipe *pipe, struct arena *a, long long ticket_id)
{
	const char **p = arena_alloc(a, sizeof(*p));

	if (p == NULL || (p[0] = db_param_ll(a, ticket_id)) == NULL)
		return -1;
	return db_pipe_add(pipe, &stmts[ST_OF_TICKET], p);
}

enum cs_result
field_of_ticket_take(struct db_pipe *pipe, int slot, struct arena *a,
    struct field_appointment **rows, size_t *n)
{
	void *out;
	enum cs_result rc = db_pipe_rows(pipe, slot, a, sizeof(**rows), fill, &out, n);

	*rows = out;
	return rc;
}

enum cs_result
field_of_ticket(struct db *db, struct arena *a, long long ticket_id,
    struct field_appointment **rows, size_t *n)
{
	const char *p[] = { db_param_ll(a, ticket_id) };
	void *out;
	enum cs_result rc = db_rows(db, a, &stmts[ST_OF_TICKET], p, sizeof(**rows), fill, &out, n);

	*rows = out;
	return rc;
}

static enum cs_result
fill_visit(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct field_visit *o = elem;
	int failed = 0;

	o->id = db_ll(r, i, FV_id);
	o->ticket_number = db_str(a, r, i, FV_number, &failed);
	o->summary = db_str(a, r, i, FV_summary, &failed);
	o->address = db_str(a, r, i, FV_address, &failed);
	o->postcode = db_str(a, r, i, FV_postcode, &failed);
	o->window = db_str(a, r, i, FV_window, &failed);
	o->status = db_str(a, r, i, FV_status, &failed);
	o->assigned = db_bool(r, i, FV_assigned);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
field_visits_of(struct db *db, struct arena *a, long long customer_id, struct field_visit **rows,
    size_t *n)
{
	const char *p[] = { db_param_ll(a, customer_id) };
	void *out;
	enum cs_result rc = db_rows(db, a, &stmts[ST_OF_CUSTOMER], p, sizeof(**rows), fill_visit,
	    &out, n);

	*rows = out;
	return rc;
}
