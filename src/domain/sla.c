/* sla.c — see sla.h. */
#include "domain/sla.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/notify.h"
#include "tmpl/tval.h"

#include <stdio.h>
#include <string.h>

/* A time in the zone of the ticket's calendar (z.zone), "" when NULL. */
#define LT(x) "coalesce(to_char(" x " AT TIME ZONE z.zone, 'Dy YYYY-MM-DD HH24:MI'), '')"
#define OUTCOME(x) "CASE " x " WHEN true THEN 'met' WHEN false THEN 'missed' ELSE '' END"
/* The zone of a ticket's calendar ($1), UTC without one. */
#define ZONE "WITH z AS (SELECT coalesce((SELECT c.time_zone FROM tickets t" \
	" JOIN sla_policies p ON p.id = t.sla_policy_id" \
	" JOIN business_calendars c ON c.id = p.calendar_id WHERE t.id = $1), 'UTC') AS zone) "

enum stmt {
	ST_VIEW,
	ST_SEGMENTS,
	ST_EVENTS,
	ST_ESCALATIONS,
	ST_PROMISE,
	ST_RECOMPUTE,
	ST_MARK,
	ST_STALE,
	ST_RULES,
	ST_MANUAL,
	ST_MAIL,
	ST_RECIPIENTS,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_VIEW] = DB_STMT("sla_view",
	    ZONE "SELECT p.id IS NOT NULL, coalesce(p.name, ''), coalesce(c.name, ''), z.zone,"
	    " coalesce(sla_hours_text(c.id), ''), coalesce(array_to_string(p.pause_statuses, ', '),"
	    " ''), sla_colour_at(t.sla_red_at, t.sla_amber_at),"
	    " sla_left_at(t.sla_due_at, t.sla_paused_at IS NOT NULL),"
	    " round(t.sla_paused_minutes::numeric, 1)::text,"
	    " coalesce(sla_target_text(p.first_response_minutes, c.day_minutes), ''),"
	    " " LT("t.first_response_due_at") ", " LT("t.first_response_warn_at") ","
	    " t.first_response_stage, " OUTCOME("t.first_response_met") ","
	    " coalesce(sla_target_text(p.next_response_minutes, c.day_minutes), ''),"
	    " " LT("t.next_response_due_at") ", " LT("t.next_response_warn_at") ","
	    " t.next_response_stage, '',"
	    " coalesce(sla_target_text(p.resolution_minutes, c.day_minutes), ''),"
	    " " LT("t.resolution_due_at") ", " LT("t.resolution_warn_at") ","
	    " t.resolution_stage, " OUTCOME("t.resolution_met")
	    " FROM z, tickets t LEFT JOIN sla_policies p ON p.id = t.sla_policy_id"
	    " LEFT JOIN business_calendars c ON c.id = p.calendar_id WHERE t.id = $1", 1),
	[ST_SEGMENTS] = DB_STMT("sla_segments",
	    ZONE "SELECT k.state, " LT("k.started_at") ", " LT("k.ended_at") ", k.reason"
	    " FROM z, ticket_sla_clock k WHERE k.ticket_id = $1 ORDER BY k.id", 1),
	[ST_EVENTS] = DB_STMT("sla_events",
	    ZONE "SELECT replace(e.target, '_', ' '), replace(e.kind, '_', ' '), " LT("e.at") ","
	    " " LT("e.due_at") ", e.detail FROM z, ticket_sla_events e WHERE e.ticket_id = $1"
	    " ORDER BY e.at, e.id", 1),
	[ST_ESCALATIONS] = DB_STMT("sla_escalations",
	    ZONE "SELECT replace(x.trigger, '_', ' '), replace(coalesce(x.target, ''), '_', ' '),"
	    " coalesce(s.name, r.name, 'rule'), coalesce(x.reason, ''), coalesce(fa.name, ''),"
	    " coalesce(ta.name, ''), coalesce(x.old_priority, ''), coalesce(x.new_priority, ''),"
	    " " LT("x.created_at") ", " LT("x.deescalated_at")
	    " FROM z, ticket_escalations x LEFT JOIN staff s ON s.id = x.by_staff_id"
	    " LEFT JOIN escalation_rules r ON r.id = x.rule_id"
	    " LEFT JOIN staff fa ON fa.id = x.from_assignee_id"
	    " LEFT JOIN staff ta ON ta.id = x.to_assignee_id"
	    " WHERE x.ticket_id = $1 ORDER BY x.id", 1),
	[ST_PROMISE] = DB_STMT("sla_promise", "SELECT sla_promise($1)", 1),
	[ST_RECOMPUTE] = DB_STMT("sla_recompute", "SELECT sla_recompute_due($1)", 1),
	[ST_MARK] = DB_STMT("sla_mark",
	    "SELECT ticket_id, target, event, basis::text FROM sla_mark_due($1)", 1),
	[ST_STALE] = DB_STMT("sla_stale",
	    "SELECT ticket_id, rule_id, basis::text FROM sla_stale_due()", 0),
	[ST_RULES] = DB_STMT("sla_rules",
	    "SELECT e FROM sla_apply_rules($1, $2, $3, $4::timestamptz, $5) e", 5),
	/* Next level up, supervisors told: as the seeded "breached" rule does. */
	[ST_MANUAL] = DB_STMT("sla_manual",
	    "SELECT sla_escalate($1, NULL, 'manual', NULL, NULL, $2, $3, 'supervisor', true,"
	    " false)", 3),
	[ST_MAIL] = DB_STMT("sla_mail",
	    "SELECT x.trigger, replace(coalesce(x.target, ''), '_', ' '), t.number, t.subject,"
	    " t.priority, coalesce(x.reason, r.name, ''), coalesce(ta.name, ''),"
	    " coalesce(s.name, ''), sla_left_at(t.sla_due_at, t.sla_paused_at IS NOT NULL)"
	    " FROM ticket_escalations x JOIN tickets t ON t.id = x.ticket_id"
	    " LEFT JOIN escalation_rules r ON r.id = x.rule_id"
	    " LEFT JOIN staff ta ON ta.id = x.to_assignee_id"
	    " LEFT JOIN staff s ON s.id = x.by_staff_id WHERE x.id = $1", 1),
	[ST_RECIPIENTS] = DB_STMT("sla_recipients",
	    "SELECT name, email FROM sla_recipients($1)", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static const char *
num(char *buf, size_t size, long long v)
{
	snprintf(buf, size, "%lld", v);
	return buf;
}

/* Rows of a per-ticket list query, as arrays of n strings each. */
static int
rows_of(struct db *db, struct arena *a, enum stmt st, long long ticket_id, int cols,
    const char ***out, size_t *n)
{
	char id[24];
	const char *p[] = { num(id, sizeof(id), ticket_id) };
	PGresult *r = db_exec(db, &stmts[st], p);
	int i, k, rows, failed = 0;

	*out = NULL;
	*n = 0;
	if (r == NULL)
		return -1;
	rows = PQntuples(r);
	if (rows > 0 && (*out = arena_calloc(a, (size_t)rows * (size_t)cols,
	    sizeof(**out))) == NULL) {
		PQclear(r);
		return -1;
	}
	for (i = 0; i < rows; i++)
		for (k = 0; k < cols; k++)
			(*out)[i * cols + k] = db_str(a, r, i, k, &failed);
	*n = (size_t)rows;
	PQclear(r);
	return failed ? -1 : 0;
}

int
sla_view(struct db *db, struct arena *a, long long ticket_id, struct sla_view *v)
{
	static const char *const labels[3] = { "First response", "Next response", "Resolution" };
	char id[24];
	const char *p[] = { num(id, sizeof(id), ticket_id) };
	const char **s;
	PGresult *r;
	size_t n, i;
	int c = 0, k, failed = 0;

	memset(v, 0, sizeof(*v));
	if ((r = db_exec(db, &stmts[ST_VIEW], p)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return SLA_NOT_FOUND;
	}
#define S() db_str(a, r, 0, c++, &failed)
	v->has_policy = db_bool(r, 0, c++);
	v->policy = S();
	v->calendar = S();
	v->zone = S();
	v->hours = S();
	v->pauses = S();
	v->colour = S();
	v->left = S();
	v->paused_minutes = S();
	for (k = 0; k < 3; k++) {
		v->targets[k].label = labels[k];
		v->targets[k].target = S();
		v->targets[k].due_at = S();
		v->targets[k].warn_at = S();
		v->targets[k].stage = S();
		v->targets[k].outcome = S();
	}
#undef S
	PQclear(r);
	if (failed)
		return -1;
	if (rows_of(db, a, ST_SEGMENTS, ticket_id, 4, &s, &n) < 0)
		return -1;
	if (n > 0 && (v->segments = arena_calloc(a, n, sizeof(*v->segments))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		v->segments[i] = (struct sla_segment){ s[i * 4], s[i * 4 + 1], s[i * 4 + 2],
			s[i * 4 + 3] };
	v->nsegments = n;
	if (rows_of(db, a, ST_EVENTS, ticket_id, 5, &s, &n) < 0)
		return -1;
	if (n > 0 && (v->events = arena_calloc(a, n, sizeof(*v->events))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		v->events[i] = (struct sla_event){ s[i * 5], s[i * 5 + 1], s[i * 5 + 2],
			s[i * 5 + 3], s[i * 5 + 4] };
	v->nevents = n;
	if (rows_of(db, a, ST_ESCALATIONS, ticket_id, 10, &s, &n) < 0)
		return -1;
	if (n > 0 && (v->escalations = arena_calloc(a, n, sizeof(*v->escalations))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		const char **e = s + i * 10;

		v->escalations[i] = (struct sla_escalation){ e[0], e[1], e[2], e[3], e[4], e[5],
			e[6], e[7], e[8], e[9] };
	}
	v->nescalations = n;
	return 0;
}

int
sla_promise(struct db *db, struct arena *a, long long ticket_id, const char **text)
{
	char id[24];
	const char *p[] = { num(id, sizeof(id), ticket_id) };
	PGresult *r = db_exec(db, &stmts[ST_PROMISE], p);
	int failed = 0;

	*text = "";
	if (r == NULL)
		return -1;
	if (PQntuples(r) == 1)
		*text = db_str(a, r, 0, 0, &failed);
	PQclear(r);
	return failed ? -1 : 0;
}

/* The mail template of an escalation's trigger. */
static const char *
mail_name(const char *trigger)
{
	if (strcmp(trigger, "at_risk") == 0)
		return "sla_at_risk";
	if (strcmp(trigger, "breached") == 0)
		return "sla_breached";
	return "sla_escalated";
}

/*
 * Queues the mail about escalation eid to everyone sla_recipients() names,
 * inside the caller's transaction. Adds the messages queued to *mails.
 * 0, or -1 on a database error (an address the outbox refuses is skipped).
 */
static int
notify_escalation(struct db *db, const struct tmpl_set *set, struct arena *a, struct tval *ctx,
    const char *link_base, long long eid, long *mails)
{
	char id[24];
	const char *p[] = { num(id, sizeof(id), eid) };
	struct tval *esc, *tk;
	PGresult *r, *who;
	const char *trigger, *number;
	int i, rc = -1, failed = 0;

	if ((r = db_exec(db, &stmts[ST_MAIL], p)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return 0;
	}
	if ((who = db_exec(db, &stmts[ST_RECIPIENTS], p)) == NULL) {
		PQclear(r);
		return -1;
	}
	esc = tval_map(a);
	tk = tval_map(a);
	trigger = db_str(a, r, 0, 0, &failed);
	number = db_str(a, r, 0, 2, &failed);
	if (esc == NULL || tk == NULL || failed)
		goto out;
	failed |= tval_set_str(a, esc, "trigger", trigger);
	failed |= tval_set_str(a, esc, "target", db_str(a, r, 0, 1, &failed));
	failed |= tval_set_str(a, esc, "reason", db_str(a, r, 0, 5, &failed));
	failed |= tval_set_str(a, esc, "assignee", db_str(a, r, 0, 6, &failed));
	failed |= tval_set_str(a, esc, "by", db_str(a, r, 0, 7, &failed));
	failed |= tval_set_str(a, esc, "left", db_str(a, r, 0, 8, &failed));
	failed |= tval_set_str(a, tk, "number", number);
	failed |= tval_set_str(a, tk, "subject", db_str(a, r, 0, 3, &failed));
	failed |= tval_set_str(a, tk, "priority", db_str(a, r, 0, 4, &failed));
	failed |= tval_set(a, ctx, "escalation", esc);
	failed |= tval_set(a, ctx, "ticket", tk);
	failed |= tval_set_str(a, ctx, "link", arena_printf(a, "%s/agent/tickets/%s", link_base,
	    number));
	if (failed)
		goto out;
	for (i = 0; i < PQntuples(who); i++) {
		struct tval *user = tval_map(a);
		const char *email = db_str(a, who, i, 1, &failed);

		if (user == NULL || failed ||
		    tval_set_str(a, user, "name", db_str(a, who, i, 0, &failed)) ||
		    tval_set(a, ctx, "user", user))
			goto out;
		if (notify_enqueue(db, set, a, mail_name(trigger), email, mail_name(trigger),
		    ctx) < 0) {
			if (db_lost(db) || PQtransactionStatus(db->conn) == PQTRANS_INERROR)
				goto out;
			log_warn("sla: escalation %lld: a recipient's mail was refused", eid);
			continue;
		}
		(*mails)++;
	}
	rc = 0;
out:
	PQclear(who);
	PQclear(r);
	return rc;
}

/* Applies the rules for one event; escalations and mail added to c. 0 or -1. */
static int
apply_rules(struct db *db, struct arena *a, const struct tmpl_set *(*load)(void),
    struct tval *ctx, const char *link_base, const char *const p[5],
    struct sla_tick_counts *c)
{
	PGresult *r = db_exec(db, &stmts[ST_RULES], p);
	const struct tmpl_set *set;
	int i, rc = 0;

	if (r == NULL)
		return -1;
	for (i = 0; i < PQntuples(r) && rc == 0; i++) {
		c->escalations++;
		if ((set = load()) == NULL) {
			log_error("sla: no templates for escalation mail");
			rc = -1;
			break;
		}
		rc = notify_escalation(db, set, a, ctx, link_base, db_ll(r, i, 0), &c->mails);
	}
	PQclear(r);
	return rc;
}

int
sla_tick(struct db *db, struct arena *a, const struct tmpl_set *(*load_templates)(void),
    struct tval *ctx, const char *link_base, int max_rounds, struct sla_tick_counts *c)
{
	char lim[16];
	const char *lp[] = { num(lim, sizeof(lim), SLA_TICK_BATCH) };
	PGresult *r;
	long long done;
	int round, i, rows;

	/* First the due times an admin's change moved, so the marks use them. */
	for (round = 0; round < max_rounds; round++) {
		if (db_begin(db) < 0)
			return -1;
		if ((r = db_exec(db, &stmts[ST_RECOMPUTE], lp)) == NULL)
			goto fail;
		done = PQntuples(r) == 1 ? db_ll(r, 0, 0) : 0;
		PQclear(r);
		if (db_commit(db) < 0)
			return -1;
		c->recomputed += done;
		if (done < SLA_TICK_BATCH)
			break;
	}
	for (round = 0; round < max_rounds; round++) {
		if (db_begin(db) < 0)
			return -1;
		if ((r = db_exec(db, &stmts[ST_MARK], lp)) == NULL)
			goto fail;
		rows = PQntuples(r);
		for (i = 0; i < rows; i++) {
			const char *p[5] = { PQgetvalue(r, i, 0), PQgetvalue(r, i, 2),
				PQgetvalue(r, i, 1), PQgetvalue(r, i, 3), NULL };

			if (strcmp(p[1], "at_risk") == 0)
				c->at_risk++;
			else
				c->breached++;
			if (apply_rules(db, a, load_templates, ctx, link_base, p, c) < 0) {
				PQclear(r);
				goto fail;
			}
		}
		PQclear(r);
		if (db_commit(db) < 0)
			return -1;
		/* Fewer marks than a full batch: nothing more has crossed. */
		if (rows < SLA_TICK_BATCH)
			break;
	}
	if (db_begin(db) < 0)
		return -1;
	if ((r = db_exec(db, &stmts[ST_STALE], NULL)) == NULL)
		goto fail;
	for (i = 0; i < PQntuples(r); i++) {
		const char *p[5] = { PQgetvalue(r, i, 0), "no_update", NULL, PQgetvalue(r, i, 2),
			PQgetvalue(r, i, 1) };

		c->stale++;
		if (apply_rules(db, a, load_templates, ctx, link_base, p, c) < 0) {
			PQclear(r);
			goto fail;
		}
	}
	PQclear(r);
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

int
sla_escalate_manual(struct db *db, const struct tmpl_set *set, struct arena *a,
    struct tval *ctx, const char *link_base, long long staff_id, long long ticket_id,
    const char *reason, const char **why)
{
	char t[24], s[24];
	const char *p[] = { num(t, sizeof(t), ticket_id), num(s, sizeof(s), staff_id), reason };
	PGresult *r;
	long long eid = 0;
	long mails = 0;

	if (reason == NULL || reason[strspn(reason, " \t\r\n")] == '\0') {
		*why = "Say why the ticket needs escalating.";
		return SLA_REFUSED;
	}
	if (strlen(reason) > SLA_REASON_MAX) {
		*why = "The reason is longer than 1,000 characters.";
		return SLA_REFUSED;
	}
	if (db_begin(db) < 0)
		return -1;
	if ((r = db_exec(db, &stmts[ST_MANUAL], p)) == NULL)
		goto fail;
	if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
		eid = db_ll(r, 0, 0);
	PQclear(r);
	if (eid == 0) {
		db_rollback(db);
		return SLA_NOT_FOUND;
	}
	if (notify_escalation(db, set, a, ctx, link_base, eid, &mails) < 0)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}
