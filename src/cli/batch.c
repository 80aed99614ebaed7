/*
 * batch.c — `csdesk batch [--loop SECONDS]`: the periodic work, run every
 * minute by csdesk-batch.timer (or by `make run` with --loop).
 *
 * The work is a list of steps run in order. Each step holds a session
 * advisory lock of its own while it runs and is skipped when another
 * session holds it, so every host may run the batch at the same time and
 * a step never runs twice at once; each step is idempotent, so a run that
 * stops half-way is finished by the next. A step that fails does not stop
 * the others; the exit status is 1 when any failed.
 *
 * Adding a step (SLA, escalation, metrics…) is adding a row to steps[]
 * with a lock key no other step uses.
 *
 * With --loop the batch also looks, ten times a second, whether new
 * domain events have committed (events_newest, events.h: one index probe),
 * and runs the steps marked on_event (the dispatcher, then mail delivery)
 * at once, so the mail a change causes leaves within a second rather than
 * at the next tick. (Commits used to NOTIFY instead; PostgreSQL serialises
 * every notifying commit, WAL flush included, on one lock, which held
 * ticket creation under 400 a second.)
 */
#include "cli/batch_ops.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/assign_waiting.h"
#include "domain/automation_run.h"
#include "domain/events.h"
#include "domain/mailer.h"
#include "domain/sla.h"
#include "cli/batch_steps.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* What a step did, for its line of output. */
struct step_result {
	char line[200];		/* "3 sent, 0 failed, 0 dead" */
	long work;		/* how many things it did or touched; 0: nothing */
};

static int step_mail(struct db *db, struct step_result *r);
static int step_events(struct db *db, struct step_result *r);
static int step_housekeeping(struct db *db, struct step_result *r);
static int step_counts(struct db *db, struct step_result *r);
static int step_analytics(struct db *db, struct step_result *r);
static int step_reports(struct db *db, struct step_result *r);
static int step_warranty(struct db *db, struct step_result *r);
static int step_parts(struct db *db, struct step_result *r);
static int step_parts_rollup(struct db *db, struct step_result *r);
static int step_surveys(struct db *db, struct step_result *r);
static int step_assign(struct db *db, struct step_result *r);
static int step_triggers(struct db *db, struct step_result *r);
static int step_automations(struct db *db, struct step_result *r);
static int step_webhooks(struct db *db, struct step_result *r);
/* SLA and escalation (sla.h). */
static int step_sla(struct db *db, struct step_result *r);

/* Auto-close and daily metrics (batch_ops.c). */
static int
step_autoclose(struct db *db, struct step_result *r)
{
	return batch_ops_autoclose(db, r->line, sizeof(r->line), &r->work);
}

static int
step_metrics(struct db *db, struct step_result *r)
{
	return batch_ops_metrics(db, r->line, sizeof(r->line), &r->work);
}

static const struct step {
	const char *name;
	long long lock_key;	/* pg_try_advisory_lock key, unique per step */
	int (*run)(struct db *db, struct step_result *r);	/* 0 or -1 (logged) */
	int on_event;		/* --loop: also run when events are committed */
} steps[] = {
	/* SLA and escalation: before mail, so that its messages go out this run. */
	{ "sla", SLA_LOCK_KEY, step_sla, 0 },
	/* Waiting tickets to agents now on shift (batch_assign.c); before the
	 * events, so the agents hear of them in this run. */
	{ "assign", ASSIGN_WAITING_LOCK_KEY, step_assign, 0 },
	/* Time rules (batch_automation.c), before the event rules react to them. */
	{ "automations", AUTOMATION_TIME_LOCK_KEY, step_automations, 0 },
	/* Auto-close and daily metrics (batch_ops.c); before the events and
	 * mail, so that the customers' notices leave in the same run. */
	{ "auto-close", 0x6373646b0010LL, step_autoclose, 0 },
	{ "metrics", 0x6373646b0011LL, step_metrics, 0 },
	/* The analytics rollup, then the reports and alerts it feeds (batch_analytics.c). */
	{ "analytics", 0x6373646b0180LL, step_analytics, 0 },
	{ "reports", 0x6373646b0181LL, step_reports, 0 },
	/* Warranty coverage, claims and renewals (batch_warranty.c); before the
	 * events, so that the mail its moves cause leaves in the same run. */
	{ "warranty", 0x6373646b0034LL, step_warranty, 0 },
	/* Replenishment proposals and loaner reminders (batch_parts.c); before the events. */
	{ "parts", 0x6373646b0042LL, step_parts, 0 },
	/* The field and parts reports' daily rollup (batch_parts_rollup.c). */
	{ "field-rollup", 0x6373646b0055LL, step_parts_rollup, 0 },
	/* Ticket count deltas into the base (batch_counts.c); with the events,
	 * as new tickets come with events, and before mail, which can be long. */
	{ "counts", 0x6373646b0020LL, step_counts, 1 },
	/* Event rules (batch_automation.c): before the dispatcher, so that the
	 * events and mail they cause leave in this run. */
	{ "triggers", AUTOMATION_TRIGGERS_LOCK_KEY, step_triggers, 1 },
	/* The dispatcher: mail and audit from domain events (batch_ops.c). */
	{ "events", 0x6373646b0012LL, step_events, 1 },
	/* Webhooks (batch_webhooks.c): after the rules, whose calls they post. */
	{ "webhooks", 0x6373646b0046LL, step_webhooks, 1 },
	/* Periodic surveys (batch_surveys.c): before mail, which sends them. */
	{ "surveys", 0x6373646b0036LL, step_surveys, 0 },
	{ "mail", MAILER_LOCK_KEY, step_mail, 1 },
	{ "housekeeping", 0x6373646b0002LL, step_housekeeping, 0 },
};

enum stmt {
	ST_LOCK,
	ST_UNLOCK,
	ST_PORTAL_SESSIONS,
	ST_STAFF_SESSIONS,
	ST_AUTH_TOKENS,
	ST_LOGIN_ATTEMPTS,
	ST_PRESENCE,
	ST_IDEMPOTENCY,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_LOCK] = DB_STMT("batch_lock", "SELECT pg_try_advisory_lock($1::bigint)", 1),
	[ST_UNLOCK] = DB_STMT("batch_unlock", "SELECT pg_advisory_unlock($1::bigint)", 1),
	/* Sessions past their absolute or their idle expiry. */
	[ST_PORTAL_SESSIONS] = DB_STMT("batch_portal_sessions",
	    "DELETE FROM portal_sessions WHERE expires_at < now()"
	    " OR last_seen_at + make_interval(secs => idle_seconds) < now()", 0),
	[ST_STAFF_SESSIONS] = DB_STMT("batch_staff_sessions",
	    "DELETE FROM staff_sessions WHERE expires_at < now()"
	    " OR last_seen_at + make_interval(secs => idle_seconds) < now()", 0),
	/* Links used, or expired, more than a week ago. */
	[ST_AUTH_TOKENS] = DB_STMT("batch_auth_tokens",
	    "DELETE FROM auth_tokens WHERE used_at < now() - interval '7 days'"
	    " OR expires_at < now() - interval '7 days'", 0),
	/*
	 * Attempts older than 30 days. Ids grow with time, so the old rows are
	 * the ids below the first recent one: a range of the primary key,
	 * found without reading the table each minute.
	 */
	[ST_LOGIN_ATTEMPTS] = DB_STMT("batch_login_attempts",
	    "DELETE FROM login_attempts WHERE at < now() - interval '30 days'"
	    " AND id < coalesce((SELECT id FROM login_attempts"
	    " WHERE at >= now() - interval '30 days' ORDER BY id LIMIT 1),"
	    " 9223372036854775807)", 0),
	/* Ticket page presence (006): rows mean nothing after two minutes;
	 * a day keeps the table small without a write per page view. */
	[ST_PRESENCE] = DB_STMT("batch_presence",
	    "DELETE FROM ticket_presence WHERE seen_at < now() - interval '1 day'", 0),
	/* Idempotency keys and form tokens live a day (idempotency.h). */
	[ST_IDEMPOTENCY] = DB_STMT("batch_idempotency",
	    "DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* Most batches of mail one run sends, so that one run always ends. */
#define MAIL_MAX_BATCHES 200
/* The batch's statement_timeout and lock_timeout, ms: longer than a page's,
 * as nobody waits on it, but bounded, so that one stuck lock cannot stall it. */
#define BATCH_STATEMENT_MS 120000
#define BATCH_LOCK_MS 10000

/*
 * In --loop mode SIGINT and SIGTERM are blocked and waited for: a signal
 * lets the step under way finish, then the loop ends.
 */
static sigset_t stop_signals;
static int looping;

/* Non-zero when a stop was asked for (only in --loop mode). */
static int
stop_requested(void)
{
	sigset_t pending;

	if (!looping || sigpending(&pending) < 0)
		return 0;
	return sigismember(&pending, SIGINT) == 1 || sigismember(&pending, SIGTERM) == 1;
}

static int
step_mail(struct db *db, struct step_result *r)
{
	struct mailer_counts c = { 0, 0, 0 };
	struct mailer_config cfg;
	struct mailer *m = NULL;
	struct arena *a = arena_new(1024);
	int i, n, rc = -1;

	if (a == NULL || mailer_config_env(&cfg, a, cli_datadir()) != CS_OK) {
		log_error("batch: mail: out of memory");
		goto out;
	}
	if ((m = mailer_new(&cfg)) == NULL)
		goto out;
	rc = 0;
	for (i = 0; i < MAIL_MAX_BATCHES && !stop_requested(); i++) {
		if (mailer_deliver(m, db, MAILER_BATCH_MAX, &c, &n) != CS_OK)
			rc = -1;
		if (rc < 0 || n == 0)
			break;
	}
	snprintf(r->line, sizeof(r->line), "%ld sent, %ld failed, %ld dead", c.sent, c.failed,
	    c.dead);
	r->work = c.sent + c.failed + c.dead;
out:
	mailer_free(m);
	arena_free(a);
	return rc;
}

/* Runs a DELETE and adds the rows it removed to *count. 0 or -1. */
static int
delete_rows(struct db *db, enum stmt st, long long *count)
{
	PGresult *res = db_exec(db, &stmts[st], NULL);
	long long n;
	int rc = -1;

	if (res == NULL)
		return -1;
	if (config_parse_long(PQcmdTuples(res), 0, 1LL << 62, &n) == 0) {
		*count += n;
		rc = 0;
	} else {
		log_error("batch: %s: no row count", stmts[st].name);
	}
	PQclear(res);
	return rc;
}

static int
step_housekeeping(struct db *db, struct step_result *r)
{
	long long sessions = 0, tokens = 0, attempts = 0, presence = 0;
	int len;

	if (delete_rows(db, ST_PORTAL_SESSIONS, &sessions) < 0 ||
	    delete_rows(db, ST_STAFF_SESSIONS, &sessions) < 0 ||
	    delete_rows(db, ST_AUTH_TOKENS, &tokens) < 0 ||
	    delete_rows(db, ST_LOGIN_ATTEMPTS, &attempts) < 0 ||
	    delete_rows(db, ST_PRESENCE, &presence) < 0 ||
	    delete_rows(db, ST_IDEMPOTENCY, &tokens) < 0)
		return -1;
	len = snprintf(r->line, sizeof(r->line),
	    "%lld expired sessions, %lld old links, %lld old login attempts deleted",
	    sessions, tokens, attempts);
	if (presence > 0 && len > 0 && (size_t)len < sizeof(r->line))
		snprintf(r->line + len, sizeof(r->line) - (size_t)len,
		    "; %lld ticket presence rows older than a day deleted", presence);
	r->work = (long)(sessions + tokens + attempts + presence);
	return 0;
}

/* Asks for (or gives back) a step's lock: 1 held, 0 not, -1 error. */
static int
step_lock(struct db *db, enum stmt st, long long key)
{
	char k[24];
	const char *p[1] = { k };
	PGresult *res;
	int rc = -1;

	snprintf(k, sizeof(k), "%lld", key);
	res = db_exec(db, &stmts[st], p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 1)
		rc = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return rc;
}

/*
 * Runs every step once (only those marked on_event when events_only; 2:
 * and not the mail delivery),
 * printing a line for each (in quiet mode only for steps that did
 * something or failed). Returns how many failed.
 */
static int
run_steps(struct db *db, int quiet, int events_only)
{
	size_t i;
	int failed = 0;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]) && !stop_requested(); i++) {
		const struct step *s = &steps[i];
		struct step_result r;
		int held, rc;

		if (events_only && !s->on_event)
			continue;
		/* --dispatch: what follows from events, up to the outbox. */
		if (events_only == 2 && s->run == step_mail)
			continue;
		memset(&r, 0, sizeof(r));
		held = db_ensure(db) < 0 ? -1 : step_lock(db, ST_LOCK, s->lock_key);
		if (held < 0) {
			printf("batch: %s: FAILED (no database; see the log)\n", s->name);
			failed++;
		} else if (held == 0) {
			if (!quiet)
				printf("batch: %s: skipped (another session holds its lock)\n",
				    s->name);
		} else {
			rc = s->run(db, &r);
			/* A failed step may leave a transaction open: end it first. */
			if (db_ensure(db) == 0 && step_lock(db, ST_UNLOCK, s->lock_key) != 1)
				log_warn("batch: %s: the lock was not held at the end", s->name);
			if (rc < 0) {
				printf("batch: %s: FAILED (see the log)\n", s->name);
				failed++;
			} else if (!quiet || r.work > 0) {
				printf("batch: %s: %s\n", s->name, r.line);
			}
		}
		fflush(stdout);
	}
	return failed;
}

/* Waits up to ms milliseconds for SIGINT or SIGTERM; 1 when one came. */
static int
wait_for_stop(long long ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	for (;;) {
		int sig = sigtimedwait(&stop_signals, NULL, &ts);

		if (sig == SIGINT || sig == SIGTERM)
			return 1;
		if (sig < 0 && errno == EAGAIN)
			return 0;
		/* EINTR (another signal): the rest of the wait is lost, which is harmless. */
		if (sig < 0 && errno != EINTR)
			return 0;
	}
}

/* How often the loop looks for new events. */
#define WAKE_SLICE_MS 100
/*
 * After new events are seen, the event steps run again each slice for this
 * long: an event is handed out only once every transaction older than its
 * own has ended, and a transaction that took its event's id earlier may
 * commit a moment after a later one (the newest id did not move for it).
 */
#define WAKE_LINGER_MS 2000

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Waits up to seconds for the next tick, running the event steps whenever
 * new events have committed (and for a while after). 1 when a stop came.
 */
static int
wait_for_tick(struct db *db, long long seconds)
{
	static long long seen = -1;	/* the newest event id last time; -1: not read yet */
	long long end = now_ms() + seconds * 1000, linger = 0;

	for (;;) {
		long long left = end - now_ms(), newest = 0;

		if (stop_requested())
			return 1;
		if (left <= 0)
			return 0;
		if (wait_for_stop(left < WAKE_SLICE_MS ? left : WAKE_SLICE_MS))
			return 1;
		/* No database now: the next tick tries again (as every step does). */
		if (db_ensure(db) < 0 || events_newest(db, &newest) != CS_OK)
			continue;
		/* The first look runs them too: what committed after the tick's
		 * own dispatcher ran and before this look would wait a tick. */
		if (newest != seen)
			linger = now_ms() + WAKE_LINGER_MS;
		seen = newest;
		if (now_ms() < linger)
			run_steps(db, 1, 1);
	}
}

int
cli_batch(int argc, char **argv)
{
	long long seconds = 0;
	struct db db;
	int failed, events_only = 0;

	/* --events: once, the steps the loop runs when events arrive (what
	 * follows from new mail: the bench times it). */
	if (argc == 2 && strcmp(argv[1], "--events") == 0) {
		events_only = 1;
	} else if (argc == 2 && strcmp(argv[1], "--dispatch") == 0) {
		/* The same without delivering the mail (the bench times the two apart). */
		events_only = 2;
	} else if (argc == 3 && strcmp(argv[1], "--loop") == 0) {
		if (config_parse_long(argv[2], 1, 86400, &seconds) < 0) {
			fprintf(stderr, "csdesk batch: --loop takes seconds from 1 to 86400\n");
			return 2;
		}
	} else if (argc != 1) {
		fprintf(stderr, "usage: csdesk batch [--loop SECONDS | --events | --dispatch]\n");
		return 2;
	}
	if (seconds > 0) {
		sigemptyset(&stop_signals);
		sigaddset(&stop_signals, SIGINT);
		sigaddset(&stop_signals, SIGTERM);
		if (sigprocmask(SIG_BLOCK, &stop_signals, NULL) < 0) {
			perror("csdesk batch: sigprocmask");
			return 1;
		}
		looping = 1;
	}
	if (cli_connect(&db) < 0)
		return 1;
	/* Its own limits: a sweep may read more than a page, but a lock held
	 * by a stuck session must not stall every later step. */
	db_set_limits(&db, BATCH_STATEMENT_MS, BATCH_LOCK_MS);
	if (!looping) {
		failed = run_steps(&db, 0, events_only);
		db_close(&db);
		return failed > 0 ? 1 : 0;
	}
	printf("batch: running every %lld seconds until stopped\n", seconds);
	fflush(stdout);
	do
		run_steps(&db, 1, 0);
	while (!stop_requested() && !wait_for_tick(&db, seconds));
	db_close(&db);
	printf("batch: stopped\n");
	return 0;
}

static int
step_sla(struct db *db, struct step_result *r)
{
	return batch_step_sla(db, r->line, sizeof(r->line), &r->work);
}

static int
step_events(struct db *db, struct step_result *r)
{
	return batch_step_events(db, r->line, sizeof(r->line), &r->work);
}

static int
step_counts(struct db *db, struct step_result *r)
{
	return batch_step_counts(db, r->line, sizeof(r->line), &r->work);
}

static int
step_analytics(struct db *db, struct step_result *r)
{
	return batch_step_analytics(db, r->line, sizeof(r->line), &r->work);
}

static int
step_reports(struct db *db, struct step_result *r)
{
	return batch_step_reports(db, r->line, sizeof(r->line), &r->work);
}

static int
step_warranty(struct db *db, struct step_result *r)
{
	return batch_step_warranty(db, r->line, sizeof(r->line), &r->work);
}

static int
step_parts(struct db *db, struct step_result *r)
{
	return batch_step_parts(db, r->line, sizeof(r->line), &r->work);
}

static int
step_parts_rollup(struct db *db, struct step_result *r)
{
	return batch_step_parts_rollup(db, r->line, sizeof(r->line), &r->work);
}

static int
step_surveys(struct db *db, struct step_result *r)
{
	return batch_step_surveys(db, r->line, sizeof(r->line), &r->work);
}

static int
step_assign(struct db *db, struct step_result *r)
{
	return batch_step_assign(db, r->line, sizeof(r->line), &r->work);
}

static int
step_webhooks(struct db *db, struct step_result *r)
{
	return batch_step_webhooks(db, r->line, sizeof(r->line), &r->work);
}

static int
step_triggers(struct db *db, struct step_result *r)
{
	return batch_step_triggers(db, r->line, sizeof(r->line), &r->work);
}

static int
step_automations(struct db *db, struct step_result *r)
{
	return batch_step_automations(db, r->line, sizeof(r->line), &r->work);
}
