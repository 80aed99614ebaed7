/*
 * batch_surveys.c — the "surveys" step of `csdesk batch`: the periodic
 * surveys (NPS every N days per customer) each active periodic rule
 * calls for, a bounded number of customers per run so a first run over
 * every customer spreads over several ticks. The surveys that follow
 * events are sent by the dispatcher (survey_consumers.h).
 */
#include "cli/batch_ops.h"
#include "cli/batch_steps.h"
#include "db/db.h"
#include "domain/survey_consumers.h"

#include <stdio.h>

/* Customers asked (or skipped) per periodic rule and run. */
#define PERIODIC_PER_RUN 200

int
batch_step_surveys(struct db *db, char *line, size_t size, long *work)
{
	long sent = 0, skipped = 0;
	int rc;

	if (batch_mail_setup() < 0)
		return -1;
	rc = survey_periodic_run(db, PERIODIC_PER_RUN, &sent, &skipped) == CS_OK ? 0 : -1;
	snprintf(line, size, "%ld periodic surveys sent, %ld skipped", sent, skipped);
	*work = sent + skipped;
	return rc;
}
