/* ticket_list.c — see ticket_list.h. */
#include "domain/ticket_list.h"
#include "domain/ticket_list_sql.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/zone_time.h"
#include "db/db.h"
#include "domain/sla_words.h"
#include "domain/ticket_choices.h"
#include "domain/ticket_rules.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/*
 * The general statements take every filter as a parameter (enum tl_param,
 * ticket_list_sql.h), NULL when absent. They run with custom plans (see
 * ticket_list_page), so each "$n IS NULL OR …" folds away and the planner
 * sees only the filters given, and picks the index that fits them.
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
 * compared with now() here, so the list and the badge agree at every
 * instant. With custom plans the CASE folds to the state asked for (or to
 * true), a filter on the sort's walk. The shapes (ticket_list_shapes.c)
 * read "at risk" and "breached" from the state 048 stores instead; these
 * statements run only for a text search and when no more shapes can be
 * kept.
 */
#define SLA_STATE(p) \
	" AND CASE " p "::text WHEN 'breached' THEN t.sla_red_at <= now()" \
	" WHEN 'at_risk' THEN t.sla_amber_at <= now() AND t.sla_red_at > now()" \
	" WHEN 'on_track' THEN t.sla_red_at > now() AND t.sla_red_at < 'infinity'" \
	"  AND (t.sla_amber_at IS NULL OR t.sla_amber_at > now())" \
	" WHEN 'paused' THEN t.sla_red_at = 'infinity' ELSE true END"

/* How many of the newest matches a text search ranks (see STMT_LIST_SEARCH). */
#define SEARCH_CANDIDATES_SQL "500"

/* The accounts an e-mail address signs in to, as an array literal. */
#define EMAIL_COLS(X) X(EM, customers, "array_agg(DISTINCT customer_id)::text")
enum { DB_COL_ENUM(EMAIL_COLS) };

enum stmt {
	STMT_LIST_UPDATE,
	STMT_LIST_AGE,
	STMT_LIST_PRIORITY,
	STMT_LIST_SLA,
	STMT_LIST_SEARCH,
	STMT_GENERIC_PLANS,
	STMT_CUSTOM_PLANS,
	STMT_EMAIL,
	STMT_RECENT_NUMBER,
	STMT__MAX
};

static struct db_stmt stmts[] = {
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
	 * rows only (SEARCH_COLS). */
	[STMT_LIST_SEARCH] = DB_STMT("ticket_console_list_search",
	    "SELECT " DB_COLS(SEARCH_COLS)
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
	[STMT_EMAIL] = DB_STMT("ticket_console_email",
	    "SELECT " DB_COLS(EMAIL_COLS) " FROM portal_users WHERE email = $1", 1),
	/* The latest tickets of the customer of the ticket numbered $1, but
	 * that one (the names from the kept lists, as the views'). */
	[STMT_RECENT_NUMBER] = DB_STMT("ticket_console_recent_number",
	    "SELECT " DB_COLS(RECENT_COLS) " FROM (SELECT t.id FROM tickets t"
	    " WHERE t.customer_id = (SELECT o.customer_id FROM tickets o WHERE o.number = $1::text)"
	    " AND t.number <> $1::text"
	    " ORDER BY t.updated_at DESC, t.id DESC LIMIT $2::integer) k" ROW_JOINS
	    " ORDER BY t.updated_at DESC, t.id DESC", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

/* The list statement per sort; text search has its own. */
static const enum stmt sort_stmts[TL_SORT__MAX] = {
	[TL_SORT_UPDATE] = STMT_LIST_UPDATE,
	[TL_SORT_PRIORITY] = STMT_LIST_PRIORITY,
	[TL_SORT_AGE] = STMT_LIST_AGE,
	[TL_SORT_SLA] = STMT_LIST_SLA,
};

/* The first page's cursor per sort (and for text search). */
static const char *const sort_start[TL_SORT__MAX] = {
	[TL_SORT_UPDATE] = "infinity",
	[TL_SORT_PRIORITY] = "99|infinity",
	[TL_SORT_AGE] = "-infinity",
	[TL_SORT_SLA] = "-infinity",
};
#define SEARCH_START "Infinity"


static int
given(const char *s)
{
	return s != NULL && *s != '\0';
}

/* The statuses a (checked) filter means, as an array literal; NULL when out of memory. */
static const char *
status_array(struct arena *a, const char *status)
{
	const char *names[TS__MAX];
	size_t n = 0;
	int s;

	if (given(status) && strcmp(status, "open") != 0) {
		names[n++] = ticket_status_name(ticket_status_parse(status));
		return tl_words_param(a, names, n);
	}
	for (s = 0; s < TS__MAX; s++)
		if (!given(status) || ticket_status_open((enum ticket_status)s))
			names[n++] = ticket_status_name((enum ticket_status)s);
	return tl_words_param(a, names, n);
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

/* Seconds since the epoch as "2026-01-31 14:05" UTC; NULL when out of memory. */
static const char *
utc_minute(struct arena *a, long long secs)
{
	struct tm tm;
	time_t t = (time_t)secs;
	char s[ZONE_TIME_MAX];

	if (gmtime_r(&t, &tm) == NULL)
		return "";
	/* strftime's "%Y-%m-%d %H:%M", twice a row, at a tenth of the cost. */
	zone_time_format(&tm, 0, s);
	return s[0] != '\0' ? arena_strdup(a, s) : "";
}

/* A name column: NULL (the kept lists give it, see ROW_COLS) or its text. */
static const char *
name_col(struct arena *a, const PGresult *res, int i, int col, int *failed)
{
	return PQgetisnull(res, i, col) ? NULL : db_str(a, res, i, col, failed);
}

/* One list row; the search's rows carry a snippet too. */
static enum cs_result
fill_row(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct tl_row *row = elem;
	int failed = 0, due;

	row->id = db_ll(res, i, R_id);
	row->number = db_str(a, res, i, R_number, &failed);
	row->subject = db_str(a, res, i, R_subject, &failed);
	row->customer = db_str(a, res, i, R_customer, &failed);
	row->status = db_str(a, res, i, R_status, &failed);
	row->priority = db_str(a, res, i, R_priority, &failed);
	row->channel = db_str(a, res, i, R_channel, &failed);
	row->queue_id = PQgetisnull(res, i, R_queue_id) ? 0 : db_ll(res, i, R_queue_id);
	row->team_id = PQgetisnull(res, i, R_team_id) ? 0 : db_ll(res, i, R_team_id);
	row->assignee_id = PQgetisnull(res, i, R_assignee_id) ? 0 : db_ll(res, i, R_assignee_id);
	row->queue = name_col(a, res, i, R_queue, &failed);
	row->team = name_col(a, res, i, R_team, &failed);
	row->assignee = name_col(a, res, i, R_assignee, &failed);
	row->created = db_ll(res, i, R_created);
	row->updated = db_ll(res, i, R_updated);
	if ((row->created_at = utc_minute(a, row->created)) == NULL ||
	    (row->updated_at = utc_minute(a, row->updated)) == NULL)
		failed = 1;
	row->cursor = db_str(a, res, i, R_cursor, &failed);
	row->sla = db_str(a, res, i, R_sla, &failed);
	row->sla_left = PQgetisnull(res, i, R_sla_left) ? "" :
	    sla_left_words(a, db_ll(res, i, R_sla_left));
	due = PQfnumber(res, "sla_due");
	row->sla_due = due >= 0 && !PQgetisnull(res, i, due) ? db_ll(res, i, due) : 0;
	if (!failed && due < 0 && PQnfields(res) > R_snippet &&
	    (row->snippet_html = snippet_html(a, PQgetvalue(res, i, R_snippet))) == NULL)
		failed = 1;
	return failed ? CS_FAILED : CS_OK;
}

/* Fills the parameters of the (checked) view f; CS_OK, or CS_FAILED when out of memory. */
static enum cs_result
list_args(struct arena *a, const struct tl_filter *f, int limit, struct tl_args *la)
{
	const char *dates[4] = { f->created_from, f->created_to, f->updated_from,
		f->updated_to };
	enum tl_sort sort = f->sort < TL_SORT__MAX ? f->sort : TL_SORT_UPDATE;
	int i;

	memset(la->p, 0, sizeof(la->p));
	la->search = 0;
	snprintf(la->queue, sizeof(la->queue), "%lld", f->queue_id);
	snprintf(la->team, sizeof(la->team), "%lld", f->team_id);
	snprintf(la->assignee, sizeof(la->assignee), "%lld", f->assignee_id);
	snprintf(la->id, sizeof(la->id), "%lld", f->after != NULL ? f->after_id : 0);
	snprintf(la->limit, sizeof(la->limit), "%d", limit);
	la->p[P_QUEUE] = f->queue_id > 0 ? la->queue : NULL;
	la->p[P_TEAM] = f->team_id > 0 ? la->team : NULL;
	la->p[P_ASSIGNEE] = f->assignee_id > 0 ? la->assignee : NULL;
	la->p[P_UNASSIGNED] = f->unassigned ? "t" : "f";
	if ((la->p[P_STATUSES] = status_array(a, f->status)) == NULL)
		return CS_FAILED;
	la->p[P_PRIORITY] = given(f->priority) ? f->priority : NULL;
	la->p[P_CHANNEL] = given(f->channel) ? f->channel : NULL;
	for (i = 0; i < 4; i++)
		la->p[P_CREATED_FROM + i] = given(dates[i]) ? dates[i] : NULL;
	la->p[P_SLA] = given(f->sla) ? f->sla : NULL;
	if (given(f->q)) {
		char *up = arena_strdup(a, f->q);
		size_t k;

		if (up == NULL)
			return CS_FAILED;
		for (k = 0; up[k]; k++)
			up[k] = (char)toupper((unsigned char)up[k]);
		if (tl_number_valid(up)) {
			la->p[P_NUMBER] = up;
		} else if (strchr(f->q, '@') != NULL && strpbrk(f->q, " \t") == NULL) {
			for (k = 0; up[k]; k++)
				up[k] = (char)tolower((unsigned char)up[k]);
			la->p[P_CUSTOMERS] = up;
		} else {
			la->p[P_WORDS] = f->q;
			la->search = 1;
		}
	}
	if (f->after != NULL)
		la->p[P_AFTER] = f->after;
	else
		la->p[P_AFTER] = la->search ? SEARCH_START : sort_start[sort];
	la->p[P_AFTER_ID] = la->id;
	la->p[P_LIMIT] = la->limit;
	return CS_OK;
}

/* The queue, team and assignee names of n rows, from the kept lists. */
static enum cs_result
kept_names(struct db *db, struct arena *a, struct tl_row *rows, size_t n)
{
	struct ticket_names *names;
	enum cs_result rc;
	size_t i;

	if (n == 0)
		return CS_OK;
	if ((names = arena_calloc(a, n, sizeof(*names))) == NULL)
		return CS_FAILED;
	for (i = 0; i < n; i++) {
		names[i].queue_id = rows[i].queue_id;
		names[i].team_id = rows[i].team_id;
		names[i].staff_id = rows[i].assignee_id;
	}
	if ((rc = ticket_choices_names(db, a, names, n)) != CS_OK)
		return rc;
	for (i = 0; i < n; i++) {
		rows[i].queue = names[i].queue;
		rows[i].team = names[i].team;
		rows[i].assignee = names[i].staff;
	}
	return CS_OK;
}

/* An e-mail's accounts as an array literal into *ids; NULL when nobody. */
static enum cs_result
email_accounts(struct db *db, struct arena *a, const char *email, const char **ids)
{
	const char *ep[] = { email };
	PGresult *res = db_exec(db, &stmts[STMT_EMAIL], ep);
	int failed = 0;

	*ids = NULL;
	if (res == NULL)
		return db_result(db);
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, EM_customers))
		*ids = db_str(a, res, 0, EM_customers, &failed);
	PQclear(res);
	return failed ? CS_FAILED : CS_OK;
}

/*
 * The plan settings (set) and the list (st with params) in the round trip
 * of the pipe also, after what the page queued there; limit rows and
 * whether there are more.
 */
static enum cs_result
page_in_pipe(struct db *db, struct arena *a, struct db_pipe *also, struct db_stmt *set,
    struct db_stmt *st, const char *const *params, int limit, void **rows, size_t *n,
    int *more)
{
	enum cs_result rc;
	int slot;

	*rows = NULL;
	*n = 0;
	*more = 0;
	if (db_pipe_add(also, set, NULL) < 0 || (slot = db_pipe_add(also, st, params)) < 0)
		return CS_FAILED;
	if ((rc = db_pipe_run(db, also)) != CS_OK)
		return rc;
	rc = db_pipe_rows(also, slot, a, sizeof(struct tl_row), fill_row, rows, n);
	if (rc == CS_OK && *n > (size_t)limit) {
		*more = 1;
		*n = (size_t)limit;
	}
	return rc;
}

enum cs_result
ticket_list_page(struct db *db, struct arena *a, const struct tl_filter *f, int limit,
    struct tl_page *page, const char **why)
{
	return ticket_list_page_pipe(db, a, f, limit, page, NULL, why);
}

enum cs_result
ticket_list_page_pipe(struct db *db, struct arena *a, const struct tl_filter *f, int limit,
    struct tl_page *page, struct db_pipe *also, const char **why)
{
	enum tl_sort sort = f->sort < TL_SORT__MAX ? f->sort : TL_SORT_UPDATE;
	struct tl_args la;
	const char *pp[TL_SHAPE_PARAMS];
	const char *const *params = pp;
	struct db_stmt *shape, *set;
	enum cs_result rc;
	void *rows;
	int more, generic = 0;

	memset(page, 0, sizeof(*page));
	if ((rc = tl_filter_check(f, why)) != CS_OK)
		return rc;
	if (limit < 1 || limit > 1000)
		limit = TL_PAGE;
	if (list_args(a, f, limit + 1, &la) != CS_OK)
		return CS_FAILED;
	if (la.p[P_CUSTOMERS] != NULL) {
		/* An e-mail: its accounts first, so the list is driven by them. */
		rc = email_accounts(db, a, la.p[P_CUSTOMERS], &la.p[P_CUSTOMERS]);
		if (rc != CS_OK)
			return rc;
		if (la.p[P_CUSTOMERS] == NULL)	/* nobody: no rows, the rest of the page */
			return also != NULL ? db_pipe_run(db, also) : CS_OK;
	}
	shape = tl_shape_stmt(a, &la, sort, f->backward, pp, &generic);
	/* Backwards is a place's neighbour, by the view's own shape only. */
	if (f->backward && (shape == NULL || f->after == NULL)) {
		*why = "A search's results have no previous ticket: go back to the list.";
		return CS_REFUSED;
	}
	/* The plan settings, the list and a transaction around them: one round
	 * trip (with the page's other statements, when it gave a pipe). */
	if (shape == NULL) {
		generic = 0;
		shape = &stmts[la.search ? STMT_LIST_SEARCH : sort_stmts[sort]];
		params = la.p;
	}
	set = &stmts[generic ? STMT_GENERIC_PLANS : STMT_CUSTOM_PLANS];
	if (also != NULL)
		rc = page_in_pipe(db, a, also, set, shape, params, limit, &rows, &page->n, &more);
	else
		rc = db_page_with(db, a, set, shape, params, limit, sizeof(struct tl_row),
		    fill_row, &rows, &page->n, &more);
	/* 22…: a cursor that looked right but is no time or number. */
	if (rc == CS_FAILED && strncmp(db->sqlstate, "22", 2) == 0) {
		*why = "That page of the list is not there any more.";
		return CS_REFUSED;
	}
	if (rc != CS_OK) {
		page->n = 0;
		return rc;
	}
	page->rows = rows;
	if ((rc = kept_names(db, a, page->rows, page->n)) != CS_OK) {
		page->n = 0;
		return rc;
	}
	if (more && !f->backward) {
		page->next_after = page->rows[page->n - 1].cursor;
		page->next_id = page->rows[page->n - 1].id;
	}
	return CS_OK;
}

int
ticket_list_customer_recent_send_number(struct db_pipe *pipe, struct arena *a,
    const char *number, int max)
{
	const char **p = arena_alloc(a, 2 * sizeof(*p));

	if (p == NULL || (p[1] = db_param_ll(a, max)) == NULL)
		return -1;
	p[0] = number;
	return db_pipe_add(pipe, &stmts[STMT_RECENT_NUMBER], p);
}

enum cs_result
ticket_list_customer_recent_take(struct db_pipe *pipe, int slot, struct db *db,
    struct arena *a, struct tl_row **rows, size_t *n)
{
	void *out;
	enum cs_result rc = db_pipe_rows(pipe, slot, a, sizeof(**rows), fill_row, &out, n);

	*rows = out;
	return rc != CS_OK ? rc : kept_names(db, a, *rows, *n);
}
