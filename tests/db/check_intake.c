/*
 * Ticket intake in the database: every routing condition (category,
 * channel, priority, customer tier, language — "en" taking "en-GB" —
 * keyword in the subject) and every action (queue with its team, team,
 * priority, tags) as ticket_route() applies them, the order of rules and
 * moving them, the table refusing words a ticket cannot have; finding a
 * caller by phone however the number is written, and opening their account.
 */
#include "../lib/harness.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/intake.h"
#include "domain/routing_admin.h"
#include "domain/tickets.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo;
static struct db owner;
static struct arena *arena;
static long long std_en, vip_gb, prem_de, cat_hw, cat_sw, q_a, q_b, team_x, team_y;

static const char fixture[] =
    "INSERT INTO teams (name) VALUES ('Team X'), ('Team Y');"
    "INSERT INTO queues (name, team_id, auto_assign) SELECT 'Queue A', id, false FROM teams"
    " WHERE name = 'Team X';"
    "INSERT INTO queues (name, auto_assign) VALUES ('Queue B', false);"
    "INSERT INTO categories (name) VALUES ('Hardware'), ('Software');"
    "INSERT INTO customers (name, tier, language, phone) VALUES"
    " ('Standard English', 'standard', 'en', '+44 20 7946 0958'),"
    " ('Vip British', 'vip', 'en-GB', '(030) 1234-5678'),"
    " ('Premium German', 'premium', 'de', NULL);"
    "INSERT INTO portal_users (customer_id, email, name, password_hash)"
    " SELECT id, 'std@intake.test', 'Stan', 'x' FROM customers WHERE name = 'Standard English';"
    "INSERT INTO portal_users (customer_id, email, name, password_hash)"
    " SELECT id, 'vip@intake.test', 'Vera', 'x' FROM customers WHERE name = 'Vip British';";

static struct db_stmt st_id = DB_STMT("t_i_id",
    "SELECT coalesce((SELECT id FROM customers WHERE name = $1),"
    " (SELECT id FROM categories WHERE name = $1), (SELECT id FROM queues WHERE name = $1),"
    " (SELECT id FROM teams WHERE name = $1))", 1);
static struct db_stmt st_reset = DB_STMT("t_i_reset",
    "WITH d AS (DELETE FROM tickets RETURNING 1) DELETE FROM routing_rules"
    " WHERE (SELECT count(*) FROM d) >= 0", 0);
/* Where a ticket ended up: "queue team priority tags". */
static struct db_stmt st_where = DB_STMT("t_i_where",
    "SELECT coalesce(q.name, '-') || ' ' || coalesce(tm.name, '-') || ' ' || t.priority"
    " || ' ' || coalesce(nullif(array_to_string(t.tags, ','), ''), '-')"
    " FROM tickets t LEFT JOIN queues q ON q.id = t.queue_id"
    " LEFT JOIN teams tm ON tm.id = t.team_id WHERE t.id = $1::bigint", 1);
static struct db_stmt st_bad_rule = DB_STMT("t_i_bad_rule",
    "INSERT INTO routing_rules (name, set_priority) VALUES ('bad', $1)", 1);
static struct db_stmt st_bad_keyword = DB_STMT("t_i_bad_keyword",
    "INSERT INTO routing_rules (name, if_keyword) VALUES ('bad', $1)", 1);
static struct db_stmt st_order = DB_STMT("t_i_order",
    "SELECT string_agg(name, ',' ORDER BY position, id) FROM routing_rules", 0);
static struct db_stmt st_generic = DB_STMT("t_i_generic",
    "SET plan_cache_mode = force_generic_plan", 0);
static struct db_stmt st_many = DB_STMT("t_i_many",
    "INSERT INTO customers (name, phone) SELECT 'Many ' || g, '+33 1 ' || (10000000 + g)"
    " FROM generate_series(1, 50000) g", 0);
static struct db_stmt st_analyze = DB_STMT("t_i_analyze", "ANALYZE customers", 0);
/* The plan of a phone lookup, word for word as intake.c asks it. */
#define T_KEY "(reverse(regexp_replace(c.phone, '[^0-9]', '', 'g')) COLLATE \"C\")"
static struct db_stmt st_plan = DB_STMT("t_i_plan",
    "EXPLAIN SELECT c.id FROM customers c"
    " LEFT JOIN portal_users u ON u.customer_id = c.id AND u.active"
    " WHERE " T_KEY " >= $1 AND " T_KEY " < $1 || ':' AND c.phone IS NOT NULL AND c.active"
    " ORDER BY " T_KEY ", c.id, u.id LIMIT $2::integer", 2);
static struct db_stmt st_audit = DB_STMT("t_i_audit",
    "SELECT count(*) FROM audit_log WHERE action LIKE 'routing_rule.%'", 0);

static char *
one(struct db_stmt *st, const char *const *p)
{
	PGresult *r = db_exec(&owner, st, p);
	char *s;

	ck_assert_ptr_nonnull(r);
	s = strdup(PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return s;
}

static long long
id_of(const char *name)
{
	const char *p[] = { name };
	char *s = one(&st_id, p);
	long long v = atoll(s);

	free(s);
	ck_assert_int_gt(v, 0);
	return v;
}

static void
suite_setup(void)
{
	conninfo = th_db_create_fixture("intake", fixture);
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
	ck_assert_int_eq(db_open(&owner, conninfo, "check_intake"), 0);
	ck_assert_int_eq(db_run(&owner, &st_reset, NULL), 0);
	arena = arena_new(1 << 16);
	std_en = id_of("Standard English");
	vip_gb = id_of("Vip British");
	prem_de = id_of("Premium German");
	cat_hw = id_of("Hardware");
	cat_sw = id_of("Software");
	q_a = id_of("Queue A");
	q_b = id_of("Queue B");
	team_x = id_of("Team X");
	team_y = id_of("Team Y");
}

static void
teardown(void)
{
	db_close(&owner);
	arena_free(arena);
}

static const struct audit_entry cli = { AUDIT_ACTOR_CLI, 0, NULL, NULL, NULL, NULL, NULL };

/* A blank rule: no condition, no action. */
static struct routing_rule
blank(const char *name)
{
	struct routing_rule r;

	memset(&r, 0, sizeof(r));
	r.name = name;
	r.active = 1;
	r.if_channel = r.if_priority = r.if_tier = r.if_language = r.if_keyword = "";
	r.set_priority = r.set_tags = "";
	return r;
}

static long long
add(const struct routing_rule *r)
{
	const char *why;
	long long id;

	ck_assert_int_eq(routing_admin_create(&owner, &cli, r, &id, &why), CS_OK);
	return id;
}

/* A ticket as the system would take it; where it ended up. */
static char *
ticket(long long customer, const char *channel, const char *priority, long long category,
    const char *subject)
{
	struct ticket_actor_ref by = { TA_SYSTEM, 0, 0, 0, 0 };
	struct ticket_new t = { 0 };
	struct ticket_opened op;
	const char *why = NULL;
	char idbuf[24];
	const char *p[] = { idbuf };
	long long id;

	t.customer_id = customer;
	t.channel = channel;
	t.priority = priority;
	t.category_id = category;
	t.subject = subject;
	t.description = "Details.";
	ck_assert_msg(ticket_open(&owner, arena, &by, &t, &op, &why) == CS_OK, "create: %s",
	    why ? why : "error");
	id = op.id;
	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	return one(&st_where, p);
}

#define ROUTED(expect, ...) do { char *s_ = ticket(__VA_ARGS__); \
	ck_assert_str_eq(s_, expect); free(s_); } while (0)

START_TEST(each_condition_alone)
{
	struct routing_rule r;

	/* Category. */
	r = blank("by category");
	r.if_category_id = cat_hw;
	r.set_queue_id = q_b;
	add(&r);
	ROUTED("Queue B - medium -", std_en, "portal", "medium", cat_hw, "Broken");
	ROUTED("- - medium -", std_en, "portal", "medium", cat_sw, "Broken");
	ROUTED("- - medium -", std_en, "portal", "medium", 0, "Broken");
	ck_assert_int_eq(db_run(&owner, &st_reset, NULL), 0);
	/* Channel. */
	r = blank("by channel");
	r.if_channel = "phone";
	r.set_queue_id = q_b;
	add(&r);
	ROUTED("Queue B - medium -", std_en, "phone", "medium", 0, "Call");
	ROUTED("- - medium -", std_en, "walk-in", "medium", 0, "Call");
	ck_assert_int_eq(db_run(&owner, &st_reset, NULL), 0);
	/* Priority (as the ticket came in). */
	r = blank("by priority");
	r.if_priority = "urgent";
	r.set_queue_id = q_b;
	add(&r);
	ROUTED("Queue B - urgent -", std_en, "phone", "urgent", 0, "Down");
	ROUTED("- - high -", std_en, "phone", "high", 0, "Down");
	ck_assert_int_eq(db_run(&owner, &st_reset, NULL), 0);
	/* The customer's tier. */
	r = blank("by tier");
	r.if_tier = "vip";
	r.set_queue_id = q_b;
	add(&r);
	ROUTED("Queue B - medium -", vip_gb, "phone", "medium", 0, "Hello");
	ROUTED("- - medium -", prem_de, "phone", "medium", 0, "Hello");
	ck_assert_int_eq(db_run(&owner, &st_reset, NULL), 0);
	/* Keyword anywhere in the subject, any case. */
	r = blank("by keyword");
	r.if_keyword = "Refund";
	r.set_queue_id = q_b;
	add(&r);
	ROUTED("Queue B - medium -", std_en, "phone", "medium", 0, "I want a REFUND now");
	ROUTED("- - medium -", std_en, "phone", "medium", 0, "I want my money back");
}
END_TEST

START_TEST(language_matches_its_regions)
{
	struct routing_rule r = blank("english");

	r.if_language = "en";
	r.set_queue_id = q_b;
	add(&r);
	r = blank("british only");
	r.if_language = "en-GB";
	r.set_queue_id = q_a;
	/* After "english": never reached for en-GB, since the first match decides. */
	add(&r);
	ROUTED("Queue B - medium -", std_en, "phone", "medium", 0, "Hi");
	ROUTED("Queue B - medium -", vip_gb, "phone", "medium", 0, "Hi");
	ROUTED("- - medium -", prem_de, "phone", "medium", 0, "Hallo");
	ck_assert_int_eq(db_run(&owner, &st_reset, NULL), 0);
	r = blank("british only");
	r.if_language = "en-GB";
	r.set_queue_id = q_a;
	add(&r);
	ROUTED("Queue A Team X medium -", vip_gb, "phone", "medium", 0, "Hi");
	ROUTED("- - medium -", std_en, "phone", "medium", 0, "Hi");
}
END_TEST

START_TEST(every_action)
{
	struct routing_rule r = blank("all actions");

	/* The queue brings its team, unless the rule names one. */
	r.if_keyword = "queue";
	r.set_queue_id = q_a;
	r.set_tags = "billing,vip";
	add(&r);
	r = blank("team and priority");
	r.if_keyword = "team";
	r.set_queue_id = q_a;
	r.set_team_id = team_y;
	r.set_priority = "critical";
	add(&r);
	r = blank("team alone");
	r.set_team_id = team_x;
	add(&r);
	ROUTED("Queue A Team X low billing,vip", std_en, "email", "low", 0, "queue me");
	ROUTED("Queue A Team Y critical -", std_en, "email", "low", 0, "team me");
	ROUTED("- Team X medium -", std_en, "email", "medium", 0, "anything else");
}
END_TEST

START_TEST(conditions_combine_and_order_decides)
{
	struct routing_rule r = blank("phone and hardware");
	long long first, second, third;
	char *s;

	r.if_channel = "phone";
	r.if_category_id = cat_hw;
	r.set_queue_id = q_a;
	first = add(&r);
	r = blank("catch-all");
	r.set_queue_id = q_b;
	second = add(&r);
	r = blank("never reached");
	r.set_priority = "urgent";
	third = add(&r);
	ROUTED("Queue A Team X medium -", std_en, "phone", "medium", cat_hw, "x");
	ROUTED("Queue B - medium -", std_en, "email", "medium", cat_hw, "x");
	ROUTED("Queue B - medium -", std_en, "phone", "medium", cat_sw, "x");
	/* Moving the catch-all up puts it first; at the top, up changes nothing. */
	ck_assert_int_eq(routing_admin_move(&owner, &cli, second, 1), CS_OK);
	ck_assert_int_eq(routing_admin_move(&owner, &cli, second, 1), CS_OK);
	s = one(&st_order, NULL);
	ck_assert_str_eq(s, "catch-all,phone and hardware,never reached");
	free(s);
	ROUTED("Queue B - medium -", std_en, "phone", "medium", cat_hw, "x");
	ck_assert_int_eq(routing_admin_move(&owner, &cli, third, 0), CS_OK);
	ck_assert_int_eq(routing_admin_move(&owner, &cli, first, 0), CS_OK);
	s = one(&st_order, NULL);
	ck_assert_str_eq(s, "catch-all,never reached,phone and hardware");
	free(s);
	/* An inactive rule is skipped. */
	{
		struct routing_rule got;
		const char *why;

		ck_assert_int_eq(routing_admin_get(&owner, arena, second, &got), CS_OK);
		got.active = 0;
		ck_assert_int_eq(routing_admin_update(&owner, &cli, &got, &why), CS_OK);
	}
	ROUTED("- - urgent -", std_en, "email", "medium", 0, "x");
	ck_assert_int_eq(routing_admin_delete(&owner, &cli, third), CS_OK);
	ck_assert_int_eq(routing_admin_delete(&owner, &cli, third), CS_NOT_FOUND);
	ck_assert_int_eq(routing_admin_move(&owner, &cli, third, 1), CS_NOT_FOUND);
	s = one(&st_audit, NULL);
	ck_assert_int_ge(atoi(s), 7);
	free(s);
}
END_TEST

START_TEST(rules_hold_only_words_tickets_can_have)
{
	const char *p[] = { "whenever" };
	const char *k[] = { "  " };
	struct routing_rule r = blank("bad queue");
	const char *why;
	long long id;

	ck_assert_ptr_null(db_exec(&owner, &st_bad_rule, p));
	ck_assert(db_is(&owner, "23514"));
	ck_assert_ptr_null(db_exec(&owner, &st_bad_keyword, k));
	ck_assert(db_is(&owner, "23514"));
	r.set_queue_id = 999999;
	ck_assert_int_eq(routing_admin_create(&owner, &cli, &r, &id, &why), CS_REFUSED);
	ck_assert_str_eq(why, ROUTING_WHY_REF);
	r = blank("bad tier");
	r.if_tier = "gold";
	r.set_queue_id = q_a;
	ck_assert_int_eq(routing_admin_create(&owner, &cli, &r, &id, &why), CS_REFUSED);
	ck_assert_str_eq(why, ROUTING_WHY_VALUE);
}
END_TEST

START_TEST(find_callers_by_phone_and_email)
{
	struct intake_match *m;
	size_t n;
	long long uid, cid;

	/* However the digits are written. */
	ck_assert_int_eq(intake_find(&owner, arena, "442079460958", &m, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(m[0].customer_id, std_en);
	ck_assert_str_eq(m[0].email, "std@intake.test");
	ck_assert_int_eq(intake_find(&owner, arena, "+44 (20) 7946-0958", &m, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(intake_find(&owner, arena, "030 1234 5678", &m, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(m[0].customer_id, vip_gb);
	/* Without the country code: the stored number ends with what was typed. */
	ck_assert_int_eq(intake_find(&owner, arena, "20 7946 0958", &m, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(m[0].customer_id, std_en);
	/* Not a number's end, not its middle. */
	ck_assert_int_eq(intake_find(&owner, arena, "20 7946 095", &m, &n), 0);
	ck_assert_uint_eq(n, 0);
	/* Too few digits, or nobody with them: nothing. */
	ck_assert_int_eq(intake_find(&owner, arena, "0958", &m, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(intake_find(&owner, arena, "0000000000", &m, &n), 0);
	ck_assert_uint_eq(n, 0);
	/* E-mail: exact, any case. */
	ck_assert_int_eq(intake_find(&owner, arena, "VIP@Intake.test", &m, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(m[0].customer_id, vip_gb);
	ck_assert_int_eq(intake_find(&owner, arena, "vip@intake", &m, &n), 0);
	ck_assert_uint_eq(n, 0);
	/* A new caller, then found by their number. */
	ck_assert_int_eq(intake_customer_create(&owner, &cli, "New Caller", "New@Caller.test",
	    "06 11 22 33 44", "en", &cid, &uid), CS_OK);
	ck_assert_int_gt(cid, 0);
	ck_assert_int_gt(uid, 0);
	ck_assert_int_eq(intake_find(&owner, arena, "0611223344", &m, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(m[0].user_id, uid);
	ck_assert_str_eq(m[0].email, "new@caller.test");
	ck_assert_int_eq(intake_customer_create(&owner, &cli, "Again", "new@caller.test", "",
	    "en", &cid, &uid), CS_TAKEN);
	/*
	 * Among 50,000 numbers, with the plan a prepared statement ends up
	 * with, the lookup reads the index, never the whole table.
	 */
	{
		const char *p[] = { "4433221160", "20" };
		PGresult *r;
		int i, used = 0, walked = 0;

		ck_assert_int_eq(db_run(&owner, &st_many, NULL), 0);
		ck_assert_int_eq(db_run(&owner, &st_analyze, NULL), 0);
		ck_assert_int_eq(db_run(&owner, &st_generic, NULL), 0);
		r = db_exec(&owner, &st_plan, p);
		ck_assert_ptr_nonnull(r);
		for (i = 0; i < PQntuples(r); i++) {
			used |= strstr(PQgetvalue(r, i, 0), "customers_phone_digits") != NULL;
			walked |= strstr(PQgetvalue(r, i, 0), "customers_pkey") != NULL ||
			    strstr(PQgetvalue(r, i, 0), "Seq Scan on customers") != NULL;
		}
		PQclear(r);
		ck_assert_msg(!walked, "the phone lookup reads every customer");
		ck_assert_msg(used, "the phone lookup does not use its index");
	}
}
END_TEST

Suite *intake_suite(void);

Suite *
intake_suite(void)
{
	Suite *s = suite_create("intake");
	TCase *tc = tcase_create("intake");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, each_condition_alone);
	tcase_add_test(tc, language_matches_its_regions);
	tcase_add_test(tc, every_action);
	tcase_add_test(tc, conditions_combine_and_order_decides);
	tcase_add_test(tc, rules_hold_only_words_tickets_can_have);
	tcase_add_test(tc, find_callers_by_phone_and_email);
	suite_add_tcase(s, tc);
	return s;
}
