/*
 * batch_webhooks.c — the `csdesk batch` step "webhooks": queues the ticket
 * events the webhooks want (their consumer, webhooks.h), then posts the
 * deliveries that are due (webhook_send.h). With `--loop` it runs as soon
 * as a commit wakes the loop, so a receiver hears of a change within a
 * second or so.
 */
#include "cli/batch_steps.h"
#include "domain/webhook_send.h"
#include "domain/webhooks.h"

#include <stdio.h>

/* Most batches of events one run queues, and deliveries it posts. */
#define WEBHOOK_EVENT_BATCHES 20
#define WEBHOOK_POSTS_MAX 100

int
batch_step_webhooks(struct db *db, char *line, size_t size, long *work)
{
	long events = 0, delivered = 0, retried = 0;
	double t0 = batch_now_ms();
	int rc = 0;

	if (webhooks_consume(db, WEBHOOK_EVENT_BATCHES, &events) != CS_OK)
		rc = -1;
	if (webhooks_send_due(db, WEBHOOK_POSTS_MAX, &delivered, &retried) != CS_OK)
		rc = -1;
	/* Timed, as make bench reads it (scripts/bench_site.sh). */
	snprintf(line, size, "%ld events looked at, %ld delivered, %ld to try again (%.1f ms)",
	    events, delivered, retried, batch_now_ms() - t0);
	*work = delivered + retried;
	return rc;
}
