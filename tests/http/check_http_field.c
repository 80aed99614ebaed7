/*
 * The technician's day over HTTP (nginx, console.fcgi, PostgreSQL): the
 * technician sees today's job with the customer and a map link, an agent
 * without the technician role is turned away, a check-in without position
 * or reason is refused and one sent twice with the same form records one,
 * another technician cannot touch the job (404), completion without
 * the signature comes back refused with the notes as typed, and an admin
 * may turn that rule off and set the report's rates.
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
static long long job;

static const char fixture[] =
    "UPDATE staff SET work_days = '{1,2,3,4,5,6,7}', work_start = '07:00', work_end = '19:00';"
    "INSERT INTO technicians (staff_id, territory) SELECT id, '{75}' FROM staff"
    " WHERE email IN ('tom@acme.test', 'tia@acme.test');"
    "INSERT INTO tickets (customer_id, channel, subject, description)"
    " SELECT id, 'phone', 'Boiler stopped', 'No heat' FROM customers WHERE name = 'Alpha Ltd';"
    "INSERT INTO appointments (ticket_id, customer_id, technician_id, postcode, address, summary,"
    " starts_at, ends_at, busy) SELECT t.id, t.customer_id, s.id, '75011', '3 rue Oberkampf',"
    " 'Boiler repair', (current_date + time '10:00') AT TIME ZONE 'UTC',"
    " (current_date + time '11:00') AT TIME ZONE 'UTC', tstzrange((current_date + time '09:30')"
    " AT TIME ZONE 'UTC', (current_date + time '11:30') AT TIME ZONE 'UTC')"
    " FROM tickets t, staff s WHERE t.subject = 'Boiler stopped' AND s.email = 'tom@acme.test';";

static void
setup(void)
{
	struct db d;
	char hash[PASSWORD_HASH_MAX], *s;
	long long uid;

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("http_field");
	ck_assert_int_eq(db_open(&d, db, "field-setup"), 0);
	ck_assert_int_eq(password_hash(PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "tom@acme.test", "Tom", hash, "technician"), 0);
	ck_assert_int_gt(staff_fixture(&d, "tia@acme.test", "Tia", hash, "technician"), 0);
	ck_assert_int_gt(staff_fixture(&d, "alex@acme.test", "Alex", hash, "agent"), 0);
	ck_assert_int_gt(staff_fixture(&d, "ada@acme.test", "Ada", hash, "admin"), 0);
	ck_assert_int_gt(customer_fixture(&d, "Alpha Ltd", "company", "standard", "en",
	    "ann@alpha.test", "Ann Alpha", hash, 1, &uid), 0);
	ck_assert_int_gt(customer_fixture(&d, "Beta Ltd", "company", "standard", "en",
	    "eve@beta.test", "Eve Beta", hash, 1, &uid), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
	s = sql_owner(db, "SELECT id::text FROM appointments WHERE summary = $1", "Boiler repair");
	job = atoll(s);
	free(s);
	th_stack_start(&stack, db, 2, NULL);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

/* The first form's idempotency token on the day page (static). */
static const char *
token_on(struct jar *j)
{
	static char tok[80];
	struct th_resp r = web_get_want(&stack, j, "/agent/field/day", 200);

	web_field_value(r.body, "token", tok, sizeof(tok));
	th_resp_free(&r);
	return tok;
}

static char *
status_of(void)
{
	char id[32];

	snprintf(id, sizeof(id), "%lld", job);
	return sql_owner(db, "SELECT status FROM appointments WHERE id = $1::bigint", id);
}

START_TEST(the_technicians_day_shows_the_job_and_only_to_technicians)
{
	struct jar tom = { 0 }, alex = { 0 };

	web_staff_sign_in(&stack, &tom, "tom@acme.test", PW);
	web_expect(web_get(&stack, &tom, "/agent/field/day"), 200, "Alpha Ltd");
	web_expect(web_get(&stack, &tom, "/agent/field/day"), 200,
	    "openstreetmap.org/search?query=3%20rue%20Oberkampf%2075011");
	web_expect(web_get(&stack, &tom, "/agent/field/day?day=nonsense"), 404, NULL);
	web_staff_sign_in(&stack, &alex, "alex@acme.test", PW);
	web_expect(web_get(&stack, &alex, "/agent/field/day"), 403, NULL);
}
END_TEST

/*
 * A customer sees their own visits and nobody else's: in the list, and by
 * the address of another customer's visit or its report (404 both).
 */
START_TEST(a_customer_sees_only_their_own_visits)
{
	struct jar ann = { 0 }, eve = { 0 };
	struct th_resp r;
	char path[64];
	char *own;

	web_customer_sign_in(&stack, &ann, "ann@alpha.test", PW);
	web_expect(web_get(&stack, &ann, "/visits"), 200, "Boiler repair");
	web_customer_sign_in(&stack, &eve, "eve@beta.test", PW);
	web_expect(web_get(&stack, &eve, "/visits"), 200, "No technician visit is planned.");
	/* Eve's own visit, completed: hers to see, not Ann's. */
	own = sql_owner(db, "WITH t AS (INSERT INTO tickets (customer_id, channel, subject,"
	    " description) SELECT id, 'phone', 'Printer jammed', 'Paper stuck' FROM customers"
	    " WHERE name = $1 RETURNING id, customer_id) INSERT INTO appointments (ticket_id,"
	    " customer_id, technician_id, postcode, address, summary, starts_at, ends_at, busy,"
	    " status, checkin_at, checkout_at, completed_at) SELECT t.id, t.customer_id, s.id,"
	    " '75012', '9 rue de Lyon', 'Printer service', (current_date + time '14:00') AT TIME"
	    " ZONE 'UTC', (current_date + time '15:00') AT TIME ZONE 'UTC', tstzrange((current_date"
	    " + time '13:30') AT TIME ZONE 'UTC', (current_date + time '15:30') AT TIME ZONE 'UTC'),"
	    " 'completed', now(), now(), now() FROM t, staff s WHERE s.email = 'tia@acme.test'"
	    " RETURNING id::text", "Beta Ltd");
	r = web_get_want(&stack, &eve, "/visits", 200);
	assert_has(&r, "Printer service");
	assert_lacks(&r, "Boiler repair");
	th_resp_free(&r);
	r = web_get_want(&stack, &ann, "/visits", 200);
	assert_has(&r, "Boiler repair");
	assert_lacks(&r, "Printer service");
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/visits/%s/report", own);
	web_expect(web_get(&stack, &eve, path), 200, "Printer service");
	web_expect(web_get(&stack, &ann, path), 404, NULL);
	snprintf(path, sizeof(path), "/visits/%s", own);
	web_expect(web_get(&stack, &eve, path), 200, "Printer service");
	web_expect(web_get(&stack, &ann, path), 404, NULL);
	snprintf(path, sizeof(path), "/visits/%lld", job);
	web_expect(web_get(&stack, &eve, path), 404, NULL);
	free(own);
}
END_TEST

/* The calendar feed needs no sign-in: its URL's secret is the access. */
START_TEST(the_calendar_feed_is_behind_its_secret)
{
	struct jar none = { 0 };
	char path[96], *tok = sql_owner(db, "SELECT calendar_token::text FROM technicians t"
	    " JOIN staff s ON s.id = t.staff_id WHERE s.email = $1", "tom@acme.test");

	snprintf(path, sizeof(path), "/agent/field/calendar/%s", tok);
	web_expect(web_get(&stack, &none, path), 200, "SUMMARY:TKT-");
	web_expect(web_get(&stack, &none, "/agent/field/calendar/not-a-token"), 404, NULL);
	web_expect(web_get(&stack, &none,
	    "/agent/field/calendar/00000000-0000-0000-0000-000000000000"),
	    200, "END:VCALENDAR");
	free(tok);
}
END_TEST

START_TEST(a_check_in_sent_twice_records_one)
{
	struct jar tom = { 0 }, tia = { 0 };
	char path[64], body[256], *st, *n;
	const char *tok;

	web_staff_sign_in(&stack, &tom, "tom@acme.test", PW);
	tok = token_on(&tom);
	snprintf(path, sizeof(path), "/agent/field/jobs/%lld/check-in", job);
	snprintf(body, sizeof(body), "token=%s&lat=&lon=&accuracy=&note=", tok);
	web_expect(web_post(&stack, &tom, path, "/agent/field/day", body), 422, "say why");
	snprintf(body, sizeof(body), "token=%s&lat=48.86&lon=2.37&accuracy=12&note=", tok);
	web_expect(web_post(&stack, &tom, path, "/agent/field/day", body), 303, NULL);
	/* The reply was lost; the phone sends the same form again. */
	web_expect(web_post(&stack, &tom, path, "/agent/field/day", body), 303, NULL);
	n = sql_owner(db, "SELECT count(*)::text FROM domain_events WHERE type = $1",
	    "appointment.checked_in");
	ck_assert_str_eq(n, "1");
	free(n);
	st = status_of();
	ck_assert_str_eq(st, "checked_in");
	free(st);
	/* Another technician: not their job. */
	web_staff_sign_in(&stack, &tia, "tia@acme.test", PW);
	snprintf(path, sizeof(path), "/agent/field/jobs/%lld/check-out", job);
	snprintf(body, sizeof(body), "token=other-token&note=No+GPS");
	web_expect(web_post(&stack, &tia, path, "/agent/field/day", body), 404, NULL);
	/* Tom checks out; completing without the signature keeps the notes typed. */
	snprintf(body, sizeof(body), "token=out-token&note=No+GPS+in+the+cellar");
	web_expect(web_post(&stack, &tom, path, "/agent/field/day", body), 303, NULL);
	snprintf(path, sizeof(path), "/agent/field/jobs/%lld/complete", job);
	web_expect(web_post(&stack, &tom, path, "/agent/field/day",
	    "notes=Replaced+the+pump&labour_min=45&travel_min=20"), 422,
	    "The customer&#39;s signature is required");
	web_expect(web_post(&stack, &tom, path, "/agent/field/day",
	    "notes=Replaced+the+pump&labour_min=45&travel_min=20"), 422, "Replaced the pump</textarea>");
	st = status_of();
	ck_assert_str_eq(st, "checked_out");
	free(st);
}
END_TEST

/* An agent schedules a visit from the ticket and picks from the ranked technicians. */
START_TEST(an_agent_schedules_and_dispatch_refuses_a_double_booking)
{
	struct jar alex = { 0 };
	char *number = sql_owner(db, "SELECT number FROM tickets WHERE subject = $1",
	    "Boiler stopped"), *day = sql_owner(db, "SELECT current_date::text WHERE $1 = $1", "x");
	char path[96], body[512], *id;

	web_staff_sign_in(&stack, &alex, "alex@acme.test", PW);
	snprintf(path, sizeof(path), "/agent/tickets/%s", number);
	web_expect(web_get(&stack, &alex, path), 200, "Schedule a visit");
	snprintf(path, sizeof(path), "/agent/tickets/%s/appointments/new", number);
	/* A refused form keeps what was typed. */
	snprintf(body, sizeof(body), "starts_at=%sT10:30&ends_at=&summary=Second+visit"
	    "&address=3+rue+Oberkampf&postcode=75011&skill=", day);
	web_expect(web_post(&stack, &alex, path, path, body), 422, "value=\"Second visit\"");
	snprintf(body, sizeof(body), "starts_at=%sT10:30&ends_at=%sT11:30&summary=Second+visit"
	    "&address=3+rue+Oberkampf&postcode=75011&skill=", day, day);
	web_expect(web_post(&stack, &alex, path, path, body), 303, NULL);
	id = sql_owner(db, "SELECT id::text FROM appointments WHERE summary = $1", "Second visit");
	snprintf(path, sizeof(path), "/agent/field/appointments/%s", id);
	web_expect(web_get(&stack, &alex, path), 200,
	    "Tia</strong> — No skill needed; covers 75011; free");
	web_expect(web_get(&stack, &alex, path), 200,
	    "Tom</strong> — No skill needed; covers 75011;"
	    " booked then");
	snprintf(path, sizeof(path), "/agent/field/appointments/%s/assign", id);
	snprintf(body, sizeof(body), "technician_id=%s",
	    sql_owner(db, "SELECT id::text FROM staff WHERE email = $1", "tom@acme.test"));
	web_expect(web_post(&stack, &alex, path, "/agent/", body), 409, "already booked then");
	snprintf(body, sizeof(body), "technician_id=%s",
	    sql_owner(db, "SELECT id::text FROM staff WHERE email = $1", "tia@acme.test"));
	web_expect(web_post(&stack, &alex, path, "/agent/", body), 303, NULL);
	free(id);
	free(day);
	free(number);
}
END_TEST

/*
 * An admin turns the signature rule off and sets the rates under the
 * technicians' list: a rate that is not an amount is refused at its field
 * and kept as typed, the change is audited, a technician may not make it,
 * and Tia then completes a checked-out job without a signature, its report
 * charging the new labour rate.
 */
START_TEST(an_admin_sets_the_signature_rule_and_the_rates)
{
	struct jar ada = { 0 }, tia = { 0 };
	struct th_resp r;
	char path[80], *visit, *v;

	web_staff_sign_in(&stack, &tia, "tia@acme.test", PW);
	web_expect(web_post(&stack, &tia, "/agent/admin/field-settings", "/agent/field/day",
	    "labour_rate=1&travel_rate=1"), 403, NULL);
	web_staff_sign_in(&stack, &ada, "ada@acme.test", PW);
	r = web_get_want(&stack, &ada, "/agent/field/technicians", 200);
	assert_has(&r, "Field service settings");
	assert_has(&r, "value=\"90.00\"");
	assert_has(&r, "name=\"signature_required\" value=\"1\" checked");
	th_resp_free(&r);
	r = web_post(&stack, &ada, "/agent/admin/field-settings", "/agent/field/technicians",
	    "labour_rate=ninety&travel_rate=45.00&signature_required=1");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Enter an hourly rate such as 90");
	assert_has(&r, "value=\"ninety\"");
	th_resp_free(&r);
	web_expect(web_post(&stack, &ada, "/agent/admin/field-settings", "/agent/field/technicians",
	    "labour_rate=100&travel_rate=40.50"), 303, NULL);
	v = sql_owner(db, "SELECT string_agg(value, ' ' ORDER BY key) FROM settings WHERE key"
	    " LIKE $1", "field\\_%");
	ck_assert_str_eq(v, "100 false 40.50");
	free(v);
	v = sql_owner(db, "SELECT count(*)::text FROM audit_log WHERE action = $1",
	    "field.settings");
	ck_assert_str_eq(v, "1");
	free(v);
	/* A job Tia has checked out of: complete without a signature now. */
	visit = sql_owner(db, "INSERT INTO appointments (ticket_id, customer_id, technician_id,"
	    " postcode, address, summary, starts_at, ends_at, busy, status, checkin_at,"
	    " checkout_at) SELECT t.id, t.customer_id, s.id, '75011', '5 rue Oberkampf', $1,"
	    " (current_date + time '16:00') AT TIME ZONE 'UTC', (current_date + time '17:00') AT"
	    " TIME ZONE 'UTC', tstzrange((current_date + time '15:30') AT TIME ZONE 'UTC',"
	    " (current_date + time '17:30') AT TIME ZONE 'UTC'), 'checked_out', now(), now()"
	    " FROM tickets t, staff s WHERE t.subject = 'Boiler stopped'"
	    " AND s.email = 'tia@acme.test' RETURNING id::text", "Radiator check");
	snprintf(path, sizeof(path), "/agent/field/jobs/%s/complete", visit);
	web_expect(web_post(&stack, &tia, path, "/agent/field/day",
	    "notes=Bled+the+radiators&labour_min=45&travel_min=20"), 303, NULL);
	v = sql_owner(db, "SELECT status FROM appointments WHERE id = $1::bigint", visit);
	ck_assert_str_eq(v, "completed");
	free(v);
	/* 45 minutes at 100 an hour. */
	snprintf(path, sizeof(path), "/agent/field/jobs/%s/report", visit);
	web_expect(web_get(&stack, &ada, path), 200, "75.00");
	free(visit);
}
END_TEST

Suite *http_field_suite(void);

Suite *
http_field_suite(void)
{
	Suite *s = suite_create("http_field");
	TCase *tc = tcase_create("field");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, the_technicians_day_shows_the_job_and_only_to_technicians);
	tcase_add_test(tc, the_calendar_feed_is_behind_its_secret);
	tcase_add_test(tc, a_customer_sees_only_their_own_visits);
	tcase_add_test(tc, a_check_in_sent_twice_records_one);
	tcase_add_test(tc, an_agent_schedules_and_dispatch_refuses_a_double_booking);
	tcase_add_test(tc, an_admin_sets_the_signature_rule_and_the_rates);
	suite_add_tcase(s, tc);
	return s;
}
