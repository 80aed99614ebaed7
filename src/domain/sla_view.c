/*
 * sla_view.c — the SLA panel of the console's ticket page, read: the
 * policy, calendar and badge, the three targets, the clock's segments,
 * events and escalations (see sla.h), in one statement: the lists come
 * as JSON columns of the ticket's row (db_json_table), so the zone and
 * the ticket are looked up once. It goes out in the page's pipeline
 * (sla_view_send/take) or on its own (sla_view).
 */
#include "domain/sla.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/sla_hours.h"
#include "domain/sla_mail.h"
#include "domain/sla_words.h"

#include <stdlib.h>
#include <string.h>

/* A time in the reader's zone (z.viewer), "" when NULL. */
#define LT(x) "coalesce(to_char(" x " AT TIME ZONE z.viewer, 'Dy YYYY-MM-DD HH24:MI'), '')"
#define OUTCOME(x) "CASE " x " WHEN true THEN 'met' WHEN false THEN 'missed' ELSE '' END"
#define LEFT SLA_LEFT_SQL

/* One target's columns (first_response, next_response, resolution). */
#define TARGET_COLS(X, T, met) \
	X(V, T##_minutes, "coalesce(p." #T "_minutes, 0)") \
	X(V, T##_due_at, LT("t." #T "_due_at")) X(V, T##_warn_at, LT("t." #T "_warn_at")) \
	X(V, T##_stage, "t." #T "_stage") X(V, T##_outcome, met)
#define VIEW_COLS(X) \
	X(V, has_policy, "p.id IS NOT NULL") X(V, policy, "coalesce(p.name, '')") \
	X(V, calendar, "coalesce(c.name, '')") X(V, zone, "z.zone") X(V, viewer, "z.viewer") \
	X(V, day_minutes, "coalesce(c.day_minutes, 0)") \
	X(V, calendar_id, "coalesce(c.id, 0)") X(V, always_open, "coalesce(c.always_open, false)") \
	X(V, pauses, "coalesce(array_to_string(p.pause_statuses, ', '), '')") \
	X(V, colour, "sla_colour_at(t.sla_red_at, t.sla_amber_at)") \
	X(V, has_left, LEFT " IS NOT NULL") X(V, left, "coalesce(" LEFT ", 0)") \
	X(V, paused_minutes, "round(t.sla_paused_minutes::numeric, 1)::text") \
	X(V, flags, "array_to_string(t.flags, ',')") \
	X(V, hours, "coalesce((SELECT string_agg(h.weekday || ' ' ||" \
	    " extract(epoch FROM h.opens)::integer / 60 || ' ' ||" \
	    " extract(epoch FROM h.closes)::integer / 60, ',' ORDER BY h.weekday, h.opens)" \
	    " FROM calendar_hours h WHERE h.calendar_id = c.id), '')") \
	TARGET_COLS(X, first_response, OUTCOME("t.first_response_met")) \
	TARGET_COLS(X, next_response, "''") \
	TARGET_COLS(X, resolution, OUTCOME("t.resolution_met"))
enum { DB_COL_ENUM(VIEW_COLS) };

#define SEG_COLS(X) \
	X(SG, state, "k.state") X(SG, from, LT("k.started_at")) X(SG, to, LT("k.ended_at")) \
	X(SG, reason, "k.reason")
enum { DB_COL_ENUM(SEG_COLS) SG__N };

#define EVENT_COLS(X) \
	X(EV, target, "replace(e.target, '_', ' ')") X(EV, kind, "replace(e.kind, '_', ' ')") \
	X(EV, at, LT("e.at")) X(EV, due_at, LT("e.due_at")) X(EV, detail, "e.detail")
enum { DB_COL_ENUM(EVENT_COLS) EV__N };

#define ESC_COLS(X) \
	X(ES, trigger, "replace(x.trigger, '_', ' ')") \
	X(ES, target, "replace(coalesce(x.target, ''), '_', ' ')") \
	X(ES, by, "coalesce(s.name, r.name, 'rule')") X(ES, reason, "coalesce(x.reason, '')") \
	X(ES, from_agent, "coalesce(fa.name, '')") X(ES, to_agent, "coalesce(ta.name, '')") \
	X(ES, old_priority, "coalesce(x.old_priority, '')") \
	X(ES, new_priority, "coalesce(x.new_priority, '')") \
	X(ES, created_at, LT("x.created_at")) X(ES, deescalated_at, LT("x.deescalated_at"))
enum { DB_COL_ENUM(ESC_COLS) ES__N };

/* A list's rows as one JSON column: each row an array, its cell 0 null
 * so the cells keep the positions of the enums above. */
#define JROW(cols) "json_build_array(NULL" cols(DB_COL_SQL_) ")"
#define JLIST(cols, order, from_where) \
	"(SELECT coalesce(json_agg(" JROW(cols) " ORDER BY " order "), '[]') " from_where ")"

enum stmt { ST_VIEW, ST__MAX };

static struct db_stmt stmts[] = {
	/* The zone (z) is the calendar's, UTC without one, which its hours
	 * are in; the viewer's is staff member $2's (their settings), the
	 * calendar's when there is none: the times are shown in it. The lists
	 * read both from the outer row. OFFSET 0 keeps z a row of its own:
	 * pulled up, the viewer's lookup became a subplan per time column
	 * (a dozen), each set up on every read though only one runs. */
	[ST_VIEW] = DB_STMT("sla_view",
	    "SELECT " DB_COLS(VIEW_COLS) ", "
	    JLIST(SEG_COLS, "k.id", "FROM ticket_sla_clock k WHERE k.ticket_id = t.id") ", "
	    JLIST(EVENT_COLS, "e.at, e.id", "FROM ticket_sla_events e WHERE e.ticket_id = t.id") ", "
	    JLIST(ESC_COLS, "x.id", "FROM ticket_escalations x"
	    " LEFT JOIN staff s ON s.id = x.by_staff_id"
	    " LEFT JOIN escalation_rules r ON r.id = x.rule_id"
	    " LEFT JOIN staff fa ON fa.id = x.from_assignee_id"
	    " LEFT JOIN staff ta ON ta.id = x.to_assignee_id WHERE x.ticket_id = t.id")
	    " FROM tickets t LEFT JOIN sla_policies p ON p.id = t.sla_policy_id"
	    " LEFT JOIN business_calendars c ON c.id = p.calendar_id,"
	    " LATERAL (SELECT coalesce(c.time_zone, 'UTC') AS zone, coalesce((SELECT w.time_zone"
	    " FROM staff w WHERE w.id = $2::bigint), c.time_zone, 'UTC') AS viewer OFFSET 0) z"
	    " WHERE t.id = $1", 2),
};
/* The lists' columns follow the view's own. */
enum { V_segments = V_resolution_outcome + 1, V_events, V_escalations };
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* Row i of a list read by db_json_table: cell c of it. */
#define CELL(cells, n, i, c) ((cells)[(size_t)(i) * (n) + (c)])

static void
fill_segment(const char **cells, size_t i, struct sla_segment *s)
{
	s->state = CELL(cells, SG__N, i, SG_state);
	s->from = CELL(cells, SG__N, i, SG_from);
	s->to = CELL(cells, SG__N, i, SG_to);
	s->reason = CELL(cells, SG__N, i, SG_reason);
}

static void
fill_event(const char **cells, size_t i, struct sla_event *e)
{
	e->target = CELL(cells, EV__N, i, EV_target);
	e->kind = CELL(cells, EV__N, i, EV_kind);
	e->at = CELL(cells, EV__N, i, EV_at);
	e->due_at = CELL(cells, EV__N, i, EV_due_at);
	e->detail = CELL(cells, EV__N, i, EV_detail);
}

static void
fill_escalation(const char **cells, size_t i, struct sla_escalation *e)
{
	e->trigger = CELL(cells, ES__N, i, ES_trigger);
	e->target = CELL(cells, ES__N, i, ES_target);
	e->by = CELL(cells, ES__N, i, ES_by);
	e->reason = CELL(cells, ES__N, i, ES_reason);
	e->from_agent = CELL(cells, ES__N, i, ES_from_agent);
	e->to_agent = CELL(cells, ES__N, i, ES_to_agent);
	e->old_priority = CELL(cells, ES__N, i, ES_old_priority);
	e->new_priority = CELL(cells, ES__N, i, ES_new_priority);
	e->created_at = CELL(cells, ES__N, i, ES_created_at);
	e->deescalated_at = CELL(cells, ES__N, i, ES_deescalated_at);
}

/*
 * The three lists from the view's row: each column read by
 * db_json_table, then its rows filled into an arena array.
 */
static enum cs_result
view_lists(struct arena *a, const PGresult *r, struct sla_view *v)
{
	const char **seg, **ev, **esc;
	size_t nseg, nev, nesc, i;

	if (db_json_table(a, r, 0, V_segments, SG__N, &seg, &nseg) != CS_OK ||
	    db_json_table(a, r, 0, V_events, EV__N, &ev, &nev) != CS_OK ||
	    db_json_table(a, r, 0, V_escalations, ES__N, &esc, &nesc) != CS_OK)
		return CS_FAILED;
	if ((nseg > 0 && (v->segments = arena_calloc(a, nseg, sizeof(*v->segments))) == NULL) ||
	    (nev > 0 && (v->events = arena_calloc(a, nev, sizeof(*v->events))) == NULL) ||
	    (nesc > 0 && (v->escalations = arena_calloc(a, nesc, sizeof(*v->escalations))) == NULL))
		return CS_FAILED;
	for (i = 0; i < nseg; i++)
		fill_segment(seg, i, &v->segments[i]);
	for (i = 0; i < nev; i++)
		fill_event(ev, i, &v->events[i]);
	for (i = 0; i < nesc; i++)
		fill_escalation(esc, i, &v->escalations[i]);
	v->nsegments = nseg;
	v->nevents = nev;
	v->nescalations = nesc;
	return CS_OK;
}

/* The columns of each target of the view, in the order of sla_view.targets. */
static const struct {
	const char *label;
	int minutes, due_at, warn_at, stage, outcome;
} target_cols[3] = {
	{ "First response", V_first_response_minutes, V_first_response_due_at,
	  V_first_response_warn_at, V_first_response_stage, V_first_response_outcome },
	{ "Next response", V_next_response_minutes, V_next_response_due_at,
	  V_next_response_warn_at, V_next_response_stage, V_next_response_outcome },
	{ "Resolution", V_resolution_minutes, V_resolution_due_at, V_resolution_warn_at,
	  V_resolution_stage, V_resolution_outcome },
};

/* Target k of the view from row r; a target without a policy reads "". */
static void
fill_target(struct arena *a, const PGresult *r, int k, int day_minutes, struct sla_target *t,
    int *failed)
{
	int minutes = (int)db_ll(r, 0, target_cols[k].minutes);

	t->label = target_cols[k].label;
	t->target = minutes > 0 ? sla_target_words(a, minutes, day_minutes) : "";
	t->due_at = db_str(a, r, 0, target_cols[k].due_at, failed);
	t->warn_at = db_str(a, r, 0, target_cols[k].warn_at, failed);
	t->stage = db_str(a, r, 0, target_cols[k].stage, failed);
	t->outcome = db_str(a, r, 0, target_cols[k].outcome, failed);
}

/*
 * The view's own row (policy, calendar, badge, targets) from r; the
 * calendar's id (0 without a policy) and whether it is always open, for
 * its hours.
 */
static enum cs_result
view_head(struct arena *a, const PGresult *r, struct sla_view *v, long long *calendar_id,
    int *always_open)
{
	int failed = 0, day, k;

	if (PQntuples(r) != 1)
		return CS_NOT_FOUND;
	day = (int)db_ll(r, 0, V_day_minutes);
	v->has_policy = db_bool(r, 0, V_has_policy);
	v->policy = db_str(a, r, 0, V_policy, &failed);
	v->calendar = db_str(a, r, 0, V_calendar, &failed);
	v->zone = db_str(a, r, 0, V_zone, &failed);
	v->viewer_zone = db_str(a, r, 0, V_viewer, &failed);
	*calendar_id = db_ll(r, 0, V_calendar_id);
	*always_open = db_bool(r, 0, V_always_open);
	v->pauses = db_str(a, r, 0, V_pauses, &failed);
	v->colour = db_str(a, r, 0, V_colour, &failed);
	v->left = db_bool(r, 0, V_has_left) ? sla_left_words(a, db_ll(r, 0, V_left)) : "";
	v->paused_minutes = db_str(a, r, 0, V_paused_minutes, &failed);
	v->flags = db_str(a, r, 0, V_flags, &failed);
	for (k = 0; k < 3; k++)
		fill_target(a, r, k, day, &v->targets[k], &failed);
	return failed ? CS_FAILED : CS_OK;
}

int
sla_view_send(struct db_pipe *pipe, struct arena *a, long long ticket_id, long long reader,
    int slot[SLA_VIEW_SLOTS])
{
	const char **p = arena_calloc(a, 2, sizeof(*p));

	if (p == NULL || (p[0] = db_param_ll(a, ticket_id)) == NULL ||
	    (p[1] = db_param_ll(a, reader)) == NULL)
		return -1;
	return (slot[0] = db_pipe_add(pipe, &stmts[ST_VIEW], p)) < 0 ? -1 : 0;
}

/*
 * The calendar's week from the view's hours, "weekday opens closes" in
 * minutes, ","-separated, in order (as sla_calendar_week reads them).
 */
static void
read_week(const char *s, struct sla_week *w)
{
	memset(w, 0, sizeof(*w));
	while (*s != '\0') {
		char *end;
		long day = strtol(s, &end, 10), opens = strtol(end, &end, 10);
		long closes = strtol(end, &end, 10);

		if (end == s)
			return;
		sla_week_add(w, (int)day, (int)opens, (int)closes);
		if (*end != ',')
			return;
		s = end + 1;
	}
}

enum cs_result
sla_view_take(struct db_pipe *pipe, struct arena *a, const int slot[SLA_VIEW_SLOTS],
    struct sla_view *v)
{
	const PGresult *head = db_pipe_result(pipe, slot[0]);
	struct sla_week week;
	long long calendar_id = 0;
	int always_open = 0;
	enum cs_result rc;

	memset(v, 0, sizeof(*v));
	if (head == NULL)
		return CS_FAILED;
	if ((rc = view_head(a, head, v, &calendar_id, &always_open)) != CS_OK)
		return rc;
	v->hours = "";
	if (calendar_id > 0) {
		read_week(PQgetvalue(head, 0, V_hours), &week);
		v->hours = sla_hours_words(a, always_open, &week);
	}
	return view_lists(a, head, v);
}

enum cs_result
sla_view(struct db *db, struct arena *a, long long ticket_id, long long reader,
    struct sla_view *v)
{
	struct db_pipe pipe;
	int slot[SLA_VIEW_SLOTS];
	enum cs_result rc;

	memset(v, 0, sizeof(*v));
	db_pipe_init(&pipe);
	if (sla_view_send(&pipe, a, ticket_id, reader, slot) < 0)
		return CS_FAILED;
	if ((rc = db_pipe_run(db, &pipe)) == CS_OK)
		rc = sla_view_take(&pipe, a, slot, v);
	db_pipe_release(&pipe);
	return rc;
}
