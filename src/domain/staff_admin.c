/* staff_admin.c — see staff_admin.h. */
#include "domain/staff_admin.h"
#include "auth/session.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "db/db.h"
#include "domain/accounts.h"
#include "domain/admin_audit.h"
#include "domain/audit.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

const char *const staff_admin_roles[STAFF_ADMIN_NROLES] = {
	"agent", "supervisor", "technician", "admin",
};

/* The columns of a list row, in the order fill_row() reads them. */
#define ROW_COLS "s.id, s.name, s.email, array_to_string(s.roles, ','), coalesce(t.name, ''),"\
    " s.active, s.totp_enabled_at IS NOT NULL"
enum { ROW_ID, ROW_NAME, ROW_EMAIL, ROW_ROLES, ROW_TEAM, ROW_ACTIVE, ROW_TOTP };

/* The columns of one person, in the order fill_person() reads them. */
#define PERSON_COLS "id, name, email, array_to_string(roles, ','), coalesce(team_id, 0),"\
    " array_to_string(languages, ','), capacity, array_to_string(work_days, ','),"\
    " to_char(work_start, 'HH24:MI'), to_char(work_end, 'HH24:MI'), time_zone,"\
    " escalation_level, active, totp_enabled_at IS NOT NULL,"\
    " coalesce((SELECT string_agg(skill_id::text, ',' ORDER BY skill_id)"\
    " FROM staff_skills WHERE staff_id = staff.id), '')"
enum { P_ID, P_NAME, P_EMAIL, P_ROLES, P_TEAM, P_LANGS, P_CAPACITY, P_DAYS, P_START, P_END,
	P_ZONE, P_LEVEL, P_ACTIVE, P_TOTP, P_SKILLS };

enum stmt {
	STMT_LIST,
	STMT_GET,
	STMT_UPDATE,
	STMT_SKILLS_PRUNE,
	STMT_SKILLS_ADD,
	STMT_SET_TEAM,
	STMT_ZONE,
	STMT__MAX
};

static struct db_stmt stmts[] = {
	[STMT_LIST] = DB_STMT("staff_admin_list",
	    "SELECT " ROW_COLS " FROM staff s LEFT JOIN teams t ON t.id = s.team_id"
	    " WHERE s.id > $1::bigint"
	    " AND ($2::text = '' OR strpos(lower(s.name), lower($2::text)) > 0"
	    "  OR strpos(s.email, lower($2::text)) > 0)"
	    " AND ($3::boolean IS NULL OR s.active = $3::boolean)"
	    " ORDER BY s.id LIMIT $4::integer", 4),
	[STMT_GET] = DB_STMT("staff_admin_get",
	    "SELECT " PERSON_COLS " FROM staff WHERE id = $1::bigint", 1),
	/* Returns whether the person was active before. */
	[STMT_UPDATE] = DB_STMT("staff_admin_update",
	    "UPDATE staff s SET name = $2, roles = string_to_array($3, ','), team_id = $4::bigint,"
	    " languages = string_to_array($5, ','), capacity = $6::integer,"
	    " work_days = string_to_array($7, ',')::smallint[], work_start = $8::time,"
	    " work_end = $9::time, time_zone = $10, escalation_level = $11::smallint,"
	    " active = $12::boolean"
	    " FROM (SELECT id, active FROM staff WHERE id = $1::bigint FOR UPDATE) old"
	    " WHERE s.id = old.id RETURNING old.active", 12),
	[STMT_SKILLS_PRUNE] = DB_STMT("staff_admin_skills_prune",
	    "DELETE FROM staff_skills WHERE staff_id = $1::bigint"
	    " AND NOT skill_id = ANY (string_to_array($2, ',')::bigint[])", 2),
	[STMT_SKILLS_ADD] = DB_STMT("staff_admin_skills_add",
	    "INSERT INTO staff_skills (staff_id, skill_id)"
	    " SELECT $1::bigint, id FROM skills WHERE id = ANY (string_to_array($2, ',')::bigint[])"
	    " ON CONFLICT DO NOTHING", 2),
	[STMT_SET_TEAM] = DB_STMT("staff_admin_set_team",
	    "UPDATE staff SET team_id = $2::bigint WHERE id = $1::bigint", 2),
	[STMT_ZONE] = DB_STMT("staff_admin_zone",
	    "SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1)", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

/* Teams and skills: the same four statements over two tables. */
enum named_stmt { NAMED_LIST, NAMED_ADD, NAMED_RENAME, NAMED__MAX };

static struct db_stmt named_stmts[STAFF_ADMIN_KIND__MAX][NAMED__MAX] = {
	[STAFF_ADMIN_TEAMS] = {
		[NAMED_LIST] = DB_STMT("staff_admin_team_list",
		    "SELECT t.id, t.name, (SELECT count(*) FROM staff s"
		    " WHERE s.team_id = t.id AND s.active)"
		    " FROM teams t ORDER BY lower(t.name), t.id", 0),
		[NAMED_ADD] = DB_STMT("staff_admin_team_add",
		    "INSERT INTO teams (name) VALUES ($1) RETURNING id", 1),
		[NAMED_RENAME] = DB_STMT("staff_admin_team_rename",
		    "UPDATE teams SET name = $2 WHERE id = $1::bigint", 2),
	},
	[STAFF_ADMIN_SKILLS] = {
		[NAMED_LIST] = DB_STMT("staff_admin_skill_list",
		    "SELECT k.id, k.name, (SELECT count(*) FROM staff_skills x"
		    " JOIN staff s ON s.id = x.staff_id WHERE x.skill_id = k.id AND s.active)"
		    " FROM skills k ORDER BY lower(k.name), k.id", 0),
		[NAMED_ADD] = DB_STMT("staff_admin_skill_add",
		    "INSERT INTO skills (name) VALUES ($1) RETURNING id", 1),
		[NAMED_RENAME] = DB_STMT("staff_admin_skill_rename",
		    "UPDATE skills SET name = $2 WHERE id = $1::bigint", 2),
	},
};

/* What the audit log calls each kind of named list, and its add and rename. */
static const char *const named_audit[STAFF_ADMIN_KIND__MAX] = {
	[STAFF_ADMIN_TEAMS] = "team",
	[STAFF_ADMIN_SKILLS] = "skill",
};
static const char *const named_actions[STAFF_ADMIN_KIND__MAX][2] = {
	[STAFF_ADMIN_TEAMS] = { "team.create", "team.rename" },
	[STAFF_ADMIN_SKILLS] = { "skill.create", "skill.rename" },
};




int
staff_admin_list(struct db *db, struct arena *a, const struct staff_admin_query *q,
    struct staff_admin_row **rows, size_t *n, long long *next)
{
	char after[24], limit[16];
	const char *p[4];
	PGresult *res;
	int i, count, failed = 0;

	*rows = NULL;
	*n = 0;
	*next = 0;
	snprintf(after, sizeof(after), "%lld", q->after > 0 ? q->after : 0);
	/* One more than a page tells whether there is a next one. */
	snprintf(limit, sizeof(limit), "%d", STAFF_ADMIN_PAGE + 1);
	p[0] = after;
	p[1] = q->text ? q->text : "";
	p[2] = q->active < 0 ? NULL : q->active ? "t" : "f";
	p[3] = limit;
	res = db_exec(db, &stmts[STMT_LIST], p);
	if (res == NULL)
		return -1;
	count = PQntuples(res);
	if (count > STAFF_ADMIN_PAGE)
		count = STAFF_ADMIN_PAGE;
	*rows = arena_calloc(a, (size_t)count + 1, sizeof(**rows));
	if (*rows == NULL)
		failed = 1;
	for (i = 0; i < count && !failed; i++) {
		struct staff_admin_row *row = &(*rows)[i];

		row->id = db_ll(res, i, ROW_ID);
		row->name = db_str(a, res, i, ROW_NAME, &failed);
		row->email = db_str(a, res, i, ROW_EMAIL, &failed);
		row->roles = db_str(a, res, i, ROW_ROLES, &failed);
		row->team = db_str(a, res, i, ROW_TEAM, &failed);
		row->active = db_bool(res, i, ROW_ACTIVE);
		row->totp = db_bool(res, i, ROW_TOTP);
	}
	if (!failed) {
		*n = (size_t)count;
		if (PQntuples(res) > STAFF_ADMIN_PAGE)
			*next = (*rows)[count - 1].id;
	}
	PQclear(res);
	return failed ? -1 : 0;
}

/* Parses "1,4,7" into an arena array of ids. 0 or -1 (out of memory). */
static int
parse_ids(struct arena *a, const char *s, long long **out, size_t *n)
{
	size_t cap = 1, k = 0;
	const char *p;

	for (p = s; *p; p++)
		cap += *p == ',';
	*out = arena_calloc(a, cap, sizeof(**out));
	if (*out == NULL)
		return -1;
	while (*s) {
		size_t len = strcspn(s, ",");
		char num[24];
		long long v;

		if (len > 0 && len < sizeof(num)) {
			memcpy(num, s, len);
			num[len] = '\0';
			if (config_parse_long(num, 0, 1LL << 62, &v) == 0)
				(*out)[k++] = v;
		}
		s += len + (s[len] == ',');
	}
	*n = k;
	return 0;
}

/* Parses "1,2,5" (days of the week) into a bit mask. */
static unsigned
parse_days(const char *s)
{
	unsigned mask = 0;

	for (; *s; s++)
		if (*s >= '1' && *s <= '7')
			mask |= 1u << (*s - '1');
	return mask;
}

int
staff_admin_get(struct db *db, struct arena *a, long long id, struct staff_admin_person *p)
{
	char idbuf[24];
	const char *params[] = { idbuf };
	PGresult *res;
	int failed = 0, found;

	memset(p, 0, sizeof(*p));
	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	res = db_exec(db, &stmts[STMT_GET], params);
	if (res == NULL)
		return -1;
	found = PQntuples(res) == 1;
	if (found) {
		p->id = db_ll(res, 0, P_ID);
		p->name = db_str(a, res, 0, P_NAME, &failed);
		p->email = db_str(a, res, 0, P_EMAIL, &failed);
		p->roles = db_str(a, res, 0, P_ROLES, &failed);
		p->team_id = db_ll(res, 0, P_TEAM);
		p->languages = db_str(a, res, 0, P_LANGS, &failed);
		p->capacity = (int)db_ll(res, 0, P_CAPACITY);
		p->work_days = parse_days(PQgetvalue(res, 0, P_DAYS));
		p->work_start = db_str(a, res, 0, P_START, &failed);
		p->work_end = db_str(a, res, 0, P_END, &failed);
		p->time_zone = db_str(a, res, 0, P_ZONE, &failed);
		p->escalation_level = (int)db_ll(res, 0, P_LEVEL);
		p->active = db_bool(res, 0, P_ACTIVE);
		p->totp = db_bool(res, 0, P_TOTP);
		if (parse_ids(a, PQgetvalue(res, 0, P_SKILLS), &p->skills, &p->nskills) < 0)
			failed = 1;
	}
	PQclear(res);
	return failed ? -1 : found;
}

/* Non-zero when the comma list roles holds role. */
static int
has_role(const char *roles, const char *role)
{
	size_t n = strlen(role);

	while (*roles) {
		size_t len = strcspn(roles, ",");

		if (len == n && strncmp(roles, role, n) == 0)
			return 1;
		roles += len + (roles[len] == ',');
	}
	return 0;
}

/* Rows a command touched. */
static long long
affected(PGresult *res)
{
	return db_changed(res);
}

/* The audit record's details for a person's change (a new reference, or NULL). */
static json_t *
person_details(const struct staff_admin_person *p)
{
	json_t *skills = json_array(), *days = json_array();
	size_t i;
	int d;

	for (i = 0; skills != NULL && i < p->nskills; i++)
		json_array_append_new(skills, json_integer(p->skills[i]));
	for (d = 1; days != NULL && d <= 7; d++)
		if (p->work_days & (1u << (d - 1)))
			json_array_append_new(days, json_integer(d));
	/* "o" steals the arrays, also when packing fails. */
	return json_pack("{s:s, s:s, s:I, s:o, s:s, s:i, s:o, s:s, s:s, s:s, s:i, s:b}",
	    "name", p->name, "roles", p->roles, "team_id", (json_int_t)p->team_id,
	    "skills", skills, "languages", p->languages, "capacity", p->capacity,
	    "work_days", days, "work_start", p->work_start, "work_end", p->work_end,
	    "time_zone", p->time_zone, "escalation_level", p->escalation_level,
	    "active", p->active);
}

int
staff_admin_update(struct db *db, const struct audit_entry *by,
    const struct staff_admin_person *p)
{
	char id[24], team[24], cap[16], level[8], days[16];
	const char *up[12], *sp[2];
	struct buf sk;
	PGresult *res;
	size_t i, nd = 0;
	int rc = -1, d, was_active;

	if (by->actor_kind == AUDIT_ACTOR_STAFF && p->id == by->actor_id &&
	    (!p->active || !has_role(p->roles, "admin")))
		return STAFF_ADMIN_SELF;
	snprintf(id, sizeof(id), "%lld", p->id);
	snprintf(team, sizeof(team), "%lld", p->team_id);
	snprintf(cap, sizeof(cap), "%d", p->capacity);
	snprintf(level, sizeof(level), "%d", p->escalation_level);
	days[0] = '\0';
	for (d = 1; d <= 7; d++) {
		if (!(p->work_days & (1u << (d - 1))))
			continue;
		if (nd)
			days[nd++] = ',';
		days[nd++] = (char)('0' + d);
		days[nd] = '\0';
	}
	buf_init(&sk, NULL);
	for (i = 0; i < p->nskills; i++)
		buf_printf(&sk, "%s%lld", i ? "," : "", p->skills[i]);
	if (buf_failed(&sk))
		goto out;
	up[0] = id;
	up[1] = p->name;
	up[2] = p->roles;
	up[3] = p->team_id > 0 ? team : NULL;
	up[4] = p->languages;
	up[5] = cap;
	up[6] = days;
	up[7] = p->work_start;
	up[8] = p->work_end;
	up[9] = p->time_zone;
	up[10] = level;
	up[11] = p->active ? "t" : "f";
	sp[0] = id;
	sp[1] = sk.buf;
	if (db_begin(db) < 0)
		goto out;
	res = db_exec(db, &stmts[STMT_UPDATE], up);
	if (res == NULL) {
		rc = db_is(db, "23503") ? STAFF_ADMIN_BAD_TEAM : -1;
		goto fail;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		rc = STAFF_ADMIN_NOT_FOUND;
		goto fail;
	}
	was_active = db_bool(res, 0, 0);
	PQclear(res);
	if (db_run(db, &stmts[STMT_SKILLS_PRUNE], sp) < 0 ||
	    db_run(db, &stmts[STMT_SKILLS_ADD], sp) < 0)
		goto fail;
	/* Out at once: their next request finds no session. */
	if (!p->active && session_staff_end_all(db, p->id, 0) < 0)
		goto fail;
	if (admin_audit(db, by, was_active == p->active ? "staff.update" :
	    p->active ? "staff.activate" : "staff.deactivate", "staff", p->id,
	    person_details(p)) < 0)
		goto fail;
	rc = db_commit(db) < 0 ? -1 : 0;
	goto out;
fail:
	db_rollback(db);
out:
	buf_release(&sk);
	return rc;
}

long long
staff_admin_create(struct db *db, const struct audit_entry *by, const char *name, const char *email,
    const char *roles, long long team_id, const char *password_hash)
{
	char idbuf[24], team[24];
	const char *tp[] = { idbuf, team };
	long long id;

	if (db_begin(db) < 0)
		return -1;
	id = accounts_staff_create(db, email, name, password_hash, roles);
	if (id < 0) {
		db_rollback(db);
		return id == ACCOUNTS_TAKEN ? STAFF_ADMIN_TAKEN : -1;
	}
	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	snprintf(team, sizeof(team), "%lld", team_id);
	if (team_id > 0 && db_run(db, &stmts[STMT_SET_TEAM], tp) < 0) {
		long long why = db_is(db, "23503") ? STAFF_ADMIN_BAD_TEAM : -1;

		db_rollback(db);
		return why;
	}
	if (admin_audit(db, by, "staff.create", "staff", id, json_pack("{s:s, s:s, s:s, s:I}",
	    "name", name, "email", email, "roles", roles, "team_id", (json_int_t)team_id)) < 0 ||
	    db_commit(db) < 0) {
		db_rollback(db);
		return -1;
	}
	return id;
}

int
staff_admin_zone_exists(struct db *db, const char *name)
{
	const char *p[] = { name };
	PGresult *res = db_exec(db, &stmts[STMT_ZONE], p);
	int yes;

	if (res == NULL)
		return -1;
	yes = PQntuples(res) == 1 && db_bool(res, 0, 0);
	PQclear(res);
	return yes;
}

int
staff_admin_named_list(struct db *db, struct arena *a, enum staff_admin_kind kind,
    struct staff_admin_named **rows, size_t *n)
{
	PGresult *res;
	int i, count, failed = 0;

	*rows = NULL;
	*n = 0;
	if (kind >= STAFF_ADMIN_KIND__MAX)
		return -1;
	res = db_exec(db, &named_stmts[kind][NAMED_LIST], NULL);
	if (res == NULL)
		return -1;
	count = PQntuples(res);
	*rows = arena_calloc(a, (size_t)count + 1, sizeof(**rows));
	if (*rows == NULL)
		failed = 1;
	for (i = 0; i < count && !failed; i++) {
		(*rows)[i].id = db_ll(res, i, 0);
		(*rows)[i].name = db_str(a, res, i, 1, &failed);
		(*rows)[i].members = db_ll(res, i, 2);
	}
	if (!failed)
		*n = (size_t)count;
	PQclear(res);
	return failed ? -1 : 0;
}

long long
staff_admin_named_add(struct db *db, const struct audit_entry *by, enum staff_admin_kind kind,
    const char *name)
{
	const char *p[] = { name };
	PGresult *res;
	long long id = -1;

	if (kind >= STAFF_ADMIN_KIND__MAX || db_begin(db) < 0)
		return -1;
	res = db_exec(db, &named_stmts[kind][NAMED_ADD], p);
	if (res == NULL) {
		id = db_is(db, "23505") ? STAFF_ADMIN_TAKEN : -1;
		goto fail;
	}
	if (PQntuples(res) == 1)
		id = db_ll(res, 0, 0);
	PQclear(res);
	if (id <= 0 || admin_audit(db, by, named_actions[kind][0], named_audit[kind], id,
	    json_pack("{s:s}", "name", name)) < 0) {
		id = -1;
		goto fail;
	}
	if (db_commit(db) < 0)
		return -1;
	return id;
fail:
	db_rollback(db);
	return id;
}

int
staff_admin_named_rename(struct db *db, const struct audit_entry *by, enum staff_admin_kind kind,
    long long id, const char *name)
{
	char idbuf[24];
	const char *p[] = { idbuf, name };
	PGresult *res;
	int rc = -1;

	if (kind >= STAFF_ADMIN_KIND__MAX || db_begin(db) < 0)
		return -1;
	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	res = db_exec(db, &named_stmts[kind][NAMED_RENAME], p);
	if (res == NULL) {
		rc = db_is(db, "23505") ? STAFF_ADMIN_TAKEN : -1;
		goto fail;
	}
	rc = affected(res) == 1 ? 0 : STAFF_ADMIN_NOT_FOUND;
	PQclear(res);
	if (rc != 0)
		goto fail;
	if (admin_audit(db, by, named_actions[kind][1], named_audit[kind], id,
	    json_pack("{s:s}", "name", name)) < 0) {
		rc = -1;
		goto fail;
	}
	return db_commit(db) < 0 ? -1 : 0;
fail:
	db_rollback(db);
	return rc;
}
