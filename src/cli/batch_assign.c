/*
 * batch_assign.c — the `csdesk batch` step "assign": gives tickets that
 * are still waiting for an agent to those who came on shift or freed
 * capacity since they were created (assign_waiting.h), at most
 * ASSIGN_WAITING_PER_TICK a tick. A tick with nobody free costs a few
 * index probes per queue; the time is printed for `make bench`.
 */
#include "cli/batch_steps.h"
#include "core/arena.h"
#include "core/log.h"
#include "domain/assign_waiting.h"

#include <stdio.h>

/* Transactions of ASSIGN_WAITING_BATCH tickets one tick makes at most. */
#define ASSIGN_MAX_ROUNDS (ASSIGN_WAITING_PER_TICK / ASSIGN_WAITING_BATCH)
_Static_assert(ASSIGN_WAITING_PER_TICK % ASSIGN_WAITING_BATCH == 0,
    "a tick is whole transactions");


int
batch_step_assign(struct db *db, char *line, size_t size, long *work)
{
	double t0 = batch_now_ms();
	struct arena *a = arena_new(1024);
	long assigned = 0;
	int rc = -1;

	if (a == NULL) {
		log_error("batch: assign: out of memory");
		return -1;
	}
	if (assign_waiting_run(db, a, ASSIGN_MAX_ROUNDS, &assigned) == CS_OK)
		rc = 0;
	snprintf(line, size, "%ld waiting tickets assigned (%.1f ms)", assigned,
	    batch_now_ms() - t0);
	*work = assigned;
	arena_free(a);
	return rc;
}
