/*
 * ticket_list_sql.h — the SQL text the console's lists are made of, shared
 * by ticket_list.c (the statements with every filter as a parameter, and
 * the page) and ticket_list_shapes.c (a statement per shape of view).
 * Private to those two files.
 */
#ifndef CSDESK_TICKET_LIST_SQL_H
#define CSDESK_TICKET_LIST_SQL_H

#include "db/db.h"
#include "domain/ticket_filter.h"

struct arena;

/*
 * The list statements share their parameters (enum param):
 *   $1 queue  $2 team  $3 assignee  $4 unassigned  $5 statuses (text[])
 *   $6 priority  $7 channel  $8..$9 created from/to  $10..$11 updated from/to
 *   $12 customer ids (of an e-mail)  $13 ticket number  $14 search words
 *   $15 cursor value  $16 cursor id  $17 limit  $18 SLA state
 * An absent filter is NULL.
 */
enum tl_param {
	P_QUEUE, P_TEAM, P_ASSIGNEE, P_UNASSIGNED, P_STATUSES, P_PRIORITY, P_CHANNEL,
	P_CREATED_FROM, P_CREATED_TO, P_UPDATED_FROM, P_UPDATED_TO, P_CUSTOMERS, P_NUMBER,
	P_WORDS, P_AFTER, P_AFTER_ID, P_LIMIT, P_SLA, P__MAX
};

/* A view's parameters as text (ticket_list.c fills them). */
struct tl_args {
	char queue[24], team[24], assignee[24], id[24], limit[16];
	const char *p[P__MAX];
	int search;		/* words: the text search statement */
};

/* ts_rank's weights {D, C, B, A} for a comment (all D): a comment counts
 * half a description (B, 0.4). */
#define SEARCH_COMMENT_WEIGHTS "'{.2,.2,.4,1}'::real[]"
#define SEARCH_HEADLINE "'StartSel=\x02,StopSel=\x03,MaxWords=30,MinWords=10,MaxFragments=2'"

/*
 * The columns of a list row; k is the keyset subquery (id, k1, k2 and for
 * the priority sort k0). The cursor is made here, for the page's rows
 * only, not for every row merged; a text search adds the snippet: from
 * the description, or from the newest matching comment when only
 * comments match (\x02 and \x03 mark the matches). The times are whole
 * seconds since the epoch, worded in C (tl_minute). The names of the
 * queue, team and assignee come from the worker's kept lists
 * (ticket_choices_names) where a statement gives NULL for them, as the
 * lists do: no join for them.
 */
#define ROW_COLS_WITH(X, cursor_sql, queue_sql, team_sql, assignee_sql) \
	X(R, id, "t.id") X(R, number, "t.number") X(R, subject, "t.subject") \
	X(R, customer, "c.name") X(R, status, "t.status") X(R, priority, "t.priority") \
	X(R, channel, "t.channel") X(R, queue_id, "t.queue_id") X(R, team_id, "t.team_id") \
	X(R, assignee_id, "t.assignee_id") X(R, queue, queue_sql) X(R, team, team_sql) \
	X(R, assignee, assignee_sql) \
	X(R, created, "floor(extract(epoch FROM t.created_at))::bigint") \
	X(R, updated, "floor(extract(epoch FROM t.updated_at))::bigint") \
	X(R, cursor, cursor_sql) \
	X(R, sla, "sla_colour_at(t.sla_red_at, t.sla_amber_at)") \
	X(R, sla_left, "sla_seconds_left(t.sla_due_at, t.sla_paused_at IS NOT NULL)")
#define ROW_COLS(X) ROW_COLS_WITH(X, "k.k1::text", "NULL::text", "NULL::text", "NULL::text")
#define PRIORITY_COLS(X) ROW_COLS_WITH(X, "k.k0 || '|' || k.k1::text", "NULL::text", \
	"NULL::text", "NULL::text")
#define RECENT_COLS(X) ROW_COLS_WITH(X, "''", "NULL::text", "NULL::text", "NULL::text")
#define SEARCH_COLS(X) ROW_COLS(X) X(R, snippet, \
	"CASE WHEN t.search @@ websearch_to_tsquery('simple', $14)" \
	" THEN ts_headline('simple', t.description," \
	"  websearch_to_tsquery('simple', $14), " SEARCH_HEADLINE ")" \
	" ELSE (SELECT ts_headline('simple', c.body," \
	"  websearch_to_tsquery('simple', $14), " SEARCH_HEADLINE ")" \
	"  FROM ticket_comments c WHERE c.ticket_id = t.id AND c.kind <> 'system'" \
	"  AND c.search @@ websearch_to_tsquery('simple', $14) ORDER BY c.id DESC LIMIT 1) END")
enum { DB_COL_ENUM(SEARCH_COLS) };

#define ROW_JOINS " JOIN tickets t ON t.id = k.id JOIN customers c ON c.id = t.customer_id"

/*
 * The views (not the search, whose text is at the length C allows, nor a
 * customer's recent tickets) add the SLA due time, read by its name
 * (fill_row): the list shows it in the agent's time zone.
 */
#define DUE_COL ", sla_due_epoch(t.sla_due_at) AS sla_due"

/*
 * A list is made of runs, each walking an index in the page's order and
 * stopping at the page's rows, merged (MERGE_*). The runs are one per
 * status (RUNS_PER_STATUS here; written out one by one in the shapes,
 * ticket_list_shapes.c), so each walks the index of its status:
 *   update: tickets_status (or the queue, team, assignee, customer and
 *     unassigned ones of 004/008 when those filter);
 *   age: tickets_status_age (assignee, unassigned: 008);
 *   priority: tickets_status_priority (assignee, unassigned: 008), on
 *     ticket_priority_rank (008; the place in ticket_priorities, low
 *     first). The cursor is "rank|updated_at".
 *   sla: tickets_status_sla (assignee: 012), on the earliest pending due
 *     time, 'infinity' for none so those come last and the cursor
 *     ("infinity" then) stays a plain comparison.
 * WALK_*(from, where, after, id, lim): one run over from (the tickets as
 * t); where: the conditions on t; after, id: the keyset cursor; lim: rows.
 */
#define SLA_KEY "coalesce(t.sla_due_at, 'infinity'::timestamptz)"
/*
 * Each walk and merge is written once with its direction: GE/GT (LE/LT)
 * the comparisons with the cursor and D the order (" DESC" or ""), so the
 * forward walk (the list) and the backward one (the rows before a place,
 * nearest first: "Previous ticket") are the same query turned round, on
 * the same index read the other way. WALK_x and MERGE_x are the list's
 * direction, WALK_x_BACK and MERGE_x_BACK the backward one.
 */
#define WALK_UPDATE_DIR(from, where, after, id, lim, LE, LT, D) \
	"SELECT t.id, t.updated_at AS k1, t.id AS k2 FROM " from " WHERE " where \
	" AND t.updated_at " LE " " after "::timestamptz" \
	" AND (t.updated_at " LT " " after "::timestamptz OR t.id " LT " " id "::bigint)" \
	" ORDER BY t.updated_at" D ", t.id" D " LIMIT " lim "::integer"
#define MERGE_UPDATE_DIR(runs, lim, D) \
	"SELECT " DB_COLS(ROW_COLS) DUE_COL " FROM (SELECT x.* FROM " runs \
	" x ORDER BY x.k1" D ", x.k2" D " LIMIT " lim "::integer) k" ROW_JOINS \
	" ORDER BY k.k1" D ", k.k2" D
#define WALK_AGE_DIR(from, where, after, id, lim, GE, GT, D) \
	"SELECT t.id, t.created_at AS k1, t.id AS k2 FROM " from " WHERE " where \
	" AND t.created_at " GE " " after "::timestamptz" \
	" AND (t.created_at " GT " " after "::timestamptz OR t.id " GT " " id "::bigint)" \
	" ORDER BY t.created_at" D ", t.id" D " LIMIT " lim "::integer"
#define MERGE_AGE_DIR(runs, lim, D) MERGE_UPDATE_DIR(runs, lim, D)
#define WALK_PRIORITY_DIR(from, where, after, id, lim, LT, D) \
	"SELECT t.id, ticket_priority_rank(t.priority) AS k0, t.updated_at AS k1, t.id AS k2" \
	" FROM " from " WHERE " where \
	" AND (ticket_priority_rank(t.priority), t.updated_at, t.id)" \
	"  " LT " (split_part(" after ", '|', 1)::integer," \
	"  split_part(" after ", '|', 2)::timestamptz, " id "::bigint)" \
	" ORDER BY ticket_priority_rank(t.priority)" D ", t.updated_at" D ", t.id" D \
	" LIMIT " lim "::integer"
#define MERGE_PRIORITY_DIR(runs, lim, D) \
	"SELECT " DB_COLS(PRIORITY_COLS) DUE_COL " FROM (SELECT x.* FROM " runs \
	" x ORDER BY x.k0" D ", x.k1" D ", x.k2" D " LIMIT " lim "::integer) k" ROW_JOINS \
	" ORDER BY k.k0" D ", k.k1" D ", k.k2" D
#define WALK_SLA_DIR(from, where, after, id, lim, GE, GT, D) \
	"SELECT t.id, " SLA_KEY " AS k1, t.id AS k2 FROM " from " WHERE " where \
	" AND " SLA_KEY " " GE " " after "::timestamptz" \
	" AND (" SLA_KEY " " GT " " after "::timestamptz OR t.id " GT " " id "::bigint)" \
	" ORDER BY " SLA_KEY D ", t.id" D " LIMIT " lim "::integer"
#define MERGE_SLA_DIR(runs, lim, D) MERGE_UPDATE_DIR(runs, lim, D)

#define WALK_UPDATE(f, w, a, i, l) WALK_UPDATE_DIR(f, w, a, i, l, "<=", "<", " DESC")
#define WALK_UPDATE_BACK(f, w, a, i, l) WALK_UPDATE_DIR(f, w, a, i, l, ">=", ">", "")
#define MERGE_UPDATE(runs, lim) MERGE_UPDATE_DIR(runs, lim, " DESC")
#define MERGE_UPDATE_BACK(runs, lim) MERGE_UPDATE_DIR(runs, lim, "")
#define WALK_AGE(f, w, a, i, l) WALK_AGE_DIR(f, w, a, i, l, ">=", ">", "")
#define WALK_AGE_BACK(f, w, a, i, l) WALK_AGE_DIR(f, w, a, i, l, "<=", "<", " DESC")
#define MERGE_AGE(runs, lim) MERGE_AGE_DIR(runs, lim, "")
#define MERGE_AGE_BACK(runs, lim) MERGE_AGE_DIR(runs, lim, " DESC")
#define WALK_PRIORITY(f, w, a, i, l) WALK_PRIORITY_DIR(f, w, a, i, l, "<", " DESC")
#define WALK_PRIORITY_BACK(f, w, a, i, l) WALK_PRIORITY_DIR(f, w, a, i, l, ">", "")
#define MERGE_PRIORITY(runs, lim) MERGE_PRIORITY_DIR(runs, lim, " DESC")
#define MERGE_PRIORITY_BACK(runs, lim) MERGE_PRIORITY_DIR(runs, lim, "")
#define WALK_SLA(f, w, a, i, l) WALK_SLA_DIR(f, w, a, i, l, ">=", ">", "")
#define WALK_SLA_BACK(f, w, a, i, l) WALK_SLA_DIR(f, w, a, i, l, "<=", "<", " DESC")
#define MERGE_SLA(runs, lim) MERGE_SLA_DIR(runs, lim, "")
#define MERGE_SLA_BACK(runs, lim) MERGE_SLA_DIR(runs, lim, " DESC")

#define RUNS_PER_STATUS(walk, filters, st, after, id, lim) \
	"unnest(" st "::text[]) AS st(status) CROSS JOIN LATERAL (" \
	walk("tickets t", "t.status = st.status" filters, after, id, lim) ")"

/* The list of a sort: filters are more conditions on t; st the statuses (text[]). */
#define LIST_UPDATE(filters, st, after, id, lim) \
	MERGE_UPDATE(RUNS_PER_STATUS(WALK_UPDATE, filters, st, after, id, lim), lim)
#define LIST_AGE(filters, st, after, id, lim) \
	MERGE_AGE(RUNS_PER_STATUS(WALK_AGE, filters, st, after, id, lim), lim)
#define LIST_PRIORITY(filters, st, after, id, lim) \
	MERGE_PRIORITY(RUNS_PER_STATUS(WALK_PRIORITY, filters, st, after, id, lim), lim)
#define LIST_SLA(filters, st, after, id, lim) \
	MERGE_SLA(RUNS_PER_STATUS(WALK_SLA, filters, st, after, id, lim), lim)

/*
 * The statement of the view's shape (ticket_list_shapes.c), with its
 * parameters in p (room for TL_SHAPE_PARAMS): the view's filters as plain
 * conditions, made and prepared once per process; back: walked backwards
 * from the cursor (the rows before it, nearest first); *generic says
 * whether its generic plan may be used. NULL for a text search, or when
 * no more shapes can be kept (the general statement runs then).
 */
#define TL_SHAPE_PARAMS 15
struct db_stmt *tl_shape_stmt(struct arena *a, const struct tl_args *la, enum tl_sort sort,
    int back, const char **p, int *generic);

#endif
