/* routing_admin.c — see routing_admin.h. */
#include "domain/routing_admin.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/admin_audit.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

/* The columns of a rule. */
#define RULE_COLS(X) \
	X(R, id, "r.id") X(R, pos, "r.position") X(R, name, "r.name") X(R, active, "r.active") \
	X(R, cat, "coalesce(r.if_category_id, 0)") X(R, channel, "coalesce(r.if_channel, '')") \
	X(R, prio, "coalesce(r.if_priority, '')") X(R, tier, "coalesce(r.if_tier, '')") \
	X(R, lang, "coalesce(r.if_language, '')") X(R, keyword, "coalesce(r.if_keyword, '')") \
	X(R, queue, "coalesce(r.set_queue_id, 0)") X(R, team, "coalesce(r.set_team_id, 0)") \
	X(R, set_prio, "coalesce(r.set_priority, '')") \
	X(R, tags, "array_to_string(r.set_tags, ',')") X(R, cat_name, "coalesce(c.name, '')") \
	X(R, queue_name, "coalesce(q.name, '')") X(R, team_name, "coalesce(t.name, '')") \
	X(R, type, "coalesce(r.if_type, '')") X(R, site, "coalesce(r.if_site, '')") \
	X(R, skill_level, "coalesce(r.set_skill_level, 0)")
enum { DB_COL_ENUM(RULE_COLS) };
#define RULE_FROM " FROM routing_rules r LEFT JOIN categories c ON c.id = r.if_category_id" \
    " LEFT JOIN queues q ON q.id = r.set_queue_id LEFT JOIN teams t ON t.id = r.set_team_id"

#define NEW_COLS(X) X(NEW, id, "id")
enum { DB_COL_ENUM(NEW_COLS) };

#define SWAP_COLS(X) X(SWAP, other, "nb.id")
enum { DB_COL_ENUM(SWAP_COLS) };

/*
 * The values a rule is saved with: $1 name … $12 tags, $13 type, $14 site,
 * $15 skill level; "" is NULL (none).
 */
#define RULE_VALUES "$1, $2::boolean, nullif($3, '')::bigint, nullif($4, ''), nullif($5, '')," \
    " nullif($6, ''), nullif($7, ''), nullif($8, ''), nullif($9, '')::bigint," \
    " nullif($10, '')::bigint, nullif($11, '')," \
    " coalesce(string_to_array(nullif($12, ''), ','), '{}'), nullif($13, ''), nullif($14, '')," \
    " nullif($15, '')::smallint"
#define NVALUES 15

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
	    "SELECT " DB_COLS(RULE_COLS) RULE_FROM " ORDER BY r.position, r.id", 0),
	[STMT_GET] = DB_STMT("routing_admin_get",
	    "SELECT " DB_COLS(RULE_COLS) RULE_FROM " WHERE r.id = $1::bigint", 1),
	[STMT_CREATE] = DB_STMT("routing_admin_create",
	    "INSERT INTO routing_rules (name, active, if_category_id, if_channel, if_priority,"
	    " if_tier, if_language, if_keyword, set_queue_id, set_team_id, set_priority, set_tags,"
	    " if_type, if_site, set_skill_level, position) VALUES (" RULE_VALUES ","
	    " (SELECT coalesce(max(position), 0) + 10 FROM routing_rules))"
	    " RETURNING " DB_COLS(NEW_COLS), NVALUES),
	[STMT_UPDATE] = DB_STMT("routing_admin_update",
	    "UPDATE routing_rules SET (name, active, if_category_id, if_channel, if_priority,"
	    " if_tier, if_language, if_keyword, set_queue_id, set_team_id, set_priority, set_tags,"
	    " if_type, if_site, set_skill_level) = (" RULE_VALUES ") WHERE id = $16::bigint", NVALUES + 1),
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
	    " FROM me, nb WHERE r.id IN (me.id, nb.id) RETURNING " DB_COLS(SWAP_COLS), 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

static enum cs_result
fill(struct arena *a, const PGresult *res, int row, void *elem)
{
	struct routing_rule *r = elem;
	int failed = 0;

	r->id = db_ll(res, row, R_id);
	r->position = (int)db_ll(res, row, R_pos);
	r->name = db_str(a, res, row, R_name, &failed);
	r->active = db_bool(res, row, R_active);
	r->if_category_id = db_ll(res, row, R_cat);
	r->if_channel = db_str(a, res, row, R_channel, &failed);
	r->if_priority = db_str(a, res, row, R_prio, &failed);
	r->if_tier = db_str(a, res, row, R_tier, &failed);
	r->if_language = db_str(a, res, row, R_lang, &failed);
	r->if_keyword = db_str(a, res, row, R_keyword, &failed);
	r->set_queue_id = db_ll(res, row, R_queue);
	r->set_team_id = db_ll(res, row, R_team);
	r->set_priority = db_str(a, res, row, R_set_prio, &failed);
	r->set_tags = db_str(a, res, row, R_tags, &failed);
	r->category = db_str(a, res, row, R_cat_name, &failed);
	r->queue = db_str(a, res, row, R_queue_name, &failed);
	r->team = db_str(a, res, row, R_team_name, &failed);
	r->if_type = db_str(a, res, row, R_type, &failed);
	r->if_site = db_str(a, res, row, R_site, &failed);
	r->set_skill_level = (int)db_ll(res, row, R_skill_level);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
routing_admin_list(struct db *db, struct arena *a, struct routing_rule **rows, size_t *n)
{
	void *arr;
	enum cs_result rc = db_rows(db, a, &stmts[STMT_LIST], NULL, sizeof(**rows), fill, &arr, n);

	*rows = arr;
	return rc;
}

enum cs_result
routing_admin_get(struct db *db, struct arena *a, long long id, struct routing_rule *r)
{
	char idbuf[24];
	const char *p[] = { idbuf };

	memset(r, 0, sizeof(*r));
	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	return db_one(db, a, &stmts[STMT_GET], p, fill, r);
}

/* Number buffers for one rule's parameters. */
struct rule_params {
	char cat[24], queue[24], team[24], id[24], level[8];
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
	rp->p[12] = r->if_type != NULL ? r->if_type : "";
	rp->p[13] = r->if_site != NULL ? r->if_site : "";
	snprintf(rp->level, sizeof(rp->level), "%d", r->set_skill_level);
	rp->p[14] = r->set_skill_level > 0 ? rp->level : "";
	rp->p[15] = rp->id;
}

/* The audit details of a rule (a new reference, or NULL). */
static json_t *
detail(const struct routing_rule *r)
{
	return json_pack("{s:s, s:b, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s?, s:s?, s:i}",
	    "name", r->name, "active", r->active, "if_category_id", (json_int_t)r->if_category_id,
	    "if_channel", r->if_channel, "if_priority", r->if_priority, "if_tier", r->if_tier,
	    "if_language", r->if_language, "if_keyword", r->if_keyword,
	    "set_queue_id", (json_int_t)r->set_queue_id, "set_team_id",
	    (json_int_t)r->set_team_id, "set_priority", r->set_priority, "set_tags", r->set_tags,
	    "if_type", r->if_type, "if_site", r->if_site, "set_skill_level", r->set_skill_level);
}

/* The limits of a rule: NULL, or why not. */
static const char *
check(const struct routing_rule *r)
{
	size_t len = r->name ? utf8_chars(r->name) : 0;

	if (len < 1 || len > ROUTING_NAME_MAX)
		return "Name must be 1 to " STR(ROUTING_NAME_MAX) " characters long.";
	if (r->set_skill_level != 0 && (r->set_skill_level < 2 || r->set_skill_level > 5))
		return "The skill level asked for is 2 to 5, or none.";
	if (r->if_site != NULL && utf8_chars(r->if_site) > ROUTING_KEYWORD_MAX)
		return "Words of the site must be at most " STR(ROUTING_KEYWORD_MAX)
		    " characters long.";
	if (r->if_keyword != NULL && utf8_chars(r->if_keyword) > ROUTING_KEYWORD_MAX)
		return "Keyword in the subject must be at most " STR(ROUTING_KEYWORD_MAX)
		    " characters long.";
	return NULL;
}

/* What a refused statement means: a vanished row or a value the table refuses. */
static enum cs_result
failure(struct db *db, const char **why)
{
	if (db_is(db, "23503")) {
		*why = ROUTING_WHY_REF;
		return CS_REFUSED;
	}
	if (db_is(db, "23514") || strncmp(db->sqlstate, "22", 2) == 0) {
		*why = ROUTING_WHY_VALUE;
		return CS_REFUSED;
	}
	return db_result(db);
}

enum cs_result
routing_admin_create(struct db *db, const struct audit_entry *by, const struct routing_rule *r,
    long long *id, const char **why)
{
	struct rule_params rp;
	enum cs_result rc;

	*id = 0;
	if ((*why = check(r)) != NULL)
		return CS_REFUSED;
	params(&rp, r);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_id(db, &stmts[STMT_CREATE], rp.p, NEW_id, id);
	if (rc != CS_OK) {
		rc = rc == CS_NOT_FOUND ? CS_FAILED : failure(db, why);
		goto fail;
	}
	return admin_audit_commit(db, by, "routing_rule.create", "routing_rule", *id, detail(r));
fail:
	db_rollback(db);
	return rc;
}

enum cs_result
routing_admin_update(struct db *db, const struct audit_entry *by, const struct routing_rule *r,
    const char **why)
{
	struct rule_params rp;
	enum cs_result rc;
	PGresult *res;

	if ((*why = check(r)) != NULL)
		return CS_REFUSED;
	params(&rp, r);
	if (db_begin(db) < 0)
		return db_result(db);
	if ((res = db_exec(db, &stmts[STMT_UPDATE], rp.p)) == NULL) {
		rc = failure(db, why);
		goto fail;
	}
	rc = db_changed(res) == 1 ? CS_OK : CS_NOT_FOUND;
	PQclear(res);
	if (rc != CS_OK)
		goto fail;
	return admin_audit_commit(db, by, "routing_rule.update", "routing_rule", r->id, detail(r));
fail:
	db_rollback(db);
	return rc;
}

enum cs_result
routing_admin_delete(struct db *db, const struct audit_entry *by, long long id)
{
	char idbuf[24];
	const char *p[] = { idbuf };
	enum cs_result rc;

	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_update_one(db, &stmts[STMT_DELETE], p);
	if (rc != CS_OK) {
		db_rollback(db);
		return rc;
	}
	return admin_audit_commit(db, by, "routing_rule.delete", "routing_rule", id, json_object());
}

enum cs_result
routing_admin_move(struct db *db, const struct audit_entry *by, long long id, int up)
{
	char idbuf[24];
	const char *p[] = { idbuf, up ? "t" : "f" };
	enum cs_result rc;
	PGresult *res;
	long long other = 0;

	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	if (db_begin(db) < 0)
		return db_result(db);
	if (db_run(db, &stmts[STMT_LOCK], NULL) < 0 || db_run(db, &stmts[STMT_RENUMBER], NULL) < 0 ||
	    (res = db_exec(db, &stmts[STMT_GET], p)) == NULL) {
		rc = db_result(db);
		goto fail;
	}
	rc = PQntuples(res) == 1 ? CS_OK : CS_NOT_FOUND;
	PQclear(res);
	if (rc != CS_OK)
		goto fail;
	if ((res = db_exec(db, &stmts[STMT_SWAP], p)) == NULL) {
		rc = db_result(db);
		goto fail;
	}
	if (PQntuples(res) > 0)
		other = db_ll(res, 0, SWAP_other);
	PQclear(res);
	if (other == 0) {
		if (db_commit(db) == 0)
			return CS_OK;
		rc = db_result(db);
		goto fail;
	}
	return admin_audit_commit(db, by, "routing_rule.move", "routing_rule", id, json_pack("{s:s, s:I}",
	    "direction", up ? "up" : "down", "past", (json_int_t)other));
fail:
	db_rollback(db);
	return rc;
}
