/*
 * The console's list views against a plain reference: for every filter
 * and sort the console offers, walking ticket_list_page page by page
 * (keyset cursors) gives the same tickets in the same order as one
 * straightforward SELECT … WHERE … ORDER BY over the whole table. The
 * tickets come from `csdesk gen`, with times cut to the hour or the day so
 * that many share a sort value and the id has to break the ties, and with
 * teams and unassigned tickets in every status, and with SLA due and
 * warning times around now in every state sla_colour() knows (the SLA
 * filters must give its answer, the SLA sort sla_due()'s order). Words
 * in comments find their tickets too. Also: the kept choice lists follow
 * a rename of a queue.
 */
#include "../lib/harness.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/saved_views.h"
#include "domain/ticket_list.h"
#include "domain/ticket_choices.h"
#include "domain/ticket_queue.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo, *as_console;

/* Spreads the generated tickets over teams, leaves some of every status
 * with nobody, and makes ties in both times. */
static const char fixup[] =
    "UPDATE tickets t SET team_id = (SELECT id FROM teams ORDER BY id"
    " OFFSET (t.id % 3) LIMIT 1) WHERE t.id % 4 <> 0;"
    "UPDATE tickets SET assignee_id = NULL WHERE id % 7 = 0;"
    "UPDATE tickets SET updated_at = date_trunc('hour', updated_at),"
    " created_at = date_trunc('day', created_at) WHERE id % 3 <> 0;"
    "UPDATE tickets SET updated_at = (SELECT max(updated_at) FROM tickets)"
    " WHERE id % 11 = 0;"
    /* Due and warning times whole hours from now, so many tickets share
     * one and none crosses a threshold while the test runs (0 hours: due
     * as the fixture runs, red by the time the lists are read). */
    "UPDATE tickets t SET sla_policy_id = (SELECT min(id) FROM sla_policies),"
    " first_response_due_at = now() + (t.id % 13 - 5) * interval '1 hour',"
    " first_response_warn_at = now() + (t.id % 13 - 7) * interval '1 hour',"
    " next_response_due_at = CASE WHEN t.id % 5 = 0"
    "  THEN now() + (t.id % 9 - 2) * interval '1 hour' END,"
    " next_response_warn_at = CASE WHEN t.id % 5 = 0"
    "  THEN now() + (t.id % 9 - 3) * interval '1 hour' END,"
    " resolution_due_at = now() + (t.id % 17 - 3) * interval '1 day',"
    " resolution_warn_at = now() + (t.id % 17 - 4) * interval '1 day',"
    " resolution_met = CASE WHEN t.id % 29 = 0 THEN true END,"
    " first_response_stage = CASE WHEN t.id % 19 = 0 THEN 'breached' ELSE 'ok' END,"
    " next_response_stage = CASE WHEN t.id % 31 = 0 THEN 'breached' ELSE 'ok' END,"
    " resolution_stage = CASE WHEN t.id % 23 = 0 THEN 'breached' ELSE 'ok' END,"
    " sla_paused_at = CASE WHEN t.id % 8 = 0 THEN now() - interval '1 hour' END"
    " WHERE t.id % 10 <> 0;"
    /* A word only an internal note has. */
    "INSERT INTO ticket_comments (ticket_id, kind, body)"
    " SELECT id, 'internal', 'Checked the zephyrwidget logs' FROM tickets"
    " WHERE id % 37 = 1;"
    "INSERT INTO ticket_comments (ticket_id, kind, body)"
    " SELECT id, 'public', 'Printer zephyrwidget swapped' FROM tickets WHERE id % 41 = 2;"
    "ANALYZE tickets, ticket_comments;";

/* The reference: every ticket the filters let through, in the sort's order. */
#define REF_WHERE \
	"SELECT t.id FROM tickets t WHERE ($1::text[] IS NULL OR t.status = ANY ($1::text[]))" \
	" AND ($2::bigint IS NULL OR t.queue_id = $2) AND ($3::bigint IS NULL OR t.team_id = $3)" \
	" AND ($4::bigint IS NULL OR t.assignee_id = $4)" \
	" AND (NOT $5::boolean OR t.assignee_id IS NULL)" \
	" AND ($6::text IS NULL OR t.priority = $6) AND ($7::text IS NULL OR t.channel = $7)" \
	" AND ($8::date IS NULL OR t.created_at >= $8::date)" \
	" AND ($9::date IS NULL OR t.created_at < $9::date + 1)" \
	" AND ($10::text IS NULL OR t.customer_id IN" \
	"  (SELECT customer_id FROM portal_users WHERE email = $10))" \
	" AND ($11::text IS NULL OR t.search @@ websearch_to_tsquery('simple', $11)" \
	"  OR EXISTS (SELECT 1 FROM ticket_comments c WHERE c.ticket_id = t.id" \
	"  AND c.kind <> 'system' AND c.search @@ websearch_to_tsquery('simple', $11)))" \
	" AND ($12::text IS NULL OR sla_colour(t) = $12)"
/* A ticket's text when it matches, else its best comment at half a description. */
#define REF_RANK \
	"CASE WHEN t.search @@ websearch_to_tsquery('simple', $11)" \
	" THEN ts_rank(t.search, websearch_to_tsquery('simple', $11))" \
	" ELSE (SELECT max(ts_rank('{0.2, 0.2, 0.4, 1.0}', c.search," \
	"  websearch_to_tsquery('simple', $11))) FROM ticket_comments c" \
	"  WHERE c.ticket_id = t.id AND c.kind <> 'system'" \
	"  AND c.search @@ websearch_to_tsquery('simple', $11)) END::float8"
static struct db_stmt st_ref[] = {
	DB_STMT("t_tl_ref_update", REF_WHERE " ORDER BY t.updated_at DESC, t.id DESC", 12),
	DB_STMT("t_tl_ref_priority", REF_WHERE " ORDER BY array_position("
	    "ARRAY['low', 'medium', 'high', 'urgent', 'critical'], t.priority) DESC,"
	    " t.updated_at DESC, t.id DESC", 12),
	DB_STMT("t_tl_ref_age", REF_WHERE " ORDER BY t.created_at, t.id", 12),
	DB_STMT("t_tl_ref_sla", REF_WHERE " ORDER BY sla_due(t) NULLS LAST, t.id", 12),
	DB_STMT("t_tl_ref_search", REF_WHERE " ORDER BY " REF_RANK " DESC, t.id DESC", 12),
};
#define REF_SEARCH TL_SORT__MAX

/* The fixture has tickets in every SLA colour, and the stored due time is sla_due(). */
static struct db_stmt st_sla_fixture = DB_STMT("t_tl_sla_fixture",
    "SELECT count(*) FILTER (WHERE sla_colour(t) = 'red'),"
    " count(*) FILTER (WHERE sla_colour(t) = 'amber'),"
    " count(*) FILTER (WHERE sla_colour(t) = 'green'),"
    " count(*) FILTER (WHERE sla_colour(t) = 'paused'),"
    " count(*) FILTER (WHERE sla_due_at IS DISTINCT FROM sla_due(t)),"
    " count(*) FILTER (WHERE sla_colour(t) = 'red' AND sla_due(t) > now()),"
    " count(*) FILTER (WHERE sla_colour_at(sla_red_at, sla_amber_at) <> sla_colour(t)"
    "  OR (sla_seconds_left(sla_due_at, sla_paused_at IS NOT NULL) IS NULL)"
    "  <> (sla_due(t) IS NULL OR sla_paused_at IS NOT NULL))"
    " FROM tickets t", 0);

static struct db_stmt st_pick = DB_STMT("t_tl_pick",
    "SELECT (SELECT queue_id FROM tickets WHERE queue_id IS NOT NULL GROUP BY 1"
    "  ORDER BY count(*), 1 LIMIT 1),"
    " (SELECT team_id FROM tickets WHERE team_id IS NOT NULL ORDER BY team_id LIMIT 1),"
    " (SELECT assignee_id FROM tickets WHERE assignee_id IS NOT NULL GROUP BY 1"
    "  ORDER BY count(*) DESC, 1 LIMIT 1),"
    " (SELECT u.email FROM portal_users u JOIN tickets t ON t.customer_id = u.customer_id"
    "  GROUP BY 1 HAVING count(*) > 1 ORDER BY 1 LIMIT 1),"
    " (SELECT to_char(min(created_at) + (max(created_at) - min(created_at)) / 3, 'YYYY-MM-DD')"
    "  FROM tickets),"
    " (SELECT to_char(min(created_at) + (max(created_at) - min(created_at)) * 2 / 3,"
    "  'YYYY-MM-DD') FROM tickets),"
    " (SELECT count(*) FROM tickets t WHERE t.assignee_id IS NULL AND t.status <> 'new')", 0);

static long long queue, team, agent;
static char email[256], from[16], to[16];

struct view {
	const char *name;
	const char *status;		/* NULL: all; "open"; a status */
	int queue, team, agent, unassigned, dates, email;
	const char *priority, *channel, *q;
	const char *sla;		/* tl_filter.sla; the reference's colour follows */
};

static const struct view views[] = {
	{ "all", NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "open", "open", 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "new", "new", 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "closed", "closed", 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "queue", NULL, 1, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "open queue", "open", 1, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "team", NULL, 0, 1, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "open team", "open", 0, 1, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "agent", NULL, 0, 0, 1, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "open agent", "open", 0, 0, 1, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "unassigned", NULL, 0, 0, 0, 1, 0, 0, NULL, NULL, NULL, NULL },
	{ "open unassigned", "open", 0, 0, 0, 1, 0, 0, NULL, NULL, NULL, NULL },
	{ "critical", NULL, 0, 0, 0, 0, 0, 0, "critical", NULL, NULL, NULL },
	{ "open medium", "open", 0, 0, 0, 0, 0, 0, "medium", NULL, NULL, NULL },
	{ "email channel", NULL, 0, 0, 0, 0, 0, 0, NULL, "email", NULL, NULL },
	{ "open phone", "open", 0, 0, 0, 0, 0, 0, NULL, "phone", NULL, NULL },
	{ "queue high", NULL, 1, 0, 0, 0, 0, 0, "high", NULL, NULL, NULL },
	{ "team agent", NULL, 0, 1, 1, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "created range", NULL, 0, 0, 0, 0, 1, 0, NULL, NULL, NULL, NULL },
	{ "customer e-mail", NULL, 0, 0, 0, 0, 0, 1, NULL, NULL, NULL, NULL },
	{ "no such channel match", "new", 0, 0, 0, 0, 0, 0, "critical", "walk-in", NULL, NULL },
	{ "breached", NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, "breached" },
	{ "open at risk", "open", 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, "at_risk" },
	{ "on track", NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, "on_track" },
	{ "paused", NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, "paused" },
	{ "new breached", "new", 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, "breached" },
	{ "queue on track", NULL, 1, 0, 0, 0, 0, 0, NULL, NULL, NULL, "on_track" },
	{ "agent breached", NULL, 0, 0, 1, 0, 0, 0, NULL, NULL, NULL, "breached" },
	{ "unassigned at risk", NULL, 0, 0, 0, 1, 0, 0, NULL, NULL, NULL, "at_risk" },
	{ "high breached", NULL, 0, 0, 0, 0, 0, 0, "high", NULL, NULL, "breached" },
};

static const struct view searches[] = {
	{ "words", NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, "printer", NULL },
	{ "two words", NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, "not working", NULL },
	{ "open words", "open", 0, 0, 0, 0, 0, 0, NULL, NULL, "router", NULL },
	{ "words in queue", NULL, 1, 0, 0, 0, 0, 0, NULL, NULL, "refund", NULL },
	{ "a word in comments", NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, "zephyrwidget", NULL },
	{ "comment word and breached", NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, "zephyrwidget",
	  "breached" },
};

/* The colour sla_colour() gives for a state of tl_filter.sla. */
static const char *
sla_colour_of(const char *state)
{
	if (state == NULL)
		return NULL;
	if (strcmp(state, "breached") == 0)
		return "red";
	if (strcmp(state, "at_risk") == 0)
		return "amber";
	if (strcmp(state, "on_track") == 0)
		return "green";
	return state;
}

static const char *
open_array(void)
{
	return "{new,assigned,in_progress,pending_customer,pending_parts,reopened}";
}

/* The reference ids of view v in sort s (REF_SEARCH: search), into ids; the count. */
static size_t
reference(struct db *d, const struct view *v, int s, long long *ids, size_t max)
{
	char qb[24], tb[24], ab[24], sb[64];
	const char *p[12] = { NULL };
	PGresult *r;
	size_t n, i;

	if (v->status != NULL) {
		if (strcmp(v->status, "open") == 0)
			p[0] = open_array();
		else {
			snprintf(sb, sizeof(sb), "{%s}", v->status);
			p[0] = sb;
		}
	}
	snprintf(qb, sizeof(qb), "%lld", queue);
	snprintf(tb, sizeof(tb), "%lld", team);
	snprintf(ab, sizeof(ab), "%lld", agent);
	p[1] = v->queue ? qb : NULL;
	p[2] = v->team ? tb : NULL;
	p[3] = v->agent ? ab : NULL;
	p[4] = v->unassigned ? "t" : "f";
	p[5] = v->priority;
	p[6] = v->channel;
	p[7] = v->dates ? from : NULL;
	p[8] = v->dates ? to : NULL;
	p[9] = v->email ? email : NULL;
	p[10] = v->q;
	p[11] = sla_colour_of(v->sla);
	r = db_exec(d, &st_ref[s], p);
	ck_assert_ptr_nonnull(r);
	n = (size_t)PQntuples(r);
	ck_assert_uint_le(n, max);
	for (i = 0; i < n; i++)
		ids[i] = db_ll(r, (int)i, 0);
	PQclear(r);
	return n;
}

/* Walks every page of view v in sort s; the ids in ids, the count. */
static size_t
walk(struct db *d, const struct view *v, enum tl_sort s, long long *ids, size_t max,
    size_t *pages)
{
	struct arena *a = arena_new(1 << 16);
	struct tl_filter f;
	size_t n = 0;

	memset(&f, 0, sizeof(f));
	f.status = v->status;
	f.queue_id = v->queue ? queue : 0;
	f.team_id = v->team ? team : 0;
	f.assignee_id = v->agent ? agent : 0;
	f.unassigned = v->unassigned;
	f.priority = v->priority;
	f.channel = v->channel;
	f.created_from = v->dates ? from : NULL;
	f.created_to = v->dates ? to : NULL;
	f.q = v->email ? email : v->q;
	f.sla = v->sla;
	f.sort = s;
	*pages = 0;
	for (;;) {
		struct tl_page page;
		const char *why;
		size_t k;

		ck_assert_int_eq(ticket_list_page(d, a, &f, TL_PAGE, &page, &why), CS_OK);
		ck_assert_uint_le(page.n, TL_PAGE);
		(*pages)++;
		for (k = 0; k < page.n; k++) {
			ck_assert_uint_lt(n, max);
			ids[n++] = page.rows[k].id;
		}
		if (page.next_after == NULL)
			break;
		ck_assert_uint_eq(page.n, TL_PAGE);
		f.after = page.next_after;
		f.after_id = page.next_id;
		ck_assert_uint_lt(*pages, 100);
	}
	arena_free(a);
	return n;
}

static void
same(const char *what, const long long *want, size_t nwant, const long long *got, size_t ngot)
{
	size_t i;

	for (i = 0; i < nwant && i < ngot; i++)
		if (want[i] != got[i])
			ck_abort_msg("%s: row %zu is ticket %lld, the reference has %lld", what, i,
			    got[i], want[i]);
	ck_assert_msg(nwant == ngot, "%s: %zu rows, the reference has %zu", what, ngot, nwant);
}

#define MAXROWS 2000

static void
suite_setup(void)
{
	struct db d;
	PGresult *r;

	conninfo = th_db_create("ticket_lists");
	as_console = th_db_as(conninfo, "csdesk_console");
	ck_assert_int_eq(th_sh("CSDESK_DB='%s' CSDESK_DATADIR='%s' '%s/csdesk' demo > /dev/null",
	    conninfo, th_datadir(), th_build_dir()), 0);
	ck_assert_int_eq(th_sh("CSDESK_DB='%s' '%s/csdesk' gen --tickets 600 > /dev/null 2>&1",
	    conninfo, th_build_dir()), 0);
	ck_assert_int_eq(db_open(&d, conninfo, "check_ticket_lists_setup"), 0);
	ck_assert_int_eq(db_script(&d, fixup, "fixup"), 0);
	r = db_exec(&d, &st_pick, NULL);
	ck_assert_ptr_nonnull(r);
	queue = db_ll(r, 0, 0);
	team = db_ll(r, 0, 1);
	agent = db_ll(r, 0, 2);
	snprintf(email, sizeof(email), "%s", PQgetvalue(r, 0, 3));
	snprintf(from, sizeof(from), "%s", PQgetvalue(r, 0, 4));
	snprintf(to, sizeof(to), "%s", PQgetvalue(r, 0, 5));
	/* The fixture must give the unassigned indexes something to do. */
	ck_assert_int_gt(db_ll(r, 0, 6), 0);
	PQclear(r);
	r = db_exec(&d, &st_sla_fixture, NULL);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_gt(db_ll(r, 0, 0), 0);
	ck_assert_int_gt(db_ll(r, 0, 1), 0);
	ck_assert_int_gt(db_ll(r, 0, 2), 0);
	ck_assert_int_gt(db_ll(r, 0, 3), 0);
	ck_assert_int_eq(db_ll(r, 0, 4), 0);
	/* Red by a breached stage though the due time is ahead: the filter
	 * must not go by the time alone. */
	ck_assert_int_gt(db_ll(r, 0, 5), 0);
	/* The badge the lists show (013) is the reference's, row by row. */
	ck_assert_int_eq(db_ll(r, 0, 6), 0);
	PQclear(r);
	db_close(&d);
	ck_assert_int_gt(queue, 0);
	ck_assert_int_gt(team, 0);
	ck_assert_int_gt(agent, 0);
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(as_console);
	free(conninfo);
}

START_TEST(every_view_matches_the_reference)
{
	static long long want[MAXROWS], got[MAXROWS];
	struct db d;
	size_t i, nwant, ngot, pages, multi = 0;
	int s;

	ck_assert_int_eq(db_open(&d, as_console, "check_ticket_lists"), 0);
	for (s = 0; s < TL_SORT__MAX; s++) {
		for (i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
			char what[128];

			snprintf(what, sizeof(what), "%s, sort %s", views[i].name,
			    tl_sort_name((enum tl_sort)s));
			nwant = reference(&d, &views[i], s, want, MAXROWS);
			ngot = walk(&d, &views[i], (enum tl_sort)s, got, MAXROWS, &pages);
			same(what, want, nwant, got, ngot);
			multi += pages > 1;
		}
	}
	/* Most views span pages: the cursors were followed, not just page one. */
	ck_assert_uint_gt(multi, 30);
	db_close(&d);
}
END_TEST

START_TEST(search_matches_the_reference)
{
	static long long want[MAXROWS], got[MAXROWS];
	struct db d;
	size_t i, nwant, ngot, pages;

	ck_assert_int_eq(db_open(&d, as_console, "check_ticket_lists"), 0);
	for (i = 0; i < sizeof(searches) / sizeof(searches[0]); i++) {
		nwant = reference(&d, &searches[i], REF_SEARCH, want, MAXROWS);
		ngot = walk(&d, &searches[i], TL_SORT_UPDATE, got, MAXROWS, &pages);
		same(searches[i].name, want, nwant, got, ngot);
		ck_assert_uint_gt(nwant, 0);
	}
	db_close(&d);
}
END_TEST

/*
 * The queue page's read: the first page of every view and sort, as the
 * reference orders it, and the agent's saved views beside it, both in
 * one round trip once the statements are prepared.
 */
START_TEST(queue_page_is_the_list_and_the_saved_views_at_once)
{
	static long long want[MAXROWS];
	struct arena *a = arena_new(1 << 16);
	struct db d;
	long long view_id;
	const char *why, *field;
	size_t i, k, nwant;
	int s, found;

	ck_assert_int_eq(db_open(&d, as_console, "check_ticket_lists_queue"), 0);
	ck_assert_int_eq(saved_view_create(&d, agent, "My urgent work", "status=open&sort=priority",
	    0, &view_id, &why, &field), CS_OK);
	for (s = 0; s < TL_SORT__MAX; s++) {
		for (i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
			struct ticket_queue q;
			struct tl_filter f;
			unsigned long trips;

			memset(&f, 0, sizeof(f));
			f.status = views[i].status;
			f.queue_id = views[i].queue ? queue : 0;
			f.team_id = views[i].team ? team : 0;
			f.assignee_id = views[i].agent ? agent : 0;
			f.unassigned = views[i].unassigned;
			f.priority = views[i].priority;
			f.channel = views[i].channel;
			f.created_from = views[i].dates ? from : NULL;
			f.created_to = views[i].dates ? to : NULL;
			f.q = views[i].email ? email : views[i].q;
			f.sla = views[i].sla;
			f.sort = (enum tl_sort)s;
			ck_assert_int_eq(ticket_queue_read(&d, a, &f, agent, &q, &why), CS_OK);
			trips = d.round_trips;
			ck_assert_int_eq(ticket_queue_read(&d, a, &f, agent, &q, &why), CS_OK);
			/* An e-mail looks its accounts up first: a trip of its own. */
			ck_assert_uint_eq(d.round_trips - trips, views[i].email ? 2 : 1);
			nwant = reference(&d, &views[i], s, want, MAXROWS);
			ck_assert_uint_eq(q.page.n, nwant < TL_PAGE ? nwant : TL_PAGE);
			for (k = 0; k < q.page.n; k++)
				ck_assert_msg(q.page.rows[k].id == want[k], "%s, sort %s: row %zu",
				    views[i].name, tl_sort_name((enum tl_sort)s), k);
			ck_assert_int_eq(q.page.next_after != NULL, nwant > TL_PAGE);
			for (k = 0, found = 0; k < q.nviews; k++)
				found |= q.views[k].id == view_id &&
				    strcmp(q.views[k].name, "My urgent work") == 0;
			ck_assert_msg(found, "the saved view is not beside the list");
		}
	}
	ck_assert_int_eq(saved_view_delete(&d, agent, view_id), CS_OK);
	db_close(&d);
	arena_free(a);
}
END_TEST

/* A renamed queue shows under its new name on the next list of choices. */
START_TEST(kept_choices_follow_changes)
{
	static struct db_stmt st_rename = DB_STMT("t_tl_rename",
	    "UPDATE queues SET name = $1 WHERE id = $2::bigint", 2);
	struct db d, admin;
	struct arena *a = arena_new(1 << 14);
	struct ticket_choices c;
	char qb[24];
	const char *p[] = { "Renamed queue", qb };
	size_t i;
	int found = 0;

	snprintf(qb, sizeof(qb), "%lld", queue);
	ck_assert_int_eq(db_open(&d, as_console, "check_ticket_lists"), 0);
	ck_assert_int_eq(db_open(&admin, as_console, "check_ticket_lists_admin"), 0);
	ck_assert_int_eq(ticket_choices_get(&d, a, &c), CS_OK);
	ck_assert_uint_gt(c.nqueues, 0);
	ck_assert_uint_gt(c.nagents, 0);
	for (i = 0; i < c.nqueues; i++)
		ck_assert_str_ne(c.queues[i].name, "Renamed queue");
	ck_assert_int_eq(db_run(&admin, &st_rename, p), 0);
	/* The notification travels through the server: wait for it, briefly. */
	for (int tries = 0; tries < 50 && !found; tries++) {
		ck_assert_int_eq(ticket_choices_get(&d, a, &c), CS_OK);
		for (i = 0; i < c.nqueues; i++)
			found |= strcmp(c.queues[i].name, "Renamed queue") == 0;
		if (!found)
			th_sh("sleep 0.02");
	}
	ck_assert_msg(found, "the kept queues still show the old name");
	db_close(&admin);
	db_close(&d);
	arena_free(a);
}
END_TEST

Suite *ticket_lists_suite(void);

Suite *
ticket_lists_suite(void)
{
	Suite *s = suite_create("ticket_lists");
	TCase *tc = tcase_create("ticket_lists");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_view_matches_the_reference);
	tcase_add_test(tc, search_matches_the_reference);
	tcase_add_test(tc, kept_choices_follow_changes);
	tcase_add_test(tc, queue_page_is_the_list_and_the_saved_views_at_once);
	suite_add_tcase(s, tc);
	return s;
}
