/* report_schedule.c — see report_schedule.h. */
#include "domain/report_schedule.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/analytics.h"
#include "domain/kpi.h"
#include "domain/notify.h"
#include "domain/report_defs.h"
#include "domain/report_export.h"
#include "domain/system.h"
#include "tmpl/tval.h"

#include <stdio.h>
#include <string.h>

enum stmt {
	ST_COUNT,
	ST_INSERT,
	ST_DELETE,
	ST_LIST,
	ST_DUE,
	ST_LOCK,
	ST_ADVANCE,
	ST_ALERT_TO,
	ST__MAX
};

#define SUB_COLS(X) \
	X(RS, id, "s.id") X(RS, report, "s.report") X(RS, dim, "s.dimension") \
	X(RS, grain, "s.grain") X(RS, frequency, "s.frequency") X(RS, zone, "s.time_zone") \
	X(RS, weekday, "coalesce(s.weekday, 0)") X(RS, monthday, "coalesce(s.monthday, 0)") \
	X(RS, hour, "s.hour") X(RS, skip_empty, "s.skip_empty") X(RS, alerts, "s.alerts") \
	X(RS, next_run, "to_char(s.next_run_at AT TIME ZONE s.time_zone, 'YYYY-MM-DD HH24:MI')") \
	X(RS, attachment, "s.attachment")
enum { DB_COL_ENUM(SUB_COLS) };

/* A due subscription, its recipient and the period just ended (local dates). */
#define DUE_COLS(X) \
	X(DU, id, "s.id") X(DU, report, "s.report") X(DU, dim, "s.dimension") \
	X(DU, grain, "s.grain") X(DU, skip_empty, "s.skip_empty") X(DU, name, "st.name") \
	X(DU, email, "st.email") \
	X(DU, from, "to_char(CASE s.frequency WHEN 'daily' THEN p.last" \
	    " WHEN 'weekly' THEN p.last - 6 ELSE (p.last + 1 - interval '1 month')::date END," \
	    " 'YYYY-MM-DD')") \
	X(DU, to, "to_char(p.last, 'YYYY-MM-DD')") X(DU, attachment, "s.attachment")
enum { DB_COL_ENUM(DUE_COLS) };

#define PERSON_COLS(X) X(PE, name, "st.name") X(PE, email, "st.email")
enum { DB_COL_ENUM(PERSON_COLS) };

#define NOW "coalesce($1::timestamptz, now())"

static struct db_stmt stmts[] = {
	[ST_COUNT] = DB_STMT("report_subs_count",
	    "SELECT count(*) FROM report_subscriptions WHERE staff_id = $1", 1),
	[ST_INSERT] = DB_STMT("report_subs_insert",
	    "INSERT INTO report_subscriptions (staff_id, report, dimension, grain, frequency,"
	    " weekday, monthday, hour, time_zone, skip_empty, alerts, attachment, next_run_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6::smallint, $7::smallint, $8::smallint, $9, $10, $11,"
	    " $12, report_next_run($5, $6::integer, $7::integer, $8::integer, $9, now()))"
	    " RETURNING id", 12),
	[ST_DELETE] = DB_STMT("report_subs_delete",
	    "DELETE FROM report_subscriptions WHERE id = $1 AND staff_id = $2", 2),
	[ST_LIST] = DB_STMT("report_subs_list",
	    "SELECT " DB_COLS(SUB_COLS) " FROM report_subscriptions s WHERE s.staff_id = $1"
	    " ORDER BY s.id", 1),
	[ST_DUE] = DB_STMT("report_subs_due",
	    "SELECT " DB_COLS(DUE_COLS) " FROM report_subscriptions s"
	    " JOIN staff st ON st.id = s.staff_id AND st.active,"
	    " LATERAL (SELECT (s.next_run_at AT TIME ZONE s.time_zone)::date - 1 AS last) p"
	    " WHERE s.next_run_at <= " NOW " ORDER BY s.next_run_at, s.id LIMIT 50", 1),
	/* Taken by this run: another batch at the same time skips it. */
	[ST_LOCK] = DB_STMT("report_subs_lock",
	    "SELECT 1 FROM report_subscriptions WHERE id = $2 AND next_run_at <= " NOW
	    " FOR UPDATE SKIP LOCKED", 2),
	[ST_ADVANCE] = DB_STMT("report_subs_advance",
	    "UPDATE report_subscriptions SET next_run_at = report_next_run(frequency,"
	    " weekday, monthday, hour, time_zone, " NOW "),"
	    " last_sent_at = CASE WHEN $3::boolean THEN " NOW " ELSE last_sent_at END"
	    " WHERE id = $2", 3),
	[ST_ALERT_TO] = DB_STMT("report_subs_alert_to",
	    "SELECT " DB_COLS(PERSON_COLS) " FROM staff st WHERE st.active AND EXISTS (SELECT 1"
	    " FROM report_subscriptions s WHERE s.staff_id = st.id AND s.alerts)"
	    " ORDER BY st.id", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");
_Static_assert(REPORT_RUN_MAX == 50, "ST_DUE's LIMIT");

static const char *const frequencies[] = { "daily", "weekly", "monthly" };

static struct {
	const struct tmpl_set *set;
	const char *site_name, *base_url;
} env;

void
report_mail_setup(const struct tmpl_set *set, const char *site_name, const char *base_url)
{
	env.set = set;
	env.site_name = site_name;
	env.base_url = base_url;
}

/* CS_REFUSED with the sentence and field, for the checks below. */
static enum cs_result
refuse(const char **why, const char **field, const char *sentence, const char *name)
{
	*why = sentence;
	*field = name;
	return CS_REFUSED;
}

/* Checks in against the lists and ranges; CS_OK or CS_REFUSED. */
static enum cs_result
check(const struct report_sub_input *in, const char **why, const char **field)
{
	size_t f;

	if (report_parse(in->report) == REPORT__MAX)
		return refuse(why, field, "Choose a report from the list.", "report");
	if (analytics_dim_parse(in->dim) == AD__MAX)
		return refuse(why, field, "Choose a dimension from the list.", "by");
	if (analytics_grain_parse(in->grain) == AG__MAX)
		return refuse(why, field, "Choose day, week or month.", "grain");
	for (f = 0; f < 3 && (in->frequency == NULL || strcmp(in->frequency, frequencies[f]) != 0);
	    f++)
		;
	if (f == 3)
		return refuse(why, field, "Choose daily, weekly or monthly.", "frequency");
	if (f == 1 && (in->weekday < 1 || in->weekday > 7))
		return refuse(why, field, "Choose the day of the week.", "weekday");
	if (f == 2 && (in->monthday < 1 || in->monthday > 28))
		return refuse(why, field, "Choose a day of the month from 1 to 28.", "monthday");
	if (in->hour < 0 || in->hour > 23)
		return refuse(why, field, "Choose an hour from 0 to 23.", "hour");
	if (in->attachment == NULL || (strcmp(in->attachment, "xlsx") != 0 &&
	    strcmp(in->attachment, "pdf") != 0))
		return refuse(why, field, "Choose XLSX or PDF for the attached file.", "attachment");
	return CS_OK;
}

enum cs_result
report_subscribe(struct db *db, long long staff_id, const struct report_sub_input *in,
    long long *id, const char **why, const char **field)
{
	char sid[24], wd[8], md[8], hr[8];
	int weekly = in->frequency != NULL && strcmp(in->frequency, "weekly") == 0;
	int monthly = in->frequency != NULL && strcmp(in->frequency, "monthly") == 0;
	const char *p[] = { sid, in->report, in->dim, in->grain, in->frequency,
		weekly ? wd : NULL, monthly ? md : NULL, hr, in->time_zone,
		in->skip_empty ? "true" : "false", in->alerts ? "true" : "false", in->attachment };
	PGresult *r;
	enum cs_result rc;
	long long count;

	*id = 0;
	*why = *field = NULL;
	if ((rc = check(in, why, field)) != CS_OK)
		return rc;
	snprintf(sid, sizeof(sid), "%lld", staff_id);
	snprintf(wd, sizeof(wd), "%d", in->weekday);
	snprintf(md, sizeof(md), "%d", in->monthday);
	snprintf(hr, sizeof(hr), "%d", in->hour);
	if ((rc = system_zone_known(db, in->time_zone)) == CS_NOT_FOUND)
		return refuse(why, field,
		    "Give a time zone by its name, like Europe/Paris or America/New_York.",
		    "time_zone");
	if (rc != CS_OK)
		return rc;
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_COUNT], p)) == NULL)
		return db_end(db, db_result(db));
	count = db_ll(r, 0, 0);
	PQclear(r);
	if (count >= REPORT_SUBS_MAX)
		return db_end(db, refuse(why, field,
		    "You have 20 subscriptions already: end one first.", "report"));
	rc = db_id(db, &stmts[ST_INSERT], p, 0, id);
	return db_end(db, rc);
}

enum cs_result
report_unsubscribe(struct db *db, long long staff_id, long long id)
{
	char sid[24], iid[24];
	const char *p[] = { iid, sid };

	snprintf(sid, sizeof(sid), "%lld", staff_id);
	snprintf(iid, sizeof(iid), "%lld", id);
	return db_update_one(db, &stmts[ST_DELETE], p);
}

static enum cs_result
fill_sub(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct report_sub *s = elem;
	int failed = 0;

	s->id = db_ll(r, i, RS_id);
	s->report = db_str(a, r, i, RS_report, &failed);
	s->dim = db_str(a, r, i, RS_dim, &failed);
	s->grain = db_str(a, r, i, RS_grain, &failed);
	s->frequency = db_str(a, r, i, RS_frequency, &failed);
	s->time_zone = db_str(a, r, i, RS_zone, &failed);
	s->weekday = (int)db_ll(r, i, RS_weekday);
	s->monthday = (int)db_ll(r, i, RS_monthday);
	s->hour = (int)db_ll(r, i, RS_hour);
	s->skip_empty = db_bool(r, i, RS_skip_empty);
	s->alerts = db_bool(r, i, RS_alerts);
	s->next_run = db_str(a, r, i, RS_next_run, &failed);
	s->attachment = db_str(a, r, i, RS_attachment, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
report_subs_list(struct db *db, struct arena *a, long long staff_id, struct report_sub **out,
    size_t *n)
{
	char sid[24];
	const char *p[] = { sid };
	void *got;
	enum cs_result rc;

	snprintf(sid, sizeof(sid), "%lld", staff_id);
	rc = db_rows(db, a, &stmts[ST_LIST], p, sizeof(**out), fill_sub, &got, n);
	*out = got;
	return rc;
}

/* Whether every value of the report's metrics over the period is nothing or zero. */
static int
empty(const struct report_def *d, const struct analytics_table *t)
{
	size_t i, m;

	for (i = 0; i < t->ntotals; i++)
		for (m = 0; m < d->nmetrics; m++) {
			const char *v = t->totals[i].v[d->metrics[m]];

			if (v != NULL && strspn(v, "0.") != strlen(v))
				return 0;
		}
	return 1;
}

/* The mail's context: the report, its period and its totals, metric by metric. */
static struct tval *
report_ctx(struct arena *a, const struct report_def *d, const struct analytics_table *t,
    const char *name, const char *query, const char *file)
{
	struct tval *ctx = tval_map(a), *rows = tval_list(a), *site = tval_map(a);
	size_t i, m;
	int rc = ctx == NULL || rows == NULL || site == NULL;

	for (i = 0; i < t->ntotals; i++) {
		struct tval *row = tval_map(a), *vals = tval_list(a);

		rc |= tval_set_str(a, row, "name", t->totals[i].name);
		for (m = 0; m < d->nmetrics; m++) {
			const struct metric_def *md = metric_def(d->metrics[m]);
			const char *v = t->totals[i].v[d->metrics[m]];
			struct tval *o = tval_map(a);

			rc |= tval_set_str(a, o, "label", md->label);
			rc |= tval_set_str(a, o, "value", v != NULL ? v : "–");
			rc |= tval_set_str(a, o, "unit", v != NULL ? metric_unit_suffix(md->unit) : "");
			rc |= tval_push(a, vals, o);
		}
		rc |= tval_set(a, row, "values", vals);
		rc |= tval_push(a, rows, row);
	}
	rc |= tval_set_str(a, site, "name", env.site_name);
	rc |= tval_set(a, ctx, "site", site);
	rc |= tval_set_str(a, ctx, "name", name);
	rc |= tval_set_str(a, ctx, "title", d->title);
	rc |= tval_set_str(a, ctx, "from", t->f.from);
	rc |= tval_set_str(a, ctx, "to", t->f.to);
	rc |= tval_set_str(a, ctx, "by", analytics_dim_label(t->f.dim));
	rc |= tval_set_str(a, ctx, "file", file);
	rc |= tval_set(a, ctx, "rows", rows);
	rc |= tval_set_str(a, ctx, "link", arena_printf(a, "%s/agent/analytics?%s", env.base_url,
	    query));
	rc |= tval_set_str(a, ctx, "definitions", arena_printf(a, "%s/agent/metrics",
	    env.base_url));
	return rc ? NULL : ctx;
}

/* The due subscription in row i of due: mailed (or skipped) and moved on, in one transaction. */
static enum cs_result
run_one(struct db *db, struct arena *a, const char *zone, const char *now, const PGresult *due,
    int i, long *sent, long *skipped)
{
	const char *id = PQgetvalue(due, i, DU_id);
	const struct report_def *d = report_def(report_parse(PQgetvalue(due, i, DU_report)));
	struct analytics_filter f = { analytics_dim_parse(PQgetvalue(due, i, DU_dim)),
		analytics_grain_parse(PQgetvalue(due, i, DU_grain)),
		PQgetvalue(due, i, DU_from), PQgetvalue(due, i, DU_to), 0 };
	struct analytics_table t;
	const char *why, *p[] = { now, id, "false" };
	struct tval *ctx;
	PGresult *r;
	enum cs_result rc = CS_OK;
	int mail;

	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_LOCK], p)) == NULL)
		return db_end(db, db_result(db));
	mail = PQntuples(r) == 1;
	PQclear(r);
	if (!mail)
		return db_end(db, CS_OK);
	/* A subscription that no longer makes sense (a report gone) is moved on, not mailed. */
	if (d != NULL && (rc = analytics_table(db, a, zone, &f, &t, &why)) != CS_OK &&
	    rc != CS_REFUSED)
		return db_end(db, rc);
	mail = d != NULL && rc == CS_OK;
	if (mail && db_bool(due, i, DU_skip_empty) && empty(d, &t)) {
		mail = 0;
		(*skipped)++;
	}
	if (mail) {
		const char *q = arena_printf(a, "report=%s&by=%s&grain=%s&from=%s&to=%s", d->id,
		    analytics_dim_name(t.f.dim), analytics_grain_name(t.f.grain), t.f.from, t.f.to);
		enum report_format rf = report_format_parse(PQgetvalue(due, i, DU_attachment));
		struct notify_file file;
		struct buf data;

		/* The attachment is the export of the very table the body summarises. */
		buf_init(&data, a);
		if (rf == RF__MAX || (rc = report_export(d, &t, rf, &data)) != CS_OK)
			return db_end(db, CS_FAILED);
		file.name = arena_printf(a, "%s-%s-%s.%s", d->id, t.f.from, t.f.to,
		    report_format_name(rf));
		file.type = report_format_type(rf);
		file.data = data.buf;
		file.len = data.len;
		if (file.name == NULL ||
		    (ctx = report_ctx(a, d, &t, PQgetvalue(due, i, DU_name), q, file.name)) == NULL)
			return db_end(db, CS_FAILED);
		if ((rc = notify_enqueue_file(db, env.set, a, "report", PQgetvalue(due, i, DU_email),
		    "report_scheduled", ctx, &file)) != CS_OK)
			return db_end(db, rc);
		(*sent)++;
		p[2] = "true";
	}
	return db_end(db, db_do(db, &stmts[ST_ADVANCE], p));
}

enum cs_result
report_schedule_run(struct db *db, struct arena *a, const char *zone, const char *now,
    long *sent, long *skipped)
{
	const char *p[] = { now };
	PGresult *due;
	enum cs_result rc = CS_OK;
	int i;

	*sent = *skipped = 0;
	if (env.set == NULL) {
		log_error("report: mail is not set up");
		return CS_FAILED;
	}
	if ((due = db_exec(db, &stmts[ST_DUE], p)) == NULL)
		return db_result(db);
	for (i = 0; i < PQntuples(due) && rc == CS_OK; i++)
		rc = run_one(db, a, zone, now, due, i, sent, skipped);
	PQclear(due);
	return rc;
}

/* The alert mail's context for crossing c. */
static struct tval *
alert_ctx(struct arena *a, const struct kpi_crossing *c, const char *name)
{
	const struct metric_def *d = metric_def(c->metric);
	struct tval *ctx = tval_map(a), *site = tval_map(a);
	int rc = ctx == NULL || site == NULL;

	rc |= tval_set_str(a, site, "name", env.site_name);
	rc |= tval_set(a, ctx, "site", site);
	rc |= tval_set_str(a, ctx, "name", name);
	rc |= tval_set_str(a, ctx, "metric", d->label);
	rc |= tval_set_str(a, ctx, "value", c->value != NULL ? c->value : "–");
	rc |= tval_set_str(a, ctx, "alert", c->alert);
	rc |= tval_set_str(a, ctx, "unit", metric_unit_suffix(d->unit));
	rc |= tval_set_int(a, ctx, "days", KPI_DAYS);
	rc |= tval_set_str(a, ctx, "definition", arena_printf(a, "%s/agent/metrics#%s",
	    env.base_url, d->id));
	rc |= tval_set_str(a, ctx, "link", arena_printf(a, "%s/agent/", env.base_url));
	return rc ? NULL : ctx;
}

enum cs_result
report_alerts_run(struct db *db, struct arena *a, const char *zone, long *fired)
{
	struct kpi_crossing *c;
	PGresult *to = NULL;
	size_t n, i;
	enum cs_result rc;
	int k;

	*fired = 0;
	if (env.set == NULL) {
		log_error("report: mail is not set up");
		return CS_FAILED;
	}
	/* The state and the mails of a crossing commit together: once per crossing. */
	if (db_begin(db) < 0)
		return db_result(db);
	if ((rc = kpi_alerts_check(db, a, zone, &c, &n)) != CS_OK || n == 0)
		return db_end(db, rc);
	if ((to = db_exec(db, &stmts[ST_ALERT_TO], NULL)) == NULL)
		return db_end(db, db_result(db));
	for (i = 0; i < n && rc == CS_OK; i++)
		for (k = 0; k < PQntuples(to) && rc == CS_OK; k++) {
			struct tval *ctx = alert_ctx(a, &c[i], PQgetvalue(to, k, PE_name));

			rc = ctx == NULL ? CS_FAILED : notify_enqueue(db, env.set, a, "kpi_alert",
			    PQgetvalue(to, k, PE_email), "kpi_alert", ctx);
		}
	PQclear(to);
	*fired = rc == CS_OK ? (long)n : 0;
	return db_end(db, rc);
}
