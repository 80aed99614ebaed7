/* ticket_counts.c — see ticket_counts.h. */
#include "domain/ticket_counts.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/ticket_rules.h"

#include <stdio.h>
#include <string.h>

#define COUNT_COLS(X) \
	X(CN, queue_id, "c.queue_id") X(CN, queue, "coalesce(q.name, '')") \
	X(CN, status, "c.status") X(CN, n, "c.n")
enum { DB_COL_ENUM(COUNT_COLS) };
#define MINE_COLS(X) X(MI, open, "open_tickets")
enum { DB_COL_ENUM(MINE_COLS) };

#define ROLL_COLS(X) X(RO, folded, "ticket_counts_roll_up()")
enum { DB_COL_ENUM(ROLL_COLS) };

enum stmt { STMT_COUNTS, STMT_MINE, STMT_ROLL_UP, STMT__MAX };

static struct db_stmt stmts[] = {
	[STMT_COUNTS] = DB_STMT("ticket_console_counts",
	    "SELECT " DB_COLS(COUNT_COLS) " FROM ticket_counts c"
	    " LEFT JOIN queues q ON q.id = c.queue_id WHERE c.n <> 0"
	    " ORDER BY q.name IS NOT NULL, lower(q.name), c.queue_id", 0),
	[STMT_MINE] = DB_STMT("ticket_console_mine",
	    "SELECT " DB_COLS(MINE_COLS) " FROM staff WHERE id = $1::bigint", 1),
	[STMT_ROLL_UP] = DB_STMT("ticket_counts_roll_up", "SELECT " DB_COLS(ROLL_COLS), 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

/* The queue's entry in c, added when it is new; NULL when out of memory. */
static struct ticket_count *
queue_entry(struct arena *a, struct ticket_counts *c, const PGresult *res, int i)
{
	long long q = db_ll(res, i, CN_queue_id);
	struct ticket_count *qc;
	size_t k;
	int failed = 0;

	for (k = 0; k < c->nqueues; k++)
		if (c->queues[k].queue_id == q)
			return &c->queues[k];
	qc = &c->queues[c->nqueues];
	qc->queue_id = q;
	qc->name = db_str(a, res, i, CN_queue, &failed);
	if (failed)
		return NULL;
	c->nqueues++;
	return qc;
}

/* Sums the rows of ticket_counts (a row per queue and status) into c. */
static enum cs_result
sum_counts(struct arena *a, const PGresult *res, struct ticket_counts *c)
{
	int i, count = PQntuples(res);

	c->queues = arena_calloc(a, (size_t)count + 1, sizeof(*c->queues));
	c->statuses = arena_calloc(a, TS__MAX, sizeof(*c->statuses));
	if (c->queues == NULL || c->statuses == NULL)
		return CS_FAILED;
	for (i = 0; i < TS__MAX; i++)
		c->statuses[i].name = ticket_status_name((enum ticket_status)i);
	c->nstatuses = TS__MAX;
	for (i = 0; i < count; i++) {
		long long n = db_ll(res, i, CN_n);
		enum ticket_status s = ticket_status_parse(PQgetvalue(res, i, CN_status));
		struct ticket_count *qc = queue_entry(a, c, res, i);

		if (qc == NULL)
			return CS_FAILED;
		qc->total += n;
		if (s < TS__MAX) {
			c->statuses[s].total += n;
			if (ticket_status_open(s))
				qc->open += n;
		}
	}
	return CS_OK;
}

enum cs_result
ticket_counts_read(struct db *db, struct arena *a, long long staff_id, struct ticket_counts *c)
{
	char idbuf[24];
	const char *p[] = { idbuf };
	PGresult *res;
	enum cs_result rc;

	memset(c, 0, sizeof(*c));
	if ((res = db_exec(db, &stmts[STMT_COUNTS], NULL)) == NULL)
		return db_result(db);
	rc = sum_counts(a, res, c);
	PQclear(res);
	if (rc != CS_OK)
		return rc;
	snprintf(idbuf, sizeof(idbuf), "%lld", staff_id);
	if ((res = db_exec(db, &stmts[STMT_MINE], p)) == NULL)
		return db_result(db);
	c->mine_open = PQntuples(res) == 1 ? db_ll(res, 0, MI_open) : 0;
	PQclear(res);
	return CS_OK;
}

enum cs_result
ticket_counts_roll_up(struct db *db, long long *folded)
{
	return db_number(db, &stmts[STMT_ROLL_UP], NULL, RO_folded, folded);
}
