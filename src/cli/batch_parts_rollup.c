/*
 * batch_parts_rollup.c — the "field-rollup" step of `csdesk batch`: the
 * daily rollup the field and parts reports read (parts_rollup.h), the
 * days due rolled up, PARTS_ROLLUP_STEP at most a run.
 */
#include "cli/batch_steps.h"
#include "domain/parts_rollup.h"

#include <stdio.h>

int
batch_step_parts_rollup(struct db *db, char *line, size_t size, long *work)
{
	long days = 0, rows = 0;
	double t0 = batch_now_ms();
	enum cs_result rc = parts_rollup_run(db, PARTS_ROLLUP_STEP, &days, &rows);

	snprintf(line, size, "%ld days rolled up, %ld rows (%.1f ms)", days, rows,
	    batch_now_ms() - t0);
	*work = days;
	return rc == CS_OK ? 0 : -1;
}
