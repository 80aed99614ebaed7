/* staff.c — see staff.h. */
#include "domain/staff.h"
#include "auth/session.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/audit.h"
#include "domain/system.h"
#include "domain/text_check.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

const char *const staff_roles[STAFF_NROLES] = {
	[STAFF_AGENT] = "agent",
	[STAFF_SUPERVISOR] = "supervisor",
	[STAFF_TECHNICIAN] = "technician",
	[STAFF_ADMIN] = "admin",
	[STAFF_WAREHOUSE] = "warehouse",
};

/* A line of the list. */
#define ROW_COLS(X) \
	X(ROW, id, "s.id") X(ROW, name, "s.name") X(ROW, email, "s.email") \
	X(ROW, roles, "array_to_string(s.roles, ',')") X(ROW, team, "coalesce(t.name, '')") \
	X(ROW, active, "s.active") X(ROW, totp, "s.totp_enabled_at IS NOT NULL")
enum { DB_COL_ENUM(ROW_COLS) };

/* One person. */
#define P_COLS(X) \
	X(P, id, "id") X(P, name, "name") X(P, email, "email") \
	X(P, roles, "array_to_string(roles, ',')") X(P, team, "coalesce(team_id, 0)") \
	X(P, langs, "array_to_string(languages, ',')") X(P, capacity, "capacity") \
	X(P, days, "array_to_string(work_days, ',')") \
	X(P, start, "to_char(work_start, 'HH24:MI')") X(P, end, "to_char(work_end, 'HH24:MI')") \
	X(P, zone, "time_zone") X(P, level, "escalation_level") X(P, active, "active") \
	X(P, totp, "totp_enabled_at IS NOT NULL") \
	X(P, skills, "coalesce((SELECT string_agg(skill_id::text, ',' ORDER BY skill_id)" \
	    " FROM staff_skills WHERE staff_id = staff.id), '')") \
	X(P, skill_levels, "coalesce((SELECT string_agg(level::text, ',' ORDER BY skill_id)" \
	    " FROM staff_skills WHERE staff_id = staff.id), '')")
enum { DB_COL_ENUM(P_COLS) };

#define UPD_COLS(X) X(UPD, was_active, "old.active")
enum { DB_COL_ENUM(UPD_COLS) };

#define NEW_COLS(X) X(NEW, id, "id")
enum { DB_COL_ENUM(NEW_COLS) };

enum stmt {
	STMT_LIST,
	STMT_GET,
	STMT_CREATE,
	STMT_UPDATE,
	STMT_SKILLS_PRUNE,
	STMT_SKILLS_ADD,
	STMT__MAX
};

static struct db_stmt stmts[] = {
	[STMT_LIST] = DB_STMT("staff_list",
	    "SELECT " DB_COLS(ROW_COLS) " FROM staff s LEFT JOIN teams t ON t.id = s.team_id"
	    " WHERE s.id > $1::bigint"
	    " AND ($2::text = '' OR strpos(lower(s.name), lower($2::text)) > 0"
	    "  OR strpos(s.email, lower($2::text)) > 0)"
	    " AND ($3::boolean IS NULL OR s.active = $3::boolean)"
	    " ORDER BY s.id LIMIT $4::integer", 4),
	[STMT_GET] = DB_STMT("staff_get",
	    "SELECT " DB_COLS(P_COLS) " FROM staff WHERE id = $1::bigint", 1),
	[STMT_CREATE] = DB_STMT("staff_create",
	    "INSERT INTO staff (email, name, password_hash, roles, team_id)"
	    " VALUES (lower($1), $2, $3, string_to_array($4, ','), $5::bigint)"
	    " RETURNING " DB_COLS(NEW_COLS), 5),
	/* Returns whether the person was active before. */
	[STMT_UPDATE] = DB_STMT("staff_update",
	    "UPDATE staff s SET name = $2, roles = string_to_array($3, ','), team_id = $4::bigint,"
	    " languages = string_to_array($5, ','), capacity = $6::integer,"
	    " work_days = string_to_array($7, ',')::smallint[], work_start = $8::time,"
	    " work_end = $9::time, time_zone = $10, escalation_level = $11::smallint,"
	    " active = $12::boolean"
	    " FROM (SELECT id, active FROM staff WHERE id = $1::bigint FOR UPDATE) old"
	    " WHERE s.id = old.id RETURNING " DB_COLS(UPD_COLS), 12),
	[STMT_SKILLS_PRUNE] = DB_STMT("staff_skills_prune",
	    "DELETE FROM staff_skills WHERE staff_id = $1::bigint"
	    " AND NOT skill_id = ANY (string_to_array($2, ',')::bigint[])", 2),
	/* $2 the skill ids, $3 their levels (046), in the same order. */
	[STMT_SKILLS_ADD] = DB_STMT("staff_skills_add",
	    "INSERT INTO staff_skills (staff_id, skill_id, level)"
	    " SELECT $1::bigint, k.id, l.level FROM unnest(string_to_array($2, ',')::bigint[],"
	    " string_to_array($3, ',')::smallint[]) AS l (id, level) JOIN skills k ON k.id = l.id"
	    " ON CONFLICT (staff_id, skill_id) DO UPDATE SET level = EXCLUDED.level", 3),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

static enum cs_result
fill_row(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct staff_row *row = elem;
	int failed = 0;

	row->id = db_ll(res, i, ROW_id);
	row->name = db_str(a, res, i, ROW_name, &failed);
	row->email = db_str(a, res, i, ROW_email, &failed);
	row->roles = db_str(a, res, i, ROW_roles, &failed);
	row->team = db_str(a, res, i, ROW_team, &failed);
	row->active = db_bool(res, i, ROW_active);
	row->totp = db_bool(res, i, ROW_totp);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
staff_list(struct db *db, struct arena *a, const struct staff_query *q, struct staff_row **rows,
    size_t *n, long long *next)
{
	char after[24], limit[16];
	const char *p[4];
	void *arr;
	enum cs_result rc;
	int more;

	*next = 0;
	*rows = NULL;
	*n = 0;
	if (q->text != NULL && utf8_chars(q->text) > STAFF_SEARCH_MAX)
		return CS_REFUSED;
	snprintf(after, sizeof(after), "%lld", q->after > 0 ? q->after : 0);
	snprintf(limit, sizeof(limit), "%d", STAFF_PAGE + 1);
	p[0] = after;
	p[1] = q->text ? q->text : "";
	p[2] = q->active < 0 ? NULL : q->active ? "t" : "f";
	p[3] = limit;
	rc = db_page(db, a, &stmts[STMT_LIST], p, STAFF_PAGE, sizeof(**rows), fill_row, &arr, n,
	    &more);
	*rows = arr;
	if (rc == CS_OK && more && *n > 0)
		*next = (*rows)[*n - 1].id;
	return rc;
}

/* Parses "1,4,7" into an arena array of ids. CS_OK, or CS_FAILED when out of memory. */
static enum cs_result
parse_ids(struct arena *a, const char *s, long long **out, size_t *n)
{
	size_t cap = 1, k = 0;
	const char *p;

	for (p = s; *p; p++)
		cap += *p == ',';
	*out = arena_calloc(a, cap, sizeof(**out));
	if (*out == NULL)
		return CS_FAILED;
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
	return CS_OK;
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

static enum cs_result
fill_person(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct staff_person *p = elem;
	int failed = 0;
	size_t n;

	p->id = db_ll(res, i, P_id);
	p->name = db_str(a, res, i, P_name, &failed);
	p->email = db_str(a, res, i, P_email, &failed);
	p->roles = db_str(a, res, i, P_roles, &failed);
	p->team_id = db_ll(res, i, P_team);
	p->languages = db_str(a, res, i, P_langs, &failed);
	p->capacity = (int)db_ll(res, i, P_capacity);
	p->work_days = parse_days(PQgetvalue(res, i, P_days));
	p->work_start = db_str(a, res, i, P_start, &failed);
	p->work_end = db_str(a, res, i, P_end, &failed);
	p->time_zone = db_str(a, res, i, P_zone, &failed);
	p->escalation_level = (int)db_ll(res, i, P_level);
	p->active = db_bool(res, i, P_active);
	p->totp = db_bool(res, i, P_totp);
	if (failed)
		return CS_FAILED;
	if (parse_ids(a, PQgetvalue(res, i, P_skills), &p->skills, &p->nskills) != CS_OK ||
	    parse_ids(a, PQgetvalue(res, i, P_skill_levels), &p->skill_levels, &n) != CS_OK ||
	    n != p->nskills)
		return CS_FAILED;
	return CS_OK;
}

enum cs_result
staff_get(struct db *db, struct arena *a, long long id, struct staff_person *p)
{
	char idbuf[24];
	const char *params[] = { idbuf };

	memset(p, 0, sizeof(*p));
	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	return db_one(db, a, &stmts[STMT_GET], params, fill_person, p);
}

int
staff_roles_ok(const char *roles)
{
	size_t i, count = 0;

	if (roles == NULL)
		return 0;
	while (*roles) {
		size_t len = strcspn(roles, ",");

		for (i = 0; i < STAFF_NROLES; i++)
			if (strlen(staff_roles[i]) == len && strncmp(roles, staff_roles[i], len) == 0)
				break;
		if (i == STAFF_NROLES)
			return 0;
		count++;
		roles += len + (roles[len] == ',');
	}
	return count > 0;
}

const char *
staff_roles_csv(struct arena *a, unsigned mask)
{
	char buf[64] = "";
	size_t i, len = 0;

	for (i = 0; i < STAFF_NROLES; i++) {
		if (!(mask & (1u << i)))
			continue;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? "," : "",
		    staff_roles[i]);
	}
	return arena_strdup(a, buf);
}

unsigned
staff_roles_mask(const char *csv)
{
	unsigned mask = 0;
	size_t i;

	while (csv != NULL && *csv) {
		size_t len = strcspn(csv, ",");

		for (i = 0; i < STAFF_NROLES; i++)
			if (strlen(staff_roles[i]) == len &&
			    strncmp(csv, staff_roles[i], len) == 0)
				mask |= 1u << i;
		csv += len + (csv[len] == ',');
	}
	return mask;
}

const char *
staff_time_of_day(struct arena *a, const char *s)
{
	size_t len = strlen(s);
	int h, m;

	if ((len != 5 && len != 8) || s[2] != ':' || (len == 8 && s[5] != ':'))
		return NULL;
	if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[3] >= '0' &&
	    s[3] <= '9' && s[4] >= '0' && s[4] <= '9'))
		return NULL;
	if (len == 8 && !(s[6] >= '0' && s[6] <= '5' && s[7] >= '0' && s[7] <= '9'))
		return NULL;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 23 || m > 59)
		return NULL;
	return arena_strndup(a, s, 5);
}

/* Lower-cases an ASCII letter; anything else is returned as it is. */
static char
ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

enum cs_result
staff_languages(struct arena *a, const char *typed, const char **out, const char **why)
{
	char codes[STAFF_LANGUAGES_MAX][3], list[STAFF_LANGUAGES_MAX * 3 + 1] = "";
	size_t count = 0, i;
	const char *p = typed;

	*out = NULL;
	*why = "List two-letter language codes separated by commas, like en, fr.";
	while (*p) {
		size_t n = strcspn(p, ","), s = 0, e = n;
		char code[3];

		while (s < e && (p[s] == ' ' || p[s] == '\t'))
			s++;
		while (e > s && (p[e - 1] == ' ' || p[e - 1] == '\t'))
			e--;
		if (e > s) {
			code[0] = ascii_lower(p[s]);
			code[1] = ascii_lower(p[s + 1 < e ? s + 1 : s]);
			code[2] = '\0';
			if (e - s != 2 || code[0] < 'a' || code[0] > 'z' || code[1] < 'a' ||
			    code[1] > 'z')
				return CS_REFUSED;
			for (i = 0; i < count && strcmp(codes[i], code) != 0; i++)
				;
			if (i == count) {
				/* Each language once. */
				if (count == STAFF_LANGUAGES_MAX) {
					*why = "List at most " STR(STAFF_LANGUAGES_MAX) " languages.";
					return CS_REFUSED;
				}
				memcpy(codes[count++], code, sizeof(code));
			}
		}
		p += n + (p[n] == ',');
	}
	if (count == 0)
		return CS_REFUSED;
	/* count <= STAFF_LANGUAGES_MAX codes of 2 letters: list always has room. */
	for (i = 0; i < count; i++)
		memcpy(list + 3 * i, codes[i], 2), list[3 * i + 2] = ',';
	list[3 * count - 1] = '\0';
	*why = NULL;
	*out = arena_strdup(a, list);
	return *out != NULL ? CS_OK : CS_FAILED;
}

/* The limits both a new and a changed person keep: NULL, or why not. */
static const char *
check_name_roles(const char *name, const char *roles)
{
	size_t len = name ? utf8_chars(name) : 0;

	if (len < 1 || len > STAFF_NAME_MAX)
		return "Name must be 1 to " STR(STAFF_NAME_MAX) " characters long.";
	if (!text_line_ok(name))
		return "A name cannot hold " TEXT_LINE_BANNED ".";
	if (!staff_roles_ok(roles))
		return "Choose at least one role from the list.";
	return NULL;
}

/* The limits of a change: NULL, or why not. */
static const char *
check_person(const struct staff_person *p)
{
	const char *why = check_name_roles(p->name, p->roles), *c;
	size_t langs;

	if (why != NULL)
		return why;
	langs = p->languages && *p->languages ? 1 : 0;
	for (c = p->languages ? p->languages : ""; *c; c++)
		langs += *c == ',';
	if (langs < 1 || langs > STAFF_LANGUAGES_MAX)
		return "List 1 to " STR(STAFF_LANGUAGES_MAX) " languages.";
	if (p->capacity < 0 || p->capacity > STAFF_CAPACITY_MAX)
		return "Capacity must be a whole number from 0 to " STR(STAFF_CAPACITY_MAX) ".";
	if (p->escalation_level < 1 || p->escalation_level > STAFF_LEVEL_MAX)
		return "Escalation level must be a whole number from 1 to " STR(STAFF_LEVEL_MAX) ".";
	if (p->time_zone == NULL || utf8_chars(p->time_zone) > STAFF_ZONE_MAX)
		return "Time zone must be an IANA time zone name, like Europe/Paris or UTC.";
	return NULL;
}

/* The audit record's details for a person's change (a new reference, or NULL). */
static json_t *
person_details(const struct staff_person *p)
{
	json_t *skills = json_array(), *days = json_array();
	size_t i;
	int d;

	/* Each skill as [id, level] (046). */
	for (i = 0; skills != NULL && i < p->nskills; i++)
		json_array_append_new(skills, json_pack("[I, I]", (json_int_t)p->skills[i],
		    (json_int_t)(p->skill_levels != NULL ? p->skill_levels[i] : 1)));
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

/* What a failed statement means here: a team that vanished is refused. */
static enum cs_result
write_failed(struct db *db, const char **why)
{
	if (db_is(db, "23503")) {
		*why = STAFF_WHY_TEAM;
		return CS_REFUSED;
	}
	return db_result(db);
}

/* Sets the skills of person id (already updated) to exactly sk, at levels lv. */
static enum cs_result
set_skills(struct db *db, const char *id, const char *sk, const char *lv)
{
	const char *sp[3] = { id, sk, lv };

	if (db_run(db, &stmts[STMT_SKILLS_PRUNE], sp) < 0 ||
	    db_run(db, &stmts[STMT_SKILLS_ADD], sp) < 0)
		return db_result(db);
	return CS_OK;
}

enum cs_result
staff_update(struct db *db, const struct audit_entry *by, const struct staff_person *p,
    const char **why)
{
	char id[24], team[24], cap[16], level[8], days[16];
	const char *up[12];
	enum cs_result rc = CS_FAILED;
	struct buf sk, lv;
	PGresult *res;
	size_t i, nd = 0;
	int d, was_active;

	*why = NULL;
	if (by->actor_kind == AUDIT_ACTOR_STAFF && p->id == by->actor_id &&
	    (!p->active || !(staff_roles_mask(p->roles) & (1u << STAFF_ADMIN)))) {
		*why = "You cannot remove your own admin role or deactivate yourself.";
		return CS_REFUSED;
	}
	if ((*why = check_person(p)) != NULL)
		return CS_REFUSED;
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
	buf_init(&lv, NULL);
	for (i = 0; i < p->nskills; i++) {
		buf_printf(&sk, "%s%lld", i ? "," : "", p->skills[i]);
		buf_printf(&lv, "%s%lld", i ? "," : "", p->skill_levels != NULL ?
		    p->skill_levels[i] : 1);
	}
	if (buf_failed(&sk) || buf_failed(&lv))
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
	if (db_begin(db) < 0) {
		rc = db_result(db);
		goto out;
	}
	res = db_exec(db, &stmts[STMT_UPDATE], up);
	if (res == NULL) {
		rc = write_failed(db, why);
		goto fail;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		rc = CS_NOT_FOUND;
		goto fail;
	}
	was_active = db_bool(res, 0, UPD_was_active);
	PQclear(res);
	if ((rc = set_skills(db, id, sk.buf, lv.buf)) != CS_OK)
		goto fail;
	/* Out at once: their next request finds no session. */
	if (!p->active && session_staff_end_all(db, p->id, 0) < 0) {
		rc = db_result(db);
		goto fail;
	}
	rc = admin_audit_commit(db, by, was_active == p->active ? "staff.update" :
	    p->active ? "staff.activate" : "staff.deactivate", "staff", p->id, person_details(p));
	goto out;
fail:
	db_rollback(db);
out:
	buf_release(&sk);
	buf_release(&lv);
	return rc;
}

enum cs_result
staff_create(struct db *db, const struct audit_entry *by, const struct staff_new *in,
    long long *id, const char **why)
{
	char team[24];
	const char *p[] = { in->email, in->name, in->password_hash, in->roles,
		in->team_id > 0 ? team : NULL };
	enum cs_result rc;

	*id = 0;
	*why = NULL;
	if ((*why = check_name_roles(in->name, in->roles)) != NULL)
		return CS_REFUSED;
	if (in->email == NULL || strlen(in->email) > STAFF_EMAIL_MAX ||
	    strchr(in->email, '@') == NULL) {
		*why = "Enter a valid e-mail address.";
		return CS_REFUSED;
	}
	snprintf(team, sizeof(team), "%lld", in->team_id);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_id(db, &stmts[STMT_CREATE], p, NEW_id, id);
	if (rc != CS_OK) {
		rc = rc == CS_NOT_FOUND ? CS_FAILED : write_failed(db, why);
		goto fail;
	}
	if ((by != NULL && admin_audit(db, by, "staff.create", "staff", *id,
	    json_pack("{s:s, s:s, s:s, s:I}", "name", in->name, "email", in->email,
	    "roles", in->roles, "team_id", (json_int_t)in->team_id)) != CS_OK) ||
	    db_commit(db) < 0) {
		rc = db_result(db);
		goto fail;
	}
	return CS_OK;
fail:
	*id = 0;
	db_rollback(db);
	return rc;
}

enum cs_result
staff_zone_check(struct db *db, const char *name, const char **why)
{
	enum cs_result rc = system_zone_known(db, name);

	*why = NULL;
	if (rc == CS_NOT_FOUND) {
		*why = "Time zone must be an IANA time zone name, like Europe/Paris or UTC.";
		return CS_REFUSED;
	}
	return rc;
}
