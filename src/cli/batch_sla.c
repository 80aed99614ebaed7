/*
 * batch_sla.c — the `csdesk batch` step "sla": marks tickets that crossed
 * 80 % or 100 % of a target since the last tick, escalates by rule and
 * queues the mail to the supervisor chain (sla.h has the rules).
 *
 * The templates are compiled only when some mail is due, so a tick with
 * nothing to do costs the one indexed look-up of sla_mark_due and the
 * rules' no-update windows.
 */
#include "cli/batch_steps.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/log.h"
#include "domain/sla.h"
#include "tmpl/tmpl.h"
#include "tmpl/tval.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Most rounds of SLA_TICK_BATCH tickets one run marks, so one run ends. */
#define SLA_MAX_ROUNDS 200

static struct tmpl_set *templates;

const struct tmpl_set *
batch_templates(void)
{
	char path[4096], err[512];

	if (templates != NULL)
		return templates;
	snprintf(path, sizeof(path), "%s/templates", cli_datadir());
	if ((templates = tmpl_set_new()) == NULL ||
	    tmpl_set_add_dir(templates, path, err, sizeof(err)) < 0 ||
	    tmpl_set_compile(templates, 1, err, sizeof(err)) < 0) {
		log_error("batch: templates: %s", templates == NULL ? "out of memory" : err);
		tmpl_set_free(templates);
		templates = NULL;
	}
	return templates;
}

const char *
batch_env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : fallback;
}

double
batch_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int
batch_step_sla(struct db *db, char *line, size_t size, long *work)
{
	struct sla_tick_counts c = { 0, 0, 0, 0, 0, 0 };
	double t0 = batch_now_ms();
	struct arena *a = arena_new(16384);
	struct tval *ctx, *site;
	int rc = -1;

	if (a == NULL || (ctx = tval_map(a)) == NULL || (site = tval_map(a)) == NULL ||
	    tval_set_str(a, site, "name", batch_env_or("CSDESK_SITE_NAME", "csdesk")) ||
	    tval_set(a, ctx, "site", site)) {
		log_error("batch: sla: out of memory");
		goto out;
	}
	rc = sla_tick(db, a, batch_templates, ctx,
	    batch_env_or("CSDESK_BASE_URL", "http://127.0.0.1:8080"), SLA_MAX_ROUNDS, &c) ==
	    CS_OK ? 0 : -1;
	/* The time is what `make bench` reports as the cost of a tick. */
	snprintf(line, size, "%ld recomputed, %ld at risk, %ld breached, %ld without update,"
	    " %ld escalated, %ld mails queued (%.1f ms)", c.recomputed, c.at_risk, c.breached,
	    c.stale, c.escalations, c.mails, batch_now_ms() - t0);
	*work = c.recomputed + c.at_risk + c.breached + c.stale + c.escalations;
out:
	arena_free(a);
	return rc;
}
