/*
 * report_schedule.h — reports mailed on a schedule, and KPI alerts.
 *
 * A person subscribes to a report (report_defs.h) with its dimension and
 * grain, a frequency (daily; weekly on an ISO weekday; monthly on a day
 * 1-28), an hour and their time zone; report_next_run() (170) turns that
 * into the next moment in UTC with the zone's rules for that date, so
 * 08:00 stays 08:00 local across a change of summer time. The batch mails
 * each due report (the totals of the period just ended in the body, the
 * period's XLSX or PDF export attached: the same numbers as the page) and
 * moves it on; optionally
 * an empty period is skipped. KPI alerts go to everyone whose
 * subscription asks for them, once per crossing (kpi.h).
 *
 * Functions return an enum cs_result: CS_OK, CS_REFUSED (with *why and
 * *field), CS_NOT_FOUND, or CS_DB_LOST / CS_FAILED (logged).
 */
#ifndef CSDESK_REPORT_SCHEDULE_H
#define CSDESK_REPORT_SCHEDULE_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;
struct tmpl_set;

/* Most subscriptions one person keeps. */
#define REPORT_SUBS_MAX 20

/* Most due reports one run mails (the next run goes on). */
#define REPORT_RUN_MAX 50

struct report_sub_input {
	const char *report;	/* report_defs id */
	const char *dim, *grain;	/* analytics names */
	const char *frequency;	/* "daily", "weekly", "monthly" */
	int weekday;		/* weekly: 1 Monday … 7 Sunday */
	int monthday;		/* monthly: 1 … 28 */
	int hour;		/* 0 … 23, local */
	const char *time_zone;	/* IANA name ("Europe/Paris") */
	int skip_empty, alerts;
	const char *attachment;	/* "xlsx" or "pdf": the export the mail carries */
};

struct report_sub {
	long long id;
	const char *report, *dim, *grain, *frequency, *time_zone, *attachment;
	int weekday, monthday, hour, skip_empty, alerts;
	const char *next_run;	/* local: "2026-03-30 08:00" */
};

/*
 * Subscribes staff_id; *id set. CS_REFUSED (*why, *field the form field):
 * an unknown report, dimension, grain, frequency or attachment, a weekday or day of
 * the month out of range, an hour out of 0-23, a zone PostgreSQL does not
 * know, or REPORT_SUBS_MAX subscriptions already.
 */
enum cs_result report_subscribe(struct db *db, long long staff_id,
    const struct report_sub_input *in, long long *id, const char **why, const char **field);

/* Ends subscription id of staff_id. CS_OK, CS_NOT_FOUND (not theirs either) or the failure. */
enum cs_result report_unsubscribe(struct db *db, long long staff_id, long long id);

/* staff_id's subscriptions, oldest first. */
enum cs_result report_subs_list(struct db *db, struct arena *a, long long staff_id,
    struct report_sub **out, size_t *n);

/*
 * Where the mail's templates and links come from (as ticket_notify_setup),
 * once per process before report_schedule_run or report_alerts_run.
 */
void report_mail_setup(const struct tmpl_set *set, const char *site_name,
    const char *base_url);

/*
 * Mails the subscriptions due at now (timestamptz text; NULL: the clock),
 * with days counted in zone (the metrics time zone), each in its own
 * transaction with its next time. *sent and *skipped (empty, skip_empty)
 * tell what it did.
 */
enum cs_result report_schedule_run(struct db *db, struct arena *a, const char *zone,
    const char *now, long *sent, long *skipped);

/* Checks the KPIs (kpi_alerts_check) and mails each crossing to the alerts' subscribers. */
enum cs_result report_alerts_run(struct db *db, struct arena *a, const char *zone,
    long *fired);

#endif
