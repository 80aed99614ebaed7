/*
 * reports_analytics.h — what the reports page shares with the dashboard
 * and the subscriptions page: the report and table the query asks for.
 */
#ifndef CSDESK_CONSOLE_REPORTS_ANALYTICS_H
#define CSDESK_CONSOLE_REPORTS_ANALYTICS_H

#include "core/result.h"

struct analytics_table;
struct app;
struct arena;
struct resp;
struct tval;
struct report_def;
struct req;

/*
 * The report (query "report", default SLA) and its table for the query's
 * by, grain, from and to (defaults: the report's). CS_OK; CS_REFUSED with
 * *why (an unknown report leaves *d at the SLA report); or the failure.
 */
enum cs_result reports_analytics_run(struct app *app, struct req *r,
    const struct report_def **d, struct analytics_table *t, const char **why);

/*
 * The list reports (report_lists.h) on the same page and export URL:
 * when the query's report is one, these answer instead (query from, to;
 * format for the export). An HTTP status, or 0 with w filled.
 */
int reports_lists_page(struct app *app, struct req *r, struct resp *w);
int reports_lists_export(struct app *app, struct req *r, struct resp *w);

/* One link of the reports' navigation (id, title, marked when current): 0 or non-zero. */
int reports_nav_link(struct arena *a, struct tval *list, const char *id, const char *title,
    const char *current);

/* The metric reports' links, current marked, appended to list (0 or non-zero). */
int reports_analytics_links(struct arena *a, struct tval *list, const char *current);

/* Whether the query's report is a list report. */
int reports_lists_asked(struct req *r);

/* The list reports' links for the reports' navigation, appended to list. */
int reports_lists_links(struct arena *a, struct tval *list, const char *current);

#endif
