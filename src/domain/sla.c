/* sla.c — see sla.h. */
#include "domain/sla.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/events.h"
#include "domain/sla_calendars.h"
#include "domain/sla_mail.h"
#include "domain/sla_words.h"
#include "tmpl/tval.h"

#include <stdio.h>
#include <string.h>

#define PROMISE_COLS(X) \
	X(PR, kind, "kind") X(PR, local, "coalesce(local, '')") X(PR, isodow, "coalesce(isodow, 0)") \
	X(PR, soon, "coalesce(soon, false)") X(PR, zone, "coalesce(zone, 'UTC')") \
	X(PR, solve_local, "coalesce(solve_local, '')") \
	X(PR, solve_isodow, "coalesce(solve_isodow, 0)") \
	X(PR, solve_soon, "coalesce(solve_soon, false)") X(PR, handler, "coalesce(handler, '')")
enum { DB_COL_ENUM(PROMISE_COLS) };

#define MARK_COLS(X) \
	X(MK, ticket, "ticket_id") X(MK, target, "target") X(MK, event, "event") \
	X(MK, basis, "basis::text")
enum { DB_COL_ENUM(MARK_COLS) };

#define STALE_COLS(X) X(SL, ticket, "ticket_id") X(SL, rule, "rule_id") X(SL, basis, "basis::text")
enum { DB_COL_ENUM(STALE_COLS) };

enum stmt {
	ST_PROMISE,
	ST_RECOMPUTE,
	ST_MARK,
	ST_STALE,
	ST_RULES,
	ST_MANUAL,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_PROMISE] = DB_STMT("sla_promise",
	    "SELECT " DB_COLS(PROMISE_COLS) " FROM sla_promise_due($1)", 1),
	[ST_RECOMPUTE] = DB_STMT("sla_recompute", "SELECT sla_recompute_due($1)", 1),
	[ST_MARK] = DB_STMT("sla_mark",
	    "SELECT " DB_COLS(MARK_COLS) " FROM sla_mark_due($1)", 1),
	[ST_STALE] = DB_STMT("sla_stale",
	    "SELECT " DB_COLS(STALE_COLS) " FROM sla_stale_due()", 0),
	[ST_RULES] = DB_STMT("sla_rules",
	    "SELECT e FROM sla_apply_rules($1, $2, $3, $4::timestamptz, $5) e", 5),
	/* Next level up, supervisors told: as the seeded "breached" rule does. */
	[ST_MANUAL] = DB_STMT("sla_manual",
	    "SELECT sla_escalate($1, NULL, 'manual', NULL, NULL, $2, $3, 'supervisor', true,"
	    " false)", 3),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* The promise's words from r into *text ("" without one). CS_OK or CS_FAILED. */
static enum cs_result
promise_words(struct arena *a, const PGresult *r, const char **text)
{
	struct sla_promise_due d;
	int failed = 0;

	*text = "";
	if (PQntuples(r) != 1)
		return CS_OK;
	d.kind = db_str(a, r, 0, PR_kind, &failed);
	d.local = db_str(a, r, 0, PR_local, &failed);
	d.isodow = (int)db_ll(r, 0, PR_isodow);
	d.soon = db_bool(r, 0, PR_soon);
	d.zone = db_str(a, r, 0, PR_zone, &failed);
	d.solve_local = db_str(a, r, 0, PR_solve_local, &failed);
	d.solve_isodow = (int)db_ll(r, 0, PR_solve_isodow);
	d.solve_soon = db_bool(r, 0, PR_solve_soon);
	d.handler = db_str(a, r, 0, PR_handler, &failed);
	if (!failed)
		*text = sla_promise_words(a, &d);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
sla_promise(struct db *db, struct arena *a, long long ticket_id, const char **text)
{
	const char *p[] = { db_param_ll(a, ticket_id) };
	PGresult *r;
	enum cs_result rc;

	*text = "";
	if (p[0] == NULL)
		return CS_FAILED;
	if ((r = db_exec(db, &stmts[ST_PROMISE], p)) == NULL)
		return db_result(db);
	rc = promise_words(a, r, text);
	PQclear(r);
	return rc;
}

int
sla_promise_send(struct db_pipe *pipe, struct arena *a, long long ticket_id)
{
	const char **p = arena_calloc(a, 1, sizeof(*p));

	if (p == NULL || (p[0] = db_param_ll(a, ticket_id)) == NULL)
		return -1;
	return db_pipe_add(pipe, &stmts[ST_PROMISE], p);
}

enum cs_result
sla_promise_take(const struct db_pipe *pipe, int slot, struct arena *a, const char **text)
{
	const PGresult *r = db_pipe_result(pipe, slot);

	*text = "";
	return r == NULL ? CS_FAILED : promise_words(a, r, text);
}

/* Applies the rules for one event; escalations and mail added to c. */
static enum cs_result
apply_rules(struct db *db, struct arena *a, const struct tmpl_set *(*load)(void),
    struct tval *ctx, const char *link_base, const char *const p[5],
    struct sla_tick_counts *c)
{
	PGresult *r = db_exec(db, &stmts[ST_RULES], p);
	const struct tmpl_set *set;
	long long *eids;
	int i, n;

	if (r == NULL)
		return db_result(db);
	n = PQntuples(r);
	if (n == 0) {
		PQclear(r);
		return CS_OK;
	}
	if ((eids = arena_alloc(a, (size_t)n * sizeof(*eids))) == NULL) {
		PQclear(r);
		return CS_FAILED;
	}
	for (i = 0; i < n; i++)
		eids[i] = db_ll(r, i, 0);
	PQclear(r);
	c->escalations += n;
	if ((set = load()) == NULL) {
		log_error("sla: no templates for escalation mail");
		return CS_FAILED;
	}
	/* The rules that fired together make one mail per person. */
	return sla_mail_escalations(db, set, a, ctx, link_base, eids, (size_t)n, &c->mails);
}

/* One round of recomputing queued tickets (at most p[0]), in a transaction of
 * its own; *done: how many. */
static enum cs_result
recompute_round(struct db *db, const char *const *p, long long *done)
{
	PGresult *r;

	*done = 0;
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_RECOMPUTE], p)) == NULL) {
		enum cs_result rc = db_result(db);

		db_rollback(db);
		return rc;
	}
	*done = PQntuples(r) == 1 ? db_ll(r, 0, 0) : 0;
	PQclear(r);
	return db_commit(db) < 0 ? db_result(db) : CS_OK;
}

/* One round of marks: thresholds crossed, rules applied. *rows marked. */
/*
 * "ticket.sla_at_risk" or "ticket.sla_breached" ({target}) by the system:
 * what triggers react to (automation_run.h). CS_OK or the failure.
 */
static enum cs_result
crossed_event(struct db *db, struct arena *a, const char *ticket, const char *event,
    const char *target)
{
	static const struct event_actor system_actor = { "system", 0 };
	const char *type = strcmp(event, "at_risk") == 0 ? "ticket.sla_at_risk" :
	    "ticket.sla_breached";
	const char *payload = arena_printf(a, "{\"target\": \"%s\"}", target);
	long long id;

	if (payload == NULL || config_parse_long(ticket, 1, 1LL << 62, &id) < 0)
		return CS_FAILED;
	return events_append(db, "ticket", id, type, &system_actor, payload);
}

static enum cs_result
mark_round(struct db *db, struct arena *a, const struct tmpl_set *(*load)(void),
    struct tval *ctx, const char *link_base, const char *const *lp, struct sla_tick_counts *c,
    int *rows)
{
	enum cs_result rc = CS_OK;
	PGresult *r;
	int i;

	*rows = 0;
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_MARK], lp)) == NULL) {
		rc = db_result(db);
		goto out;
	}
	*rows = PQntuples(r);
	for (i = 0; i < *rows && rc == CS_OK; i++) {
		const char *p[5] = { PQgetvalue(r, i, MK_ticket), PQgetvalue(r, i, MK_event),
			PQgetvalue(r, i, MK_target), PQgetvalue(r, i, MK_basis), NULL };

		if (strcmp(p[1], "at_risk") == 0)
			c->at_risk++;
		else
			c->breached++;
		rc = apply_rules(db, a, load, ctx, link_base, p, c);
		if (rc == CS_OK)
			rc = crossed_event(db, a, p[0], p[1], p[2]);
	}
	PQclear(r);
out:
	if (rc != CS_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? db_result(db) : CS_OK;
}

/* Tickets nobody changed for a rule's hours, in one transaction. */
static enum cs_result
stale_round(struct db *db, struct arena *a, const struct tmpl_set *(*load)(void),
    struct tval *ctx, const char *link_base, struct sla_tick_counts *c)
{
	enum cs_result rc = CS_OK;
	PGresult *r;
	int i;

	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_STALE], NULL)) == NULL) {
		rc = db_result(db);
		goto out;
	}
	for (i = 0; i < PQntuples(r) && rc == CS_OK; i++) {
		const char *p[5] = { PQgetvalue(r, i, SL_ticket), "no_update", NULL,
			PQgetvalue(r, i, SL_basis), PQgetvalue(r, i, SL_rule) };

		c->stale++;
		rc = apply_rules(db, a, load, ctx, link_base, p, c);
	}
	PQclear(r);
out:
	if (rc != CS_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? db_result(db) : CS_OK;
}

/*
 * ctx's pairs in a new map of ra: a round's mail sets its own keys on the
 * context (the escalation, the person), and those must go with the round.
 */
static struct tval *
round_ctx(struct arena *ra, const struct tval *ctx)
{
	struct tval *r = tval_map(ra);
	size_t i;

	for (i = 0; r != NULL && i < ctx->u.map.n; i++)
		if (tval_set(ra, r, ctx->u.map.pairs[i].key, ctx->u.map.pairs[i].val) != 0)
			r = NULL;
	return r;
}

enum cs_result
sla_tick(struct db *db, struct arena *a, const struct tmpl_set *(*load_templates)(void),
    struct tval *ctx, const char *link_base, int max_rounds, struct sla_tick_counts *c)
{
	const char *lp[] = { db_param_ll(a, SLA_TICK_BATCH) };
	/* A round's mail is rendered here and dropped once the round commits:
	 * a tick that catches up on a backlog (200 rounds of 500) would
	 * otherwise hold every mail it queued (half a gigabyte was seen). */
	struct arena *ra;
	enum cs_result rc;
	long long done;
	int round, rows;

	if (lp[0] == NULL || (ra = arena_new(16384)) == NULL)
		return CS_FAILED;
	/* First the due times an admin's change moved, so the marks use them. */
	for (round = 0; round < max_rounds; round++) {
		if ((rc = recompute_round(db, lp, &done)) != CS_OK)
			goto out;
		c->recomputed += done;
		if (done < SLA_TICK_BATCH)
			break;
	}
	for (round = 0; round < max_rounds; round++) {
		struct tval *rctx = round_ctx(ra, ctx);

		rc = rctx == NULL ? CS_FAILED :
		    mark_round(db, ra, load_templates, rctx, link_base, lp, c, &rows);
		arena_reset(ra);
		if (rc != CS_OK)
			goto out;
		/* Fewer marks than a full batch: nothing more has crossed. */
		if (rows < SLA_TICK_BATCH)
			break;
	}
	{
		struct tval *rctx = round_ctx(ra, ctx);

		rc = rctx == NULL ? CS_FAILED : stale_round(db, ra, load_templates, rctx, link_base, c);
	}
out:
	arena_free(ra);
	return rc;
}

enum cs_result
sla_escalate_manual(struct db *db, const struct tmpl_set *set, struct arena *a,
    struct tval *ctx, const char *link_base, long long staff_id, long long ticket_id,
    const char *reason, const char **why)
{
	const char *p[] = { db_param_ll(a, ticket_id), db_param_ll(a, staff_id), reason };
	enum cs_result rc;
	PGresult *r;
	long long eid = 0;
	long mails = 0;

	if (reason == NULL || reason[strspn(reason, " \t\r\n")] == '\0') {
		*why = "Say why the ticket needs escalating.";
		return CS_REFUSED;
	}
	if (utf8_chars(reason) > SLA_REASON_MAX) {
		*why = "The reason for escalating is longer than 1,000 characters.";
		return CS_REFUSED;
	}
	if (p[0] == NULL || p[1] == NULL)
		return CS_FAILED;
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_MANUAL], p)) == NULL) {
		rc = db_result(db);
		goto fail;
	}
	if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
		eid = db_ll(r, 0, 0);
	PQclear(r);
	if (eid == 0) {
		db_rollback(db);
		return CS_NOT_FOUND;
	}
	if ((rc = sla_mail_escalations(db, set, a, ctx, link_base, &eid, 1, &mails)) != CS_OK)
		goto fail;
	return db_commit(db) < 0 ? db_result(db) : CS_OK;
fail:
	db_rollback(db);
	return rc;
}
