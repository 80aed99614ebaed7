/*
 * What a creation no longer pays for, with the outcome unchanged: an SLA
 * clock's four thresholds come from one walk of the calendar
 * (add_business_minutes_list, sql/functions/060_sla_calendar.sql), and
 * every element of a list lands where the same minutes alone land —
 * thresholds in one opening interval, in several, across a holiday and
 * the change to summer time, given in any order, NULL, zero or negative;
 * a ticket's due and warning times are the ones each target alone gives.
 */
#include "../lib/harness.h"
#include "db/db.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo;
static struct db owner;

/*
 * Berlin, open 09:00–12:00 and 13:00–17:00 on weekdays, closed on Monday
 * 30 March 2026 (a holiday, the day after the change to summer time);
 * London, open around the clock; the high-priority policy on Berlin's
 * calendar; a customer.
 */
static const char fixture[] =
    "INSERT INTO business_calendars (name, time_zone) VALUES ('Cost Berlin', 'Europe/Berlin');"
    "INSERT INTO business_calendars (name, time_zone, always_open)"
    " VALUES ('Cost London', 'Europe/London', true);"
    "INSERT INTO calendar_hours (calendar_id, weekday, opens, closes)"
    " SELECT c.id, d, v.o::time, v.cl::time FROM business_calendars c, generate_series(1, 5) d,"
    " (VALUES ('09:00', '12:00'), ('13:00', '17:00')) v (o, cl) WHERE c.name = 'Cost Berlin';"
    "INSERT INTO calendar_holidays (calendar_id, day, name) SELECT id, '2026-03-30', 'Holiday'"
    " FROM business_calendars WHERE name = 'Cost Berlin';"
    "UPDATE sla_policies SET calendar_id = (SELECT id FROM business_calendars"
    " WHERE name = 'Cost Berlin'), first_response_minutes = 90, resolution_minutes = 1500"
    " WHERE name = 'High';"
    "INSERT INTO customers (name) VALUES ('Cost Ltd');";

/*
 * Elements of a list that differ from the same minutes alone, over both
 * calendars and starts every 97 minutes through the week of the change
 * to summer time.
 */
static struct db_stmt st_apart = DB_STMT("t_cc_apart",
    "WITH m (v) AS (SELECT ARRAY[480, 30, 384, 24, NULL, 0, -3, 30, 4000, 1, 179, 180]::float8[]),"
    " l AS (SELECT c.id AS cal, s, m.v, add_business_minutes_list(c.id, s, m.v) AS got"
    "  FROM business_calendars c, m, generate_series('2026-03-26 06:00+00'::timestamptz,"
    "  '2026-04-02 20:00+00', '97 minutes') s WHERE c.name LIKE 'Cost %')"
    " SELECT count(*) FILTER (WHERE l.got[i] IS DISTINCT FROM"
    "  (add_business_minutes_list(l.cal, l.s, ARRAY[l.v[i]]))[1]),"
    " count(*) FILTER (WHERE l.got[i] IS NOT NULL)"
    " FROM l, generate_subscripts(l.v, 1) i", 0);

/* Where a list lands on Berlin's calendar from Friday 27 March, 16:30. */
static struct db_stmt st_friday = DB_STMT("t_cc_friday",
    "SELECT array_to_string(ARRAY(SELECT to_char(x AT TIME ZONE 'Europe/Berlin',"
    " 'Dy DD HH24:MI') FROM unnest(add_business_minutes_list(c.id,"
    " '2026-03-27 16:30 Europe/Berlin', ARRAY[450, 30, 31, NULL, 250])) x), ',', '-')"
    " FROM business_calendars c WHERE c.name = 'Cost Berlin'", 0);

/* A high-priority ticket opened, then its thresholds against each target alone. */
static struct db_stmt st_open = DB_STMT("t_cc_open",
    "SELECT ticket_id FROM ticket_open_row((SELECT id FROM customers WHERE name = 'Cost Ltd'),"
    " NULL, 'phone', 'question', NULL, NULL, NULL, 'The boiler is cold',"
    " 'No heating since Sunday.', 'high', 'high', NULL, NULL, 'system', NULL, NULL)", 0);
static struct db_stmt st_ticket = DB_STMT("t_cc_ticket",
    "SELECT t.first_response_due_at = add_business_minutes(p.calendar_id, t.sla_started_at,"
    "  p.first_response_minutes)"
    " AND t.first_response_warn_at = add_business_minutes(p.calendar_id, t.sla_started_at,"
    "  sla_warn_minutes(p.first_response_minutes))"
    " AND t.resolution_due_at = add_business_minutes(p.calendar_id, t.sla_started_at,"
    "  p.resolution_minutes)"
    " AND t.resolution_warn_at = add_business_minutes(p.calendar_id, t.sla_started_at,"
    "  sla_warn_minutes(p.resolution_minutes))"
    " AND t.first_response_warn_at < t.first_response_due_at"
    " AND t.resolution_warn_at < t.resolution_due_at, p.name"
    " FROM tickets t JOIN sla_policies p ON p.id = t.sla_policy_id WHERE t.id = $1", 1);

static void
suite_setup(void)
{
	conninfo = th_db_create_fixture("create_cost", fixture);
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
	ck_assert_int_eq(db_open(&owner, conninfo, "check_create_cost"), 0);
}

static void
teardown(void)
{
	db_close(&owner);
}

START_TEST(a_list_lands_where_each_alone_lands)
{
	PGresult *r = db_exec(&owner, &st_apart, NULL);

	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "0");
	/* Not a vacuous match: most elements have an instant. */
	ck_assert_int_gt(atoi(PQgetvalue(r, 0, 1)), 1000);
	PQclear(r);
}
END_TEST

START_TEST(a_list_over_a_weekend_and_a_holiday)
{
	PGresult *r = db_exec(&owner, &st_friday, NULL);

	ck_assert_ptr_nonnull(r);
	/* 30 minutes end Friday's day at 17:00 (not Tuesday at 09:00); the
	 * 31st is Tuesday's first (Monday is a holiday); 250 cross lunch;
	 * 450 end Tuesday's day (not Wednesday at 09:00); NULL stays NULL. */
	ck_assert_str_eq(PQgetvalue(r, 0, 0),
	    "Tue 31 17:00,Fri 27 17:00,Tue 31 09:01,-,Tue 31 13:40");
	PQclear(r);
}
END_TEST

START_TEST(a_new_ticket_has_each_targets_times)
{
	PGresult *r = db_exec(&owner, &st_open, NULL);
	char id[24];
	const char *p[] = { id };

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(PQntuples(r), 1);
	snprintf(id, sizeof(id), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	r = db_exec(&owner, &st_ticket, p);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(PQntuples(r), 1);
	ck_assert_str_eq(PQgetvalue(r, 0, 1), "High");
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "t");
	PQclear(r);
}
END_TEST

Suite *create_cost_suite(void);

Suite *
create_cost_suite(void)
{
	Suite *s = suite_create("create_cost");
	TCase *tc = tcase_create("create_cost");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_list_lands_where_each_alone_lands);
	tcase_add_test(tc, a_list_over_a_weekend_and_a_holiday);
	tcase_add_test(tc, a_new_ticket_has_each_targets_times);
	suite_add_tcase(s, tc);
	return s;
}
