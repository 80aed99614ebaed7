/*
 * batch_warranty.c — the warranty step of `csdesk batch`
 * (warranty_consumers.h): coverage recomputed past each customer's
 * midnight, submitted claims approved or sent to review, renewal reminders.
 */
#include "cli/batch_steps.h"
#include "domain/warranty_consumers.h"

#include <stdio.h>

int
batch_step_warranty(struct db *db, char *line, size_t size, long *work)
{
	struct warranty_step_counts c = { 0, 0, 0, 0 };
	enum cs_result rc = warranty_step(db, &c);

	snprintf(line, size, "%ld coverage rows recomputed, %ld claims approved, %ld sent to "
	    "review, %ld renewal reminders", c.coverage, c.approved, c.reviewed, c.reminders);
	*work = c.coverage + c.approved + c.reviewed + c.reminders;
	return rc == CS_OK ? 0 : -1;
}
