/*
 * ticket_list_shapes.c — a statement per shape of list view; see
 * ticket_list_sql.h (tl_shape_stmt).
 *
 * A view without words runs a statement made for its shape: the filters
 * it gives, and only those, as plain conditions (db_stmt_shape, db.h).
 * Each shape is planned once per connection and its generic plan fits it,
 * where the general statement of ticket_list.c needs a custom plan per
 * page to fold the absent filters away (planning then took longer than
 * running). Parameters: $1 statuses, $2 cursor value, $3 cursor id, $4
 * limit, then the given filters in the order of shape_filters. Every
 * shape has its backward twin ("Previous ticket"): the same walks turned
 * round (ticket_list_sql.h), prepared under its own name.
 */
#include "domain/ticket_list_sql.h"
#include "core/buf.h"

#include <stdio.h>
#include <string.h>

/* Where a shape's text takes its filters, its SLA state's name, its runs
 * and, in a run, the status's place in $1. */
#define SHAPE_MARK "\x01"
#define STATE_MARK "\x02"
#define RUNS_MARK "\x03"
#define STATUS_MARK "\x04"

/*
 * The plain shapes: one run per status, each walking its index in the
 * page's order, merged. The runs are written out, one per status the view
 * gives ("(run 1) UNION ALL (run 2) …", the status $1[k]), so PostgreSQL
 * merges them as they are read (Merge Append) and stops at the page's
 * rows: the open tickets' page reads 50 index entries and one more per
 * status, where runs joined to unnest($1) read 50 in every status and
 * sorted them (300 for the six open statuses, and a heap visit for each
 * one not marked all-visible). The statuses' number is part of the shape.
 */
static const char *const merge_templates[TL_SORT__MAX] = {
	[TL_SORT_UPDATE] = MERGE_UPDATE(RUNS_MARK, "$4"),
	[TL_SORT_PRIORITY] = MERGE_PRIORITY(RUNS_MARK, "$4"),
	[TL_SORT_AGE] = MERGE_AGE(RUNS_MARK, "$4"),
	[TL_SORT_SLA] = MERGE_SLA(RUNS_MARK, "$4"),
};
#define ONE_STATUS "t.status = ($1::text[])[" STATUS_MARK "]" SHAPE_MARK
static const char *const run_templates[TL_SORT__MAX] = {
	[TL_SORT_UPDATE] = WALK_UPDATE("tickets t", ONE_STATUS, "$2", "$3", "$4"),
	[TL_SORT_PRIORITY] = WALK_PRIORITY("tickets t", ONE_STATUS, "$2", "$3", "$4"),
	[TL_SORT_AGE] = WALK_AGE("tickets t", ONE_STATUS, "$2", "$3", "$4"),
	[TL_SORT_SLA] = WALK_SLA("tickets t", ONE_STATUS, "$2", "$3", "$4"),
};
/* The same walked backwards from the place: the rows before it, nearest first. */
static const char *const merge_templates_back[TL_SORT__MAX] = {
	[TL_SORT_UPDATE] = MERGE_UPDATE_BACK(RUNS_MARK, "$4"),
	[TL_SORT_PRIORITY] = MERGE_PRIORITY_BACK(RUNS_MARK, "$4"),
	[TL_SORT_AGE] = MERGE_AGE_BACK(RUNS_MARK, "$4"),
	[TL_SORT_SLA] = MERGE_SLA_BACK(RUNS_MARK, "$4"),
};
static const char *const run_templates_back[TL_SORT__MAX] = {
	[TL_SORT_UPDATE] = WALK_UPDATE_BACK("tickets t", ONE_STATUS, "$2", "$3", "$4"),
	[TL_SORT_PRIORITY] = WALK_PRIORITY_BACK("tickets t", ONE_STATUS, "$2", "$3", "$4"),
	[TL_SORT_AGE] = WALK_AGE_BACK("tickets t", ONE_STATUS, "$2", "$3", "$4"),
	[TL_SORT_SLA] = WALK_SLA_BACK("tickets t", ONE_STATUS, "$2", "$3", "$4"),
};

/*
 * A state the ticket stores (tickets.sla_state, 048: at risk, breached):
 * per status, the run of the tickets stored in that state, on the
 * partial indexes of 048 (tickets_sla_state_*), plus one run of the
 * tickets the batch has not marked yet (sla_check_at <= now(): those that
 * crossed a threshold since its last tick), whatever they store. Both
 * keep the clock's condition (shape_sla), so the view is what
 * sla_colour() says at this instant: a ticket the clock made amber or red
 * is in the second run until the batch stores its state, then in the
 * first. The second run reads those few tickets alone, on
 * tickets_sla_check of 009, before any other condition (OFFSET 0 keeps
 * the planner from joining a large index of the view's filters to it).
 */
#define UNMARKED "(SELECT * FROM tickets WHERE sla_check_at <= now() OFFSET 0) t"
#define RUNS_STORED(walk) \
	"(SELECT y.* FROM unnest($1::text[]) AS st(status) CROSS JOIN LATERAL (" \
	walk("tickets t", "t.status = st.status AND t.sla_state = '" STATE_MARK "'" SHAPE_MARK, \
	    "$2", "$3", "$4") ") y UNION ALL (" \
	walk(UNMARKED, "t.sla_state <> '" STATE_MARK "' AND t.status = ANY ($1::text[])" \
	    SHAPE_MARK, "$2", "$3", "$4") "))"
static const char *const stored_templates[TL_SORT__MAX] = {
	[TL_SORT_UPDATE] = MERGE_UPDATE(RUNS_STORED(WALK_UPDATE), "$4"),
	[TL_SORT_PRIORITY] = MERGE_PRIORITY(RUNS_STORED(WALK_PRIORITY), "$4"),
	[TL_SORT_AGE] = MERGE_AGE(RUNS_STORED(WALK_AGE), "$4"),
	[TL_SORT_SLA] = MERGE_SLA(RUNS_STORED(WALK_SLA), "$4"),
};
static const char *const stored_templates_back[TL_SORT__MAX] = {
	[TL_SORT_UPDATE] = MERGE_UPDATE_BACK(RUNS_STORED(WALK_UPDATE_BACK), "$4"),
	[TL_SORT_PRIORITY] = MERGE_PRIORITY_BACK(RUNS_STORED(WALK_PRIORITY_BACK), "$4"),
	[TL_SORT_AGE] = MERGE_AGE_BACK(RUNS_STORED(WALK_AGE_BACK), "$4"),
	[TL_SORT_SLA] = MERGE_SLA_BACK(RUNS_STORED(WALK_SLA_BACK), "$4"),
};

static const struct {
	enum tl_param p;
	const char *pre, *post;	/* the condition around "$n" */
} shape_filters[] = {
	{ P_QUEUE, " AND t.queue_id = ", "::bigint" },
	{ P_TEAM, " AND t.team_id = ", "::bigint" },
	{ P_ASSIGNEE, " AND t.assignee_id = ", "::bigint" },
	{ P_PRIORITY, " AND ticket_priority_rank(t.priority) = ticket_priority_rank(", "::text)" },
	{ P_CHANNEL, " AND t.channel = ", "::text" },
	{ P_CREATED_FROM, " AND t.created_at >= ", "::date" },
	{ P_CREATED_TO, " AND t.created_at < ", "::date + 1" },
	{ P_UPDATED_FROM, " AND t.updated_at >= ", "::date" },
	{ P_UPDATED_TO, " AND t.updated_at < ", "::date + 1" },
	{ P_CUSTOMERS, " AND t.customer_id = ANY (", "::bigint[])" },
	{ P_NUMBER, " AND t.number = ", "::text" },
};
_Static_assert(4 + sizeof(shape_filters) / sizeof(shape_filters[0]) == TL_SHAPE_PARAMS,
    "room for every filter's parameter");

/*
 * The SLA states as conditions on the moments of 012, as sla_colour_at()
 * tells them apart; stored: the state's name in tickets.sla_state, for the
 * states read from it (NULL: the plain shapes, on the sort's walk).
 */
static const struct {
	const char *name, *sql, *stored;
	int future;	/* due after now: the SLA sort's walk may start at now() */
} shape_sla[] = {
	{ "breached", " AND t.sla_red_at <= now()", "breached", 0 },
	{ "at_risk", " AND t.sla_amber_at <= now() AND t.sla_red_at > now()", "at_risk", 1 },
	{ "on_track", " AND t.sla_red_at > now() AND t.sla_red_at < 'infinity'"
	    " AND (t.sla_amber_at IS NULL OR t.sla_amber_at > now())", NULL, 1 },
	{ "paused", " AND t.sla_red_at = 'infinity'", NULL, 0 },
};

/* The SLA state's place in shape_sla plus one; 0 for none. */
static int
shape_sla_index(const char *state)
{
	size_t i;

	for (i = 0; state != NULL && i < sizeof(shape_sla) / sizeof(shape_sla[0]); i++)
		if (strcmp(shape_sla[i].name, state) == 0)
			return (int)i + 1;
	return 0;
}

/* The conditions a shape puts at SHAPE_MARK. */
static void
shape_conditions(struct buf *b, enum tl_sort sort, unsigned mask, int unassigned, int sla)
{
	size_t i;
	int n = 5;

	for (i = 0; i < sizeof(shape_filters) / sizeof(shape_filters[0]); i++)
		if (mask & (1u << i))
			buf_printf(b, "%s$%d%s", shape_filters[i].pre, n++, shape_filters[i].post);
	if (unassigned)
		buf_addstr(b, " AND t.assignee_id IS NULL");
	if (sla > 0) {
		buf_addstr(b, shape_sla[sla - 1].sql);
		if (sort == TL_SORT_SLA && shape_sla[sla - 1].future)
			buf_addstr(b, " AND " SLA_KEY " >= now()");
	}
}

/* Template s into b, its marks filled; a run's status is the k-th of $1. */
static void
shape_fill(struct buf *b, const char *s, enum tl_sort sort, unsigned mask, int unassigned,
    int sla, int k)
{
	for (; *s != '\0'; s++) {
		if (*s == SHAPE_MARK[0])
			shape_conditions(b, sort, mask, unassigned, sla);
		else if (*s == STATE_MARK[0])
			buf_addstr(b, shape_sla[sla - 1].stored);
		else if (*s == STATUS_MARK[0])
			buf_printf(b, "%d", k);
		else
			buf_addch(b, *s);
	}
}

/* The text of a shape's statement (nstatus: how many statuses $1 holds), in
 * the arena; NULL when out of memory. */
static const char *
shape_sql(struct arena *a, enum tl_sort sort, int back, unsigned mask, int unassigned, int sla,
    int nstatus)
{
	const char *stored = sla > 0 ? shape_sla[sla - 1].stored : NULL;
	const char *s = stored != NULL ? (back ? stored_templates_back : stored_templates)[sort] :
	    (back ? merge_templates_back : merge_templates)[sort];
	const char *run = (back ? run_templates_back : run_templates)[sort];
	struct buf b;
	int k;

	buf_init(&b, a);
	for (; *s != '\0'; s++) {
		if (*s != RUNS_MARK[0]) {
			char one[2] = { *s, '\0' };

			shape_fill(&b, one, sort, mask, unassigned, sla, 0);
			continue;
		}
		buf_addch(&b, '(');
		for (k = 1; k <= nstatus; k++) {
			buf_addstr(&b, k > 1 ? " UNION ALL (" : "(");
			shape_fill(&b, run, sort, mask, unassigned, sla, k);
			buf_addch(&b, ')');
		}
		buf_addch(&b, ')');
	}
	return buf_failed(&b) ? NULL : b.buf;
}

/* How many statuses an array literal ("{new,open}") holds: they have no commas. */
static int
status_count(const char *array)
{
	int n = 1;

	for (; *array != '\0'; array++)
		n += *array == ',';
	return n;
}

/*
 * Whether a shape's generic plan can be trusted. Measured at a million
 * tickets (warm, per page): for the SLA states read from the clock alone
 * (on track, paused: how many there are changes by the minute) a custom
 * plan per page is ten times faster to run than the generic one is,
 * planning included. For every other shape the generic plan is as good
 * as a custom one or better (the priority sort of a queue or a team: 0.4
 * to 0.8 ms against 5 to 8 ms) and saves the planning (1.2 to 3 ms a
 * page). The stored SLA states have their own small indexes, whatever
 * their number, and a generic plan walks them. The priority sort of the
 * tickets of nobody needed a custom plan while the indexes by assignee
 * held the unassigned too (its generic plan took "assignee_id IS NULL" on
 * one of them, in no useful order, and sorted whole runs: 90 ms); they
 * hold only assigned tickets since 061, and its generic plan walks
 * tickets_unassigned_priority (PostgreSQL 1.8 ms a page before, 0.9 after).
 */
static int
shape_generic(int sla)
{
	return sla == 0 || shape_sla[sla - 1].stored != NULL;
}

struct db_stmt *
tl_shape_stmt(struct arena *a, const struct tl_args *la, enum tl_sort sort, int back,
    const char **p, int *generic)
{
	struct db_stmt *st;
	const char *sql;
	char name[40];
	unsigned mask = 0;
	size_t i;
	int n = 4, sla = shape_sla_index(la->p[P_SLA]), unassigned, nstatus;

	if (la->search || (la->p[P_SLA] != NULL && sla == 0))
		return NULL;
	unassigned = strcmp(la->p[P_UNASSIGNED], "t") == 0;
	p[0] = la->p[P_STATUSES];
	p[1] = la->p[P_AFTER];
	p[2] = la->p[P_AFTER_ID];
	p[3] = la->p[P_LIMIT];
	for (i = 0; i < sizeof(shape_filters) / sizeof(shape_filters[0]); i++)
		if (la->p[shape_filters[i].p] != NULL) {
			mask |= 1u << i;
			p[n++] = la->p[shape_filters[i].p];
		}
	*generic = shape_generic(sla);
	nstatus = status_count(p[0]);
	snprintf(name, sizeof(name), "ticket_list_%d_%x_%d_%d_%d%s", (int)sort, mask, unassigned,
	    sla, nstatus, back ? "_b" : "");
	if ((st = db_stmt_shape_find(name)) != NULL)
		return st;
	if ((sql = shape_sql(a, sort, back, mask, unassigned, sla, nstatus)) == NULL)
		return NULL;
	return db_stmt_shape(name, sql, n);
}
