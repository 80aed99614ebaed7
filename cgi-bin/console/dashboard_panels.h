/*
 * dashboard_panels.h — the panels of the console's dashboards, each put
 * into a page's context by one function (dashboard_panels.c): the KPI
 * tiles, an agent's own week and due list, the supervisor's live panels,
 * and the manager's trends. Each returns 0, or the status to answer.
 */
#ifndef CSDESK_DASHBOARD_PANELS_H
#define CSDESK_DASHBOARD_PANELS_H

struct app;
struct req;
struct tval;

/* The KPI tiles as "kpis": value, target, alert, standing, definition link. */
int dashboard_kpis_ctx(struct app *app, struct req *r, const char *zone, struct tval *ctx);

/* "due" (my tickets due today) and "my_week" (my numbers over 7 days). */
int dashboard_agent_ctx(struct app *app, struct req *r, const char *zone, struct tval *ctx);

/* "trouble", "critical", "priority_chart" and "agents" (today). */
int dashboard_supervisor_ctx(struct app *app, struct req *r, const char *zone,
    struct tval *ctx);

/* "trend_chart" (30 days) and "heatmap" (28 days by weekday and hour). */
int dashboard_manager_ctx(struct app *app, struct req *r, const char *zone, struct tval *ctx);

#endif
