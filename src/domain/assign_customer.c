/* assign_customer.c — see assign_customer.h. */
#include "domain/assign_customer.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/audit.h"

#include <jansson.h>
#include <string.h>

#define GET_COLS(X) X(GC, name, "name") X(GC, agent, "coalesce(preferred_agent_id, 0)") \
	X(GC, zone, "coalesce(time_zone, '')")
enum { DB_COL_ENUM(GET_COLS) };
#define SET_COLS(X) X(SC, agent_ok, "a.ok") X(SC, zone_ok, "z.ok") X(SC, found, "u.id IS NOT NULL")
enum { DB_COL_ENUM(SET_COLS) };

static struct db_stmt st_get = DB_STMT("assign_customer_get",
    "SELECT " DB_COLS(GET_COLS) " FROM customers WHERE id = $1::bigint", 1);
/* Checked and written in one statement: the row changes only when both hold. */
static struct db_stmt st_set = DB_STMT("assign_customer_set",
    "WITH a AS (SELECT $2::bigint IS NULL OR EXISTS (SELECT 1 FROM staff WHERE id = $2::bigint"
    " AND active AND 'agent' = ANY (roles)) AS ok),"
    " z AS (SELECT $3::text IS NULL OR EXISTS (SELECT 1 FROM pg_timezone_names"
    " WHERE name = $3::text) AS ok),"
    " u AS (UPDATE customers SET preferred_agent_id = $2::bigint, time_zone = $3::text"
    " WHERE id = $1::bigint AND (SELECT ok FROM a) AND (SELECT ok FROM z) RETURNING id)"
    " SELECT " DB_COLS(SET_COLS) " FROM a, z LEFT JOIN u ON true", 3);

enum cs_result
assign_customer_get(struct db *db, struct arena *a, long long customer_id,
    struct assign_customer *out)
{
	const char *p[] = { db_param_ll(a, customer_id) };
	enum cs_result rc = CS_OK;
	PGresult *r;
	int failed = 0;

	memset(out, 0, sizeof(*out));
	if (p[0] == NULL)
		return CS_FAILED;
	if ((r = db_exec(db, &st_get, p)) == NULL)
		return db_result(db);
	if (PQntuples(r) != 1) {
		rc = CS_NOT_FOUND;
	} else {
		out->customer_id = customer_id;
		out->name = db_str(a, r, 0, GC_name, &failed);
		out->preferred_agent_id = db_ll(r, 0, GC_agent);
		out->time_zone = db_str(a, r, 0, GC_zone, &failed);
		rc = failed ? CS_FAILED : CS_OK;
	}
	PQclear(r);
	return rc;
}

enum cs_result
assign_customer_set(struct db *db, struct arena *a, const struct audit_entry *by,
    const struct assign_customer *in, const char **field, const char **why)
{
	const char *zone = in->time_zone != NULL && *in->time_zone != '\0' ? in->time_zone : NULL;
	const char *p[] = { db_param_ll(a, in->customer_id), db_param_id(a, in->preferred_agent_id),
		zone };
	enum cs_result rc = CS_OK;
	PGresult *r;

	*field = *why = NULL;
	if (zone != NULL && utf8_chars(zone) > ASSIGN_CUSTOMER_ZONE_MAX) {
		*field = "time_zone";
		*why = "Enter a time zone such as Europe/London, or leave it empty.";
		return CS_REFUSED;
	}
	if (p[0] == NULL || (p[1] == NULL && in->preferred_agent_id > 0))
		return CS_FAILED;
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &st_set, p)) == NULL)
		return db_end(db, db_result(db));
	if (!db_bool(r, 0, SC_agent_ok)) {
		*field = "preferred_agent_id";
		*why = "Choose an active agent from the list, or nobody.";
	} else if (!db_bool(r, 0, SC_zone_ok)) {
		*field = "time_zone";
		*why = "Enter a time zone such as Europe/London, or leave it empty.";
	} else if (!db_bool(r, 0, SC_found)) {
		rc = CS_NOT_FOUND;
	}
	PQclear(r);
	if (*why != NULL)
		rc = CS_REFUSED;
	if (rc != CS_OK)
		return db_end(db, rc);
	return admin_audit_commit(db, by, "customer.routing", "customer", in->customer_id,
	    json_pack("{s:I, s:s}", "preferred_agent_id", (json_int_t)in->preferred_agent_id,
	    "time_zone", zone != NULL ? zone : ""));
}
