/* sla_admin.c — see sla_admin.h. */
#include "domain/sla_admin.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/audit.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

const char *const sla_admin_priorities[] = { "low", "medium", "high", "urgent", "critical",
	NULL };
const char *const sla_admin_tiers[] = { "standard", "premium", "vip", NULL };
const char *const sla_admin_pausable[] = { "new", "assigned", "in_progress", "pending_customer",
	"pending_parts", "reopened", NULL };
const char *const sla_admin_events[] = { "at_risk", "breached", "no_update", NULL };
const char *const sla_admin_notify[] = { "none", "supervisor", "manager", NULL };

enum stmt {
	ST_CALENDARS,
	ST_CALENDAR,
	ST_HOURS,
	ST_HOLIDAYS,
	ST_ZONE,
	ST_CAL_INSERT,
	ST_CAL_UPDATE,
	ST_HOURS_CLEAR,
	ST_HOUR_ADD,
	ST_HOLIDAYS_CLEAR,
	ST_HOLIDAY_ADD,
	ST_CAL_RECOMPUTE,
	ST_POLICIES,
	ST_POLICY,
	ST_DAY_MINUTES,
	ST_POL_INSERT,
	ST_POL_UPDATE,
	ST_POL_RECOMPUTE,
	ST_RULES,
	ST_RULE,
	ST_RULE_INSERT,
	ST_RULE_UPDATE,
	ST_CATEGORIES,
	ST_CAL_OPTIONS,
	ST__MAX
};

#define POLICY_COLS "p.id, p.name, p.active, coalesce(p.tier, ''), p.priority," \
	" coalesce(p.category_id, 0), p.calendar_id, p.first_response_minutes," \
	" p.next_response_minutes, p.resolution_minutes, array_to_string(p.pause_statuses, ',')," \
	" coalesce(cat.name, ''), c.name, sla_target_text(p.first_response_minutes, c.day_minutes)" \
	" || ' / ' || sla_target_text(p.next_response_minutes, c.day_minutes) || ' / '" \
	" || sla_target_text(p.resolution_minutes, c.day_minutes)," \
	" replace(array_to_string(p.pause_statuses, ', '), '_', ' ')" \
	" FROM sla_policies p JOIN business_calendars c ON c.id = p.calendar_id" \
	" LEFT JOIN categories cat ON cat.id = p.category_id"
#define RULE_COLS "r.id, r.name, r.position, r.active, r.on_event," \
	" coalesce(r.no_update_hours, 0), coalesce(r.if_priority, ''), coalesce(r.if_tier, '')," \
	" coalesce(r.if_category_id, 0), r.notify, r.reassign_next_level, r.raise_priority," \
	" coalesce(cat.name, '') FROM escalation_rules r" \
	" LEFT JOIN categories cat ON cat.id = r.if_category_id"

static struct db_stmt stmts[] = {
	[ST_CALENDARS] = DB_STMT("sla_admin_calendars",
	    "SELECT id, name, time_zone, always_open, day_minutes, sla_hours_text(id)"
	    " FROM business_calendars ORDER BY lower(name), id", 0),
	[ST_CALENDAR] = DB_STMT("sla_admin_calendar",
	    "SELECT id, name, time_zone, always_open, day_minutes, sla_hours_text(id)"
	    " FROM business_calendars WHERE id = $1", 1),
	[ST_HOURS] = DB_STMT("sla_admin_hours",
	    "SELECT weekday, extract(epoch FROM opens)::integer / 60,"
	    " extract(epoch FROM closes)::integer / 60 FROM calendar_hours"
	    " WHERE calendar_id = $1 ORDER BY weekday, opens", 1),
	[ST_HOLIDAYS] = DB_STMT("sla_admin_holidays",
	    "SELECT day::text, name FROM calendar_holidays WHERE calendar_id = $1 ORDER BY day", 1),
	[ST_ZONE] = DB_STMT("sla_admin_zone",
	    "SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1)", 1),
	[ST_CAL_INSERT] = DB_STMT("sla_admin_cal_insert",
	    "INSERT INTO business_calendars (name, time_zone, always_open, day_minutes)"
	    " VALUES ($1, $2, $3, $4) RETURNING id", 4),
	[ST_CAL_UPDATE] = DB_STMT("sla_admin_cal_update",
	    "UPDATE business_calendars SET name = $2, time_zone = $3, always_open = $4,"
	    " day_minutes = $5 WHERE id = $1 RETURNING id", 5),
	[ST_HOURS_CLEAR] = DB_STMT("sla_admin_hours_clear",
	    "DELETE FROM calendar_hours WHERE calendar_id = $1", 1),
	[ST_HOUR_ADD] = DB_STMT("sla_admin_hour_add",
	    "INSERT INTO calendar_hours (calendar_id, weekday, opens, closes)"
	    " VALUES ($1, $2, make_interval(mins => $3::integer)::time,"
	    " CASE WHEN $4::integer = 1440 THEN '24:00'::time"
	    " ELSE make_interval(mins => $4::integer)::time END)", 4),
	[ST_HOLIDAYS_CLEAR] = DB_STMT("sla_admin_holidays_clear",
	    "DELETE FROM calendar_holidays WHERE calendar_id = $1", 1),
	[ST_HOLIDAY_ADD] = DB_STMT("sla_admin_holiday_add",
	    "INSERT INTO calendar_holidays (calendar_id, day, name) VALUES ($1, $2::date, $3)"
	    " ON CONFLICT (calendar_id, day) DO UPDATE SET name = excluded.name", 3),
	/* The batch moves the tickets' due times (sla_recompute_due). */
	[ST_CAL_RECOMPUTE] = DB_STMT("sla_admin_cal_recompute",
	    "SELECT count(sla_queue_recompute(priority, 'calendar ' || $2::text || ' changed'))"
	    " FROM (SELECT DISTINCT priority FROM sla_policies WHERE calendar_id = $1) p", 2),
	[ST_POLICIES] = DB_STMT("sla_admin_policies",
	    "SELECT " POLICY_COLS " ORDER BY p.priority, p.tier NULLS FIRST, p.name", 0),
	[ST_POLICY] = DB_STMT("sla_admin_policy", "SELECT " POLICY_COLS " WHERE p.id = $1", 1),
	[ST_DAY_MINUTES] = DB_STMT("sla_admin_day_minutes",
	    "SELECT day_minutes FROM business_calendars WHERE id = $1", 1),
	[ST_POL_INSERT] = DB_STMT("sla_admin_pol_insert",
	    "INSERT INTO sla_policies (name, active, tier, priority, category_id, calendar_id,"
	    " first_response_minutes, next_response_minutes, resolution_minutes, pause_statuses)"
	    " VALUES ($1, $2, nullif($3, ''), $4, $5, $6, $7, $8, $9, $10::text[]) RETURNING id",
	    10),
	[ST_POL_UPDATE] = DB_STMT("sla_admin_pol_update",
	    "UPDATE sla_policies SET name = $2, active = $3, tier = nullif($4, ''), priority = $5,"
	    " category_id = $6, calendar_id = $7, first_response_minutes = $8,"
	    " next_response_minutes = $9, resolution_minutes = $10, pause_statuses = $11::text[]"
	    " WHERE id = $1 RETURNING id", 11),
	[ST_POL_RECOMPUTE] = DB_STMT("sla_admin_pol_recompute",
	    "SELECT count(sla_queue_recompute(priority, 'policy ' || name || ' changed'))"
	    " FROM sla_policies WHERE id = $1", 1),
	[ST_RULES] = DB_STMT("sla_admin_rules",
	    "SELECT " RULE_COLS " ORDER BY r.position, r.id", 0),
	[ST_RULE] = DB_STMT("sla_admin_rule", "SELECT " RULE_COLS " WHERE r.id = $1", 1),
	[ST_RULE_INSERT] = DB_STMT("sla_admin_rule_insert",
	    "INSERT INTO escalation_rules (name, position, active, on_event, no_update_hours,"
	    " if_priority, if_tier, if_category_id, notify, reassign_next_level, raise_priority,"
	    " checked_until) VALUES ($1, $2, $3, $4, $5, nullif($6, ''), nullif($7, ''), $8, $9,"
	    " $10, $11, now() - make_interval(hours => coalesce($5::integer, 0)))"
	    " RETURNING id", 11),
	[ST_RULE_UPDATE] = DB_STMT("sla_admin_rule_update",
	    "UPDATE escalation_rules SET name = $2, position = $3, active = $4, on_event = $5,"
	    " no_update_hours = $6, if_priority = nullif($7, ''), if_tier = nullif($8, ''),"
	    " if_category_id = $9, notify = $10, reassign_next_level = $11, raise_priority = $12"
	    " WHERE id = $1 RETURNING id", 12),
	[ST_CATEGORIES] = DB_STMT("sla_admin_categories",
	    "SELECT id, name FROM categories WHERE active ORDER BY position, name", 0),
	[ST_CAL_OPTIONS] = DB_STMT("sla_admin_cal_options",
	    "SELECT id, name FROM business_calendars ORDER BY lower(name), id", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* ---- reading -------------------------------------------------------------- */

static const char *
num(char *buf, size_t size, long long v)
{
	snprintf(buf, size, "%lld", v);
	return buf;
}

static void
fill_calendar(struct arena *a, PGresult *r, int i, struct sla_calendar *c, int *failed)
{
	memset(c, 0, sizeof(*c));
	c->id = db_ll(r, i, 0);
	c->name = db_str(a, r, i, 1, failed);
	c->zone = db_str(a, r, i, 2, failed);
	c->always_open = db_bool(r, i, 3);
	c->day_minutes = (int)db_ll(r, i, 4);
	c->summary = db_str(a, r, i, 5, failed);
}

int
sla_admin_calendars(struct db *db, struct arena *a, struct sla_calendar **out, size_t *n)
{
	PGresult *r = db_exec(db, &stmts[ST_CALENDARS], NULL);
	int i, rows, failed = 0;

	*out = NULL;
	*n = 0;
	if (r == NULL)
		return -1;
	rows = PQntuples(r);
	if (rows > 0 && (*out = arena_calloc(a, (size_t)rows, sizeof(**out))) == NULL) {
		PQclear(r);
		return -1;
	}
	for (i = 0; i < rows; i++)
		fill_calendar(a, r, i, &(*out)[i], &failed);
	*n = (size_t)rows;
	PQclear(r);
	return failed ? -1 : 0;
}

int
sla_admin_calendar_get(struct db *db, struct arena *a, long long id, struct sla_calendar *c)
{
	char ids[24];
	const char *p[] = { num(ids, sizeof(ids), id) };
	PGresult *r = db_exec(db, &stmts[ST_CALENDAR], p);
	int i, failed = 0;

	if (r == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return 0;
	}
	fill_calendar(a, r, 0, c, &failed);
	PQclear(r);
	if ((r = db_exec(db, &stmts[ST_HOURS], p)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		int wd = (int)db_ll(r, i, 0) - 1;

		if (wd < 0 || wd > 6 || c->nhours[wd] == SLA_INTERVALS_MAX)
			continue;
		c->hours[wd][c->nhours[wd]].opens = (int)db_ll(r, i, 1);
		c->hours[wd][c->nhours[wd]].closes = (int)db_ll(r, i, 2);
		/* '24:00' reads back as a whole day of seconds. */
		if (c->hours[wd][c->nhours[wd]].closes == 0)
			c->hours[wd][c->nhours[wd]].closes = 1440;
		c->nhours[wd]++;
	}
	PQclear(r);
	if ((r = db_exec(db, &stmts[ST_HOLIDAYS], p)) == NULL)
		return -1;
	if (PQntuples(r) > 0 && (c->holidays = arena_calloc(a, (size_t)PQntuples(r),
	    sizeof(*c->holidays))) == NULL) {
		PQclear(r);
		return -1;
	}
	for (i = 0; i < PQntuples(r); i++) {
		snprintf(c->holidays[i].day, sizeof(c->holidays[i].day), "%s", PQgetvalue(r, i, 0));
		c->holidays[i].name = db_str(a, r, i, 1, &failed);
	}
	c->nholidays = (size_t)PQntuples(r);
	PQclear(r);
	return failed ? -1 : 1;
}

int
sla_admin_zone_ok(struct db *db, const char *zone)
{
	const char *p[] = { zone };
	PGresult *r = db_exec(db, &stmts[ST_ZONE], p);
	int ok;

	if (r == NULL)
		return -1;
	ok = PQntuples(r) == 1 && db_bool(r, 0, 0);
	PQclear(r);
	return ok;
}

/* Runs st for the id it returns: the id, 0 when no row, -1 (TAKEN on 23505). */
static long long
returning_id(struct db *db, enum stmt st, const char *const *p)
{
	PGresult *r = db_exec(db, &stmts[st], p);
	long long id = 0;

	if (r == NULL)
		return strcmp(db->sqlstate, "23505") == 0 ? SLA_ADMIN_TAKEN : -1;
	if (PQntuples(r) == 1)
		id = db_ll(r, 0, 0);
	PQclear(r);
	return id;
}

/* Ends a save: commits on success, rolls back otherwise; returns rc. */
static long long
finish(struct db *db, long long rc)
{
	if (rc > 0)
		return db_commit(db) < 0 ? -1 : rc;
	db_rollback(db);
	return rc == 0 ? -1 : rc;
}

long long
sla_admin_calendar_save(struct db *db, const struct audit_entry *by,
    const struct sla_calendar *c)
{
	char ids[24], dm[16], wd[24], o[24], cl[24];
	long long id;
	size_t d, i;

	snprintf(dm, sizeof(dm), "%d", c->day_minutes);
	if (db_begin(db) < 0)
		return -1;
	if (c->id == 0) {
		const char *p[] = { c->name, c->zone, c->always_open ? "t" : "f", dm };

		id = returning_id(db, ST_CAL_INSERT, p);
	} else {
		const char *p[] = { num(ids, sizeof(ids), c->id), c->name, c->zone,
			c->always_open ? "t" : "f", dm };

		id = returning_id(db, ST_CAL_UPDATE, p);
	}
	if (id <= 0)
		return finish(db, id);
	num(ids, sizeof(ids), id);
	{
		const char *p[] = { ids };

		if (db_run(db, &stmts[ST_HOURS_CLEAR], p) < 0 ||
		    db_run(db, &stmts[ST_HOLIDAYS_CLEAR], p) < 0)
			return finish(db, -1);
	}
	for (d = 0; d < 7; d++)
		for (i = 0; i < c->nhours[d]; i++) {
			const char *p[] = { ids, num(wd, sizeof(wd), (long long)d + 1),
				num(o, sizeof(o), c->hours[d][i].opens),
				num(cl, sizeof(cl), c->hours[d][i].closes) };

			if (db_run(db, &stmts[ST_HOUR_ADD], p) < 0)
				return finish(db, -1);
		}
	for (i = 0; i < c->nholidays; i++) {
		const char *p[] = { ids, c->holidays[i].day, c->holidays[i].name };

		if (db_run(db, &stmts[ST_HOLIDAY_ADD], p) < 0)
			return finish(db, -1);
	}
	{
		const char *p[] = { ids, c->name };

		if (db_run(db, &stmts[ST_CAL_RECOMPUTE], p) < 0)
			return finish(db, -1);
	}
	if (admin_audit(db, by, c->id == 0 ? "calendar.create" : "calendar.update",
	    "business_calendar", id, json_pack("{s:s, s:s, s:b, s:i, s:i}", "name", c->name,
	    "time_zone", c->zone, "always_open", c->always_open, "day_minutes", c->day_minutes,
	    "holidays", (int)c->nholidays)) < 0)
		return finish(db, -1);
	return finish(db, id);
}

/* ---- policies --------------------------------------------------------------- */

static void
fill_policy(struct arena *a, PGresult *r, int i, struct sla_policy *p, int *failed)
{
	char *pauses, *tok, *save = NULL;
	int k = 0;

	memset(p, 0, sizeof(*p));
	p->id = db_ll(r, i, 0);
	p->name = db_str(a, r, i, 1, failed);
	p->active = db_bool(r, i, 2);
	p->tier = db_str(a, r, i, 3, failed);
	p->priority = db_str(a, r, i, 4, failed);
	p->category_id = db_ll(r, i, 5);
	p->calendar_id = db_ll(r, i, 6);
	p->minutes[0] = (int)db_ll(r, i, 7);
	p->minutes[1] = (int)db_ll(r, i, 8);
	p->minutes[2] = (int)db_ll(r, i, 9);
	pauses = (char *)db_str(a, r, i, 10, failed);
	for (tok = pauses != NULL ? strtok_r(pauses, ",", &save) : NULL; tok != NULL && k < 7;
	    tok = strtok_r(NULL, ",", &save))
		p->pauses[k++] = tok;
	p->category = db_str(a, r, i, 11, failed);
	p->calendar = db_str(a, r, i, 12, failed);
	p->targets_text = db_str(a, r, i, 13, failed);
	p->pauses_text = db_str(a, r, i, 14, failed);
}

int
sla_admin_policies(struct db *db, struct arena *a, struct sla_policy **out, size_t *n)
{
	PGresult *r = db_exec(db, &stmts[ST_POLICIES], NULL);
	int i, rows, failed = 0;

	*out = NULL;
	*n = 0;
	if (r == NULL)
		return -1;
	rows = PQntuples(r);
	if (rows > 0 && (*out = arena_calloc(a, (size_t)rows, sizeof(**out))) == NULL) {
		PQclear(r);
		return -1;
	}
	for (i = 0; i < rows; i++)
		fill_policy(a, r, i, &(*out)[i], &failed);
	*n = (size_t)rows;
	PQclear(r);
	return failed ? -1 : 0;
}

int
sla_admin_policy_get(struct db *db, struct arena *a, long long id, struct sla_policy *p)
{
	char ids[24];
	const char *pp[] = { num(ids, sizeof(ids), id) };
	PGresult *r = db_exec(db, &stmts[ST_POLICY], pp);
	int found, failed = 0;

	if (r == NULL)
		return -1;
	if ((found = PQntuples(r) == 1))
		fill_policy(a, r, 0, p, &failed);
	PQclear(r);
	return failed ? -1 : found;
}

int
sla_admin_day_minutes(struct db *db, long long calendar_id)
{
	char ids[24];
	const char *p[] = { num(ids, sizeof(ids), calendar_id) };
	PGresult *r = db_exec(db, &stmts[ST_DAY_MINUTES], p);
	int v = 0;

	if (r == NULL)
		return -1;
	if (PQntuples(r) == 1)
		v = (int)db_ll(r, 0, 0);
	PQclear(r);
	return v;
}

/* The statuses as an array literal ("{a,b}"), in a buffer of size. */
static const char *
array_literal(char *out, size_t size, const char *const *items)
{
	size_t len = 0;
	int i;

	out[len++] = '{';
	for (i = 0; items[i] != NULL && len + strlen(items[i]) + 2 < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s", i > 0 ? "," : "", items[i]);
	out[len++] = '}';
	out[len] = '\0';
	return out;
}

long long
sla_admin_policy_save(struct db *db, const struct audit_entry *by, const struct sla_policy *p)
{
	char ids[24], cat[24], cal[24], m[3][16], arr[256];
	const char *catp = p->category_id > 0 ? num(cat, sizeof(cat), p->category_id) : NULL;
	long long id;
	int k;

	for (k = 0; k < 3; k++)
		snprintf(m[k], sizeof(m[k]), "%d", p->minutes[k]);
	num(cal, sizeof(cal), p->calendar_id);
	array_literal(arr, sizeof(arr), p->pauses);
	if (db_begin(db) < 0)
		return -1;
	/* The tickets of the old priority as well, when it changes. */
	if (p->id != 0) {
		const char *pp[] = { num(ids, sizeof(ids), p->id) };

		if (db_run(db, &stmts[ST_POL_RECOMPUTE], pp) < 0)
			return finish(db, -1);
	}
	if (p->id == 0) {
		const char *pp[] = { p->name, p->active ? "t" : "f", p->tier, p->priority, catp, cal,
			m[0], m[1], m[2], arr };

		id = returning_id(db, ST_POL_INSERT, pp);
	} else {
		const char *pp[] = { num(ids, sizeof(ids), p->id), p->name, p->active ? "t" : "f",
			p->tier, p->priority, catp, cal, m[0], m[1], m[2], arr };

		id = returning_id(db, ST_POL_UPDATE, pp);
	}
	if (id <= 0)
		return finish(db, id);
	{
		const char *pp[] = { num(ids, sizeof(ids), id) };

		if (db_run(db, &stmts[ST_POL_RECOMPUTE], pp) < 0)
			return finish(db, -1);
	}
	if (admin_audit(db, by, p->id == 0 ? "sla_policy.create" : "sla_policy.update",
	    "sla_policy", id, json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:s}", "name", p->name,
	    "tier", p->tier, "priority", p->priority, "first_response_minutes", p->minutes[0],
	    "next_response_minutes", p->minutes[1], "resolution_minutes", p->minutes[2],
	    "pause_statuses", arr)) < 0)
		return finish(db, -1);
	return finish(db, id);
}

/* ---- escalation rules ------------------------------------------------------ */

static void
fill_rule(struct arena *a, PGresult *r, int i, struct sla_rule *x, int *failed)
{
	memset(x, 0, sizeof(*x));
	x->id = db_ll(r, i, 0);
	x->name = db_str(a, r, i, 1, failed);
	x->position = (int)db_ll(r, i, 2);
	x->active = db_bool(r, i, 3);
	x->on_event = db_str(a, r, i, 4, failed);
	x->no_update_hours = (int)db_ll(r, i, 5);
	x->if_priority = db_str(a, r, i, 6, failed);
	x->if_tier = db_str(a, r, i, 7, failed);
	x->if_category_id = db_ll(r, i, 8);
	x->notify = db_str(a, r, i, 9, failed);
	x->reassign = db_bool(r, i, 10);
	x->raise = db_bool(r, i, 11);
	x->category = db_str(a, r, i, 12, failed);
}

int
sla_admin_rules(struct db *db, struct arena *a, struct sla_rule **out, size_t *n)
{
	PGresult *r = db_exec(db, &stmts[ST_RULES], NULL);
	int i, rows, failed = 0;

	*out = NULL;
	*n = 0;
	if (r == NULL)
		return -1;
	rows = PQntuples(r);
	if (rows > 0 && (*out = arena_calloc(a, (size_t)rows, sizeof(**out))) == NULL) {
		PQclear(r);
		return -1;
	}
	for (i = 0; i < rows; i++)
		fill_rule(a, r, i, &(*out)[i], &failed);
	*n = (size_t)rows;
	PQclear(r);
	return failed ? -1 : 0;
}

int
sla_admin_rule_get(struct db *db, struct arena *a, long long id, struct sla_rule *x)
{
	char ids[24];
	const char *p[] = { num(ids, sizeof(ids), id) };
	PGresult *r = db_exec(db, &stmts[ST_RULE], p);
	int found, failed = 0;

	if (r == NULL)
		return -1;
	if ((found = PQntuples(r) == 1))
		fill_rule(a, r, 0, x, &failed);
	PQclear(r);
	return failed ? -1 : found;
}

long long
sla_admin_rule_save(struct db *db, const struct audit_entry *by, const struct sla_rule *x)
{
	char ids[24], pos[16], hours[16], cat[24];
	const char *hp = strcmp(x->on_event, "no_update") == 0 ?
	    num(hours, sizeof(hours), x->no_update_hours) : NULL;
	const char *catp = x->if_category_id > 0 ? num(cat, sizeof(cat), x->if_category_id) :
	    NULL;
	long long id;

	num(pos, sizeof(pos), x->position);
	if (db_begin(db) < 0)
		return -1;
	if (x->id == 0) {
		const char *p[] = { x->name, pos, x->active ? "t" : "f", x->on_event, hp,
			x->if_priority, x->if_tier, catp, x->notify, x->reassign ? "t" : "f",
			x->raise ? "t" : "f" };

		id = returning_id(db, ST_RULE_INSERT, p);
	} else {
		const char *p[] = { num(ids, sizeof(ids), x->id), x->name, pos,
			x->active ? "t" : "f", x->on_event, hp, x->if_priority, x->if_tier, catp,
			x->notify, x->reassign ? "t" : "f", x->raise ? "t" : "f" };

		id = returning_id(db, ST_RULE_UPDATE, p);
	}
	if (id <= 0)
		return finish(db, id);
	if (admin_audit(db, by, x->id == 0 ? "escalation_rule.create" : "escalation_rule.update",
	    "escalation_rule", id, json_pack("{s:s, s:s, s:s, s:b, s:b}", "name", x->name,
	    "on_event", x->on_event, "notify", x->notify, "reassign_next_level", x->reassign,
	    "raise_priority", x->raise)) < 0)
		return finish(db, -1);
	return finish(db, id);
}

int
sla_admin_options(struct db *db, struct arena *a, int calendars, struct sla_option **out,
    size_t *n)
{
	PGresult *r = db_exec(db, &stmts[calendars ? ST_CAL_OPTIONS : ST_CATEGORIES], NULL);
	int i, rows, failed = 0;

	*out = NULL;
	*n = 0;
	if (r == NULL)
		return -1;
	rows = PQntuples(r);
	if (rows > 0 && (*out = arena_calloc(a, (size_t)rows, sizeof(**out))) == NULL) {
		PQclear(r);
		return -1;
	}
	for (i = 0; i < rows; i++) {
		(*out)[i].id = db_ll(r, i, 0);
		(*out)[i].name = db_str(a, r, i, 1, &failed);
	}
	*n = (size_t)rows;
	PQclear(r);
	return failed ? -1 : 0;
}
