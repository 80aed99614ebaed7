/*
 * sla_view.c — the SLA panel of the console's ticket page, read: the
 * policy, calendar and badge, the three targets, the clock's segments,
 * events and escalations (see sla.h). Its statements go out in the
 * page's pipeline (sla_view_send/take) or on their own (sla_view).
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
/*
 * The zone of a ticket's calendar ($1), UTC without one, which its hours
 * are in; and the reader's, the time zone of staff member $2 (the agent's
 * settings), the calendar's when there is none: the times are shown in it.
 */
#define ZONE "WITH z AS (SELECT k.zone, coalesce((SELECT s.time_zone FROM staff s" \
	" WHERE s.id = $2::bigint), k.zone) AS viewer FROM (SELECT coalesce((SELECT c.time_zone" \
	" FROM tickets t JOIN sla_policies p ON p.id = t.sla_policy_id" \
	" JOIN business_calendars c ON c.id = p.calendar_id WHERE t.id = $1), 'UTC') AS zone) k) "
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
enum { DB_COL_ENUM(SEG_COLS) };

#define EVENT_COLS(X) \
	X(EV, target, "replace(e.target, '_', ' ')") X(EV, kind, "replace(e.kind, '_', ' ')") \
	X(EV, at, LT("e.at")) X(EV, due_at, LT("e.due_at")) X(EV, detail, "e.detail")
enum { DB_COL_ENUM(EVENT_COLS) };

#define ESC_COLS(X) \
	X(ES, trigger, "replace(x.trigger, '_', ' ')") \
	X(ES, target, "replace(coalesce(x.target, ''), '_', ' ')") \
	X(ES, by, "coalesce(s.name, r.name, 'rule')") X(ES, reason, "coalesce(x.reason, '')") \
	X(ES, from_agent, "coalesce(fa.name, '')") X(ES, to_agent, "coalesce(ta.name, '')") \
	X(ES, old_priority, "coalesce(x.old_priority, '')") \
	X(ES, new_priority, "coalesce(x.new_priority, '')") \
	X(ES, created_at, LT("x.created_at")) X(ES, deescalated_at, LT("x.deescalated_at"))
enum { DB_COL_ENUM(ESC_COLS) };

enum stmt {
	ST_VIEW,
	ST_SEGMENTS,
	ST_EVENTS,
	ST_ESCALATIONS,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_VIEW] = DB_STMT("sla_view",
	    ZONE "SELECT " DB_COLS(VIEW_COLS)
	    " FROM z, tickets t LEFT JOIN sla_policies p ON p.id = t.sla_policy_id"
	    " LEFT JOIN business_calendars c ON c.id = p.calendar_id WHERE t.id = $1", 2),
	[ST_SEGMENTS] = DB_STMT("sla_segments",
	    ZONE "SELECT " DB_COLS(SEG_COLS)
	    " FROM z, ticket_sla_clock k WHERE k.ticket_id = $1 ORDER BY k.id", 2),
	[ST_EVENTS] = DB_STMT("sla_events",
	    ZONE "SELECT " DB_COLS(EVENT_COLS)
	    " FROM z, ticket_sla_events e WHERE e.ticket_id = $1 ORDER BY e.at, e.id", 2),
	[ST_ESCALATIONS] = DB_STMT("sla_escalations",
	    ZONE "SELECT " DB_COLS(ESC_COLS)
	    " FROM z, ticket_escalations x LEFT JOIN staff s ON s.id = x.by_staff_id"
	    " LEFT JOIN escalation_rules r ON r.id = x.rule_id"
	    " LEFT JOIN staff fa ON fa.id = x.from_assignee_id"
	    " LEFT JOIN staff ta ON ta.id = x.to_assignee_id"
	    " WHERE x.ticket_id = $1 ORDER BY x.id", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill_segment(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct sla_segment *s = elem;
	int failed = 0;

	s->state = db_str(a, r, i, SG_state, &failed);
	s->from = db_str(a, r, i, SG_from, &failed);
	s->to = db_str(a, r, i, SG_to, &failed);
	s->reason = db_str(a, r, i, SG_reason, &failed);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
fill_event(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct sla_event *e = elem;
	int failed = 0;

	e->target = db_str(a, r, i, EV_target, &failed);
	e->kind = db_str(a, r, i, EV_kind, &failed);
	e->at = db_str(a, r, i, EV_at, &failed);
	e->due_at = db_str(a, r, i, EV_due_at, &failed);
	e->detail = db_str(a, r, i, EV_detail, &failed);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
fill_escalation(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct sla_escalation *e = elem;
	int failed = 0;

	e->trigger = db_str(a, r, i, ES_trigger, &failed);
	e->target = db_str(a, r, i, ES_target, &failed);
	e->by = db_str(a, r, i, ES_by, &failed);
	e->reason = db_str(a, r, i, ES_reason, &failed);
	e->from_agent = db_str(a, r, i, ES_from_agent, &failed);
	e->to_agent = db_str(a, r, i, ES_to_agent, &failed);
	e->old_priority = db_str(a, r, i, ES_old_priority, &failed);
	e->new_priority = db_str(a, r, i, ES_new_priority, &failed);
	e->created_at = db_str(a, r, i, ES_created_at, &failed);
	e->deescalated_at = db_str(a, r, i, ES_deescalated_at, &failed);
	return failed ? CS_FAILED : CS_OK;
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

/* The view's four statements, in the order of the slots of sla_view_send. */
static const enum stmt view_stmts[SLA_VIEW_SLOTS] = {
	ST_VIEW, ST_SEGMENTS, ST_EVENTS, ST_ESCALATIONS
};

int
sla_view_send(struct db_pipe *pipe, struct arena *a, long long ticket_id, long long reader,
    int slot[SLA_VIEW_SLOTS])
{
	const char **p = arena_calloc(a, 2, sizeof(*p));
	int k;

	if (p == NULL || (p[0] = db_param_ll(a, ticket_id)) == NULL ||
	    (p[1] = db_param_ll(a, reader)) == NULL)
		return -1;
	for (k = 0; k < SLA_VIEW_SLOTS; k++)
		if ((slot[k] = db_pipe_add(pipe, &stmts[view_stmts[k]], p)) < 0)
			return -1;
	return 0;
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
	if ((rc = db_pipe_rows(pipe, slot[1], a, sizeof(*v->segments), fill_segment,
	    (void **)&v->segments, &v->nsegments)) != CS_OK)
		return rc;
	if ((rc = db_pipe_rows(pipe, slot[2], a, sizeof(*v->events), fill_event,
	    (void **)&v->events, &v->nevents)) != CS_OK)
		return rc;
	return db_pipe_rows(pipe, slot[3], a, sizeof(*v->escalations), fill_escalation,
	    (void **)&v->escalations, &v->nescalations);
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
