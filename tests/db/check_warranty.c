/*
 * Warranty against a real PostgreSQL: coverage per component from the
 * product's terms (parts 24 / labour 12 at month 18 is parts only), the
 * stored coverage turning at midnight in the customer's time zone through
 * the batch alone, a contract extending it, one registration per serial
 * (another customer's attempt flagged), claims refused for an expired
 * serial unless staff override (audited), the sweep approving a small
 * claim and sending a large one to review (twice run, once done), the
 * state machine's guards, a replacement's own registration, mail once per
 * customer-facing step, renewal reminders once per period, and a customer
 * who cannot see or move another's claim.
 */
#include "../lib/dispatch.h"
#include "../lib/fixtures.h"
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/warranty.h"
#include "domain/warranty_claims.h"
#include "domain/warranty_consumers.h"
#include "domain/warranty_contracts.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *conninfo, *as_portal;
static struct db owner;
static struct arena *arena;
/* One value of test SQL, kept in the test's arena. */
#define val(...) th_arena_valuef(&owner, arena, __VA_ARGS__)
static struct fx_person agent, boss;
static struct warranty_actor staff, supervisor;

static void
suite_setup(void)
{
	conninfo = th_db_create("warranty");
	as_portal = th_db_as(conninfo, "csdesk_portal");
	fx_staff(conninfo, "Wendy Agent", "agent", &agent);
	fx_staff(conninfo, "Sam Supervisor", "agent,supervisor", &boss);
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(as_portal);
	free(conninfo);
}

static void
setup(void)
{
	ck_assert_int_eq(db_open(&owner, conninfo, "check_warranty"), 0);
	arena = arena_new(1 << 16);
	memset(&staff, 0, sizeof(staff));
	staff.kind = WA_STAFF;
	staff.id = agent.id;
	supervisor = staff;
	supervisor.id = boss.id;
	supervisor.supervisor = 1;
	th_dispatch(conninfo);
}

static void
teardown(void)
{
	db_close(&owner);
	arena_free(arena);
}

/* A product with these terms; its id. */
static long long
product(int parts, int labour, int travel)
{
	static int n;

	n++;
	return atoll(val("INSERT INTO products (sku, name, parts_months, labour_months,"
	    " travel_covered) VALUES ('W-%d-%d', 'Washer %d', %d, %d, %s) RETURNING id",
	    (int)getpid(), n, n, parts, labour, travel ? "true" : "false"));
}

/* A date relative to today (UTC): "current_date - interval '18 months'". */
static const char *
date_of(const char *expr)
{
	return val("SELECT (%s)::date::text", expr);
}

/* Registers serial of prod for customer (as staff); the registration's id. */
static long long
reg(const struct fx_person *cust, long long prod, const char *serial, const char *start)
{
	struct warranty_reg_input in;
	const char *why = NULL, *field = NULL;
	long long id = 0;

	memset(&in, 0, sizeof(in));
	in.customer_id = cust->customer_id;
	in.product_id = prod;
	in.serial = serial;
	in.start_date = start;
	ck_assert_msg(warranty_register(&owner, arena, &staff, &in, &id, &why, &field) == CS_OK,
	    "register %s: %s", serial, why ? why : "");
	return id;
}

static char serial_buf[64];

/* A serial nobody has. */
static const char *
serial(void)
{
	static int n;

	snprintf(serial_buf, sizeof(serial_buf), "SN-%d-%d", getpid(), ++n);
	return arena_strdup(arena, serial_buf);
}

static struct warranty_coverage
cover_of(const struct fx_person *cust, const char *sn, const char *at)
{
	struct warranty_coverage c;
	const char *why = NULL;

	ck_assert_msg(warranty_coverage_for(&owner, arena, cust->customer_id, 0, sn, at, &c,
	    &why) == CS_OK, "coverage: %s", why ? why : "");
	return c;
}

START_TEST(parts_24_labour_12_at_month_18_is_parts_only)
{
	struct fx_person c;
	const char *sn = serial();
	struct warranty_coverage now, later;
	const char *start = date_of("current_date - interval '18 months'");

	fx_customer(conninfo, "Petra Parts", NULL, "standard", &c);
	reg(&c, product(24, 12, 1), sn, start);
	now = cover_of(&c, sn, NULL);
	ck_assert(now.part[WARRANTY_PARTS].covered);
	ck_assert(!now.part[WARRANTY_LABOUR].covered);
	ck_assert(!now.part[WARRANTY_TRAVEL].covered);
	ck_assert_str_eq(now.part[WARRANTY_PARTS].by, "warranty");
	ck_assert_msg(strstr(now.words, "Parts covered until") == now.words, "%s", now.words);
	ck_assert_ptr_nonnull(strstr(now.words, "labour ended on"));
	/* Asked for another time: computed, not stored. At month 7 all three. */
	later = cover_of(&c, sn, val("SELECT ('%s'::date + interval '7 months')::text", start));
	ck_assert(later.part[WARRANTY_LABOUR].covered && later.part[WARRANTY_TRAVEL].covered);
}
END_TEST

START_TEST(coverage_turns_at_the_customers_midnight_through_the_batch_alone)
{
	struct fx_person c;
	const char *sn = serial();
	struct warranty_coverage before, after;
	const char *until, *start = date_of("current_date - interval '6 months'");
	long done = 0;

	fx_customer(conninfo, "Kiri Kiwi", NULL, "standard", &c);
	val("UPDATE customers SET time_zone = 'Pacific/Auckland' WHERE id = %lld RETURNING id",
	    c.customer_id);
	reg(&c, product(24, 12, 0), sn, start);
	before = cover_of(&c, sn, NULL);
	ck_assert(before.part[WARRANTY_LABOUR].covered);
	until = before.part[WARRANTY_LABOUR].until;
	/* One minute before midnight in Auckland of the last day: nothing due. */
	ck_assert_int_eq(warranty_coverage_tick(&owner, val("SELECT ((DATE '%s' + 1)"
	    "::timestamp - interval '1 minute') AT TIME ZONE 'Pacific/Auckland'", until), 100,
	    &done), CS_OK);
	ck_assert(cover_of(&c, sn, NULL).part[WARRANTY_LABOUR].covered);
	/* A minute after it: the batch recomputes, nobody saved anything. */
	ck_assert_int_eq(warranty_coverage_tick(&owner, val("SELECT ((DATE '%s' + 1)"
	    "::timestamp + interval '1 minute') AT TIME ZONE 'Pacific/Auckland'", until), 100,
	    &done), CS_OK);
	ck_assert_int_ge(done, 1);
	after = cover_of(&c, sn, NULL);
	ck_assert(!after.part[WARRANTY_LABOUR].covered);
	ck_assert(after.part[WARRANTY_PARTS].covered);
	ck_assert_str_eq(after.part[WARRANTY_LABOUR].until, until);
}
END_TEST

START_TEST(a_contract_extends_cover_at_once)
{
	struct fx_person c;
	const char *sn = serial(), *why = NULL, *field = NULL;
	struct warranty_contract_input k;
	long long prod = product(12, 12, 0), id;
	const char *start = date_of("current_date - interval '2 years'");

	fx_customer(conninfo, "Carla Contract", "Contract Co", "premium", &c);
	reg(&c, prod, sn, start);
	ck_assert(!cover_of(&c, sn, NULL).part[WARRANTY_LABOUR].covered);
	memset(&k, 0, sizeof(k));
	k.customer_id = c.customer_id;
	k.name = "Annual care";
	k.starts_on = date_of("current_date - 30");
	k.ends_on = date_of("current_date + 335");
	k.labour = k.travel = 1;
	k.visits = 2;
	k.response_tier = "premium";
	k.product_id = prod;
	ck_assert_msg(warranty_contract_add(&owner, arena, &staff, &k, &id, &why, &field) == CS_OK,
	    "%s", why ? why : "");
	ck_assert(cover_of(&c, sn, NULL).part[WARRANTY_LABOUR].covered);
	ck_assert_str_eq(cover_of(&c, sn, NULL).part[WARRANTY_LABOUR].by, "contract");
	ck_assert(!cover_of(&c, sn, NULL).part[WARRANTY_PARTS].covered);
	/* An end before the start is refused at the field. */
	k.ends_on = date_of("current_date - 60");
	ck_assert_int_eq(warranty_contract_add(&owner, arena, &staff, &k, &id, &why, &field),
	    CS_REFUSED);
	ck_assert_str_eq(field, "ends_on");
}
END_TEST

/*
 * A service contract's response tier feeds the SLA policy choice: a
 * standard customer's ticket about the contract's product gets the vip
 * policy; about another product, the customer's own.
 */
START_TEST(a_contracts_response_tier_chooses_the_sla_policy)
{
	struct fx_person c;
	struct warranty_contract_input k;
	const char *why = NULL, *field = NULL, *vip, *plain;
	long long prod = product(12, 12, 0), other = product(12, 12, 0), id;

	fx_customer(conninfo, "Tia Tier", "Tier Co", "standard", &c);
	/* A vip policy for low priority, unless the seed has one; the two
	 * tiers' policies must differ for the test to tell them apart. */
	val("INSERT INTO business_calendars (name, time_zone, always_open)"
	    " VALUES ('Tier 24x7', 'UTC', true) RETURNING id");
	val("INSERT INTO sla_policies (name, tier, priority, calendar_id, first_response_minutes,"
	    " next_response_minutes, resolution_minutes) SELECT 'Tier vip low', 'vip', 'low', b.id,"
	    " 30, 30, 300 FROM business_calendars b WHERE b.name = 'Tier 24x7'"
	    " ON CONFLICT DO NOTHING RETURNING 1");
	vip = val("SELECT name FROM sla_policies WHERE id = sla_policy_for('vip', 'low', NULL)");
	plain = val("SELECT coalesce((SELECT name FROM sla_policies WHERE id ="
	    " sla_policy_for('standard', 'low', NULL)), '')");
	ck_assert_str_ne(vip, plain);
	memset(&k, 0, sizeof(k));
	k.customer_id = c.customer_id;
	k.name = "Gold care";
	k.starts_on = date_of("current_date - 10");
	k.ends_on = date_of("current_date + 355");
	k.labour = 1;
	k.response_tier = "vip";
	k.product_id = prod;
	ck_assert_msg(warranty_contract_add(&owner, arena, &staff, &k, &id, &why, &field) == CS_OK,
	    "%s", why ? why : "");
	ck_assert_str_eq(val("WITH t AS (INSERT INTO tickets (customer_id, channel, type, subject,"
	    " description, urgency, priority, language, product_id) VALUES (%lld, 'phone',"
	    " 'question', 'Washer noise', 'Loud.', 'normal', 'low', 'en', %lld) RETURNING id)"
	    " SELECT p.name FROM t, sla_policies p WHERE p.id = sla_ticket_start(t.id)",
	    c.customer_id, prod), vip);
	ck_assert_str_eq(val("WITH t AS (INSERT INTO tickets (customer_id, channel, type, subject,"
	    " description, urgency, priority, language, product_id) VALUES (%lld, 'phone',"
	    " 'question', 'Other noise', 'Loud.', 'normal', 'low', 'en', %lld) RETURNING id)"
	    " SELECT coalesce((SELECT p.name FROM t, sla_policies p"
	    " WHERE p.id = sla_ticket_start(t.id)), '')", c.customer_id, other), plain);
}
END_TEST

START_TEST(a_serial_registers_once_and_another_customers_attempt_is_flagged)
{
	struct fx_person a, b;
	struct warranty_reg_input in;
	struct warranty_actor cust_b = { WA_CUSTOMER, 0, 0, 0 };
	const char *sn = serial(), *why = NULL, *field = NULL;
	long long prod = product(12, 12, 0), id, first;
	const char *start = date_of("current_date - 10");

	fx_customer(conninfo, "Anna First", NULL, "standard", &a);
	fx_customer(conninfo, "Bert Second", NULL, "standard", &b);
	first = reg(&a, prod, sn, start);
	memset(&in, 0, sizeof(in));
	in.customer_id = a.customer_id;
	in.product_id = prod;
	in.serial = arena_printf(arena, " %s ", sn);	/* spaces do not make it another */
	in.start_date = start;
	ck_assert_int_eq(warranty_register(&owner, arena, &staff, &in, &id, &why, &field),
	    CS_REFUSED);
	ck_assert_str_eq(field, "serial");
	ck_assert_ptr_nonnull(strstr(why, "already registered"));
	cust_b.id = b.id;
	cust_b.customer_id = b.customer_id;
	ck_assert_int_eq(warranty_register(&owner, arena, &cust_b, &in, &id, &why, &field),
	    CS_TAKEN);
	ck_assert_ptr_nonnull(strstr(why, "another customer"));
	ck_assert_str_eq(val("SELECT count(*) FROM warranty_serial_flags WHERE"
	    " registration_id = %lld AND customer_id = %lld", first, b.customer_id), "1");
	/* Bad input: a date in the future, a serial too long. */
	in.serial = serial();
	in.start_date = date_of("current_date + 2");
	ck_assert_int_eq(warranty_register(&owner, arena, &staff, &in, &id, &why, &field),
	    CS_REFUSED);
	ck_assert_str_eq(field, "start_date");
	in.start_date = "14/03/2026";
	ck_assert_int_eq(warranty_register(&owner, arena, &staff, &in, &id, &why, &field),
	    CS_REFUSED);
	ck_assert_str_eq(field, "start_date");
	in.start_date = start;
	in.serial = "X123456789012345678901234567890123456789012345678901234567890"
	    "12345678901234567890123456789012345678901";
	ck_assert_int_eq(warranty_register(&owner, arena, &staff, &in, &id, &why, &field),
	    CS_REFUSED);
	ck_assert_str_eq(field, "serial");
}
END_TEST

/* Opens and submits a claim on registration r as by; CS result, *id. */
static enum cs_result
claim(const struct warranty_actor *by, long long r, const char *override, long long *id,
    const char **why)
{
	struct warranty_claim_input in;
	const char *field;

	memset(&in, 0, sizeof(in));
	in.registration_id = r;
	in.problem = "It leaks from the door seal.";
	in.submit = 1;
	in.override_reason = override;
	return warranty_claim_open(&owner, arena, by, &in, id, why, &field);
}

/* A count from the query fmt, which names one id (%lld). */
#define count(fmt, id) atoll(val(fmt, (long long)(id)))

START_TEST(an_expired_serial_is_refused_and_an_override_is_audited)
{
	struct fx_person c;
	const char *why = NULL;
	long long r, id;

	fx_customer(conninfo, "Olga Old", NULL, "standard", &c);
	r = reg(&c, product(12, 12, 0), serial(), date_of("current_date - interval '3 years'"));
	ck_assert_int_eq(claim(&staff, r, NULL, &id, &why), CS_REFUSED);
	ck_assert_msg(strstr(why, "ended on") != NULL, "%s", why);
	ck_assert_int_eq(claim(&staff, r, "Goodwill: failed a week after the warranty", &id, &why),
	    CS_OK);
	th_dispatch(conninfo);
	th_dispatch(conninfo);
	ck_assert_int_eq(count("SELECT count(*) FROM audit_log WHERE action = 'warranty.override'"
	    " AND object_id = 'WC-' || lpad('%lld', 6, '0')", id), 1);
	/* An override is never approved without a review. */
	{
		long approved = 0, reviewed = 0;

		val("UPDATE warranty_claims SET parts_cost = 10 WHERE id = %lld RETURNING id", id);
		ck_assert_int_eq(warranty_claims_sweep(&owner, &approved, &reviewed), CS_OK);
		ck_assert_int_eq(count("SELECT count(*) FROM warranty_claims WHERE id = %lld"
		    " AND state = 'under_review'", id), 1);
	}
}
END_TEST

/* Sets claim id's costs as staff. */
static void
costs(long long id, const char *labour, const char *parts)
{
	const char *why = NULL, *field = NULL;

	ck_assert_msg(warranty_claim_costs(&owner, arena, &staff, id, labour, parts, "0", &why,
	    &field) == CS_OK, "%s", why ? why : "");
}

START_TEST(a_small_claim_auto_approves_and_a_large_one_is_reviewed)
{
	struct fx_person c;
	struct warranty_claim_move m;
	const char *why = NULL, *field = NULL;
	long long prod = product(24, 12, 0), small, large;
	long approved = 0, reviewed = 0;
	const char *start = date_of("current_date - 20");

	fx_customer(conninfo, "Sven Sweep", NULL, "standard", &c);
	ck_assert_int_eq(claim(&staff, reg(&c, prod, serial(), start), NULL, &small, &why), CS_OK);
	ck_assert_int_eq(claim(&staff, reg(&c, prod, serial(), start), NULL, &large, &why), CS_OK);
	costs(small, "60", "40.50");
	costs(large, "300", "150");
	ck_assert_int_eq(warranty_claims_sweep(&owner, &approved, &reviewed), CS_OK);
	ck_assert_int_eq(warranty_claims_sweep(&owner, &approved, &reviewed), CS_OK);
	ck_assert_int_ge(approved, 1);
	ck_assert_int_eq(count("SELECT count(*) FROM warranty_claims WHERE id = %lld"
	    " AND state = 'approved'", small), 1);
	ck_assert_int_eq(count("SELECT count(*) FROM warranty_claims WHERE id = %lld"
	    " AND state = 'under_review'", large), 1);
	/* Run twice, moved once: one event per move. */
	ck_assert_int_eq(count("SELECT count(*) FROM domain_events WHERE aggregate ="
	    " 'warranty_claim' AND aggregate_id = %lld AND type = 'warranty_claim.moved'", small), 2);
	/* An agent may not approve; a supervisor may; the costs are fixed then. */
	memset(&m, 0, sizeof(m));
	m.to = WC_APPROVED;
	ck_assert_int_eq(warranty_claim_move(&owner, arena, &staff, large, &m, &why, &field),
	    CS_REFUSED);
	ck_assert_ptr_nonnull(strstr(why, "supervisor"));
	m.to = WC_REJECTED;
	ck_assert_int_eq(warranty_claim_move(&owner, arena, &supervisor, large, &m, &why, &field),
	    CS_REFUSED);
	ck_assert_str_eq(field, "reason");
	m.to = WC_APPROVED;
	ck_assert_int_eq(warranty_claim_move(&owner, arena, &supervisor, large, &m, &why, &field),
	    CS_OK);
	ck_assert_int_eq(warranty_claim_costs(&owner, arena, &staff, large, "1", "1", "1", &why,
	    &field), CS_REFUSED);
	/* Not from approved straight to closed. */
	m.to = WC_CLOSED;
	ck_assert_int_eq(warranty_claim_move(&owner, arena, &staff, large, &m, &why, &field),
	    CS_REFUSED);
}
END_TEST

START_TEST(a_replacement_gets_its_own_registration_and_each_step_mails_once)
{
	struct fx_person c;
	struct warranty_claim_move m;
	struct warranty_claim got;
	const char *why = NULL, *field = NULL, *newsn;
	long long prod = product(24, 24, 0), id, old;
	long approved = 0, reviewed = 0;

	fx_customer(conninfo, "Rita Replace", NULL, "standard", &c);
	old = reg(&c, prod, serial(), date_of("current_date - 100"));
	ck_assert_int_eq(claim(&staff, old, NULL, &id, &why), CS_OK);
	costs(id, "20", "30");
	ck_assert_int_eq(warranty_claims_sweep(&owner, &approved, &reviewed), CS_OK);
	memset(&m, 0, sizeof(m));
	m.to = WC_FULFILLED;
	m.fulfilment = "replacement";
	ck_assert_int_eq(warranty_claim_move(&owner, arena, &staff, id, &m, &why, &field),
	    CS_REFUSED);
	ck_assert_str_eq(field, "replacement_serial");
	m.replacement_serial = newsn = serial();
	ck_assert_msg(warranty_claim_move(&owner, arena, &staff, id, &m, &why, &field) == CS_OK,
	    "%s", why ? why : "");
	ck_assert_int_eq(warranty_claim_get(&owner, arena, id, 0, &got), CS_OK);
	ck_assert_int_gt(got.replacement_id, 0);
	ck_assert_str_eq(got.covered_total, "50.00");
	ck_assert_int_eq(count("SELECT count(*) FROM warranty_registrations WHERE id = %lld"
	    " AND source = 'replacement' AND start_date = current_date", got.replacement_id), 1);
	ck_assert(cover_of(&c, newsn, NULL).part[WARRANTY_LABOUR].covered);
	/* submitted, approved, fulfilled: three mails, however often the dispatcher runs. */
	th_dispatch(conninfo);
	th_dispatch(conninfo);
	ck_assert_int_eq(count("SELECT count(*) FROM notifications WHERE kind = 'warranty_claim'"
	    " AND subject LIKE '%%' || 'WC-' || lpad('%lld', 6, '0') || '%%'", id), 3);
}
END_TEST

START_TEST(a_customer_cannot_see_or_move_another_customers_claim)
{
	struct fx_person a, b;
	struct warranty_actor as_b = { WA_CUSTOMER, 0, 0, 0 };
	struct warranty_claim got;
	struct warranty_claim_move m;
	struct db portal;
	const char *why = NULL, *field = NULL;
	long long id;
	char *scope;

	fx_customer(conninfo, "Alma Own", NULL, "standard", &a);
	fx_customer(conninfo, "Boris Other", NULL, "standard", &b);
	ck_assert_int_eq(claim(&staff, reg(&a, product(12, 12, 0), serial(),
	    date_of("current_date - 5")), NULL, &id, &why), CS_OK);
	as_b.id = b.id;
	as_b.customer_id = b.customer_id;
	ck_assert_int_eq(db_open(&portal, as_portal, "check_warranty_portal"), 0);
	scope = th_valuef(&portal, "SELECT set_config('csdesk.customer_id', '%lld', false)",
	    b.customer_id);
	free(scope);
	/* Even asked without the customer filter, row-level security hides it. */
	ck_assert_int_eq(warranty_claim_get(&portal, arena, id, 0, &got), CS_NOT_FOUND);
	ck_assert_int_eq(warranty_claim_get(&owner, arena, id, b.customer_id, &got), CS_NOT_FOUND);
	memset(&m, 0, sizeof(m));
	m.to = WC_CLOSED;
	ck_assert_int_eq(warranty_claim_move(&portal, arena, &as_b, id, &m, &why, &field),
	    CS_NOT_FOUND);
	db_close(&portal);
}
END_TEST

START_TEST(a_renewal_reminder_goes_once_per_period)
{
	struct fx_person c;
	struct warranty_contract_input k;
	struct warranty_step_counts n;
	const char *why = NULL, *field = NULL;
	long long prod = product(12, 12, 0), id;

	fx_customer(conninfo, "Rene Renew", NULL, "standard", &c);
	reg(&c, prod, serial(), date_of("current_date - 5"));
	memset(&k, 0, sizeof(k));
	k.customer_id = c.customer_id;
	k.name = "Care plan";
	k.starts_on = date_of("current_date - 355");
	k.ends_on = date_of("current_date + 10");
	k.parts = 1;
	k.response_tier = "standard";
	k.product_id = prod;
	ck_assert_int_eq(warranty_contract_add(&owner, arena, &staff, &k, &id, &why, &field),
	    CS_OK);
	memset(&n, 0, sizeof(n));
	ck_assert_int_eq(warranty_step(&owner, &n), CS_OK);
	ck_assert_int_eq(warranty_step(&owner, &n), CS_OK);
	th_dispatch(conninfo);
	th_dispatch(conninfo);
	ck_assert_int_eq(count("SELECT count(*) FROM notifications WHERE kind = 'warranty_renewal'"
	    " AND recipient = (SELECT email FROM portal_users WHERE id = %lld)", c.id), 1);
}
END_TEST

Suite *warranty_suite(void);

Suite *
warranty_suite(void)
{
	Suite *s = suite_create("warranty");
	TCase *tc = tcase_create("warranty");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, parts_24_labour_12_at_month_18_is_parts_only);
	tcase_add_test(tc, coverage_turns_at_the_customers_midnight_through_the_batch_alone);
	tcase_add_test(tc, a_contract_extends_cover_at_once);
	tcase_add_test(tc, a_contracts_response_tier_chooses_the_sla_policy);
	tcase_add_test(tc, a_serial_registers_once_and_another_customers_attempt_is_flagged);
	tcase_add_test(tc, an_expired_serial_is_refused_and_an_override_is_audited);
	tcase_add_test(tc, a_small_claim_auto_approves_and_a_large_one_is_reviewed);
	tcase_add_test(tc, a_replacement_gets_its_own_registration_and_each_step_mails_once);
	tcase_add_test(tc, a_customer_cannot_see_or_move_another_customers_claim);
	tcase_add_test(tc, a_renewal_reminder_goes_once_per_period);
	suite_add_tcase(s, tc);
	return s;
}
