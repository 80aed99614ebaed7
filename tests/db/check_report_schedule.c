/*
 * Reports mailed on a schedule and KPI alerts: a Monday 08:00
 * Europe/Paris subscription arrives at 08:00 local on both sides of the
 * change to summer time (the batch given a "now"); the same filter gives
 * identical numbers in the mail, the CSV, the XLSX (unzipped) and the PDF
 * (pdftotext), and in the XLSX or PDF the mail carries, read back from a
 * real SMTP server; an empty period is skipped when asked; an alert is mailed
 * once per crossing of its line.
 */
#include "../lib/harness.h"
#include "../lib/smtp_sink.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/analytics.h"
#include "domain/mailer.h"
#include "domain/notify.h"
#include "domain/report_defs.h"
#include "domain/report_export.h"
#include "domain/report_schedule.h"
#include "tmpl/tmpl.h"
#include "tmpl/tval.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *conninfo;
static struct db db;
static struct arena *arena;
static struct tmpl_set *templates;

static void
suite_setup(void)
{
	char path[1024], err[512];
	struct db d;

	conninfo = th_db_create("report_schedule");
	snprintf(path, sizeof(path), "%s/templates", th_datadir());
	templates = tmpl_set_new();
	if (templates == NULL || tmpl_set_add_dir(templates, path, err, sizeof(err)) < 0 ||
	    tmpl_set_compile(templates, 1, err, sizeof(err)) < 0) {
		fprintf(stderr, "check_report_schedule: templates: %s\n", err);
		exit(2);
	}
	report_mail_setup(templates, "csdesk", "https://desk.example");
	ck_assert_int_eq(db_open(&d, conninfo, "check_report_schedule_setup"), 0);
	ck_assert_int_eq(db_script(&d,
	    "INSERT INTO staff (email, name, password_hash, roles) VALUES"
	    " ('boss@t.test', 'Bea Boss', 'x', ARRAY['supervisor']);"
	    "INSERT INTO customers (name) VALUES ('Gamma Ltd');", "fixture"), 0);
	db_close(&d);
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(conninfo);
	tmpl_set_free(templates);
}

static void
setup(void)
{
	ck_assert_int_eq(db_open(&db, conninfo, "check_report_schedule"), 0);
	free(th_value(&db, "DELETE FROM report_subscriptions; DELETE FROM notifications;"
	    " DELETE FROM survey_responses; DELETE FROM analytics_daily;"
	    " DELETE FROM kpi_alert_state"));
	arena = arena_new(1 << 16);
}

static void
teardown(void)
{
	db_close(&db);
	arena_free(arena);
}

static long long
boss(void)
{
	char *s = th_value(&db, "SELECT id FROM staff WHERE email = 'boss@t.test'");
	long long id = atoll(s);

	free(s);
	return id;
}

/* Subscribes the boss to report weekly on Mondays at 08:00 Paris time, with file attached. */
static long long
subscribe_with(const char *report, const char *dim, const char *grain, int skip_empty,
    int alerts, const char *file)
{
	struct report_sub_input in = { report, dim, grain, "weekly", 1, 0, 8, "Europe/Paris",
		skip_empty, alerts, file };
	const char *why = NULL, *field = NULL;
	long long id;

	ck_assert_int_eq(report_subscribe(&db, boss(), &in, &id, &why, &field), CS_OK);
	return id;
}

static long long
subscribe(const char *report, const char *dim, const char *grain, int skip_empty, int alerts)
{
	return subscribe_with(report, dim, grain, skip_empty, alerts, "xlsx");
}

/* Runs the schedule at now; returns how many were mailed. */
static long
run_at(const char *now)
{
	long sent, skipped;

	ck_assert_int_eq(report_schedule_run(&db, arena, "UTC", now, &sent, &skipped), CS_OK);
	return sent;
}

static char *
next_run_utc(void)
{
	return th_value(&db, "SELECT to_char(next_run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"
	    " FROM report_subscriptions");
}

START_TEST(monday_eight_in_paris_arrives_at_eight_on_both_sides_of_summer_time)
{
	char *s;

	subscribe("overview", "all", "week", 0, 0);
	free(th_value(&db, "UPDATE report_subscriptions SET next_run_at = report_next_run("
	    "'weekly', 1, NULL, 8, 'Europe/Paris', '2026-03-22 12:00Z')"));
	/* Winter: 08:00 in Paris is 07:00 UTC. */
	ck_assert_int_eq(run_at("2026-03-23 06:59Z"), 0);
	ck_assert_int_eq(run_at("2026-03-23 07:00Z"), 1);
	ck_assert_int_eq(run_at("2026-03-23 07:01Z"), 0);
	/* Summer time from 29 March: the next Monday's 08:00 is 06:00 UTC. */
	ck_assert_str_eq((s = next_run_utc()), "2026-03-30 06:00");
	free(s);
	ck_assert_int_eq(run_at("2026-03-30 05:59Z"), 0);
	ck_assert_int_eq(run_at("2026-03-30 06:00Z"), 1);
	s = th_value(&db, "SELECT string_agg(subject, ' | ' ORDER BY id) FROM notifications"
	    " WHERE kind = 'report' AND recipient = 'boss@t.test'");
	/* Each mail covers the week that just ended, in Paris days. */
	ck_assert_str_eq(s, "Service overview, 2026-03-16 to 2026-03-22 | "
	    "Service overview, 2026-03-23 to 2026-03-29");
	free(s);
}
END_TEST

/*
 * Seven CSAT and three NPS answers in the week of 16 March 2026, rolled
 * up; t the satisfaction table of f (that week), as the page shows it.
 */
static void
week_of_answers(const struct analytics_filter *f, struct analytics_table *t)
{
	const char *why;

	free(th_value(&db, "INSERT INTO survey_responses (kind, score, customer_id, answered_at)"
	    " SELECT 'csat', s, (SELECT id FROM customers), '2026-03-18 10:00Z'"
	    " FROM unnest('{5,4,3,2,1,5,5}'::int[]) s;"
	    "INSERT INTO survey_responses (kind, score, customer_id, answered_at)"
	    " SELECT 'nps', s, (SELECT id FROM customers), '2026-03-19 10:00Z'"
	    " FROM unnest('{10,10,3}'::int[]) s;"
	    "SELECT analytics_rollup_day(d::date, 'UTC') FROM generate_series("
	    " date '2026-03-16', date '2026-03-22', interval '1 day') d"));
	ck_assert_int_eq(analytics_table(&db, arena, "UTC", f, t, &why), CS_OK);
	/* 4 of 7 answers were 4 or 5; 2 promoters and 1 detractor of 3. */
	ck_assert_str_eq(t->totals[0].v[METRIC_csat], "57.1");
	ck_assert_str_eq(t->totals[0].v[METRIC_nps], "33.3");
}

/* Writes the export of t in format f to path. */
static void
export_to(const struct analytics_table *t, enum report_format f, const char *path)
{
	struct buf b;
	FILE *out = fopen(path, "wb");

	buf_init(&b, arena);
	ck_assert_int_eq(report_export(report_def(REPORT_SATISFACTION), t, f, &b), CS_OK);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(fwrite(b.buf, 1, b.len, out), b.len);
	fclose(out);
}

START_TEST(the_mail_csv_xlsx_and_pdf_give_the_same_numbers)
{
	struct analytics_filter f = { AD_ALL, AG_WEEK, "2026-03-16", "2026-03-22", 0 };
	struct analytics_table t;
	char dir[] = "/tmp/csdesk-export-XXXXXX", cmd[512];
	char *mail, *csv, *xml, *pdf;

	week_of_answers(&f, &t);
	/* The mailed report of that week. */
	subscribe("satisfaction", "all", "week", 0, 0);
	free(th_value(&db, "UPDATE report_subscriptions SET next_run_at = '2026-03-23 07:00Z'"));
	ck_assert_int_eq(run_at("2026-03-23 07:00Z"), 1);
	mail = th_value(&db, "SELECT body_text FROM notifications WHERE kind = 'report'");
	ck_assert_ptr_nonnull(strstr(mail, "CSAT: 57.1 %"));
	ck_assert_ptr_nonnull(strstr(mail, "NPS: 33.3\n"));
	ck_assert_ptr_nonnull(strstr(mail, "CES: –"));
	/* The exports, read back the way a person's tools would. */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "%s/r.csv", dir);
	export_to(&t, RF_CSV, cmd);
	snprintf(cmd, sizeof(cmd), "%s/r.xlsx", dir);
	export_to(&t, RF_XLSX, cmd);
	snprintf(cmd, sizeof(cmd), "%s/r.pdf", dir);
	export_to(&t, RF_PDF, cmd);
	snprintf(cmd, sizeof(cmd), "cat %s/r.csv", dir);
	csv = th_output(cmd);
	ck_assert_ptr_nonnull(strstr(csv, "Period,Overall,CSAT (%),CSAT answers,NPS,CES,Survey response rate (%)\r\n"));
	ck_assert_ptr_nonnull(strstr(csv, "Total,All tickets,57.1,7,33.3,,\r\n"));
	snprintf(cmd, sizeof(cmd), "unzip -p %s/r.xlsx xl/worksheets/sheet1.xml", dir);
	xml = th_output(cmd);
	ck_assert_ptr_nonnull(strstr(xml, "<v>57.1</v>"));
	ck_assert_ptr_nonnull(strstr(xml, "<v>33.3</v>"));
	snprintf(cmd, sizeof(cmd), "pdftotext -layout %s/r.pdf - && rm -r %s", dir, dir);
	pdf = th_output(cmd);
	ck_assert_ptr_nonnull(strstr(pdf, "57.1"));
	ck_assert_ptr_nonnull(strstr(pdf, "33.3"));
	ck_assert_ptr_nonnull(strstr(pdf, "CSAT trends"));
	free(mail);
	free(csv);
	free(xml);
	free(pdf);
}
END_TEST

/* The block of the dump about the attachment called name (a copy: free it). */
static char *
block_with(const char *dump, const char *name)
{
	const char *at = strstr(dump, name), *start, *end;

	ck_assert_msg(at != NULL, "%s", dump);
	for (start = at; start > dump && strncmp(start, "== ", 3) != 0; start--)
		;
	end = strstr(at, "\n== ");
	return strndup(start, end != NULL ? (size_t)(end - start) : strlen(start));
}

START_TEST(the_mailed_xlsx_and_pdf_read_back_from_the_smtp_server_give_the_page_numbers)
{
	struct analytics_filter f = { AD_ALL, AG_WEEK, "2026-03-16", "2026-03-22", 0 };
	struct mailer_config cfg = { .from = "Desk <desk@example.com>" };
	struct mailer_counts c = { 0 };
	struct analytics_table t;
	struct mailer *m;
	char dir[] = "/tmp/csdesk-mailed-XXXXXX", path[300], log[300], url[64], cmd[700];
	char *dump, *b, *xml, *pdf, *csv;
	struct buf csvb;
	int claimed;

	week_of_answers(&f, &t);
	subscribe_with("satisfaction", "all", "week", 0, 0, "xlsx");
	subscribe_with("satisfaction", "all", "week", 0, 0, "pdf");
	free(th_value(&db, "UPDATE report_subscriptions SET next_run_at = '2026-03-23 07:00Z'"));
	ck_assert_int_eq(run_at("2026-03-23 07:00Z"), 2);
	/* Delivered through a real SMTP server, read by an independent parser. */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/maildir", dir);
	snprintf(log, sizeof(log), "%s/smtp.log", dir);
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", th_smtp_start(path, log));
	cfg.smtp_url = url;
	ck_assert_ptr_nonnull(m = mailer_new(&cfg));
	do
		ck_assert_int_eq(mailer_deliver(m, &db, 50, &c, &claimed), CS_OK);
	while (claimed > 0);
	mailer_free(m);
	th_smtp_stop();
	ck_assert_int_eq(c.sent, 2);
	snprintf(cmd, sizeof(cmd), "'%s'/maildir/new/*", dir);
	ck_assert_ptr_nonnull(dump = th_maildump_files(cmd, dir));
	/* Each mail: the summary in the text, the export attached, no defects. */
	b = block_with(dump, "Attachment: satisfaction-2026-03-16-2026-03-22.xlsx (application/"
	    "vnd.openxmlformats-officedocument.spreadsheetml.sheet, ");
	ck_assert_msg(strstr(b, "\nDefects: 0\n") != NULL, "%s", b);
	ck_assert_msg(strstr(b, "CSAT: 57.1 %") != NULL, "%s", b);
	ck_assert_msg(strstr(b, "NPS: 33.3\n") != NULL, "%s", b);
	ck_assert_msg(strstr(b, "is attached: satisfaction-2026-03-16-2026-03-22.xlsx") != NULL,
	    "%s", b);
	free(b);
	b = block_with(dump, "Attachment: satisfaction-2026-03-16-2026-03-22.pdf (application/pdf, ");
	ck_assert_msg(strstr(b, "\nDefects: 0\n") != NULL, "%s", b);
	ck_assert_msg(strstr(b, "CSAT: 57.1 %") != NULL, "%s", b);
	free(b);
	/* The attachments, opened the way a person's tools would: the page's numbers. */
	snprintf(cmd, sizeof(cmd), "unzip -p '%s/satisfaction-2026-03-16-2026-03-22.xlsx'"
	    " xl/worksheets/sheet1.xml", dir);
	xml = th_output(cmd);
	ck_assert_msg(strstr(xml, "<v>57.1</v>") != NULL, "%s", xml);
	ck_assert_msg(strstr(xml, "<v>33.3</v>") != NULL, "%s", xml);
	snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s/satisfaction-2026-03-16-2026-03-22.pdf' -"
	    " && rm -r '%s'", dir, dir);
	pdf = th_output(cmd);
	ck_assert_msg(strstr(pdf, "CSAT trends") != NULL, "%s", pdf);
	ck_assert_msg(strstr(pdf, "57.1") != NULL && strstr(pdf, "33.3") != NULL, "%s", pdf);
	/* And the CSV of the same filter. */
	buf_init(&csvb, arena);
	ck_assert_int_eq(report_export(report_def(REPORT_SATISFACTION), &t, RF_CSV, &csvb), CS_OK);
	buf_addch(&csvb, '\0');
	csv = csvb.buf;
	ck_assert_msg(strstr(csv, "Total,All tickets,57.1,7,33.3,,\r\n") != NULL, "%s", csv);
	free(dump);
	free(xml);
	free(pdf);
}
END_TEST

START_TEST(a_file_with_an_unsafe_name_or_type_is_not_queued)
{
	static const struct notify_file bad[] = {
		{ "../report.pdf", "application/pdf", "%PDF", 4 },
		{ "report\".pdf", "application/pdf", "%PDF", 4 },
		{ "report.pdf", "application/pdf\r\nBcc: x@evil.test", "%PDF", 4 },
		{ "report.pdf", "application/pdf; name=x", "%PDF", 4 },
		{ "", "application/pdf", "%PDF", 4 },
		{ "report.pdf", "application/pdf", "%PDF", NOTIFY_FILE_MAX + 1 },
	};
	struct tval *ctx = tval_map(arena);
	size_t i;
	char *s;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(notify_enqueue_file(&db, templates, arena, "report", "boss@t.test",
		    "report_scheduled", ctx, &bad[i]) == CS_FAILED, "file %zu was accepted", i);
	s = th_value(&db, "SELECT count(*) FROM notifications");
	ck_assert_str_eq(s, "0");
	free(s);
}
END_TEST

START_TEST(an_empty_period_is_skipped_when_asked_and_still_moves_on)
{
	long sent, skipped;
	char *s;

	subscribe("satisfaction", "all", "week", 1, 0);
	free(th_value(&db, "UPDATE report_subscriptions SET next_run_at = '2026-03-23 07:00Z'"));
	ck_assert_int_eq(report_schedule_run(&db, arena, "UTC", "2026-03-23 07:00Z", &sent,
	    &skipped), CS_OK);
	ck_assert_int_eq(sent, 0);
	ck_assert_int_eq(skipped, 1);
	ck_assert_str_eq((s = next_run_utc()), "2026-03-30 06:00");
	free(s);
	s = th_value(&db, "SELECT count(*) FROM notifications");
	ck_assert_str_eq(s, "0");
	free(s);
}
END_TEST

/* Answers CSAT score n times today, rolls up, checks the alerts: how many fired. */
static long
answer_and_check(int score, int n)
{
	long changed, fired;

	free(th_valuef(&db, "INSERT INTO survey_responses (kind, score, customer_id)"
	    " SELECT 'csat', %d, (SELECT id FROM customers) FROM generate_series(1, %d)",
	    score, n));
	ck_assert_int_eq(analytics_rollup(&db, "UTC", &changed), CS_OK);
	ck_assert_int_eq(report_alerts_run(&db, arena, "UTC", &fired), CS_OK);
	return fired;
}

START_TEST(an_alert_is_mailed_once_per_crossing)
{
	char *s;

	subscribe("overview", "all", "week", 0, 1);
	/* CSAT target 85 %, alert below 80 %. */
	ck_assert_int_eq(answer_and_check(5, 9), 0);	/* 100 % */
	ck_assert_int_eq(answer_and_check(1, 3), 1);	/* 75 %: crossed */
	ck_assert_int_eq(answer_and_check(1, 1), 0);	/* 69.2 %: still past, no new mail */
	ck_assert_int_eq(answer_and_check(5, 20), 0);	/* 87.9 %: back */
	ck_assert_int_eq(answer_and_check(1, 10), 1);	/* 67.4 %: crossed again */
	s = th_value(&db, "SELECT count(*) || ' ' || min(subject) FROM notifications"
	    " WHERE kind = 'kpi_alert' AND recipient = 'boss@t.test'");
	ck_assert_str_eq(s, "2 Alert: CSAT is 67.4% (alert line 80%)");
	free(s);
}
END_TEST

Suite *report_schedule_suite(void);

Suite *
report_schedule_suite(void)
{
	Suite *s = suite_create("report_schedule");
	TCase *tc = tcase_create("schedule");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, monday_eight_in_paris_arrives_at_eight_on_both_sides_of_summer_time);
	tcase_add_test(tc, the_mail_csv_xlsx_and_pdf_give_the_same_numbers);
	tcase_add_test(tc, the_mailed_xlsx_and_pdf_read_back_from_the_smtp_server_give_the_page_numbers);
	tcase_add_test(tc, a_file_with_an_unsafe_name_or_type_is_not_queued);
	tcase_add_test(tc, an_empty_period_is_skipped_when_asked_and_still_moves_on);
	tcase_add_test(tc, an_alert_is_mailed_once_per_crossing);
	suite_add_tcase(s, tc);
	return s;
}
