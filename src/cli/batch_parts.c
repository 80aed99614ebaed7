/*
 * batch_parts.c — the parts step of `csdesk batch` (parts_consumers.h):
 * the nightly replenishment proposal, and overdue loaners' reminders.
 */
#include "cli/batch_steps.h"
#include "domain/parts_consumers.h"

#include <stdio.h>

int
batch_step_parts(struct db *db, char *line, size_t size, long *work)
{
	struct parts_step_counts c;
	double t0 = batch_now_ms();
	enum cs_result rc = parts_step(db, &c);

	snprintf(line, size, "%ld replenishments proposed, %ld loaner reminders (%.1f ms)",
	    c.proposed, c.reminded, batch_now_ms() - t0);
	*work = c.proposed + c.reminded;
	return rc == CS_OK ? 0 : -1;
}
