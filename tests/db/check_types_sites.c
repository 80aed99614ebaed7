/*
 * Ticket types, sub-categories and customer sites (046) in the database:
 * the types the fixed check had stay, with the seed documents' complaint
 * and feature request; a ticket takes an active type and no other; an
 * admin adds one (audited) and renaming its code reaches its tickets; a
 * ticket keeps a type deactivated since. Routing goes by type, takes a
 * category's sub-categories in and matches words of the ticket's site;
 * sub-categories stay one level deep; a ticket's site is one of its own
 * customer's and shows on the ticket; reports count by type. An agent's
 * level of a skill decides assignment when the queue or a routing rule
 * asks for a level.
 */
#include "../lib/fixtures.h"
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/routing_admin.h"
#include "domain/setup_admin.h"
#include "domain/ticket_fields.h"
#include "domain/ticket_form_lists.h"
#include "domain/tickets.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo;
static struct db owner;
static struct arena *arena;
static struct fx_person cust, other, agent;

static const struct audit_entry cli = { AUDIT_ACTOR_CLI, 0, NULL, NULL, NULL, NULL, NULL };

#define q(...) th_valuef(&owner, __VA_ARGS__)

#define EXPECT(want, ...) TH_EXPECT_VALUE(&owner, want, __VA_ARGS__)

static long long
qll(const char *sql)
{
	char *v = q("%s", sql);
	long long n = atoll(v);

	free(v);
	return n;
}

static void
suite_setup(void)
{
	conninfo = th_db_create("types_sites");
	fx_customer(conninfo, "Tess Types", "Types Ltd", "standard", &cust);
	fx_customer(conninfo, "Olga Other", "Other Ltd", "standard", &other);
	fx_staff(conninfo, "Ada Agent", "agent", &agent);
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
	ck_assert_int_eq(db_open(&owner, conninfo, "check_types_sites"), 0);
	ck_assert_ptr_nonnull(arena = arena_new(4096));
}

static void
teardown(void)
{
	arena_free(arena);
	db_close(&owner);
}

/* Opens a ticket for c as the system; returns CS_* and sets *id (0 when refused). */
static enum cs_result
open_one(const struct fx_person *c, const char *subject, const char *type, long long category,
    long long site, long long *id, const char **why)
{
	struct ticket_actor_ref by = { TA_SYSTEM, 0, 0, 0, 0 };
	struct ticket_new t = { 0 };
	struct ticket_opened op;
	enum cs_result rc;

	t.customer_id = c->customer_id;
	t.channel = "api";
	t.subject = subject;
	t.description = "As the form said.";
	t.type = type;
	t.category_id = category;
	t.site_id = site;
	*why = NULL;
	rc = ticket_open(&owner, arena, &by, &t, &op, why);
	*id = rc == CS_OK ? op.id : 0;
	return rc;
}

START_TEST(types_kept_and_checked)
{
	const char *why;
	long long id;

	/* The fixed check's four, and the seed documents' two more. */
	EXPECT("question,incident,problem,request,complaint,feature_request",
	    "SELECT string_agg(code, ',' ORDER BY position) FROM ticket_types");
	ck_assert_int_eq(open_one(&cust, "Rude courier", "complaint", 0, 0, &id, &why), CS_OK);
	EXPECT("complaint", "SELECT type FROM tickets WHERE id = %lld", id);
	ck_assert_int_eq(open_one(&cust, "Made up", "grievance", 0, 0, &id, &why), CS_REFUSED);
	ck_assert_str_eq(why, "Unknown ticket type.");
	/* No type: a question, as before. */
	ck_assert_int_eq(open_one(&cust, "How do I", NULL, 0, 0, &id, &why), CS_OK);
	EXPECT("question", "SELECT type FROM tickets WHERE id = %lld", id);
	/* The table refuses a code outside the list, whoever writes. */
	EXPECT("refused", "DO $$ BEGIN UPDATE tickets SET type = 'nonsense' WHERE id = %lld;"
	    " RAISE EXCEPTION 'taken'; EXCEPTION WHEN foreign_key_violation THEN NULL; END $$;"
	    " SELECT 'refused'", id);
}
END_TEST

START_TEST(admin_adds_renames_deactivates)
{
	const char *v[SETUP_FIELDS] = { "warranty_claim", "Warranty claim", "70", "" };
	const char *bad[SETUP_FIELDS] = { "Bad Code!", "Bad", "5", "" };
	const char *why;
	long long type_id, id, staff = agent.id;

	ck_assert_int_eq(setup_admin_add(&owner, &cli, SETUP_TYPES, v, &type_id, &why), CS_OK);
	EXPECT("1", "SELECT count(*) FROM audit_log WHERE action = 'ticket_type.create'"
	    " AND object_id = '%lld'", type_id);
	ck_assert_int_eq(setup_admin_add(&owner, &cli, SETUP_TYPES, bad, &id, &why), CS_REFUSED);
	ck_assert_int_eq(setup_admin_add(&owner, &cli, SETUP_TYPES, v, &id, &why), CS_TAKEN);
	ck_assert_int_eq(open_one(&cust, "Broken in a month", "warranty_claim", 0, 0, &id, &why),
	    CS_OK);
	/* A new code reaches the tickets of the old one. */
	v[0] = "warranty";
	ck_assert_int_eq(setup_admin_update(&owner, &cli, SETUP_TYPES, type_id, v, 1, &why),
	    CS_OK);
	EXPECT("warranty", "SELECT type FROM tickets WHERE id = %lld", id);
	/* Deactivated: no longer taken, but the ticket that has it keeps it. */
	ck_assert_int_eq(setup_admin_update(&owner, &cli, SETUP_TYPES, type_id, v, 0, &why),
	    CS_OK);
	EXPECT("1", "SELECT count(*) FROM audit_log WHERE action = 'ticket_type.update'"
	    " AND object_id = '%lld' AND detail->>'active' = 'false'", type_id);
	ck_assert_int_eq(open_one(&cust, "Again", "warranty", 0, 0, &type_id, &why), CS_REFUSED);
	ck_assert_int_eq(ticket_field_set(&owner, staff, id, TF_TYPE, "warranty", &why), CS_OK);
	ck_assert_int_eq(ticket_field_set(&owner, staff, id, TF_TYPE, "incident", &why), CS_OK);
	EXPECT("incident", "SELECT type FROM tickets WHERE id = %lld", id);
	/* Once changed, the inactive type cannot be chosen again. */
	ck_assert_int_eq(ticket_field_set(&owner, staff, id, TF_TYPE, "warranty", &why),
	    CS_REFUSED);
	ck_assert_str_eq(why, "Choose a type from the list.");
}
END_TEST

/* A routing rule sending tickets to queue, with a condition set by the caller. */
static long long
rule(struct routing_rule *r, const char *name, long long queue)
{
	const char *why;
	long long id;

	r->name = name;
	r->active = 1;
	r->set_queue_id = queue;
	if (r->if_channel == NULL)
		r->if_channel = "";
	r->if_priority = r->if_tier = r->if_language = r->if_keyword = "";
	r->set_priority = r->set_tags = "";
	if (r->if_type == NULL)
		r->if_type = "";
	if (r->if_site == NULL)
		r->if_site = "";
	ck_assert_int_eq(routing_admin_create(&owner, &cli, r, &id, &why), CS_OK);
	return id;
}

START_TEST(routing_by_type_subcategory_and_site)
{
	struct routing_rule by_type = { 0 }, by_cat = { 0 }, by_site = { 0 };
	long long q_c, q_o, q_b, orders, late, site, id;
	const char *why;

	free(q("DELETE FROM routing_rules; INSERT INTO queues (name, auto_assign) VALUES"
	    " ('Complaints', false), ('Orders', false), ('Berlin', false);"
	    " INSERT INTO categories (name) VALUES ('Orders and delivery');"
	    " INSERT INTO categories (name, parent_id) SELECT 'Late delivery', id FROM categories"
	    " WHERE name = 'Orders and delivery';"
	    " INSERT INTO customer_sites (customer_id, name, address) VALUES"
	    " (%lld, 'Head office', 'Unter den Linden 1, 10117 Berlin'),"
	    " (%lld, 'Depot', 'Hafenstrasse 3, Hamburg')", cust.customer_id, cust.customer_id));
	q_c = qll("SELECT id FROM queues WHERE name = 'Complaints'");
	q_o = qll("SELECT id FROM queues WHERE name = 'Orders'");
	q_b = qll("SELECT id FROM queues WHERE name = 'Berlin'");
	orders = qll("SELECT id FROM categories WHERE name = 'Orders and delivery'");
	late = qll("SELECT id FROM categories WHERE name = 'Late delivery'");
	site = qll("SELECT id FROM customer_sites WHERE name = 'Head office'");
	by_type.if_type = "complaint";
	rule(&by_type, "Complaints first", q_c);
	by_cat.if_category_id = orders;
	rule(&by_cat, "Orders", q_o);
	by_site.if_site = "berlin";
	rule(&by_site, "Berlin office", q_b);
	EXPECT("type complaint", "SELECT 'type ' || if_type FROM routing_rules"
	    " WHERE name = 'Complaints first'");

	ck_assert_int_eq(open_one(&cust, "Rude", "complaint", late, site, &id, &why), CS_OK);
	EXPECT("Complaints", "SELECT q.name FROM tickets t JOIN queues q ON q.id = t.queue_id"
	    " WHERE t.id = %lld", id);
	/* A rule for the category takes its sub-category's tickets. */
	ck_assert_int_eq(open_one(&cust, "Where is it", "question", late, site, &id, &why), CS_OK);
	EXPECT("Orders", "SELECT q.name FROM tickets t JOIN queues q ON q.id = t.queue_id"
	    " WHERE t.id = %lld", id);
	/* Words of the site's address. */
	ck_assert_int_eq(open_one(&cust, "Printer", "question", 0, site, &id, &why), CS_OK);
	EXPECT("Berlin", "SELECT q.name FROM tickets t JOIN queues q ON q.id = t.queue_id"
	    " WHERE t.id = %lld", id);
	ck_assert_int_eq(open_one(&cust, "Printer", "question", 0, 0, &id, &why), CS_OK);
	EXPECT("none", "SELECT coalesce(queue_id::text, 'none') FROM tickets WHERE id = %lld",
	    id);
	(void)q_o;
}
END_TEST

START_TEST(subcategories_one_level)
{
	const char *top[SETUP_FIELDS] = { "Payments", "10", "", "" };
	const char *why;
	long long pay, card, deeper;
	char p[24];
	const char *sub[SETUP_FIELDS] = { "Card declined", "0", p, "" };
	const char *deep[SETUP_FIELDS] = { "Visa only", "0", NULL, "" };
	char c[24];

	ck_assert_int_eq(setup_admin_add(&owner, &cli, SETUP_CATEGORIES, top, &pay, &why), CS_OK);
	snprintf(p, sizeof(p), "%lld", pay);
	ck_assert_int_eq(setup_admin_add(&owner, &cli, SETUP_CATEGORIES, sub, &card, &why), CS_OK);
	EXPECT("1", "SELECT count(*) FROM audit_log WHERE action = 'category.create'"
	    " AND object_id = '%lld' AND detail->>'parent_id' = '%lld'", card, pay);
	/* A sub-category's sub-category is refused by the table itself. */
	snprintf(c, sizeof(c), "%lld", card);
	deep[2] = c;
	ck_assert_int_eq(setup_admin_add(&owner, &cli, SETUP_CATEGORIES, deep, &deeper, &why),
	    CS_REFUSED);
	/* And a category with sub-categories cannot become one. */
	top[2] = c;
	ck_assert_int_eq(setup_admin_update(&owner, &cli, SETUP_CATEGORIES, pay, top, 1, &why),
	    CS_REFUSED);
}
END_TEST

START_TEST(sites_belong_to_their_customer)
{
	struct ticket_actor_ref staff = { TA_STAFF, agent.id, 0, 0, 0 };
	struct ticket_form_lists l;
	struct ticket t;
	long long mine, theirs, id;
	const char *why;

	free(q("INSERT INTO customer_sites (customer_id, name, address) VALUES"
	    " (%lld, 'Store 7', 'High Street 7, Leeds'), (%lld, 'Theirs', 'Elsewhere 1')",
	    cust.customer_id, other.customer_id));
	mine = qll("SELECT id FROM customer_sites WHERE name = 'Store 7'");
	theirs = qll("SELECT id FROM customer_sites WHERE name = 'Theirs'");
	ck_assert_int_eq(open_one(&cust, "Till broken", NULL, 0, theirs, &id, &why), CS_REFUSED);
	ck_assert_str_eq(why, "Choose one of the customer's sites.");
	ck_assert_int_eq(open_one(&cust, "Till broken", NULL, 0, mine, &id, &why), CS_OK);
	/* The ticket's own read says where: no other round trip. */
	ck_assert_int_eq(ticket_get(&owner, arena, &staff, q("SELECT number FROM tickets"
	    " WHERE id = %lld", id), &t), CS_OK);
	ck_assert_str_eq(t.site, "Store 7: High Street 7, Leeds");
	ck_assert_str_eq(t.type_label, "Question");
	/* The form's lists: only this customer's sites. */
	ck_assert_int_eq(ticket_form_lists_get(&owner, arena, cust.customer_id, &l), CS_OK);
	ck_assert_int_ge(l.nsites, 1);
	for (size_t i = 0; i < l.nsites; i++)
		ck_assert_int_ne(l.sites[i].id, theirs);
	ck_assert(ticket_form_site_listed(&l, mine));
	ck_assert(!ticket_form_site_listed(&l, theirs));
	/* Deactivated: no longer offered or taken. */
	free(q("UPDATE customer_sites SET active = false WHERE id = %lld", mine));
	ck_assert_int_eq(open_one(&cust, "Till broken", NULL, 0, mine, &id, &why), CS_REFUSED);
}
END_TEST

START_TEST(form_category_choices)
{
	struct ticket_form_lists l;
	long long top, sub, lone, id;

	free(q("INSERT INTO categories (name) VALUES ('Refunds'), ('Login');"
	    " INSERT INTO categories (name, parent_id) SELECT 'Partial refund', id FROM categories"
	    " WHERE name = 'Refunds'"));
	top = qll("SELECT id FROM categories WHERE name = 'Refunds'");
	sub = qll("SELECT id FROM categories WHERE name = 'Partial refund'");
	lone = qll("SELECT id FROM categories WHERE name = 'Login'");
	ck_assert_int_eq(ticket_form_lists_get(&owner, arena, cust.customer_id, &l), CS_OK);
	ck_assert_int_eq(ticket_form_category(&l, top, sub, &id), CS_OK);
	ck_assert_int_eq(id, sub);
	/* Without the script, a sub-category alone says its category. */
	ck_assert_int_eq(ticket_form_category(&l, 0, sub, &id), CS_OK);
	ck_assert_int_eq(id, sub);
	ck_assert_int_eq(ticket_form_category(&l, top, 0, &id), CS_OK);
	ck_assert_int_eq(id, top);
	/* Another category's sub-category, or a sub-category as the category: refused. */
	ck_assert_int_eq(ticket_form_category(&l, lone, sub, &id), CS_REFUSED);
	ck_assert_int_eq(ticket_form_category(&l, sub, 0, &id), CS_REFUSED);
	ck_assert_int_eq(ticket_form_category(&l, 0, top, &id), CS_REFUSED);
}
END_TEST

START_TEST(reports_by_type)
{
	const char *why;
	long long id;

	ck_assert_int_eq(open_one(&other, "Feature: dark mode", "feature_request", 0, 0, &id,
	    &why), CS_OK);
	free(q("SELECT analytics_rollup_day((now() AT TIME ZONE 'UTC')::date, 'UTC')"));
	EXPECT("1", "SELECT created FROM analytics_daily WHERE dimension = 'type'"
	    " AND key = 'feature_request' AND day = (now() AT TIME ZONE 'UTC')::date");
}
END_TEST

START_TEST(skill_levels_decide_assignment)
{
	struct fx_person lo, hi;
	struct routing_rule lvl = { 0 };
	long long queue, id;
	const char *why;

	fx_staff(conninfo, "Lou Level-one", "agent", &lo);
	fx_staff(conninfo, "Hal Level-three", "agent", &hi);
	free(q("DELETE FROM routing_rules; INSERT INTO teams (name) VALUES ('Billing desk');"
	    " INSERT INTO skills (name) VALUES ('billing');"
	    " INSERT INTO queues (name, team_id, auto_assign, required_skill_id,"
	    " required_skill_level) SELECT 'Billing', t.id, true, k.id, 2 FROM teams t, skills k"
	    " WHERE t.name = 'Billing desk' AND k.name = 'billing';"
	    " UPDATE staff SET team_id = (SELECT id FROM teams WHERE name = 'Billing desk'),"
	    " languages = '{en}', work_days = '{1,2,3,4,5,6,7}', work_start = '00:00',"
	    " work_end = '23:59:59', time_zone = 'UTC', capacity = 10 WHERE id IN (%lld, %lld);"
	    " INSERT INTO staff_skills (staff_id, skill_id, level) SELECT s.id, k.id,"
	    " CASE WHEN s.id = %lld THEN 1 ELSE 3 END FROM staff s, skills k"
	    " WHERE s.id IN (%lld, %lld) AND k.name = 'billing'",
	    lo.id, hi.id, lo.id, lo.id, hi.id));
	queue = qll("SELECT id FROM queues WHERE name = 'Billing'");
	rule(&lvl, "Everything to billing", queue);
	/* The queue asks for level 2: Lou (1) is passed over, whatever his load. */
	ck_assert_int_eq(open_one(&cust, "Invoice wrong", NULL, 0, 0, &id, &why), CS_OK);
	EXPECT("Hal Level-three", "SELECT s.name FROM tickets t JOIN staff s"
	    " ON s.id = t.assignee_id WHERE t.id = %lld", id);
	/* A rule asks for level 4 of complaints: nobody has it, the ticket waits. */
	free(q("UPDATE routing_rules SET set_skill_level = 4, if_type = 'complaint'"));
	rule(&lvl, "The rest to billing", queue);
	ck_assert_int_eq(open_one(&cust, "Overcharged again", "complaint", 0, 0, &id, &why), CS_OK);
	EXPECT("4 nobody", "SELECT t.skill_level || ' ' || coalesce(t.assignee_id::text, 'nobody')"
	    " FROM tickets t WHERE t.id = %lld", id);
	/* Once Lou is level 4, assignment (the batch's, as at creation) finds him. */
	free(q("UPDATE staff_skills SET level = 4 WHERE staff_id = %lld", lo.id));
	EXPECT("Lou Level-one", "SELECT s.name FROM staff s WHERE s.id = (SELECT ticket_auto_assign(%lld))",
	    id);
}
END_TEST

Suite *types_sites_suite(void);

Suite *
types_sites_suite(void)
{
	Suite *s = suite_create("types_sites");
	TCase *tc = tcase_create("types_sites");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, types_kept_and_checked);
	tcase_add_test(tc, admin_adds_renames_deactivates);
	tcase_add_test(tc, routing_by_type_subcategory_and_site);
	tcase_add_test(tc, subcategories_one_level);
	tcase_add_test(tc, sites_belong_to_their_customer);
	tcase_add_test(tc, form_category_choices);
	tcase_add_test(tc, reports_by_type);
	tcase_add_test(tc, skill_levels_decide_assignment);
	suite_add_tcase(s, tc);
	return s;
}
