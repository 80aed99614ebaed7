/*
 * dashboard.h — what the console's dashboards read besides the KPI tiles
 * (kpi.h) and the rollup (analytics.h, whose today's rows give the
 * backlog, at risk and breached now): the lists an agent and a supervisor
 * act on now. Every query reads a partial index (037) or one
 * agent's tickets, never the whole ticket table.
 *
 * Functions return CS_OK or the failure (CS_DB_LOST / CS_FAILED, logged);
 * strings live in the arena.
 */
#ifndef CSDESK_DASHBOARD_H
#define CSDESK_DASHBOARD_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;

/* Most tickets a dashboard list shows. */
#define DASHBOARD_LIST_MAX 10

/* Most tickets a dashboard counts one by one (beyond: "more than"). */
#define DASHBOARD_COUNT_MAX 999

struct dashboard_ticket {
	const char *number, *subject, *priority;
	const char *due;	/* local "14:30" or "2026-03-10 14:30"; "" without an SLA */
	int breached;
};

/*
 * staff_id's open tickets due (resolution target) before the end of today
 * in zone, soonest first, at most DASHBOARD_LIST_MAX in *out; *total: all
 * of them, or DASHBOARD_COUNT_MAX + 1 when there are more than that.
 */
enum cs_result dashboard_due_today(struct db *db, struct arena *a, long long staff_id,
    const char *zone, struct dashboard_ticket **out, size_t *n, long long *total);

/* The open critical and urgent tickets, soonest due first, at most DASHBOARD_LIST_MAX. */
enum cs_result dashboard_critical(struct db *db, struct arena *a, const char *zone,
    struct dashboard_ticket **out, size_t *n);

/*
 * Tickets created per ISO weekday (0 Monday … 6 Sunday) and hour (local
 * in zone) over the last days days: counts[7][24].
 */
enum cs_result dashboard_heatmap(struct db *db, const char *zone, int days,
    long long counts[7][24]);

#endif
