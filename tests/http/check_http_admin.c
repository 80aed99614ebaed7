/*
 * The console's admin pages through nginx: only admins get in, every form
 * needs its CSRF token, bad input comes back with 422 and what was typed,
 * staff and customers can be created, edited and deactivated (which ends
 * their sessions at once), names are escaped, and the security pages show
 * lock-outs, the outbox, the audit log and the settings.
 *
 * A test that changes a staff member or a customer makes its own
 * (tests/lib/fixtures.h); counts of audit rows look at its own objects.
 */
#include "identity.h"
#include "../lib/fixtures.h"
#include "auth/password.h"
#include "db/db.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADMIN_PW "granite pelican harbour 31"
#define AGENT_PW "copper lantern orchard 7"
#define NEW_PW "violet tugboat canyon 58"

static struct th_stack stack;
static char *db;
static long long agent_id, web_id;

static void
setup(void)
{
	struct db d;
	char hash[PASSWORD_HASH_MAX];

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("admin");
	ck_assert_int_eq(db_open(&d, db, "admin-setup"), 0);
	ck_assert_int_eq(password_hash(ADMIN_PW, hash), 0);
	web_id = staff_fixture(&d, "root@acme.test", "Ada Admin", hash, "agent,admin");
	ck_assert_int_gt(web_id, 0);
	ck_assert_int_eq(password_hash(AGENT_PW, hash), 0);
	agent_id = staff_fixture(&d, "agent@acme.test", "Alex Agent", hash, "agent");
	ck_assert_int_gt(agent_id, 0);
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

START_TEST(only_admins_reach_admin_routes)
{
	struct jar agent = { 0 }, nobody = { 0 }, admin = { 0 };
	struct fx_person ag;
	char cmd[1024], line[512];
	long long teams = sql_owner_ll(db, "SELECT count(*) FROM teams", NULL);
	int checked = 0;
	FILE *f;

	fx_staff(db, "Alex Agent", "agent", &ag);
	web_staff_sign_in(&stack, &agent, ag.email, FX_PASSWORD);
	web_staff_sign_in(&stack, &admin, "root@acme.test", ADMIN_PW);
	/* The console's own table, so a route added later is covered too. */
	snprintf(cmd, sizeof(cmd), "'%s/console.fcgi' --routes", th_build_dir());
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		char method[16], pattern[400], path[400];
		struct th_resp r;
		size_t i, k = 0;
		int in = 0;

		if (sscanf(line, "%15s %399s", method, pattern) != 2 ||
		    strncmp(pattern, "/agent/admin/", 13) != 0)
			continue;
		for (i = 0; pattern[i] && k < sizeof(path) - 2; i++) {
			if (pattern[i] == '{')
				in = 1, path[k++] = '1';
			else if (pattern[i] == '}')
				in = 0;
			else if (!in)
				path[k++] = pattern[i];
		}
		path[k] = '\0';
		if (strcmp(method, "GET") == 0) {
			r = web_get(&stack, &agent, path);
			ck_assert_msg(r.status == 403, "agent: GET %s: %ld", path, r.status);
			th_resp_free(&r);
			r = web_get(&stack, &nobody, path);
			ck_assert_msg(r.status == 303, "nobody: GET %s: %ld", path, r.status);
			ck_assert_ptr_nonnull(strstr(th_header(&r, "Location"), "/agent/login"));
			th_resp_free(&r);
			/* The admin's pages exist (users/{id} of customer 1 is POST only). */
			r = web_get(&stack, &admin, path);
			ck_assert_msg(r.status == 200 || r.status == 404, "admin: GET %s: %ld",
			    path, r.status);
			th_resp_free(&r);
		} else {
			/* With a valid token: the role, not the token, refuses. */
			r = web_post(&stack, &agent, path, "/agent/", "name=x&op=activate");
			ck_assert_msg(r.status == 403, "agent: POST %s: %ld", path, r.status);
			th_resp_free(&r);
		}
		checked++;
	}
	pclose(f);
	ck_assert_int_ge(checked, 21);
	/* Nothing the agent sent changed anything. */
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM teams", NULL), teams);
	snprintf(line, sizeof(line), "%lld", ag.id);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM audit_log WHERE actor_kind = 'staff'"
	    " AND actor_id = $1::bigint AND action NOT IN ('login.success', 'logout')", line), 0);
	/* The admin sees the way in; the agent does not. */
	{
		struct th_resp r = web_get(&stack, &admin, "/agent/");

		assert_has(&r, "href=\"/agent/admin/\"");
		th_resp_free(&r);
		r = web_get(&stack, &agent, "/agent/");
		ck_assert_ptr_null(strstr(r.body, "href=\"/agent/admin/\""));
		th_resp_free(&r);
	}
}
END_TEST

START_TEST(admin_creates_staff_and_sees_it_listed)
{
	struct jar j = { 0 };
	struct th_resp r;
	long long id;

	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	r = web_get(&stack, &j, "/agent/admin/staff/new");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "name=\"roles\" value=\"supervisor\"");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/staff/new", "/agent/admin/staff/new",
	    "name=Sam+Support&email=Sam%40Acme.test&roles=agent&roles=supervisor&team_id="
	    "&password=violet+tugboat+canyon+58");
	ck_assert_int_eq(r.status, 303);
	id = web_location_id(&r, "/agent/admin/staff/");
	ck_assert_int_gt(id, 0);
	th_resp_free(&r);
	/* The flash, then the person in the list (filtered: other tests add staff too). */
	r = web_get(&stack, &j, "/agent/admin/staff?q=support");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "sam@acme.test");
	assert_has(&r, "Sam Support");
	assert_has(&r, "was added");
	th_resp_free(&r);
	/* Filters: by text, by status. */
	r = web_get(&stack, &j, "/agent/admin/staff?q=sam&active=yes");
	assert_has(&r, "sam@acme.test");
	ck_assert_ptr_null(strstr(r.body, "agent@acme.test"));
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/admin/staff?q=sam&active=no");
	ck_assert_ptr_null(strstr(r.body, "sam@acme.test"));
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM staff WHERE email = 'sam@acme.test'"
	    " AND roles = '{agent,supervisor}'", NULL), 1);
	{
		char sid[24];

		snprintf(sid, sizeof(sid), "%lld", id);
		ck_assert_int_eq(sql_owner_ll(db,
		    "SELECT count(*) FROM audit_log WHERE action = 'staff.create'"
		    " AND actor_kind = 'staff' AND actor_id = (SELECT id FROM staff"
		    " WHERE email = 'root@acme.test') AND object_type = 'staff' AND object_id = $1",
		    sid), 1);
	}
	/* The new person can sign in with the password the admin chose. */
	jar_clear(&j);
	web_staff_sign_in(&stack, &j, "sam@acme.test", NEW_PW);
	/* The same e-mail twice is a message, not an error page. */
	jar_clear(&j);
	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	r = web_post(&stack, &j, "/agent/admin/staff/new", "/agent/admin/staff/new",
	    "name=Sam+Again&email=sam%40acme.test&roles=agent&password=violet+tugboat+canyon+58");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "already exists");
	assert_has(&r, "value=\"Sam Again\"");
	th_resp_free(&r);
}
END_TEST

START_TEST(forms_without_csrf_token_change_nothing)
{
	struct jar j = { 0 };
	struct th_resp r;
	long long before = sql_owner_ll(db, "SELECT count(*) FROM staff", NULL);
	char *registration = sql_owner(db, "SELECT value FROM settings WHERE key = $1",
	    "public_registration"), *after;

	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	r = web_post(&stack, &j, "/agent/admin/staff/new", NULL,
	    "name=No+Token&email=notoken%40acme.test&roles=agent"
	    "&password=violet+tugboat+canyon+58");
	ck_assert_int_eq(r.status, 403);
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/staff/new", NULL, "csrf_token=forged&name=No+Token"
	    "&email=notoken%40acme.test&roles=agent&password=violet+tugboat+canyon+58");
	ck_assert_int_eq(r.status, 403);
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/teams", NULL, "name=Sneaky");
	ck_assert_int_eq(r.status, 403);
	th_resp_free(&r);
	/* The opposite of what it is, so that a change would show. */
	r = web_post(&stack, &j, "/agent/admin/settings", NULL, strcmp(registration, "true") == 0 ?
	    "require_admin_totp=no&public_registration=no" :
	    "require_admin_totp=no&public_registration=yes");
	ck_assert_int_eq(r.status, 403);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM staff", NULL), before);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM teams WHERE name = 'Sneaky'", NULL),
	    0);
	after = sql_owner(db, "SELECT value FROM settings WHERE key = $1", "public_registration");
	ck_assert_str_eq(after, registration);
	free(after);
	free(registration);
}
END_TEST

START_TEST(invalid_input_comes_back_with_422_and_what_was_typed)
{
	struct jar j = { 0 };
	struct th_resp r;
	struct fx_person ag;
	char path[64];

	fx_staff(db, "Alex Agent", "agent", &ag);
	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	r = web_post(&stack, &j, "/agent/admin/staff/new", "/agent/admin/staff/new",
	    "name=Keep+Me+Typed&email=not-an-email&password=short+pw");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "value=\"Keep Me Typed\"");
	assert_has(&r, "value=\"not-an-email\"");
	assert_has(&r, "Choose at least one role.");
	assert_has(&r, "must be an e-mail address");
	assert_has(&r, "aria-invalid=\"true\"");
	/* A password is never sent back. */
	ck_assert_ptr_null(strstr(r.body, "short pw"));
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM staff WHERE name = 'Keep Me Typed'",
	    NULL), 0);
	/* A weak password is refused with the reason. */
	r = web_post(&stack, &j, "/agent/admin/staff/new", "/agent/admin/staff/new",
	    "name=Weak+Pw&email=weak%40acme.test&roles=agent&password=short");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "id=\"password-error\"");
	th_resp_free(&r);
	/* The edit form: numbers, times, zones, languages out of range. */
	snprintf(path, sizeof(path), "/agent/admin/staff/%lld", ag.id);
	r = web_post(&stack, &j, path, path, "name=Alex+Agent&roles=agent&languages=en%2C+french"
	    "&capacity=5000&work_days=1&work_days=9&work_start=25%3A00&work_end=17%3A00"
	    "&time_zone=Mars%2FOlympus&escalation_level=2&active=1");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "value=\"5000\"");
	assert_has(&r, "value=\"Mars/Olympus\"");
	assert_has(&r, "value=\"en, french\"");
	assert_has(&r, "value=\"25:00\"");
	assert_has(&r, "id=\"capacity-error\"");
	assert_has(&r, "id=\"time_zone-error\"");
	assert_has(&r, "id=\"languages-error\"");
	assert_has(&r, "id=\"work_start-error\"");
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT capacity FROM staff WHERE email = $1", ag.email),
	    20);
	/* Not a number, not a person. */
	r = web_get(&stack, &j, "/agent/admin/staff/abc");
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/admin/staff/999999");
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/admin/staff?after=junk");
	ck_assert_int_eq(r.status, 400);
	th_resp_free(&r);
}
END_TEST

START_TEST(editing_staff_saves_everything)
{
	struct jar j = { 0 };
	struct th_resp r;
	struct fx_person ag;
	char path[64], body[512], *skill;

	fx_staff(db, "Alex Agent", "agent", &ag);
	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	r = web_post(&stack, &j, "/agent/admin/skills", "/agent/admin/skills", "name=Printers");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/teams", "/agent/admin/teams", "name=Hardware");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	skill = sql_owner(db, "SELECT id FROM skills WHERE name = $1", "Printers");
	{
		char *team = sql_owner(db, "SELECT id FROM teams WHERE name = $1", "Hardware");

		snprintf(body, sizeof(body), "name=Alex+Agent&roles=agent&roles=technician"
		    "&team_id=%s&skills=%s&languages=EN%%2C+de&capacity=35&work_days=1&work_days=3"
		    "&work_days=7&work_start=08%%3A30&work_end=16%%3A45&time_zone=Europe%%2FBerlin"
		    "&escalation_level=3&active=1", team, skill);
		free(team);
	}
	snprintf(path, sizeof(path), "/agent/admin/staff/%lld", ag.id);
	r = web_post(&stack, &j, path, path, body);
	ck_assert_int_eq(r.status, 303);
	ck_assert_str_eq(th_header(&r, "Location"), path);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM staff s JOIN teams t ON t.id = s.team_id"
	    " WHERE s.email = $1 AND t.name = 'Hardware'"
	    " AND s.roles = '{agent,technician}' AND s.languages = '{en,de}' AND s.capacity = 35"
	    " AND s.work_days = '{1,3,7}' AND s.work_start = '08:30' AND s.work_end = '16:45'"
	    " AND s.time_zone = 'Europe/Berlin' AND s.escalation_level = 3 AND s.active", ag.email),
	    1);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM staff_skills WHERE skill_id = $1::bigint",
	    skill), 1);
	/* The page shows it back. */
	r = web_get(&stack, &j, path);
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "value=\"en, de\"");
	assert_has(&r, "value=\"Europe/Berlin\"");
	assert_has(&r, "value=\"technician\" checked");
	th_resp_free(&r);
	/* Without the skill ticked, it goes. */
	snprintf(body, sizeof(body), "name=Alex+Agent&roles=agent&languages=en&capacity=20"
	    "&work_days=1&work_start=09%%3A00&work_end=17%%3A00&time_zone=UTC"
	    "&escalation_level=1&active=1");
	r = web_post(&stack, &j, path, path, body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM staff_skills WHERE skill_id = $1::bigint",
	    skill), 0);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM audit_log WHERE action = 'staff.update'"
	    " AND object_type = 'staff' AND object_id = $1", path + strlen("/agent/admin/staff/")),
	    2);
	free(skill);
}
END_TEST

START_TEST(teams_and_skills_add_and_rename)
{
	struct jar j = { 0 };
	struct th_resp r;
	char body[128], *id;

	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	r = web_post(&stack, &j, "/agent/admin/teams", "/agent/admin/teams", "name=Billing");
	ck_assert_int_eq(r.status, 303);
	ck_assert_str_eq(th_header(&r, "Location"), "/agent/admin/teams");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/teams", "/agent/admin/teams", "name=Billing");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "There is already a team called");
	assert_has(&r, "value=\"Billing\"");
	th_resp_free(&r);
	id = sql_owner(db, "SELECT id FROM teams WHERE name = $1", "Billing");
	snprintf(body, sizeof(body), "id=%s&name=Invoices", id);
	r = web_post(&stack, &j, "/agent/admin/teams", "/agent/admin/teams", body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/admin/teams");
	assert_has(&r, "Invoices");
	ck_assert_ptr_null(strstr(r.body, ">Billing<"));
	th_resp_free(&r);
	/* An empty name on rename comes back on that row. */
	snprintf(body, sizeof(body), "id=%s&name=", id);
	r = web_post(&stack, &j, "/agent/admin/teams", "/agent/admin/teams", body);
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Name is required.");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/skills", "/agent/admin/skills", "name=Networking");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/teams", "/agent/admin/teams", "id=99999&name=Ghost");
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM audit_log WHERE action = 'team.rename'"
	    " AND object_type = 'team' AND object_id = $1", id), 1);
	free(id);
}
END_TEST

START_TEST(deactivating_staff_ends_their_sessions)
{
	struct jar admin = { 0 }, vic = { 0 };
	struct th_resp r;
	struct fx_person v;
	char path[64];

	fx_staff(db, "Vic Victim", "agent", &v);
	web_staff_sign_in(&stack, &vic, v.email, FX_PASSWORD);
	r = web_get(&stack, &vic, "/agent/");
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	web_staff_sign_in(&stack, &admin, "root@acme.test", ADMIN_PW);
	snprintf(path, sizeof(path), "/agent/admin/staff/%lld", v.id);
	/* No "active" field: the box was unticked. */
	r = web_post(&stack, &admin, path, path, "name=Vic+Victim&roles=agent&languages=en"
	    "&capacity=20&work_days=1&work_start=09%3A00&work_end=17%3A00&time_zone=UTC"
	    "&escalation_level=1");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_get(&stack, &admin, path);
	assert_has(&r, "signed out everywhere");
	th_resp_free(&r);
	/* Their cookie is worthless now. */
	r = web_get(&stack, &vic, "/agent/");
	ck_assert_int_eq(r.status, 303);
	ck_assert_ptr_nonnull(strstr(th_header(&r, "Location"), "/agent/login"));
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM staff_sessions WHERE staff_id = $1::bigint",
	    path + strlen("/agent/admin/staff/")), 0);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM audit_log WHERE action = 'staff.deactivate'"
	    " AND object_type = 'staff' AND object_id = $1", path + strlen("/agent/admin/staff/")),
	    1);
}
END_TEST

START_TEST(admins_cannot_demote_or_deactivate_themselves)
{
	struct jar j = { 0 };
	struct th_resp r;
	char path[64];

	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	snprintf(path, sizeof(path), "/agent/admin/staff/%lld", web_id);
	r = web_get(&stack, &j, path);
	assert_has(&r, "This is your own account");
	th_resp_free(&r);
	r = web_post(&stack, &j, path, path, "name=Ada+Admin&roles=agent&languages=en"
	    "&capacity=20&work_days=1&work_start=09%3A00&work_end=17%3A00&time_zone=UTC"
	    "&escalation_level=1&active=1");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "You cannot remove your own admin role");
	th_resp_free(&r);
	r = web_post(&stack, &j, path, path, "name=Ada+Admin&roles=agent&roles=admin&languages=en"
	    "&capacity=20&work_days=1&work_start=09%3A00&work_end=17%3A00&time_zone=UTC"
	    "&escalation_level=1");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "You cannot deactivate yourself");
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM staff WHERE email = 'root@acme.test'"
	    " AND active AND 'admin' = ANY (roles)", NULL), 1);
	r = web_get(&stack, &j, "/agent/admin/");
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
}
END_TEST

START_TEST(customer_form_keeps_what_was_typed_on_bad_input)
{
	struct jar j = { 0 };
	struct th_resp r;

	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	r = web_get(&stack, &j, "/agent/admin/customers/new");
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/customers/new", "/agent/admin/customers/new",
	    "name=Globex&kind=planet&tier=vip&language=english&phone=call+me&email=x"
	    "&login_name=Hank&password=violet+tugboat+canyon+58");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "value=\"Globex\"");
	assert_has(&r, "value=\"english\"");
	assert_has(&r, "value=\"call me\"");
	assert_has(&r, "id=\"kind-error\"");
	assert_has(&r, "id=\"language-error\"");
	assert_has(&r, "id=\"phone-error\"");
	assert_has(&r, "id=\"email-error\"");
	th_resp_free(&r);
}
END_TEST

START_TEST(admin_opens_a_customer_account_with_a_portal_login)
{
	struct jar j = { 0 }, cust = { 0 };
	struct th_resp r;
	char path[96], cid[24];
	long long id;

	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	r = web_post(&stack, &j, "/agent/admin/customers/new", "/agent/admin/customers/new",
	    "name=Globex&kind=company&tier=vip&language=en-GB&phone=%2B44+20+7946+0000"
	    "&email=hank%40globex.test&login_name=Hank+Scorpio&password=violet+tugboat+canyon+58");
	ck_assert_int_eq(r.status, 303);
	id = web_location_id(&r, "/agent/admin/customers/");
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/admin/customers/%lld", id);
	r = web_get(&stack, &j, path);
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "hank@globex.test");
	assert_has(&r, "was opened");
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/admin/customers?q=globex");
	assert_has(&r, "hank@globex.test");
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/admin/customers?q=HANK%40");
	assert_has(&r, ">Globex<");
	th_resp_free(&r);
	/* The login works on the portal. */
	r = web_post(&stack, &cust, "/login", "/login",
	    "email=hank%40globex.test&password=violet+tugboat+canyon+58");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_get(&stack, &cust, "/account");
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	snprintf(cid, sizeof(cid), "%lld", id);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM audit_log WHERE action = 'customer.create'"
	    " AND object_type = 'customer' AND object_id = $1", cid), 1);
	/* The same login e-mail again is a message. */
	r = web_post(&stack, &j, "/agent/admin/customers/new", "/agent/admin/customers/new",
	    "name=Globex+Two&kind=company&tier=standard&language=en&phone="
	    "&email=hank%40globex.test&login_name=Hank&password=violet+tugboat+canyon+58");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "already exists");
	th_resp_free(&r);
}
END_TEST

START_TEST(editing_a_customer_saves_the_tier_and_login_flags)
{
	struct jar j = { 0 };
	struct th_resp r;
	struct fx_person hank;
	char path[96], upath[128], cid[24], uid[24];

	fx_customer(db, "Hank Scorpio", "Globex", "vip", &hank);
	snprintf(cid, sizeof(cid), "%lld", hank.customer_id);
	snprintf(uid, sizeof(uid), "%lld", hank.id);
	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	snprintf(path, sizeof(path), "/agent/admin/customers/%s", cid);
	/* Edit: the tier. */
	r = web_post(&stack, &j, path, path, "name=Globex+Corporation&kind=company&tier=premium"
	    "&language=en&phone=&active=1");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM customers WHERE name = 'Globex Corporation'"
	    " AND tier = 'premium' AND phone IS NULL AND active AND id = $1::bigint", cid), 1);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM audit_log WHERE action = 'customer.update'"
	    " AND object_type = 'customer' AND object_id = $1", cid), 1);
	/* A portal user: the account admin flag off. */
	snprintf(upath, sizeof(upath), "%s/users/%s", path, uid);
	r = web_post(&stack, &j, upath, path, "op=revoke_admin");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM portal_users WHERE id = $1::bigint"
	    " AND NOT is_account_admin", uid), 1);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM audit_log"
	    " WHERE action = 'portal_user.revoke_admin' AND object_type = 'portal_user'"
	    " AND object_id = $1", uid), 1);
	r = web_post(&stack, &j, upath, path, "op=explode");
	ck_assert_int_eq(r.status, 400);
	th_resp_free(&r);
}
END_TEST

START_TEST(deactivating_a_customer_signs_its_people_out)
{
	struct jar j = { 0 }, cust = { 0 };
	struct th_resp r;
	struct fx_person hank;
	char path[96], cid[24], body[256];

	fx_customer(db, "Hank Scorpio", "Globex", "premium", &hank);
	snprintf(cid, sizeof(cid), "%lld", hank.customer_id);
	snprintf(body, sizeof(body), "email=%s&" FX_PASSWORD_FORM, hank.email);
	r = web_post(&stack, &cust, "/login", "/login", body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_get(&stack, &cust, "/account");
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	snprintf(path, sizeof(path), "/agent/admin/customers/%s", cid);
	/* No "active" field: the box was unticked. */
	r = web_post(&stack, &j, path, path, "name=Globex&kind=company&tier=premium"
	    "&language=en&phone=");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_get(&stack, &cust, "/account");
	ck_assert_int_eq(r.status, 303);
	ck_assert_ptr_nonnull(strstr(th_header(&r, "Location"), "/login"));
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM portal_sessions s JOIN portal_users u"
	    " ON u.id = s.portal_user_id WHERE u.email = $1", hank.email), 0);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM audit_log WHERE action = 'customer.deactivate'"
	    " AND object_type = 'customer' AND object_id = $1", cid), 1);
}
END_TEST

START_TEST(deactivating_a_portal_user_ends_their_sessions)
{
	struct jar j = { 0 }, cust = { 0 };
	struct th_resp r;
	char path[96], upath[128], *uid;
	long long id;

	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	r = web_post(&stack, &j, "/agent/admin/customers/new", "/agent/admin/customers/new",
	    "name=Initech&kind=company&tier=standard&language=en&phone="
	    "&email=peter%40initech.test&login_name=Peter&password=violet+tugboat+canyon+58");
	ck_assert_int_eq(r.status, 303);
	id = web_location_id(&r, "/agent/admin/customers/");
	th_resp_free(&r);
	r = web_post(&stack, &cust, "/login", "/login",
	    "email=peter%40initech.test&password=violet+tugboat+canyon+58");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/admin/customers/%lld", id);
	uid = sql_owner(db, "SELECT id FROM portal_users WHERE email = $1", "peter@initech.test");
	snprintf(upath, sizeof(upath), "%s/users/%s", path, uid);
	r = web_post(&stack, &j, upath, path, "op=deactivate");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_get(&stack, &cust, "/account");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM portal_users WHERE id = $1::bigint"
	    " AND NOT active", uid), 1);
	/* A user of another account is not found under this one. */
	snprintf(upath, sizeof(upath), "/agent/admin/customers/%lld/users/%s", id + 1000, uid);
	r = web_post(&stack, &j, upath, path, "op=activate");
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
	free(uid);
}
END_TEST

START_TEST(names_are_html_escaped)
{
	struct jar j = { 0 };
	struct th_resp r;
	long long id;
	char path[96];

	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	r = web_post(&stack, &j, "/agent/admin/staff/new", "/agent/admin/staff/new",
	    "name=%3Cscript%3Ealert(1)%3C%2Fscript%3E&email=xss%40acme.test&roles=agent"
	    "&password=violet+tugboat+canyon+58");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/admin/staff?q=xss");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "&lt;script&gt;alert(1)&lt;/script&gt;");
	ck_assert_ptr_null(strstr(r.body, "<script>alert(1)"));
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/customers/new", "/agent/admin/customers/new",
	    "name=%3Cscript%3Ealert(2)%3C%2Fscript%3E&kind=person&tier=standard&language=en"
	    "&phone=&email=xss%40evil.test&login_name=%22%3E%3Cb%3E"
	    "&password=violet+tugboat+canyon+58");
	ck_assert_int_eq(r.status, 303);
	id = web_location_id(&r, "/agent/admin/customers/");
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/admin/customers/%lld", id);
	r = web_get(&stack, &j, path);
	assert_has(&r, "&lt;script&gt;alert(2)&lt;/script&gt;");
	assert_has(&r, "&quot;&gt;&lt;b&gt;");
	ck_assert_ptr_null(strstr(r.body, "<script>alert(2)"));
	ck_assert_ptr_null(strstr(r.body, "\"><b>"));
	th_resp_free(&r);
	/* The flash message carried the name too. */
	r = web_get(&stack, &j, "/agent/admin/customers");
	ck_assert_ptr_null(strstr(r.body, "<script>alert(2)"));
	th_resp_free(&r);
}
END_TEST

START_TEST(lockouts_page_lists_a_locked_account)
{
	struct jar j = { 0 };
	struct th_resp r;
	int i;

	/* Six failures for one account: locked for a minute. */
	for (i = 0; i < 6; i++) {
		char *v = sql_owner(db, "INSERT INTO login_attempts (area, who, ip, success)"
		    " VALUES ('portal', $1, '192.0.2.7', false)", "mallory@evil.test");

		free(v);
	}
	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	r = web_get(&stack, &j, "/agent/admin/lockouts");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "mallory@evil.test");
	assert_has(&r, "<td class=\"num\">6</td>");
	/* Six from one address is below the address threshold. */
	ck_assert_ptr_null(strstr(r.body, "192.0.2.7"));
	th_resp_free(&r);
}
END_TEST

START_TEST(mail_page_says_where_mail_goes)
{
	struct jar j = { 0 };
	struct th_resp r;

	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	r = web_get(&stack, &j, "/agent/admin/mail");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "CSDESK_MAIL_DIR");
	assert_has(&r, "var/mail");
	th_resp_free(&r);
}
END_TEST

START_TEST(audit_log_filters_by_actor_and_action)
{
	struct jar j = { 0 };
	struct th_resp r;
	struct fx_person sam, hank;
	char id[24];

	/* This test's own rows: a staff member and a customer the admin made. */
	fx_staff(db, "Sam Support", "agent", &sam);
	fx_customer(db, "Hank Scorpio", "Globex", "standard", &hank);
	snprintf(id, sizeof(id), "%lld", sam.id);
	free(sql_owner(db, "INSERT INTO audit_log (actor_kind, actor_id, action, object_type,"
	    " object_id) SELECT 'staff', s.id, 'staff.create', 'staff', $1 FROM staff s"
	    " WHERE s.email = 'root@acme.test'", id));
	snprintf(id, sizeof(id), "%lld", hank.customer_id);
	free(sql_owner(db, "INSERT INTO audit_log (actor_kind, actor_id, action, object_type,"
	    " object_id) SELECT 'staff', s.id, 'customer.create', 'customer', $1 FROM staff s"
	    " WHERE s.email = 'root@acme.test'", id));
	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	r = web_get(&stack, &j, "/agent/admin/audit?actor=staff");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "staff.create");
	assert_has(&r, "login.success");
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/admin/audit?action=customer.create");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "customer.create");
	ck_assert_ptr_null(strstr(r.body, "staff.create"));
	th_resp_free(&r);
	/* A filter that is not an action name. */
	r = web_get(&stack, &j, "/agent/admin/audit?action=DROP+TABLE");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "id=\"action-error\"");
	th_resp_free(&r);
}
END_TEST

START_TEST(settings_refuse_a_second_factor_nobody_has_and_save)
{
	struct jar j = { 0 };
	struct th_resp r;

	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	/* A second factor cannot be required by an admin without one. */
	r = web_get(&stack, &j, "/agent/admin/settings");
	ck_assert_int_eq(r.status, 200);
	assert_has(&r, "value=\"yes\" checked");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/settings", "/agent/admin/settings",
	    "require_admin_totp=yes&public_registration=no");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "id=\"require_admin_totp-error\"");
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM settings WHERE key = 'public_registration'"
	    " AND value = 'true'", NULL), 1);
	r = web_post(&stack, &j, "/agent/admin/settings", "/agent/admin/settings",
	    "require_admin_totp=no&public_registration=no");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	ck_assert_int_eq(sql_owner_ll(db,
	    "SELECT count(*) FROM settings WHERE key = 'public_registration'"
	    " AND value = 'false'", NULL), 1);
	ck_assert_int_eq(sql_owner_ll(db, "SELECT count(*) FROM audit_log"
	    " WHERE action = 'setting.public_registration'", NULL), 1);
	/* Back on, for the suites' other tests. */
	r = web_post(&stack, &j, "/agent/admin/settings", "/agent/admin/settings",
	    "require_admin_totp=no&public_registration=yes");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
}
END_TEST

START_TEST(lists_page_by_keyset)
{
	struct jar j = { 0 };
	struct th_resp r;
	char next[512], *v;

	v = sql_owner(db, "INSERT INTO staff (email, name, password_hash, roles)"
	    " SELECT 'bulk' || g || '@acme.test', 'Bulk ' || g, 'x', '{agent}'"
	    " FROM generate_series(1, $1::integer) g", "60");
	free(v);
	v = sql_owner(db, "INSERT INTO customers (name) SELECT 'Pagecorp ' || g"
	    " FROM generate_series(1, $1::integer) g", "55");
	free(v);
	web_staff_sign_in(&stack, &j, "root@acme.test", ADMIN_PW);
	r = web_get(&stack, &j, "/agent/admin/staff?q=bulk&active=yes");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(web_occurrences(r.body, "@acme.test</td>"), 50);
	ck_assert_ptr_null(strstr(r.body, "First page"));
	ck_assert_int_eq(web_href_before(r.body, "\">Next page</a>", next, sizeof(next)), 0);
	th_resp_free(&r);
	ck_assert_ptr_nonnull(strstr(next, "q=bulk"));
	ck_assert_ptr_nonnull(strstr(next, "active=yes"));
	r = web_get(&stack, &j, next);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(web_occurrences(r.body, "@acme.test</td>"), 10);
	assert_has(&r, "bulk60@acme.test");
	ck_assert_ptr_null(strstr(r.body, "bulk50@acme.test"));
	assert_has(&r, "First page");
	ck_assert_ptr_null(strstr(r.body, "Next page"));
	th_resp_free(&r);
	/* Customers: newest first. */
	r = web_get(&stack, &j, "/agent/admin/customers?q=pagecorp");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(web_occurrences(r.body, ">Pagecorp "), 50);
	assert_has(&r, ">Pagecorp 55<");
	ck_assert_int_eq(web_href_before(r.body, "\">Next page</a>", next, sizeof(next)), 0);
	th_resp_free(&r);
	r = web_get(&stack, &j, next);
	ck_assert_int_eq(web_occurrences(r.body, ">Pagecorp "), 5);
	assert_has(&r, ">Pagecorp 1<");
	th_resp_free(&r);
}
END_TEST

Suite *http_admin_suite(void);

Suite *
http_admin_suite(void)
{
	Suite *s = suite_create("http_admin");
	TCase *tc = tcase_create("admin");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, only_admins_reach_admin_routes);
	tcase_add_test(tc, admin_creates_staff_and_sees_it_listed);
	tcase_add_test(tc, forms_without_csrf_token_change_nothing);
	tcase_add_test(tc, invalid_input_comes_back_with_422_and_what_was_typed);
	tcase_add_test(tc, editing_staff_saves_everything);
	tcase_add_test(tc, teams_and_skills_add_and_rename);
	tcase_add_test(tc, deactivating_staff_ends_their_sessions);
	tcase_add_test(tc, admins_cannot_demote_or_deactivate_themselves);
	tcase_add_test(tc, customer_form_keeps_what_was_typed_on_bad_input);
	tcase_add_test(tc, admin_opens_a_customer_account_with_a_portal_login);
	tcase_add_test(tc, editing_a_customer_saves_the_tier_and_login_flags);
	tcase_add_test(tc, deactivating_a_customer_signs_its_people_out);
	tcase_add_test(tc, deactivating_a_portal_user_ends_their_sessions);
	tcase_add_test(tc, names_are_html_escaped);
	tcase_add_test(tc, lockouts_page_lists_a_locked_account);
	tcase_add_test(tc, mail_page_says_where_mail_goes);
	tcase_add_test(tc, audit_log_filters_by_actor_and_action);
	tcase_add_test(tc, settings_refuse_a_second_factor_nobody_has_and_save);
	tcase_add_test(tc, lists_page_by_keyset);
	suite_add_tcase(s, tc);
	return s;
}
