/*
 * The SLA state stored on a ticket (tickets.sla_state, 048) and the
 * console's "at risk" and "breached" views that read it: `csdesk batch`
 * moves a ticket to at risk and to breached at the moments its clock
 * passes them; a reply or a pause takes it out again; and at every step
 * the two views, in every sort, list exactly the tickets whose badge is
 * amber or red at that instant, also before the batch has come by.
 */
#include "../lib/harness.h"
#include "../lib/fixtures.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/ticket_list.h"
#include "domain/tickets.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo;
static struct db owner;
static struct arena *arena;
static char dir[64];

static const char fixture[] =
    "INSERT INTO customers (name, tier) VALUES ('Plain Ltd', 'standard');";

/* Test SQL as the owner: column 0 of row 0, malloc'd (tests/lib/sql.h). */
#define q(...) th_valuef(&owner, __VA_ARGS__)

#define EXPECT(want, ...) TH_EXPECT_VALUE(&owner, want, __VA_ARGS__)

static void
suite_setup(void)
{
	conninfo = th_db_create_fixture("sla_state", fixture);
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(conninfo);
}

static void
setup(void)
{
	ck_assert_int_eq(db_open(&owner, conninfo, "check_sla_state"), 0);
	free(q("DELETE FROM tickets; SET TimeZone = 'UTC'"));
	arena = arena_new(1 << 16);
	snprintf(dir, sizeof(dir), "/tmp/csdesk-sla-state.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	if (getenv("CSDESK_KEEP_LOGS") == NULL)
		th_sh("rm -rf '%s'", dir);
	arena_free(arena);
	db_close(&owner);
}

/* An urgent ticket (the seeded policy: 24x7, first response in 30 minutes). */
static long long
create(void)
{
	return fx_phone_ticket(&owner, arena, "Plain Ltd", "urgent");
}

/* Pretends the ticket's clock started minutes ago (due times follow). */
static void
started_ago(long long id, int minutes)
{
	free(q("UPDATE tickets SET sla_started_at = now() - interval '%d minutes' WHERE id = %lld;"
	    " SELECT sla_ticket_recompute(%lld, 'test')", minutes, id, id));
}

/* `csdesk batch`, mail to files. */
static void
batch(void)
{
	ck_assert_int_eq(th_sh("env -u CSDESK_SMTP_URL CSDESK_DB='%s' CSDESK_MAIL_DIR='%s/out'"
	    " '%s/csdesk' batch >> '%s/batch.txt' 2>&1", conninfo, dir, th_build_dir(), dir), 0);
}

static const char *
state(long long id)
{
	char *s = q("SELECT sla_state FROM tickets WHERE id = %lld", id);
	const char *r = arena_strdup(arena, s);

	free(s);
	return r;
}

/*
 * Asserts that walking f backwards from its page's last row ("Previous
 * ticket", the backward twin of the view's shape) gives the page's other
 * rows, nearest first.
 */
static void
back_is(struct tl_filter f, const struct tl_page *page)
{
	struct tl_page back;
	const char *why;
	size_t i;

	if (page->n == 0)
		return;
	f.after = page->rows[page->n - 1].cursor;
	f.after_id = page->rows[page->n - 1].id;
	f.backward = 1;
	ck_assert_int_eq(ticket_list_page(&owner, arena, &f, TL_PAGE, &back, &why), CS_OK);
	ck_assert_msg(back.n == page->n - 1, "%s, sort %d: %zu rows before the last, want %zu",
	    f.sla, (int)f.sort, back.n, page->n - 1);
	for (i = 0; i < back.n; i++)
		ck_assert_int_eq(back.rows[i].id, page->rows[page->n - 2 - i].id);
	ck_assert_ptr_null(back.next_after);
}

/*
 * Asserts that the console's view of SLA state sla lists, in every sort
 * and with every open status, exactly the tickets sla_colour() paints
 * colour now, in the order of the reference; want: how many. Walked
 * backwards from its last row, it gives the same tickets the other way.
 */
static void
view_is(const char *sla, const char *colour, int want)
{
	static const char *const order[TL_SORT__MAX] = {
		[TL_SORT_UPDATE] = "t.updated_at DESC, t.id DESC",
		[TL_SORT_PRIORITY] = "ticket_priority_rank(t.priority) DESC, t.updated_at DESC,"
		    " t.id DESC",
		[TL_SORT_AGE] = "t.created_at, t.id",
		[TL_SORT_SLA] = "sla_due(t) NULLS LAST, t.id",
	};
	int s;

	for (s = 0; s < TL_SORT__MAX; s++) {
		struct tl_filter f;
		struct tl_page page;
		const char *why;
		char *ref, got[512] = "";
		size_t i;

		memset(&f, 0, sizeof(f));
		f.status = "open";
		f.sla = sla;
		f.sort = (enum tl_sort)s;
		ck_assert_int_eq(ticket_list_page(&owner, arena, &f, TL_PAGE, &page, &why), CS_OK);
		for (i = 0; i < page.n; i++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%lld",
			    i ? "," : "", page.rows[i].id);
		ref = q("SELECT coalesce(string_agg(t.id::text, ',' ORDER BY %s), '') FROM tickets t"
		    " WHERE ticket_is_open(t.status) AND sla_colour(t) = '%s'", order[s], colour);
		ck_assert_msg(strcmp(got, ref) == 0, "%s, sort %d: listed %s, the badges say %s",
		    sla, s, got, ref);
		ck_assert_uint_eq(page.n, (size_t)want);
		for (i = 0; i < page.n; i++)
			ck_assert_str_eq(page.rows[i].sla, colour);
		back_is(f, &page);
		free(ref);
	}
}

START_TEST(batch_moves_ticket_to_at_risk_then_breached)
{
	long long id = create(), calm = create();

	ck_assert_str_eq(state(id), "ok");
	view_is("at_risk", "amber", 0);
	/* 25 of 30 minutes used: amber at once, listed before the batch marks it. */
	started_ago(id, 25);
	ck_assert_str_eq(state(id), "ok");
	view_is("at_risk", "amber", 1);
	batch();
	ck_assert_str_eq(state(id), "at_risk");
	EXPECT("at_risk", "SELECT first_response_stage FROM tickets WHERE id = %lld", id);
	view_is("at_risk", "amber", 1);
	view_is("breached", "red", 0);
	/* 31 minutes: red by the clock, then stored as breached by the batch. */
	started_ago(id, 31);
	view_is("at_risk", "amber", 0);
	view_is("breached", "red", 1);
	batch();
	ck_assert_str_eq(state(id), "breached");
	view_is("breached", "red", 1);
	view_is("at_risk", "amber", 0);
	ck_assert_str_eq(state(calm), "ok");
}
END_TEST

START_TEST(answer_takes_ticket_out_of_at_risk)
{
	long long id = create(), other = create();

	started_ago(id, 25);
	started_ago(other, 26);
	batch();
	ck_assert_str_eq(state(id), "at_risk");
	view_is("at_risk", "amber", 2);
	/* The first public reply decides the first response: met, no longer at risk. */
	free(q("UPDATE tickets SET first_response_at = now() WHERE id = %lld", id));
	EXPECT("t", "SELECT first_response_met FROM tickets WHERE id = %lld", id);
	ck_assert_str_eq(state(id), "ok");
	view_is("at_risk", "amber", 1);
	EXPECT("green", "SELECT sla_colour(t) FROM tickets t WHERE id = %lld", id);
}
END_TEST

START_TEST(pause_takes_ticket_out_breach_stays)
{
	long long risky = create(), late = create();

	started_ago(risky, 25);
	started_ago(late, 31);
	batch();
	ck_assert_str_eq(state(risky), "at_risk");
	ck_assert_str_eq(state(late), "breached");
	/* Waiting for the customer: the clock stands, the ticket is not at risk. */
	free(q("UPDATE tickets SET status = 'pending_customer' WHERE id IN (%lld, %lld)",
	    risky, late));
	ck_assert_str_eq(state(risky), "paused");
	view_is("at_risk", "amber", 0);
	view_is("paused", "paused", 1);
	/* A breach once recorded stays, paused or not. */
	ck_assert_str_eq(state(late), "breached");
	view_is("breached", "red", 1);
	/* Resolved: no SLA runs any more. */
	free(q("UPDATE tickets SET status = 'resolved' WHERE id = %lld", late));
	ck_assert_str_eq(state(late), "none");
	view_is("breached", "red", 0);
}
END_TEST

Suite *sla_state_suite(void);

Suite *
sla_state_suite(void)
{
	Suite *s = suite_create("sla_state");
	TCase *tc = tcase_create("sla_state");

	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, batch_moves_ticket_to_at_risk_then_breached);
	tcase_add_test(tc, answer_takes_ticket_out_of_at_risk);
	tcase_add_test(tc, pause_takes_ticket_out_breach_stays);
	suite_add_tcase(s, tc);
	return s;
}
