/* ticket_console.c — see ticket_console.h. */
#include "domain/ticket_console.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/sla_words.h"
#include "domain/ticket_notify.h"
#include "domain/ticket_rules.h"
#include "domain/tickets.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * The list statements share their parameters:
 *   $1 queue  $2 team  $3 assignee  $4 unassigned  $5 statuses (text[])
 *   $6 priority  $7 channel  $8..$9 created from/to  $10..$11 updated from/to
 *   $12 customer ids (of an e-mail)  $13 ticket number  $14 search words
 *   $15 cursor value  $16 cursor id  $17 limit  $18 SLA state
 * An absent filter is NULL. The list runs with custom plans (see
 * list_page), so each "$n IS NULL OR …" folds away and the planner sees
 * only the filters given, and picks the index that fits them.
 */
#define FILTERS \
	" AND ($1::bigint IS NULL OR t.queue_id = $1::bigint)" \
	" AND ($2::bigint IS NULL OR t.team_id = $2::bigint)" \
	" AND ($3::bigint IS NULL OR t.assignee_id = $3::bigint)" \
	" AND (NOT $4::boolean OR t.assignee_id IS NULL)" \
	" AND ($6::text IS NULL" \
	"  OR ticket_priority_rank(t.priority) = ticket_priority_rank($6::text))" \
	" AND ($7::text IS NULL OR t.channel = $7::text)" \
	" AND ($8::date IS NULL OR t.created_at >= $8::date)" \
	" AND ($9::date IS NULL OR t.created_at < $9::date + 1)" \
	" AND ($10::date IS NULL OR t.updated_at >= $10::date)" \
	" AND ($11::date IS NULL OR t.updated_at < $11::date + 1)" \
	" AND ($12::bigint[] IS NULL OR t.customer_id = ANY ($12::bigint[]))" \
	" AND ($13::text IS NULL OR t.number = $13::text)" SLA_STATE("$18")

/*
 * The SLA states, as sla_colour() tells them apart, on the moments a
 * ticket turns amber and red that 012_ticket_list_sla.sql keeps per row:
 * compared with now() here, never stored, so the list and the badge agree
 * at every instant. With custom plans the CASE folds to the state asked
 * for (or to true), and that is a range on an index of 012 (breached, at risk)
 * or a filter on the sort's walk, whichever the planner finds cheaper.
 */
#define SLA_STATE(p) \
	" AND CASE " p "::text WHEN 'breached' THEN t.sla_red_at <= now()" \
	" WHEN 'at_risk' THEN t.sla_amber_at <= now() AND t.sla_red_at > now()" \
	" WHEN 'on_track' THEN t.sla_red_at > now() AND t.sla_red_at < 'infinity'" \
	"  AND (t.sla_amber_at IS NULL OR t.sla_amber_at > now())" \
	" WHEN 'paused' THEN t.sla_red_at = 'infinity' ELSE true END"

/* The columns of a list row, in the order fill_row() reads them; k is the
 * keyset subquery (id, k1, k2 and for the priority sort k0). The cursor
 * is made here, for the page's rows only, not for every row merged. */
#define ROW_COLS_CURSOR(cursor) "t.id, t.number, t.subject, c.name, t.status, t.priority," \
	" t.channel, coalesce(qu.name, ''), coalesce(tm.name, ''), coalesce(s.name, '')," \
	" to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')," \
	" to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), " cursor \
	", sla_colour_at(t.sla_red_at, t.sla_amber_at)," \
	" sla_seconds_left(t.sla_due_at, t.sla_paused_at IS NOT NULL)"
#define ROW_COLS ROW_COLS_CURSOR("k.k1::text")
enum { R_ID, R_NUMBER, R_SUBJECT, R_CUSTOMER, R_STATUS, R_PRIORITY, R_CHANNEL, R_QUEUE,
	R_TEAM, R_ASSIGNEE, R_CREATED, R_UPDATED, R_CURSOR, R_SLA, R_SLA_LEFT, R_SNIPPET };
#define ROW_JOINS " JOIN tickets t ON t.id = k.id JOIN customers c ON c.id = t.customer_id" \
	" LEFT JOIN queues qu ON qu.id = t.queue_id LEFT JOIN teams tm ON tm.id = t.team_id" \
	" LEFT JOIN staff s ON s.id = t.assignee_id"

/*
 * The list per sort. filters: more conditions on t; st: the statuses
 * (text[]); after, id: the keyset cursor; lim: rows. Each walks an index
 * per status in the page's order and merges the runs, so a page reads
 * about as many index entries as it shows:
 *   update: tickets_status (or the queue, team, assignee, customer and
 *     unassigned ones of 004/008 when those filter);
 *   age: tickets_status_age (assignee, unassigned: 008);
 *   priority: tickets_status_priority (assignee, unassigned: 008), on
 *     ticket_priority_rank (008; the place in ticket_priorities, low
 *     first). The cursor is "rank|updated_at".
 *   sla: tickets_status_sla (assignee: 012), on the earliest pending due
 *     time, 'infinity' for none so those come last and the cursor
 *     ("infinity" then) stays a plain comparison.
 */
#define SLA_KEY "coalesce(t.sla_due_at, 'infinity'::timestamptz)"
#define LIST_SLA(filters, st, after, id, lim) \
	"SELECT " ROW_COLS " FROM (SELECT x.* FROM unnest(" st "::text[]) AS st(status)" \
	" CROSS JOIN LATERAL (SELECT t.id, " SLA_KEY " AS k1, t.id AS k2" \
	" FROM tickets t WHERE t.status = st.status" filters \
	" AND " SLA_KEY " >= " after "::timestamptz" \
	" AND (" SLA_KEY " > " after "::timestamptz OR t.id > " id "::bigint)" \
	" ORDER BY " SLA_KEY ", t.id LIMIT " lim "::integer) x" \
	" ORDER BY x.k1, x.k2 LIMIT " lim "::integer) k" ROW_JOINS \
	" ORDER BY k.k1, k.k2"

#define LIST_UPDATE(filters, st, after, id, lim) \
	"SELECT " ROW_COLS " FROM (SELECT x.* FROM unnest(" st "::text[]) AS st(status)" \
	" CROSS JOIN LATERAL (SELECT t.id, t.updated_at AS k1, t.id AS k2" \
	" FROM tickets t WHERE t.status = st.status" filters \
	" AND t.updated_at <= " after "::timestamptz" \
	" AND (t.updated_at < " after "::timestamptz OR t.id < " id "::bigint)" \
	" ORDER BY t.updated_at DESC, t.id DESC LIMIT " lim "::integer) x" \
	" ORDER BY x.k1 DESC, x.k2 DESC LIMIT " lim "::integer) k" ROW_JOINS \
	" ORDER BY k.k1 DESC, k.k2 DESC"
#define LIST_AGE(filters, st, after, id, lim) \
	"SELECT " ROW_COLS " FROM (SELECT x.* FROM unnest(" st "::text[]) AS st(status)" \
	" CROSS JOIN LATERAL (SELECT t.id, t.created_at AS k1, t.id AS k2" \
	" FROM tickets t WHERE t.status = st.status" filters \
	" AND t.created_at >= " after "::timestamptz" \
	" AND (t.created_at > " after "::timestamptz OR t.id > " id "::bigint)" \
	" ORDER BY t.created_at, t.id LIMIT " lim "::integer) x" \
	" ORDER BY x.k1, x.k2 LIMIT " lim "::integer) k" ROW_JOINS \
	" ORDER BY k.k1, k.k2"
#define LIST_PRIORITY(filters, st, after, id, lim) \
	"SELECT " ROW_COLS_CURSOR("k.k0 || '|' || k.k1::text") " FROM (SELECT x.*" \
	" FROM unnest(" st "::text[]) AS st(status)" \
	" CROSS JOIN LATERAL (SELECT t.id, ticket_priority_rank(t.priority) AS k0," \
	" t.updated_at AS k1, t.id AS k2 FROM tickets t WHERE t.status = st.status" filters \
	" AND (ticket_priority_rank(t.priority), t.updated_at, t.id)" \
	"  < (split_part(" after ", '|', 1)::integer," \
	"  split_part(" after ", '|', 2)::timestamptz, " id "::bigint)" \
	" ORDER BY ticket_priority_rank(t.priority) DESC, t.updated_at DESC, t.id DESC" \
	" LIMIT " lim "::integer) x" \
	" ORDER BY x.k0 DESC, x.k1 DESC, x.k2 DESC LIMIT " lim "::integer) k" ROW_JOINS \
	" ORDER BY k.k0 DESC, k.k1 DESC, k.k2 DESC"

/* A field change of one ticket and its event, in one statement: $1 ticket,
 * $2 new value, $3 staff. Returns the ticket's id when something changed. */
#define FIELD_SQL(col, type, field, oldname, join, newname) \
	"WITH old AS (SELECT t.id, t." col " AS v, " oldname " AS vn FROM tickets t " join \
	" WHERE t.id = $1::bigint FOR UPDATE OF t)," \
	" up AS (UPDATE tickets t SET " col " = $2::" type ", version = t.version + 1," \
	" updated_at = now() FROM old WHERE t.id = old.id" \
	" AND old.v IS DISTINCT FROM $2::" type " RETURNING t.id, old.vn)" \
	" INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, old_value, new_value)" \
	" SELECT id, 'staff', $3::bigint, '" field "', vn, " newname " FROM up RETURNING ticket_id"

/* Where 008's triggers say that the lists of ticket_console_choices changed. */
#define CHOICES_CHANNEL "csdesk_choices"

/* How many of the newest matches a text search ranks (see STMT_LIST_SEARCH). */
#define SEARCH_CANDIDATES_SQL "500"
/* ts_rank's weights {D, C, B, A} for a comment (all D): a comment counts
 * half a description (B, 0.4). */
#define SEARCH_COMMENT_WEIGHTS "'{.2,.2,.4,1}'::real[]"
#define SEARCH_HEADLINE "'StartSel=\x02,StopSel=\x03,MaxWords=30,MinWords=10,MaxFragments=2'"

enum stmt {
	STMT_LIST_UPDATE,
	STMT_LIST_AGE,
	STMT_LIST_PRIORITY,
	STMT_LIST_SLA,
	STMT_LIST_SEARCH,
	STMT_PLAIN_UPDATE,
	STMT_PLAIN_AGE,
	STMT_PLAIN_PRIORITY,
	STMT_PLAIN_SLA,
	STMT_AGENT_UPDATE,
	STMT_AGENT_AGE,
	STMT_AGENT_PRIORITY,
	STMT_AGENT_SLA,
	STMT_GENERIC_PLANS,
	STMT_CUSTOM_PLANS,
	STMT_EMAIL,
	STMT_COUNTS,
	STMT_MINE,
	STMT_LOCK,
	STMT_STATUS_OF,
	STMT_SET_PRIORITY,
	STMT_SET_TYPE,
	STMT_SET_CATEGORY,
	STMT_SET_QUEUE,
	STMT_SET_TEAM,
	STMT_SET_ASSIGNEE,
	STMT_SET_PRODUCT,
	STMT_SET_SERIAL,
	STMT_SET_TAGS,
	STMT_PRODUCT,
	STMT_TICKET,
	STMT_AGENT,
	STMT_TEAM,
	STMT_QUEUE,
	STMT_CATEGORY,
	STMT_QUEUES,
	STMT_TEAMS,
	STMT_AGENTS,
	STMT_CATEGORIES,
	STMT_CODES,
	STMT_RECENT,
	STMT_LISTEN,
	STMT__MAX
};

static struct db_stmt stmts[] = {
	[STMT_LISTEN] = DB_STMT("ticket_console_listen", "LISTEN " CHOICES_CHANNEL, 0),
	[STMT_LIST_UPDATE] = DB_STMT("ticket_console_list_update",
	    LIST_UPDATE(FILTERS " AND $14::text IS NULL", "$5", "$15", "$16", "$17"), 18),
	[STMT_LIST_AGE] = DB_STMT("ticket_console_list_age",
	    LIST_AGE(FILTERS " AND $14::text IS NULL", "$5", "$15", "$16", "$17"), 18),
	[STMT_LIST_PRIORITY] = DB_STMT("ticket_console_list_priority",
	    LIST_PRIORITY(FILTERS " AND $14::text IS NULL", "$5", "$15", "$16", "$17"), 18),
	/* On track and at risk are due in the future (a ticket past its due
	 * time is red): saying so lets the walk of tickets_status_sla start
	 * at now() instead of passing over every overdue ticket first. */
	[STMT_LIST_SLA] = DB_STMT("ticket_console_list_sla",
	    LIST_SLA(FILTERS " AND $14::text IS NULL AND " SLA_KEY " >= CASE WHEN $18::text"
	    " IN ('on_track', 'at_risk') THEN now() ELSE '-infinity' END", "$5", "$15", "$16",
	    "$17"), 18),
	/* The same with no filter but the statuses: the default views. Their
	 * generic plans are made once per connection. */
	[STMT_PLAIN_UPDATE] = DB_STMT("ticket_console_plain_update",
	    LIST_UPDATE("", "$1", "$2", "$3", "$4"), 4),
	[STMT_PLAIN_AGE] = DB_STMT("ticket_console_plain_age",
	    LIST_AGE("", "$1", "$2", "$3", "$4"), 4),
	[STMT_PLAIN_PRIORITY] = DB_STMT("ticket_console_plain_priority",
	    LIST_PRIORITY("", "$1", "$2", "$3", "$4"), 4),
	[STMT_PLAIN_SLA] = DB_STMT("ticket_console_plain_sla",
	    LIST_SLA("", "$1", "$2", "$3", "$4"), 4),
	/* And one agent's tickets ("mine"), on the assignee indexes. */
	[STMT_AGENT_UPDATE] = DB_STMT("ticket_console_agent_update",
	    LIST_UPDATE(" AND t.assignee_id = $5::bigint", "$1", "$2", "$3", "$4"), 5),
	[STMT_AGENT_AGE] = DB_STMT("ticket_console_agent_age",
	    LIST_AGE(" AND t.assignee_id = $5::bigint", "$1", "$2", "$3", "$4"), 5),
	[STMT_AGENT_PRIORITY] = DB_STMT("ticket_console_agent_priority",
	    LIST_PRIORITY(" AND t.assignee_id = $5::bigint", "$1", "$2", "$3", "$4"), 5),
	[STMT_AGENT_SLA] = DB_STMT("ticket_console_agent_sla",
	    LIST_SLA(" AND t.assignee_id = $5::bigint", "$1", "$2", "$3", "$4"), 5),
	/* Words: ranking every match of a common word reads a heap page per
	 * match (tens of thousands). The candidates are the newest
	 * SEARCH_CANDIDATES_SQL matching tickets instead: those whose subject
	 * or description match, and those with a public or internal comment
	 * that does (each side walking the primary key, or the comments'
	 * ticket index, back when the words are common, the GIN index when
	 * they are rare), merged. Those are ranked: by their own text when it
	 * matches (subject A, description B), else by their best comment,
	 * weighted below a description (SEARCH_COMMENT_WEIGHTS), so a word in
	 * the subject still comes first. The snippet is made for the page's
	 * rows only: from the description, or from the newest matching comment
	 * when only comments match. \x02 and \x03 mark the matches. */
	[STMT_LIST_SEARCH] = DB_STMT("ticket_console_list_search",
	    "SELECT " ROW_COLS ", CASE WHEN t.search @@ websearch_to_tsquery('simple', $14)"
	    " THEN ts_headline('simple', t.description,"
	    "  websearch_to_tsquery('simple', $14), " SEARCH_HEADLINE ")"
	    " ELSE (SELECT ts_headline('simple', c.body,"
	    "  websearch_to_tsquery('simple', $14), " SEARCH_HEADLINE ")"
	    "  FROM ticket_comments c WHERE c.ticket_id = t.id AND c.kind <> 'system'"
	    "  AND c.search @@ websearch_to_tsquery('simple', $14) ORDER BY c.id DESC LIMIT 1) END"
	    " FROM (SELECT m.id, m.rank AS k1, m.id AS k2"
	    " FROM (SELECT t.id, CASE WHEN t.search @@ websearch_to_tsquery('simple', $14)"
	    "  THEN ts_rank(t.search, websearch_to_tsquery('simple', $14))"
	    "  ELSE (SELECT max(ts_rank(" SEARCH_COMMENT_WEIGHTS ", c.search,"
	    "   websearch_to_tsquery('simple', $14))) FROM ticket_comments c"
	    "   WHERE c.ticket_id = t.id AND c.kind <> 'system'"
	    "   AND c.search @@ websearch_to_tsquery('simple', $14)) END::float8 AS rank"
	    " FROM ((SELECT t.id FROM tickets t"
	    "  WHERE t.search @@ websearch_to_tsquery('simple', $14)"
	    "  AND t.status = ANY ($5::text[])" FILTERS
	    "  ORDER BY t.id DESC LIMIT " SEARCH_CANDIDATES_SQL ")"
	    " UNION (SELECT DISTINCT t.id FROM ticket_comments c JOIN tickets t ON t.id = c.ticket_id"
	    "  WHERE c.search @@ websearch_to_tsquery('simple', $14) AND c.kind <> 'system'"
	    "  AND t.status = ANY ($5::text[])" FILTERS
	    "  ORDER BY t.id DESC LIMIT " SEARCH_CANDIDATES_SQL ")"
	    " ORDER BY 1 DESC LIMIT " SEARCH_CANDIDATES_SQL ") cand"
	    " JOIN tickets t ON t.id = cand.id) m"
	    " WHERE (m.rank, m.id) < ($15::float8, $16::bigint)"
	    " ORDER BY m.rank DESC, m.id DESC LIMIT $17::integer) k" ROW_JOINS
	    " ORDER BY k.k1 DESC, k.k2 DESC", 18),
	/* A list reads a few hundred rows, but a generic plan's estimates
	 * (and a custom plan's, for rare filters) can pass jit_above_cost:
	 * compiling would then take ten times as long as the page. */
	[STMT_GENERIC_PLANS] = DB_STMT("ticket_console_generic_plans",
	    "SELECT set_config('plan_cache_mode', 'force_generic_plan', true),"
	    " set_config('jit', 'off', true)", 0),
	/* A generic plan cannot fold away the filters not given. */
	[STMT_CUSTOM_PLANS] = DB_STMT("ticket_console_custom_plans",
	    "SELECT set_config('plan_cache_mode', 'force_custom_plan', true),"
	    " set_config('jit', 'off', true)", 0),
	/* The accounts an e-mail address signs in to, as an array literal. */
	[STMT_EMAIL] = DB_STMT("ticket_console_email",
	    "SELECT array_agg(DISTINCT customer_id)::text FROM portal_users WHERE email = $1", 1),
	[STMT_COUNTS] = DB_STMT("ticket_console_counts",
	    "SELECT c.queue_id, coalesce(q.name, ''), c.status, c.n FROM ticket_counts c"
	    " LEFT JOIN queues q ON q.id = c.queue_id WHERE c.n <> 0"
	    " ORDER BY q.name IS NOT NULL, lower(q.name), c.queue_id", 0),
	[STMT_MINE] = DB_STMT("ticket_console_mine",
	    "SELECT open_tickets FROM staff WHERE id = $1::bigint", 1),
	[STMT_LOCK] = DB_STMT("ticket_console_lock",
	    "SELECT id, number, status, priority, coalesce(queue_id, 0), coalesce(team_id, 0),"
	    " coalesce(assignee_id, 0) FROM tickets WHERE number = ANY ($1::text[])"
	    " ORDER BY id FOR UPDATE", 1),
	[STMT_STATUS_OF] = DB_STMT("ticket_console_status_of",
	    "SELECT status FROM tickets WHERE id = $1::bigint FOR UPDATE", 1),
	[STMT_SET_PRIORITY] = DB_STMT("ticket_console_set_priority",
	    FIELD_SQL("priority", "text", "priority", "t.priority", "", "$2::text"), 3),
	[STMT_SET_TYPE] = DB_STMT("ticket_console_set_type",
	    FIELD_SQL("type", "text", "type", "t.type", "", "$2::text"), 3),
	[STMT_SET_CATEGORY] = DB_STMT("ticket_console_set_category",
	    FIELD_SQL("category_id", "bigint", "category", "x.name",
	    "LEFT JOIN categories x ON x.id = t.category_id",
	    "(SELECT name FROM categories WHERE id = $2::bigint)"), 3),
	[STMT_SET_QUEUE] = DB_STMT("ticket_console_set_queue",
	    FIELD_SQL("queue_id", "bigint", "queue", "x.name",
	    "LEFT JOIN queues x ON x.id = t.queue_id",
	    "(SELECT name FROM queues WHERE id = $2::bigint)"), 3),
	[STMT_SET_TEAM] = DB_STMT("ticket_console_set_team",
	    FIELD_SQL("team_id", "bigint", "team", "x.name",
	    "LEFT JOIN teams x ON x.id = t.team_id",
	    "(SELECT name FROM teams WHERE id = $2::bigint)"), 3),
	[STMT_SET_ASSIGNEE] = DB_STMT("ticket_console_set_assignee",
	    FIELD_SQL("assignee_id", "bigint", "assignee", "x.name",
	    "LEFT JOIN staff x ON x.id = t.assignee_id",
	    "(SELECT name FROM staff WHERE id = $2::bigint)"), 3),
	[STMT_SET_PRODUCT] = DB_STMT("ticket_console_set_product",
	    FIELD_SQL("product_id", "bigint", "product", "x.name",
	    "LEFT JOIN products x ON x.id = t.product_id",
	    "(SELECT name FROM products WHERE id = $2::bigint)"), 3),
	[STMT_SET_SERIAL] = DB_STMT("ticket_console_set_serial",
	    FIELD_SQL("serial", "text", "serial", "t.serial", "", "$2::text"), 3),
	[STMT_SET_TAGS] = DB_STMT("ticket_console_set_tags",
	    FIELD_SQL("tags", "text[]", "tags", "array_to_string(t.tags, ', ')", "",
	    "array_to_string($2::text[], ', ')"), 3),
	[STMT_PRODUCT] = DB_STMT("ticket_console_product",
	    "SELECT 1 FROM products WHERE id = $1::bigint AND active", 1),
	[STMT_TICKET] = DB_STMT("ticket_console_ticket",
	    "SELECT 1 FROM tickets WHERE id = $1::bigint FOR UPDATE", 1),
	[STMT_AGENT] = DB_STMT("ticket_console_agent",
	    "SELECT coalesce(team_id, 0) FROM staff WHERE id = $1::bigint AND active", 1),
	[STMT_TEAM] = DB_STMT("ticket_console_team",
	    "SELECT 1 FROM teams WHERE id = $1::bigint", 1),
	[STMT_QUEUE] = DB_STMT("ticket_console_queue",
	    "SELECT 1 FROM queues WHERE id = $1::bigint AND active", 1),
	[STMT_CATEGORY] = DB_STMT("ticket_console_category",
	    "SELECT 1 FROM categories WHERE id = $1::bigint AND active", 1),
	[STMT_QUEUES] = DB_STMT("ticket_console_queues",
	    "SELECT id, name FROM queues WHERE active ORDER BY lower(name), id", 0),
	[STMT_TEAMS] = DB_STMT("ticket_console_teams",
	    "SELECT id, name FROM teams ORDER BY lower(name), id", 0),
	[STMT_AGENTS] = DB_STMT("ticket_console_agents",
	    "SELECT id, name FROM staff WHERE active AND roles && ARRAY['agent', 'supervisor']"
	    " ORDER BY lower(name), id", 0),
	[STMT_CATEGORIES] = DB_STMT("ticket_console_categories",
	    "SELECT id, name FROM categories WHERE active ORDER BY position, lower(name), id", 0),
	[STMT_CODES] = DB_STMT("ticket_console_codes",
	    "SELECT code, label FROM resolution_codes WHERE active ORDER BY label, code", 0),
	[STMT_RECENT] = DB_STMT("ticket_console_recent",
	    "SELECT " ROW_COLS_CURSOR("''") " FROM (SELECT t.id FROM tickets t"
	    " WHERE t.customer_id = $1::bigint AND t.id <> $2::bigint"
	    " ORDER BY t.updated_at DESC, t.id DESC LIMIT $3::integer) k" ROW_JOINS
	    " ORDER BY t.updated_at DESC, t.id DESC", 3),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

/* The list statement per sort; text search has its own. */
static const enum stmt sort_stmts[TC_SORT__MAX] = {
	[TC_SORT_UPDATE] = STMT_LIST_UPDATE,
	[TC_SORT_PRIORITY] = STMT_LIST_PRIORITY,
	[TC_SORT_AGE] = STMT_LIST_AGE,
	[TC_SORT_SLA] = STMT_LIST_SLA,
};

/* The same without filters but the statuses, and but an agent. */
static const enum stmt plain_stmts[TC_SORT__MAX] = {
	[TC_SORT_UPDATE] = STMT_PLAIN_UPDATE,
	[TC_SORT_PRIORITY] = STMT_PLAIN_PRIORITY,
	[TC_SORT_AGE] = STMT_PLAIN_AGE,
	[TC_SORT_SLA] = STMT_PLAIN_SLA,
};
static const enum stmt agent_stmts[TC_SORT__MAX] = {
	[TC_SORT_UPDATE] = STMT_AGENT_UPDATE,
	[TC_SORT_PRIORITY] = STMT_AGENT_PRIORITY,
	[TC_SORT_AGE] = STMT_AGENT_AGE,
	[TC_SORT_SLA] = STMT_AGENT_SLA,
};

static const char *const sort_names[TC_SORT__MAX] = {
	[TC_SORT_UPDATE] = "update",
	[TC_SORT_PRIORITY] = "priority",
	[TC_SORT_AGE] = "age",
	[TC_SORT_SLA] = "sla",
};

static const char *const sla_states[] = { "on_track", "at_risk", "breached", "paused", NULL };

/* The first page's cursor per sort (and for text search). */
static const char *const sort_start[TC_SORT__MAX] = {
	[TC_SORT_UPDATE] = "infinity",
	[TC_SORT_PRIORITY] = "99|infinity",
	[TC_SORT_AGE] = "-infinity",
	[TC_SORT_SLA] = "-infinity",
};
#define SEARCH_START "Infinity"

static const char *const bulk_names[TC_BULK__MAX] = {
	[TC_BULK_ASSIGN] = "assign",
	[TC_BULK_STATUS] = "status",
	[TC_BULK_PRIORITY] = "priority",
	[TC_BULK_QUEUE] = "queue",
};

/* Field → statement, and whether its value is an id. */
static const struct {
	enum stmt stmt;
	int is_id;
	const char *const *words;
	enum stmt exists;
} fields[TC_FIELD__MAX] = {
	[TC_FIELD_PRIORITY] = { STMT_SET_PRIORITY, 0, ticket_priorities, STMT__MAX },
	[TC_FIELD_TYPE] = { STMT_SET_TYPE, 0, ticket_types, STMT__MAX },
	[TC_FIELD_CATEGORY] = { STMT_SET_CATEGORY, 1, NULL, STMT_CATEGORY },
	[TC_FIELD_QUEUE] = { STMT_SET_QUEUE, 1, NULL, STMT_QUEUE },
	[TC_FIELD_PRODUCT] = { STMT_SET_PRODUCT, 1, NULL, STMT_PRODUCT },
	[TC_FIELD_SERIAL] = { STMT_SET_SERIAL, 0, NULL, STMT__MAX },
	[TC_FIELD_TEAM] = { STMT_SET_TEAM, 1, NULL, STMT_TEAM },
	[TC_FIELD_TAGS] = { STMT_SET_TAGS, 0, NULL, STMT__MAX },
};

enum tc_sort
tc_sort_parse(const char *name)
{
	int i;

	for (i = 0; name != NULL && i < TC_SORT__MAX; i++)
		if (strcmp(name, sort_names[i]) == 0)
			return (enum tc_sort)i;
	return TC_SORT__MAX;
}

const char *
tc_sort_name(enum tc_sort s)
{
	return s < TC_SORT__MAX ? sort_names[s] : "update";
}

int
tc_sla_valid(const char *name)
{
	return name != NULL && ticket_word_valid(sla_states, name);
}

enum tc_bulk_action
tc_bulk_parse(const char *name)
{
	int i;

	for (i = 0; name != NULL && i < TC_BULK__MAX; i++)
		if (strcmp(name, bulk_names[i]) == 0)
			return (enum tc_bulk_action)i;
	return TC_BULK__MAX;
}

/* "TKT-" and 1..12 digits. */
static int
number_ok(const char *s)
{
	size_t i;

	if (strncmp(s, "TKT-", 4) != 0)
		return 0;
	for (i = 4; s[i] != '\0'; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return i > 4 && i <= 16;
}

/* "2026-01-31". */
static int
date_ok(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	size_t i;

	if (strlen(s) != sizeof(shape) - 1)
		return 0;
	for (i = 0; shape[i] != '\0'; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != '-')
			return 0;
	return 1;
}

/* A cursor as list rows give them: digits, a time, a rank, "|", or
 * "infinity" (the SLA sort's tickets without a due time). */
static int
cursor_ok(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > 64)
		return 0;
	return strspn(s, "0123456789 :.+-|eE") == len || strcmp(s, "infinity") == 0;
}

/* A Postgres array literal of simple words (checked by the caller). */
static const char *
word_array(struct arena *a, const char *const *words, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b, a);
	buf_addch(&b, '{');
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? "," : "", words[i]);
	buf_addch(&b, '}');
	return buf_failed(&b) ? NULL : b.buf;
}

/* The statuses a filter means, as an array literal; NULL when unknown. */
static const char *
status_array(struct arena *a, const char *status, int *bad)
{
	const char *names[TS__MAX];
	size_t n = 0;
	int s;

	*bad = 0;
	if (status != NULL && *status != '\0' && strcmp(status, "open") != 0) {
		if (ticket_status_parse(status) == TS__MAX) {
			*bad = 1;
			return NULL;
		}
		names[n++] = ticket_status_name(ticket_status_parse(status));
		return word_array(a, names, n);
	}
	for (s = 0; s < TS__MAX; s++)
		if (status == NULL || *status == '\0' || ticket_status_open((enum ticket_status)s))
			names[n++] = ticket_status_name((enum ticket_status)s);
	return word_array(a, names, n);
}

/* The ts_headline output with \x02…\x03 as escaped HTML with <mark>s. */
static const char *
snippet_html(struct arena *a, const char *s)
{
	struct buf b;

	buf_init(&b, a);
	buf_add_marked_html(&b, s, '\x02', '\x03');
	return buf_failed(&b) ? NULL : b.buf;
}

static int
fill_rows(struct arena *a, PGresult *res, int count, int snippets, struct tc_row *rows)
{
	int i, failed = 0;

	for (i = 0; i < count && !failed; i++) {
		struct tc_row *row = &rows[i];

		row->id = db_ll(res, i, R_ID);
		row->number = db_str(a, res, i, R_NUMBER, &failed);
		row->subject = db_str(a, res, i, R_SUBJECT, &failed);
		row->customer = db_str(a, res, i, R_CUSTOMER, &failed);
		row->status = db_str(a, res, i, R_STATUS, &failed);
		row->priority = db_str(a, res, i, R_PRIORITY, &failed);
		row->channel = db_str(a, res, i, R_CHANNEL, &failed);
		row->queue = db_str(a, res, i, R_QUEUE, &failed);
		row->team = db_str(a, res, i, R_TEAM, &failed);
		row->assignee = db_str(a, res, i, R_ASSIGNEE, &failed);
		row->created_at = db_str(a, res, i, R_CREATED, &failed);
		row->updated_at = db_str(a, res, i, R_UPDATED, &failed);
		row->cursor = db_str(a, res, i, R_CURSOR, &failed);
		row->sla = db_str(a, res, i, R_SLA, &failed);
		row->sla_left = PQgetisnull(res, i, R_SLA_LEFT) ? "" :
		    sla_left_words(a, db_ll(res, i, R_SLA_LEFT));
		if (snippets && !failed &&
		    (row->snippet_html = snippet_html(a, PQgetvalue(res, i, R_SNIPPET))) == NULL)
			failed = 1;
	}
	return failed ? -1 : 0;
}

/* Room for the numbers a list passes as text. */
struct list_args {
	char queue[24], team[24], assignee[24], id[24], limit[16];
	const char *p[18];
	enum stmt stmt;
	int search;
};

/* Checks f and fills the parameters; 0, TC_BAD_INPUT or -1. */
static int
list_args(struct arena *a, const struct tc_filter *f, int limit, struct list_args *la)
{
	const char *dates[4] = { f->created_from, f->created_to, f->updated_from,
		f->updated_to };
	const char *q = f->q;
	enum tc_sort sort = f->sort < TC_SORT__MAX ? f->sort : TC_SORT_UPDATE;
	int bad, i;

	memset(la->p, 0, sizeof(la->p));
	snprintf(la->queue, sizeof(la->queue), "%lld", f->queue_id);
	snprintf(la->team, sizeof(la->team), "%lld", f->team_id);
	snprintf(la->assignee, sizeof(la->assignee), "%lld", f->assignee_id);
	snprintf(la->id, sizeof(la->id), "%lld", f->after != NULL ? f->after_id : 0);
	snprintf(la->limit, sizeof(la->limit), "%d", limit);
	la->p[0] = f->queue_id > 0 ? la->queue : NULL;
	la->p[1] = f->team_id > 0 ? la->team : NULL;
	la->p[2] = f->assignee_id > 0 ? la->assignee : NULL;
	la->p[3] = f->unassigned ? "t" : "f";
	if ((la->p[4] = status_array(a, f->status, &bad)) == NULL)
		return bad ? TC_BAD_INPUT : -1;
	if (f->priority != NULL && *f->priority != '\0') {
		if (!ticket_word_valid(ticket_priorities, f->priority))
			return TC_BAD_INPUT;
		la->p[5] = f->priority;
	}
	if (f->channel != NULL && *f->channel != '\0') {
		if (!ticket_word_valid(ticket_channels, f->channel))
			return TC_BAD_INPUT;
		la->p[6] = f->channel;
	}
	for (i = 0; i < 4; i++) {
		if (dates[i] == NULL || *dates[i] == '\0')
			continue;
		if (!date_ok(dates[i]))
			return TC_BAD_INPUT;
		la->p[7 + i] = dates[i];
	}
	if (f->sla != NULL && *f->sla != '\0') {
		if (!tc_sla_valid(f->sla))
			return TC_BAD_INPUT;
		la->p[17] = f->sla;
	}
	la->stmt = sort_stmts[sort];
	la->search = 0;
	if (q != NULL && *q != '\0') {
		char *up = arena_strdup(a, q);
		size_t k;

		if (up == NULL)
			return -1;
		for (k = 0; up[k]; k++)
			up[k] = (char)toupper((unsigned char)up[k]);
		if (number_ok(up)) {
			la->p[12] = up;
		} else if (strchr(q, '@') != NULL && strpbrk(q, " \t") == NULL) {
			for (k = 0; up[k]; k++)
				up[k] = (char)tolower((unsigned char)up[k]);
			la->p[11] = up;
		} else {
			la->p[13] = q;
			la->stmt = STMT_LIST_SEARCH;
			la->search = 1;
		}
	}
	if (f->after != NULL) {
		if (!cursor_ok(f->after) || f->after_id < 0)
			return TC_BAD_INPUT;
		la->p[14] = f->after;
	} else {
		la->p[14] = la->search ? SEARCH_START : sort_start[sort];
	}
	la->p[15] = la->id;
	la->p[16] = la->limit;
	return 0;
}

/*
 * A view filtered by its statuses only (the default views), or by them and
 * an agent ("mine"), runs a statement of its own with a generic plan:
 * planned once per connection instead of once per page (planning took
 * twice as long as running it). Left to itself the planner would keep
 * planning it per page: its estimate for a generic plan is a little
 * higher. Fills p from la and returns the statement; STMT__MAX when the
 * view has other filters.
 */
static enum stmt
plain_args(const struct list_args *la, enum tc_sort sort, const char **p)
{
	int i;

	if (la->stmt != sort_stmts[sort] || strcmp(la->p[3], "f") != 0)
		return STMT__MAX;
	for (i = 0; i < 14; i++)
		if (i != 2 && i != 3 && i != 4 && la->p[i] != NULL)
			return STMT__MAX;
	if (la->p[17] != NULL)
		return STMT__MAX;
	p[0] = la->p[4];
	p[1] = la->p[14];
	p[2] = la->p[15];
	p[3] = la->p[16];
	p[4] = la->p[2];
	return la->p[2] != NULL ? agent_stmts[sort] : plain_stmts[sort];
}

/* One page of up to limit rows. */
static int
list_page(struct db *db, struct arena *a, const struct tc_filter *f, int limit,
    struct tc_row **rows, size_t *n, const char **next_after, long long *next_id)
{
	enum tc_sort sort = f->sort < TC_SORT__MAX ? f->sort : TC_SORT_UPDATE;
	struct list_args la;
	const char *pp[5];
	PGresult *res;
	enum stmt plain;
	int rc, count;

	*rows = NULL;
	*n = 0;
	*next_after = NULL;
	*next_id = 0;
	if ((rc = list_args(a, f, limit + 1, &la)) != 0)
		return rc;
	plain = plain_args(&la, sort, pp);
	if (plain == STMT__MAX && la.p[11] != NULL) {
		/* An e-mail: its accounts first, so the list is driven by them. */
		const char *ep[] = { la.p[11] };

		if ((res = db_exec(db, &stmts[STMT_EMAIL], ep)) == NULL)
			return -1;
		if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
			PQclear(res);
			return 0;	/* nobody: no rows */
		}
		la.p[11] = arena_strdup(a, PQgetvalue(res, 0, 0));
		PQclear(res);
		if (la.p[11] == NULL)
			return -1;
	}
	/* The plan settings, the list and a transaction around them: one round trip. */
	if (plain != STMT__MAX)
		res = db_exec_with(db, &stmts[STMT_GENERIC_PLANS], &stmts[plain], pp);
	else
		res = db_exec_with(db, &stmts[STMT_CUSTOM_PLANS], &stmts[la.stmt], la.p);
	if (res == NULL)	/* 22…: a cursor that looked right but is no time or number */
		return strncmp(db->sqlstate, "22", 2) == 0 ? TC_BAD_INPUT : -1;
	count = PQntuples(res);
	if (count > limit)
		count = limit;
	*rows = arena_calloc(a, (size_t)count + 1, sizeof(**rows));
	rc = *rows == NULL ? -1 : fill_rows(a, res, count, la.search, *rows);
	if (rc == 0) {
		*n = (size_t)count;
		if (PQntuples(res) > limit) {
			*next_after = (*rows)[count - 1].cursor;
			*next_id = (*rows)[count - 1].id;
		}
	}
	PQclear(res);
	return rc;
}

int
ticket_console_list(struct db *db, struct arena *a, const struct tc_filter *f,
    struct tc_row **rows, size_t *n, const char **next_after, long long *next_id)
{
	return list_page(db, a, f, TC_PAGE, rows, n, next_after, next_id);
}

int
ticket_console_counts(struct db *db, struct arena *a, long long staff_id, struct tc_counts *c)
{
	char idbuf[24];
	const char *p[] = { idbuf };
	PGresult *res;
	int i, count, failed = 0;
	size_t k;

	memset(c, 0, sizeof(*c));
	res = db_exec(db, &stmts[STMT_COUNTS], NULL);
	if (res == NULL)
		return -1;
	count = PQntuples(res);
	c->queues = arena_calloc(a, (size_t)count + 1, sizeof(*c->queues));
	c->statuses = arena_calloc(a, TS__MAX, sizeof(*c->statuses));
	if (c->queues == NULL || c->statuses == NULL)
		failed = 1;
	for (i = 0; !failed && i < TS__MAX; i++)
		c->statuses[i].name = ticket_status_name((enum ticket_status)i);
	if (!failed)
		c->nstatuses = TS__MAX;
	for (i = 0; i < count && !failed; i++) {
		long long q = db_ll(res, i, 0), nn = db_ll(res, i, 3);
		enum ticket_status s = ticket_status_parse(PQgetvalue(res, i, 2));
		struct tc_count *qc = NULL;

		for (k = 0; k < c->nqueues; k++)
			if (c->queues[k].queue_id == q)
				qc = &c->queues[k];
		if (qc == NULL) {
			qc = &c->queues[c->nqueues++];
			qc->queue_id = q;
			qc->name = db_str(a, res, i, 1, &failed);
		}
		qc->total += nn;
		if (s < TS__MAX) {
			c->statuses[s].total += nn;
			if (ticket_status_open(s))
				qc->open += nn;
		}
	}
	PQclear(res);
	if (failed)
		return -1;
	snprintf(idbuf, sizeof(idbuf), "%lld", staff_id);
	res = db_exec(db, &stmts[STMT_MINE], p);
	if (res == NULL)
		return -1;
	c->mine_open = PQntuples(res) == 1 ? db_ll(res, 0, 0) : 0;
	PQclear(res);
	return 0;
}

/* Whether the statement st finds a row for id. 1, 0 or -1. */
static int
exists(struct db *db, enum stmt st, long long id, long long *first)
{
	char idbuf[24];
	const char *p[] = { idbuf };
	PGresult *res;
	int found;

	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	res = db_exec(db, &stmts[st], p);
	if (res == NULL)
		return -1;
	found = PQntuples(res) == 1;
	if (found && first != NULL)
		*first = db_ll(res, 0, 0);
	PQclear(res);
	return found;
}

/* Runs a field statement for one ticket: 1 changed, 0 unchanged, -1. */
static int
set_field(struct db *db, enum stmt st, long long staff_id, long long ticket_id,
    const char *value)
{
	char id[24], by[24];
	const char *p[] = { id, value, by };
	PGresult *res;
	int changed;

	snprintf(id, sizeof(id), "%lld", ticket_id);
	snprintf(by, sizeof(by), "%lld", staff_id);
	res = db_exec(db, &stmts[st], p);
	if (res == NULL)
		return -1;
	changed = PQntuples(res) > 0;
	PQclear(res);
	return changed;
}

/* An id as a parameter: NULL for 0. */
static const char *
id_param(char *dst, size_t size, long long id)
{
	snprintf(dst, size, "%lld", id);
	return id > 0 ? dst : NULL;
}

/*
 * Gives ticket_id (currently in status from) to team and agent inside the
 * caller's transaction; a new ticket given to an agent becomes assigned,
 * through the workflow. 1 changed, 0 unchanged, -1.
 */
static int
assign_locked(struct db *db, struct arena *a, long long staff_id, long long ticket_id,
    enum ticket_status from, int set_team, long long team, int set_agent, long long agent)
{
	char tb[24], ab[24];
	struct ticket_actor_ref by = { TA_STAFF, staff_id, 0, 0, 0 };
	const char *why = NULL;
	int changed = 0, rc;

	if (set_team) {
		if ((rc = set_field(db, STMT_SET_TEAM, staff_id, ticket_id,
		    id_param(tb, sizeof(tb), team))) < 0)
			return -1;
		changed |= rc;
	}
	if (set_agent) {
		if ((rc = set_field(db, STMT_SET_ASSIGNEE, staff_id, ticket_id,
		    id_param(ab, sizeof(ab), agent))) < 0)
			return -1;
		if (rc == 1 && agent > 0 && ticket_notify_assigned(db, a, &by, ticket_id) < 0)
			return -1;
		changed |= rc;
	}
	if (set_agent && agent > 0 && from == TS_NEW &&
	    ticket_transition_allowed(TA_STAFF, TS_NEW, TS_ASSIGNED)) {
		if (ticket_set_status(db, a, &by, ticket_id, TS_ASSIGNED, NULL, NULL, 0, NULL,
		    &why) != 0)
			return -1;
		changed = 1;
	}
	return changed;
}

/* Reads "agent:12", "team:3", "none". 0 or TC_BAD_INPUT. */
static int
assign_value(const char *v, int *set_team, long long *team, int *set_agent, long long *agent)
{
	const char *num;
	char *end;
	long long id;

	*set_team = *set_agent = 0;
	*team = *agent = 0;
	if (strcmp(v, "none") == 0) {
		*set_agent = 1;
		return 0;
	}
	if (strncmp(v, "agent:", 6) == 0)
		num = v + 6;
	else if (strncmp(v, "team:", 5) == 0)
		num = v + 5;
	else
		return TC_BAD_INPUT;
	if (!isdigit((unsigned char)*num))
		return TC_BAD_INPUT;
	id = strtoll(num, &end, 10);
	if (*end != '\0' || id <= 0)
		return TC_BAD_INPUT;
	if (num == v + 6) {
		*set_agent = 1;
		*agent = id;
	} else {
		*set_team = 1;
		*team = id;
	}
	return 0;
}

static void
refuse(struct arena *a, struct tc_bulk_result *res, const char *number, const char *why)
{
	const char *s = arena_printf(a, "%s: %s", number, why);

	if (s != NULL)
		res->refused[res->nrefused++] = s;
}

int
ticket_console_bulk(struct db *db, struct arena *a, long long staff_id,
    enum tc_bulk_action action, const char *value, const char *const *numbers, size_t n,
    struct tc_bulk_result *res)
{
	struct ticket_actor_ref by = { TA_STAFF, staff_id, 0, 0, 0 };
	enum ticket_status to = TS__MAX;
	const char *arr, *p[1];
	unsigned char *seen;
	PGresult *rows = NULL;
	long long team = 0, agent = 0, queue = 0;
	int set_team = 0, set_agent = 0, i, count, rc = -1;
	size_t k;

	memset(res, 0, sizeof(*res));
	if (n == 0 || n > TC_BULK_MAX || action >= TC_BULK__MAX || value == NULL)
		return TC_BAD_INPUT;
	for (k = 0; k < n; k++)
		if (!number_ok(numbers[k]))
			return TC_BAD_INPUT;
	switch (action) {
	case TC_BULK_ASSIGN:
		if (assign_value(value, &set_team, &team, &set_agent, &agent) != 0)
			return TC_BAD_INPUT;
		break;
	case TC_BULK_STATUS:
		if ((to = ticket_status_parse(value)) == TS__MAX)
			return TC_BAD_INPUT;
		break;
	case TC_BULK_PRIORITY:
		if (!ticket_word_valid(ticket_priorities, value))
			return TC_BAD_INPUT;
		break;
	case TC_BULK_QUEUE: {
		char *end;

		if (!isdigit((unsigned char)*value))
			return TC_BAD_INPUT;
		queue = strtoll(value, &end, 10);
		if (*end != '\0' || queue <= 0)
			return TC_BAD_INPUT;
		break;
	}
	default:
		return TC_BAD_INPUT;
	}
	res->refused = arena_calloc(a, n + 1, sizeof(*res->refused));
	seen = arena_calloc(a, n + 1, 1);
	if (res->refused == NULL || seen == NULL ||
	    (arr = word_array(a, numbers, n)) == NULL)
		return -1;
	if (db_begin(db) < 0)
		return -1;
	/* Who and what are checked inside the transaction, with the tickets locked. */
	if (agent > 0 && (rc = exists(db, STMT_AGENT, agent, NULL)) <= 0)
		goto refused_value;
	if (team > 0 && (rc = exists(db, STMT_TEAM, team, NULL)) <= 0)
		goto refused_value;
	if (queue > 0 && (rc = exists(db, STMT_QUEUE, queue, NULL)) <= 0)
		goto refused_value;
	p[0] = arr;
	if ((rows = db_exec(db, &stmts[STMT_LOCK], p)) == NULL)
		goto fail;
	count = PQntuples(rows);
	for (i = 0; i < count; i++) {
		long long id = db_ll(rows, i, 0);
		const char *number = PQgetvalue(rows, i, 1);
		enum ticket_status from = ticket_status_parse(PQgetvalue(rows, i, 2));
		char qb[24];
		const char *why = NULL;
		int changed = 0;

		for (k = 0; k < n; k++)
			if (strcmp(numbers[k], number) == 0)
				seen[k] = 1;
		switch (action) {
		case TC_BULK_ASSIGN:
			changed = assign_locked(db, a, staff_id, id, from, set_team, team,
			    set_agent, agent);
			break;
		case TC_BULK_STATUS:
			if (from == to) {
				changed = 0;
			} else if (!ticket_transition_allowed(TA_STAFF, from, to)) {
				refuse(a, res, number, arena_printf(a, "cannot go from %s to %s",
				    ticket_status_name(from), ticket_status_name(to)));
			} else if (to == TS_RESOLVED) {
				refuse(a, res, number, "resolving needs a resolution code; "
				    "resolve it on its page");
			} else {
				changed = ticket_set_status(db, a, &by, id, to, NULL, NULL, 0,
				    NULL, &why) == 0 ? 1 : -1;
			}
			break;
		case TC_BULK_PRIORITY:
			changed = set_field(db, STMT_SET_PRIORITY, staff_id, id, value);
			break;
		case TC_BULK_QUEUE:
			snprintf(qb, sizeof(qb), "%lld", queue);
			changed = set_field(db, STMT_SET_QUEUE, staff_id, id, qb);
			break;
		default:
			break;
		}
		if (changed < 0)
			goto fail;
		res->changed += (size_t)changed;
	}
	for (k = 0; k < n; k++)
		if (!seen[k])
			refuse(a, res, numbers[k], "no such ticket");
	PQclear(rows);
	return db_commit(db) < 0 ? -1 : 0;
refused_value:
	db_rollback(db);
	return rc < 0 ? -1 : TC_BAD_INPUT;
fail:
	PQclear(rows);
	db_rollback(db);
	memset(res, 0, sizeof(*res));
	return -1;
}

int
ticket_console_assign(struct db *db, long long staff_id, long long ticket_id, long long team_id,
    long long agent_id)
{
	struct arena *a;
	char idbuf[24];
	const char *p[1] = { idbuf };
	PGresult *res;
	enum ticket_status from;
	long long agent_team = 0;
	int rc = -1, found;

	if (team_id < 0 || agent_id < 0)
		return TC_BAD_INPUT;
	if ((a = arena_new(4096)) == NULL)
		return -1;
	if (db_begin(db) < 0)
		goto out;
	if (agent_id > 0 && (found = exists(db, STMT_AGENT, agent_id, &agent_team)) <= 0) {
		rc = found < 0 ? -1 : TC_BAD_INPUT;
		goto fail;
	}
	if (team_id > 0 && (found = exists(db, STMT_TEAM, team_id, NULL)) <= 0) {
		rc = found < 0 ? -1 : TC_BAD_INPUT;
		goto fail;
	}
	/* An agent given without a team brings their own. */
	if (team_id == 0 && agent_id > 0)
		team_id = agent_team;
	snprintf(idbuf, sizeof(idbuf), "%lld", ticket_id);
	res = db_exec(db, &stmts[STMT_STATUS_OF], p);
	if (res == NULL)
		goto fail;
	if (PQntuples(res) != 1) {
		PQclear(res);
		rc = TC_NOT_FOUND;
		goto fail;
	}
	from = ticket_status_parse(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (assign_locked(db, a, staff_id, ticket_id, from, 1, team_id, 1, agent_id) < 0)
		goto fail;
	rc = db_commit(db) < 0 ? -1 : 0;
	goto out;
fail:
	db_rollback(db);
out:
	arena_free(a);
	return rc;
}

static int
tag_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

const char *
ticket_console_tags(struct arena *a, const char *typed, int *oom)
{
	const char *tags[TC_TAGS_MAX + 1];
	struct buf b;
	size_t n = 0, i, len;
	char *t;

	*oom = 0;
	while (*typed != '\0') {
		typed += strspn(typed, ", \t");
		if ((len = strcspn(typed, ", \t")) == 0)
			break;
		if (len > TC_TAG_MAX || n == TC_TAGS_MAX)
			return NULL;
		if ((t = arena_alloc(a, len + 1)) == NULL) {
			*oom = 1;
			return NULL;
		}
		for (i = 0; i < len; i++) {
			t[i] = (char)tolower((unsigned char)typed[i]);
			if (!islower((unsigned char)t[i]) && !isdigit((unsigned char)t[i]) &&
			    t[i] != '_' && t[i] != '-')
				return NULL;
		}
		t[len] = '\0';
		typed += len;
		for (i = 0; i < n && strcmp(tags[i], t) != 0; i++)
			;
		if (i == n)
			tags[n++] = t;
	}
	qsort(tags, n, sizeof(tags[0]), tag_cmp);
	/* Quoted, or a tag called "null" would be an SQL NULL in the array. */
	buf_init(&b, a);
	buf_addch(&b, '{');
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s\"%s\"", i ? "," : "", tags[i]);
	buf_addch(&b, '}');
	if (buf_failed(&b)) {
		*oom = 1;
		return NULL;
	}
	return b.buf;
}

/*
 * Checks value for field and makes the statement's parameter of it (NULL
 * for "none"). 0, or TC_BAD_INPUT; -1 when out of memory.
 */
static int
field_value(struct arena *a, enum tc_field field, const char *value, const char **param,
    long long *id)
{
	char *end;
	int oom;

	*id = 0;
	*param = value;
	if (fields[field].words != NULL && !ticket_word_valid(fields[field].words, value))
		return TC_BAD_INPUT;
	if (fields[field].is_id) {
		if (*value == '\0') {
			*param = NULL;
			return 0;
		}
		if (!isdigit((unsigned char)*value))
			return TC_BAD_INPUT;
		*id = strtoll(value, &end, 10);
		return *end != '\0' || *id <= 0 ? TC_BAD_INPUT : 0;
	}
	if (field == TC_FIELD_SERIAL) {
		size_t i, chars = 0;

		for (i = 0; value[i] != '\0'; i++) {
			if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f)
				return TC_BAD_INPUT;
			chars += ((unsigned char)value[i] & 0xc0) != 0x80;
		}
		if (chars > TC_SERIAL_MAX)
			return TC_BAD_INPUT;
		if (*value == '\0')
			*param = NULL;
		return 0;
	}
	if (field == TC_FIELD_TAGS) {
		*param = ticket_console_tags(a, value, &oom);
		return *param != NULL ? 0 : oom ? -1 : TC_BAD_INPUT;
	}
	return 0;
}

int
ticket_console_set_fields(struct db *db, long long staff_id, long long ticket_id,
    const char *const values[TC_FIELD__MAX], enum tc_field *bad, int *changed)
{
	const char *param[TC_FIELD__MAX];
	long long id[TC_FIELD__MAX];
	struct arena *a;
	int f, rc;

	*bad = TC_FIELD__MAX;
	*changed = 0;
	if ((a = arena_new(1024)) == NULL)
		return -1;
	for (f = 0; f < TC_FIELD__MAX; f++) {
		if (values[f] == NULL)
			continue;
		if ((rc = field_value(a, (enum tc_field)f, values[f], &param[f], &id[f])) != 0) {
			*bad = (enum tc_field)f;
			goto out;
		}
	}
	rc = -1;
	if (db_begin(db) < 0)
		goto out;
	if ((rc = exists(db, STMT_TICKET, ticket_id, NULL)) <= 0) {
		rc = rc < 0 ? -1 : TC_NOT_FOUND;
		goto fail;
	}
	for (f = 0; f < TC_FIELD__MAX; f++) {
		if (values[f] == NULL || id[f] == 0)
			continue;
		if ((rc = exists(db, fields[f].exists, id[f], NULL)) <= 0) {
			*bad = (enum tc_field)f;
			rc = rc < 0 ? -1 : TC_BAD_INPUT;
			goto fail;
		}
	}
	for (f = 0; f < TC_FIELD__MAX; f++) {
		if (values[f] == NULL)
			continue;
		if ((rc = set_field(db, fields[f].stmt, staff_id, ticket_id, param[f])) < 0)
			goto fail;
		*changed += rc;
	}
	rc = db_commit(db) < 0 ? -1 : 0;
	goto out;
fail:
	db_rollback(db);
	*changed = 0;
out:
	arena_free(a);
	return rc;
}

int
ticket_console_set(struct db *db, long long staff_id, long long ticket_id, enum tc_field field,
    const char *value)
{
	const char *values[TC_FIELD__MAX] = { 0 };
	enum tc_field bad;
	int changed;

	if (field >= TC_FIELD__MAX || value == NULL)
		return TC_BAD_INPUT;
	values[field] = value;
	return ticket_console_set_fields(db, staff_id, ticket_id, values, &bad, &changed);
}

/* Reads id, name rows of st. */
static int
choices(struct db *db, struct arena *a, enum stmt st, struct tc_choice **out, size_t *n)
{
	PGresult *res = db_exec(db, &stmts[st], NULL);
	int i, count, failed = 0;

	*out = NULL;
	*n = 0;
	if (res == NULL)
		return -1;
	count = PQntuples(res);
	*out = arena_calloc(a, (size_t)count + 1, sizeof(**out));
	if (*out == NULL)
		failed = 1;
	for (i = 0; i < count && !failed; i++) {
		(*out)[i].id = db_ll(res, i, 0);
		(*out)[i].name = db_str(a, res, i, 1, &failed);
	}
	if (!failed)
		*n = (size_t)count;
	PQclear(res);
	return failed ? -1 : 0;
}

/* Reads the lists into c, in arena a. 0 or -1. */
static int
load_choices(struct db *db, struct arena *a, struct tc_choices *c)
{
	PGresult *res;
	int i, count, failed = 0;

	memset(c, 0, sizeof(*c));
	if (choices(db, a, STMT_QUEUES, &c->queues, &c->nqueues) < 0 ||
	    choices(db, a, STMT_TEAMS, &c->teams, &c->nteams) < 0 ||
	    choices(db, a, STMT_AGENTS, &c->agents, &c->nagents) < 0 ||
	    choices(db, a, STMT_CATEGORIES, &c->categories, &c->ncategories) < 0)
		return -1;
	if ((res = db_exec(db, &stmts[STMT_CODES], NULL)) == NULL)
		return -1;
	count = PQntuples(res);
	c->codes = arena_calloc(a, (size_t)count + 1, sizeof(*c->codes));
	c->code_labels = arena_calloc(a, (size_t)count + 1, sizeof(*c->code_labels));
	if (c->codes == NULL || c->code_labels == NULL)
		failed = 1;
	for (i = 0; i < count && !failed; i++) {
		c->codes[i] = db_str(a, res, i, 0, &failed);
		c->code_labels[i] = db_str(a, res, i, 1, &failed);
	}
	if (!failed)
		c->ncodes = (size_t)count;
	PQclear(res);
	return failed ? -1 : 0;
}

/* Copies n choices into a; NULL when out of memory. */
static struct tc_choice *
copy_choices(struct arena *a, const struct tc_choice *from, size_t n)
{
	struct tc_choice *to = arena_calloc(a, n + 1, sizeof(*to));
	size_t i;

	for (i = 0; to != NULL && i < n; i++) {
		to[i].id = from[i].id;
		if ((to[i].name = arena_strdup(a, from[i].name)) == NULL)
			return NULL;
	}
	return to;
}

static const char **
copy_words(struct arena *a, const char *const *from, size_t n)
{
	const char **to = arena_calloc(a, n + 1, sizeof(*to));
	size_t i;

	for (i = 0; to != NULL && i < n; i++)
		if ((to[i] = arena_strdup(a, from[i])) == NULL)
			return NULL;
	return to;
}

/*
 * The lists change a few times a day and every ticket page and list shows
 * them: each worker keeps them, and 008's triggers NOTIFY CHOICES_CHANNEL
 * when a queue, team, category, resolution code or agent changes. The
 * connection LISTENs from before the lists are read, so a change is never
 * missed; a new connection starts afresh. The notification reaches the
 * worker's socket as the change commits and is read before the next use.
 * Through a pooler in transaction mode a LISTEN does not stay with the
 * worker: there the lists are read again after CHOICES_MAX_AGE seconds.
 */
#define CHOICES_MAX_AGE 60
static struct {
	struct arena *arena;		/* NULL: nothing kept */
	struct tc_choices c;
	unsigned long connects;		/* the connection that LISTENs; 0: none */
	time_t loaded;			/* when (monotonic seconds) */
} kept;

static time_t
monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void
forget_choices(void)
{
	arena_free(kept.arena);
	kept.arena = NULL;
	memset(&kept.c, 0, sizeof(kept.c));
}

/* The kept lists, read again when they may have changed. NULL on failure. */
static const struct tc_choices *
kept_choices(struct db *db)
{
	if (kept.connects != db->connects) {
		forget_choices();
		kept.connects = 0;
		/* Inside a transaction a LISTEN waits for a commit that may not
		 * come: read the lists uncached then. */
		if (db->depth > 0 || PQtransactionStatus(db->conn) != PQTRANS_IDLE)
			return NULL;
		if (db_run(db, &stmts[STMT_LISTEN], NULL) < 0)
			return NULL;
		kept.connects = db->connects;
	} else if (db_notified(db, CHOICES_CHANNEL) ||
	    monotonic_seconds() - kept.loaded > CHOICES_MAX_AGE) {
		forget_choices();
	}
	if (kept.arena == NULL) {
		if ((kept.arena = arena_new(8192)) == NULL)
			return NULL;
		if (load_choices(db, kept.arena, &kept.c) < 0) {
			forget_choices();
			return NULL;
		}
		kept.loaded = monotonic_seconds();
	}
	return &kept.c;
}

int
ticket_console_choices(struct db *db, struct arena *a, struct tc_choices *c)
{
	const struct tc_choices *k = kept_choices(db);

	if (k == NULL)
		return db->lost ? -1 : load_choices(db, a, c);
	/* A copy for the request: the kept lists may be replaced by the next
	 * call, while this request still renders these. */
	memset(c, 0, sizeof(*c));
	if ((c->queues = copy_choices(a, k->queues, k->nqueues)) == NULL ||
	    (c->teams = copy_choices(a, k->teams, k->nteams)) == NULL ||
	    (c->agents = copy_choices(a, k->agents, k->nagents)) == NULL ||
	    (c->categories = copy_choices(a, k->categories, k->ncategories)) == NULL ||
	    (c->codes = copy_words(a, k->codes, k->ncodes)) == NULL ||
	    (c->code_labels = copy_words(a, k->code_labels, k->ncodes)) == NULL)
		return -1;
	c->nqueues = k->nqueues;
	c->nteams = k->nteams;
	c->nagents = k->nagents;
	c->ncategories = k->ncategories;
	c->ncodes = k->ncodes;
	return 0;
}

int
ticket_console_customer_recent(struct db *db, struct arena *a, long long customer_id,
    long long exclude_id, int max, struct tc_row **rows, size_t *n)
{
	char cb[24], eb[24], mb[16];
	const char *p[] = { cb, eb, mb };
	PGresult *res;
	int count, rc;

	*rows = NULL;
	*n = 0;
	snprintf(cb, sizeof(cb), "%lld", customer_id);
	snprintf(eb, sizeof(eb), "%lld", exclude_id);
	snprintf(mb, sizeof(mb), "%d", max);
	if ((res = db_exec(db, &stmts[STMT_RECENT], p)) == NULL)
		return -1;
	count = PQntuples(res);
	*rows = arena_calloc(a, (size_t)count + 1, sizeof(**rows));
	rc = *rows == NULL ? -1 : fill_rows(a, res, count, 0, *rows);
	if (rc == 0)
		*n = (size_t)count;
	PQclear(res);
	return rc;
}

void
ticket_console_csv_field(struct buf *out, const char *s)
{
	int quote = strpbrk(s, "\",\r\n") != NULL;

	if (quote)
		buf_addch(out, '"');
	/* A leading = + - @ makes a spreadsheet evaluate the cell. */
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		buf_addch(out, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_addch(out, '"');
		buf_addch(out, *s);
	}
	if (quote)
		buf_addch(out, '"');
}

#define EXPORT_PAGE 1000

int
ticket_console_export(struct db *db, struct arena *a, const struct tc_filter *f,
    struct buf *out, size_t *rows)
{
	static const char *const head[] = { "number", "subject", "customer", "status",
		"priority", "channel", "queue", "team", "assignee", "created_at", "updated_at" };
	struct tc_filter page = *f;
	size_t i;

	*rows = 0;
	page.after = NULL;
	page.after_id = 0;
	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++) {
		if (i)
			buf_addch(out, ',');
		buf_addstr(out, head[i]);
	}
	buf_addstr(out, "\r\n");
	while (*rows < TC_EXPORT_MAX) {
		struct arena *pa = arena_new(64 * 1024);
		struct tc_row *r;
		const char *next = NULL;
		long long next_id = 0;
		size_t n, k;
		int rc;

		if (pa == NULL)
			return -1;
		rc = list_page(db, pa, &page, EXPORT_PAGE, &r, &n, &next, &next_id);
		if (rc != 0) {
			arena_free(pa);
			return rc;
		}
		for (k = 0; k < n && *rows < TC_EXPORT_MAX; k++, (*rows)++) {
			const char *v[] = { r[k].number, r[k].subject, r[k].customer, r[k].status,
				r[k].priority, r[k].channel, r[k].queue, r[k].team, r[k].assignee,
				r[k].created_at, r[k].updated_at };

			for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
				if (i)
					buf_addch(out, ',');
				ticket_console_csv_field(out, v[i]);
			}
			buf_addstr(out, "\r\n");
		}
		/* The next page's cursor must outlive this page's arena. */
		page.after = next != NULL ? arena_strdup(a, next) : NULL;
		page.after_id = next_id;
		arena_free(pa);
		if (buf_failed(out))
			return -1;
		if (next == NULL)
			break;
		if (page.after == NULL)
			return -1;
	}
	return 0;
}
