/* report_defs.c — see report_defs.h. */
#include "domain/report_defs.h"

#include <string.h>

#define N(...) { __VA_ARGS__ }, sizeof((enum metric_id[]){ __VA_ARGS__ }) / sizeof(enum metric_id)

static const struct report_def defs[REPORT__MAX] = {
	[REPORT_SLA] = { "sla", "SLA compliance",
	    "Which share of the first-response, next-response and resolution targets were met.",
	    AD_ALL, AG_DAY, N(METRIC_sla_first_response, METRIC_sla_next_response,
	    METRIC_sla_resolution, METRIC_sla_compliance, METRIC_backlog_breached),
	    METRIC_sla_compliance },
	[REPORT_BACKLOG] = { "backlog", "Backlog by priority",
	    "What is open at the end of each day, and how much of it is past its due time.",
	    AD_PRIORITY, AG_DAY, N(METRIC_backlog, METRIC_backlog_at_risk, METRIC_backlog_breached,
	    METRIC_created, METRIC_resolved), METRIC_backlog },
	[REPORT_AGENTS] = { "agents", "Agent performance",
	    "What each agent resolved, how fast, how well, how customers rated it, and the " \
	    "quality reviews' score.",
	    AD_AGENT, AG_WEEK, N(METRIC_resolved, METRIC_first_response_avg, METRIC_aht,
	    METRIC_fcr, METRIC_reopen_rate, METRIC_sla_compliance, METRIC_csat, METRIC_qa_score),
	    METRIC_resolved },
	[REPORT_SATISFACTION] = { "satisfaction", "CSAT trends",
	    "What customers said in their surveys: CSAT, NPS, effort, and how many answered.",
	    AD_ALL, AG_WEEK, N(METRIC_csat, METRIC_csat_answers, METRIC_nps, METRIC_ces,
	    METRIC_response_rate),
	    METRIC_csat },
	[REPORT_VOLUME] = { "volume", "Volume by channel",
	    "Tickets opened and resolved, by channel (or category, product, queue, tier).",
	    AD_CHANNEL, AG_DAY, N(METRIC_created, METRIC_resolved, METRIC_backlog),
	    METRIC_created },
	[REPORT_OVERVIEW] = { "overview", "Service overview",
	    "The service's KPIs side by side.",
	    AD_ALL, AG_WEEK, N(METRIC_created, METRIC_resolved, METRIC_first_response_avg,
	    METRIC_sla_compliance, METRIC_fcr, METRIC_aht, METRIC_reopen_rate, METRIC_csat,
	    METRIC_nps, METRIC_ces, METRIC_response_rate, METRIC_qa_score), METRIC_created },
	[REPORT_WORKLOAD] = { "workload", "Workload and cost",
	    "How much of their scheduled time agents and technicians spent on logged work, "
	    "with and without travel, and what a resolution cost.",
	    AD_AGENT, AG_WEEK, N(METRIC_resolved, METRIC_aht, METRIC_utilisation,
	    METRIC_utilisation_travel, METRIC_cost_per_resolution), METRIC_utilisation },
};

const struct report_def *
report_def(enum report_id r)
{
	return r < REPORT__MAX ? &defs[r] : NULL;
}

enum report_id
report_parse(const char *id)
{
	int r;

	for (r = 0; id != NULL && r < REPORT__MAX; r++)
		if (strcmp(id, defs[r].id) == 0)
			return (enum report_id)r;
	return REPORT__MAX;
}
