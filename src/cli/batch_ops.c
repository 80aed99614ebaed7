/* batch_ops.c — see batch_ops.h. */
#include "cli/batch_ops.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/metrics.h"
#include "domain/ops_settings.h"
#include "domain/report_schedule.h"
#include "domain/parts_consumers.h"
#include "domain/survey_consumers.h"
#include "domain/ticket_autoclose.h"
#include "domain/ticket_consumers.h"
#include "domain/warranty_consumers.h"
#include "domain/ticket_notify.h"
#include "cli/batch_steps.h"
#include "tmpl/tmpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The environment's value of name, or fallback when unset or empty. */
static const char *
env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : fallback;
}

/*
 * Compiles the templates and sets up ticket mail, once per process (the
 * same templates, product name and links as the FastCGI programs). 0 or -1.
 */
static int
mail_setup(void)
{
	static struct tmpl_set *set;
	const char *base = env_or("CSDESK_BASE_URL", "http://127.0.0.1:8080");
	char dir[4096], err[512];

	if (set != NULL)
		return 0;
	if ((strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0) ||
	    base[strlen(base) - 1] == '/')
		return log_fail("batch: CSDESK_BASE_URL must start with http:// or https:// "
		    "and not end with a slash");
	snprintf(dir, sizeof(dir), "%s/templates", cli_datadir());
	if ((set = tmpl_set_new()) == NULL || tmpl_set_add_dir(set, dir, err, sizeof(err)) < 0 ||
	    tmpl_set_compile(set, 1, err, sizeof(err)) < 0) {
		log_error("batch: templates in %s: %s", dir, set != NULL ? err : "out of memory");
		tmpl_set_free(set);
		set = NULL;
		return -1;
	}
	ticket_notify_setup(set, env_or("CSDESK_SITE_NAME", "csdesk"), base);
	report_mail_setup(set, env_or("CSDESK_SITE_NAME", "csdesk"), base);
	warranty_notify_setup(set, env_or("CSDESK_SITE_NAME", "csdesk"), base);
	survey_mail_setup(set, env_or("CSDESK_SITE_NAME", "csdesk"), base);
	parts_notify_setup(set, env_or("CSDESK_SITE_NAME", "csdesk"), base);
	return 0;
}

int
batch_mail_setup(void)
{
	return mail_setup();
}

int
batch_ops_autoclose(struct db *db, char *line, size_t size, long *work)
{
	struct ops_settings s;
	struct arena *a = arena_new(1024);
	long closed = 0;
	int rc = -1;

	if (a == NULL || mail_setup() < 0 || ops_settings_load(db, a, &s) != CS_OK)
		goto out;
	rc = ticket_autoclose_run(db, s.auto_close_days, &closed) == CS_OK ? 0 : -1;
	snprintf(line, size, "%ld closed (resolved more than %d days ago)", closed,
	    s.auto_close_days);
	*work = closed;
out:
	arena_free(a);
	return rc;
}

int
batch_ops_metrics(struct db *db, char *line, size_t size, long *work)
{
	struct ops_settings s;
	struct arena *a = arena_new(1024);
	long changed = 0;
	int rc = -1;

	if (a == NULL || ops_settings_load(db, a, &s) != CS_OK)
		goto out;
	rc = metrics_rollup(db, s.time_zone, &changed) == CS_OK ? 0 : -1;
	snprintf(line, size, "%ld daily rows changed (days in %s)", changed,
	    s.time_zone);
	*work = changed;
out:
	arena_free(a);
	return rc;
}

/* Most batches of events one run hands each consumer (the next run goes on). */
#define EVENTS_MAX_BATCHES 200

int
batch_step_events(struct db *db, char *line, size_t size, long *work)
{
	long done = 0;
	int rc;

	rc = mail_setup() < 0 ? -1 : ticket_consumers_run(db, EVENTS_MAX_BATCHES, &done) == CS_OK ?
	    0 : -1;
	if (rc == 0 && warranty_consumers_run(db, EVENTS_MAX_BATCHES, &done) != CS_OK)
		rc = -1;
	if (rc == 0 && parts_consumers_run(db, EVENTS_MAX_BATCHES, &done) != CS_OK)
		rc = -1;
	/* The surveys' consumer (survey_consumers.h): a cursor of its own, so it
	 * runs whatever the ticket consumers did. */
	if (batch_mail_setup() == 0 && survey_consumers_run(db, EVENTS_MAX_BATCHES, &done) != CS_OK)
		rc = -1;
	snprintf(line, size, "%ld events handed to their consumers", done);
	*work = done;
	return rc;
}
