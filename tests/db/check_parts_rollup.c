/*
 * The field and parts reports from their daily rollup against a real
 * PostgreSQL: over the demo's visits and parts, copied into the ten days
 * before, the technicians report and parts by technician, by customer and
 * by ticket read from the rollup are what the same reports computed from the raw
 * rows say (the reports' queries before the rollup, kept here as the
 * reference); the rollup is what they read; a part returned, a visit
 * cancelled and a charge changed after their day was rolled up mark the
 * day, the reports stay right meanwhile and after the next run; a replay
 * rolls a range up again.
 */
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/parts_reports.h"
#include "domain/parts_rollup.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo;
static struct db owner;
static struct arena *arena;
#define val(...) th_arena_valuef(&owner, arena, __VA_ARGS__)

/* The reports as they were computed from the raw rows, columns c1… */
#define USAGE_RAW(key, join, group) \
	"SELECT " key " AS c1, count(*)::text AS c2, sum(u.qty)::text AS c3," \
	" sum(u.qty * u.unit_cost)::text AS c4, coalesce(sum(u.qty * u.unit_price) FILTER" \
	" (WHERE u.covered_by = '' AND u.kind <> 'loaner'), 0)::text AS c5," \
	" coalesce(sum(u.qty * u.unit_price) FILTER (WHERE u.covered_by <> ''" \
	" AND u.kind <> 'loaner'), 0)::text AS c6 FROM part_usages u " join \
	" WHERE u.created_at >= current_date - 30 AND u.created_at < current_date + 1" \
	" AND u.returned_at IS NULL GROUP BY " group
#define USAGE_ROWS "concat_ws('|', c1, c2, c3, c4, c5, c6)"
#define USAGE_ORDER "c4::numeric DESC, c1"

static const char technicians_raw[] =
	"SELECT s.name AS c1, count(*)::text AS c2,"
	" count(*) FILTER (WHERE ap.status = 'completed')::text AS c3,"
	" coalesce(round(100.0 * count(*) FILTER (WHERE ap.status = 'completed' AND NOT EXISTS"
	" (SELECT 1 FROM part_requests r WHERE r.appointment_id = ap.id) AND NOT EXISTS"
	" (SELECT 1 FROM appointments n WHERE n.ticket_id = ap.ticket_id AND n.id <> ap.id"
	" AND n.starts_at > ap.starts_at AND n.status <> 'cancelled'))"
	" / nullif(count(*) FILTER (WHERE ap.status = 'completed'), 0), 1)::text, '') AS c4,"
	" coalesce(round(100.0 * count(*) FILTER (WHERE ap.checkin_at <= ap.starts_at"
	" + interval '15 minutes') / nullif(count(ap.checkin_at), 0), 1)::text, '') AS c5,"
	" coalesce(round(avg(extract(epoch FROM ap.checkout_at - ap.checkin_at) / 60))::text,"
	" '') AS c6, coalesce(round(avg(ap.travel_min))::text, '') AS c7,"
	" coalesce(sum(c.parts_cost), 0)::text AS c8,"
	" coalesce(sum(c.labour + c.travel + c.parts - c.covered), 0)::text AS c9,"
	" coalesce(sum(c.covered), 0)::text AS c10"
	" FROM appointments ap JOIN staff s ON s.id = ap.technician_id"
	" LEFT JOIN job_charges c ON c.appointment_id = ap.id"
	" WHERE ap.starts_at >= current_date - 30 AND ap.starts_at < current_date + 1"
	" AND ap.status <> 'cancelled' GROUP BY s.id, s.name";

static const struct {
	enum parts_report k;
	const char *raw, *row, *order;
} cases[] = {
	{ PARTS_REPORT_TECHNICIANS, technicians_raw,
	    "concat_ws('|', c1, c2, c3, c4, c5, c6, c7, c8, c9, c10)", "c1" },
	{ PARTS_REPORT_BY_TECHNICIAN, USAGE_RAW("coalesce(s.name, '')",
	    "LEFT JOIN staff s ON s.id = u.technician_id", "s.id, s.name"), USAGE_ROWS,
	    USAGE_ORDER },
	{ PARTS_REPORT_BY_CUSTOMER, USAGE_RAW("c.name",
	    "JOIN customers c ON c.id = u.customer_id", "c.id, c.name"), USAGE_ROWS,
	    USAGE_ORDER },
	{ PARTS_REPORT_BY_TICKET, USAGE_RAW("t.number",
	    "JOIN tickets t ON t.id = u.ticket_id", "t.id, t.number"), USAGE_ROWS,
	    USAGE_ORDER },
};

static void
suite_setup(void)
{
	conninfo = th_db_create("parts_rollup");
	ck_assert_int_eq(th_sh("CSDESK_DB='%s' CSDESK_DATADIR='%s' '%s/csdesk' demo > /dev/null",
	    conninfo, th_datadir(), th_build_dir()), 0);
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(conninfo);
}

/*
 * The demo's visits (today and tomorrow) and parts copied into each of the
 * ten days before the day before yesterday, so there are days to roll up:
 * charges on the completed ones, a part without a technician now and then,
 * quantities that differ from day to day.
 */
static void
setup(void)
{
	ck_assert_int_eq(db_open(&owner, conninfo, "check_parts_rollup"), 0);
	arena = arena_new(1 << 16);
	if (strcmp(val("SELECT count(*) FROM appointments WHERE starts_at < current_date"), "0"))
		return;
	val("WITH c AS (INSERT INTO appointments (ticket_id, customer_id, technician_id, skill,"
	    " postcode, address, summary, starts_at, ends_at, busy, status, checkin_at,"
	    " checkout_at, labour_min, travel_min, completed_at)"
	    " SELECT ticket_id, customer_id, technician_id, skill, postcode, address, summary,"
	    " starts_at - g * interval '1 day', ends_at - g * interval '1 day',"
	    " tstzrange(lower(busy) - g * interval '1 day', upper(busy) - g * interval '1 day'),"
	    " CASE WHEN status = 'booked' AND g %% 3 = 0 THEN 'completed' ELSE status END,"
	    " coalesce(checkin_at, starts_at + g * interval '2 minutes') - g * interval '1 day',"
	    " coalesce(checkout_at, ends_at) - g * interval '1 day', labour_min,"
	    " coalesce(travel_min, g * 3), coalesce(completed_at, ends_at) - g * interval '1 day'"
	    " FROM appointments, generate_series(3, 12) g WHERE starts_at >= current_date"
	    " ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*) FROM c");
	val("WITH c AS (INSERT INTO job_charges (appointment_id, labour, travel, parts,"
	    " parts_cost, covered, covered_warranty, covered_contract)"
	    " SELECT id, 40 + id %% 7, 12.50, 25.25 + id %% 3, 11.10, id %% 2 * 5, id %% 2 * 5, 0"
	    " FROM appointments a WHERE status = 'completed' AND NOT EXISTS"
	    " (SELECT 1 FROM job_charges j WHERE j.appointment_id = a.id) RETURNING 1)"
	    " SELECT count(*) FROM c");
	val("WITH c AS (INSERT INTO part_usages (ticket_id, appointment_id, customer_id,"
	    " technician_id, part_id, location_id, kind, qty, unit_cost, unit_price, covered_by,"
	    " due_on, token, created_at)"
	    " SELECT ticket_id, appointment_id, customer_id,"
	    " CASE WHEN g %% 4 = 0 THEN NULL ELSE technician_id END, part_id, location_id, kind,"
	    " qty + g %% 3, unit_cost, unit_price, covered_by, due_on, token || '-' || g,"
	    " created_at - g * interval '1 day' FROM part_usages, generate_series(3, 12) g"
	    " WHERE created_at >= current_date RETURNING 1) SELECT count(*) FROM c");
}

static void
teardown(void)
{
	db_close(&owner);
	arena_free(arena);
}

/* Report k of the last 30 days, one line a row, columns joined by '|'. */
static const char *
report(enum parts_report k)
{
	struct parts_table t;
	const char *why = NULL, *from = val("SELECT current_date - 30"),
	    *to = val("SELECT current_date");
	struct buf b;
	size_t i, j;

	ck_assert_int_eq(parts_report(&owner, arena, k, from, to, &t, &why), CS_OK);
	buf_init(&b, arena);
	for (i = 0; i < t.n; i++) {
		for (j = 0; j < t.ncols; j++) {
			if (j > 0)
				buf_addch(&b, '|');
			buf_addstr(&b, t.rows[i][j]);
		}
		if (i + 1 < t.n)
			buf_addch(&b, '\n');
	}
	return b.buf;
}

/* The same from the raw rows. */
static const char *
raw(int i)
{
	return val("SELECT coalesce(string_agg(%s, E'\\n' ORDER BY %s), '') FROM (%s) q",
	    cases[i].row, cases[i].order, cases[i].raw);
}

/* Every report is what the raw rows say, and says something. */
static void
assert_reports_match(const char *when)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = report(cases[i].k), *want = raw((int)i);

		ck_assert_msg(strcmp(got, want) == 0, "%s, %s:\nrollup:\n%s\nraw rows:\n%s", when,
		    parts_report_title(cases[i].k), got, want);
		ck_assert_msg(strchr(want, '\n') != NULL || strchr(want, '|') != NULL,
		    "%s: nothing to compare", parts_report_title(cases[i].k));
	}
}

static void
roll_up(void)
{
	long days = 0, rows = 0;

	ck_assert_int_eq(parts_rollup_run(&owner, 1000, &days, &rows), CS_OK);
	ck_assert_str_eq(val("SELECT count(*) FROM field_rollup_days WHERE dirty"), "0");
}

START_TEST(the_reports_from_the_rollup_are_the_reports_from_the_rows)
{
	long days = 0, rows = 0;

	/* Nothing rolled up (what an earlier test rolled up is forgotten). */
	val("WITH d AS (DELETE FROM field_rollup_days RETURNING 1) SELECT count(*) FROM d");
	assert_reports_match("before any rollup");
	ck_assert_int_eq(parts_rollup_run(&owner, 1000, &days, &rows), CS_OK);
	/* At least the ten days copied (the first fact's day to yesterday). */
	ck_assert_int_ge(days, 10);
	ck_assert_int_gt(rows, 0);
	ck_assert_str_eq(val("SELECT count(*) FROM field_rollup_days WHERE dirty"
	    " OR day > field_rollup_last()"), "0");
	assert_reports_match("rolled up");
	/* Nothing more to do: the same run again rolls up nothing. */
	ck_assert_int_eq(parts_rollup_run(&owner, 1000, &days, &rows), CS_OK);
	ck_assert_int_eq(days, 0);
}
END_TEST

/* The reports read the rollup: a rolled-up day's row changed shows. */
START_TEST(the_reports_read_the_rollup_and_a_replay_rolls_up_again)
{
	const char *why = NULL, *day;
	long days = 0;

	roll_up();
	day = val("SELECT min(day) FROM parts_usage_daily WHERE dimension = 'customer'");
	val("UPDATE parts_usage_daily SET qty = qty + 1000 WHERE dimension = 'customer'"
	    " AND day = '%s' RETURNING 1", day);
	ck_assert_str_ne(report(PARTS_REPORT_BY_CUSTOMER), raw(2));
	val("UPDATE parts_usage_daily SET qty = qty + 1000 WHERE dimension = 'ticket'"
	    " AND day = '%s' RETURNING 1", day);
	ck_assert_str_ne(report(PARTS_REPORT_BY_TICKET), raw(3));
	ck_assert_int_eq(parts_rollup_replay(&owner, day, day, &days, &why), CS_OK);
	ck_assert_int_eq(days, 1);
	assert_reports_match("replay asked for");
	roll_up();
	assert_reports_match("replayed");
	ck_assert_int_eq(parts_rollup_replay(&owner, day, "2000-01-01", &days, &why), CS_REFUSED);
	ck_assert_ptr_nonnull(why);
}
END_TEST

/*
 * Yesterday is rolled up too (after a quarter of an hour past midnight:
 * field_rollup_last()), so a part recorded late for it, after its rollup,
 * marks it like any earlier day's correction.
 */
START_TEST(the_last_day_rolled_up_is_marked_by_a_late_part)
{
	const char *last;

	roll_up();
	last = val("SELECT field_rollup_last()");
	ck_assert_str_eq(val("SELECT count(*) FROM field_rollup_days WHERE day = '%s'"
	    " AND NOT dirty", last), "1");
	val("INSERT INTO part_usages (ticket_id, appointment_id, customer_id, technician_id,"
	    " part_id, location_id, kind, qty, unit_cost, unit_price, covered_by, due_on, token,"
	    " created_at) SELECT ticket_id, appointment_id, customer_id, technician_id, part_id,"
	    " location_id, kind, qty + 4, unit_cost, unit_price, covered_by, due_on,"
	    " token || '-late', '%s'::date + time '18:00' FROM part_usages"
	    " WHERE created_at >= current_date AND kind <> 'loaner' ORDER BY id LIMIT 1"
	    " RETURNING 1", last);
	ck_assert_str_eq(val("SELECT dirty FROM field_rollup_days WHERE day = '%s'", last), "t");
	assert_reports_match("a part recorded late for the last day rolled up");
	roll_up();
	ck_assert_str_eq(val("SELECT dirty FROM field_rollup_days WHERE day = '%s'", last), "f");
	assert_reports_match("the last day rolled up again");
}
END_TEST

START_TEST(a_correction_after_the_day_was_rolled_up_counts)
{
	roll_up();
	/* A part returned, a visit cancelled, a charge changed, on rolled-up days. */
	val("UPDATE part_usages SET returned_at = now() WHERE id = (SELECT min(id)"
	    " FROM part_usages WHERE created_at < current_date - 4 AND returned_at IS NULL)"
	    " RETURNING id");
	val("UPDATE appointments SET status = 'cancelled' WHERE id = (SELECT max(id)"
	    " FROM appointments WHERE starts_at < current_date - 5 AND status = 'completed'"
	    " AND technician_id IS NOT NULL) RETURNING id");
	val("UPDATE job_charges SET labour = labour + 100 WHERE appointment_id = (SELECT min(a.id)"
	    " FROM appointments a JOIN job_charges j ON j.appointment_id = a.id"
	    " WHERE a.starts_at < current_date - 7 AND a.status = 'completed') RETURNING 1");
	ck_assert_int_ge(atoi(val("SELECT count(*) FROM field_rollup_days WHERE dirty")), 3);
	assert_reports_match("corrected, not rolled up yet");
	roll_up();
	assert_reports_match("corrected and rolled up");
	/* A visit booked for a ticket done before changes the earlier first-time fixes. */
	val("INSERT INTO appointments (ticket_id, customer_id, technician_id, starts_at, ends_at,"
	    " busy, status) SELECT ticket_id, customer_id, technician_id,"
	    " current_date - 3 + time '20:00', current_date - 3 + time '21:00',"
	    " tstzrange(current_date - 3 + time '20:00', current_date - 3 + time '21:00'),"
	    " 'booked' FROM appointments WHERE status = 'completed' AND technician_id IS NOT NULL"
	    " AND starts_at < current_date - 5 ORDER BY id LIMIT 1 RETURNING id");
	ck_assert_int_ge(atoi(val("SELECT count(*) FROM field_rollup_days WHERE dirty")), 2);
	assert_reports_match("a later visit booked");
	roll_up();
	assert_reports_match("a later visit booked, rolled up");
}
END_TEST

Suite *parts_rollup_suite(void);

Suite *
parts_rollup_suite(void)
{
	Suite *s = suite_create("parts_rollup");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, the_reports_from_the_rollup_are_the_reports_from_the_rows);
	tcase_add_test(tc, the_reports_read_the_rollup_and_a_replay_rolls_up_again);
	tcase_add_test(tc, the_last_day_rolled_up_is_marked_by_a_late_part);
	tcase_add_test(tc, a_correction_after_the_day_was_rolled_up_counts);
	suite_add_tcase(s, tc);
	return s;
}
