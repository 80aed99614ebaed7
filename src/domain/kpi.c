/* kpi.c — see kpi.h. */
#include "domain/kpi.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/analytics.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum stmt {
	ST_TARGETS,
	ST_SET,
	ST_STATE,
	ST_COST,
	ST_COST_SET,
	ST__MAX
};

#define TARGET_COLS(X) \
	X(KT, metric, "k.metric") X(KT, target, "k.target::text") X(KT, alert, "k.alert::text") \
	X(KT, alerting, "coalesce(s.alerting, false)")
enum { DB_COL_ENUM(TARGET_COLS) };

static struct db_stmt stmts[] = {
	[ST_TARGETS] = DB_STMT("kpi_targets",
	    "SELECT " DB_COLS(TARGET_COLS) " FROM kpi_targets k"
	    " LEFT JOIN kpi_alert_state s ON s.metric = k.metric ORDER BY k.metric", 0),
	[ST_SET] = DB_STMT("kpi_target_set",
	    "UPDATE kpi_targets SET target = $2::numeric, alert = $3::numeric, updated_at = now()"
	    " WHERE metric = $1", 3),
	[ST_STATE] = DB_STMT("kpi_alert_state_put",
	    "INSERT INTO kpi_alert_state (metric, alerting, value) VALUES ($1, $2, $3::numeric)"
	    " ON CONFLICT (metric) DO UPDATE SET alerting = EXCLUDED.alerting,"
	    " value = EXCLUDED.value, changed_at = CASE WHEN kpi_alert_state.alerting"
	    " = EXCLUDED.alerting THEN kpi_alert_state.changed_at ELSE now() END", 3),
	[ST_COST] = DB_STMT("kpi_hourly_cost",
	    "SELECT coalesce((SELECT value FROM settings WHERE key = 'analytics_hourly_cost'), '')",
	    0),
	[ST_COST_SET] = DB_STMT("kpi_hourly_cost_set",
	    "UPDATE settings SET value = $1, updated_at = now()"
	    " WHERE key = 'analytics_hourly_cost'", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

struct target {
	enum metric_id metric;
	const char *target, *alert;
	int alerting;
};

static enum cs_result
fill_target(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct target *t = elem;
	int failed = 0;

	t->metric = metric_parse(PQgetvalue(r, i, KT_metric));
	t->target = db_str(a, r, i, KT_target, &failed);
	t->alert = db_str(a, r, i, KT_alert, &failed);
	t->alerting = db_bool(r, i, KT_alerting);
	return failed ? CS_FAILED : CS_OK;
}

/* The targets (those naming a metric this build knows) and the last KPI_DAYS days' values. */
static enum cs_result
targets_read(struct db *db, struct arena *a, const char *zone, struct target **ts, size_t *n,
    const struct analytics_row **all)
{
	struct analytics_filter f = { AD_ALL, AG_DAY, NULL, NULL, KPI_DAYS };
	struct analytics_table t;
	const char *why;
	void *got;
	enum cs_result rc;

	*all = NULL;
	if ((rc = db_rows(db, a, &stmts[ST_TARGETS], NULL, sizeof(**ts), fill_target, &got, n))
	    != CS_OK)
		return rc;
	*ts = got;
	if ((rc = analytics_totals(db, a, zone, &f, &t, &why)) != CS_OK)
		return rc == CS_REFUSED ? CS_FAILED : rc;
	if (t.ntotals > 0)
		*all = &t.totals[0];
	return CS_OK;
}

static const char *
standing(const struct target *t, const struct analytics_row *all)
{
	return metric_standing(metric_def(t->metric)->good, all != NULL ? all->v[t->metric] : NULL,
	    strtod(t->target, NULL), strtod(t->alert, NULL));
}

enum cs_result
kpi_tiles(struct db *db, struct arena *a, const char *zone, struct kpi_tile **out, size_t *n)
{
	const struct analytics_row *all;
	struct target *ts;
	size_t nt, i, k = 0;
	enum cs_result rc;

	*out = NULL;
	*n = 0;
	if ((rc = targets_read(db, a, zone, &ts, &nt, &all)) != CS_OK)
		return rc;
	if ((*out = arena_alloc(a, (nt + 1) * sizeof(**out))) == NULL)
		return CS_FAILED;
	/* In the order of the definitions, not of the table. */
	for (int m = 0; m < METRIC__MAX; m++)
		for (i = 0; i < nt; i++) {
			if (ts[i].metric != (enum metric_id)m)
				continue;
			(*out)[k].metric = ts[i].metric;
			(*out)[k].value = all != NULL ? all->v[m] : NULL;
			(*out)[k].target = ts[i].target;
			(*out)[k].alert = ts[i].alert;
			(*out)[k].standing = standing(&ts[i], all);
			k++;
		}
	*n = k;
	return CS_OK;
}

/* s as a finite number within ±KPI_LIMIT into *v; 0, or -1. */
static int
number(const char *s, double *v)
{
	char *end;

	if (s == NULL || *s == '\0')
		return -1;
	*v = strtod(s, &end);
	return *end == '\0' && isfinite(*v) && fabs(*v) <= KPI_LIMIT ? 0 : -1;
}

enum cs_result
kpi_target_set(struct db *db, const struct audit_entry *by, const char *id, const char *target,
    const char *alert, const char **why)
{
	enum metric_id m = metric_parse(id);
	const char *p[] = { id, target, alert };
	double t, al;
	enum cs_result rc;

	if (m == METRIC__MAX)
		return CS_NOT_FOUND;
	*why = "Give the target and the alert line as numbers (like 95 or 7.5).";
	if (number(target, &t) < 0 || number(alert, &al) < 0)
		return CS_REFUSED;
	*why = metric_def(m)->good == MG_LOWER ?
	    "Lower is better here: the alert line must be above the target." :
	    "Higher is better here: the alert line must be below the target.";
	if ((metric_def(m)->good == MG_LOWER && al < t) ||
	    (metric_def(m)->good != MG_LOWER && al > t))
		return CS_REFUSED;
	*why = NULL;
	if (db_begin(db) < 0)
		return db_result(db);
	if ((rc = db_update_one(db, &stmts[ST_SET], p)) != CS_OK)
		return db_end(db, rc);
	return admin_audit_commit(db, by, "kpi.target", "kpi", 0,
	    json_pack("{s:s, s:s, s:s}", "metric", id, "target", target, "alert", alert));
}

enum cs_result
kpi_hourly_cost(struct db *db, struct arena *a, const char **out)
{
	PGresult *r;
	int failed = 0;

	*out = "";
	if ((r = db_exec(db, &stmts[ST_COST], NULL)) == NULL)
		return db_result(db);
	*out = db_str(a, r, 0, 0, &failed);
	PQclear(r);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
kpi_hourly_cost_set(struct db *db, const struct audit_entry *by, const char *cost,
    const char **why)
{
	const char *p[] = { cost }, *dot = cost != NULL ? strchr(cost, '.') : NULL;
	enum cs_result rc;
	double v;

	*why = "Give the hourly cost as a number from 0, with at most two decimals (like 45.50),"
	    " or leave it empty.";
	if (cost == NULL)
		return CS_REFUSED;
	/* Digits and one dot only: the formula reads it as numeric, whatever the locale. */
	if (*cost != '\0' && (strspn(cost, "0123456789.") != strlen(cost) ||
	    number(cost, &v) < 0 || v < 0 || (dot != NULL && strlen(dot + 1) > 2) ||
	    (dot != NULL && strchr(dot + 1, '.') != NULL) || cost[0] == '.'))
		return CS_REFUSED;
	*why = NULL;
	if (db_begin(db) < 0)
		return db_result(db);
	if ((rc = db_update_one(db, &stmts[ST_COST_SET], p)) != CS_OK)
		return db_end(db, rc);
	return admin_audit_commit(db, by, "kpi.hourly_cost", "kpi", 0,
	    json_pack("{s:s}", "hourly_cost", cost));
}

enum cs_result
kpi_alerts_check(struct db *db, struct arena *a, const char *zone, struct kpi_crossing **out,
    size_t *n)
{
	const struct analytics_row *all;
	struct target *ts;
	size_t nt, i;
	enum cs_result rc;

	*out = NULL;
	*n = 0;
	if ((rc = targets_read(db, a, zone, &ts, &nt, &all)) != CS_OK)
		return rc;
	if ((*out = arena_alloc(a, (nt + 1) * sizeof(**out))) == NULL)
		return CS_FAILED;
	for (i = 0; i < nt; i++) {
		const char *value = all != NULL && ts[i].metric < METRIC__MAX ?
		    all->v[ts[i].metric] : NULL;
		int alerting = ts[i].metric < METRIC__MAX &&
		    strcmp(standing(&ts[i], all), "alert") == 0;
		const char *p[] = { metric_def(ts[i].metric) != NULL ?
		    metric_def(ts[i].metric)->id : "", alerting ? "true" : "false", value };

		if (ts[i].metric == METRIC__MAX)
			continue;
		if ((rc = db_do(db, &stmts[ST_STATE], p)) != CS_OK)
			return rc;
		if (alerting && !ts[i].alerting) {
			(*out)[*n].metric = ts[i].metric;
			(*out)[*n].value = value;
			(*out)[*n].alert = ts[i].alert;
			(*n)++;
		}
	}
	return CS_OK;
}
