/*
 * The reports page and what admins do about the batch job's work, through
 * nginx: reports only for supervisors and admins (an agent gets 403), the
 * rolled-up numbers shown, a well-formed CSV (RFC 4180: CRLF, quoting,
 * one field count), bad dates answered with 422 and the form; given-up
 * mail listed with its last error and re-queued by a POST that needs the
 * CSRF token and leaves an audit record; the auto-close and metrics
 * settings checked and saved.
 */
#include "identity.h"
#include "auth/password.h"
#include "db/db.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "granite pelican harbour 31"

static struct th_stack stack;
static char *db;

/* Two tickets on 2026-03-10 in a team whose name needs CSV quoting. */
static const char fixture[] =
    "INSERT INTO teams (name) VALUES ('Desk, \"North\"'), ('=SUM(A1)');"
    "INSERT INTO customers (name) VALUES ('Alpha Ltd');"
    "INSERT INTO tickets (customer_id, channel, subject, description, team_id, status,"
    " created_at, first_response_at, resolved_at)"
    " SELECT c.id, 'email', 'One', '-', t.id, 'resolved', '2026-03-10 09:00Z',"
    " '2026-03-10 10:00Z', '2026-03-10 11:00Z' FROM customers c, teams t"
    " WHERE t.name LIKE 'Desk%';"
    "INSERT INTO tickets (customer_id, channel, subject, description, team_id, status,"
    " created_at) SELECT c.id, 'phone', 'Two', '-', t.id, 'new', '2026-03-10 12:00Z'"
    " FROM customers c, teams t WHERE t.name = '=SUM(A1)';"
    "SELECT metrics_rollup_day('2026-03-09', 'UTC'), metrics_rollup_day('2026-03-10', 'UTC');"
    "INSERT INTO notifications (kind, recipient, subject, body_text, status, attempts,"
    " last_error) VALUES ('ticket_reply', 'lost@nowhere.test', 'Re: lost', 'x', 'dead', 8,"
    " 'smtp: 550 <mailbox unavailable>'),"
    " ('ticket_reply', 'fine@acme.test', 'Re: fine', 'x', 'sent', 1, NULL);";

static void
setup(void)
{
	struct db d;
	char hash[PASSWORD_HASH_MAX];

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("reports");
	ck_assert_int_eq(db_open(&d, db, "reports-setup"), 0);
	ck_assert_int_eq(password_hash(PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "root@acme.test", "Ada Admin", hash,
	    "agent,admin"), 0);
	ck_assert_int_gt(staff_fixture(&d, "sue@acme.test", "Sue Supervisor", hash,
	    "supervisor"), 0);
	ck_assert_int_gt(staff_fixture(&d, "agent@acme.test", "Alex Agent", hash,
	    "agent"), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
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

static void
sign_in(struct jar *j, const char *email)
{
	jar_clear(j);
	web_staff_sign_in(&stack, j, email, PW);
}

#define RANGE "from=2026-03-09&to=2026-03-10"

START_TEST(reports_are_for_supervisors_and_admins)
{
	struct jar j = { 0 };
	struct th_resp r;

	sign_in(&j, "agent@acme.test");
	ck_assert_int_eq(web_status(&stack, &j, "/agent/reports"), 403);
	ck_assert_int_eq(web_status(&stack, &j, "/agent/reports.csv"), 403);
	r = web_get(&stack, &j, "/agent/");
	ck_assert_ptr_null(strstr(r.body, "/agent/reports"));
	th_resp_free(&r);

	sign_in(&j, "sue@acme.test");
	r = web_get(&stack, &j, "/agent/");
	assert_has(&r, "href=\"/agent/reports\"");
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/reports?" RANGE "&by=team");
	ck_assert_int_eq(r.status, 200);
	/* Escaped, with the numbers of the day. */
	assert_has(&r, "Desk, &quot;North&quot;");
	assert_has(&r, "=SUM(A1)");
	assert_has(&r, "<td class=\"nowrap\">2026-03-10</td>");
	assert_has(&r, "1 h 00 min / 1 h 00 min");
	assert_has(&r, "href=\"/agent/reports.csv?from=2026-03-09&amp;to=2026-03-10&amp;by=team\"");
	th_resp_free(&r);

	sign_in(&j, "root@acme.test");
	ck_assert_int_eq(web_status(&stack, &j, "/agent/reports"), 200);
	/* Signed out: to the login page. */
	jar_clear(&j);
	r = web_get(&stack, &j, "/agent/reports");
	ck_assert_int_ne(r.status, 200);
	ck_assert_ptr_nonnull(th_header(&r, "Location"));
	th_resp_free(&r);
}
END_TEST

/*
 * Splits one CSV record (RFC 4180) starting at *p: returns the number of
 * fields and moves *p past the record's CRLF; -1 when it is malformed.
 * The fields are written, unquoted, into out[] (up to max).
 */
static int
csv_record(const char **p, char out[][128], int max)
{
	const char *s = *p;
	int n = 0;

	for (;;) {
		char field[128];
		size_t k = 0;

		if (*s == '"') {
			for (s++;; s++) {
				if (*s == '\0')
					return -1;
				if (*s == '"' && s[1] == '"')
					s++;
				else if (*s == '"')
					break;
				if (k + 1 < sizeof(field))
					field[k++] = *s;
			}
			s++;
		} else {
			for (; *s != ',' && *s != '\r' && *s != '\n' && *s != '\0'; s++) {
				if (*s == '"')
					return -1;
				if (k + 1 < sizeof(field))
					field[k++] = *s;
			}
		}
		field[k] = '\0';
		if (n < max)
			snprintf(out[n], sizeof(out[n]), "%s", field);
		n++;
		if (*s == ',') {
			s++;
			continue;
		}
		if (s[0] != '\r' || s[1] != '\n')
			return -1;
		*p = s + 2;
		return n;
	}
}

START_TEST(csv_export_is_well_formed)
{
	static char f[32][128];
	struct jar j = { 0 };
	struct th_resp r;
	const char *p;
	int header, n, rows = 0, north = 0, formula = 0;

	sign_in(&j, "sue@acme.test");
	r = web_get(&stack, &j, "/agent/reports.csv?" RANGE "&by=team");
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(th_header(&r, "Content-Type"), "text/csv; charset=utf-8");
	ck_assert_ptr_nonnull(strstr(th_header(&r, "Content-Disposition"),
	    "metrics-team-2026-03-09-2026-03-10.csv"));
	p = r.body;
	header = csv_record(&p, f, 32);
	ck_assert_int_eq(header, 19);
	ck_assert_str_eq(f[0], "day");
	while (*p != '\0') {
		n = csv_record(&p, f, 32);
		ck_assert_msg(n == header, "a record of %d fields", n);
		rows++;
		ck_assert_str_eq(f[1], "team");
		if (strcmp(f[3], "Desk, \"North\"") == 0 && strcmp(f[0], "2026-03-10") == 0) {
			north++;
			ck_assert_str_eq(f[4], "1");	/* created */
			ck_assert_str_eq(f[5], "1");	/* resolved */
			ck_assert_str_eq(f[9], "3600");	/* first response, average */
		}
		/* Never a live formula for a spreadsheet. */
		if (strcmp(f[3], "'=SUM(A1)") == 0)
			formula++;
	}
	ck_assert_int_eq(north, 1);
	ck_assert_int_ge(formula, 1);
	/* 03-10: both teams; 03-09: neither had anything yet. */
	ck_assert_int_eq(rows, 2);
	th_resp_free(&r);
}
END_TEST

START_TEST(bad_report_input_comes_back_with_422)
{
	struct jar j = { 0 };
	struct th_resp r;

	sign_in(&j, "sue@acme.test");
	r = web_get(&stack, &j, "/agent/reports?from=2026-02-30&to=2026-03-10");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "Give the dates as YYYY-MM-DD");
	assert_has(&r, "value=\"2026-02-30\"");
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/reports?from=2026-03-10&to=2026-03-01");
	ck_assert_int_eq(r.status, 422);
	th_resp_free(&r);
	r = web_get(&stack, &j, "/agent/reports?by=%3Cscript%3E");
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_null(strstr(r.body, "<script>"));
	th_resp_free(&r);
	ck_assert_int_eq(web_status(&stack, &j, "/agent/reports.csv?from=junk"), 400);
}
END_TEST

START_TEST(admins_see_and_requeue_given_up_mail)
{
	struct jar j = { 0 };
	struct th_resp r;
	char *id = sql_owner(db, "SELECT id FROM notifications WHERE status = 'dead'", NULL);
	char *sent = sql_owner(db, "SELECT id FROM notifications WHERE status = 'sent'", NULL);
	char path[128], *v;

	snprintf(path, sizeof(path), "/agent/admin/mail/%s/requeue", id);
	sign_in(&j, "sue@acme.test");
	r = web_post(&stack, &j, path, "/agent/reports", "");
	ck_assert_int_eq(r.status, 403);
	th_resp_free(&r);

	sign_in(&j, "root@acme.test");
	r = web_get(&stack, &j, "/agent/admin/mail");
	assert_has(&r, "Given up (1)");
	assert_has(&r, "smtp: 550 &lt;mailbox unavailable&gt;");
	assert_has(&r, path);
	th_resp_free(&r);
	/* Without the token: refused, nothing changes. */
	r = web_post(&stack, &j, path, NULL, "");
	ck_assert_int_eq(r.status, 403);
	th_resp_free(&r);
	v = sql_owner(db, "SELECT status FROM notifications WHERE id = $1", id);
	ck_assert_str_eq(v, "dead");
	free(v);
	r = web_post(&stack, &j, path, "/agent/admin/mail", "");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	v = sql_owner(db, "SELECT status || ' ' || attempts || ' ' || (next_attempt_at <= now())"
	    " FROM notifications WHERE id = $1", id);
	ck_assert_str_eq(v, "queued 0 true");
	free(v);
	v = sql_owner(db, "SELECT count(*) FROM audit_log WHERE action = 'mail.requeue'"
	    " AND object_id = $1", id);
	ck_assert_str_eq(v, "1");
	free(v);
	r = web_get(&stack, &j, "/agent/admin/mail");
	assert_has(&r, "Given up (0)");
	th_resp_free(&r);
	/* A sent message is not given up: nothing to do. */
	snprintf(path, sizeof(path), "/agent/admin/mail/%s/requeue", sent);
	r = web_post(&stack, &j, path, "/agent/admin/mail", "");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	v = sql_owner(db, "SELECT status FROM notifications WHERE id = $1", sent);
	ck_assert_str_eq(v, "sent");
	free(v);
	free(id);
	free(sent);
}
END_TEST

START_TEST(auto_close_and_zone_settings_are_checked_and_saved)
{
	struct jar j = { 0 };
	struct th_resp r;
	char *v;

	sign_in(&j, "root@acme.test");
	r = web_get(&stack, &j, "/agent/admin/settings");
	assert_has(&r, "name=\"auto_close_days\"");
	assert_has(&r, "value=\"7\"");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/settings", "/agent/admin/settings",
	    "require_admin_totp=no&public_registration=yes&auto_close_days=0"
	    "&metrics_time_zone=Mars%2FOlympus");
	ck_assert_int_eq(r.status, 422);
	assert_has(&r, "from 1 to 365");
	assert_has(&r, "Give a time zone name");
	assert_has(&r, "value=\"Mars/Olympus\"");
	th_resp_free(&r);
	r = web_post(&stack, &j, "/agent/admin/settings", "/agent/admin/settings",
	    "require_admin_totp=no&public_registration=yes&auto_close_days=14"
	    "&metrics_time_zone=Europe%2FParis");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	v = sql_owner(db, "SELECT string_agg(value, ',' ORDER BY key) FROM settings"
	    " WHERE key IN ('auto_close_days', 'metrics_time_zone')", NULL);
	ck_assert_str_eq(v, "14,Europe/Paris");
	free(v);
	v = sql_owner(db, "SELECT count(*) FROM audit_log WHERE action IN"
	    " ('setting.auto_close_days', 'setting.metrics_time_zone')", NULL);
	ck_assert_str_eq(v, "2");
	free(v);
}
END_TEST

Suite *http_reports_suite(void);

Suite *
http_reports_suite(void)
{
	Suite *s = suite_create("http_reports");
	TCase *tc = tcase_create("reports");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, reports_are_for_supervisors_and_admins);
	tcase_add_test(tc, csv_export_is_well_formed);
	tcase_add_test(tc, bad_report_input_comes_back_with_422);
	tcase_add_test(tc, admins_see_and_requeue_given_up_mail);
	tcase_add_test(tc, auto_close_and_zone_settings_are_checked_and_saved);
	suite_add_tcase(s, tc);
	return s;
}
