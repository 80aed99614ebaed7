/* parts_consumers.c — what follows from parts and job events, and the parts' batch step; see parts_consumers.h. */
#include "domain/parts_consumers.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/events.h"
#include "domain/notify.h"
#include "domain/parts.h"
#include "domain/parts_job.h"
#include "tmpl/tval.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define DUE_COLS(X) X(DU, id, "id") X(DU, technician_id, "coalesce(technician_id, 0)")
enum { DB_COL_ENUM(DUE_COLS) };
#define LOAN_COLS(X) \
	X(LN, email, "u.email") X(LN, name, "u.name") X(LN, part, "p.name") \
	X(LN, number, "t.number") X(LN, due_on, "to_char(g.due_on, 'FMDD Mon YYYY')") \
	X(LN, ticket_id, "t.id")
enum { DB_COL_ENUM(LOAN_COLS) };

enum stmt {
	ST_DUE,
	ST_LOAN,
	ST_NIGHTLY,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* Loaners past their day, marked reminded: each is reminded once. */
	[ST_DUE] = DB_STMT("parts_loans_due",
	    "UPDATE part_usages SET reminded_at = now() WHERE id IN (SELECT id FROM part_usages"
	    " WHERE kind = 'loaner' AND returned_at IS NULL AND reminded_at IS NULL"
	    " AND due_on < current_date ORDER BY due_on LIMIT 500 FOR UPDATE SKIP LOCKED)"
	    " RETURNING " DB_COLS(DUE_COLS), 0),
	[ST_LOAN] = DB_STMT("parts_loan_mail",
	    "SELECT " DB_COLS(LOAN_COLS) " FROM part_usages g JOIN parts p ON p.id = g.part_id"
	    " JOIN tickets t ON t.id = g.ticket_id JOIN portal_users u ON u.id = t.requester_id"
	    " WHERE g.id = $1::bigint AND u.active AND g.returned_at IS NULL", 1),
	/* True once a day: the day the proposal last ran moves to today. */
	[ST_NIGHTLY] = DB_STMT("parts_nightly",
	    "INSERT INTO settings (key, value) VALUES ('parts_proposed_on', current_date::text)"
	    " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
	    " WHERE settings.value IS DISTINCT FROM EXCLUDED.value", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static struct {
	const struct tmpl_set *set;
	const char *site_name, *base_url;
} env;

void
parts_notify_setup(const struct tmpl_set *set, const char *site_name, const char *base_url)
{
	env.set = set;
	env.site_name = site_name;
	env.base_url = base_url;
}

enum cs_result
parts_loans_remind(struct db *db, long *reminded)
{
	PGresult *r;
	enum cs_result rc;
	int i;

	*reminded = 0;
	if (db_begin(db) != 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_DUE], NULL)) == NULL)
		return db_end(db, db_result(db));
	rc = CS_OK;
	for (i = 0; i < PQntuples(r) && rc == CS_OK; i++) {
		struct event_actor e = { "system", 0 };

		rc = events_append(db, "part_usage", db_ll(r, i, DU_id), "part_loan.overdue", &e,
		    "{}");
	}
	*reminded = rc == CS_OK ? PQntuples(r) : 0;
	PQclear(r);
	return db_end(db, rc);
}

enum cs_result
parts_step(struct db *db, struct parts_step_counts *c)
{
	PGresult *r;
	enum cs_result first = CS_OK, rc;

	memset(c, 0, sizeof(*c));
	if ((r = db_exec(db, &stmts[ST_NIGHTLY], NULL)) == NULL)
		first = db_result(db);
	else {
		if (db_changed(r) == 1)
			first = parts_propose(db, &c->proposed);
		PQclear(r);
	}
	rc = parts_loans_remind(db, &c->reminded);
	return first == CS_OK ? rc : first;
}

/* The overdue loaner's mail to the ticket's requester. */
static enum cs_result
loan_mail(struct db *db, struct arena *a, const struct event *e)
{
	const char *p[] = { db_param_ll(a, e->aggregate_id) };
	struct tval *ctx = tval_map(a), *loan = tval_map(a), *site = tval_map(a), *who = tval_map(a);
	PGresult *r;
	enum cs_result rc;
	int bad;

	if ((r = db_exec(db, &stmts[ST_LOAN], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) != 1 || !notify_address_ok(PQgetvalue(r, 0, LN_email))) {
		PQclear(r);
		return CS_OK;
	}
	bad = ctx == NULL || loan == NULL || site == NULL || who == NULL;
	bad |= tval_set(a, loan, "part", tval_strdup(a, PQgetvalue(r, 0, LN_part)));
	bad |= tval_set(a, loan, "ticket", tval_strdup(a, PQgetvalue(r, 0, LN_number)));
	bad |= tval_set(a, loan, "due_on", tval_strdup(a, PQgetvalue(r, 0, LN_due_on)));
	bad |= tval_set(a, who, "name", tval_strdup(a, PQgetvalue(r, 0, LN_name)));
	bad |= tval_set_str(a, site, "name", env.site_name);
	bad |= tval_set(a, ctx, "loan", loan) | tval_set(a, ctx, "site", site);
	bad |= tval_set(a, ctx, "recipient", who);
	bad |= tval_set(a, ctx, "link", tval_str(a, arena_printf(a, "%s/tickets/%s",
	    env.base_url, PQgetvalue(r, 0, LN_number))));
	rc = bad ? CS_FAILED : notify_enqueue_ticket(db, env.set, a, "part_loan_overdue",
	    PQgetvalue(r, 0, LN_email), "part_loan_overdue", ctx, db_ll(r, 0, LN_ticket_id), 1);
	PQclear(r);
	return rc;
}

static enum cs_result
mail_handle(struct db *db, struct arena *a, const struct event *e, void *ctx)
{
	(void)ctx;
	if (strcmp(e->type, "part_loan.overdue") != 0)
		return CS_OK;
	return loan_mail(db, a, e) != CS_OK ? events_skip_or_fail(db, PARTS_CONSUMER_MAIL, e) : CS_OK;
}

/* A completed job's charges, stored once for the reports. */
static enum cs_result
charges_handle(struct db *db, struct arena *a, const struct event *e, void *ctx)
{
	enum cs_result rc;

	(void)ctx;
	if (strcmp(e->type, "appointment.completed") != 0)
		return CS_OK;
	rc = parts_job_store(db, a, e->aggregate_id);
	return rc == CS_OK || rc == CS_NOT_FOUND ? CS_OK : events_skip_or_fail(db, PARTS_CONSUMER_CHARGES, e);
}

static const struct event_consumer consumers[] = {
	{ PARTS_CONSUMER_MAIL, mail_handle, NULL },
	{ PARTS_CONSUMER_CHARGES, charges_handle, NULL },
};

enum cs_result
parts_consumers_run(struct db *db, int max_batches, long *done)
{
	/* Mail waits until the templates are set up (consumers[0] is mail). */
	return events_drain_all(db, consumers, sizeof(consumers) / sizeof(consumers[0]),
	    env.set == NULL ? &consumers[0] : NULL, max_batches, done);
}
