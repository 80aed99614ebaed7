/*
 * kpi.h — the dashboard's KPI tiles: a metric (metric_defs.h) over the
 * last KPI_DAYS days, against the target and alert line admins set
 * (kpi_targets, 037), and the alert mailed once each time a KPI crosses
 * its alert line (kpi_alert_state remembers which side it was on).
 *
 * Functions return an enum cs_result: CS_OK, CS_REFUSED (with *why),
 * CS_NOT_FOUND, or CS_DB_LOST / CS_FAILED (logged).
 */
#ifndef CSDESK_KPI_H
#define CSDESK_KPI_H

#include <stddef.h>

#include "core/result.h"
#include "domain/metric_defs.h"

struct arena;
struct audit_entry;
struct db;

/* The window a tile and an alert look at, in days up to today. */
#define KPI_DAYS 7

/* Largest target or alert line an admin may set. */
#define KPI_LIMIT 1000000.0

struct kpi_tile {
	enum metric_id metric;
	const char *value;	/* NULL: not measured */
	const char *target, *alert;	/* as stored ("95") */
	const char *standing;	/* "good", "watch", "alert", "none" */
};

/*
 * Every KPI with a target, its value over the last KPI_DAYS days (days in
 * zone), in metric order. CS_OK or the failure.
 */
enum cs_result kpi_tiles(struct db *db, struct arena *a, const char *zone,
    struct kpi_tile **out, size_t *n);

/*
 * Sets the target and alert line of metric id (text as typed). CS_REFUSED
 * with *why: not a number, beyond ±KPI_LIMIT, or the alert line on the good
 * side of the target. CS_NOT_FOUND: no KPI called id. Audited.
 */
enum cs_result kpi_target_set(struct db *db, const struct audit_entry *by, const char *id,
    const char *target, const char *alert, const char **why);

/*
 * The hourly cost of work time that cost per resolution prices work at
 * (metric_defs.h), as stored ("45.50"), "" when not set. CS_OK or the
 * failure.
 */
enum cs_result kpi_hourly_cost(struct db *db, struct arena *a, const char **out);

/*
 * Sets it (text as typed; "" unsets it). CS_REFUSED with *why: not a
 * number from 0 to KPI_LIMIT with at most two decimals. Audited.
 */
enum cs_result kpi_hourly_cost_set(struct db *db, const struct audit_entry *by,
    const char *cost, const char **why);

/* One KPI that crossed its alert line, for the mail. */
struct kpi_crossing {
	enum metric_id metric;
	const char *value, *alert;
};

/*
 * Compares each KPI with its alert line and records which side it is on.
 * A KPI that was not alerting (or never checked) and now is, is a
 * crossing: returned in *out (n of them) for the caller to announce in
 * the same transaction, which the caller owns (db_begin before). A KPI
 * that stays past its line is not a crossing again; one that comes back
 * arms it for the next. CS_OK or the failure.
 */
enum cs_result kpi_alerts_check(struct db *db, struct arena *a, const char *zone,
    struct kpi_crossing **out, size_t *n);

#endif
