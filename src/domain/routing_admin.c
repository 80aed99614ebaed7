/* routing_admin.c — see routing_admin.h. */
#include "domain/routing_admin.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/admin_audit.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* The columns of a rule, in the order fill() reads them. */
#define RULE_COLS "r.id, r.position, r.name, r.active, coalesce(r.if_category_id, 0)," \
    " coalesce(r.if_channel, ''), coalesce(r.if_priority, ''), coalesce(r.if_tier, '')," \
    " coalesce(r.if_language, ''), coalesce(r.if_keyword, ''), coalesce(r.set_queue_id, 0)," \
    " coalesce(r.set_team_id, 0), coalesce(r.set_priority, '')," \
    " array_to_string(r.set_tags, ','), coalesce(c.name, ''), coalesce(q.name, '')," \
    " coalesce(t.name, '')" \
    " FROM routing_rules r LEFT JOIN categories c ON c.id = r.if_category_id" \
    " LEFT JOIN queues q ON q.id = r.set_queue_id LEFT JOIN teams t ON t.id = r.set_team_id"
enum { R_ID, R_POS, R_NAME, R_ACTIVE, R_CAT, R_CHANNEL, R_PRIO, R_TIER, R_LANG, R_KEYWORD,
	R_QUEUE, R_TEAM, R_SET_PRIO, R_TAGS, R_CAT_NAME, R_QUEUE_NAME, R_TEAM_NAME };

/* The values a rule is saved with: $1 name … $12 tags; "" is NULL (none). */
#define RULE_VALUES "$1, $2::boolean, nullif($3, '')::bigint, nullif($4, ''), nullif($5, '')," \
    " nullif($6, ''), nullif($7, ''), nullif($8, ''), nullif($9, '')::bigint," \
    " nullif($10, '')::bigint, nullif($11, ''), coalesce(string_to_array(nullif($12, ''), ','), '{}')"
#define NVALUES 12

enum stmt {
	STMT_LIST,
	STMT_GET,
	STMT_CREATE,
	STMT_UPDATE,
	STMT_DELETE,
	STMT_LOCK,
	STMT_RENUMBER,
	STMT_SWAP,
	STMT__MAX
};

static struct db_stmt stmts[] = {
	[STMT_LIST] = DB_STMT("routing_admin_list",
	    "SELECT " RULE_COLS " ORDER BY r.position, r.id", 0),
	[STMT_GET] = DB_STMT("routing_admin_get",
	    "SELECT " RULE_COLS " WHERE r.id = $1::bigint", 1),
	[STMT_CREATE] = DB_STMT("routing_admin_create",
	    "INSERT INTO routing_rules (name, active, if_category_id, if_channel, if_priority,"
	    " if_tier, if_language, if_keyword, set_queue_id, set_team_id, set_priority, set_tags,"
	    " position) VALUES (" RULE_VALUES ","
	    " (SELECT coalesce(max(position), 0) + 10 FROM routing_rules)) RETURNING id", NVALUES),
	[STMT_UPDATE] = DB_STMT("routing_admin_update",
	    "UPDATE routing_rules SET (name, active, if_category_id, if_channel, if_priority,"
	    " if_tier, if_language, if_keyword, set_queue_id, set_team_id, set_priority, set_tags)"
	    " = (" RULE_VALUES ") WHERE id = $13::bigint", NVALUES + 1),
	[STMT_DELETE] = DB_STMT("routing_admin_delete",
	    "DELETE FROM routing_rules WHERE id = $1::bigint", 1),
	/* Moves are read-modify-write over the whole order: one at a time. */
	[STMT_LOCK] = DB_STMT("routing_admin_lock",
	    "LOCK TABLE routing_rules IN EXCLUSIVE MODE", 0),
	/* Positions 10, 20, … in the current order, so neighbours always differ. */
	[STMT_RENUMBER] = DB_STMT("routing_admin_renumber",
	    "UPDATE routing_rules r SET position = o.n * 10"
	    " FROM (SELECT id, row_number() OVER (ORDER BY position, id) AS n FROM routing_rules) o"
	    " WHERE r.id = o.id AND r.position <> o.n * 10", 0),
	/* $1 the rule, $2 true: up. Returns the neighbour's id when one moved. */
	[STMT_SWAP] = DB_STMT("routing_admin_swap",
	    "WITH me AS (SELECT id, position FROM routing_rules WHERE id = $1::bigint),"
	    " nb AS (SELECT r.id, r.position FROM routing_rules r, me"
	    "  WHERE CASE WHEN $2::boolean THEN r.position < me.position"
	    "   ELSE r.position > me.position END"
	    "  ORDER BY CASE WHEN $2::boolean THEN -r.position ELSE r.position END LIMIT 1)"
	    " UPDATE routing_rules r SET position = CASE WHEN r.id = me.id THEN nb.position"
	    "  ELSE me.position END"
	    " FROM me, nb WHERE r.id IN (me.id, nb.id) RETURNING nb.id", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

static void
fill(struct arena *a, const PGresult *res, int row, struct routing_rule *r, int *failed)
{
	r->id = db_ll(res, row, R_ID);
	r->position = (int)db_ll(res, row, R_POS);
	r->name = db_str(a, res, row, R_NAME, failed);
	r->active = db_bool(res, row, R_ACTIVE);
	r->if_category_id = db_ll(res, row, R_CAT);
	r->if_channel = db_str(a, res, row, R_CHANNEL, failed);
	r->if_priority = db_str(a, res, row, R_PRIO, failed);
	r->if_tier = db_str(a, res, row, R_TIER, failed);
	r->if_language = db_str(a, res, row, R_LANG, failed);
	r->if_keyword = db_str(a, res, row, R_KEYWORD, failed);
	r->set_queue_id = db_ll(res, row, R_QUEUE);
	r->set_team_id = db_ll(res, row, R_TEAM);
	r->set_priority = db_str(a, res, row, R_SET_PRIO, failed);
	r->set_tags = db_str(a, res, row, R_TAGS, failed);
	r->category = db_str(a, res, row, R_CAT_NAME, failed);
	r->queue = db_str(a, res, row, R_QUEUE_NAME, failed);
	r->team = db_str(a, res, row, R_TEAM_NAME, failed);
}

int
routing_admin_list(struct db *db, struct arena *a, struct routing_rule **rows, size_t *n)
{
	PGresult *res;
	int i, count, failed = 0;

	*rows = NULL;
	*n = 0;
	if ((res = db_exec(db, &stmts[STMT_LIST], NULL)) == NULL)
		return -1;
	count = PQntuples(res);
	if ((*rows = arena_calloc(a, (size_t)count + 1, sizeof(**rows))) == NULL)
		failed = 1;
	for (i = 0; i < count && !failed; i++)
		fill(a, res, i, &(*rows)[i], &failed);
	if (!failed)
		*n = (size_t)count;
	PQclear(res);
	return failed ? -1 : 0;
}

int
routing_admin_get(struct db *db, struct arena *a, long long id, struct routing_rule *r)
{
	char idbuf[24];
	const char *p[] = { idbuf };
	PGresult *res;
	int found, failed = 0;

	memset(r, 0, sizeof(*r));
	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	if ((res = db_exec(db, &stmts[STMT_GET], p)) == NULL)
		return -1;
	found = PQntuples(res) == 1;
	if (found)
		fill(a, res, 0, r, &failed);
	PQclear(res);
	return failed ? -1 : found;
}

/* Number buffers for one rule's parameters. */
struct rule_params {
	char cat[24], queue[24], team[24], id[24];
	const char *p[NVALUES + 1];
};

static void
params(struct rule_params *rp, const struct routing_rule *r)
{
	snprintf(rp->cat, sizeof(rp->cat), "%lld", r->if_category_id);
	snprintf(rp->queue, sizeof(rp->queue), "%lld", r->set_queue_id);
	snprintf(rp->team, sizeof(rp->team), "%lld", r->set_team_id);
	snprintf(rp->id, sizeof(rp->id), "%lld", r->id);
	rp->p[0] = r->name;
	rp->p[1] = r->active ? "t" : "f";
	rp->p[2] = r->if_category_id > 0 ? rp->cat : "";
	rp->p[3] = r->if_channel;
	rp->p[4] = r->if_priority;
	rp->p[5] = r->if_tier;
	rp->p[6] = r->if_language;
	rp->p[7] = r->if_keyword;
	rp->p[8] = r->set_queue_id > 0 ? rp->queue : "";
	rp->p[9] = r->set_team_id > 0 ? rp->team : "";
	rp->p[10] = r->set_priority;
	rp->p[11] = r->set_tags;
	rp->p[12] = rp->id;
}

/* The audit details of a rule (a new reference, or NULL). */
static json_t *
detail(const struct routing_rule *r)
{
	return json_pack("{s:s, s:b, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s}",
	    "name", r->name, "active", r->active, "if_category_id", (json_int_t)r->if_category_id,
	    "if_channel", r->if_channel, "if_priority", r->if_priority, "if_tier", r->if_tier,
	    "if_language", r->if_language, "if_keyword", r->if_keyword,
	    "set_queue_id", (json_int_t)r->set_queue_id, "set_team_id",
	    (json_int_t)r->set_team_id, "set_priority", r->set_priority, "set_tags", r->set_tags);
}

static long long
failure(struct db *db)
{
	if (db_is(db, "23503"))
		return ROUTING_BAD_REF;
	if (db_is(db, "23514") || strncmp(db->sqlstate, "22", 2) == 0)
		return ROUTING_BAD_VALUE;
	return -1;
}

long long
routing_admin_create(struct db *db, const struct audit_entry *by, const struct routing_rule *r)
{
	struct rule_params rp;
	PGresult *res;
	long long id = -1;

	params(&rp, r);
	if (db_begin(db) < 0)
		return -1;
	if ((res = db_exec(db, &stmts[STMT_CREATE], rp.p)) == NULL) {
		id = failure(db);
		goto fail;
	}
	if (PQntuples(res) == 1)
		id = db_ll(res, 0, 0);
	PQclear(res);
	if (id <= 0 || admin_audit(db, by, "routing_rule.create", "routing_rule", id,
	    detail(r)) < 0) {
		id = -1;
		goto fail;
	}
	return db_commit(db) < 0 ? -1 : id;
fail:
	db_rollback(db);
	return id;
}

int
routing_admin_update(struct db *db, const struct audit_entry *by, const struct routing_rule *r)
{
	struct rule_params rp;
	PGresult *res;
	long long rc;

	params(&rp, r);
	if (db_begin(db) < 0)
		return -1;
	if ((res = db_exec(db, &stmts[STMT_UPDATE], rp.p)) == NULL) {
		rc = failure(db);
		goto fail;
	}
	rc = db_changed(res) == 1 ? 0 : ROUTING_NOT_FOUND;
	PQclear(res);
	if (rc != 0)
		goto fail;
	if (admin_audit(db, by, "routing_rule.update", "routing_rule", r->id, detail(r)) < 0) {
		rc = -1;
		goto fail;
	}
	return db_commit(db) < 0 ? -1 : 0;
fail:
	db_rollback(db);
	return (int)rc;
}

int
routing_admin_delete(struct db *db, const struct audit_entry *by, long long id)
{
	char idbuf[24];
	const char *p[] = { idbuf };
	PGresult *res;
	int rc;

	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	if (db_begin(db) < 0)
		return -1;
	if ((res = db_exec(db, &stmts[STMT_DELETE], p)) == NULL) {
		rc = -1;
		goto fail;
	}
	rc = db_changed(res) == 1 ? 0 : ROUTING_NOT_FOUND;
	PQclear(res);
	if (rc != 0)
		goto fail;
	if (admin_audit(db, by, "routing_rule.delete", "routing_rule", id, json_object()) < 0) {
		rc = -1;
		goto fail;
	}
	return db_commit(db) < 0 ? -1 : 0;
fail:
	db_rollback(db);
	return rc;
}

int
routing_admin_move(struct db *db, const struct audit_entry *by, long long id, int up)
{
	char idbuf[24];
	const char *p[] = { idbuf, up ? "t" : "f" };
	PGresult *res;
	long long other = 0;
	int rc = -1;

	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	if (db_begin(db) < 0)
		return -1;
	if (db_run(db, &stmts[STMT_LOCK], NULL) < 0 || db_run(db, &stmts[STMT_RENUMBER], NULL) < 0)
		goto fail;
	if ((res = db_exec(db, &stmts[STMT_GET], p)) == NULL)
		goto fail;
	rc = PQntuples(res) == 1 ? 0 : ROUTING_NOT_FOUND;
	PQclear(res);
	if (rc != 0)
		goto fail;
	if ((res = db_exec(db, &stmts[STMT_SWAP], p)) == NULL) {
		rc = -1;
		goto fail;
	}
	if (PQntuples(res) > 0)
		other = db_ll(res, 0, 0);
	PQclear(res);
	if (other > 0 && admin_audit(db, by, "routing_rule.move", "routing_rule", id,
	    json_pack("{s:s, s:I}", "direction", up ? "up" : "down", "past",
	    (json_int_t)other)) < 0) {
		rc = -1;
		goto fail;
	}
	return db_commit(db) < 0 ? -1 : 0;
fail:
	db_rollback(db);
	return rc;
}
