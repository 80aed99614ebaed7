/* ticket_site.c — see ticket_site.h. */
#include "domain/ticket_site.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/events.h"
#include "domain/ticket_fields.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define MOVE_COLS(X) X(MV, rule, "rule") X(MV, queue_from, "queue_from") \
	X(MV, queue_to, "queue_to") X(MV, team_moved, "team_moved") \
	X(MV, team_from, "team_from") X(MV, team_to, "team_to")
enum { DB_COL_ENUM(MOVE_COLS) };

#define NUMBER_COLS(X) X(NB, number, "number")
enum { DB_COL_ENUM(NUMBER_COLS) };

enum stmt { ST_REROUTE, ST_NUMBER, ST__MAX };

static struct db_stmt stmts[] = {
	[ST_REROUTE] = DB_STMT("ticket_site_reroute",
	    "SELECT " DB_COLS(MOVE_COLS) " FROM ticket_site_reroute($1::bigint, $2::text)", 2),
	[ST_NUMBER] = DB_STMT("ticket_site_number",
	    "SELECT " DB_COLS(NUMBER_COLS) " FROM tickets WHERE id = $1::bigint", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* A name column, NULL when none. */
static const char *
name_or_null(struct arena *a, const PGresult *r, int col, int *failed)
{
	return PQgetisnull(r, 0, col) ? NULL : db_str(a, r, 0, col, failed);
}

enum cs_result
ticket_site_follow(struct db *db, struct arena *a, long long ticket_id, const char *old_site,
    struct tf_change *moved, int *n)
{
	char id[24];
	const char *p[] = { id, old_site };
	PGresult *r;
	int failed = 0;

	*n = 0;
	snprintf(id, sizeof(id), "%lld", ticket_id);
	if ((r = db_exec(db, &stmts[ST_REROUTE], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) == 1) {
		moved[0].field = TF_QUEUE;
		moved[0].from = name_or_null(a, r, MV_queue_from, &failed);
		moved[0].to = name_or_null(a, r, MV_queue_to, &failed);
		*n = 1;
		if (db_bool(r, 0, MV_team_moved)) {
			moved[1].field = TF_TEAM;
			moved[1].from = name_or_null(a, r, MV_team_from, &failed);
			moved[1].to = name_or_null(a, r, MV_team_to, &failed);
			*n = 2;
		}
	}
	PQclear(r);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
ticket_site_audit(struct db *db, const struct event *e, json_t *o)
{
	json_t *fields = json_object_get(o, "fields"), *site = json_object_get(fields, "site");
	json_t *detail;
	struct audit_entry entry;
	char id[24];
	const char *p[] = { id };
	PGresult *r;
	enum cs_result rc;

	if (!json_is_object(site))
		return CS_OK;
	snprintf(id, sizeof(id), "%lld", e->aggregate_id);
	if ((r = db_exec(db, &stmts[ST_NUMBER], p)) == NULL)
		return db_result(db);
	/* The ticket is gone (merged and purged): nothing left to name. */
	if (PQntuples(r) != 1) {
		PQclear(r);
		return CS_OK;
	}
	detail = json_pack("{s:O, s:O?}", "site", site, "queue", json_object_get(fields, "queue"));
	memset(&entry, 0, sizeof(entry));
	entry.actor_kind = audit_actor_from_name(e->actor.kind);
	if (entry.actor_kind == AUDIT_ACTOR_ANY)
		entry.actor_kind = AUDIT_ACTOR_SYSTEM;
	entry.actor_id = e->actor.id;
	entry.action = "ticket.site_change";
	entry.object_type = "ticket";
	entry.object_id = PQgetvalue(r, 0, NB_number);
	entry.detail = detail;
	rc = detail != NULL ? audit_record(db, &entry) : CS_FAILED;
	json_decref(detail);
	PQclear(r);
	return rc;
}
