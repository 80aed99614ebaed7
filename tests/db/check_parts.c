/*
 * Service parts against a real PostgreSQL: a van with min 2 / max 6 /
 * multiple 2 and 1 in stock gets a proposal of 6 (once); using more than
 * the van has is refused with the shortage named and moves nothing; the
 * same usage form twice records one; a covered part is billed at 0 and
 * counted as warranty cost on the job report and in the stored charges;
 * an overdue loaner's reminder is sent once; a part request puts the
 * ticket in "waiting for parts" and the transfer's arrival takes it back;
 * an audit records its variance; a customer reads only their own report.
 */
#include "../lib/dispatch.h"
#include "../lib/fixtures.h"
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/field.h"
#include "domain/parts.h"
#include "domain/parts_consumers.h"
#include "domain/parts_job.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *conninfo;
static struct db owner;
static struct arena *arena;
/* One value of test SQL, kept in the test's arena. */
#define val(...) th_arena_valuef(&owner, arena, __VA_ARGS__)
static struct fx_person agent;
static struct field_actor boss;

static void
suite_setup(void)
{
	conninfo = th_db_create("parts");
	fx_staff(conninfo, "Sam Stock", "agent,supervisor", &agent);
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
	ck_assert_int_eq(db_open(&owner, conninfo, "check_parts"), 0);
	arena = arena_new(1 << 16);
	boss.staff_id = agent.id;
}

static void
teardown(void)
{
	db_close(&owner);
	arena_free(arena);
}

static long long
num(const char *s)
{
	return atoll(s);
}

/* A unique text for names that must not repeat across tests. */
static const char *
uniq(const char *prefix)
{
	static int n;

	return arena_printf(arena, "%s-%d-%d", prefix, (int)getpid(), ++n);
}

/* A part of the catalogue with this price; its id. */
static long long
part(const char *number, const char *cost, const char *price)
{
	struct parts_part_in in = { number, "Ignition board", cost, price, 0, 1, "", NULL, 0 };
	const char *why = NULL;
	long long id = 0;

	ck_assert_msg(parts_save(&owner, arena, 0, &in, &id, &why) == CS_OK, "part: %s",
	    why ? why : "");
	return id;
}

/* A warehouse called name; its id. */
static long long
warehouse(const char *name)
{
	const char *why = NULL;
	long long id = 0;

	ck_assert_int_eq(parts_location_add(&owner, arena, name, 0, 0, &id, &why), CS_OK);
	return id;
}

struct job {
	long long tech, van, appointment, ticket;
	struct fx_person cust;
};

/*
 * A technician with a van called van_name (replenished from source), a
 * customer, their ticket (about serial of product when given) and a job
 * checked in today.
 */
static void
job(struct job *j, const char *van_name, long long source, long long product, const char *serial)
{
	struct fx_person t;
	struct fx_ticket tk;
	struct field_booking b = { 0 };
	struct field_checkpoint in = { 0 };
	struct field_actor me;
	const char *why = NULL;

	fx_staff(conninfo, uniq("Tech"), "technician", &t);
	val("INSERT INTO technicians (staff_id, travel_buffer_min) VALUES (%lld, 0)"
	    " RETURNING staff_id", t.id);
	j->tech = t.id;
	ck_assert_int_eq(parts_location_add(&owner, arena, van_name, t.id, source, &j->van, &why),
	    CS_OK);
	fx_customer(conninfo, uniq("Cust"), NULL, "standard", &j->cust);
	fx_ticket(conninfo, &j->cust, "The boiler stopped", &tk);
	j->ticket = tk.id;
	if (product > 0)
		val("UPDATE tickets SET product_id = %lld, serial = '%s' WHERE id = %lld RETURNING id",
		    product, serial, tk.id);
	b.ticket_id = tk.id;
	b.technician_id = t.id;
	b.starts_at = val("SELECT to_char(now() - interval '1 hour', 'YYYY-MM-DD HH24:MI:SSOF')");
	b.ends_at = val("SELECT to_char(now() + interval '1 hour', 'YYYY-MM-DD HH24:MI:SSOF')");
	b.skill = b.postcode = b.address = b.summary = "";
	ck_assert_msg(field_book(&owner, arena, &boss, &b, &j->appointment, &why) == CS_OK,
	    "book: %s", why ? why : "");
	me.staff_id = t.id;
	in.token = uniq("in");
	in.note = "Indoors";
	ck_assert_int_eq(field_check_in(&owner, arena, &me, j->appointment, &in, &why), CS_OK);
}

static enum cs_result
use(const struct job *j, long long part_id, int qty, enum parts_use_kind kind, const char *due,
    const char *token, const char **why)
{
	struct field_actor me = { .staff_id = j->tech };
	struct parts_use_in in = { j->appointment, part_id, qty, kind, due, NULL, token };

	return parts_use(&owner, arena, &me, &in, why);
}

static void
receive(long long location, long long part_id, int qty)
{
	const char *why = NULL;

	ck_assert_int_eq(parts_receive(&owner, arena, &boss, location, part_id, qty, &why), CS_OK);
}

START_TEST(a_van_below_min_gets_a_proposal_up_to_max_in_multiples)
{
	long long wh = warehouse(uniq("Central")), p = part(uniq("P"), "10", "25"), xfer;
	struct job j;
	const char *why = NULL;
	long proposed = 0;

	job(&j, uniq("Van"), wh, 0, NULL);
	receive(j.van, p, 1);
	ck_assert_int_eq(parts_level_set(&owner, arena, j.van, p, 2, 6, 2, &why), CS_OK);
	ck_assert_int_eq(parts_level_set(&owner, arena, j.van, p, 3, 2, 1, &why), CS_REFUSED);
	ck_assert_int_eq(parts_propose(&owner, &proposed), CS_OK);
	ck_assert_int_ge(proposed, 1);
	ck_assert_str_eq(val("SELECT string_agg(qty || ' ' || status || ' ' || from_id, ',')"
	    " FROM stock_transfers WHERE to_id = %lld AND part_id = %lld", j.van, p),
	    arena_printf(arena, "6 proposed %lld", wh));
	/* The night after: what is on its way counts; nothing is proposed twice. */
	ck_assert_int_eq(parts_propose(&owner, &proposed), CS_OK);
	ck_assert_str_eq(val("SELECT count(*) FROM stock_transfers WHERE to_id = %lld", j.van), "1");
	/* The supervisor edits it to 4: the warehouse has 3, so it is refused by name. */
	xfer = num(val("SELECT id FROM stock_transfers WHERE to_id = %lld", j.van));
	receive(wh, p, 3);
	ck_assert_int_eq(parts_transfer_approve(&owner, arena, &boss, xfer, 4, &why), CS_REFUSED);
	ck_assert_str_eq(why, arena_printf(arena, "%s has 3 of %s, 4 needed.",
	    val("SELECT name FROM stock_locations WHERE id = %lld", wh),
	    val("SELECT number FROM parts WHERE id = %lld", p)));
	ck_assert_int_eq(parts_transfer_approve(&owner, arena, &boss, xfer, 2, &why), CS_OK);
	ck_assert_str_eq(val("SELECT reserved FROM stock_levels WHERE location_id = %lld", wh), "2");
	ck_assert_int_eq(parts_transfer_receive(&owner, arena, &boss, xfer, &why), CS_OK);
	ck_assert_str_eq(val("SELECT string_agg(location_id || ':' || on_hand || '/' || reserved, ','"
	    " ORDER BY location_id) FROM stock_levels WHERE part_id = %lld", p),
	    arena_printf(arena, "%lld:1/0,%lld:3/0", wh, j.van));
	ck_assert_str_eq(val("SELECT kind || ' ' || qty FROM stock_movements WHERE transfer_id = %lld",
	    xfer), "transfer 2");
}
END_TEST

START_TEST(a_shortage_is_refused_with_its_name_and_a_form_sent_twice_counts_once)
{
	long long p = part(uniq("P"), "10", "25");
	const char *van = uniq("Van"), *number = val("SELECT number FROM parts WHERE id = %lld", p);
	const char *why = NULL;
	struct job j;

	job(&j, van, 0, 0, NULL);
	receive(j.van, p, 1);
	ck_assert_int_eq(use(&j, p, 2, PARTS_INSTALLED, NULL, "u-1", &why), CS_REFUSED);
	ck_assert_str_eq(why, arena_printf(arena, "%s has 1 of %s, 2 needed.", van, number));
	ck_assert_str_eq(val("SELECT count(*) FROM part_usages WHERE appointment_id = %lld",
	    j.appointment), "0");
	ck_assert_int_eq(use(&j, p, 1, PARTS_INSTALLED, NULL, "u-2", &why), CS_OK);
	ck_assert_int_eq(use(&j, p, 1, PARTS_INSTALLED, NULL, "u-2", &why), CS_OK);
	ck_assert_str_eq(val("SELECT count(*) || ' ' || sum(qty) FROM stock_movements"
	    " WHERE part_id = %lld AND kind = 'use'", p), "1 1");
	ck_assert_str_eq(val("SELECT on_hand FROM stock_levels WHERE location_id = %lld", j.van), "0");
	/* Never below zero, even asked directly. */
	ck_assert_int_eq(parts_move(&owner, arena, &boss, j.van, warehouse(uniq("Back")), p, 1, &why),
	    CS_REFUSED);
	ck_assert_str_eq(why, arena_printf(arena, "%s has 0 of %s, 1 needed.", van, number));
}
END_TEST

/* A product whose parts are under warranty for 24 months, labour for 0. */
static long long
covered_product(void)
{
	return num(val("INSERT INTO products (sku, name, parts_months, labour_months,"
	    " travel_covered) VALUES ('%s', 'Boiler', 24, 0, false) RETURNING id", uniq("B")));
}

START_TEST(a_covered_part_is_billed_at_zero_and_counted_as_warranty_cost)
{
	long long prod = covered_product(), p = part(uniq("P"), "40.00", "120.00");
	const char *serial = uniq("SN"), *why = NULL, *sha = NULL;
	struct parts_job_report r;
	struct field_actor me;
	struct field_checkpoint out = { 0 };
	struct job j;
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0 };

	job(&j, uniq("Van"), 0, prod, serial);
	val("INSERT INTO warranty_registrations (customer_id, product_id, serial, start_date,"
	    " source) VALUES (%lld, %lld, '%s', current_date - 30, 'console') RETURNING id",
	    j.cust.customer_id, prod, serial);
	receive(j.van, p, 2);
	ck_assert_int_eq(use(&j, p, 1, PARTS_INSTALLED, NULL, uniq("u"), &why), CS_OK);
	me.staff_id = j.tech;
	out.token = uniq("out");
	out.note = "Indoors";
	ck_assert_int_eq(field_check_out(&owner, arena, &me, j.appointment, &out, &why), CS_OK);
	ck_assert_int_eq(field_sign(&owner, arena, &me, j.appointment, png, sizeof(png), &sha,
	    &why), CS_OK);
	/* Not completed yet: no report. */
	ck_assert_int_eq(parts_job_report(&owner, arena, j.appointment, 0, &r), CS_NOT_FOUND);
	ck_assert_int_eq(field_complete(&owner, arena, &me, j.appointment, "New board", 60, 30,
	    &why), CS_OK);
	ck_assert_int_eq(parts_job_report(&owner, arena, j.appointment, 0, &r), CS_OK);
	ck_assert_uint_eq(r.n, 3);
	/* Labour 60 min at 90.00 and travel 30 min at 45.00: not covered, charged. */
	ck_assert_int_eq(r.lines[0].charged, 9000);
	ck_assert_int_eq(r.lines[1].charged, 2250);
	/* The board: 120.00 before cover, 0 charged, warranty cost. */
	ck_assert_int_eq(r.lines[2].amount, 12000);
	ck_assert_int_eq(r.lines[2].charged, 0);
	ck_assert_str_eq(r.lines[2].covered_by, "warranty");
	ck_assert_int_eq(r.covered_warranty, 12000);
	ck_assert_int_eq(r.charged, 11250);
	ck_assert_str_eq(r.signature_sha256, sha);
	ck_assert_ptr_nonnull(strstr(r.signature_url, "data:image/png;base64,"));
	/* The stored charges the reports read, once the completion's event is handled. */
	th_dispatch(conninfo);
	ck_assert_str_eq(val("SELECT parts || ' ' || parts_cost || ' ' || covered_warranty || ' '"
	    " || covered_contract FROM job_charges WHERE appointment_id = %lld", j.appointment),
	    "120.00 40.00 120.00 0.00");
}
END_TEST

START_TEST(a_customer_reads_only_their_own_report)
{
	struct parts_job_report r;
	struct field_actor me;
	struct field_checkpoint out = { 0 };
	struct job j;
	const char *why = NULL;

	val("UPDATE settings SET value = 'false' WHERE key = 'field_signature_required'"
	    " RETURNING key");
	job(&j, uniq("Van"), 0, 0, NULL);
	me.staff_id = j.tech;
	out.token = uniq("out");
	out.note = "Indoors";
	ck_assert_int_eq(field_check_out(&owner, arena, &me, j.appointment, &out, &why), CS_OK);
	ck_assert_int_eq(field_complete(&owner, arena, &me, j.appointment, "", 10, 0, &why), CS_OK);
	val("UPDATE settings SET value = 'true' WHERE key = 'field_signature_required'"
	    " RETURNING key");
	ck_assert_int_eq(parts_job_report(&owner, arena, j.appointment, j.cust.customer_id, &r),
	    CS_OK);
	ck_assert_int_eq(parts_job_report(&owner, arena, j.appointment, j.cust.customer_id + 1000,
	    &r), CS_NOT_FOUND);
}
END_TEST

START_TEST(an_overdue_loaner_is_reminded_once)
{
	long long p = part(uniq("P"), "0", "0");
	const char *why = NULL;
	struct job j;
	long n = 0;

	job(&j, uniq("Van"), 0, 0, NULL);
	receive(j.van, p, 1);
	ck_assert_int_eq(use(&j, p, 1, PARTS_LOANER, NULL, uniq("u"), &why), CS_REFUSED);
	ck_assert_int_eq(use(&j, p, 1, PARTS_LOANER, val("SELECT (current_date + 7)::text"),
	    uniq("u"), &why), CS_OK);
	/* Not due yet: nothing. */
	ck_assert_int_eq(parts_loans_remind(&owner, &n), CS_OK);
	val("UPDATE part_usages SET due_on = current_date - 1 WHERE appointment_id = %lld"
	    " RETURNING id", j.appointment);
	ck_assert_int_eq(parts_loans_remind(&owner, &n), CS_OK);
	ck_assert_int_ge(n, 1);
	th_dispatch(conninfo);
	ck_assert_int_eq(parts_loans_remind(&owner, &n), CS_OK);
	th_dispatch(conninfo);
	ck_assert_str_eq(val("SELECT count(*) FROM notifications WHERE kind = 'part_loan_overdue'"
	    " AND recipient = '%s'", j.cust.email), "1");
	/* Returned: back in the van. */
	ck_assert_int_eq(parts_return(&owner, arena, &(struct field_actor){ .staff_id = j.tech },
	    num(val("SELECT id FROM part_usages WHERE appointment_id = %lld", j.appointment)),
	    &why), CS_OK);
	ck_assert_str_eq(val("SELECT on_hand FROM stock_levels WHERE location_id = %lld", j.van), "1");
}
END_TEST

START_TEST(a_part_request_waits_for_parts_and_the_transfer_brings_the_ticket_back)
{
	long long wh = warehouse(uniq("North")), p = part(uniq("P"), "10", "25"), xfer;
	struct field_actor me;
	const char *why = NULL;
	struct job j;

	job(&j, uniq("Van"), wh, 0, NULL);
	receive(wh, p, 5);
	me.staff_id = j.tech;
	/* Its SLA policy pauses while waiting for parts (the existing pause machinery). */
	val("UPDATE sla_policies SET pause_statuses = '{pending_customer,pending_parts}'"
	    " WHERE id = (SELECT sla_policy_id FROM tickets WHERE id = %lld) RETURNING id", j.ticket);
	ck_assert_int_eq(parts_request(&owner, arena, &me, j.appointment, p, 2, "rq-1", &why), CS_OK);
	ck_assert_int_eq(parts_request(&owner, arena, &me, j.appointment, p, 2, "rq-1", &why), CS_OK);
	ck_assert_str_eq(val("SELECT status || ' ' || (sla_paused_at IS NOT NULL) FROM tickets"
	    " WHERE id = %lld", j.ticket), "pending_parts true");
	ck_assert_str_eq(val("SELECT count(*) || ' ' || min(x.status) FROM part_requests r"
	    " JOIN stock_transfers x ON x.id = r.transfer_id WHERE r.ticket_id = %lld", j.ticket),
	    "1 approved");
	ck_assert_str_eq(val("SELECT reserved FROM stock_levels WHERE location_id = %lld", wh), "2");
	xfer = num(val("SELECT transfer_id FROM part_requests WHERE ticket_id = %lld",
	    j.ticket));
	ck_assert_int_eq(parts_transfer_receive(&owner, arena, &boss, xfer, &why), CS_OK);
	ck_assert_int_eq(parts_transfer_receive(&owner, arena, &boss, xfer, &why), CS_REFUSED);
	ck_assert_str_eq(val("SELECT status || ' ' || (sla_paused_at IS NOT NULL) FROM tickets"
	    " WHERE id = %lld", j.ticket), "in_progress false");
	ck_assert_str_eq(val("SELECT on_hand FROM stock_levels WHERE location_id = %lld", j.van), "2");
	/* The ticket's history says why it waited and came back. */
	ck_assert_str_eq(val("SELECT string_agg(new_value, ',' ORDER BY id) LIKE"
	    " '%%pending_parts,in_progress' FROM ticket_events WHERE ticket_id = %lld"
	    " AND field = 'status'", j.ticket), "t");
}
END_TEST

START_TEST(a_van_audit_records_the_variance_and_adjusts_stock)
{
	long long p = part(uniq("P"), "10", "25"), q = part(uniq("Q"), "1", "2"), audit = 0;
	struct parts_audit_line *l;
	struct parts_count c[2];
	const char *why = NULL;
	struct job j;
	size_t n;

	job(&j, uniq("Van"), 0, 0, NULL);
	receive(j.van, p, 5);
	c[0].part_id = p;
	c[0].counted = 3;
	c[1].part_id = q;
	c[1].counted = 1;
	ck_assert_int_eq(parts_audit(&owner, arena, &boss, j.van, c, 2, &audit, &why), CS_OK);
	ck_assert_int_eq(parts_audit_lines(&owner, arena, j.van, &l, &n), CS_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(l[0].expected + l[1].expected, 5);
	ck_assert_int_eq(l[0].variance + l[1].variance, -1);
	ck_assert_str_eq(val("SELECT string_agg(coalesce(from_id, 0) || '>' || coalesce(to_id, 0)"
	    " || ' ' || qty, ',' ORDER BY part_id) FROM stock_movements WHERE audit_id = %lld",
	    audit), arena_printf(arena, "%lld>0 2,0>%lld 1", j.van, j.van));
	ck_assert_str_eq(val("SELECT string_agg(on_hand::text, ',' ORDER BY part_id) FROM stock_levels"
	    " WHERE location_id = %lld", j.van), "3,1");
}
END_TEST

/*
 * The demo, on a database of its own, twice: two vans with stock, every
 * level what its movements add up to, the completed job's parts and
 * charges, and one van below its min for the nightly proposal (of 6).
 */
START_TEST(the_demo_has_vans_stock_and_a_job_with_parts)
{
	char *demo = th_db_create("parts_demo"), *v;
	struct db d;
	long proposed = 0;
	int i;

	for (i = 0; i < 2; i++)
		ck_assert_int_eq(th_sh("CSDESK_DB='%s' CSDESK_DATADIR='%s' '%s/csdesk' demo"
		    " > /dev/null", demo, th_datadir(), th_build_dir()), 0);
	ck_assert_int_eq(db_open(&d, demo, "check_parts_demo"), 0);
	v = th_value(&d, "SELECT count(*) FILTER (WHERE kind = 'van') || ' '"
	    " || count(*) FILTER (WHERE kind = 'warehouse') FROM stock_locations");
	ck_assert_str_eq(v, "2 2");
	free(v);
	/* In minus out, per location and part, is what is on hand. */
	v = th_value(&d, "SELECT count(*) FROM stock_levels l FULL JOIN (SELECT loc, part_id,"
	    " sum(q) AS q FROM (SELECT to_id AS loc, part_id, qty AS q FROM stock_movements"
	    " WHERE to_id IS NOT NULL UNION ALL SELECT from_id, part_id, -qty FROM stock_movements"
	    " WHERE from_id IS NOT NULL) s GROUP BY 1, 2) m ON m.loc = l.location_id"
	    " AND m.part_id = l.part_id WHERE l.on_hand IS DISTINCT FROM m.q");
	ck_assert_str_eq(v, "0");
	free(v);
	v = th_value(&d, "SELECT count(*) || ' ' || (SELECT count(*) FROM job_charges)"
	    " FROM part_usages");
	ck_assert_str_eq(v, "3 1");
	free(v);
	ck_assert_int_eq(parts_propose(&d, &proposed), CS_OK);
	v = th_value(&d, "SELECT string_agg(t.name || ' ' || p.number || ' ' || x.qty, ',')"
	    " FROM stock_transfers x JOIN stock_locations t ON t.id = x.to_id"
	    " JOIN parts p ON p.id = x.part_id");
	ck_assert_str_eq(v, "Van 2 P-100 6");
	free(v);
	db_close(&d);
	th_db_drop(demo);
	free(demo);
}
END_TEST

Suite *parts_suite(void);

Suite *
parts_suite(void)
{
	Suite *s = suite_create("parts");
	TCase *tc = tcase_create("parts");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_van_below_min_gets_a_proposal_up_to_max_in_multiples);
	tcase_add_test(tc, a_shortage_is_refused_with_its_name_and_a_form_sent_twice_counts_once);
	tcase_add_test(tc, a_covered_part_is_billed_at_zero_and_counted_as_warranty_cost);
	tcase_add_test(tc, a_customer_reads_only_their_own_report);
	tcase_add_test(tc, an_overdue_loaner_is_reminded_once);
	tcase_add_test(tc, a_part_request_waits_for_parts_and_the_transfer_brings_the_ticket_back);
	tcase_add_test(tc, a_van_audit_records_the_variance_and_adjusts_stock);
	tcase_add_test(tc, the_demo_has_vans_stock_and_a_job_with_parts);
	suite_add_tcase(s, tc);
	return s;
}
