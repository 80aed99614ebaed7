/*
 * metric_defs.h — every metric csdesk shows, defined once: its name, what
 * it means, its unit, which way is good, and its formula over the daily
 * rollup analytics_daily (037, computed by analytics_rollup_day() in
 * sql/functions/170_analytics.sql). The console's pages, the CSV, XLSX
 * and PDF exports, the mailed reports and the KPI alerts all read a
 * metric through this table, so one filter gives one number everywhere.
 *
 * A formula is SQL over the sums of the rollup's columns for a group of
 * days (a day, a week, a month or a whole range) and one key of one
 * dimension; "last" marks the group's last day, where a snapshot (the
 * backlog) is read. A formula gives NULL when nothing was measured (no
 * answers, nothing resolved): shown as "–", empty in CSV and XLSX.
 * Values are text with a fixed number of decimals, made by PostgreSQL,
 * so no two outputs can round differently.
 *
 */
#ifndef CSDESK_METRIC_DEFS_H
#define CSDESK_METRIC_DEFS_H

#include <stddef.h>

enum metric_unit {
	MU_COUNT,	/* whole number */
	MU_PERCENT,	/* 0.0 to 100.0 */
	MU_MINUTES,	/* minutes, one decimal */
	MU_SCORE,	/* a score on its own scale (NPS −100 to 100, CES 1 to 7) */
	MU_MONEY,	/* in the currency of the hourly cost, two decimals */
	MU__MAX
};

enum metric_good {
	MG_HIGHER,
	MG_LOWER,
	MG_NEITHER,
	MG__MAX
};

#define M_PCT(num, den) "round(100.0 * (" num ") / nullif(" den ", 0), 1)"
#define M_SLA_MET "sum(sla_first_met) + sum(sla_next_met) + sum(sla_resolution_met)"
#define M_WORK "sum(work_minutes) + sum(field_labour_minutes)"
#define M_HOURLY_COST "(SELECT nullif(value, '')::numeric FROM settings" \
	" WHERE key = 'analytics_hourly_cost')"
#define M_SLA_ALL "sum(sla_first_decided) + sum(sla_next_decided) + sum(sla_resolution_decided)"

/*
 * X(id, label, unit, good, "formula", "definition"). The order is the
 * order of the definitions page and of every export's columns.
 */
#define METRIC_LIST(X) \
	X(created, "Created", MU_COUNT, MG_NEITHER, "sum(created)", \
	    "Tickets opened in the period, counted under the team and agent that held them " \
	    "when they were opened.") \
	X(resolved, "Resolved", MU_COUNT, MG_HIGHER, "sum(resolved)", \
	    "Resolutions in the period (a ticket resolved twice counts twice), under the " \
	    "team and agent that held the ticket at that moment.") \
	X(backlog, "Backlog", MU_COUNT, MG_LOWER, "sum(backlog) FILTER (WHERE last)", \
	    "Tickets open (new, assigned, in progress, pending, reopened) at the end of the " \
	    "period's last day, by their holder and attributes then; counted while that day " \
	    "was today, so a day rolled up only later has no backlog (–).") \
	X(backlog_breached, "Backlog past due", MU_COUNT, MG_LOWER, \
	    "sum(backlog_breached) FILTER (WHERE last)", \
	    "Of the backlog, the tickets with a target (first response, next response or " \
	    "resolution) breached, as the SLA batch marks them.") \
	X(backlog_at_risk, "Backlog at risk", MU_COUNT, MG_LOWER, \
	    "sum(backlog_at_risk) FILTER (WHERE last)", \
	    "Of the backlog, the tickets with a target at risk (past its warning time) and " \
	    "none breached.") \
	X(first_response_avg, "Avg first response", MU_MINUTES, MG_LOWER, \
	    "round(sum(first_response_s) / 60.0 / nullif(sum(first_responses), 0), 1)", \
	    "Mean wall-clock minutes from a ticket's creation to the first public staff " \
	    "reply, over the first replies given in the period.") \
	X(resolution_avg, "Avg resolution time", MU_MINUTES, MG_LOWER, \
	    "round(sum(resolution_s) / 60.0 / nullif(sum(resolved), 0), 1)", \
	    "Mean wall-clock minutes from creation to resolution, over the period's " \
	    "resolutions.") \
	X(sla_first_response, "SLA first response", MU_PERCENT, MG_HIGHER, \
	    M_PCT("sum(sla_first_met)", "sum(sla_first_decided)"), \
	    "Of the first-response targets decided in the period (met, or missed), the share " \
	    "met. Only tickets with an SLA; the target runs on the policy's business clock " \
	    "and time paused (waiting for the customer or parts) does not count, so a ticket " \
	    "answered within its business time is compliant however long it waited paused.") \
	X(sla_next_response, "SLA next response", MU_PERCENT, MG_HIGHER, \
	    M_PCT("sum(sla_next_met)", "sum(sla_next_decided)"), \
	    "Of the customer messages whose reply target was decided in the period, the " \
	    "share answered in time; same clock and pauses as the first response.") \
	X(sla_resolution, "SLA resolution", MU_PERCENT, MG_HIGHER, \
	    M_PCT("sum(sla_resolution_met)", "sum(sla_resolution_decided)"), \
	    "Of the resolution targets decided in the period, the share met; same clock " \
	    "and pauses.") \
	X(sla_compliance, "SLA compliance", MU_PERCENT, MG_HIGHER, M_PCT(M_SLA_MET, M_SLA_ALL), \
	    "All three targets together: targets met ÷ targets decided in the period.") \
	X(fcr, "First-contact resolution", MU_PERCENT, MG_HIGHER, \
	    M_PCT("sum(first_contact)", "sum(resolved)"), \
	    "Of the period's resolutions, the share resolved with exactly one public staff " \
	    "reply and never reopened.") \
	X(aht, "Avg handling time", MU_MINUTES, MG_LOWER, \
	    "round(sum(work_minutes)::numeric / nullif(sum(resolved), 0), 1)", \
	    "Agent work time logged in the period (minutes entered with replies and notes, " \
	    "under the agent who logged them) ÷ resolutions in the period.") \
	X(reopen_rate, "Reopen rate", MU_PERCENT, MG_LOWER, \
	    M_PCT("sum(reopened)", "sum(resolved)"), \
	    "Reopenings in the period that came within 14 days of the resolution before " \
	    "them ÷ resolutions in the period.") \
	X(csat, "CSAT", MU_PERCENT, MG_HIGHER, M_PCT("sum(csat_good)", "sum(csat_answers)"), \
	    "Of the CSAT answers (1 to 5) given in the period, the share that were 4 or 5.") \
	X(csat_answers, "CSAT answers", MU_COUNT, MG_NEITHER, "sum(csat_answers)", \
	    "CSAT answers given in the period.") \
	X(nps, "NPS", MU_SCORE, MG_HIGHER, \
	    "round(100.0 * (sum(nps_promoters) - sum(nps_detractors))" \
	    " / nullif(sum(nps_answers), 0), 1)", \
	    "Of the NPS answers (0 to 10) given in the period, the percentage of promoters " \
	    "(9 or 10) minus the percentage of detractors (0 to 6): from −100 to 100.") \
	X(ces, "CES", MU_SCORE, MG_HIGHER, \
	    "round(sum(ces_sum)::numeric / nullif(sum(ces_answers), 0), 2)", \
	    "The mean of the CES answers (1 to 7, “the company made it easy to handle my " \
	    "issue”: 7 is easiest) given in the period.") \
	X(response_rate, "Survey response rate", MU_PERCENT, MG_HIGHER, \
	    M_PCT("sum(surveys_answered)", "sum(surveys_sent)"), \
	    "Of the survey invitations sent in the period (CSAT, NPS and CES, under the team " \
	    "and agent the survey was sent for), the share answered before the link expired " \
	    "(14 days). A period's rate is final 15 days after it ends; until then it counts " \
	    "the answers given so far. Ratings given on the portal without an invitation are " \
	    "in neither count.") \
	X(qa_score, "QA score", MU_SCORE, MG_HIGHER, \
	    "round(sum(qa_score_sum) / 100.0 / nullif(sum(qa_reviews), 0), 2)", \
	    "The mean score (0 to 100) of the quality reviews scored in the period, of the " \
	    "agent who resolved the ticket and the ticket's team. A review's score is " \
	    "Σ(weight × points ÷ 4) ÷ Σ weight × 100 over its scorecard's criteria, each " \
	    "given 0 (not met) to 4 (fully met) points.") \
	X(utilisation, "Utilisation", MU_PERCENT, MG_HIGHER, \
	    M_PCT(M_WORK, "sum(scheduled_minutes)"), \
	    "Logged work ÷ scheduled hours, without travel: the minutes agents logged with " \
	    "replies and notes plus the labour minutes of the field visits completed, over " \
	    "the minutes they were scheduled to work (their working days and hours, less " \
	    "time off). Overall, by team (the agent's current team) and by agent; a " \
	    "channel, queue or product has no schedule (–).") \
	X(utilisation_travel, "Utilisation with travel", MU_PERCENT, MG_HIGHER, \
	    M_PCT(M_WORK " + sum(field_travel_minutes)", "sum(scheduled_minutes)"), \
	    "As utilisation, with the travel minutes of the field visits completed counted " \
	    "as work.") \
	X(cost_per_resolution, "Cost per resolution", MU_MONEY, MG_LOWER, \
	    "round((" M_HOURLY_COST " * (" M_WORK " + sum(field_travel_minutes)) / 60.0" \
	    " + sum(parts_cost_cents) / 100.0) / nullif(sum(resolved), 0), 2)", \
	    "The hourly cost admins set (Admin → KPI targets) × the work time of the period " \
	    "(minutes logged, field labour and travel), plus the parts used on the field " \
	    "jobs completed in the period at what they cost (their cost price, covered or " \
	    "not), ÷ resolutions in the period. Without an hourly cost it is not measured (–).")

#define METRIC_ENUM_(id, label, unit, good, sql, def) METRIC_##id,
enum metric_id {
	METRIC_LIST(METRIC_ENUM_)
	METRIC__MAX
};
#undef METRIC_ENUM_

struct metric_def {
	const char *id;		/* "csat": the anchor on the definitions page */
	const char *label;	/* "CSAT" */
	enum metric_unit unit;
	enum metric_good good;
	const char *sql;	/* the formula (see above) */
	const char *definition;	/* the sentence people read */
};

/* The definition of metric m; NULL when m is out of range. */
const struct metric_def *metric_def(enum metric_id m);

/* The metric called id ("csat"); METRIC__MAX when there is none. */
enum metric_id metric_parse(const char *id);

/* "%", "min", "" — what a value of unit u is written with. */
const char *metric_unit_suffix(enum metric_unit u);

/*
 * Where a value stands against a KPI's target and alert line for a
 * metric that is good as good says: "good" past the target, "alert" past
 * the alert line, "watch" between, "none" when value is NULL.
 */
const char *metric_standing(enum metric_good good, const char *value, double target,
    double alert);

#endif
