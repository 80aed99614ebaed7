/* ticket_api.c — see ticket_api.h. */
#include "domain/ticket_api.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/ticket_assign.h"
#include "domain/tickets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns of a list row. */
#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define ROW_COLS(X) \
	X(R, id, "t.id") X(R, customer_id, "t.customer_id") X(R, number, "t.number") \
	X(R, status, "t.status") X(R, priority, "t.priority") X(R, channel, "t.channel") \
	X(R, subject, "t.subject") X(R, created_at, ISO("t.created_at")) \
	X(R, updated_at, ISO("t.updated_at"))
enum { DB_COL_ENUM(ROW_COLS) };
#define CUSTOMER_COLS(X) X(C, customer_id, "u.customer_id") X(C, user_id, "u.id")
enum { DB_COL_ENUM(CUSTOMER_COLS) };
#define CATEGORY_COLS(X) X(K, id, "id")
enum { DB_COL_ENUM(CATEGORY_COLS) };
/* A ticket's SLA columns as the clock triggers keep them (009), and its times. */
#define SLA_TARGET(X, name) \
	X(S, name##_due_at, ISO("t." #name "_due_at")) \
	X(S, name##_warn_at, ISO("t." #name "_warn_at")) X(S, name##_stage, "t." #name "_stage")
#define SLA_COLS(X) \
	X(S, policy, "p.name") X(S, paused_since, ISO("t.sla_paused_at")) \
	X(S, paused_minutes, "t.sla_paused_minutes") \
	X(S, created_at, ISO("t.created_at")) X(S, updated_at, ISO("t.updated_at")) \
	X(S, first_response_at, ISO("t.first_response_at")) \
	X(S, resolved_at, ISO("t.resolved_at")) X(S, closed_at, ISO("t.closed_at")) \
	SLA_TARGET(X, first_response) X(S, first_response_met, "t.first_response_met") \
	SLA_TARGET(X, next_response) \
	SLA_TARGET(X, resolution) X(S, resolution_met, "t.resolution_met")
enum { DB_COL_ENUM(SLA_COLS) };
/* What a change checks under its lock. */
#define LOCK_COLS(X) \
	X(L, version, "version") X(L, status, "status") X(L, team_id, "coalesce(team_id, 0)") \
	X(L, agent_id, "coalesce(assignee_id, 0)")
enum { DB_COL_ENUM(LOCK_COLS) };
#define STATUS_OK "($1::text IS NULL OR t.status = $1 OR ($1 = 'open' AND ticket_is_open(t.status)))"

enum stmt {
	STMT_LIST,
	STMT_LIST_CUSTOMER,
	STMT_CUSTOMER,
	STMT_CATEGORY,
	STMT_SITE,
	STMT_STATE,
	STMT_STATE_NUMBER,
	STMT_LOCK,
	STMT__MAX
};

static struct db_stmt stmts[] = {
	/* Newest first by id: the primary key drives it. */
	[STMT_LIST] = DB_STMT("ticket_api_list",
	    "SELECT " DB_COLS(ROW_COLS) " FROM tickets t WHERE " STATUS_OK
	    " AND ($2::bigint IS NULL OR t.id < $2) ORDER BY t.id DESC LIMIT $3::integer", 3),
	/* One account's tickets: tickets_customer finds them, few to sort. */
	[STMT_LIST_CUSTOMER] = DB_STMT("ticket_api_list_customer",
	    "SELECT " DB_COLS(ROW_COLS) " FROM tickets t WHERE t.customer_id ="
	    " (SELECT customer_id FROM portal_users WHERE email = lower($4))"
	    " AND " STATUS_OK " AND ($2::bigint IS NULL OR t.id < $2)"
	    " ORDER BY t.id DESC LIMIT $3::integer", 4),
	[STMT_CUSTOMER] = DB_STMT("ticket_api_customer",
	    "SELECT " DB_COLS(CUSTOMER_COLS) " FROM portal_users u"
	    " JOIN customers c ON c.id = u.customer_id"
	    " WHERE u.email = lower($1) AND u.active AND c.active", 1),
	[STMT_CATEGORY] = DB_STMT("ticket_api_category",
	    "SELECT " DB_COLS(CATEGORY_COLS) " FROM categories WHERE lower(name) = lower($1)"
	    " AND active", 1),
	[STMT_SITE] = DB_STMT("ticket_api_site",
	    "SELECT 1 FROM customer_sites WHERE id = $1::bigint AND customer_id = $2::bigint"
	    " AND active", 2),
	[STMT_STATE] = DB_STMT("ticket_api_state",
	    "SELECT " DB_COLS(SLA_COLS) " FROM tickets t"
	    " LEFT JOIN sla_policies p ON p.id = t.sla_policy_id WHERE t.id = $1::bigint", 1),
	/* The same by number: read with the ticket, in one round trip. */
	[STMT_STATE_NUMBER] = DB_STMT("ticket_api_state_number",
	    "SELECT " DB_COLS(SLA_COLS) " FROM tickets t"
	    " LEFT JOIN sla_policies p ON p.id = t.sla_policy_id WHERE t.number = $1", 1),
	/* The row the use cases then lock again: the version holds until commit. */
	[STMT_LOCK] = DB_STMT("ticket_api_lock",
	    "SELECT " DB_COLS(LOCK_COLS) " FROM tickets WHERE id = $1::bigint FOR UPDATE", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

static enum cs_result
fill_row(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct ticket_api_row *t = elem;
	int failed = 0;

	t->id = db_ll(res, i, R_id);
	t->customer_id = db_ll(res, i, R_customer_id);
	t->number = db_str(a, res, i, R_number, &failed);
	t->status = db_str(a, res, i, R_status, &failed);
	t->priority = db_str(a, res, i, R_priority, &failed);
	t->channel = db_str(a, res, i, R_channel, &failed);
	t->subject = db_str(a, res, i, R_subject, &failed);
	t->created_at = db_str(a, res, i, R_created_at, &failed);
	t->updated_at = db_str(a, res, i, R_updated_at, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
ticket_api_list(struct db *db, struct arena *a, const struct ticket_api_filter *f,
    struct ticket_api_row **rows, size_t *n, long long *next_before)
{
	char before[24], limit[16];
	const char *p[4];
	enum cs_result rc;
	void *out;
	int want, more;

	*next_before = 0;
	want = f->limit < 1 ? 1 : f->limit > TICKET_API_LIMIT_MAX ? TICKET_API_LIMIT_MAX : f->limit;
	snprintf(before, sizeof(before), "%lld", f->before_id);
	/* One more than asked: tells whether there is a next page. */
	snprintf(limit, sizeof(limit), "%d", want + 1);
	p[0] = f->status;
	p[1] = f->before_id > 0 ? before : NULL;
	p[2] = limit;
	p[3] = f->customer_email;
	rc = db_page(db, a, &stmts[f->customer_email ? STMT_LIST_CUSTOMER : STMT_LIST], p, want,
	    sizeof(**rows), fill_row, &out, n, &more);
	*rows = out;
	if (rc == CS_OK && more && *n > 0)
		*next_before = (*rows)[*n - 1].id;
	return rc;
}

enum cs_result
ticket_api_customer(struct db *db, const char *email, long long *customer_id,
    long long *user_id)
{
	const char *p[] = { email };
	PGresult *res = db_exec(db, &stmts[STMT_CUSTOMER], p);
	enum cs_result rc;

	*customer_id = *user_id = 0;
	if (res == NULL)
		return db_result(db);
	rc = PQntuples(res) == 1 ? CS_OK : CS_NOT_FOUND;
	if (rc == CS_OK) {
		*customer_id = db_ll(res, 0, C_customer_id);
		*user_id = db_ll(res, 0, C_user_id);
	}
	PQclear(res);
	return rc;
}

enum cs_result
ticket_api_category(struct db *db, const char *name, long long *id)
{
	const char *p[] = { name };
	PGresult *res = db_exec(db, &stmts[STMT_CATEGORY], p);
	enum cs_result rc;

	*id = 0;
	if (res == NULL)
		return db_result(db);
	rc = PQntuples(res) >= 1 ? CS_OK : CS_NOT_FOUND;
	if (rc == CS_OK)
		*id = db_ll(res, 0, K_id);
	PQclear(res);
	return rc;
}

enum cs_result
ticket_api_site(struct db *db, long long customer_id, long long site_id)
{
	char site[24], customer[24];
	const char *p[] = { site, customer };
	PGresult *res;
	int found;

	snprintf(site, sizeof(site), "%lld", site_id);
	snprintf(customer, sizeof(customer), "%lld", customer_id);
	if ((res = db_exec(db, &stmts[STMT_SITE], p)) == NULL)
		return db_result(db);
	found = PQntuples(res) == 1;
	PQclear(res);
	return found ? CS_OK : CS_NOT_FOUND;
}

/* NULL for a NULL column, else its text in a. */
static const char *
str_or_null(struct arena *a, const PGresult *res, int col, int *failed)
{
	return PQgetisnull(res, 0, col) ? NULL : db_str(a, res, 0, col, failed);
}

/* 1, 0 or -1 (NULL) for a boolean column. */
static int
tristate(const PGresult *res, int col)
{
	return PQgetisnull(res, 0, col) ? -1 : db_bool(res, 0, col);
}

static void
sla_target(struct arena *a, const PGresult *res, int due, struct ticket_api_sla_target *t,
    int *failed)
{
	/* The columns of one target follow each other: due, warn, stage. */
	t->due_at = str_or_null(a, res, due, failed);
	t->warn_at = str_or_null(a, res, due + 1, failed);
	t->stage = db_str(a, res, 0, due + 2, failed);
	t->met = -1;
}

static enum cs_result
fill_state(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct ticket_api_state *s = elem;
	int failed = 0;

	(void)i;
	s->policy = str_or_null(a, res, S_policy, &failed);
	s->paused_since = str_or_null(a, res, S_paused_since, &failed);
	s->paused_minutes = strtod(PQgetvalue(res, 0, S_paused_minutes), NULL);
	s->created_at = db_str(a, res, 0, S_created_at, &failed);
	s->updated_at = db_str(a, res, 0, S_updated_at, &failed);
	s->first_response_at = str_or_null(a, res, S_first_response_at, &failed);
	s->resolved_at = str_or_null(a, res, S_resolved_at, &failed);
	s->closed_at = str_or_null(a, res, S_closed_at, &failed);
	sla_target(a, res, S_first_response_due_at, &s->first_response, &failed);
	s->first_response.met = tristate(res, S_first_response_met);
	sla_target(a, res, S_next_response_due_at, &s->next_response, &failed);
	sla_target(a, res, S_resolution_due_at, &s->resolution, &failed);
	s->resolution.met = tristate(res, S_resolution_met);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
ticket_api_state(struct db *db, struct arena *a, long long ticket_id, struct ticket_api_state *s)
{
	char id[24];
	const char *p[] = { id };

	memset(s, 0, sizeof(*s));
	snprintf(id, sizeof(id), "%lld", ticket_id);
	return db_one(db, a, &stmts[STMT_STATE], p, fill_state, s);
}

enum cs_result
ticket_api_get(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const char *number, struct ticket *t, struct ticket_api_state *s)
{
	const char **p = arena_alloc(a, sizeof(*p));
	struct db_pipe pipe;
	enum cs_result rc;
	int get, state;

	memset(s, 0, sizeof(*s));
	if (p == NULL)
		return CS_FAILED;
	p[0] = number;
	db_pipe_init(&pipe);
	if ((get = ticket_get_send(&pipe, a, by, number)) < 0 ||
	    (state = db_pipe_add(&pipe, &stmts[STMT_STATE_NUMBER], p)) < 0)
		rc = CS_FAILED;
	else
		rc = db_pipe_run(db, &pipe);
	if (rc == CS_OK)
		rc = ticket_get_take(&pipe, get, db, a, by, t);
	if (rc == CS_OK) {
		const PGresult *r = db_pipe_result(&pipe, state);

		/* The ticket was there a moment ago, in the same snapshot. */
		rc = r == NULL || PQntuples(r) < 1 ? CS_FAILED : fill_state(a, r, 0, s);
	}
	db_pipe_release(&pipe);
	return rc;
}

static const char *const member_names[TAM__MAX] = {
	[TAM_STATUS] = "status", [TAM_RESOLUTION_CODE] = "resolution_code",
	[TAM_ROOT_CAUSE] = "root_cause", [TAM_PRIORITY] = "priority", [TAM_TYPE] = "type",
	[TAM_CATEGORY] = "category_id", [TAM_PRODUCT] = "product_id", [TAM_SERIAL] = "serial",
	[TAM_TAGS] = "tags", [TAM_QUEUE] = "queue_id", [TAM_TEAM] = "team_id",
	[TAM_ASSIGNEE] = "assignee_id", [TAM_SITE] = "site_id", [TAM_VERSION] = "version",
};

const char *
ticket_api_member_name(enum ticket_api_member m)
{
	return m < TAM__MAX ? member_names[m] : "";
}

/* The member that carries each field of ticket_fields.h. */
static const enum ticket_api_member field_member[TF__MAX] = {
	[TF_PRIORITY] = TAM_PRIORITY, [TF_TYPE] = TAM_TYPE, [TF_CATEGORY] = TAM_CATEGORY,
	[TF_QUEUE] = TAM_QUEUE, [TF_PRODUCT] = TAM_PRODUCT, [TF_SERIAL] = TAM_SERIAL,
	[TF_TEAM] = TAM_TEAM, [TF_TAGS] = TAM_TAGS, [TF_SITE] = TAM_SITE,
};

/* The ticket as locked for a change. */
struct locked {
	int version;
	enum ticket_status status;
	long long team_id, agent_id;
};

/* Locks ticket_id and checks the version. CS_OK, CS_NOT_FOUND, CS_CONFLICT or the failure. */
static enum cs_result
lock(struct db *db, long long ticket_id, int expected_version, struct locked *l,
    const char **why)
{
	char id[24];
	const char *p[] = { id };
	PGresult *res;

	snprintf(id, sizeof(id), "%lld", ticket_id);
	if ((res = db_exec(db, &stmts[STMT_LOCK], p)) == NULL)
		return db_result(db);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return CS_NOT_FOUND;
	}
	l->version = (int)db_ll(res, 0, L_version);
	l->status = ticket_status_parse(PQgetvalue(res, 0, L_status));
	l->team_id = db_ll(res, 0, L_team_id);
	l->agent_id = db_ll(res, 0, L_agent_id);
	PQclear(res);
	if (expected_version != 0 && l->version != expected_version) {
		*why = "The ticket changed since that version: read it again, then send the change.";
		return CS_CONFLICT;
	}
	return CS_OK;
}

/* The status part of a change (inside the transaction, l locked). */
static enum cs_result
change_status(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, const struct ticket_api_change *c, const struct locked *l,
    enum ticket_api_member *bad, const char **why)
{
	struct ticket_status_in in = { 0 };
	enum cs_result rc;

	*bad = TAM_STATUS;
	if (c->to == l->status)
		return CS_OK;
	if (!ticket_transition_allowed(by->kind, l->status, c->to)) {
		*why = arena_printf(a, "A ticket cannot go from %s to %s.",
		    ticket_status_name(l->status), ticket_status_name(c->to));
		return CS_CONFLICT;
	}
	in.ticket_id = ticket_id;
	in.to = c->to;
	in.resolution_code = c->resolution_code;
	in.root_cause = c->root_cause;
	in.ip = c->ip;
	rc = ticket_change_status(db, a, by, &in, why);
	if (rc == CS_REFUSED && c->to == TS_RESOLVED)
		*bad = *why != NULL && strstr(*why, "root cause") != NULL ? TAM_ROOT_CAUSE :
		    TAM_RESOLUTION_CODE;
	return rc;
}

/* The assignment part (inside the transaction, after the status). */
static enum cs_result
assign(struct db *db, struct arena *a, const struct ticket_actor_ref *by, long long ticket_id,
    const struct ticket_api_change *c, enum ticket_api_member *bad, const char **why)
{
	struct ticket_assignment as = { c->set_team, c->team_id, c->set_agent, c->agent_id };
	struct ticket_assign_before was;
	struct locked now;
	long long agent_team;
	enum cs_result rc;
	int changed;

	*bad = c->set_agent ? TAM_ASSIGNEE : TAM_TEAM;
	rc = ticket_assignment_check(db, &as, &agent_team);
	if (rc == CS_NOT_FOUND) {
		/* Which one: the check stops at the first it does not know. */
		rc = c->set_team && c->team_id > 0 ? ticket_field_known(db, TF_TEAM, c->team_id) :
		    CS_OK;
		if (rc != CS_OK && rc != CS_NOT_FOUND)
			return rc;
		*bad = rc == CS_NOT_FOUND ? TAM_TEAM : TAM_ASSIGNEE;
		*why = *bad == TAM_TEAM ? "No such team." : "No such active agent.";
		return CS_REFUSED;
	}
	if (rc != CS_OK)
		return rc;
	/* As on the ticket page: an agent given without a team brings their own. */
	if (c->set_agent && !c->set_team && c->agent_id > 0 && agent_team > 0) {
		as.set_team = 1;
		as.team_id = agent_team;
	}
	/* The status part may have moved it: read it again under the lock. */
	if ((rc = lock(db, ticket_id, 0, &now, why)) != CS_OK)
		return rc;
	was.status = now.status;
	was.team_id = now.team_id;
	was.agent_id = now.agent_id;
	return ticket_assign_locked(db, a, by->id, ticket_id, &was, &as, &changed);
}

/* The fields part, through ticket_fields_set. */
static enum cs_result
set_fields(struct db *db, const struct ticket_actor_ref *by, long long ticket_id,
    const struct ticket_api_change *c, enum ticket_api_member *bad, const char **why)
{
	const char *values[TF__MAX];
	enum ticket_field f = TF__MAX;
	enum cs_result rc;
	int i, any = 0, changed;

	for (i = 0; i < TF__MAX; i++) {
		values[i] = i == TF_TEAM ? NULL : c->fields[i];
		any |= values[i] != NULL;
	}
	if (!any)
		return CS_OK;
	rc = ticket_fields_set(db, by->id, ticket_id, values, &f, &changed, why);
	if (f < TF__MAX)
		*bad = field_member[f];
	return rc;
}

enum cs_result
ticket_api_change(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, const struct ticket_api_change *c, enum ticket_api_member *bad,
    const char **why)
{
	struct locked l;
	enum cs_result rc;

	*bad = TAM_VERSION;
	*why = NULL;
	if (db_begin(db) < 0)
		return db_result(db);
	rc = lock(db, ticket_id, c->expected_version, &l, why);
	if (rc == CS_OK && c->to != TS__MAX)
		rc = change_status(db, a, by, ticket_id, c, &l, bad, why);
	if (rc == CS_OK)
		rc = set_fields(db, by, ticket_id, c, bad, why);
	if (rc == CS_OK && (c->set_team || c->set_agent))
		rc = assign(db, a, by, ticket_id, c, bad, why);
	return db_end(db, rc);
}

enum cs_result
ticket_api_comment(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const struct ticket_reply_in *in, int expected_version, struct ticket_replied *out,
    const char **why)
{
	struct locked l;
	enum cs_result rc;

	if (db_begin(db) < 0)
		return db_result(db);
	rc = lock(db, in->ticket_id, expected_version, &l, why);
	if (rc == CS_OK)
		rc = ticket_reply(db, a, by, in, out, why);
	return db_end(db, rc);
}
