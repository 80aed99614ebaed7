/*
 * Assignment and escalation admin pages through nginx: the on-call rota
 * refuses a day that is not one, hours out of range and a slot already
 * over with a message at the field and what was typed; adds a slot and
 * removes it, each with an audit record; only admins get in. An
 * escalation rule may hold for one target, but a rule for tickets without
 * an update has none. A trigger or automation is refused with every
 * message at once (a time rule without hours, a mail to no address, a rule
 * that does nothing), saved and audited, and its dry run lists the open
 * tickets it would touch. An agent flags a ticket legal from its page
 * (escalated, audited); a word that is no flag is refused. An automatic
 * answer's link asks first and resolves its ticket once, without sign-in.
 * The assigning agent sees each agent's load, shift and skills and gives
 * the ticket to one. The five escalation levels are renamed at once; an
 * empty or repeated name is refused. A customer's preferred agent and time
 * zone are set (an unknown zone refused) and audited. A queue's required
 * skill is chosen in the queue form.
 */
#include "identity.h"
#include "auth/password.h"
#include "db/db.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "copper lantern orchard 7"

static struct th_stack stack;
static char *db;
static long long agent_id, team_id;

static void
setup(void)
{
	char hash[PASSWORD_HASH_MAX], *v;
	struct db d;

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("http_automation");
	ck_assert_int_eq(db_open(&d, db, "http-automation-setup"), 0);
	ck_assert_int_eq(password_hash(PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "root@acme.test", "Ada Admin", hash, "agent,admin"), 0);
	agent_id = staff_fixture(&d, "nina@acme.test", "Nina Night", hash, "agent");
	ck_assert_int_gt(agent_id, 0);
	db_close(&d);
	v = sql_owner(db, "INSERT INTO teams (name) VALUES ('Night desk') RETURNING id", NULL);
	team_id = atoll(v);
	free(v);
	th_stack_start(&stack, db, 2, NULL);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

/* POSTs the on-call form with day, hours and the rest; the answer. */
static struct th_resp
post_slot(struct jar *j, const char *day, const char *from, const char *to, const char *more)
{
	char body[512];

	snprintf(body, sizeof(body), "team_id=%lld&staff_id=%lld&day=%s&from_hour=%s&to_hour=%s%s",
	    team_id, agent_id, day, from, to, more);
	return web_post(&stack, j, "/agent/admin/oncall", "/agent/admin/oncall", body);
}

START_TEST(oncall_rota_refuses_adds_and_removes)
{
	struct jar j = { 0 };
	struct th_resp r;
	char *tomorrow = sql_owner(db, "SELECT to_char(now() + interval '1 day', 'YYYY-MM-DD')",
	    NULL), *id, path[96];

	web_staff_sign_in(&stack, &j, "root@acme.test", PW);
	r = web_get(&stack, &j, "/agent/admin/oncall");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "Nobody is on call");
	th_resp_free(&r);
	/* Not a day, an hour past 23: both said, the note kept. */
	r = post_slot(&j, "2026-13-40", "25", "8", "&note=Cover+for+Sam");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Enter the day as YYYY-MM-DD");
	assert_has(&r, "The start is an hour from 0 to 23.");
	assert_has(&r, "value=\"Cover for Sam\"");
	th_resp_free(&r);
	r = post_slot(&j, "2020-01-01", "18", "8", "");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "That slot has already ended.");
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM oncall_shifts", NULL), 0);
	/* Tomorrow 18:00 to 08:00 the day after, standing in. */
	r = post_slot(&j, tomorrow, "18", "8", "&override=1&note=Cover+for+Sam");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM oncall_shifts WHERE override"
	    " AND ends_at - starts_at = interval '14 hours'", NULL), 1);
	r = web_get(&stack, &j, "/agent/admin/oncall");
	assert_has(&r, "Nina Night");
	assert_has(&r, "Cover for Sam");
	assert_has(&r, "18:00");
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM audit_log WHERE action = 'oncall.add'", NULL), 1);
	id = sql_owner(db, "SELECT id FROM oncall_shifts", NULL);
	snprintf(path, sizeof(path), "/agent/admin/oncall/%s/delete", id);
	r = web_post(&stack, &j, path, "/agent/admin/oncall", "");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM oncall_shifts", NULL), 0);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM audit_log WHERE action = 'oncall.remove'", NULL), 1);
	r = web_post(&stack, &j, path, "/agent/admin/oncall", "");
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
	/* Agents do not get in. */
	jar_clear(&j);
	web_staff_sign_in(&stack, &j, "nina@acme.test", PW);
	r = web_get(&stack, &j, "/agent/admin/oncall");
	ck_assert_int_eq(r.status, 403);
	th_resp_free(&r);
	free(id);
	free(tomorrow);
}
END_TEST

START_TEST(escalation_rule_for_one_target)
{
	struct jar j = { 0 };
	struct th_resp r;

	web_staff_sign_in(&stack, &j, "root@acme.test", PW);
	r = web_post(&stack, &j, "/agent/admin/escalation-rules/new",
	    "/agent/admin/escalation-rules/new", "name=Stale&position=5&on_event=no_update"
	    "&no_update_hours=4&if_target=resolution&notify=supervisor&active=1");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "about no target");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/escalation-rules/new",
	    "/agent/admin/escalation-rules/new", "name=Resolution+at+risk&position=5"
	    "&on_event=at_risk&if_target=resolution&notify=manager&reassign=1&active=1");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM escalation_rules WHERE if_target = 'resolution'"
	    " AND name = 'Resolution at risk'", NULL), 1);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM audit_log WHERE action ="
	    " 'escalation_rule.create' AND detail->>'if_target' = 'resolution'", NULL), 1);
}
END_TEST

START_TEST(automation_rule_refused_saved_and_dry_run)
{
	struct jar j = { 0 };
	struct th_resp r;
	char *id, path[96];

	free(sql_owner(db, "WITH c AS (INSERT INTO customers (name) VALUES ('Dry Ltd') RETURNING id)"
	    " INSERT INTO tickets (customer_id, channel, subject, description) SELECT c.id, 'email',"
	    " v.s, 'Text.' FROM c, (VALUES ('Refund for order 7'), ('Login fails')) v (s)", NULL));
	web_staff_sign_in(&stack, &j, "root@acme.test", PW);
	r = web_post(&stack, &j, "/agent/admin/automations/new", "/agent/admin/automations/new",
	    "name=Remind&position=1&on_event=time&time_basis=status&time_hours="
	    "&mail_to=address&mail_address=not-an-address&mail_body=Hello&active=1");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Hours must be a whole number from 1 to 8760.");
	assert_has(&r, "Enter the address to write to");
	assert_has(&r, "value=\"not-an-address\"");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/automations/new", "/agent/admin/automations/new",
	    "name=Nothing&position=1&on_event=created&if_text=refund");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Choose at least one thing the rule does.");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/automations/new", "/agent/admin/automations/new",
	    "name=Refunds+tagged&position=1&on_event=created&if_text=refund&add_tags=Refund,+money"
	    "&set_priority=high");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM automation_rules WHERE name = 'Refunds tagged'"
	    " AND add_tags = '{money,refund}' AND NOT active AND if_text = 'refund'", NULL), 1);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM audit_log WHERE action ="
	    " 'automation_rule.create'", NULL), 1);
	id = sql_owner(db, "SELECT id FROM automation_rules WHERE name = 'Refunds tagged'", NULL);
	snprintf(path, sizeof(path), "/agent/admin/automations/%s/dry-run", id);
	r = web_get(&stack, &j, path);
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "Refund for order 7");
	ck_assert_ptr_null(strstr(r.body, "Login fails"));
	th_resp_free(&r);
	/* The dry run touched nothing. */
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM tickets WHERE tags <> '{}'", NULL),
	    0);
	free(id);
}
END_TEST

/*
 * A time rule counted in business hours, made in the form: its dry run
 * (as the console's role) lists the pending ticket the next tick acts on
 * and not the recent one; the tick does exactly that, and the dry run then
 * lists nothing.
 */
START_TEST(time_rule_dry_run_is_what_the_next_tick_does)
{
	struct jar j = { 0 };
	struct th_resp r;
	char *id, path[96];

	free(sql_owner(db, "WITH c AS (INSERT INTO customers (name) VALUES ('Slow Ltd') RETURNING id)"
	    " INSERT INTO tickets (customer_id, channel, subject, description, status) SELECT c.id,"
	    " 'email', v.s, 'Text.', 'pending_customer' FROM c, (VALUES ('Waiting since Monday'),"
	    " ('Waiting since lunch')) v (s)", NULL));
	free(sql_owner(db, "UPDATE tickets SET status_changed_at = now() - interval '100 hours'"
	    " WHERE subject = 'Waiting since Monday'", NULL));
	web_staff_sign_in(&stack, &j, "root@acme.test", PW);
	r = web_post(&stack, &j, "/agent/admin/automations/new", "/agent/admin/automations/new",
	    "name=Nudge&position=1&on_event=time&time_basis=status&time_hours=48"
	    "&time_business=1&if_status=pending_customer&add_tags=nudged&active=1");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	id = sql_owner(db, "SELECT id FROM automation_rules WHERE name = 'Nudge' AND time_business",
	    NULL);
	snprintf(path, sizeof(path), "/agent/admin/automations/%s/dry-run", id);
	r = web_get(&stack, &j, path);
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "Waiting since Monday");
	ck_assert_ptr_null(strstr(r.body, "Waiting since lunch"));
	th_resp_free(&r);
	ck_assert_int_eq(th_sh("env -u CSDESK_SMTP_URL CSDESK_DB='%s' CSDESK_MAIL_DIR='%s/mail'"
	    " '%s/csdesk' batch > /dev/null 2>&1", db, stack.dir, th_build_dir()), 0);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM tickets WHERE 'nudged' = ANY (tags)"
	    " AND subject = 'Waiting since Monday'", NULL), 1);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM tickets WHERE 'nudged' = ANY (tags)",
	    NULL), 1);
	r = web_get(&stack, &j, path);
	assert_has(&r, "No open ticket would be touched now.");
	th_resp_free(&r);
	free(id);
}
END_TEST

START_TEST(flag_form_escalates_and_refuses_what_is_no_flag)
{
	struct jar j = { 0 };
	struct th_resp r;
	char *number, page[96], path[128];

	number = sql_owner(db, "WITH c AS (INSERT INTO customers (name) VALUES ('Flag Ltd')"
	    " RETURNING id) INSERT INTO tickets (customer_id, channel, subject, description)"
	    " SELECT c.id, 'email', 'A letter from our lawyers', 'Text.' FROM c RETURNING number",
	    NULL);
	snprintf(page, sizeof(page), "/agent/tickets/%s", number);
	snprintf(path, sizeof(path), "/agent/tickets/%s/flags", number);
	web_staff_sign_in(&stack, &j, "nina@acme.test", PW);
	r = web_get(&stack, &j, page);
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "Flag Legal</button>");
	th_resp_free(&r);
	r = web_post(&stack, &j, path, page, "flag=lawsuit&on=1");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Choose one of the flags.");
	th_resp_free(&r);
	r = web_post(&stack, &j, path, page, "flag=legal&on=1");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM tickets WHERE flags = '{legal}'",
	    NULL), 1);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM ticket_escalations WHERE trigger = 'flag'", NULL), 1);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM audit_log WHERE action = 'ticket.flag'", NULL), 1);
	r = web_get(&stack, &j, page);
	assert_has(&r, "Clear<span class=\"visually-hidden\"> Legal</span>");
	th_resp_free(&r);
	free(number);
}
END_TEST

#define ANSWER_TOKEN "0123456789abcdef0123456789abcdef"

START_TEST(answer_link_asks_then_resolves_once)
{
	struct jar j = { 0 };
	struct th_resp r;
	const char *path = "/tickets/solved/" ANSWER_TOKEN;

	free(sql_owner(db, "WITH c AS (INSERT INTO customers (name) VALUES ('Answer Ltd')"
	    " RETURNING id), t AS (INSERT INTO tickets (customer_id, channel, subject, description,"
	    " priority) SELECT c.id, 'email', 'Scanner jams', 'Text.', 'low' FROM c RETURNING id)"
	    " INSERT INTO kb_auto_answers (ticket_id, token_sha256, article_ids) SELECT t.id,"
	    " encode(sha256('" ANSWER_TOKEN "'::bytea), 'hex'), '{}' FROM t", NULL));
	/* Following the link (a mail scanner would) changes nothing. */
	r = web_get(&stack, &j, path);
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "close the request");
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM tickets WHERE subject = 'Scanner jams'"
	    " AND status = 'new'", NULL), 1);
	r = web_post(&stack, &j, path, path, "");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "is resolved; no agent needs to answer it");
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM tickets WHERE subject = 'Scanner jams'"
	    " AND status = 'resolved'", NULL), 1);
	r = web_post(&stack, &j, path, path, "");
	assert_has(&r, "This link was used already");
	th_resp_free(&r);
	r = web_get(&stack, &j, "/tickets/solved/not-a-token");
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
}
END_TEST

START_TEST(who_can_take_shows_load_shift_and_skills)
{
	struct jar j = { 0 };
	struct th_resp r;
	char *number, page[96], path[128], body[64];

	number = sql_owner(db, "WITH c AS (INSERT INTO customers (name) VALUES ('Who Ltd')"
	    " RETURNING id), k AS (INSERT INTO skills (name) VALUES ('soldering') RETURNING id),"
	    " s AS (INSERT INTO staff_skills (staff_id, skill_id) SELECT st.id, k.id FROM staff st,"
	    " k WHERE st.email = 'nina@acme.test' RETURNING 1)"
	    " INSERT INTO tickets (customer_id, channel, subject, description) SELECT c.id, 'email',"
	    " 'Who takes this', 'Text.' FROM c, (SELECT count(*) FROM s) x RETURNING number", NULL);
	free(sql_owner(db, "UPDATE staff SET capacity = 7, work_days = '{1,2,3}', work_start = '08:00',"
	    " work_end = '16:30', time_zone = 'Europe/Paris' WHERE email = 'nina@acme.test'", NULL));
	snprintf(page, sizeof(page), "/agent/tickets/%s/agents", number);
	snprintf(path, sizeof(path), "/agent/tickets/%s/assign", number);
	web_staff_sign_in(&stack, &j, "root@acme.test", PW);
	r = web_get(&stack, &j, page);
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "Nina Night");
	assert_has(&r, "0 / 7");
	assert_has(&r, "Mon Tue Wed 08:00\xe2\x80\x93" "16:30 Europe/Paris");
	assert_has(&r, "soldering");
	th_resp_free(&r);
	snprintf(body, sizeof(body), "team_id=&agent_id=%lld", agent_id);
	r = web_post(&stack, &j, path, page, body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM tickets t JOIN staff s ON s.id = t.assignee_id"
	    " WHERE t.subject = 'Who takes this' AND s.email = 'nina@acme.test'", NULL), 1);
	r = web_get(&stack, &j, page);
	assert_has(&r, "1 / 7");
	assert_has(&r, "has it");
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/tickets/TKT-999999/agents");
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
	free(number);
}
END_TEST

START_TEST(escalation_levels_named_refused_and_audited)
{
	struct jar j = { 0 };
	struct th_resp r;
	const char *url = "/agent/admin/escalation-levels";

	web_staff_sign_in(&stack, &j, "root@acme.test", PW);
	r = web_get(&stack, &j, url);
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "value=\"team lead\"");
	th_resp_free(&r);
	r = web_post(&stack, &j, url, url, "name_1=Desk&name_2=Senior&name_3=&name_4=Senior"
	    "&name_5=Board");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Name the level.");
	assert_has(&r, "Another level has this name.");
	assert_has(&r, "value=\"Board\"");
	th_resp_free(&r);
	r = web_post(&stack, &j, url, url, "name_1=Desk&name_2=Senior&name_3=Lead&name_4=Head"
	    "&name_5=Board");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM escalation_levels WHERE (level, name) IN"
	    " ((1, 'Desk'), (5, 'Board'))", NULL), 2);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM audit_log WHERE action ="
	    " 'escalation_levels.update'", NULL), 1);
	free(sql_owner(db, "UPDATE escalation_levels SET name = (ARRAY['frontline', 'senior',"
	    " 'team lead', 'manager', 'director'])[level]", NULL));
}
END_TEST

START_TEST(customer_routing_refused_and_saved)
{
	struct jar j = { 0 };
	struct th_resp r;
	char *id, url[96], body[96];

	id = sql_owner(db, "INSERT INTO customers (name) VALUES ('Pref Ltd') RETURNING id", NULL);
	snprintf(url, sizeof(url), "/agent/admin/customers/%s/routing", id);
	web_staff_sign_in(&stack, &j, "root@acme.test", PW);
	r = web_get(&stack, &j, url);
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "Nina Night");
	th_resp_free(&r);
	r = web_post(&stack, &j, url, url, "preferred_agent_id=&time_zone=Mars%2FOlympus");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Enter a time zone such as Europe/London");
	assert_has(&r, "value=\"Mars/Olympus\"");
	th_resp_free(&r);
	snprintf(body, sizeof(body), "preferred_agent_id=%lld&time_zone=Europe%%2FLisbon",
	    agent_id);
	r = web_post(&stack, &j, url, url, body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM customers WHERE name = 'Pref Ltd'"
	    " AND time_zone = 'Europe/Lisbon' AND preferred_agent_id = (SELECT id FROM staff"
	    " WHERE email = 'nina@acme.test')", NULL), 1);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM audit_log WHERE action = 'customer.routing'", NULL),
	    1);
	r = web_get(&stack, &j, "/agent/admin/customers/999999/routing");
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
	free(id);
}
END_TEST

START_TEST(queue_required_skill_in_the_queue_form)
{
	struct jar j = { 0 };
	struct th_resp r;
	char *skill, body[200];
	const char *url = "/agent/admin/queues";

	web_staff_sign_in(&stack, &j, "root@acme.test", PW);
	/* The skills page: a blank name refused, a skill added and audited. */
	r = web_post(&stack, &j, "/agent/admin/skills", "/agent/admin/skills", "name=+");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Name is required.");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/skills", "/agent/admin/skills", "name=refunds");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	skill = sql_owner(db, "SELECT id FROM skills WHERE name = 'refunds'", NULL);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM audit_log WHERE action ="
	    " 'skill.create' AND object_id = $1", skill), 1);
	r = web_post(&stack, &j, url, url, "name=Refunds&team_id=&auto_assign=1"
	    "&required_skill_id=999999");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Choose one of the listed skills.");
	th_resp_free(&r);
	/* A level beyond 5 is refused at its field, the name kept as typed. */
	snprintf(body, sizeof(body), "name=Refunds&team_id=&auto_assign=1&required_skill_id=%s"
	    "&required_skill_level=9", skill);
	r = web_post(&stack, &j, url, url, body);
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "value=\"Refunds\"");
	th_resp_free(&r);
	snprintf(body, sizeof(body), "name=Refunds&team_id=&auto_assign=1&required_skill_id=%s"
	    "&required_skill_level=3", skill);
	r = web_post(&stack, &j, url, url, body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM queues q JOIN skills k ON"
	    " k.id = q.required_skill_id WHERE q.name = 'Refunds' AND k.name = 'refunds'"
	    " AND q.required_skill_level = 3", NULL), 1);
	/* Audited with the skill and its level. */
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM audit_log WHERE action ="
	    " 'queue.create' AND detail->>'required_skill_id' = $1"
	    " AND detail->>'required_skill_level' = '3'", skill), 1);
	r = web_get(&stack, &j, url);
	assert_has(&r, ">refunds</option>");
	th_resp_free(&r);
	free(skill);
}
END_TEST

START_TEST(webhooks_refused_added_and_logged)
{
	struct jar j = { 0 };
	struct th_resp r;
	const char *url = "/agent/admin/webhooks", *loc;
	char *secret, path[64];

	web_staff_sign_in(&stack, &j, "root@acme.test", PW);
	/* Not an address to post to, no events: both said, the name kept. */
	r = web_post(&stack, &j, url, url, "name=Warehouse+system&url=ftp%3A%2F%2Fexample.com");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "starting with https:// or http://");
	assert_has(&r, "value=\"Warehouse system\"");
	th_resp_free(&r);
	r = web_post(&stack, &j, url, url, "name=Warehouse+system"
	    "&url=https%3A%2F%2Fhooks.example.com%2Fcsdesk");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Choose at least one event.");
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM webhooks", NULL), 0);
	r = web_post(&stack, &j, url, url, "name=Warehouse+system"
	    "&url=https%3A%2F%2Fhooks.example.com%2Fcsdesk&events=ticket.created"
	    "&events=ticket.status_changed");
	ck_assert_int_eq(r.status, 303);
	loc = th_header(&r, "Location");
	ck_assert_ptr_nonnull(loc);
	snprintf(path, sizeof(path), "%s", loc);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM audit_log WHERE action = 'webhook.create'"
	    " AND detail->>'url' = 'https://hooks.example.com/csdesk'", NULL), 1);
	/* Its page: the secret and an empty log. */
	secret = sql_owner(db, "SELECT secret FROM webhooks", NULL);
	r = web_get(&stack, &j, path);
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, secret);
	assert_has(&r, "Nothing delivered yet.");
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/admin/webhooks/999999");
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
	/* Off, then deleted: each audited. */
	{
		char *id = sql_owner(db, "SELECT id FROM webhooks", NULL);

		snprintf(path, sizeof(path), "/agent/admin/webhooks/%s/active", id);
		r = web_post(&stack, &j, path, url, "");
		ck_assert_int_eq(r.status, 303);
		th_resp_free(&r);
		ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM webhooks WHERE NOT active",
		    NULL), 1);
		snprintf(path, sizeof(path), "/agent/admin/webhooks/%s/delete", id);
		r = web_post(&stack, &j, path, url, "");
		ck_assert_int_eq(r.status, 303);
		th_resp_free(&r);
		free(id);
	}
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM audit_log WHERE action IN"
	    " ('webhook.deactivate', 'webhook.delete')", NULL), 2);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM webhooks", NULL), 0);
	/* Agents do not get in. */
	jar_clear(&j);
	web_staff_sign_in(&stack, &j, "nina@acme.test", PW);
	r = web_get(&stack, &j, url);
	ck_assert_int_eq(r.status, 403);
	th_resp_free(&r);
	free(secret);
}
END_TEST

Suite *http_automation_suite(void);

Suite *
http_automation_suite(void)
{
	Suite *s = suite_create("http_automation");
	TCase *tc = tcase_create("automation");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, oncall_rota_refuses_adds_and_removes);
	tcase_add_test(tc, escalation_rule_for_one_target);
	tcase_add_test(tc, automation_rule_refused_saved_and_dry_run);
	tcase_add_test(tc, time_rule_dry_run_is_what_the_next_tick_does);
	tcase_add_test(tc, flag_form_escalates_and_refuses_what_is_no_flag);
	tcase_add_test(tc, answer_link_asks_then_resolves_once);
	tcase_add_test(tc, who_can_take_shows_load_shift_and_skills);
	tcase_add_test(tc, escalation_levels_named_refused_and_audited);
	tcase_add_test(tc, customer_routing_refused_and_saved);
	tcase_add_test(tc, queue_required_skill_in_the_queue_form);
	tcase_add_test(tc, webhooks_refused_added_and_logged);
	suite_add_tcase(s, tc);
	return s;
}
