/*
 * Returns through nginx: a customer asks in the portal, a bad line comes
 * back with its message and what was typed; another customer gets 404 for
 * the page, the cancel and the authorisation; a supervisor approves, an
 * agent authorises, the customer prints the authorisation; a
 * warehouse-only person lands on the warehouse's page, finds the return by
 * serial, cannot open tickets and is refused more units than were asked
 * for (the form keeps what was typed), inspects, decides per unit and a
 * supervisor refunds both units (45.50 each); a ticket's page leads to a new
 * return for it; the report's CSV is for supervisors; the policy form
 * refuses a bad amount and keeps it.
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
static char recent[16];

static const char fixture[] =
    "INSERT INTO products (sku, name) VALUES ('HB-9', 'Hub');"
    "UPDATE return_policy SET ship_to = 'Returns, 1 Dock Road, Leeds';";

static void
setup(void)
{
	struct db d;
	char hash[PASSWORD_HASH_MAX], *s;
	long long uid;

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("http_returns");
	ck_assert_int_eq(db_open(&d, db, "returns-setup"), 0);
	ck_assert_int_eq(password_hash(PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "sue@acme.test", "Sue", hash, "supervisor"), 0);
	ck_assert_int_gt(staff_fixture(&d, "alex@acme.test", "Alex", hash, "agent"), 0);
	ck_assert_int_gt(staff_fixture(&d, "will@acme.test", "Will", hash, "warehouse"), 0);
	ck_assert_int_gt(staff_fixture(&d, "root@acme.test", "Ada", hash, "agent,admin"), 0);
	ck_assert_int_gt(customer_fixture(&d, "Alpha Ltd", "company", "standard", "en",
	    "ann@alpha.test", "Ann Alpha", hash, 1, &uid), 0);
	ck_assert_int_gt(customer_fixture(&d, "Beta Ltd", "company", "standard", "en",
	    "eve@beta.test", "Eve Beta", hash, 1, &uid), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
	s = sql_owner(db, "SELECT to_char(current_date - 5, 'YYYY-MM-DD') WHERE $1 = $1", "x");
	snprintf(recent, sizeof(recent), "%s", s);
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

static void
customer_in(struct jar *j, const char *email)
{
	jar_clear(j);
	web_customer_sign_in(&stack, j, email, PW);
}

static void
staff_in(struct jar *j, const char *email)
{
	jar_clear(j);
	web_staff_sign_in(&stack, j, email, PW);
}

/* Ann asks for a hub back (serial given); returns the RMA number (static). */
static const char *
ask(struct jar *ann, const char *serial)
{
	static char number[32];
	char body[512], *hub;
	struct th_resp r;

	hub = sql_owner(db, "SELECT id::text FROM products WHERE sku = $1", "HB-9");
	snprintf(body, sizeof(body), "product1=%s&serial1=%s&quantity1=2&order_ref1=SO-77"
	    "&delivered_on1=%s&unit_price1=45.50&reason1=defective&request_type1=return", hub,
	    serial, recent);
	free(hub);
	r = web_post(&stack, ann, "/returns/new", "/returns/new", body);
	ck_assert_int_eq(r.status, 303);
	ck_assert_ptr_nonnull(strstr(th_header(&r, "Location"), "/returns/RMA-"));
	snprintf(number, sizeof(number), "%s", strstr(th_header(&r, "Location"), "RMA-"));
	th_resp_free(&r);
	return number;
}

/*
 * Will inspects and dispositions both units of number through the
 * warehouse's forms, Sue refunds them through the settlement form.
 */
static void
settle(const char *number, struct jar *will, struct jar *sue)
{
	char *ids, body[512], page[96], path[96], *comma;

	ids = sql_owner(db, "SELECT string_agg(u.id::text, ',' ORDER BY u.id) FROM return_units u"
	    " JOIN return_lines l ON l.id = u.line_id JOIN returns r ON r.id = l.return_id"
	    " WHERE r.number = $1", number);
	ck_assert_ptr_nonnull(comma = strchr(ids, ','));
	*comma = '\0';
	snprintf(page, sizeof(page), "/agent/returns/%s/warehouse", number);
	web_expect(web_get(&stack, will, page), 200, "Item 1, unit 2: Hub");
	snprintf(path, sizeof(path), "/agent/returns/%s/inspect", number);
	snprintf(body, sizeof(body), "condition%s=scratched&condition%s=", ids, comma + 1);
	web_expect(web_post(&stack, will, path, page, body), 303, NULL);
	snprintf(path, sizeof(path), "/agent/returns/%s/disposition", number);
	snprintf(body, sizeof(body), "disposition%s=restock&disposition%s=melt", ids, comma + 1);
	web_expect(web_post(&stack, will, path, page, body), 422, "Choose what becomes of every");
	snprintf(body, sizeof(body), "disposition%s=restock&disposition%s=scrap", ids, comma + 1);
	web_expect(web_post(&stack, will, path, page, body), 303, NULL);
	snprintf(page, sizeof(page), "/agent/returns/%s", number);
	snprintf(path, sizeof(path), "/agent/returns/%s/settle", number);
	snprintf(body, sizeof(body), "outcome%s=refund&outcome%s=refund", ids, comma + 1);
	web_expect(web_post(&stack, will, path, page, body), 403, NULL);
	web_expect(web_post(&stack, sue, path, page, body), 303, NULL);
	free(ids);
}

START_TEST(a_bad_line_comes_back_with_its_message_and_what_was_typed)
{
	struct jar ann = { 0 };
	char body[512], *hub;

	customer_in(&ann, "ann@alpha.test");
	hub = sql_owner(db, "SELECT id::text FROM products WHERE sku = $1", "HB-9");
	snprintf(body, sizeof(body), "product1=%s&serial1=SN-KEEP&quantity1=1&order_ref1=SO-KEEP"
	    "&delivered_on1=%s&unit_price1=12%%2C50&reason1=defective&request_type1=return",
	    hub, recent);
	free(hub);
	web_expect(web_post(&stack, &ann, "/returns/new", "/returns/new", body), 422,
	    "Give the price paid per unit");
	web_expect(web_post(&stack, &ann, "/returns/new", "/returns/new", body), 422, "SO-KEEP");
	/* Delivered two years ago: outside the window, with the last day. */
	hub = sql_owner(db, "SELECT id::text FROM products WHERE sku = $1", "HB-9");
	snprintf(body, sizeof(body), "product1=%s&quantity1=1&order_ref1=SO-OLD"
	    "&delivered_on1=2024-01-02&unit_price1=10&reason1=defective&request_type1=return", hub);
	free(hub);
	web_expect(web_post(&stack, &ann, "/returns/new", "/returns/new", body), 422,
	    "outside the return window");
	web_expect(web_post(&stack, &ann, "/returns/new", "/returns/new", ""), 422,
	    "Add at least one product");
}
END_TEST

START_TEST(another_customer_gets_404_for_every_url_of_a_return)
{
	struct jar ann = { 0 }, eve = { 0 };
	const char *number;
	char path[96], page[96];

	customer_in(&ann, "ann@alpha.test");
	number = ask(&ann, "SN-A1");
	snprintf(path, sizeof(path), "/returns/%s", number);
	web_expect(web_get(&stack, &ann, path), 200, "Defective");
	customer_in(&eve, "eve@beta.test");
	web_expect(web_get(&stack, &eve, path), 404, NULL);
	snprintf(path, sizeof(path), "/returns/%s/authorisation", number);
	web_expect(web_get(&stack, &eve, path), 404, NULL);
	snprintf(path, sizeof(path), "/returns/%s/cancel", number);
	web_expect(web_post(&stack, &eve, path, "/returns", ""), 404, NULL);
	web_expect(web_get(&stack, &eve, "/returns"), 200, NULL);
	snprintf(path, sizeof(path), "/returns/%s", number);
	web_expect(web_get(&stack, &ann, path), 200, "Requested");
	/* Her own she may cancel, before anything is received. */
	snprintf(path, sizeof(path), "/returns/%s/cancel", number);
	snprintf(page, sizeof(page), "/returns/%s", number);
	web_expect(web_post(&stack, &ann, path, page, ""), 303, NULL);
	web_expect(web_get(&stack, &ann, page), 200, "Cancelled by the customer.");
}
END_TEST

START_TEST(approved_authorised_received_through_the_console)
{
	struct jar ann = { 0 }, sue = { 0 }, alex = { 0 }, will = { 0 };
	const char *number;
	char path[96], page[96];
	struct th_resp r;

	customer_in(&ann, "ann@alpha.test");
	number = ask(&ann, "SN-B2");
	snprintf(page, sizeof(page), "/agent/returns/%s", number);
	snprintf(path, sizeof(path), "/agent/returns/%s/step", number);
	staff_in(&alex, "alex@acme.test");
	/* An agent cannot approve: the page offers no such button, the domain refuses. */
	web_expect(web_post(&stack, &alex, path, page, "step=approve"), 422, "role cannot");
	staff_in(&sue, "sue@acme.test");
	web_expect(web_post(&stack, &sue, path, page, "step=reject"), 422, "Say why");
	web_expect(web_post(&stack, &sue, path, page, "step=approve"), 303, NULL);
	web_expect(web_post(&stack, &alex, path, page, "step=authorise"), 303, NULL);
	snprintf(path, sizeof(path), "/returns/%s/authorisation", number);
	web_expect(web_get(&stack, &ann, path), 200, "1 Dock Road");
	/* The warehouse: its own start page, no tickets, found by serial. */
	staff_in(&will, "will@acme.test");
	r = web_get(&stack, &will, "/agent/");
	ck_assert_int_eq(r.status, 303);
	ck_assert_str_eq(th_header(&r, "Location"), "/agent/returns/warehouse");
	th_resp_free(&r);
	web_expect(web_get(&stack, &will, "/agent/tickets"), 403, NULL);
	r = web_get(&stack, &will, "/agent/returns/warehouse?q=SN-B2");
	ck_assert_int_eq(r.status, 303);
	ck_assert_ptr_nonnull(strstr(th_header(&r, "Location"), number));
	th_resp_free(&r);
	web_expect(web_get(&stack, &will, "/agent/returns/warehouse?q=NOPE"), 404, "No return has");
	snprintf(page, sizeof(page), "/agent/returns/%s/warehouse", number);
	snprintf(path, sizeof(path), "/agent/returns/%s/receive", number);
	web_expect(web_post(&stack, &will, path, page, "received1=3&condition=torn"), 422,
	    "more units than were asked for");
	web_expect(web_post(&stack, &will, path, page, "received1=3&condition=torn+flap"), 422,
	    "torn flap</textarea>");
	web_expect(web_post(&stack, &will, path, page, "received1=2&condition=fine"), 303, NULL);
	snprintf(path, sizeof(path), "/returns/%s", number);
	web_expect(web_get(&stack, &ann, path), 200, "Received");
	settle(number, &will, &sue);
	snprintf(path, sizeof(path), "/returns/%s", number);
	web_expect(web_get(&stack, &ann, path), 200, "Refunded:</strong> 91.00");
}
END_TEST

START_TEST(a_return_is_opened_from_a_ticket_s_page)
{
	struct jar alex = { 0 };
	char *number, path[96];

	number = sql_owner(db, "INSERT INTO tickets (customer_id, requester_id, channel, subject,"
	    " description) SELECT customer_id, id, 'phone', 'Hub is dead', '-' FROM portal_users"
	    " WHERE email = $1 RETURNING number", "ann@alpha.test");
	staff_in(&alex, "alex@acme.test");
	snprintf(path, sizeof(path), "/agent/tickets/%s", number);
	web_expect(web_get(&stack, &alex, path), 200, "/agent/returns/new?ticket=");
	snprintf(path, sizeof(path), "/agent/returns/new?ticket=%s", number);
	web_expect(web_get(&stack, &alex, path), 200, "From ticket");
	free(number);
}
END_TEST

START_TEST(the_report_is_for_supervisors_and_the_policy_keeps_what_was_typed)
{
	struct jar ann = { 0 }, sue = { 0 }, alex = { 0 }, ada = { 0 };
	struct th_resp r;

	customer_in(&ann, "ann@alpha.test");
	ask(&ann, "SN-C3");
	staff_in(&sue, "sue@acme.test");
	r = web_get(&stack, &sue, "/agent/returns/report.csv?by=product");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(th_header(&r, "Content-Type"), "text/csv"));
	ck_assert_ptr_nonnull(strstr(r.body, "product,returns,units_asked"));
	ck_assert_ptr_nonnull(strstr(r.body, "\r\nHub,"));
	th_resp_free(&r);
	web_expect(web_get(&stack, &sue, "/agent/returns/report?from=2026-13-01"), 422,
	    "YYYY-MM-DD");
	staff_in(&alex, "alex@acme.test");
	web_expect(web_get(&stack, &alex, "/agent/returns/report"), 403, NULL);
	staff_in(&ada, "root@acme.test");
	web_expect(web_post(&stack, &ada, "/agent/admin/returns", "/agent/admin/returns",
	    "auto_approve_max=lots&default_window_days=30&ship_to=Dock"), 422, "value=\"lots\"");
	web_expect(web_post(&stack, &ada, "/agent/admin/returns/fees", "/agent/admin/returns",
	    "fee_reason=not_needed&fee_from_days=0&fee_kind=percent&fee_amount=150"), 422,
	    "A percentage is 0 to 100");
	web_expect(web_post(&stack, &ada, "/agent/admin/returns/fees", "/agent/admin/returns",
	    "fee_reason=not_needed&fee_from_days=0&fee_kind=percent&fee_amount=15"), 303, NULL);
	web_expect(web_get(&stack, &ada, "/agent/admin/returns"), 200, "15.00 %");
}
END_TEST

Suite *http_returns_suite(void);

Suite *
http_returns_suite(void)
{
	Suite *s = suite_create("http_returns");
	TCase *tc = tcase_create("returns");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_bad_line_comes_back_with_its_message_and_what_was_typed);
	tcase_add_test(tc, another_customer_gets_404_for_every_url_of_a_return);
	tcase_add_test(tc, approved_authorised_received_through_the_console);
	tcase_add_test(tc, a_return_is_opened_from_a_ticket_s_page);
	tcase_add_test(tc, the_report_is_for_supervisors_and_the_policy_keeps_what_was_typed);
	suite_add_tcase(s, tc);
	return s;
}
