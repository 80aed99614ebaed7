/*
 * sla_view.c — the SLA panel of the console's ticket page, read: the
 * policy, calendar and badge, the three targets, the clock's segments,
 * events and escalations (see sla.h), in one statement. The lists are
 * read as stored when the clock moved (ticket_sla_panels, 062: JSON
 * columns read by db_json_table, times as epoch seconds); the policy,
 * calendar and the ticket's SLA columns are read live by key. The times
 * are worded in the reader's zone here (zone_time); the badge's colour
 * and the time left come from the same SQL the lists and mails use. It
 * goes out in the page's pipeline
 * (sla_view_send/take) or on its own (sla_view).
 */
#include "domain/sla.h"
#include "core/arena.h"
#include "core/zone_time.h"
#include "db/db.h"
#include "domain/sla_hours.h"
#include "domain/sla_mail.h"
#include "domain/sla_words.h"

#include <stdlib.h>
#include <string.h>

/* A moment as whole epoch seconds, "" when NULL. */
#define EPOCH(x) "coalesce(floor(extract(epoch FROM " x "))::bigint::text, '')"
#define OUTCOME(x) "CASE " x " WHEN true THEN 'met' WHEN false THEN 'missed' ELSE '' END"

/* One target's columns (first_response, next_response, resolution). */
#define TARGET_COLS(X, T, met) \
	X(V, T##_minutes, "coalesce(p." #T "_minutes, 0)") \
	X(V, T##_due_at, EPOCH("t." #T "_due_at")) X(V, T##_warn_at, EPOCH("t." #T "_warn_at")) \
	X(V, T##_stage, "t." #T "_stage") X(V, T##_outcome, met)
#define VIEW_COLS(X) \
	X(V, has_policy, "p.id IS NOT NULL") X(V, policy, "coalesce(p.name, '')") \
	X(V, calendar, "coalesce(c.name, '')") X(V, zone, "z.zone") X(V, viewer, "z.viewer") \
	X(V, day_minutes, "coalesce(c.day_minutes, 0)") \
	X(V, calendar_id, "coalesce(c.id, 0)") X(V, always_open, "coalesce(c.always_open, false)") \
	X(V, pauses, "coalesce(array_to_string(p.pause_statuses, ', '), '')") \
	/* The badge's colour and time left as the lists and mails say them
	 * (sla_colour_at, sla_seconds_left: inlined, the moment of reading). */ \
	X(V, colour, "sla_colour_at(t.sla_red_at, t.sla_amber_at)") \
	X(V, has_left, SLA_LEFT_SQL " IS NOT NULL") X(V, left, "coalesce(" SLA_LEFT_SQL ", 0)") \
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

/* The stored lists' cells (sla_panel_source, 062), cell 0 null. */
enum { SG_state = 1, SG_from, SG_to, SG_reason, SG__N };
enum { EV_target = 1, EV_kind, EV_at, EV_due_at, EV_detail, EV__N };
enum {
	ES_trigger = 1, ES_target, ES_by, ES_reason, ES_from_agent, ES_to_agent,
	ES_old_priority, ES_new_priority, ES_created_at, ES_deescalated_at, ES__N
};

enum stmt { ST_VIEW, ST_VIEW_NUMBER, ST__MAX };

static struct db_stmt stmts[] = {
	/* The zone (z) is the calendar's, UTC without one, which its hours
	 * are in; the viewer's is staff member $2's (their settings), the
	 * calendar's when there is none: the times are shown in it. OFFSET 0
	 * keeps z a row of its own. A ticket without a stored panel row has
	 * no segment, event or escalation: its lists are empty. */
#define VIEW_SQL(where) \
	    "SELECT " DB_COLS(VIEW_COLS) ", coalesce(s.segments, '[]'), coalesce(s.events, '[]')," \
	    " coalesce(s.escalations, '[]')" \
	    " FROM tickets t LEFT JOIN ticket_sla_panels s ON s.ticket_id = t.id" \
	    " LEFT JOIN sla_policies p ON p.id = t.sla_policy_id" \
	    " LEFT JOIN business_calendars c ON c.id = p.calendar_id," \
	    " LATERAL (SELECT coalesce(c.time_zone, 'UTC') AS zone, coalesce((SELECT w.time_zone" \
	    " FROM staff w WHERE w.id = $2::bigint), c.time_zone, 'UTC') AS viewer OFFSET 0) z" \
	    " WHERE " where
	[ST_VIEW] = DB_STMT("sla_view", VIEW_SQL("t.id = $1"), 2),
	/* The same for the ticket numbered $1 (sla_view_send_number). */
	[ST_VIEW_NUMBER] = DB_STMT("sla_view_number", VIEW_SQL("t.number = $1::text"), 2),
};
/* The lists' columns follow the view's own. */
enum { V_segments = V_resolution_outcome + 1, V_events, V_escalations };
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/*
 * A stored moment (epoch seconds as text, "" for none) as the page says
 * it in zone: "Tue 2026-12-08 14:05", or "". NULL when out of memory.
 */
static const char *
moment(struct arena *a, const char *epoch, const char *zone)
{
	char *end;
	long long t;

	if (epoch == NULL || *epoch == '\0')
		return "";
	t = strtoll(epoch, &end, 10);
	if (*end != '\0')
		return "";
	return zone_time(a, (time_t)t, zone, 1);
}

/* Row i of a list read by db_json_table: cell c of it. */
#define CELL(cells, n, i, c) ((cells)[(size_t)(i) * (n) + (c)])

static int
fill_segment(struct arena *a, const char *zone, const char **cells, size_t i,
    struct sla_segment *s)
{
	s->state = CELL(cells, SG__N, i, SG_state);
	s->from = moment(a, CELL(cells, SG__N, i, SG_from), zone);
	s->to = moment(a, CELL(cells, SG__N, i, SG_to), zone);
	s->reason = CELL(cells, SG__N, i, SG_reason);
	return s->from == NULL || s->to == NULL;
}

static int
fill_event(struct arena *a, const char *zone, const char **cells, size_t i,
    struct sla_event *e)
{
	e->target = CELL(cells, EV__N, i, EV_target);
	e->kind = CELL(cells, EV__N, i, EV_kind);
	e->at = moment(a, CELL(cells, EV__N, i, EV_at), zone);
	e->due_at = moment(a, CELL(cells, EV__N, i, EV_due_at), zone);
	e->detail = CELL(cells, EV__N, i, EV_detail);
	return e->at == NULL || e->due_at == NULL;
}

static int
fill_escalation(struct arena *a, const char *zone, const char **cells, size_t i,
    struct sla_escalation *e)
{
	e->trigger = CELL(cells, ES__N, i, ES_trigger);
	e->target = CELL(cells, ES__N, i, ES_target);
	e->by = CELL(cells, ES__N, i, ES_by);
	e->reason = CELL(cells, ES__N, i, ES_reason);
	e->from_agent = CELL(cells, ES__N, i, ES_from_agent);
	e->to_agent = CELL(cells, ES__N, i, ES_to_agent);
	e->old_priority = CELL(cells, ES__N, i, ES_old_priority);
	e->new_priority = CELL(cells, ES__N, i, ES_new_priority);
	e->created_at = moment(a, CELL(cells, ES__N, i, ES_created_at), zone);
	e->deescalated_at = moment(a, CELL(cells, ES__N, i, ES_deescalated_at), zone);
	return e->created_at == NULL || e->deescalated_at == NULL;
}

/*
 * The three lists from the view's row: each column read by
 * db_json_table, then its rows filled into an arena array, their times
 * in v's viewer_zone.
 */
static enum cs_result
view_lists(struct arena *a, const PGresult *r, struct sla_view *v)
{
	const char **seg, **ev, **esc;
	size_t nseg, nev, nesc, i;
	int failed = 0;

	if (db_json_table(a, r, 0, V_segments, SG__N, &seg, &nseg) != CS_OK ||
	    db_json_table(a, r, 0, V_events, EV__N, &ev, &nev) != CS_OK ||
	    db_json_table(a, r, 0, V_escalations, ES__N, &esc, &nesc) != CS_OK)
		return CS_FAILED;
	if ((nseg > 0 && (v->segments = arena_calloc(a, nseg, sizeof(*v->segments))) == NULL) ||
	    (nev > 0 && (v->events = arena_calloc(a, nev, sizeof(*v->events))) == NULL) ||
	    (nesc > 0 && (v->escalations = arena_calloc(a, nesc, sizeof(*v->escalations))) == NULL))
		return CS_FAILED;
	for (i = 0; i < nseg; i++)
		failed |= fill_segment(a, v->viewer_zone, seg, i, &v->segments[i]);
	for (i = 0; i < nev; i++)
		failed |= fill_event(a, v->viewer_zone, ev, i, &v->events[i]);
	for (i = 0; i < nesc; i++)
		failed |= fill_escalation(a, v->viewer_zone, esc, i, &v->escalations[i]);
	if (failed)
		return CS_FAILED;
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

/* Target k of the view from row r, its times in zone; a target without a policy reads "". */
static void
fill_target(struct arena *a, const PGresult *r, int k, int day_minutes, const char *zone,
    struct sla_target *t, int *failed)
{
	int minutes = (int)db_ll(r, 0, target_cols[k].minutes);

	t->label = target_cols[k].label;
	t->target = minutes > 0 ? sla_target_words(a, minutes, day_minutes) : "";
	t->due_at = moment(a, PQgetvalue(r, 0, target_cols[k].due_at), zone);
	t->warn_at = moment(a, PQgetvalue(r, 0, target_cols[k].warn_at), zone);
	*failed |= t->due_at == NULL || t->warn_at == NULL;
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
		fill_target(a, r, k, day, v->viewer_zone, &v->targets[k], &failed);
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

int
sla_view_send_number(struct db_pipe *pipe, struct arena *a, const char *number,
    long long reader, int slot[SLA_VIEW_SLOTS])
{
	const char **p = arena_calloc(a, 2, sizeof(*p));

	if (p == NULL || (p[1] = db_param_ll(a, reader)) == NULL)
		return -1;
	p[0] = number;
	return (slot[0] = db_pipe_add(pipe, &stmts[ST_VIEW_NUMBER], p)) < 0 ? -1 : 0;
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
