/* ticket_bulk.c — see ticket_bulk.h. */
#include "domain/ticket_bulk.h"
#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"
#include "domain/ticket_assign.h"
#include "domain/ticket_fields.h"
#include "domain/ticket_filter.h"
#include "domain/ticket_rules.h"
#include "domain/tickets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOCK_COLS(X) \
	X(BL, id, "id") X(BL, number, "number") X(BL, status, "status") \
	X(BL, priority, "priority") X(BL, queue_id, "coalesce(queue_id, 0)") \
	X(BL, team_id, "coalesce(team_id, 0)") X(BL, agent_id, "coalesce(assignee_id, 0)")
enum { DB_COL_ENUM(LOCK_COLS) };

enum stmt { STMT_LOCK, STMT__MAX };

static struct db_stmt stmts[] = {
	[STMT_LOCK] = DB_STMT("ticket_console_lock",
	    "SELECT " DB_COLS(LOCK_COLS) " FROM tickets WHERE number = ANY ($1::text[])"
	    " ORDER BY id FOR UPDATE", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

const char *const ticket_bulk_names[TB__MAX + 1] = {
	[TB_ASSIGN] = "assign",
	[TB_STATUS] = "status",
	[TB_PRIORITY] = "priority",
	[TB_QUEUE] = "queue",
	[TB__MAX] = NULL,
};

/* What the handler shows for any value that does not fit. */
#define VALUE_REFUSED "That value does not fit the action."

enum ticket_bulk_action
ticket_bulk_parse(const char *name)
{
	int i;

	for (i = 0; name != NULL && i < TB__MAX; i++)
		if (strcmp(name, ticket_bulk_names[i]) == 0)
			return (enum ticket_bulk_action)i;
	return TB__MAX;
}

/* One locked ticket. */
struct locked {
	long long id;
	const char *number;
	struct ticket_assign_before was;
};

static enum cs_result
fill_locked(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct locked *t = elem;
	int failed = 0;

	t->id = db_ll(r, row, BL_id);
	t->number = db_str(a, r, row, BL_number, &failed);
	t->was.status = ticket_status_parse(PQgetvalue(r, row, BL_status));
	t->was.team_id = db_ll(r, row, BL_team_id);
	t->was.agent_id = db_ll(r, row, BL_agent_id);
	return failed ? CS_FAILED : CS_OK;
}

/* The action's value, parsed. */
struct bulk_value {
	struct ticket_assignment as;	/* TB_ASSIGN */
	enum ticket_status to;		/* TB_STATUS */
	long long queue;		/* TB_QUEUE */
	char queue_param[24];
};

/* Reads value for action; CS_OK, or CS_REFUSED when it does not fit. */
static enum cs_result
parse_value(enum ticket_bulk_action action, const char *v, struct bulk_value *bv)
{
	memset(bv, 0, sizeof(*bv));
	switch (action) {
	case TB_ASSIGN:
		if (strcmp(v, "none") == 0) {
			bv->as.set_agent = 1;
			return CS_OK;
		}
		if (strncmp(v, "agent:", 6) == 0) {
			bv->as.set_agent = 1;
			bv->as.agent_id = config_parse_id(v + 6);
			return bv->as.agent_id > 0 ? CS_OK : CS_REFUSED;
		}
		if (strncmp(v, "team:", 5) == 0) {
			bv->as.set_team = 1;
			bv->as.team_id = config_parse_id(v + 5);
			return bv->as.team_id > 0 ? CS_OK : CS_REFUSED;
		}
		return CS_REFUSED;
	case TB_STATUS:
		return (bv->to = ticket_status_parse(v)) == TS__MAX ? CS_REFUSED : CS_OK;
	case TB_PRIORITY:
		return ticket_word_valid(ticket_priorities, v) ? CS_OK : CS_REFUSED;
	case TB_QUEUE:
		bv->queue = config_parse_id(v);
		snprintf(bv->queue_param, sizeof(bv->queue_param), "%lld", bv->queue);
		return bv->queue > 0 ? CS_OK : CS_REFUSED;
	default:
		return CS_REFUSED;
	}
}

static void
refuse(struct arena *a, struct ticket_bulk_result *res, const char *number, const char *why)
{
	const char *s = arena_printf(a, "%s: %s", number, why);

	if (s != NULL)
		res->refused[res->nrefused++] = s;
}

/* A status change for one ticket: refused for it, or through the workflow. */
static enum cs_result
bulk_status(struct db *db, struct arena *a, long long staff_id, const struct locked *t,
    enum ticket_status to, struct ticket_bulk_result *res, int *changed)
{
	struct ticket_actor_ref by = { TA_STAFF, staff_id, 0, 0, 0 };
	struct ticket_status_in in = { 0 };
	const char *why = NULL;
	enum cs_result rc;

	*changed = 0;
	if (t->was.status == to)
		return CS_OK;
	if (!ticket_transition_allowed(TA_STAFF, t->was.status, to)) {
		refuse(a, res, t->number, arena_printf(a, "cannot go from %s to %s",
		    ticket_status_name(t->was.status), ticket_status_name(to)));
		return CS_OK;
	}
	if (to == TS_RESOLVED) {
		refuse(a, res, t->number, "resolving needs a resolution code; resolve it on its page");
		return CS_OK;
	}
	in.ticket_id = t->id;
	in.to = to;
	/* Allowed above, the ticket locked: a refusal here is a failure. */
	if ((rc = ticket_change_status(db, a, &by, &in, &why)) != CS_OK)
		return rc == CS_REFUSED || rc == CS_NOT_FOUND ? CS_FAILED : rc;
	*changed = 1;
	return CS_OK;
}

/* A field write and its event for one ticket. */
static enum cs_result
bulk_field(struct db *db, struct arena *a, long long staff_id, const struct locked *t,
    enum ticket_field field, const char *param, int *changed)
{
	struct tf_change c;
	enum cs_result rc = ticket_field_write(db, a, field, staff_id, t->id, param, changed, &c);

	if (rc != CS_OK || !*changed)
		return rc;
	return ticket_fields_event(db, staff_id, t->id, &c, 1);
}

/* The action on one locked ticket. */
static enum cs_result
bulk_one(struct db *db, struct arena *a, long long staff_id, enum ticket_bulk_action action,
    const char *value, const struct bulk_value *bv, const struct locked *t,
    struct ticket_bulk_result *res, int *changed)
{
	switch (action) {
	case TB_ASSIGN:
		return ticket_assign_locked(db, a, staff_id, t->id, &t->was, &bv->as, changed);
	case TB_STATUS:
		return bulk_status(db, a, staff_id, t, bv->to, res, changed);
	case TB_PRIORITY:
		return bulk_field(db, a, staff_id, t, TF_PRIORITY, value, changed);
	case TB_QUEUE:
		return bulk_field(db, a, staff_id, t, TF_QUEUE, bv->queue_param, changed);
	default:
		*changed = 0;
		return CS_OK;
	}
}

/* Who and what are checked inside the transaction. CS_NOT_FOUND: not there. */
static enum cs_result
check_value(struct db *db, enum ticket_bulk_action action, const struct bulk_value *bv)
{
	long long agent_team;

	if (action == TB_ASSIGN)
		return ticket_assignment_check(db, &bv->as, &agent_team);
	if (action == TB_QUEUE)
		return ticket_field_known(db, TF_QUEUE, bv->queue);
	return CS_OK;
}

/* Inside the transaction: locks the tickets and changes each. */
static enum cs_result
bulk_locked(struct db *db, struct arena *a, long long staff_id, enum ticket_bulk_action action,
    const char *value, const struct bulk_value *bv, const char *const *numbers, size_t n,
    struct ticket_bulk_result *res)
{
	const char *p[1];
	unsigned char *seen = arena_calloc(a, n + 1, 1);
	struct locked *t;
	void *rows;
	size_t count, i, k;
	enum cs_result rc;
	int changed;

	if (seen == NULL || (p[0] = tl_words_param(a, numbers, n)) == NULL)
		return CS_FAILED;
	rc = db_rows(db, a, &stmts[STMT_LOCK], p, sizeof(*t), fill_locked, &rows, &count);
	if (rc != CS_OK)
		return rc;
	t = rows;
	for (i = 0; i < count; i++) {
		for (k = 0; k < n; k++)
			if (strcmp(numbers[k], t[i].number) == 0)
				seen[k] = 1;
		rc = bulk_one(db, a, staff_id, action, value, bv, &t[i], res, &changed);
		if (rc != CS_OK)
			return rc;
		res->changed += (size_t)changed;
	}
	for (k = 0; k < n; k++)
		if (!seen[k])
			refuse(a, res, numbers[k], "no such ticket");
	return CS_OK;
}

enum cs_result
ticket_bulk(struct db *db, struct arena *a, long long staff_id, enum ticket_bulk_action action,
    const char *value, const char *const *numbers, size_t n, struct ticket_bulk_result *res,
    const char **why)
{
	struct bulk_value bv;
	enum cs_result rc;
	size_t k;

	memset(res, 0, sizeof(*res));
	*why = VALUE_REFUSED;
	if (n == 0 || n > TICKET_BULK_MAX || action >= TB__MAX || value == NULL ||
	    parse_value(action, value, &bv) != CS_OK)
		return CS_REFUSED;
	for (k = 0; k < n; k++)
		if (!tl_number_valid(numbers[k]))
			return CS_REFUSED;
	*why = NULL;
	if ((res->refused = arena_calloc(a, n + 1, sizeof(*res->refused))) == NULL)
		return CS_FAILED;
	if (db_begin(db) < 0)
		return db_result(db);
	rc = check_value(db, action, &bv);
	if (rc == CS_NOT_FOUND) {
		*why = VALUE_REFUSED;
		rc = CS_REFUSED;
	}
	if (rc == CS_OK)
		rc = bulk_locked(db, a, staff_id, action, value, &bv, numbers, n, res);
	if ((rc = db_end(db, rc)) != CS_OK)
		memset(res, 0, sizeof(*res));
	return rc;
}
