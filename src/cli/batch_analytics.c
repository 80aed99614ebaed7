/*
 * batch_analytics.c — the `csdesk batch` steps "analytics" (the daily
 * rollup every metric reads, analytics.h) and "reports" (subscriptions
 * due and KPI alerts, report_schedule.h), both in the days of the
 * metrics_time_zone setting.
 */
#include "cli/batch_ops.h"
#include "cli/batch_steps.h"
#include "core/arena.h"
#include "domain/analytics.h"
#include "domain/ops_settings.h"
#include "domain/report_schedule.h"

#include <stdio.h>

int
batch_step_analytics(struct db *db, char *line, size_t size, long *work)
{
	struct ops_settings s;
	struct arena *a = arena_new(1024);
	long changed = 0;
	int rc = -1, due = 0;

	if (a == NULL || ops_settings_load(db, a, &s) != CS_OK ||
	    analytics_rollup_due(db, &due) != CS_OK)
		goto out;
	if (!due) {
		snprintf(line, size, "rolled up less than %d minutes ago", ANALYTICS_EVERY_MINUTES);
		rc = 0;
		goto out;
	}
	rc = analytics_rollup(db, s.time_zone, &changed) == CS_OK ? 0 : -1;
	snprintf(line, size, "%ld rollup rows changed (days in %s)", changed, s.time_zone);
	*work = changed;
out:
	arena_free(a);
	return rc;
}

int
batch_step_reports(struct db *db, char *line, size_t size, long *work)
{
	struct ops_settings s;
	struct arena *a = arena_new(4096);
	long sent = 0, skipped = 0, fired = 0;
	int rc = -1;

	if (a == NULL || batch_mail_setup() < 0 || ops_settings_load(db, a, &s) != CS_OK)
		goto out;
	rc = report_schedule_run(db, a, s.time_zone, NULL, &sent, &skipped) == CS_OK ? 0 : -1;
	if (report_alerts_run(db, a, s.time_zone, &fired) != CS_OK)
		rc = -1;
	snprintf(line, size, "%ld reports mailed, %ld empty skipped, %ld KPI alerts", sent,
	    skipped, fired);
	*work = sent + fired;
out:
	arena_free(a);
	return rc;
}
