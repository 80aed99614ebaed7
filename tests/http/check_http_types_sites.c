/*
 * Ticket types, sub-categories and sites through nginx: the admin pages
 * refuse bad input with a message at the field (keeping what was typed)
 * and audit what they save; the portal's form offers the admins' types,
 * the sub-topics of each topic (every one without the script, refusing
 * one of another topic) and, for an account with several, its sites;
 * the ticket pages show the type, the sub-category under its category and
 * the site; a site of another account is refused. Skill levels on the
 * staff, queue and routing forms are checked and saved.
 */
#include "identity.h"
#include "../lib/fixtures.h"
#include "db/db.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct th_stack stack;
static char *db;
static struct fx_person admin, cust, other;

static void
setup(void)
{
	db = th_db_create("http_types_sites");
	fx_staff(db, "Ada Admin", "agent,admin", &admin);
	fx_customer(db, "Carla Customer", "Sites Ltd", "standard", &cust);
	fx_customer(db, "Otto Other", "Elsewhere Ltd", "standard", &other);
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
admin_in(struct jar *j)
{
	web_staff_sign_in(&stack, j, admin.email, FX_PASSWORD);
}

START_TEST(admin_keeps_the_types)
{
	struct jar j = { 0 };
	struct th_resp r;

	admin_in(&j);
	r = web_get(&stack, &j, "/agent/admin/ticket-types");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "value=\"feature_request\"");
	assert_has(&r, "value=\"Feature request\"");
	th_resp_free(&r);
	/* A code with capitals and a blank: refused at the field, kept as typed. */
	r = web_post(&stack, &j, "/agent/admin/ticket-types", "/agent/admin/ticket-types",
	    "code=Billing+Dispute&label=Billing+dispute&position=70");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "The code may hold lower-case letters, digits and _ only.");
	assert_has(&r, "value=\"Billing Dispute\"");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/ticket-types", "/agent/admin/ticket-types",
	    "code=billing_dispute&label=Billing+dispute&position=70");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	sql_owner_is(db, "SELECT count(*) FROM audit_log WHERE action = 'ticket_type.create'"
	    " AND detail->>'code' = $1", "billing_dispute", "1");
	/* The routing form offers it, and refuses a type that is not listed. */
	r = web_get(&stack, &j, "/agent/admin/routing/new");
	assert_has(&r, "<option value=\"billing_dispute\">Billing dispute</option>");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/routing/new", "/agent/admin/routing/new",
	    "name=Disputes&if_type=no_such_type&set_tags=dispute&active=1");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Choose one of the listed types.");
	th_resp_free(&r);
	jar_clear(&j);
	/* The portal offers it. */
	web_customer_sign_in(&stack, &j, cust.email, FX_PASSWORD);
	r = web_get(&stack, &j, "/tickets/new");
	assert_has(&r, "<option value=\"billing_dispute\">Billing dispute</option>");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/tickets", "/tickets/new",
	    "subject=Charged+twice&description=Two+charges.&urgency=normal&type=billing_dispute");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	sql_owner_is(db, "SELECT type FROM tickets WHERE subject = $1", "Charged twice",
	    "billing_dispute");
	r = web_post(&stack, &j, "/tickets", "/tickets/new",
	    "subject=Made+up&description=Type.&urgency=normal&type=nonsense");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Choose what kind of request it is from the list.");
	th_resp_free(&r);
	jar_clear(&j);
}
END_TEST

START_TEST(subtopics_follow_their_topic)
{
	struct jar j = { 0 };
	struct th_resp r;
	char body[300], *orders, *late, *login, *number, path[64];

	admin_in(&j);
	r = web_post(&stack, &j, "/agent/admin/categories", "/agent/admin/categories",
	    "name=Orders&position=10&parent_id=");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/categories", "/agent/admin/categories",
	    "name=Signing+in&position=20&parent_id=");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	orders = sql_owner(db, "SELECT id FROM categories WHERE name = $1", "Orders");
	login = sql_owner(db, "SELECT id FROM categories WHERE name = $1", "Signing in");
	snprintf(body, sizeof(body), "name=Late+delivery&position=0&parent_id=%s", orders);
	r = web_post(&stack, &j, "/agent/admin/categories", "/agent/admin/categories", body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	late = sql_owner(db, "SELECT id FROM categories WHERE name = $1", "Late delivery");
	/* A sub-category of a sub-category: refused at the field. */
	snprintf(body, sizeof(body), "name=Very+late&position=0&parent_id=%s", late);
	r = web_post(&stack, &j, "/agent/admin/categories", "/agent/admin/categories", body);
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Choose one of the listed categories, or none.");
	assert_has(&r, "value=\"Very late\"");
	th_resp_free(&r);
	sql_owner_is(db, "SELECT count(*) FROM audit_log WHERE action = 'category.create'"
	    " AND detail->>'parent_id' = $1", orders, "1");
	jar_clear(&j);

	web_customer_sign_in(&stack, &j, cust.email, FX_PASSWORD);
	r = web_get(&stack, &j, "/tickets/new");
	/* Every sub-topic, under its topic: the form works without the script. */
	assert_has(&r, "<optgroup label=\"Orders\"");
	assert_has(&r, ">Late delivery</option>");
	th_resp_free(&r);
	snprintf(body, sizeof(body), "subject=Where+is+it&description=Ordered+last+week."
	    "&urgency=normal&category=%s&subcategory=%s", login, late);
	r = web_post(&stack, &j, "/tickets", "/tickets/new", body);
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Choose a sub-topic of the topic you chose, or none.");
	th_resp_free(&r);
	snprintf(body, sizeof(body), "subject=Where+is+it&description=Ordered+last+week."
	    "&urgency=normal&category=%s&subcategory=%s", orders, late);
	r = web_post(&stack, &j, "/tickets", "/tickets/new", body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	number = sql_owner(db, "SELECT number FROM tickets WHERE subject = $1", "Where is it");
	snprintf(path, sizeof(path), "/tickets/%s", number);
	r = web_get(&stack, &j, path);
	assert_has(&r, "Orders › Late delivery");
	th_resp_free(&r);
	jar_clear(&j);
	/* The agent's page and its category list name it the same way. */
	admin_in(&j);
	snprintf(path, sizeof(path), "/agent/tickets/%s", number);
	r = web_get(&stack, &j, path);
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "Orders › Late delivery");
	th_resp_free(&r);
	jar_clear(&j);
	free(orders);
	free(late);
	free(login);
	free(number);
}
END_TEST

START_TEST(sites_on_the_account_and_the_ticket)
{
	struct jar j = { 0 };
	struct th_resp r;
	char path[96], body[300], *site, *theirs, *number;

	admin_in(&j);
	snprintf(path, sizeof(path), "/agent/admin/customers/%lld/sites", cust.customer_id);
	/* No address: refused at the field, the name kept. */
	r = web_post(&stack, &j, path, path, "name=Head+office&address=");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "value=\"Head office\"");
	assert_has(&r, "aria-invalid=\"true\"");
	th_resp_free(&r);
	r = web_post(&stack, &j, path, path, "name=Head+office&address=1+Main+Street%2C+Leeds");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_post(&stack, &j, path, path, "name=Head+office&address=Again");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "This account already has a site of that name");
	th_resp_free(&r);
	r = web_post(&stack, &j, path, path, "name=Warehouse&address=Dock+Road+9%2C+Hull");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	snprintf(body, sizeof(body), "%lld", cust.customer_id);
	sql_owner_is(db, "SELECT count(*) FROM audit_log WHERE action = 'customer_site.create'"
	    " AND detail->>'customer_id' = $1", body, "2");
	r = web_get(&stack, &j, path);
	assert_has(&r, "Dock Road 9, Hull");
	th_resp_free(&r);
	jar_clear(&j);

	site = sql_owner(db, "SELECT id FROM customer_sites WHERE name = $1", "Warehouse");
	snprintf(body, sizeof(body), "%lld", other.customer_id);
	free(sql_owner(db, "INSERT INTO customer_sites (customer_id, name, address)"
	    " VALUES ($1::bigint, 'Not yours', 'Far away 1')", body));
	theirs = sql_owner(db, "SELECT id FROM customer_sites WHERE name = $1", "Not yours");
	web_customer_sign_in(&stack, &j, cust.email, FX_PASSWORD);
	r = web_get(&stack, &j, "/tickets/new");
	assert_has(&r, "Warehouse: Dock Road 9, Hull</option>");
	ck_assert_ptr_null(strstr(r.body, "Not yours"));
	th_resp_free(&r);
	/* Two sites: the customer says which. */
	r = web_post(&stack, &j, "/tickets", "/tickets/new",
	    "subject=Forklift+down&description=It+stopped.&urgency=normal");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Choose the site the request is about.");
	th_resp_free(&r);
	snprintf(body, sizeof(body), "subject=Forklift+down&description=It+stopped."
	    "&urgency=normal&site=%s", theirs);
	r = web_post(&stack, &j, "/tickets", "/tickets/new", body);
	ck_assert_int_eq(r.status, 422);
	th_resp_free(&r);
	snprintf(body, sizeof(body), "subject=Forklift+down&description=It+stopped."
	    "&urgency=normal&site=%s", site);
	r = web_post(&stack, &j, "/tickets", "/tickets/new", body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	number = sql_owner(db, "SELECT number FROM tickets WHERE subject = $1", "Forklift down");
	snprintf(path, sizeof(path), "/tickets/%s", number);
	r = web_get(&stack, &j, path);
	assert_has(&r, "Warehouse: Dock Road 9, Hull");
	th_resp_free(&r);
	jar_clear(&j);
	admin_in(&j);
	snprintf(path, sizeof(path), "/agent/tickets/%s", number);
	r = web_get(&stack, &j, path);
	assert_has(&r, "Warehouse: Dock Road 9, Hull");
	th_resp_free(&r);
	jar_clear(&j);
	free(site);
	free(theirs);
	free(number);
}
END_TEST

START_TEST(skill_levels_on_the_forms)
{
	struct jar j = { 0 };
	struct th_resp r;
	struct fx_person ag;
	char path[64], body[512], *skill;

	fx_staff(db, "Lena Levels", "agent", &ag);
	admin_in(&j);
	r = web_post(&stack, &j, "/agent/admin/skills", "/agent/admin/skills", "name=Billing");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	skill = sql_owner(db, "SELECT id FROM skills WHERE name = $1", "Billing");
	snprintf(path, sizeof(path), "/agent/admin/staff/%lld", ag.id);
	snprintf(body, sizeof(body), "name=Lena+Levels&roles=agent&skills=%s&skill_level_%s=9"
	    "&languages=en&capacity=20&work_days=1&work_start=09%%3A00&work_end=17%%3A00"
	    "&time_zone=UTC&escalation_level=1&active=1", skill, skill);
	r = web_post(&stack, &j, path, path, body);
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "A skill&#39;s level is a whole number from 1 to 5.");
	th_resp_free(&r);
	snprintf(body, sizeof(body), "name=Lena+Levels&roles=agent&skills=%s&skill_level_%s=4"
	    "&languages=en&capacity=20&work_days=1&work_start=09%%3A00&work_end=17%%3A00"
	    "&time_zone=UTC&escalation_level=1&active=1", skill, skill);
	r = web_post(&stack, &j, path, path, body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	snprintf(body, sizeof(body), "%lld", ag.id);
	sql_owner_is(db, "SELECT level FROM staff_skills WHERE staff_id = $1::bigint", body, "4");
	sql_owner_is(db,
	    "SELECT detail->'skills'->0->>1 FROM audit_log WHERE action = 'staff.update'"
	    " AND object_id = $1 ORDER BY id DESC LIMIT 1", body, "4");
	r = web_get(&stack, &j, path);
	assert_has(&r, "<option value=\"4\" selected>level 4</option>");
	th_resp_free(&r);
	/* The queue's level: 1 to 5. */
	snprintf(body, sizeof(body), "name=Invoices&team_id=&auto_assign=1&required_skill_id=%s"
	    "&required_skill_level=7", skill);
	r = web_post(&stack, &j, "/agent/admin/queues", "/agent/admin/queues", body);
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "value=\"7\"");
	th_resp_free(&r);
	snprintf(body, sizeof(body), "name=Invoices&team_id=&auto_assign=1&required_skill_id=%s"
	    "&required_skill_level=3", skill);
	r = web_post(&stack, &j, "/agent/admin/queues", "/agent/admin/queues", body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	sql_owner_is(db, "SELECT required_skill_level FROM queues WHERE name = $1", "Invoices",
	    "3");
	/* A routing rule's level: 2 to 5. */
	r = web_post(&stack, &j, "/agent/admin/routing/new", "/agent/admin/routing/new",
	    "name=Hard+ones&set_skill_level=8&active=1");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Choose a level from the list.");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/routing/new", "/agent/admin/routing/new",
	    "name=Hard+ones&if_keyword=dispute&set_skill_level=4&active=1");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	sql_owner_is(db, "SELECT set_skill_level FROM routing_rules WHERE name = $1", "Hard ones",
	    "4");
	jar_clear(&j);
	free(skill);
}
END_TEST

Suite *http_types_sites_suite(void);

Suite *
http_types_sites_suite(void)
{
	Suite *s = suite_create("http_types_sites");
	TCase *tc = tcase_create("types_sites");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, admin_keeps_the_types);
	tcase_add_test(tc, subtopics_follow_their_topic);
	tcase_add_test(tc, sites_on_the_account_and_the_ticket);
	tcase_add_test(tc, skill_levels_on_the_forms);
	suite_add_tcase(s, tc);
	return s;
}
