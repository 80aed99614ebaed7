/*
 * Field dispatch over HTTP (nginx, both programs, PostgreSQL): a
 * supervisor keeps a technician's profile and PostgreSQL refuses
 * overlapping time off, an agent is turned away; the dispatch board shows
 * the week's blocks and an unassigned job with the ranking's reasons, and
 * assigns it; a customer books a window they were offered, is told when
 * the window was taken meanwhile, moves and cancels their own visit, and
 * gets 404 for another customer's.
 */
#include "identity.h"
#include "auth/password.h"
#include "db/db.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "quartz meadow lantern 73"

static struct th_stack stack;
static char *db;

/* Two technicians working every day 07:00–19:00 UTC over 75; an unassigned job today. */
static const char fixture[] =
    "UPDATE staff SET work_days = '{1,2,3,4,5,6,7}', work_start = '07:00', work_end = '19:00',"
    " time_zone = 'UTC';"
    "INSERT INTO technicians (staff_id, territory, travel_buffer_min) SELECT id, '{75}', 0"
    " FROM staff WHERE email IN ('tom@acme.test', 'tia@acme.test');"
    "INSERT INTO tickets (customer_id, channel, subject, description, requester_id)"
    " SELECT c.id, 'portal', 'Alpha boiler', 'No heat', u.id FROM customers c"
    " JOIN portal_users u ON u.customer_id = c.id WHERE c.name = 'Alpha Ltd';"
    "INSERT INTO tickets (customer_id, channel, subject, description, requester_id)"
    " SELECT c.id, 'portal', 'Beta boiler', 'No heat', u.id FROM customers c"
    " JOIN portal_users u ON u.customer_id = c.id WHERE c.name = 'Beta Ltd';"
    "INSERT INTO appointments (ticket_id, customer_id, postcode, address, summary,"
    " starts_at, ends_at, busy) SELECT t.id, t.customer_id, '75011', '3 rue Oberkampf',"
    " 'Radiator leak', (current_date + time '14:00') AT TIME ZONE 'UTC',"
    " (current_date + time '15:00') AT TIME ZONE 'UTC', tstzrange((current_date + time '14:00')"
    " AT TIME ZONE 'UTC', (current_date + time '15:00') AT TIME ZONE 'UTC')"
    " FROM tickets t WHERE t.subject = 'Alpha boiler';";

static void
setup(void)
{
	struct db d;
	char hash[PASSWORD_HASH_MAX];
	long long uid;

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("http_dispatch");
	ck_assert_int_eq(db_open(&d, db, "dispatch-setup"), 0);
	ck_assert_int_eq(password_hash(PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "tom@acme.test", "Tom", hash, "technician"), 0);
	ck_assert_int_gt(staff_fixture(&d, "tia@acme.test", "Tia", hash, "technician"), 0);
	ck_assert_int_gt(staff_fixture(&d, "sue@acme.test", "Sue", hash, "agent,supervisor"), 0);
	ck_assert_int_gt(staff_fixture(&d, "alex@acme.test", "Alex", hash, "agent"), 0);
	ck_assert_int_gt(customer_fixture(&d, "Alpha Ltd", "company", "standard", "en",
	    "ann@alpha.test", "Ann Alpha", hash, 1, &uid), 0);
	ck_assert_int_gt(customer_fixture(&d, "Beta Ltd", "company", "standard", "en",
	    "eve@beta.test", "Eve Beta", hash, 1, &uid), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
	th_stack_start(&stack, db, 2, NULL);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

static char *
id_of(const char *email)
{
	return sql_owner(db, "SELECT id::text FROM staff WHERE email = $1", email);
}

START_TEST(a_supervisor_keeps_a_profile_and_overlapping_time_off_is_refused)
{
	struct jar sue = { 0 }, alex = { 0 };
	char path[96], *tom = id_of("tom@acme.test"), *n;
	const char *profile = "territory=75%2C+92&home_base=Paris+11&van_label=Van+3"
	    "&travel_buffer_min=20&work_days=1&work_days=2&work_days=3&work_days=4&work_days=5"
	    "&work_days=6&work_days=7&work_start=07%3A00&work_end=19%3A00&time_zone=UTC&active=1";
	char body[768];

	web_staff_sign_in(&stack, &sue, "sue@acme.test", PW);
	web_expect(web_get(&stack, &sue, "/agent/field/technicians"), 200, ">Tom</a>");
	snprintf(path, sizeof(path), "/agent/field/technicians/%s", tom);
	/* A skill without a level comes back with what was typed. */
	snprintf(body, sizeof(body), "%s&skills=boiler+4%%2C+furnace", profile);
	web_expect(web_post(&stack, &sue, path, path, body), 422,
	    "Give &quot;furnace&quot; a level");
	web_expect(web_post(&stack, &sue, path, path, body), 422, ">boiler 4, furnace</textarea>");
	snprintf(body, sizeof(body), "%s&skills=boiler+4%%2C+furnace%%3A2", profile);
	web_expect(web_post(&stack, &sue, path, path, body), 303, NULL);
	web_expect(web_get(&stack, &sue, path), 200, ">boiler 4, furnace 2</textarea>");
	web_expect(web_get(&stack, &sue, path), 200, "value=\"Van 3\"");
	/* An expired certification is shown as expired. */
	snprintf(path, sizeof(path), "/agent/field/technicians/%s/certifications", tom);
	web_expect(web_post(&stack, &sue, path, path + 0, "cert_name=Gas+safe&cert_skill=boiler"
	    "&cert_expires=2020-01-31"), 303, NULL);
	snprintf(path, sizeof(path), "/agent/field/technicians/%s", tom);
	web_expect(web_get(&stack, &sue, path), 200, "expired 2020-01-31");
	/* Time off; an overlapping one is refused by the database's constraint. */
	snprintf(path, sizeof(path), "/agent/field/technicians/%s/time-off", tom);
	web_expect(web_post(&stack, &sue, path, "/agent/field/technicians",
	    "off_from=2031-01-06T08%3A00&off_to=2031-01-06T12%3A00&off_reason=Dentist"), 303, NULL);
	web_expect(web_post(&stack, &sue, path, "/agent/field/technicians",
	    "off_from=2031-01-06T11%3A00&off_to=2031-01-06T13%3A00&off_reason=Training"), 422,
	    "That overlaps time off the technician already has.");
	n = sql_owner(db, "SELECT count(*)::text FROM technician_time_off o JOIN staff s"
	    " ON s.id = o.staff_id WHERE s.email = $1", "tom@acme.test");
	ck_assert_str_eq(n, "1");
	free(n);
	/* Each change is an event (the audit consumer's input). */
	n = sql_owner(db, "SELECT string_agg(type, ',' ORDER BY id) FROM domain_events"
	    " WHERE aggregate = $1", "technician");
	ck_assert_str_eq(n, "technician.profile_saved,technician.certification_added,"
	    "technician.time_off_added");
	free(n);
	web_staff_sign_in(&stack, &alex, "alex@acme.test", PW);
	web_expect(web_get(&stack, &alex, "/agent/field/technicians"), 403, NULL);
	web_expect(web_get(&stack, &alex, "/agent/field/board"), 403, NULL);
	free(tom);
}
END_TEST

START_TEST(the_board_shows_the_week_and_assigns_an_open_job)
{
	struct jar sue = { 0 };
	char body[256], *tia = id_of("tia@acme.test"), *job, *who;

	job = sql_owner(db, "SELECT id::text FROM appointments WHERE summary = $1", "Radiator leak");
	web_staff_sign_in(&stack, &sue, "sue@acme.test", PW);
	web_expect(web_get(&stack, &sue, "/agent/field/board"), 200, "Jobs without a technician");
	web_expect(web_get(&stack, &sue, "/agent/field/board"), 200,
	    "No skill needed; covers 75011; free; 0 jobs that day.");
	web_expect(web_get(&stack, &sue, "/agent/field/board?week=2026-02-30"), 422,
	    "That is not a day of the calendar.");
	web_expect(web_get(&stack, &sue, "/agent/field/board?week=soon"), 422, "YYYY-MM-DD");
	snprintf(body, sizeof(body), "appointment_id=%s&technician_id=%s&week=", job, tia);
	web_expect(web_post(&stack, &sue, "/agent/field/board/assign", "/agent/field/board", body),
	    303,
	    NULL);
	who = sql_owner(db, "SELECT s.name FROM appointments a JOIN staff s"
	    " ON s.id = a.technician_id WHERE a.id = $1::bigint", job);
	ck_assert_str_eq(who, "Tia");
	/* Now a block in Tia's row, linking to the job. */
	snprintf(body, sizeof(body), "href=\"/agent/field/appointments/%s\">14:00–15:00", job);
	web_expect(web_get(&stack, &sue, "/agent/field/board"), 200, body);
	web_expect(web_get(&stack, &sue, "/agent/field/board"), 200,
	    "Every job of this week has a technician.");
	free(who);
	free(job);
	free(tia);
}
END_TEST

/* The value of the (k+1)th window offered on page (malloc'd). */
static char *
window_on(struct jar *j, const char *page, int k)
{
	struct th_resp r = web_get(&stack, j, page);
	const char *at = r.body;
	char *v;

	ck_assert_int_eq(r.status, 200);
	for (; k >= 0; k--) {
		at = strstr(at, "name=\"start\" value=\"");
		ck_assert_msg(at != NULL, "no window offered on %s", page);
		at += strlen("name=\"start\" value=\"");
	}
	v = strndup(at, strcspn(at, "\""));
	th_resp_free(&r);
	return v;
}

START_TEST(a_customer_books_an_offered_window_and_a_taken_one_is_told)
{
	struct jar ann = { 0 };
	char body[512], *ticket, *first, *second, *n;

	ticket = sql_owner(db, "SELECT id::text FROM tickets WHERE subject = $1", "Alpha boiler");
	web_customer_sign_in(&stack, &ann, "ann@alpha.test", PW);
	web_expect(web_get(&stack, &ann, "/visits"), 200, "Book a visit");
	first = window_on(&ann, "/visits/book?postcode=75011", 0);
	second = window_on(&ann, "/visits/book?postcode=75011", 2);
	/* A refused form keeps what was typed. */
	snprintf(body, sizeof(body), "ticket_id=%s&start=%s&postcode=75011&address=&summary=Boiler"
	    "+noise", ticket, first);
	web_expect(web_post(&stack, &ann, "/visits/book", "/visits", body), 422,
	    "value=\"Boiler noise\"");
	snprintf(body, sizeof(body), "ticket_id=%s&start=%s&postcode=75011&address=3+rue+Oberkampf"
	    "&summary=Boiler+noise", ticket, first);
	web_expect(web_post(&stack, &ann, "/visits/book", "/visits", body), 303, NULL);
	n = sql_owner(db, "SELECT count(*)::text FROM appointments WHERE summary = $1"
	    " AND technician_id IS NOT NULL AND status = 'booked'", "Boiler noise");
	ck_assert_str_eq(n, "1");
	free(n);
	/* Meanwhile, both technicians are booked for the second window by someone else. */
	free(sql_owner(db, "INSERT INTO appointments (ticket_id, customer_id, technician_id,"
	    " summary, starts_at, ends_at, busy) SELECT t.id, t.customer_id, tc.staff_id, 'Taken',"
	    " $1::timestamptz, $1::timestamptz + interval '2 hours', tstzrange($1::timestamptz,"
	    " $1::timestamptz + interval '2 hours') FROM tickets t, technicians tc"
	    " WHERE t.subject = 'Beta boiler' RETURNING 1", second));
	snprintf(body, sizeof(body), "ticket_id=%s&start=%s&postcode=75011&address=3+rue+Oberkampf"
	    "&summary=Second+look", ticket, second);
	web_expect(web_post(&stack, &ann, "/visits/book", "/visits", body), 409,
	    "That window was just taken; choose another one.");
	n = sql_owner(db, "SELECT count(*)::text FROM appointments WHERE summary = $1",
	    "Second look");
	ck_assert_str_eq(n, "0");
	free(n);
	free(first);
	free(second);
	free(ticket);
}
END_TEST

START_TEST(a_customer_changes_only_their_own_visits)
{
	struct jar ann = { 0 }, eve = { 0 };
	char path[96], body[256], *id, *start, *st;
	int seq;

	id = sql_owner(db, "SELECT id::text FROM appointments WHERE summary = $1", "Radiator leak");
	web_customer_sign_in(&stack, &ann, "ann@alpha.test", PW);
	web_customer_sign_in(&stack, &eve, "eve@beta.test", PW);
	snprintf(path, sizeof(path), "/visits/%s", id);
	web_expect(web_get(&stack, &eve, path), 404, NULL);
	web_expect(web_get(&stack, &ann, path), 200, "Move the visit");
	start = window_on(&ann, path, 2);
	snprintf(path, sizeof(path), "/visits/%s/cancel", id);
	web_expect(web_post(&stack, &eve, path, "/visits", "cancel_reason=Mine+now"), 404, NULL);
	snprintf(path, sizeof(path), "/visits/%s/reschedule", id);
	snprintf(body, sizeof(body), "start=%s&reason=Mine+now", start);
	web_expect(web_post(&stack, &eve, path, "/visits", body), 404, NULL);
	/* Their own: moved with a reason (SEQUENCE rises), then cancelled with one. */
	st = sql_owner(db, "SELECT sequence::text FROM appointments WHERE id = $1::bigint", id);
	seq = atoi(st);
	free(st);
	snprintf(body, sizeof(body), "start=%s&reason=", start);
	web_expect(web_post(&stack, &ann, path, "/visits", body), 422, NULL);
	snprintf(body, sizeof(body), "start=%s&reason=We+are+away+that+day", start);
	web_expect(web_post(&stack, &ann, path, "/visits", body), 303, NULL);
	st = sql_owner(db, "SELECT status || ' ' || sequence FROM appointments WHERE id = $1::bigint",
	    id);
	snprintf(body, sizeof(body), "booked %d", seq + 1);
	ck_assert_str_eq(st, body);
	free(st);
	snprintf(path, sizeof(path), "/visits/%s/cancel", id);
	web_expect(web_post(&stack, &ann, path, "/visits", "cancel_reason=Fixed+it+ourselves"), 303,
	    NULL);
	st = sql_owner(db, "SELECT status || ' ' || sequence || ' ' || reason FROM appointments"
	    " WHERE id = $1::bigint", id);
	snprintf(body, sizeof(body), "cancelled %d Fixed it ourselves", seq + 2);
	ck_assert_str_eq(st, body);
	free(st);
	free(start);
	free(id);
}
END_TEST

Suite *http_dispatch_suite(void);

Suite *
http_dispatch_suite(void)
{
	Suite *s = suite_create("http_dispatch");
	TCase *tc = tcase_create("dispatch");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_supervisor_keeps_a_profile_and_overlapping_time_off_is_refused);
	tcase_add_test(tc, the_board_shows_the_week_and_assigns_an_open_job);
	tcase_add_test(tc, a_customer_books_an_offered_window_and_a_taken_one_is_told);
	tcase_add_test(tc, a_customer_changes_only_their_own_visits);
	suite_add_tcase(s, tc);
	return s;
}
