/* automation_run.c — see automation_run.h. */
#include "domain/automation_run.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/events.h"
#include "domain/notify.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"

#include <jansson.h>
#include <string.h>

/* The "when" of event rules, as automation_rules.on_event names them. */
enum kind { K_CREATED, K_CUSTOMER_REPLIED, K_STATUS_CHANGED, K_PRIORITY_CHANGED, K_UPDATED,
	K_SLA_AT_RISK, K_SLA_BREACHED, K__MAX };
static const char *const kind_names[K__MAX] = { "created", "customer_replied",
	"status_changed", "priority_changed", "updated", "sla_at_risk", "sla_breached" };

#define FIRE_COLS(X) X(FR, fired, "f.fired") X(FR, changed, "array_to_string(f.changed, ',')") \
	X(FR, set_status, "coalesce(f.set_status, '')") X(FR, mail_to, "coalesce(f.mail_to, '')") \
	X(FR, status, "f.status")
enum { DB_COL_ENUM(FIRE_COLS) };
#define MSG_COLS(X) X(MS, number, "t.number") X(MS, subject, "t.subject") \
	X(MS, mail_subject, "coalesce(r.mail_subject, r.name)") X(MS, mail_body, "r.mail_body")
enum { DB_COL_ENUM(MSG_COLS) };
#define TO_COLS(X) X(TO, name, "x.name") X(TO, email, "x.email") X(TO, staff, "x.staff")
enum { DB_COL_ENUM(TO_COLS) };
#define DUE_COLS(X) X(DU, rule, "d.rule_id") X(DU, ticket, "d.ticket_id") \
	X(DU, basis, "automation_basis_key(d.basis)")
enum { DB_COL_ENUM(DUE_COLS) };

enum stmt { ST_KINDS, ST_MATCH, ST_MARK, ST_FIRE, ST_STAMP, ST_MSG, ST_TO, ST_DUE, ST__MAX };

static struct db_stmt stmts[] = {
	/* Which "when"s have an active rule: read once per run. */
	[ST_KINDS] = DB_STMT("automation_kinds",
	    "SELECT DISTINCT on_event FROM automation_rules WHERE active AND on_event <> 'time'", 0),
	[ST_MATCH] = DB_STMT("automation_match",
	    "SELECT rule_id FROM automation_matches($1::bigint, $2::text[])", 2),
	/* The last event this transaction appended: what a firing adds comes after. */
	[ST_MARK] = DB_STMT("automation_mark",
	    "SELECT coalesce(max(id), 0) FROM domain_events WHERE tx = pg_current_xact_id()", 0),
	[ST_FIRE] = DB_STMT("automation_fire",
	    "SELECT " DB_COLS(FIRE_COLS) " FROM automation_fire($1::bigint, $2::bigint, $3,"
	    " $4::integer) f", 4),
	/* Every event the firing caused says so: the rule and how deep. */
	[ST_STAMP] = DB_STMT("automation_stamp",
	    "UPDATE domain_events SET payload = payload || jsonb_build_object('automation',"
	    " jsonb_build_object('rule_id', $2::bigint, 'depth', $3::integer))"
	    " WHERE tx = pg_current_xact_id() AND id > $1::bigint", 3),
	[ST_MSG] = DB_STMT("automation_message",
	    "SELECT " DB_COLS(MSG_COLS) " FROM automation_rules r, tickets t"
	    " WHERE r.id = $1::bigint AND t.id = $2::bigint", 2),
	/* The people a rule's mail goes to, by its mail_to. */
	[ST_TO] = DB_STMT("automation_recipients",
	    "SELECT " DB_COLS(TO_COLS) " FROM automation_rules r JOIN tickets t ON t.id = $2::bigint"
	    " CROSS JOIN LATERAL (SELECT u.name, u.email, false AS staff FROM portal_users u"
	    "  WHERE r.mail_to = 'customer' AND u.id = t.requester_id AND u.active"
	    " UNION ALL SELECT s.name, s.email, true FROM staff s"
	    "  WHERE r.mail_to = 'assignee' AND s.id = t.assignee_id AND s.active"
	    " UNION ALL SELECT s.name, s.email, true FROM staff s"
	    "  WHERE r.mail_to = 'team' AND s.team_id = t.team_id AND s.active"
	    "  AND 'agent' = ANY (s.roles)"
	    " UNION ALL SELECT '', r.mail_address, true WHERE r.mail_to = 'address') x"
	    " WHERE r.id = $1::bigint ORDER BY x.email", 2),
	[ST_DUE] = DB_STMT("automation_time_due",
	    "SELECT " DB_COLS(DUE_COLS) " FROM automation_time_due() d", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

struct run {
	const struct automation_env *env;
	unsigned kinds;		/* bit per enum kind with an active rule */
	long fired;
};

/* The member name of o's object member "fields" or array "fields". */
static int
has_field(const json_t *o, const char *name)
{
	const json_t *f = json_object_get(o, "fields");
	size_t i;

	if (json_is_object(f))
		return json_object_get(f, name) != NULL;
	for (i = 0; json_is_array(f) && i < json_array_size(f); i++)
		if (json_is_string(json_array_get(f, i)) &&
		    strcmp(json_string_value(json_array_get(f, i)), name) == 0)
			return 1;
	return 0;
}

/* The "when"s event e (payload o) is, as bits of enum kind. */
static unsigned
kinds_of(const struct event *e, const json_t *o)
{
	const char *t = e->type;

	if (strcmp(t, "ticket.created") == 0)
		return 1u << K_CREATED;
	if (strcmp(t, "ticket.replied") == 0)
		return (strcmp(e->actor.kind, "customer") == 0 ? 1u << K_CUSTOMER_REPLIED : 0) |
		    1u << K_UPDATED;
	if (strcmp(t, "ticket.status_changed") == 0)
		return 1u << K_STATUS_CHANGED | 1u << K_UPDATED;
	if (strcmp(t, "ticket.fields_changed") == 0 || strcmp(t, "ticket.automated") == 0)
		return (has_field(o, "priority") ? 1u << K_PRIORITY_CHANGED : 0) | 1u << K_UPDATED;
	if (strcmp(t, "ticket.assigned") == 0 || strcmp(t, "ticket.noted") == 0)
		return 1u << K_UPDATED;
	if (strcmp(t, "ticket.sla_at_risk") == 0)
		return 1u << K_SLA_AT_RISK;
	if (strcmp(t, "ticket.sla_breached") == 0)
		return 1u << K_SLA_BREACHED;
	return 0;
}

/* kinds as a text[] literal, "{created,updated}", in a; NULL when out of memory. */
static const char *
kinds_param(struct arena *a, unsigned kinds)
{
	const char *s = "{";
	int k, first = 1;

	for (k = 0; k < K__MAX && s != NULL; k++)
		if (kinds & 1u << k) {
			s = arena_printf(a, "%s%s%s", s, first ? "" : ",", kind_names[k]);
			first = 0;
		}
	return s != NULL ? arena_printf(a, "%s}", s) : NULL;
}

/* Which "when"s have an active rule into r->kinds. CS_OK or the failure. */
static enum cs_result
load_kinds(struct db *db, struct run *r)
{
	PGresult *res = db_exec(db, &stmts[ST_KINDS], NULL);
	int i, k;

	if (res == NULL)
		return db_result(db);
	r->kinds = 0;
	for (i = 0; i < PQntuples(res); i++)
		for (k = 0; k < K__MAX; k++)
			if (strcmp(PQgetvalue(res, i, 0), kind_names[k]) == 0)
				r->kinds |= 1u << k;
	PQclear(res);
	return CS_OK;
}

/* A database failure, or CS_OK after logging what was skipped. */
static enum cs_result
skip_or_fail(struct db *db, const char *what, long long rule, long long ticket)
{
	if (!db_tx_healthy(db))
		return db_result(db);
	log_warn("automation: rule %lld on ticket %lld: %s; skipped", rule, ticket, what);
	return CS_OK;
}

/* The ticket, message and site of a rule's mail, into ctx. CS_OK or the failure. */
static enum cs_result
message_ctx(struct db *db, struct arena *a, const struct automation_env *env,
    const char *const *p, struct tval *ctx, const char **number)
{
	struct tval *site = tval_map(a), *ticket = tval_map(a), *msg = tval_map(a);
	PGresult *r = db_exec(db, &stmts[ST_MSG], p);
	int failed = 0;

	if (r == NULL)
		return db_result(db);
	if (PQntuples(r) != 1 || site == NULL || ticket == NULL || msg == NULL) {
		PQclear(r);
		return CS_FAILED;
	}
	*number = db_str(a, r, 0, MS_number, &failed);
	failed |= tval_set_str(a, site, "name", env->site_name) ||
	    tval_set_str(a, ticket, "number", *number) ||
	    tval_set_str(a, ticket, "subject", db_str(a, r, 0, MS_subject, &failed)) ||
	    tval_set_str(a, msg, "subject", db_str(a, r, 0, MS_mail_subject, &failed)) ||
	    tval_set_str(a, msg, "body", db_str(a, r, 0, MS_mail_body, &failed)) ||
	    tval_set(a, ctx, "site", site) || tval_set(a, ctx, "ticket", ticket) ||
	    tval_set(a, ctx, "message", msg);
	PQclear(r);
	return failed ? CS_FAILED : CS_OK;
}

/* Queues rule's mail about ticket to whoever its mail_to names. */
static enum cs_result
mail(struct db *db, struct arena *a, const struct automation_env *env, long long rule,
    long long ticket)
{
	const char *p[] = { db_param_ll(a, rule), db_param_ll(a, ticket) }, *number = "";
	struct tval *ctx = tval_map(a);
	enum cs_result rc;
	PGresult *to;
	int i, failed = 0;

	if (env->set == NULL)
		return skip_or_fail(db, "no templates for its mail", rule, ticket);
	if (p[0] == NULL || p[1] == NULL || ctx == NULL)
		return CS_FAILED;
	if ((rc = message_ctx(db, a, env, p, ctx, &number)) != CS_OK)
		return rc;
	if ((to = db_exec(db, &stmts[ST_TO], p)) == NULL)
		return db_result(db);
	for (i = 0; i < PQntuples(to) && rc == CS_OK; i++) {
		struct tval *who = tval_map(a);
		const char *email = db_str(a, to, i, TO_email, &failed);

		if (who == NULL || failed ||
		    tval_set_str(a, who, "name", db_str(a, to, i, TO_name, &failed)) ||
		    tval_set(a, ctx, "recipient", who) ||
		    tval_set_str(a, ctx, "link", arena_printf(a, "%s%s/%s", env->base_url,
		    db_bool(to, i, TO_staff) ? "/agent/tickets" : "/tickets", number))) {
			rc = CS_FAILED;
			break;
		}
		if (!notify_address_ok(email))
			continue;
		if (notify_enqueue(db, env->set, a, "automation_message", email,
		    "automation_message", ctx) != CS_OK)
			rc = skip_or_fail(db, "a recipient's mail was refused", rule, ticket);
	}
	PQclear(to);
	return rc;
}

/* The status a rule moves a ticket to, through the workflow, when the system may. */
static enum cs_result
move_status(struct db *db, struct arena *a, long long rule, long long ticket, const char *from,
    const char *to)
{
	struct ticket_actor_ref by = { TA_SYSTEM, 0, 0, 0, 0 };
	struct ticket_status_in in = { 0 };
	enum ticket_status f = ticket_status_parse(from), t = ticket_status_parse(to);
	const char *why = NULL;
	enum cs_result rc;

	/* A refusal would doom the dispatcher's transaction: ask first. */
	if (f == t || !ticket_transition_allowed(TA_SYSTEM, f, t)) {
		log_info("automation: rule %lld: ticket %lld stays %s (not %s from there)", rule,
		    ticket, from, to);
		return CS_OK;
	}
	in.ticket_id = ticket;
	in.to = t;
	rc = ticket_change_status(db, a, &by, &in, &why);
	return rc == CS_REFUSED || rc == CS_NOT_FOUND ? CS_FAILED : rc;
}

/* "ticket.automated": the fields a firing changed, so rules can react. */
static enum cs_result
automated_event(struct db *db, long long rule, long long ticket, const char *changed)
{
	static const struct event_actor system_actor = { "system", 0 };
	json_t *o = json_pack("{s:I, s:s}", "rule_id", (json_int_t)rule, "changed", changed);
	json_t *fields = json_array();
	char *copy = strdup(changed), *save = NULL, *f, *text = NULL;
	enum cs_result rc = CS_FAILED;

	for (f = copy != NULL ? strtok_r(copy, ",", &save) : NULL; f != NULL && fields != NULL;
	    f = strtok_r(NULL, ",", &save))
		json_array_append_new(fields, json_string(f));
	if (o != NULL && fields != NULL && json_object_set(o, "fields", fields) == 0 &&
	    (text = json_dumps(o, JSON_COMPACT)) != NULL)
		rc = events_append(db, "ticket", ticket, "ticket.automated", &system_actor, text);
	free(text);
	free(copy);
	json_decref(fields);
	json_decref(o);
	return rc;
}

/* Fires rule on ticket for basis at depth (see the header). *fired: 1 or 0. */
static enum cs_result
fire(struct db *db, struct arena *a, const struct automation_env *env, long long rule,
    long long ticket, const char *basis, int depth, int *fired)
{
	const char *p[] = { db_param_ll(a, rule), db_param_ll(a, ticket), basis,
		db_param_ll(a, depth) };
	const char *changed, *set_status, *mail_to, *status, *sp[3];
	enum cs_result rc = CS_OK;
	PGresult *r;
	long long mark;
	int failed = 0;

	*fired = 0;
	if (p[0] == NULL || p[1] == NULL || p[3] == NULL)
		return CS_FAILED;
	if ((r = db_exec(db, &stmts[ST_MARK], NULL)) == NULL)
		return db_result(db);
	mark = db_ll(r, 0, 0);
	PQclear(r);
	if ((r = db_exec(db, &stmts[ST_FIRE], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) != 1 || !db_bool(r, 0, FR_fired)) {
		PQclear(r);
		return CS_OK;
	}
	changed = db_str(a, r, 0, FR_changed, &failed);
	set_status = db_str(a, r, 0, FR_set_status, &failed);
	mail_to = db_str(a, r, 0, FR_mail_to, &failed);
	status = db_str(a, r, 0, FR_status, &failed);
	PQclear(r);
	if (failed)
		return CS_FAILED;
	*fired = 1;
	if (*changed != '\0')
		rc = automated_event(db, rule, ticket, changed);
	if (rc == CS_OK && *set_status != '\0')
		rc = move_status(db, a, rule, ticket, status, set_status);
	if (rc == CS_OK && *mail_to != '\0')
		rc = mail(db, a, env, rule, ticket);
	sp[0] = db_param_ll(a, mark);
	sp[1] = p[0];
	sp[2] = p[3];
	if (rc == CS_OK && sp[0] == NULL)
		rc = CS_FAILED;
	if (rc == CS_OK)
		rc = db_do(db, &stmts[ST_STAMP], sp);
	return rc;
}

/* An event's automation depth and the rule that caused it (0: none). */
static void
cause_of(const json_t *o, int *depth, long long *rule)
{
	const json_t *au = json_object_get(o, "automation");

	*depth = (int)json_integer_value(json_object_get(au, "depth"));
	*rule = (long long)json_integer_value(json_object_get(au, "rule_id"));
}

/* The consumer: every matching event rule but the one that caused e. */
static enum cs_result
on_event(struct db *db, struct arena *a, const struct event *e, void *ctx)
{
	struct run *run = ctx;
	const char *p[2], *basis;
	json_t *o = NULL;
	unsigned kinds;
	long long cause;
	enum cs_result rc = CS_OK;
	PGresult *r;
	int depth, i, fired;

	if (strcmp(e->aggregate, "ticket") != 0)
		return CS_OK;
	o = events_payload(e);
	kinds = kinds_of(e, o) & run->kinds;
	cause_of(o, &depth, &cause);
	json_decref(o);
	/* Most events: no rule for them, and no statement either. */
	if (kinds == 0 || depth >= AUTOMATION_DEPTH_MAX)
		return CS_OK;
	p[0] = db_param_ll(a, e->aggregate_id);
	p[1] = kinds_param(a, kinds);
	basis = arena_printf(a, "e:%lld", e->id);
	if (p[0] == NULL || p[1] == NULL || basis == NULL)
		return CS_FAILED;
	if ((r = db_exec(db, &stmts[ST_MATCH], p)) == NULL)
		return db_result(db);
	for (i = 0; i < PQntuples(r) && rc == CS_OK; i++) {
		long long rule = db_ll(r, i, 0);

		if (rule == cause)
			continue;
		rc = fire(db, a, run->env, rule, e->aggregate_id, basis, depth + 1, &fired);
		run->fired += fired;
	}
	PQclear(r);
	return rc;
}

enum cs_result
automation_triggers_run(struct db *db, const struct automation_env *env, int max_batches,
    long *fired)
{
	struct run run = { env, 0, 0 };
	struct event_consumer c = { AUTOMATION_CONSUMER, on_event, &run };
	struct arena *a = arena_new(16384);
	enum cs_result rc;
	long done;
	int b;

	*fired = 0;
	if (a == NULL)
		return CS_FAILED;
	rc = load_kinds(db, &run);
	for (b = 0; rc == CS_OK && b < max_batches; b++) {
		arena_reset(a);
		rc = events_dispatch(db, a, &c, EVENTS_BATCH_MAX, &done);
		if (done < EVENTS_BATCH_MAX)
			break;
	}
	*fired = run.fired;
	arena_free(a);
	return rc;
}

enum cs_result
automation_time_run(struct db *db, const struct automation_env *env, long *fired)
{
	struct arena *a = arena_new(16384);
	enum cs_result rc = CS_OK;
	PGresult *r;
	int i, one, failed = 0;

	*fired = 0;
	if (a == NULL)
		return CS_FAILED;
	if (db_begin(db) < 0) {
		arena_free(a);
		return db_result(db);
	}
	if ((r = db_exec(db, &stmts[ST_DUE], NULL)) == NULL)
		rc = db_result(db);
	for (i = 0; r != NULL && i < PQntuples(r) && rc == CS_OK; i++) {
		rc = fire(db, a, env, db_ll(r, i, DU_rule), db_ll(r, i, DU_ticket),
		    db_str(a, r, i, DU_basis, &failed), 1, &one);
		if (failed)
			rc = CS_FAILED;
		*fired += one;
	}
	PQclear(r);
	rc = db_end(db, rc);
	if (rc != CS_OK)
		*fired = 0;
	arena_free(a);
	return rc;
}
