/*
 * report_defs.h — the reports the console lists, exports and mails: each
 * is a title, a sentence saying what it answers, the dimension and grain
 * it opens with, and the metrics (metric_defs.h) it shows, in order. The
 * numbers themselves come from analytics_table(), so a report is the
 * same on screen, in CSV, XLSX and PDF and in the mail.
 *
 * The reports that are lists rather than metrics (top customers, repeat
 * issues, KB effectiveness, warranty claims, field service) are
 * report_lists.h.
 */
#ifndef CSDESK_REPORT_DEFS_H
#define CSDESK_REPORT_DEFS_H

#include <stddef.h>

#include "domain/analytics.h"
#include "domain/metric_defs.h"

enum report_id {
	REPORT_SLA,
	REPORT_BACKLOG,
	REPORT_AGENTS,
	REPORT_SATISFACTION,
	REPORT_VOLUME,
	REPORT_OVERVIEW,
	REPORT_WORKLOAD,
	REPORT__MAX
};

/* Most metrics a report shows. */
#define REPORT_METRICS_MAX 12

struct report_def {
	const char *id;		/* "sla": in URLs and subscriptions */
	const char *title;
	const char *about;
	enum analytics_dim dim;
	enum analytics_grain grain;
	enum metric_id metrics[REPORT_METRICS_MAX];
	size_t nmetrics;
	enum metric_id chart;	/* the metric its chart draws per period */
};

/* The report r; NULL when out of range. */
const struct report_def *report_def(enum report_id r);

/* The report called id; REPORT__MAX when there is none. */
enum report_id report_parse(const char *id);

#endif
