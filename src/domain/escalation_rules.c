/* escalation_rules.c — see escalation_rules.h. */
#include "domain/escalation_rules.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/audit.h"

#include <jansson.h>
#include <string.h>

#define RULE_COLS(X) \
	X(RL, id, "r.id") X(RL, name, "r.name") X(RL, position, "r.position") \
	X(RL, active, "r.active") X(RL, on_event, "r.on_event") \
	X(RL, no_update_hours, "coalesce(r.no_update_hours, 0)") \
	X(RL, if_priority, "coalesce(r.if_priority, '')") X(RL, if_tier, "coalesce(r.if_tier, '')") \
	X(RL, if_target, "coalesce(r.if_target, '')") \
	X(RL, if_category_id, "coalesce(r.if_category_id, 0)") X(RL, notify, "r.notify") \
	X(RL, reassign, "r.reassign_next_level") X(RL, raise, "r.raise_priority") \
	X(RL, category, "coalesce(cat.name, '')")
enum { DB_COL_ENUM(RULE_COLS) };
#define RULE_FROM " FROM escalation_rules r LEFT JOIN categories cat ON cat.id = r.if_category_id"

enum stmt {
	ST_LIST,
	ST_GET,
	ST_INSERT,
	ST_UPDATE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_LIST] = DB_STMT("escalation_rule_list",
	    "SELECT " DB_COLS(RULE_COLS) RULE_FROM " ORDER BY r.position, r.id", 0),
	[ST_GET] = DB_STMT("escalation_rule_get",
	    "SELECT " DB_COLS(RULE_COLS) RULE_FROM " WHERE r.id = $1", 1),
	/* A new no_update rule looks back its hours, so stale tickets are found at once. */
	[ST_INSERT] = DB_STMT("escalation_rule_insert",
	    "INSERT INTO escalation_rules (name, position, active, on_event, no_update_hours,"
	    " if_priority, if_tier, if_category_id, notify, reassign_next_level, raise_priority,"
	    " if_target, checked_until) VALUES ($1, $2, $3, $4, $5, nullif($6, ''), nullif($7, ''),"
	    " $8, $9, $10, $11, nullif($12, ''),"
	    " now() - make_interval(hours => coalesce($5::integer, 0)))"
	    " RETURNING " DB_COLS(SLA_ID_COLS), 12),
	[ST_UPDATE] = DB_STMT("escalation_rule_update",
	    "UPDATE escalation_rules SET name = $2, position = $3, active = $4, on_event = $5,"
	    " no_update_hours = $6, if_priority = nullif($7, ''), if_tier = nullif($8, ''),"
	    " if_category_id = $9, notify = $10, reassign_next_level = $11, raise_priority = $12,"
	    " if_target = nullif($13, '') WHERE id = $1 RETURNING " DB_COLS(SLA_ID_COLS), 13),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill_rule(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct escalation_rule *x = elem;
	int failed = 0;

	memset(x, 0, sizeof(*x));
	x->id = db_ll(r, i, RL_id);
	x->name = db_str(a, r, i, RL_name, &failed);
	x->position = (int)db_ll(r, i, RL_position);
	x->active = db_bool(r, i, RL_active);
	x->on_event = db_str(a, r, i, RL_on_event, &failed);
	x->no_update_hours = (int)db_ll(r, i, RL_no_update_hours);
	x->if_priority = db_str(a, r, i, RL_if_priority, &failed);
	x->if_tier = db_str(a, r, i, RL_if_tier, &failed);
	x->if_target = db_str(a, r, i, RL_if_target, &failed);
	x->if_category_id = db_ll(r, i, RL_if_category_id);
	x->notify = db_str(a, r, i, RL_notify, &failed);
	x->reassign = db_bool(r, i, RL_reassign);
	x->raise = db_bool(r, i, RL_raise);
	x->category = db_str(a, r, i, RL_category, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
escalation_rule_list(struct db *db, struct arena *a, struct escalation_rule **out, size_t *n)
{
	void *rows;
	enum cs_result rc = db_rows(db, a, &stmts[ST_LIST], NULL, sizeof(**out), fill_rule, &rows,
	    n);

	*out = rows;
	return rc;
}

enum cs_result
escalation_rule_get(struct db *db, struct arena *a, long long id, struct escalation_rule *x)
{
	const char *p[] = { db_param_ll(a, id) };
	PGresult *r;
	enum cs_result rc;

	memset(x, 0, sizeof(*x));
	if (p[0] == NULL)
		return CS_FAILED;
	if ((r = db_exec(db, &stmts[ST_GET], p)) == NULL)
		return db_result(db);
	rc = PQntuples(r) != 1 ? CS_NOT_FOUND : fill_rule(a, r, 0, x) != CS_OK ? CS_FAILED : CS_OK;
	PQclear(r);
	return rc;
}

/* s, or "" for NULL. */
static const char *
str(const char *s)
{
	return s != NULL ? s : "";
}

enum cs_result
escalation_rule_check(const struct escalation_rule_input *in, struct sla_why *why)
{
	const char *event = str(in->on_event), *notify = str(in->notify);

	sla_admin_check_name(why, str(in->name));
	if (in->position < 0 || in->position > ESCALATION_POSITION_MAX)
		sla_why_add(why, "position", "Position must be a whole number from 0 to "
		    SLA_STR(ESCALATION_POSITION_MAX) ".");
	if (!sla_admin_in(event, sla_admin_events))
		sla_why_add(why, "on_event", "Choose one of the listed values for When.");
	if (strcmp(event, "no_update") == 0 && in->no_update_hours <= 0)
		sla_why_add(why, "no_update_hours", "Say after how many hours without an update "
		    "(1 to " SLA_STR(ESCALATION_NO_UPDATE_HOURS_MAX) ").");
	else if (strcmp(event, "no_update") == 0 &&
	    in->no_update_hours > ESCALATION_NO_UPDATE_HOURS_MAX)
		sla_why_add(why, "no_update_hours", "Hours without update must be a whole number "
		    "from 1 to " SLA_STR(ESCALATION_NO_UPDATE_HOURS_MAX) ".");
	if (*str(in->if_priority) != '\0' && !sla_admin_in(in->if_priority, sla_admin_priorities))
		sla_why_add(why, "if_priority", "Choose one of the listed values for Priority.");
	if (*str(in->if_tier) != '\0' && !sla_admin_in(in->if_tier, sla_admin_tiers))
		sla_why_add(why, "if_tier", "Choose one of the listed values for Customer tier.");
	if (*str(in->if_target) != '\0' && !sla_admin_in(in->if_target, sla_admin_targets))
		sla_why_add(why, "if_target", "Choose one of the listed values for Target.");
	else if (*str(in->if_target) != '\0' && strcmp(event, "no_update") == 0)
		sla_why_add(why, "if_target", "A rule for tickets without an update is about no "
		    "target: choose Any target.");
	if (in->if_category_id < 0)
		sla_why_add(why, "if_category_id", "Choose one of the listed values for Category.");
	if (!sla_admin_in(notify, sla_admin_notify))
		sla_why_add(why, "notify", "Choose one of the listed values for Notify.");
	else if (strcmp(notify, "none") == 0 && !in->reassign && !in->raise)
		sla_why_add(why, "notify", "Choose at least one action: notify, reassign or raise "
		    "the priority.");
	return why->n > 0 ? CS_REFUSED : CS_OK;
}

/* Creates (*id 0) or changes rule *id. */
static enum cs_result
save(struct db *db, struct arena *a, const struct audit_entry *by,
    const struct escalation_rule_input *in, long long *id, struct sla_why *why)
{
	const char *yes[2] = { "f", "t" };
	const char *ids, *pos, *hours, *cat;
	long long was = *id;
	enum cs_result rc;

	if ((rc = escalation_rule_check(in, why)) != CS_OK)
		return rc;
	ids = db_param_ll(a, was);
	pos = db_param_ll(a, in->position);
	hours = strcmp(in->on_event, "no_update") == 0 ? db_param_ll(a, in->no_update_hours) :
	    NULL;
	cat = db_param_id(a, in->if_category_id);
	if (ids == NULL || pos == NULL || (hours == NULL && strcmp(in->on_event, "no_update") == 0) ||
	    (cat == NULL && in->if_category_id != 0))
		return CS_FAILED;
	if (db_begin(db) < 0)
		return db_result(db);
	if (was == 0) {
		const char *p[] = { in->name, pos, yes[!!in->active], in->on_event, hours,
			str(in->if_priority), str(in->if_tier), cat, in->notify, yes[!!in->reassign],
			yes[!!in->raise], str(in->if_target) };

		if ((rc = sla_admin_write(db, &stmts[ST_INSERT], p, id)) == CS_NOT_FOUND)
			rc = CS_FAILED;
	} else {
		const char *p[] = { ids, in->name, pos, yes[!!in->active], in->on_event, hours,
			str(in->if_priority), str(in->if_tier), cat, in->notify, yes[!!in->reassign],
			yes[!!in->raise], str(in->if_target) };

		rc = sla_admin_write(db, &stmts[ST_UPDATE], p, id);
	}
	if (rc == CS_TAKEN)
		sla_why_add(why, "name", "Another rule has this name.");
	if (rc != CS_OK) {
		db_rollback(db);
		return rc;
	}
	return admin_audit_commit(db, by, was == 0 ? "escalation_rule.create" :
	    "escalation_rule.update", "escalation_rule", *id, json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}",
	    "name", in->name, "on_event", in->on_event, "if_target", str(in->if_target),
	    "notify", in->notify, "reassign_next_level", in->reassign, "raise_priority",
	    in->raise));
}

enum cs_result
escalation_rule_create(struct db *db, struct arena *a, const struct audit_entry *by,
    const struct escalation_rule_input *in, long long *id, struct sla_why *why)
{
	enum cs_result rc;

	*id = 0;
	if ((rc = save(db, a, by, in, id, why)) != CS_OK)
		*id = 0;
	return rc;
}

enum cs_result
escalation_rule_update(struct db *db, struct arena *a, const struct audit_entry *by,
    long long id, const struct escalation_rule_input *in, struct sla_why *why)
{
	long long got = id;

	return save(db, a, by, in, &got, why);
}
