/* ticket_consumers.c — mail and audit from ticket events; see ticket_consumers.h. */
#include "domain/ticket_consumers.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/events.h"
#include "domain/kb_suggest.h"
#include "domain/mail_intake.h"
#include "domain/returns_mail.h"
#include "domain/field_consumers.h"
#include "domain/ticket_notify.h"
#include "domain/ticket_site.h"
#include "domain/tickets.h"

#include <jansson.h>
#include <string.h>

#define BODY_COLS(X) X(BD, body, "m.body")
enum { DB_COL_ENUM(BODY_COLS) };

enum stmt {
	ST_BODY,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_BODY] = DB_STMT("ticket_consumer_body",
	    "SELECT " DB_COLS(BODY_COLS) " FROM ticket_comments m WHERE m.id = $1", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* Who caused the event, as the ticket modules name actors. */
static struct ticket_actor_ref
actor_of(const struct event *e)
{
	struct ticket_actor_ref by;

	memset(&by, 0, sizeof(by));
	by.kind = TA_SYSTEM;
	if (strcmp(e->actor.kind, "customer") == 0) {
		by.kind = TA_CUSTOMER;
		by.id = e->actor.id;
	} else if (strcmp(e->actor.kind, "staff") == 0 || strcmp(e->actor.kind, "api") == 0) {
		by.kind = TA_STAFF;
		by.id = e->actor.id;
		by.api = strcmp(e->actor.kind, "api") == 0;
	}
	return by;
}

/* A comment's body, in a; NULL when it is gone (or out of memory: *bad set). */
static const char *
comment_body(struct db *db, struct arena *a, long long id, int *bad)
{
	char n[24];
	const char *p[] = { n };
	const char *body = NULL;
	PGresult *r;

	snprintf(n, sizeof(n), "%lld", id);
	if ((r = db_exec(db, &stmts[ST_BODY], p)) == NULL) {
		*bad = 1;
		return NULL;
	}
	if (PQntuples(r) == 1)
		body = db_str(a, r, 0, BD_body, bad);
	PQclear(r);
	return body;
}

static long long
payload_ll(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

static const char *
payload_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

/* The staff ids of payload key (a JSON array), into a; *n how many. */
static enum cs_result
payload_ids(struct arena *a, json_t *o, const char *key, long long **ids, size_t *n)
{
	json_t *list = json_object_get(o, key), *v;
	size_t i;

	*ids = NULL;
	*n = 0;
	if (!json_is_array(list) || json_array_size(list) == 0)
		return CS_OK;
	if ((*ids = arena_calloc(a, json_array_size(list), sizeof(**ids))) == NULL)
		return CS_FAILED;
	json_array_foreach(list, i, v)
		if (json_is_integer(v) && json_integer_value(v) > 0)
			(*ids)[(*n)++] = (long long)json_integer_value(v);
	return CS_OK;
}

/*
 * A comment's mail: a public one to the other side; an internal note to
 * the colleagues it mentions (their ids in the payload, resolved when
 * the note was written).
 */
static enum cs_result
comment_mail(struct db *db, struct arena *a, const struct event *e, json_t *o,
    const struct ticket_actor_ref *by, int internal)
{
	long long *ids = NULL;
	size_t n = 0;
	const char *body;
	int bad = 0;
	enum cs_result rc;

	if (internal && ((rc = payload_ids(a, o, "mentioned", &ids, &n)) != CS_OK || n == 0))
		return rc;
	body = comment_body(db, a, payload_ll(o, "comment_id"), &bad);
	if (bad)
		return CS_FAILED;
	if (body == NULL)
		return CS_OK;
	if (internal)
		return ticket_notify_mentioned(db, a, by, e->aggregate_id, body, ids, n);
	return ticket_notify_comment(db, a, by, e->aggregate_id, "public", body);
}

/* The mail one event sends (ticket_notify.h). */
static enum cs_result
mail_for(struct db *db, struct arena *a, const struct event *e, json_t *o)
{
	struct ticket_actor_ref by = actor_of(e);
	long long id = e->aggregate_id;

	if (strcmp(e->type, "ticket.created") == 0) {
		const char *intro = NULL;
		int ok = 1;
		enum cs_result rc;

		/* A mail's ticket answers only a person, and not too often. */
		if (strcmp(payload_str(o, "channel"), "email") == 0 &&
		    (rc = mail_auto_reply(db, a, id, &ok, &intro)) != CS_OK)
			return rc;
		return ok ? ticket_notify_created(db, a, id, intro) : CS_OK;
	}
	/* Routing's at opening and every one by hand: the agent it now has,
	 * when that is someone new (a team-only change tells nobody). */
	if (strcmp(e->type, "ticket.assigned") == 0) {
		long long agent = payload_ll(o, "assignee_id");

		if (agent == payload_ll(o, "previous_assignee_id"))
			return CS_OK;
		return ticket_notify_assigned(db, a, &by, id, agent);
	}
	if (strcmp(e->type, "ticket.replied") == 0 || strcmp(e->type, "ticket.noted") == 0)
		return comment_mail(db, a, e, o, &by, strcmp(e->type, "ticket.noted") == 0);
	/* The agent's own warning, when they asked for it (the supervisors'
	 * comes from the escalation rules). */
	if (strcmp(e->type, "ticket.sla_at_risk") == 0)
		return ticket_notify_at_risk(db, a, id, payload_str(o, "target"));
	if (strcmp(e->type, "ticket.merged") == 0)
		return ticket_notify_merged(db, a, &by, payload_ll(o, "target_id"),
		    payload_str(o, "number"));
	if (strcmp(e->type, "ticket.status_changed") != 0)
		return CS_OK;
	if (strcmp(payload_str(o, "to"), "resolved") == 0)
		return ticket_notify_status(db, a, &by, id, TS_RESOLVED);
	if (json_is_true(json_object_get(o, "tell")))
		return ticket_notify_auto_closed(db, a, id, (int)payload_ll(o, "auto_close_days"));
	return CS_OK;
}

static enum cs_result
mail_handle(struct db *db, struct arena *a, const struct event *e, void *ctx)
{
	json_t *o;
	enum cs_result rc;

	(void)ctx;
	if (strcmp(e->aggregate, "ticket") != 0)
		return CS_OK;
	if ((o = events_payload(e)) == NULL)
		return CS_FAILED;
	rc = mail_for(db, a, e, o);
	json_decref(o);
	return rc != CS_OK ? events_skip_or_fail(db, TICKET_CONSUMER_MAIL, e) : CS_OK;
}

/* Which events are audited, as what. */
static const struct {
	const char *type;
	const char *to;			/* status_changed: the status moved to */
	int customers_only;
	const char *action;
} audited[] = {
	{ "ticket.created", NULL, 0, "ticket.create" },
	{ "ticket.replied", NULL, 1, "ticket.reply" },
	{ "ticket.status_changed", "closed", 1, "ticket.confirm" },
	{ "ticket.status_changed", "reopened", 1, "ticket.reopen" },
};

static enum cs_result
audit_handle(struct db *db, struct arena *a, const struct event *e, void *ctx)
{
	struct audit_entry entry;
	const char *action = NULL;
	json_t *o;
	size_t i;
	enum cs_result rc;

	(void)a;
	(void)ctx;
	if (strcmp(e->aggregate, "ticket") != 0)
		return CS_OK;
	if ((o = events_payload(e)) == NULL)
		return CS_FAILED;
	/* A change of site (an address: where a visit goes) is audited too. */
	if (strcmp(e->type, "ticket.fields_changed") == 0) {
		rc = ticket_site_audit(db, e, o);
		json_decref(o);
		return rc != CS_OK ? events_skip_or_fail(db, TICKET_CONSUMER_AUDIT, e) : CS_OK;
	}
	for (i = 0; i < sizeof(audited) / sizeof(audited[0]) && action == NULL; i++)
		if (strcmp(e->type, audited[i].type) == 0 &&
		    (audited[i].to == NULL || strcmp(payload_str(o, "to"), audited[i].to) == 0) &&
		    (!audited[i].customers_only || strcmp(e->actor.kind, "customer") == 0))
			action = audited[i].action;
	if (action == NULL) {
		json_decref(o);
		return CS_OK;
	}
	memset(&entry, 0, sizeof(entry));
	entry.actor_kind = audit_actor_from_name(e->actor.kind);
	if (entry.actor_kind == AUDIT_ACTOR_ANY)
		entry.actor_kind = AUDIT_ACTOR_SYSTEM;
	entry.actor_id = e->actor.id;
	entry.action = action;
	entry.object_type = "ticket";
	entry.object_id = payload_str(o, "number");
	entry.ip = payload_str(o, "ip");
	rc = audit_record(db, &entry);
	json_decref(o);
	return rc != CS_OK ? events_skip_or_fail(db, TICKET_CONSUMER_AUDIT, e) : CS_OK;
}

static const struct event_consumer consumers[] = {
	{ TICKET_CONSUMER_MAIL, mail_handle, NULL },
	{ TICKET_CONSUMER_AUDIT, audit_handle, NULL },
	{ TICKET_CONSUMER_KB, kb_suggest_handle, NULL },
	/* Returns' customer mail (returns_mail.h), with the same templates. */
	{ RETURNS_CONSUMER_MAIL, returns_mail_handle, NULL },
	/* Field service: the customer's appointment mail and the technicians' audit
	 * (field_consumers.h). */
	{ FIELD_CONSUMER_MAIL, field_mail_handle, NULL },
	{ FIELD_CONSUMER_AUDIT, field_audit_handle, NULL },
};

enum cs_result
ticket_consumers_run(struct db *db, int max_batches, long *done)
{
	enum cs_result first = CS_OK, rc;
	size_t i;

	for (i = 0; i < sizeof(consumers) / sizeof(consumers[0]); i++) {
		if ((strcmp(consumers[i].name, TICKET_CONSUMER_MAIL) == 0 ||
		    strcmp(consumers[i].name, RETURNS_CONSUMER_MAIL) == 0 ||
		    strcmp(consumers[i].name, FIELD_CONSUMER_MAIL) == 0) && !ticket_notify_ready()) {
			log_error("events: %s: no templates set up; its events wait",
			    consumers[i].name);
			rc = CS_FAILED;
		} else {
			rc = events_drain(db, &consumers[i], max_batches, done);
		}
		if (first == CS_OK)
			first = rc;
	}
	return first;
}
