/* sla_calendars.c — see sla_calendars.h. */
#include "domain/sla_calendars.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/audit.h"
#include "domain/sla_words.h"
#include "domain/system.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *const day_names[7] = { "Monday", "Tuesday", "Wednesday", "Thursday",
	"Friday", "Saturday", "Sunday" };
static const char *const hours_fields[7] = { "hours_1", "hours_2", "hours_3", "hours_4",
	"hours_5", "hours_6", "hours_7" };

#define CAL_COLS(X) \
	X(CL, id, "id") X(CL, name, "name") X(CL, zone, "time_zone") \
	X(CL, always_open, "always_open") X(CL, day_minutes, "day_minutes")
enum { DB_COL_ENUM(CAL_COLS) };
/* An interval in minutes from local midnight ('24:00' reads as 1440). */
#define HOUR_COLS(X) \
	X(HR, calendar, "calendar_id") X(HR, weekday, "weekday") \
	X(HR, opens, "extract(epoch FROM opens)::integer / 60") \
	X(HR, closes, "extract(epoch FROM closes)::integer / 60")
enum { DB_COL_ENUM(HOUR_COLS) };
#define HOLIDAY_COLS(X) X(HD, day, "day::text") X(HD, name, "name")
enum { DB_COL_ENUM(HOLIDAY_COLS) };
#define DAY_COLS(X) X(DY, minutes, "day_minutes")
enum { DB_COL_ENUM(DAY_COLS) };

enum stmt {
	ST_LIST,
	ST_GET,
	ST_ALL_HOURS,
	ST_HOURS,
	ST_HOLIDAYS,
	ST_DAY_MINUTES,
	ST_OPTIONS,
	ST_INSERT,
	ST_UPDATE,
	ST_HOURS_CLEAR,
	ST_HOUR_ADD,
	ST_HOLIDAYS_CLEAR,
	ST_HOLIDAY_ADD,
	ST_RECOMPUTE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_LIST] = DB_STMT("sla_calendar_list",
	    "SELECT " DB_COLS(CAL_COLS) " FROM business_calendars ORDER BY lower(name), id", 0),
	[ST_GET] = DB_STMT("sla_calendar_get",
	    "SELECT " DB_COLS(CAL_COLS) " FROM business_calendars WHERE id = $1", 1),
	[ST_ALL_HOURS] = DB_STMT("sla_calendar_all_hours",
	    "SELECT " DB_COLS(HOUR_COLS) " FROM calendar_hours"
	    " ORDER BY calendar_id, weekday, opens", 0),
	[ST_HOURS] = DB_STMT("sla_calendar_hours",
	    "SELECT " DB_COLS(HOUR_COLS) " FROM calendar_hours WHERE calendar_id = $1"
	    " ORDER BY weekday, opens", 1),
	[ST_HOLIDAYS] = DB_STMT("sla_calendar_holidays",
	    "SELECT " DB_COLS(HOLIDAY_COLS) " FROM calendar_holidays WHERE calendar_id = $1"
	    " ORDER BY day", 1),
	[ST_DAY_MINUTES] = DB_STMT("sla_calendar_day_minutes",
	    "SELECT " DB_COLS(DAY_COLS) " FROM business_calendars WHERE id = $1", 1),
	/* An option list: an id and a name, the shape db_options reads. */
	[ST_OPTIONS] = DB_STMT("sla_calendar_options",
	    "SELECT id, name FROM business_calendars ORDER BY lower(name), id", 0),
	[ST_INSERT] = DB_STMT("sla_calendar_insert",
	    "INSERT INTO business_calendars (name, time_zone, always_open, day_minutes)"
	    " VALUES ($1, $2, $3, $4) RETURNING " DB_COLS(SLA_ID_COLS), 4),
	[ST_UPDATE] = DB_STMT("sla_calendar_update",
	    "UPDATE business_calendars SET name = $2, time_zone = $3, always_open = $4,"
	    " day_minutes = $5 WHERE id = $1 RETURNING " DB_COLS(SLA_ID_COLS), 5),
	[ST_HOURS_CLEAR] = DB_STMT("sla_calendar_hours_clear",
	    "DELETE FROM calendar_hours WHERE calendar_id = $1", 1),
	[ST_HOUR_ADD] = DB_STMT("sla_calendar_hour_add",
	    "INSERT INTO calendar_hours (calendar_id, weekday, opens, closes)"
	    " VALUES ($1, $2, make_interval(mins => $3::integer)::time,"
	    " CASE WHEN $4::integer = 1440 THEN '24:00'::time"
	    " ELSE make_interval(mins => $4::integer)::time END)", 4),
	[ST_HOLIDAYS_CLEAR] = DB_STMT("sla_calendar_holidays_clear",
	    "DELETE FROM calendar_holidays WHERE calendar_id = $1", 1),
	[ST_HOLIDAY_ADD] = DB_STMT("sla_calendar_holiday_add",
	    "INSERT INTO calendar_holidays (calendar_id, day, name) VALUES ($1, $2::date, $3)"
	    " ON CONFLICT (calendar_id, day) DO UPDATE SET name = excluded.name", 3),
	/* The batch moves the tickets' due times (sla_recompute_due). */
	[ST_RECOMPUTE] = DB_STMT("sla_calendar_recompute",
	    "SELECT count(sla_queue_recompute(priority, 'calendar ' || $2::text || ' changed'))"
	    " FROM (SELECT DISTINCT priority FROM sla_policies WHERE calendar_id = $1) p", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* ---- reading ------------------------------------------------------------- */

static enum cs_result
fill_calendar(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct sla_calendar *c = elem;
	int failed = 0;

	memset(c, 0, sizeof(*c));
	c->id = db_ll(r, i, CL_id);
	c->name = db_str(a, r, i, CL_name, &failed);
	c->zone = db_str(a, r, i, CL_zone, &failed);
	c->always_open = db_bool(r, i, CL_always_open);
	c->day_minutes = (int)db_ll(r, i, CL_day_minutes);
	return failed ? CS_FAILED : CS_OK;
}

struct hour_row {
	long long calendar;
	int weekday, opens, closes;
};

static enum cs_result
fill_hour(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct hour_row *h = elem;

	(void)a;
	h->calendar = db_ll(r, i, HR_calendar);
	h->weekday = (int)db_ll(r, i, HR_weekday);
	h->opens = (int)db_ll(r, i, HR_opens);
	h->closes = (int)db_ll(r, i, HR_closes);
	return CS_OK;
}

static enum cs_result
fill_holiday(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct sla_holiday *h = elem;
	int failed = 0;

	snprintf(h->day, sizeof(h->day), "%s", PQgetvalue(r, i, HD_day));
	h->name = db_str(a, r, i, HD_name, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
sla_calendar_list(struct db *db, struct arena *a, struct sla_calendar **out, size_t *n)
{
	struct hour_row *h;
	void *rows;
	size_t nh, i, k;
	enum cs_result rc;

	rc = db_rows(db, a, &stmts[ST_LIST], NULL, sizeof(**out), fill_calendar, &rows, n);
	*out = rows;
	if (rc != CS_OK)
		return rc;
	if ((rc = db_rows(db, a, &stmts[ST_ALL_HOURS], NULL, sizeof(*h), fill_hour, &rows,
	    &nh)) != CS_OK)
		return rc;
	h = rows;
	for (i = 0; i < nh; i++)
		for (k = 0; k < *n; k++)
			if ((*out)[k].id == h[i].calendar)
				sla_week_add(&(*out)[k].week, h[i].weekday, h[i].opens, h[i].closes);
	for (k = 0; k < *n; k++)
		(*out)[k].summary = sla_hours_words(a, (*out)[k].always_open, &(*out)[k].week);
	return CS_OK;
}

enum cs_result
sla_calendar_week(struct db *db, struct arena *a, long long id, struct sla_week *w)
{
	const char *p[] = { db_param_ll(a, id) };
	struct hour_row *h;
	void *rows;
	size_t n, i;
	enum cs_result rc;

	memset(w, 0, sizeof(*w));
	if (p[0] == NULL)
		return CS_FAILED;
	if ((rc = db_rows(db, a, &stmts[ST_HOURS], p, sizeof(*h), fill_hour, &rows, &n)) != CS_OK)
		return rc;
	h = rows;
	for (i = 0; i < n; i++)
		sla_week_add(w, h[i].weekday, h[i].opens, h[i].closes);
	return CS_OK;
}

enum cs_result
sla_calendar_get(struct db *db, struct arena *a, long long id, struct sla_calendar *c)
{
	const char *p[] = { db_param_ll(a, id) };
	PGresult *r;
	void *rows;
	enum cs_result rc;

	memset(c, 0, sizeof(*c));
	if (p[0] == NULL)
		return CS_FAILED;
	if ((r = db_exec(db, &stmts[ST_GET], p)) == NULL)
		return db_result(db);
	rc = PQntuples(r) != 1 ? CS_NOT_FOUND : fill_calendar(a, r, 0, c) != CS_OK ? CS_FAILED : CS_OK;
	PQclear(r);
	if (rc != CS_OK || (rc = sla_calendar_week(db, a, id, &c->week)) != CS_OK)
		return rc;
	c->summary = sla_hours_words(a, c->always_open, &c->week);
	rc = db_rows(db, a, &stmts[ST_HOLIDAYS], p, sizeof(*c->holidays), fill_holiday, &rows,
	    &c->nholidays);
	c->holidays = rows;
	return rc;
}

enum cs_result
sla_calendar_day_minutes(struct db *db, long long id, int *day_minutes)
{
	char ids[24];
	const char *p[] = { ids };
	PGresult *r;
	enum cs_result rc = CS_NOT_FOUND;

	*day_minutes = 0;
	snprintf(ids, sizeof(ids), "%lld", id);
	if ((r = db_exec(db, &stmts[ST_DAY_MINUTES], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) == 1) {
		*day_minutes = (int)db_ll(r, 0, DY_minutes);
		rc = CS_OK;
	}
	PQclear(r);
	return rc;
}

enum cs_result
sla_calendar_options(struct db *db, struct arena *a, struct db_option **out, size_t *n)
{
	return db_options(db, a, &stmts[ST_OPTIONS], NULL, out, n);
}

/* ---- checking ------------------------------------------------------------ */

/* Each weekday's hours into out->week; some hours unless always open. */
static void
check_hours(struct arena *a, const struct sla_calendar_input *in, struct sla_calendar *out,
    struct sla_why *why)
{
	const char *msg;
	size_t total = 0;
	int d, bad = 0;

	for (d = 0; d < 7; d++) {
		const char *text = in->hours[d] != NULL ? in->hours[d] : "";

		if (utf8_chars(text) > SLA_HOURS_TEXT_MAX) {
			sla_why_add(why, hours_fields[d], "Too long: at most "
			    SLA_STR(SLA_HOURS_TEXT_MAX) " characters a day.");
			bad = 1;
		} else if (sla_parse_intervals(text, out->week.day[d], SLA_INTERVALS_MAX,
		    &out->week.n[d], &msg) != CS_OK) {
			sla_why_add(why, hours_fields[d], arena_printf(a, "%s: %s", day_names[d],
			    msg != NULL ? msg : "not accepted"));
			bad = 1;
		}
		total += out->week.n[d];
	}
	if (!in->always_open && total == 0 && !bad)
		sla_why_add(why, hours_fields[0], "Give opening hours for at least one day, or "
		    "choose \"open around the clock\".");
}

/* The holidays, parsed into an array in a. CS_OK, or CS_FAILED when out of memory. */
static enum cs_result
check_holidays(struct arena *a, const char *text, struct sla_calendar *out, struct sla_why *why)
{
	const char *msg = NULL;
	enum cs_result rc;

	if (text == NULL)
		text = "";
	if (utf8_chars(text) > SLA_HOLIDAYS_TEXT_MAX) {
		sla_why_add(why, "holidays", "Holidays must be at most "
		    SLA_STR(SLA_HOLIDAYS_TEXT_MAX) " characters long.");
		return CS_OK;
	}
	if ((out->holidays = arena_calloc(a, SLA_HOLIDAYS_MAX, sizeof(*out->holidays))) == NULL)
		return CS_FAILED;
	rc = sla_parse_holidays(a, text, out->holidays, SLA_HOLIDAYS_MAX, &out->nholidays, &msg);
	if (rc == CS_REFUSED)
		sla_why_add(why, "holidays", msg);
	return rc == CS_FAILED ? CS_FAILED : CS_OK;
}

enum cs_result
sla_calendar_check(struct db *db, struct arena *a, const struct sla_calendar_input *in,
    struct sla_calendar *out, struct sla_why *why)
{
	const char *zone = in->zone != NULL ? in->zone : "";
	size_t zlen = utf8_chars(zone);
	enum cs_result rc;

	memset(out, 0, sizeof(*out));
	out->name = in->name != NULL ? in->name : "";
	out->zone = zone;
	out->always_open = in->always_open;
	out->day_minutes = (int)in->day_minutes;
	sla_admin_check_name(why, out->name);
	if (zlen == 0)
		sla_why_add(why, "time_zone", "Time zone is required.");
	else if (zlen > SLA_ZONE_MAX)
		sla_why_add(why, "time_zone", "Time zone must be at most "
		    SLA_STR(SLA_ZONE_MAX) " characters long.");
	if (in->day_minutes < 1 || in->day_minutes > SLA_DAY_MINUTES_MAX)
		sla_why_add(why, "day_minutes", "Length of a business day must be a whole number "
		    "from 1 to " SLA_STR(SLA_DAY_MINUTES_MAX) ".");
	check_hours(a, in, out, why);
	if ((rc = check_holidays(a, in->holidays, out, why)) != CS_OK)
		return rc;
	if (zlen > 0 && zlen <= SLA_ZONE_MAX) {
		if ((rc = system_zone_known(db, zone)) == CS_NOT_FOUND)
			sla_why_add(why, "time_zone", "Unknown time zone: use an IANA name such as "
			    "Europe/Berlin or America/New_York.");
		else if (rc != CS_OK)
			return rc;
	}
	return why->n > 0 ? CS_REFUSED : CS_OK;
}

/* ---- saving -------------------------------------------------------------- */

/* The calendar's hours and holidays in place of what it had; its tickets queued. */
static enum cs_result
write_rest(struct db *db, struct arena *a, const struct sla_calendar *c, const char *ids)
{
	const char *p1[] = { ids }, *p2[] = { ids, c->name };
	size_t d, i;

	if (db_run(db, &stmts[ST_HOURS_CLEAR], p1) < 0 ||
	    db_run(db, &stmts[ST_HOLIDAYS_CLEAR], p1) < 0)
		return db_result(db);
	for (d = 0; d < 7; d++)
		for (i = 0; i < c->week.n[d]; i++) {
			const char *p[] = { ids, db_param_ll(a, (long long)d + 1),
				db_param_ll(a, c->week.day[d][i].opens),
				db_param_ll(a, c->week.day[d][i].closes) };

			if (p[1] == NULL || p[2] == NULL || p[3] == NULL)
				return CS_FAILED;
			if (db_run(db, &stmts[ST_HOUR_ADD], p) < 0)
				return db_result(db);
		}
	for (i = 0; i < c->nholidays; i++) {
		const char *p[] = { ids, c->holidays[i].day, c->holidays[i].name };

		if (db_run(db, &stmts[ST_HOLIDAY_ADD], p) < 0)
			return db_result(db);
	}
	return db_run(db, &stmts[ST_RECOMPUTE], p2) < 0 ? db_result(db) : CS_OK;
}

/* Creates (*id 0) or replaces calendar *id. */
static enum cs_result
save(struct db *db, struct arena *a, const struct audit_entry *by,
    const struct sla_calendar_input *in, long long *id, struct sla_why *why)
{
	struct sla_calendar c;
	const char *dm, *ids, *open;
	long long was = *id;
	enum cs_result rc;

	if ((rc = sla_calendar_check(db, a, in, &c, why)) != CS_OK)
		return rc;
	dm = db_param_ll(a, c.day_minutes);
	ids = db_param_ll(a, was);
	open = c.always_open ? "t" : "f";
	if (dm == NULL || ids == NULL)
		return CS_FAILED;
	if (db_begin(db) < 0)
		return db_result(db);
	if (was == 0) {
		const char *p[] = { c.name, c.zone, open, dm };

		rc = sla_admin_write(db, &stmts[ST_INSERT], p, id);
		if (rc == CS_NOT_FOUND)
			rc = CS_FAILED;
	} else {
		const char *p[] = { ids, c.name, c.zone, open, dm };

		rc = sla_admin_write(db, &stmts[ST_UPDATE], p, id);
	}
	if (rc == CS_TAKEN)
		sla_why_add(why, "name", "Another calendar has this name.");
	if (rc == CS_OK && (ids = db_param_ll(a, *id)) == NULL)
		rc = CS_FAILED;
	if (rc == CS_OK)
		rc = write_rest(db, a, &c, ids);
	if (rc != CS_OK) {
		db_rollback(db);
		return rc;
	}
	return admin_audit_commit(db, by, was == 0 ? "calendar.create" : "calendar.update",
	    "business_calendar", *id, json_pack("{s:s, s:s, s:b, s:i, s:i}", "name", c.name,
	    "time_zone", c.zone, "always_open", c.always_open, "day_minutes", c.day_minutes,
	    "holidays", (int)c.nholidays));
}

enum cs_result
sla_calendar_create(struct db *db, struct arena *a, const struct audit_entry *by,
    const struct sla_calendar_input *in, long long *id, struct sla_why *why)
{
	enum cs_result rc;

	*id = 0;
	if ((rc = save(db, a, by, in, id, why)) != CS_OK)
		*id = 0;
	return rc;
}

enum cs_result
sla_calendar_update(struct db *db, struct arena *a, const struct audit_entry *by, long long id,
    const struct sla_calendar_input *in, struct sla_why *why)
{
	long long got = id;

	return save(db, a, by, in, &got, why);
}
