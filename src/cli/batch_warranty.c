/*
 * batch_warranty.c — the warranty step of `csdesk batch`
 * (warranty_consumers.h): coverage recomputed past each customer's
 * midnight, submitted claims approved or sent to review, renewal reminders.
 */
#include "cli/batch_steps.h"
#include "domain/warranty_consumers.h"

#include <stdio.h>
#include <time.h>

static double
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

int
batch_step_warranty(struct db *db, char *line, size_t size, long *work)
{
	struct warranty_step_counts c = { 0, 0, 0, 0 };
	struct timespec t0;
	enum cs_result rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = warranty_step(db, &c);
	/* The time, as the SLA step gives its own: what the nightly work costs. */
	snprintf(line, size, "%ld coverage rows recomputed, %ld claims approved, %ld sent to "
	    "review, %ld renewal reminders (%.1f ms)", c.coverage, c.approved, c.reviewed,
	    c.reminders, ms_since(&t0));
	*work = c.coverage + c.approved + c.reviewed + c.reminders;
	return rc == CS_OK ? 0 : -1;
}
