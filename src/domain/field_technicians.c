/* field_technicians.c — technicians' field profiles, certifications and time off; see field_admin.h. */
#include "domain/field_admin.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/events.h"
#include "domain/staff.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define DAYS_WORDS "(SELECT string_agg((ARRAY['Mon','Tue','Wed','Thu','Fri','Sat','Sun'])[d], ' '" \
	" ORDER BY d) FROM unnest(s.work_days) d)"

#define L_COLS(X) \
	X(TL, id, "s.id") X(TL, name, "s.name") \
	X(TL, territory, "coalesce(array_to_string(tc.territory, ', '), '')") \
	X(TL, van, "coalesce(tc.van_label, '')") \
	X(TL, hours, DAYS_WORDS " || ' ' || to_char(s.work_start, 'HH24:MI') || '–'" \
	    " || to_char(s.work_end, 'HH24:MI') || ' ' || s.time_zone") \
	X(TL, profiled, "tc.staff_id IS NOT NULL") X(TL, active, "coalesce(tc.active, false)") \
	X(TL, expired, "(SELECT count(*) FROM technician_certifications x" \
	    " WHERE x.staff_id = s.id AND x.expires_on < current_date)")
enum { DB_COL_ENUM(L_COLS) };

#define P_COLS(X) \
	X(TP, id, "s.id") X(TP, name, "s.name") X(TP, profiled, "tc.staff_id IS NOT NULL") \
	X(TP, active, "coalesce(tc.active, true)") \
	X(TP, buffer, "coalesce(tc.travel_buffer_min, 30)") \
	X(TP, territory, "coalesce(array_to_string(tc.territory, ', '), '')") \
	X(TP, home, "coalesce(tc.home_base, '')") X(TP, van, "coalesce(tc.van_label, '')") \
	X(TP, skills, "coalesce((SELECT string_agg(k.skill || ' ' || k.level, ', ' ORDER BY k.skill)" \
	    " FROM technician_skills k WHERE k.staff_id = s.id), '')") \
	X(TP, days, "array_to_string(s.work_days, ',')") \
	X(TP, start, "to_char(s.work_start, 'HH24:MI')") X(TP, end, "to_char(s.work_end, 'HH24:MI')") \
	X(TP, zone, "s.time_zone")
enum { DB_COL_ENUM(P_COLS) };

#define C_COLS(X) \
	X(TC, id, "id") X(TC, name, "name") X(TC, skill, "skill") \
	X(TC, expires, "coalesce(expires_on::text, '')") \
	X(TC, expired, "coalesce(expires_on < current_date, false)")
enum { DB_COL_ENUM(C_COLS) };

#define O_COLS(X) \
	X(TO, id, "o.id") \
	X(TO, from, "to_char(lower(o.during) AT TIME ZONE s.time_zone, 'YYYY-MM-DD HH24:MI')") \
	X(TO, to, "to_char(upper(o.during) AT TIME ZONE s.time_zone, 'YYYY-MM-DD HH24:MI')") \
	X(TO, reason, "o.reason")
enum { DB_COL_ENUM(O_COLS) };

#define ID_COLS(X) X(TI, id, "id")
enum { DB_COL_ENUM(ID_COLS) };

#define IS_TECH "'technician' = ANY (s.roles) AND s.active"

enum stmt {
	ST_LIST,
	ST_GET,
	ST_CERTS,
	ST_OFF,
	ST_UPSERT,
	ST_HOURS,
	ST_SKILLS_CLEAR,
	ST_SKILL_ADD,
	ST_CERT_ADD,
	ST_CERT_DEL,
	ST_OFF_ADD,
	ST_OFF_DEL,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_LIST] = DB_STMT("field_techs",
	    "SELECT " DB_COLS(L_COLS) " FROM staff s LEFT JOIN technicians tc ON tc.staff_id = s.id"
	    " WHERE " IS_TECH " ORDER BY s.name, s.id LIMIT 500", 0),
	[ST_GET] = DB_STMT("field_tech_get",
	    "SELECT " DB_COLS(P_COLS) " FROM staff s LEFT JOIN technicians tc ON tc.staff_id = s.id"
	    " WHERE s.id = $1::bigint AND " IS_TECH, 1),
	[ST_CERTS] = DB_STMT("field_tech_certs",
	    "SELECT " DB_COLS(C_COLS) " FROM technician_certifications WHERE staff_id = $1::bigint"
	    " ORDER BY expires_on NULLS LAST, id LIMIT 100", 1),
	[ST_OFF] = DB_STMT("field_tech_off",
	    "SELECT " DB_COLS(O_COLS) " FROM technician_time_off o JOIN staff s ON s.id = o.staff_id"
	    " WHERE o.staff_id = $1::bigint AND upper(o.during) > now()"
	    " ORDER BY lower(o.during) LIMIT 100", 1),
	/* Territory entries: split on commas and lines, trimmed, empty ones dropped. */
	[ST_UPSERT] = DB_STMT("field_tech_upsert",
	    "INSERT INTO technicians (staff_id, territory, home_base, van_label, travel_buffer_min,"
	    " active) SELECT $1::bigint, ARRAY(SELECT btrim(x) FROM regexp_split_to_table($2, '[,\n]')"
	    " x WHERE btrim(x) <> ''), $3, $4, $5::int, $6::boolean"
	    " ON CONFLICT (staff_id) DO UPDATE SET territory = excluded.territory,"
	    " home_base = excluded.home_base, van_label = excluded.van_label,"
	    " travel_buffer_min = excluded.travel_buffer_min, active = excluded.active", 6),
	[ST_HOURS] = DB_STMT("field_tech_hours",
	    "UPDATE staff SET work_days = string_to_array($2, ',')::smallint[],"
	    " work_start = $3::time, work_end = $4::time, time_zone = $5"
	    " WHERE id = $1::bigint", 5),
	[ST_SKILLS_CLEAR] = DB_STMT("field_tech_skills_clear",
	    "DELETE FROM technician_skills WHERE staff_id = $1::bigint", 1),
	[ST_SKILL_ADD] = DB_STMT("field_tech_skill_add",
	    "INSERT INTO technician_skills (staff_id, skill, level) VALUES ($1::bigint, $2,"
	    " $3::smallint) ON CONFLICT (staff_id, skill) DO UPDATE SET level = excluded.level", 3),
	[ST_CERT_ADD] = DB_STMT("field_tech_cert_add",
	    "INSERT INTO technician_certifications (staff_id, name, skill, expires_on)"
	    " SELECT staff_id, $2, $3, nullif($4, '')::date FROM technicians"
	    " WHERE staff_id = $1::bigint RETURNING " DB_COLS(ID_COLS), 4),
	[ST_CERT_DEL] = DB_STMT("field_tech_cert_del",
	    "DELETE FROM technician_certifications WHERE id = $2::bigint AND staff_id = $1::bigint",
	    2),
	/* Times without an offset are the technician's wall-clock times (field_at). */
	[ST_OFF_ADD] = DB_STMT("field_tech_off_add",
	    "INSERT INTO technician_time_off (staff_id, during, reason) SELECT tc.staff_id,"
	    " tstzrange(field_at($2, s.time_zone), field_at($3, s.time_zone)), $4"
	    " FROM technicians tc JOIN staff s ON s.id = tc.staff_id WHERE tc.staff_id = $1::bigint"
	    " RETURNING " DB_COLS(ID_COLS), 4),
	[ST_OFF_DEL] = DB_STMT("field_tech_off_del",
	    "DELETE FROM technician_time_off WHERE id = $2::bigint AND staff_id = $1::bigint", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* Appends a "technician.*" event about staff_id in the caller's transaction (o consumed). */
static enum cs_result
tech_event(struct db *db, const struct field_actor *by, long long staff_id, const char *type,
    json_t *o)
{
	struct event_actor e = { by->staff_id > 0 ? "staff" : "system", by->staff_id };
	char *text = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	enum cs_result rc;

	json_decref(o);
	if (text == NULL)
		return CS_FAILED;
	rc = events_append(db, "technician", staff_id, type, &e, text);
	free(text);
	return rc;
}

static enum cs_result
fill_row(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct field_tech_row *o = elem;
	int failed = 0;

	o->staff_id = db_ll(r, i, TL_id);
	o->name = db_str(a, r, i, TL_name, &failed);
	o->territory = db_str(a, r, i, TL_territory, &failed);
	o->van_label = db_str(a, r, i, TL_van, &failed);
	o->hours = db_str(a, r, i, TL_hours, &failed);
	o->profiled = db_bool(r, i, TL_profiled);
	o->active = db_bool(r, i, TL_active);
	o->expired = (int)db_ll(r, i, TL_expired);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
field_techs(struct db *db, struct arena *a, struct field_tech_row **rows, size_t *n)
{
	void *out;
	enum cs_result rc = db_rows(db, a, &stmts[ST_LIST], NULL, sizeof(**rows), fill_row, &out, n);

	*rows = out;
	return rc;
}

static unsigned
days_mask(const char *csv)
{
	unsigned m = 0;
	char *end;

	while (*csv != '\0') {
		long d = strtol(csv, &end, 10);

		if (end == csv)
			break;
		if (d >= 1 && d <= 7)
			m |= 1u << (d - 1);
		csv = *end == ',' ? end + 1 : end;
	}
	return m;
}

static enum cs_result
fill_profile(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct field_tech *o = elem;
	int failed = 0;

	o->staff_id = db_ll(r, i, TP_id);
	o->name = db_str(a, r, i, TP_name, &failed);
	o->profiled = db_bool(r, i, TP_profiled);
	o->active = db_bool(r, i, TP_active);
	o->travel_buffer_min = (int)db_ll(r, i, TP_buffer);
	o->territory = db_str(a, r, i, TP_territory, &failed);
	o->home_base = db_str(a, r, i, TP_home, &failed);
	o->van_label = db_str(a, r, i, TP_van, &failed);
	o->skills = db_str(a, r, i, TP_skills, &failed);
	o->work_days = days_mask(PQgetvalue(r, i, TP_days));
	o->work_start = db_str(a, r, i, TP_start, &failed);
	o->work_end = db_str(a, r, i, TP_end, &failed);
	o->time_zone = db_str(a, r, i, TP_zone, &failed);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
fill_cert(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct field_cert *o = elem;
	int failed = 0;

	o->id = db_ll(r, i, TC_id);
	o->name = db_str(a, r, i, TC_name, &failed);
	o->skill = db_str(a, r, i, TC_skill, &failed);
	o->expires_on = db_str(a, r, i, TC_expires, &failed);
	o->expired = db_bool(r, i, TC_expired);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
fill_off(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct field_off *o = elem;
	int failed = 0;

	o->id = db_ll(r, i, TO_id);
	o->from = db_str(a, r, i, TO_from, &failed);
	o->to = db_str(a, r, i, TO_to, &failed);
	o->reason = db_str(a, r, i, TO_reason, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
field_tech_get(struct db *db, struct arena *a, long long staff_id, struct field_tech *out)
{
	const char *p[] = { db_param_ll(a, staff_id) };
	void *rows;
	enum cs_result rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_one(db, a, &stmts[ST_GET], p, fill_profile, out)) != CS_OK)
		return rc;
	if ((rc = db_rows(db, a, &stmts[ST_CERTS], p, sizeof(*out->certs), fill_cert, &rows,
	    &out->ncerts)) != CS_OK)
		return rc;
	out->certs = rows;
	rc = db_rows(db, a, &stmts[ST_OFF], p, sizeof(*out->off), fill_off, &rows, &out->noff);
	out->off = rows;
	return rc;
}

/* One skill of the form's text ("boiler 4", "boiler:4"): name and level, or a sentence. */
static const char *
parse_skill(struct arena *a, char *item, const char **name, long *level)
{
	char *end, *sep;
	size_t len = strlen(item);

	while (len > 0 && (item[len - 1] == ' ' || item[len - 1] == '\t' || item[len - 1] == '\r'))
		item[--len] = '\0';
	while (*item == ' ' || *item == '\t')
		item++;
	sep = strrchr(item, ':');
	if (sep == NULL)
		sep = strrchr(item, ' ');
	if (sep == NULL || sep[1] == '\0')
		return arena_printf(a, "Give \"%s\" a level from 1 to 5 (\"%s 3\").", item, item);
	*level = strtol(sep + 1, &end, 10);
	if (*end != '\0' || *level < 1 || *level > 5)
		return arena_printf(a, "A skill's level is a number from 1 to 5 (\"%s\").", item);
	*sep = '\0';
	while (sep > item && (sep[-1] == ' ' || sep[-1] == ':'))
		*--sep = '\0';
	if (*item == '\0' || utf8_chars(item) > FIELD_SKILL_NAME_MAX)
		return "A skill has a name of 1 to 100 characters before its level.";
	*name = item;
	return NULL;
}

/* Replaces staff_id's skills with those of text, in the caller's transaction. */
static enum cs_result
save_skills(struct db *db, struct arena *a, long long staff_id, const char *text,
    const char **why)
{
	const char *p[3] = { db_param_ll(a, staff_id), NULL, NULL };
	char *copy = arena_strdup(a, text != NULL ? text : ""), *item, *save = NULL;
	enum cs_result rc;
	int count = 0;

	if (copy == NULL)
		return CS_FAILED;
	if ((rc = db_do(db, &stmts[ST_SKILLS_CLEAR], p)) != CS_OK)
		return rc;
	for (item = strtok_r(copy, ",\n", &save); item != NULL; item = strtok_r(NULL, ",\n", &save)) {
		long level = 0;

		if (strspn(item, " \t\r") == strlen(item))
			continue;
		if (++count > FIELD_SKILLS_MAX) {
			*why = "A technician has at most 50 skills.";
			return CS_REFUSED;
		}
		if ((*why = parse_skill(a, item, &p[1], &level)) != NULL)
			return CS_REFUSED;
		if ((p[2] = db_param_ll(a, level)) == NULL)
			return CS_FAILED;
		if ((rc = db_do(db, &stmts[ST_SKILL_ADD], p)) != CS_OK)
			return rc;
	}
	return CS_OK;
}

static const char *
check_profile(struct db *db, struct arena *a, const struct field_tech_input *in,
    const char **start, const char **end)
{
	const char *why = NULL;

	*start = staff_time_of_day(a, in->work_start);
	*end = staff_time_of_day(a, in->work_end);
	if (in->work_days == 0 || in->work_days > 0x7f)
		return "Choose at least one working day.";
	if (*start == NULL || *end == NULL)
		return "Give the working hours as HH:MM.";
	if (strcmp(*end, *start) <= 0)
		return "The working day ends after it starts.";
	if (in->travel_buffer_min < 0 || in->travel_buffer_min > 240)
		return "The travel buffer is 0 to 240 minutes.";
	if (utf8_chars(in->home_base) > FIELD_HOME_BASE_MAX)
		return "The home base has at most 200 characters.";
	if (utf8_chars(in->van_label) > FIELD_VAN_MAX)
		return "The van's label has at most 100 characters.";
	if (staff_zone_check(db, in->time_zone, &why) != CS_OK)
		return why != NULL ? why : "Choose a time zone PostgreSQL knows (Europe/Paris).";
	return NULL;
}

enum cs_result
field_tech_save(struct db *db, struct arena *a, const struct field_actor *by, long long staff_id,
    const struct field_tech_input *in, const char **why)
{
	const char *start, *end, *days;
	struct buf b;
	enum cs_result rc;
	int d;

	*why = check_profile(db, a, in, &start, &end);
	if (*why != NULL)
		return CS_REFUSED;
	buf_init(&b, a);
	for (d = 1; d <= 7; d++)
		if (in->work_days & (1u << (d - 1)))
			buf_printf(&b, b.len > 0 ? ",%d" : "%d", d);
	days = b.buf;
	{
		const char *sp[] = { db_param_ll(a, staff_id) };
		struct field_tech cur;

		/* Only a technician has a field profile. */
		if ((rc = db_one(db, a, &stmts[ST_GET], sp, fill_profile, &cur)) != CS_OK)
			return rc;
	}
	if (db_begin(db) != 0)
		return db_result(db);
	{
		const char *up[] = { db_param_ll(a, staff_id), in->territory, in->home_base,
			in->van_label, db_param_ll(a, in->travel_buffer_min),
			in->active ? "true" : "false" };
		const char *hp[] = { up[0], days, start, end, in->time_zone };

		rc = db_do(db, &stmts[ST_UPSERT], up);
		if (rc != CS_OK && db_is(db, "23514")) {
			*why = "A territory has at most 100 entries.";
			rc = CS_REFUSED;
		}
		if (rc == CS_OK)
			rc = db_do(db, &stmts[ST_HOURS], hp);
	}
	if (rc == CS_OK)
		rc = save_skills(db, a, staff_id, in->skills, why);
	if (rc == CS_OK)
		rc = tech_event(db, by, staff_id, "technician.profile_saved", json_pack(
		    "{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:b}", "territory", in->territory,
		    "skills", in->skills, "work_days", days, "work_start", start, "work_end", end,
		    "time_zone", in->time_zone, "travel_buffer_min", in->travel_buffer_min,
		    "active", in->active));
	return db_end(db, rc);
}

enum cs_result
field_cert_add(struct db *db, struct arena *a, const struct field_actor *by, long long staff_id,
    const char *name, const char *skill, const char *expires_on, const char **why)
{
	const char *p[] = { db_param_ll(a, staff_id), name, skill != NULL ? skill : "",
		expires_on != NULL ? expires_on : "" };
	long long id = 0;
	enum cs_result rc;

	*why = NULL;
	if (name == NULL || utf8_chars(name) == 0 || utf8_chars(name) > FIELD_CERT_NAME_MAX) {
		*why = "Name the certification (at most 200 characters).";
		return CS_REFUSED;
	}
	if (utf8_chars(p[2]) > FIELD_SKILL_NAME_MAX) {
		*why = "A skill's name has at most 100 characters.";
		return CS_REFUSED;
	}
	if (db_begin(db) != 0)
		return db_result(db);
	rc = db_id(db, &stmts[ST_CERT_ADD], p, TI_id, &id);
	if (rc != CS_OK && rc != CS_NOT_FOUND && (db_is(db, "22007") || db_is(db, "22008"))) {
		*why = "Give the expiry as a date (YYYY-MM-DD), or leave it empty.";
		rc = CS_REFUSED;
	} else if (rc == CS_NOT_FOUND) {
		*why = "Save the technician's profile first.";
		rc = CS_REFUSED;
	}
	if (rc == CS_OK)
		rc = tech_event(db, by, staff_id, "technician.certification_added", json_pack(
		    "{s:I, s:s, s:s, s:s}", "certification_id", (json_int_t)id, "name", name,
		    "skill", p[2], "expires_on", p[3]));
	return db_end(db, rc);
}

/* Deletes row id of staff_id with st and records type: CS_OK or CS_NOT_FOUND. */
static enum cs_result
remove_one(struct db *db, struct arena *a, const struct field_actor *by, long long staff_id,
    long long id, enum stmt st, const char *type, const char *key)
{
	const char *p[] = { db_param_ll(a, staff_id), db_param_ll(a, id) };
	enum cs_result rc;

	if (db_begin(db) != 0)
		return db_result(db);
	rc = db_update_one(db, &stmts[st], p);
	if (rc == CS_OK)
		rc = tech_event(db, by, staff_id, type, json_pack("{s:I}", key, (json_int_t)id));
	return db_end(db, rc);
}

enum cs_result
field_cert_remove(struct db *db, struct arena *a, const struct field_actor *by,
    long long staff_id, long long cert_id)
{
	return remove_one(db, a, by, staff_id, cert_id, ST_CERT_DEL,
	    "technician.certification_removed", "certification_id");
}

enum cs_result
field_off_add(struct db *db, struct arena *a, const struct field_actor *by, long long staff_id,
    const char *from, const char *to, const char *reason, const char **why)
{
	const char *p[] = { db_param_ll(a, staff_id), from, to, reason != NULL ? reason : "" };
	long long id = 0;
	enum cs_result rc;

	*why = NULL;
	if (utf8_chars(p[3]) > FIELD_TEXT_MAX) {
		*why = "A reason has at most 500 characters.";
		return CS_REFUSED;
	}
	if (db_begin(db) != 0)
		return db_result(db);
	rc = db_id(db, &stmts[ST_OFF_ADD], p, TI_id, &id);
	/* The exclusion constraint on technician_time_off is the rule. */
	if (rc != CS_OK && db_is(db, "23P01")) {
		*why = "That overlaps time off the technician already has.";
		rc = CS_REFUSED;
	} else if (rc != CS_OK && (db_is(db, "23514") || db_is(db, "22000") ||
	    db_is(db, "22007") || db_is(db, "22008") || db_is(db, "22P02"))) {
		*why = "Give a start and an end (the end after the start) as dates and times.";
		rc = CS_REFUSED;
	} else if (rc == CS_NOT_FOUND) {
		*why = "Save the technician's profile first.";
		rc = CS_REFUSED;
	}
	if (rc == CS_OK)
		rc = tech_event(db, by, staff_id, "technician.time_off_added", json_pack(
		    "{s:I, s:s, s:s, s:s}", "time_off_id", (json_int_t)id, "from", from, "to", to,
		    "reason", p[3]));
	return db_end(db, rc);
}

enum cs_result
field_off_remove(struct db *db, struct arena *a, const struct field_actor *by,
    long long staff_id, long long off_id)
{
	return remove_one(db, a, by, staff_id, off_id, ST_OFF_DEL, "technician.time_off_removed",
	    "time_off_id");
}
