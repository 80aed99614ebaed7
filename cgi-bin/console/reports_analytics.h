/*
 * reports_analytics.h — what the reports page shares with the dashboard
 * and the subscriptions page: the report and table the query asks for.
 */
#ifndef CSDESK_CONSOLE_REPORTS_ANALYTICS_H
#define CSDESK_CONSOLE_REPORTS_ANALYTICS_H

#include "core/result.h"

struct analytics_table;
struct app;
struct report_def;
struct req;

/*
 * The report (query "report", default SLA) and its table for the query's
 * by, grain, from and to (defaults: the report's). CS_OK; CS_REFUSED with
 * *why (an unknown report leaves *d at the SLA report); or the failure.
 */
enum cs_result reports_analytics_run(struct app *app, struct req *r,
    const struct report_def **d, struct analytics_table *t, const char **why);

#endif
