/*
 * batch_automation.c — the `csdesk batch` steps of triggers and
 * automations (automation_run.h): "triggers" hands ticket events to the
 * event rules (with the dispatcher, also when a commit wakes the loop);
 * "automations" fires the time rules whose hours have come, its time
 * printed for `make bench`.
 */
#include "cli/batch_steps.h"
#include "core/log.h"
#include "domain/automation_run.h"

#include <stdio.h>

/* Most batches of events one run hands the rules (the next run goes on). */
#define TRIGGERS_MAX_BATCHES 200


static struct automation_env
environment(void)
{
	struct automation_env env = { batch_templates(),
		batch_env_or("CSDESK_SITE_NAME", "csdesk"),
		batch_env_or("CSDESK_BASE_URL", "http://127.0.0.1:8080") };

	return env;
}


int
batch_step_triggers(struct db *db, char *line, size_t size, long *work)
{
	struct automation_env env = environment();
	double t0 = batch_now_ms();
	long fired = 0;
	int rc = automation_triggers_run(db, &env, TRIGGERS_MAX_BATCHES, &fired) == CS_OK ? 0 : -1;

	snprintf(line, size, "%ld rules fired on ticket events (%.1f ms)", fired,
	    batch_now_ms() - t0);
	*work = fired;
	return rc;
}

int
batch_step_automations(struct db *db, char *line, size_t size, long *work)
{
	struct automation_env env = environment();
	double t0 = batch_now_ms();
	long fired = 0;
	int rc = automation_time_run(db, &env, &fired) == CS_OK ? 0 : -1;

	snprintf(line, size, "%ld time rules fired (%.1f ms)", fired, batch_now_ms() - t0);
	*work = fired;
	return rc;
}
