/* escalation_flags.c — see escalation_flags.h. */
#include "domain/escalation_flags.h"
#include "db/db.h"
#include "domain/sla_admin.h"
#include "domain/sla_mail.h"

const char *const escalation_flag_names[ESCALATION_NFLAGS + 1] = { "vip", "legal", "media",
	"outage", NULL };
const char *const escalation_flag_labels[ESCALATION_NFLAGS] = { "VIP", "Legal",
	"Media attention", "Outage" };

#define FLAG_COLS(X) X(FL, eid, "coalesce(ticket_flag($1::bigint, $2, $3::boolean," \
	" $4::bigint), 0)")
enum { DB_COL_ENUM(FLAG_COLS) };

/* The version, read before and after: whether the flag changed anything. */
static struct db_stmt st_version = DB_STMT("escalation_flag_version",
    "SELECT version FROM tickets WHERE id = $1::bigint", 1);
static struct db_stmt st_flag = DB_STMT("escalation_flag_set",
    "SELECT " DB_COLS(FLAG_COLS), 4);

/* The ticket's version, or -1 when there is none. CS_OK or the failure. */
static enum cs_result
version_of(struct db *db, const char *const *p, long long *v)
{
	PGresult *r = db_exec(db, &st_version, p);

	if (r == NULL)
		return db_result(db);
	*v = PQntuples(r) == 1 ? db_ll(r, 0, 0) : -1;
	PQclear(r);
	return CS_OK;
}

enum cs_result
escalation_flag_set(struct db *db, const struct tmpl_set *set, struct arena *a,
    struct tval *ctx, const char *link_base, long long staff_id, long long ticket_id,
    const char *flag, int on, int *changed, const char **why)
{
	const char *p[] = { db_param_ll(a, ticket_id), flag, on ? "t" : "f",
		db_param_ll(a, staff_id) };
	long long before = -1, after = -1, eid;
	long sent = 0;
	enum cs_result rc;
	PGresult *r;

	*changed = 0;
	if (flag == NULL || !sla_admin_in(flag, escalation_flag_names)) {
		*why = "Choose one of the flags.";
		return CS_REFUSED;
	}
	if (p[0] == NULL || p[3] == NULL)
		return CS_FAILED;
	if (db_begin(db) < 0)
		return db_result(db);
	if ((rc = version_of(db, p, &before)) != CS_OK)
		return db_end(db, rc);
	if (before < 0)
		return db_end(db, CS_NOT_FOUND);
	if ((r = db_exec(db, &st_flag, p)) == NULL)
		return db_end(db, db_result(db));
	eid = db_ll(r, 0, FL_eid);
	PQclear(r);
	if ((rc = version_of(db, p, &after)) == CS_OK && eid > 0)
		rc = sla_mail_escalations(db, set, a, ctx, link_base, &eid, 1, &sent);
	*changed = rc == CS_OK && after != before;
	return db_end(db, rc);
}
