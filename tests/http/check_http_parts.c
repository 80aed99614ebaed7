/*
 * Service parts over HTTP (nginx, console.fcgi, portal.fcgi, PostgreSQL):
 * the technician's parts page refuses a shortage with its name and keeps
 * what was typed, records a form sent twice once and is nobody else's
 * (404); a part request puts the ticket in "waiting for parts" and the
 * supervisor's "received" brings it back; the job report is printable in
 * the console and the customer reads their own in the portal (another
 * customer gets 404); the reports answer with CSV and only to supervisors.
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
static long long job, done_job;

/* Tom's van (Van 3, from Central) with 1 P-100; a job on site and one completed. */
static const char fixture[] =
    "INSERT INTO technicians (staff_id) SELECT id FROM staff"
    " WHERE email IN ('tom@acme.test', 'tia@acme.test');"
    "INSERT INTO stock_locations (name, kind) VALUES ('Central', 'warehouse');"
    "INSERT INTO stock_locations (name, kind, technician_id, source_id) SELECT 'Van 3', 'van',"
    " s.id, w.id FROM staff s, stock_locations w WHERE s.email = 'tom@acme.test'"
    " AND w.name = 'Central';"
    "INSERT INTO parts (number, name, cost, price) VALUES ('P-100', 'Ignition board', 38, 95);"
    "INSERT INTO stock_levels (location_id, part_id, on_hand) SELECT l.id, p.id, v.n"
    " FROM (VALUES ('Van 3', 1), ('Central', 5)) v (loc, n) JOIN stock_locations l"
    " ON l.name = v.loc, parts p;"
    "INSERT INTO products (sku, name, parts_months, labour_months) VALUES ('B-1', 'Boiler', 24,"
    " 24);"
    "INSERT INTO warranty_registrations (customer_id, product_id, serial, start_date, source)"
    " SELECT c.id, p.id, 'SN-1', current_date - 30, 'console' FROM customers c, products p"
    " WHERE c.name = 'Alpha Ltd' AND p.sku = 'B-1';"
    "INSERT INTO tickets (customer_id, channel, subject, description, status, product_id,"
    " serial) SELECT c.id, 'phone', 'Boiler stopped', 'No heat', 'in_progress', p.id, 'SN-1'"
    " FROM customers c, products p WHERE c.name = 'Alpha Ltd' AND p.sku = 'B-1';"
    "INSERT INTO appointments (ticket_id, customer_id, technician_id, address, summary,"
    " starts_at, ends_at, busy, status, checkin_at, checkout_at, completed_at, labour_min,"
    " travel_min) SELECT t.id, t.customer_id, s.id, '3 rue Oberkampf', v.summary, v.s,"
    " v.s + interval '1 hour', tstzrange(v.s, v.s + interval '1 hour'), v.status, v.s,"
    " CASE WHEN v.status = 'completed' THEN v.s + interval '50 minutes' END,"
    " CASE WHEN v.status = 'completed' THEN v.s + interval '55 minutes' END, 50, 20"
    " FROM tickets t, staff s, (VALUES ('Boiler repair', 'checked_in', now()),"
    " ('Boiler service', 'completed', now() - interval '1 day')) v (summary, status, s)"
    " WHERE t.subject = 'Boiler stopped' AND s.email = 'tom@acme.test';";

static void
setup(void)
{
	struct db d;
	char hash[PASSWORD_HASH_MAX];
	long long uid;

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("http_parts");
	ck_assert_int_eq(db_open(&d, db, "parts-setup"), 0);
	ck_assert_int_eq(password_hash(PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "tom@acme.test", "Tom", hash, "technician"), 0);
	ck_assert_int_gt(staff_fixture(&d, "tia@acme.test", "Tia", hash, "technician"), 0);
	ck_assert_int_gt(staff_fixture(&d, "sam@acme.test", "Sam", hash, "agent,supervisor"), 0);
	ck_assert_int_gt(customer_fixture(&d, "Alpha Ltd", "company", "standard", "en",
	    "ann@alpha.test", "Ann Alpha", hash, 1, &uid), 0);
	ck_assert_int_gt(customer_fixture(&d, "Beta Ltd", "company", "standard", "en",
	    "eve@beta.test", "Eve Beta", hash, 1, &uid), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
	job = sql_owner_ll(db, "SELECT id::text FROM appointments WHERE summary = $1",
	    "Boiler repair");
	done_job = sql_owner_ll(db, "SELECT id::text FROM appointments WHERE summary = $1",
	    "Boiler service");
	th_stack_start(&stack, db, 2, NULL);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

/* The idempotency token of the form called name on the job's parts page. */
static const char *
token_on(struct jar *j, const char *name)
{
	static char tok[80];
	char path[64], *at;
	struct th_resp r;

	snprintf(path, sizeof(path), "/agent/field/jobs/%lld/parts", job);
	r = web_get_want(&stack, j, path, 200);
	at = strstr(r.body, name);
	ck_assert_ptr_nonnull(at);
	web_field_value(at, "token", tok, sizeof(tok));
	th_resp_free(&r);
	return tok;
}

static char *
ticket_status(void)
{
	return sql_owner(db, "SELECT status FROM tickets WHERE subject = $1", "Boiler stopped");
}

START_TEST(a_shortage_is_named_a_form_sent_twice_counts_once_and_the_job_is_the_technicians)
{
	struct jar tom = { 0 }, tia = { 0 };
	char path[64], body[256], *n;
	const char *tok;
	long long part = sql_owner_ll(db, "SELECT id::text FROM parts WHERE number = $1", "P-100");

	web_staff_sign_in(&stack, &tom, "tom@acme.test", PW);
	snprintf(path, sizeof(path), "/agent/field/jobs/%lld/parts", job);
	web_expect(web_get(&stack, &tom, path), 200, "P-100 Ignition board (1 in the van)");
	tok = token_on(&tom, "action=\"/agent/field/jobs/");
	snprintf(body, sizeof(body), "token=%s&part=%lld&qty=2&kind=installed&due_on=&serial=",
	    tok, part);
	web_expect(web_post(&stack, &tom, path, path, body), 422,
	    "Van 3 has 1 of P-100, 2 needed.");
	snprintf(body, sizeof(body), "token=%s&part=%lld&qty=1&kind=installed&due_on=&serial=",
	    tok, part);
	web_expect(web_post(&stack, &tom, path, path, body), 303, NULL);
	/* The reply was lost; the phone sends the same form again. */
	web_expect(web_post(&stack, &tom, path, path, body), 303, NULL);
	n = sql_owner(db, "SELECT count(*)::text || ' ' || min(kind) FROM part_usages"
	    " WHERE token = $1", tok);
	ck_assert_str_eq(n, "1 installed");
	free(n);
	web_expect(web_get(&stack, &tom, path), 200, "1 × Ignition board");
	/* Another technician: not their job. */
	web_staff_sign_in(&stack, &tia, "tia@acme.test", PW);
	web_expect(web_get(&stack, &tia, path), 404, NULL);
	web_expect(web_post(&stack, &tia, path, path, body), 404, NULL);
}
END_TEST

START_TEST(a_part_request_waits_for_parts_until_the_supervisor_receives_it)
{
	struct jar tom = { 0 }, sam = { 0 };
	char path[96], body[256], *st;
	const char *tok;
	long long part = sql_owner_ll(db, "SELECT id::text FROM parts WHERE number = $1", "P-100"),
	    xfer;

	web_staff_sign_in(&stack, &tom, "tom@acme.test", PW);
	tok = token_on(&tom, "parts/request");
	snprintf(path, sizeof(path), "/agent/field/jobs/%lld/parts/request", job);
	snprintf(body, sizeof(body), "token=%s&part=%lld&qty=2", tok, part);
	web_expect(web_post(&stack, &tom, path, "/agent/field/day", body), 303, NULL);
	st = ticket_status();
	ck_assert_str_eq(st, "pending_parts");
	free(st);
	web_staff_sign_in(&stack, &sam, "sam@acme.test", PW);
	web_expect(web_get(&stack, &sam, "/agent/stock/transfers?status=approved"), 200,
	    "Central → Van 3");
	xfer = sql_owner_ll(db, "SELECT transfer_id::text FROM part_requests WHERE token = $1",
	    tok);
	snprintf(path, sizeof(path), "/agent/stock/transfers/%lld/receive", xfer);
	web_expect(web_post(&stack, &sam, path, "/agent/stock/transfers", ""), 303, NULL);
	st = ticket_status();
	ck_assert_str_eq(st, "in_progress");
	free(st);
	/* Received twice: told, nothing moves again. */
	web_expect(web_post(&stack, &sam, path, "/agent/stock/transfers", ""), 422,
	    "This transfer is not on its way.");
	/* Technicians do not run the stock. */
	web_expect(web_get(&stack, &tom, "/agent/stock/transfers"), 403, NULL);
}
END_TEST

START_TEST(the_job_report_is_printable_and_the_customers_own)
{
	struct jar sam = { 0 }, ann = { 0 }, eve = { 0 };
	char path[64];

	web_staff_sign_in(&stack, &sam, "sam@acme.test", PW);
	snprintf(path, sizeof(path), "/agent/field/jobs/%lld/report", done_job);
	/* 50 min of labour at 90.00 an hour, covered by the boiler's warranty: charged 0. */
	web_expect(web_get(&stack, &sam, path), 200, "<td>75.00</td><td>0.00 <span class=\"badge\">"
	    "covered by warranty</span>");
	snprintf(path, sizeof(path), "/agent/field/jobs/%lld/report", job);
	web_expect(web_get(&stack, &sam, path), 404, NULL);
	web_customer_sign_in(&stack, &ann, "ann@alpha.test", PW);
	web_expect(web_get(&stack, &ann, "/visits"), 200, "Job report");
	snprintf(path, sizeof(path), "/visits/%lld/report", done_job);
	web_expect(web_get(&stack, &ann, path), 200, "covered by warranty");
	web_customer_sign_in(&stack, &eve, "eve@beta.test", PW);
	web_expect(web_get(&stack, &eve, path), 404, NULL);
}
END_TEST

START_TEST(the_reports_answer_supervisors_with_csv)
{
	struct jar sam = { 0 }, tom = { 0 };
	struct th_resp r;

	web_staff_sign_in(&stack, &sam, "sam@acme.test", PW);
	web_expect(web_get(&stack, &sam, "/agent/reports/field"), 200, "<td>Tom</td>");
	web_expect(web_get(&stack, &sam, "/agent/reports/field?report=nonsense"), 404, NULL);
	web_expect(web_get(&stack, &sam, "/agent/reports/field?from=2026-13-01&to=2026-01-01"), 422,
	    "Choose a period");
	r = web_get(&stack, &sam, "/agent/reports/field.csv?report=shortages");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Ticket,Technician,Part,Quantity"));
	th_resp_free(&r);
	web_staff_sign_in(&stack, &tom, "tom@acme.test", PW);
	web_expect(web_get(&stack, &tom, "/agent/reports/field"), 403, NULL);
}
END_TEST

/* The technician counts their van; the variance is recorded and shown. */
START_TEST(a_technician_counts_their_van)
{
	struct jar tom = { 0 }, tia = { 0 };
	char body[128], *v;
	long long part = sql_owner_ll(db, "SELECT id::text FROM parts WHERE number = $1", "P-100");

	web_staff_sign_in(&stack, &tom, "tom@acme.test", PW);
	web_expect(web_get(&stack, &tom, "/agent/field/van"), 200, "Van 3");
	snprintf(body, sizeof(body), "after=&count_%lld=x", part);
	web_expect(web_post(&stack, &tom, "/agent/field/van/audit", "/agent/field/van", body), 422,
	    "A count is a whole number from 0.");
	snprintf(body, sizeof(body), "after=&count_%lld=7", part);
	web_expect(web_post(&stack, &tom, "/agent/field/van/audit", "/agent/field/van", body), 303,
	    NULL);
	v = sql_owner(db, "SELECT l.counted || ' ' || (l.counted - l.expected = l.variance)"
	    " FROM stock_audit_lines l JOIN stock_audits a ON a.id = l.audit_id"
	    " JOIN stock_locations s ON s.id = a.location_id WHERE s.name = $1", "Van 3");
	ck_assert_str_eq(v, "7 true");
	free(v);
	web_expect(web_get(&stack, &tom, "/agent/field/van"), 200, "7 counted");
	web_staff_sign_in(&stack, &tia, "tia@acme.test", PW);
	web_expect(web_get(&stack, &tia, "/agent/field/van"), 200, "You have no van yet");
	web_expect(web_post(&stack, &tia, "/agent/field/van/audit", "/agent/field/van", body), 404,
	    NULL);
}
END_TEST

Suite *http_parts_suite(void);

Suite *
http_parts_suite(void)
{
	Suite *s = suite_create("http_parts");
	TCase *tc = tcase_create("parts");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc,
	    a_shortage_is_named_a_form_sent_twice_counts_once_and_the_job_is_the_technicians);
	tcase_add_test(tc, a_part_request_waits_for_parts_until_the_supervisor_receives_it);
	tcase_add_test(tc, the_job_report_is_printable_and_the_customers_own);
	tcase_add_test(tc, the_reports_answer_supervisors_with_csv);
	tcase_add_test(tc, a_technician_counts_their_van);
	suite_add_tcase(s, tc);
	return s;
}
