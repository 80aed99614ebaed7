/*
 * Service levels in the database: business-time arithmetic across
 * weekends, holidays, night shifts, both daylight-saving changes in
 * Europe/Berlin and a 24x7 calendar; policy choice by tier, priority and
 * category; due times on creation and when the priority changes; the clock
 * pausing and due times moving by the time paused; first and next
 * response decided once; and `csdesk batch` as a process marking a ticket
 * at risk then breached, escalating it by rule (reassigned one level up,
 * the supervisor mailed through a real SMTP server), once even when two
 * batch processes run together, and de-escalating one resolved in time.
 */
#include "../lib/harness.h"
#include "../lib/fixtures.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/sla.h"
#include "domain/tickets.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define PYTHON "/usr/bin/python3"

static char *conninfo;
static struct db owner;
static struct arena *arena;
static char dir[64];
static pid_t smtp_pid;

static const char fixture[] =
    "INSERT INTO teams (name) VALUES ('Desk');"
    "INSERT INTO categories (name) VALUES ('Outage');"
    "INSERT INTO staff (email, name, password_hash, roles, team_id, escalation_level)"
    " SELECT v.e, v.n, 'x', v.r::text[], t.id, v.l FROM (VALUES"
    " ('l1@t.test', 'Level One', '{agent}', 1), ('l2@t.test', 'Level Two', '{agent}', 2),"
    " ('l3@t.test', 'Level Three', '{agent}', 3),"
    " ('sup@t.test', 'Sue Pervisor', '{supervisor}', 1)) AS v (e, n, r, l), teams t;"
    "INSERT INTO customers (name, tier) VALUES ('Plain Ltd', 'standard'),"
    " ('Gold Ltd', 'premium');"
    /* Calendars for the arithmetic: office hours in Berlin with a
     * holiday, a night shift, and a lunch break on Mondays. */
    "INSERT INTO business_calendars (name, time_zone) VALUES ('Berlin', 'Europe/Berlin'),"
    " ('Night', 'Europe/Berlin'), ('Split', 'UTC');"
    "INSERT INTO calendar_hours (calendar_id, weekday, opens, closes)"
    " SELECT c.id, d, '09:00', '17:00' FROM business_calendars c, generate_series(1, 5) d"
    " WHERE c.name = 'Berlin';"
    "INSERT INTO calendar_hours (calendar_id, weekday, opens, closes)"
    " SELECT c.id, d, v.o::time, v.cl::time FROM business_calendars c, generate_series(1, 7) d,"
    " (VALUES ('22:00', '24:00'), ('00:00', '06:00')) v (o, cl) WHERE c.name = 'Night';"
    "INSERT INTO calendar_hours (calendar_id, weekday, opens, closes)"
    " SELECT c.id, 1, v.o::time, v.cl::time FROM business_calendars c,"
    " (VALUES ('09:00', '12:00'), ('13:00', '17:00')) v (o, cl) WHERE c.name = 'Split';"
    "INSERT INTO calendar_holidays (calendar_id, day, name) SELECT id, '2026-12-25',"
    " 'Christmas' FROM business_calendars WHERE name = 'Berlin';";

/* Test SQL as the owner: column 0 of row 0, malloc'd (tests/lib/sql.h). */
#define q(...) th_valuef(&owner, __VA_ARGS__)

/* Asserts that sql's first value is want. */
#define EXPECT(want, ...) TH_EXPECT_VALUE(&owner, want, __VA_ARGS__)

static long long
qll(const char *sql)
{
	char *s = q("%s", sql);
	long long v = atoll(s);

	free(s);
	return v;
}

static void
suite_setup(void)
{
	conninfo = th_db_create_fixture("sla", fixture);
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
	char *s;

	ck_assert_int_eq(db_open(&owner, conninfo, "check_sla"), 0);
	s = q("DELETE FROM tickets; DELETE FROM notifications;"
	    " UPDATE escalation_rules SET active = true;"
	    " UPDATE staff SET open_tickets = 0; SET TimeZone = 'UTC'");
	free(s);
	arena = arena_new(1 << 16);
	snprintf(dir, sizeof(dir), "/tmp/csdesk-sla.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	smtp_pid = 0;
}

static void
teardown(void)
{
	int status;

	if (smtp_pid > 0) {
		kill(smtp_pid, SIGTERM);
		waitpid(smtp_pid, &status, 0);
	}
	if (getenv("CSDESK_KEEP_LOGS") == NULL)
		th_sh("rm -rf '%s'", dir);
	arena_free(arena);
	db_close(&owner);
}

static long long
create(const char *cust, const char *priority)
{
	return fx_phone_ticket(&owner, arena, cust, priority);
}

static int batch(const char *smtp, const char *out);

/* Pretends the ticket's clock started minutes ago (due times follow). */
static void
started_ago(long long id, int minutes)
{
	free(q("UPDATE tickets SET sla_started_at = now() - interval '%d minutes' WHERE id = %lld;"
	    " SELECT sla_ticket_recompute(%lld, 'test')", minutes, id, id));
}

/* ---- calendar arithmetic ----------------------------------------------- */

#define ADD(cal, start, min) \
	"SELECT to_char(add_business_minutes((SELECT id FROM business_calendars" \
	" WHERE name = '" cal "'), '" start "', " min ") AT TIME ZONE 'Europe/Berlin'," \
	" 'Dy YYYY-MM-DD HH24:MI')"
#define BETWEEN(cal, a, b) \
	"SELECT round(business_minutes_between((SELECT id FROM business_calendars" \
	" WHERE name = '" cal "'), '" a "', '" b "')::numeric, 1)"

START_TEST(calendar_weekends_holidays_nights)
{
	/* Friday 16:00 + 2 h: one hour Friday, one Monday. */
	EXPECT("Mon 2026-03-09 10:00", ADD("Berlin", "2026-03-06 16:00 Europe/Berlin", "120"));
	/* Exactly to the end of Friday's hours: due Friday 17:00. */
	EXPECT("Fri 2026-03-06 17:00", ADD("Berlin", "2026-03-06 16:00 Europe/Berlin", "60"));
	/* Saturday: starts Monday 09:00. */
	EXPECT("Mon 2026-03-09 09:30", ADD("Berlin", "2026-03-07 11:00 Europe/Berlin", "30"));
	/* Two business days (960 min) from Wednesday 15:00. */
	EXPECT("Fri 2026-03-06 15:00", ADD("Berlin", "2026-03-04 15:00 Europe/Berlin", "960"));
	/* Christmas Friday is a holiday: Thursday 16:00 + 2 h is Monday 10:00. */
	EXPECT("Mon 2026-12-28 10:00", ADD("Berlin", "2026-12-24 16:00 Europe/Berlin", "120"));
	EXPECT("60.0", BETWEEN("Berlin", "2026-12-24 16:00 Europe/Berlin",
	    "2026-12-28 09:00 Europe/Berlin"));
	/* Night shift 22:00–06:00 joined across midnight. */
	EXPECT("Tue 2026-03-10 01:00", ADD("Night", "2026-03-09 23:00 Europe/Berlin", "120"));
	/* Started at 07:00, outside the shift: waits for 22:00. */
	EXPECT("Mon 2026-03-09 22:30", ADD("Night", "2026-03-09 07:00 Europe/Berlin", "30"));
	/* A lunch break on a split day (UTC: 14:00 is 15:00 in Berlin). */
	EXPECT("Mon 2026-03-09 15:00", ADD("Split", "2026-03-09 11:00 UTC", "120"));
	EXPECT("360.0", BETWEEN("Split", "2026-03-09 10:00 UTC", "2026-03-09 18:00 UTC"));
	/* Weekend counts nothing. */
	EXPECT("0.0", BETWEEN("Berlin", "2026-03-07 08:00 Europe/Berlin",
	    "2026-03-09 09:00 Europe/Berlin"));
}
END_TEST

START_TEST(calendar_daylight_saving)
{
	/* Spring forward (Sun 29 Mar 2026): the night shift that night has
	 * 22:00–24:00 Saturday and only five real hours 00:00–06:00. */
	EXPECT("420.0", BETWEEN("Night", "2026-03-28 22:00 Europe/Berlin",
	    "2026-03-29 06:00 Europe/Berlin"));
	EXPECT("Sun 2026-03-29 06:00", ADD("Night", "2026-03-28 22:00 Europe/Berlin", "420"));
	/* Office hours across the change stay 09:00–17:00 local time. */
	EXPECT("Mon 2026-03-30 10:00", ADD("Berlin", "2026-03-27 16:00 Europe/Berlin", "120"));
	/* Fall back (Sun 25 Oct 2026): that night has nine real hours. */
	EXPECT("540.0", BETWEEN("Night", "2026-10-24 22:00 Europe/Berlin",
	    "2026-10-25 06:00 Europe/Berlin"));
	EXPECT("Sun 2026-10-25 05:00", ADD("Night", "2026-10-24 22:00 Europe/Berlin", "480"));
	EXPECT("Mon 2026-10-26 10:00", ADD("Berlin", "2026-10-23 16:00 Europe/Berlin", "120"));
	/* 24x7 counts real minutes: 3 h from Saturday 23:00 CET is 03:00 CEST. */
	EXPECT("Sun 2026-03-29 03:00", ADD("24x7", "2026-03-28 23:00 Europe/Berlin", "180"));
	EXPECT("Sun 2026-10-25 02:00", ADD("24x7", "2026-10-24 23:00 Europe/Berlin", "180"));
	EXPECT("180.0", BETWEEN("24x7", "2026-03-28 23:00 Europe/Berlin",
	    "2026-03-29 03:00 Europe/Berlin"));
}
END_TEST

/* ---- policies and due times ---------------------------------------------- */

START_TEST(policy_by_tier_priority_category)
{
	EXPECT("Urgent", "SELECT name FROM sla_policies WHERE id ="
	    " sla_policy_for('standard', 'urgent', NULL)");
	EXPECT("Premium urgent", "SELECT name FROM sla_policies WHERE id ="
	    " sla_policy_for('premium', 'urgent', NULL)");
	EXPECT("Low", "SELECT name FROM sla_policies WHERE id = sla_policy_for('standard', 'low',"
	    " NULL)");
	free(q("INSERT INTO sla_policies (name, priority, category_id, calendar_id,"
	    " first_response_minutes, next_response_minutes, resolution_minutes)"
	    " SELECT 'Outages', 'urgent', c.id, b.id, 5, 10, 60 FROM categories c,"
	    " business_calendars b WHERE c.name = 'Outage' AND b.name = '24x7'"));
	EXPECT("Outages", "SELECT name FROM sla_policies WHERE id = sla_policy_for('premium',"
	    " 'urgent', (SELECT id FROM categories WHERE name = 'Outage'))");
	free(q("DELETE FROM sla_policies WHERE name = 'Outages'"));
}
END_TEST

START_TEST(due_times_on_create_and_priority_change)
{
	long long plain = create("Plain Ltd", "urgent");
	long long gold = create("Gold Ltd", "urgent");
	char sql[256];

	/* Urgent, 24x7: 30 min / 4 h; premium 15 min / 2 h. */
	snprintf(sql, sizeof(sql), "SELECT p.name || ' ' || round(extract(epoch FROM"
	    " t.first_response_due_at - t.created_at) / 60) || ' ' || round(extract(epoch FROM"
	    " t.resolution_due_at - t.created_at) / 60) FROM tickets t JOIN sla_policies p"
	    " ON p.id = t.sla_policy_id WHERE t.id = %lld", plain);
	EXPECT("Urgent 30 240", "%s", sql);
	snprintf(sql, sizeof(sql), "SELECT p.name || ' ' || round(extract(epoch FROM"
	    " t.first_response_due_at - t.created_at) / 60) || ' ' || round(extract(epoch FROM"
	    " t.first_response_warn_at - t.created_at) / 60) FROM tickets t JOIN sla_policies p"
	    " ON p.id = t.sla_policy_id WHERE t.id = %lld", gold);
	EXPECT("Premium urgent 15 12", "%s", sql);
	EXPECT("1", "SELECT count(*) FROM ticket_sla_clock WHERE ticket_id = %lld"
	    " AND state = 'running' AND ended_at IS NULL", plain);
	/* Critical is faster: the due times are recomputed. */
	free(q("UPDATE tickets SET priority = 'critical' WHERE id = %lld", plain));
	EXPECT("Critical 15", "SELECT p.name || ' ' || round(extract(epoch FROM"
	    " t.first_response_due_at - t.created_at) / 60) FROM tickets t JOIN sla_policies p"
	    " ON p.id = t.sla_policy_id WHERE t.id = %lld", plain);
	/* Without a policy for its priority, a ticket gets one when the priority changes. */
	free(q("UPDATE sla_policies SET active = false WHERE priority = 'low'"));
	gold = create("Gold Ltd", "low");
	EXPECT("t", "SELECT sla_policy_id IS NULL AND sla_check_at IS NULL FROM tickets"
	    " WHERE id = %lld", gold);
	free(q("UPDATE sla_policies SET active = true WHERE priority = 'low';"
	    " UPDATE tickets SET priority = 'high' WHERE id = %lld", gold));
	EXPECT("Premium high", "SELECT p.name FROM tickets t JOIN sla_policies p"
	    " ON p.id = t.sla_policy_id WHERE t.id = %lld", gold);
	/* A customer who becomes premium gets the premium policy. */
	free(q("UPDATE customers SET tier = 'premium' WHERE name = 'Plain Ltd'"));
	EXPECT("Premium critical", "SELECT p.name FROM tickets t JOIN sla_policies p"
	    " ON p.id = t.sla_policy_id WHERE t.id = %lld", plain);
	free(q("UPDATE customers SET tier = 'standard' WHERE name = 'Plain Ltd'"));
}
END_TEST

START_TEST(policy_change_moves_due_times_through_the_batch)
{
	long long id = create("Plain Ltd", "urgent");

	free(q("UPDATE sla_policies SET first_response_minutes = 60 WHERE name = 'Urgent';"
	    " SELECT sla_queue_recompute('urgent', 'policy Urgent changed')"));
	EXPECT("30", "SELECT round(extract(epoch FROM first_response_due_at - created_at) / 60)"
	    " FROM tickets WHERE id = %lld", id);
	ck_assert_int_eq(batch(NULL, "1.txt"), 0);
	EXPECT("60 0", "SELECT round(extract(epoch FROM first_response_due_at - created_at) / 60)"
	    " || ' ' || (SELECT count(*) FROM sla_recompute_queue) FROM tickets WHERE id = %lld",
	    id);
	EXPECT("policy Urgent changed", "SELECT detail FROM ticket_sla_events WHERE ticket_id = %lld"
	    " AND kind = 'moved' AND target = 'first_response'", id);
	free(q("UPDATE sla_policies SET first_response_minutes = 30 WHERE name = 'Urgent'"));
}
END_TEST

START_TEST(pause_and_resume_move_due_times)
{
	long long id = create("Plain Ltd", "urgent");
	char *before = q("SELECT resolution_due_at FROM tickets WHERE id = %lld", id);

	free(q("UPDATE tickets SET status = 'pending_customer' WHERE id = %lld", id));
	EXPECT("t", "SELECT sla_paused_at IS NOT NULL AND sla_check_at IS NULL FROM tickets"
	    " WHERE id = %lld", id);
	EXPECT("paused", "SELECT sla_colour(t) FROM tickets t WHERE id = %lld", id);
	/* Forty minutes pass while waiting for the customer. */
	free(q("UPDATE tickets SET sla_paused_at = sla_paused_at - interval '40 minutes'"
	    " WHERE id = %lld; UPDATE ticket_sla_clock SET started_at = started_at"
	    " - interval '40 minutes' WHERE ticket_id = %lld AND ended_at IS NULL", id, id));
	free(q("UPDATE tickets SET status = 'in_progress' WHERE id = %lld", id));
	EXPECT("40", "SELECT round(extract(epoch FROM resolution_due_at - '%s'::timestamptz) / 60)"
	    " FROM tickets WHERE id = %lld", before, id);
	EXPECT("40", "SELECT round(sla_paused_minutes) FROM tickets WHERE id = %lld", id);
	EXPECT("running,paused,running", "SELECT string_agg(state, ',' ORDER BY id)"
	    " FROM ticket_sla_clock WHERE ticket_id = %lld", id);
	EXPECT("status pending_customer", "SELECT reason FROM ticket_sla_clock"
	    " WHERE ticket_id = %lld AND state = 'paused'", id);
	free(before);
}
END_TEST

START_TEST(responses_decided_once)
{
	long long id = create("Plain Ltd", "high");
	struct ticket_actor_ref agent = { TA_STAFF, 0, 0, 0, 0 };
	struct ticket_actor_ref cust = { TA_CUSTOMER, 0, 0, 1, 0 };
	const char *why = NULL;
	char *s;

	s = q("SELECT id FROM staff WHERE email = 'l1@t.test'");
	agent.id = atoll(s);
	free(s);
	s = q("INSERT INTO portal_users (customer_id, email, name, password_hash)"
	    " SELECT id, 'p@t.test', 'Pat', 'x' FROM customers WHERE name = 'Plain Ltd'"
	    " ON CONFLICT DO NOTHING; SELECT id FROM portal_users WHERE email = 'p@t.test'");
	cust.id = atoll(s);
	free(s);
	s = q("SELECT customer_id FROM tickets WHERE id = %lld", id);
	cust.customer_id = atoll(s);
	free(s);
	ck_assert_int_eq(ticket_reply(&owner, arena, &agent,
	    &(struct ticket_reply_in){ .ticket_id = id, .kind = "internal",
	    .body = "Looking." }, NULL, &why), 0);
	EXPECT("", "SELECT first_response_met FROM tickets WHERE id = %lld", id);
	ck_assert_int_eq(ticket_reply(&owner, arena, &agent,
	    &(struct ticket_reply_in){ .ticket_id = id, .kind = "public", .body = "On it." },
	    NULL, &why), 0);
	EXPECT("t", "SELECT first_response_met FROM tickets WHERE id = %lld", id);
	/* The customer writes back: a next-response target of its own. */
	ck_assert_int_eq(ticket_reply(&owner, arena, &cust,
	    &(struct ticket_reply_in){ .ticket_id = id, .kind = "public",
	    .body = "Still down." }, NULL, &why), 0);
	EXPECT("t", "SELECT next_response_due_at IS NOT NULL FROM tickets WHERE id = %lld", id);
	EXPECT("1", "SELECT count(*) FROM ticket_response_targets WHERE ticket_id = %lld"
	    " AND answered_at IS NULL", id);
	/* Pretend the first response was late: decided already, never recomputed. */
	free(q("UPDATE tickets SET first_response_due_at = created_at - interval '1 hour'"
	    " WHERE id = %lld", id));
	ck_assert_int_eq(ticket_reply(&owner, arena, &agent,
	    &(struct ticket_reply_in){ .ticket_id = id, .kind = "public", .body = "Fixed." },
	    NULL, &why), 0);
	EXPECT("t", "SELECT first_response_met FROM tickets WHERE id = %lld", id);
	EXPECT("t", "SELECT bool_and(met) FROM ticket_response_targets WHERE ticket_id = %lld",
	    id);
	EXPECT("t", "SELECT next_response_due_at IS NULL FROM tickets WHERE id = %lld", id);
	/* Resolved in time: met. */
	free(q("UPDATE tickets SET status = 'resolved' WHERE id = %lld", id));
	EXPECT("t", "SELECT resolution_met FROM tickets WHERE id = %lld", id);
	EXPECT("stopped", "SELECT state FROM ticket_sla_clock WHERE ticket_id = %lld"
	    " ORDER BY id DESC LIMIT 1", id);
}
END_TEST

/* ---- the batch ------------------------------------------------------------ */

static int
port_open(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

static int
free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

/* aiosmtpd on a free port storing mail in the Maildir maildir; its port. */
static int
smtp_start(const char *maildir)
{
	char listen[32], log[128];
	int port = free_port(), i;

	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	snprintf(log, sizeof(log), "%s/smtp.log", dir);
	smtp_pid = fork();
	ck_assert_int_ge(smtp_pid, 0);
	if (smtp_pid == 0) {
		FILE *f = freopen(log, "a", stderr);

		(void)f;
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		execl(PYTHON, PYTHON, "-m", "aiosmtpd", "-n", "-l", listen,
		    "-c", "aiosmtpd.handlers.Mailbox", maildir, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 200 && !port_open(port); i++)
		usleep(50000);
	ck_assert_msg(port_open(port), "aiosmtpd did not start; see %s", log);
	return port;
}

/* `csdesk batch` with mail to smtp (NULL: files); its exit status. */
static int
batch(const char *smtp, const char *out)
{
	return th_sh("%s%s%s CSDESK_DB='%s' CSDESK_MAIL_DIR='%s/out' '%s/csdesk' batch >> '%s/%s'"
	    " 2>&1", smtp != NULL ? "CSDESK_SMTP_URL='" : "env -u CSDESK_SMTP_URL",
	    smtp != NULL ? smtp : "", smtp != NULL ? "'" : "", conninfo, dir, th_build_dir(),
	    dir, out);
}

/* How many files in the Maildir's new/ hold needle. */
static int
maildir_count(const char *maildir, const char *needle)
{
	char path[512];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(path, sizeof(path), "%s/new", maildir);
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char file[1024], buf[8192];
		FILE *f;
		size_t len;

		if (e->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
		if ((f = fopen(file, "r")) == NULL)
			continue;
		len = fread(buf, 1, sizeof(buf) - 1, f);
		buf[len] = '\0';
		fclose(f);
		if (strstr(buf, needle) != NULL)
			n++;
	}
	closedir(d);
	return n;
}

START_TEST(batch_marks_escalates_and_mails)
{
	char maildir[128], url[64], *num;
	long long id;

	snprintf(maildir, sizeof(maildir), "%s/Maildir", dir);
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", smtp_start(maildir));
	id = create("Plain Ltd", "high");
	free(q("UPDATE tickets SET assignee_id = (SELECT id FROM staff WHERE email = 'l1@t.test'),"
	    " priority = 'urgent' WHERE id = %lld", id));
	num = q("SELECT number FROM tickets WHERE id = %lld", id);
	/* Nothing due yet: the tick does nothing. */
	ck_assert_int_eq(batch(url, "1.txt"), 0);
	EXPECT("ok green 0", "SELECT first_response_stage || ' ' || sla_colour(t) || ' ' ||"
	    " (SELECT count(*) FROM ticket_escalations WHERE ticket_id = t.id) FROM tickets t"
	    " WHERE id = %lld", id);
	/* 25 of 30 minutes used: at risk, the supervisor is told. */
	started_ago(id, 25);
	EXPECT("amber", "SELECT sla_colour(t) FROM tickets t WHERE id = %lld", id);
	ck_assert_int_eq(batch(url, "2.txt"), 0);
	EXPECT("at_risk", "SELECT first_response_stage FROM tickets WHERE id = %lld", id);
	EXPECT("at_risk:At risk: tell the supervisor", "SELECT string_agg(x.trigger || ':' ||"
	    " r.name, ',') FROM ticket_escalations x JOIN escalation_rules r ON r.id = x.rule_id"
	    " WHERE x.ticket_id = %lld", id);
	ck_assert_int_eq(maildir_count(maildir, "At risk"), 1);
	ck_assert_int_eq(maildir_count(maildir, "sup@t.test"), 1);
	/* 31 minutes: breached, escalated one level up, supervisor and managers told. */
	started_ago(id, 31);
	ck_assert_int_eq(batch(url, "3.txt"), 0);
	EXPECT("breached red Level Two", "SELECT t.first_response_stage || ' ' || sla_colour(t)"
	    " || ' ' || s.name FROM tickets t JOIN staff s ON s.id = t.assignee_id"
	    " WHERE t.id = %lld", id);
	EXPECT("1", "SELECT count(*) FROM ticket_escalations WHERE ticket_id = %lld"
	    " AND trigger = 'breached' AND to_level = 2", id);
	EXPECT("at_risk,breached", "SELECT string_agg(kind, ',' ORDER BY at) FROM ticket_sla_events"
	    " WHERE ticket_id = %lld AND target = 'first_response' AND kind IN ('at_risk',"
	    " 'breached')", id);
	ck_assert_int_ge(maildir_count(maildir, "Breached"), 1);
	ck_assert_int_ge(maildir_count(maildir, num), 2);
	/* Another tick: nothing new, nothing sent twice. */
	ck_assert_int_eq(batch(url, "4.txt"), 0);
	EXPECT("2", "SELECT count(*) FROM ticket_escalations WHERE ticket_id = %lld"
	    " AND trigger IN ('at_risk', 'breached') AND rule_id IN (SELECT id FROM"
	    " escalation_rules WHERE name LIKE 'At risk%%' OR name LIKE 'Breached%%')", id);
	/* The breach is recorded once: a late reply does not undo it, and
	 * resolving afterwards does not de-escalate. */
	EXPECT("f", "SELECT first_response_met FROM tickets WHERE id = %lld", id);
	free(q("UPDATE tickets SET first_response_at = now() WHERE id = %lld;"
	    " UPDATE tickets SET status = 'resolved' WHERE id = %lld", id, id));
	EXPECT("f t 3", "SELECT first_response_met::char || ' ' || resolution_met::char || ' ' ||"
	    " (SELECT count(*) FROM ticket_escalations WHERE ticket_id = %lld"
	    " AND deescalated_at IS NULL) FROM tickets WHERE id = %lld", id, id);
	free(num);
}
END_TEST

START_TEST(two_batches_escalate_once)
{
	long long id = create("Plain Ltd", "urgent");
	int rc;

	free(q("UPDATE escalation_rules SET active = (name = 'Breached: next level up')"));
	started_ago(id, 45);
	rc = th_sh("(CSDESK_DB='%s' CSDESK_MAIL_DIR='%s/out' '%s/csdesk' batch > '%s/a.txt' 2>&1 &"
	    " CSDESK_DB='%s' CSDESK_MAIL_DIR='%s/out' '%s/csdesk' batch > '%s/b.txt' 2>&1 & wait)",
	    conninfo, dir, th_build_dir(), dir, conninfo, dir, th_build_dir(), dir);
	ck_assert_int_eq(rc, 0);
	EXPECT("1", "SELECT count(*) FROM ticket_escalations WHERE ticket_id = %lld", id);
	EXPECT("breached", "SELECT first_response_stage FROM tickets WHERE id = %lld", id);
}
END_TEST

START_TEST(resolved_in_time_deescalates)
{
	long long id = create("Plain Ltd", "urgent");

	free(q("UPDATE tickets SET assignee_id = (SELECT id FROM staff WHERE email = 'l1@t.test')"
	    " WHERE id = %lld", id));
	started_ago(id, 26);
	ck_assert_int_eq(batch(NULL, "1.txt"), 0);
	EXPECT("1", "SELECT count(*) FROM ticket_escalations WHERE ticket_id = %lld"
	    " AND deescalated_at IS NULL", id);
	free(q("UPDATE tickets SET status = 'resolved' WHERE id = %lld", id));
	EXPECT("t 0", "SELECT resolution_met::char || ' ' || (SELECT count(*) FROM ticket_escalations"
	    " WHERE ticket_id = %lld AND deescalated_at IS NULL) FROM tickets WHERE id = %lld",
	    id, id);
	EXPECT("1", "SELECT count(*) FROM ticket_events WHERE ticket_id = %lld"
	    " AND field = 'escalation' AND new_value LIKE 'de-escalated%%'", id);
}
END_TEST

START_TEST(no_update_rule_raises_priority_once)
{
	long long id = create("Plain Ltd", "low");
	char *before;

	free(q("UPDATE escalation_rules SET active = false;"
	    " INSERT INTO escalation_rules (name, on_event, no_update_hours, if_tier, notify,"
	    " raise_priority, checked_until) VALUES ('Stale 2 h', 'no_update', 2, 'standard',"
	    " 'none', true, now() - interval '130 minutes')"));
	/* Nobody touched it for 2 h 5 min: inside the window the rule has not seen. */
	free(q("UPDATE tickets SET updated_at = now() - interval '125 minutes' WHERE id = %lld",
	    id));
	before = q("SELECT resolution_due_at FROM tickets WHERE id = %lld", id);
	ck_assert_int_eq(batch(NULL, "1.txt"), 0);
	EXPECT("no_update medium", "SELECT x.trigger || ' ' || t.priority FROM ticket_escalations x"
	    " JOIN tickets t ON t.id = x.ticket_id WHERE t.id = %lld", id);
	/* The new priority brings the medium policy's earlier due time. */
	EXPECT("t", "SELECT resolution_due_at < '%s'::timestamptz FROM tickets WHERE id = %lld",
	    before, id);
	/* The window moved on: the next run does not escalate again. */
	ck_assert_int_eq(batch(NULL, "2.txt"), 0);
	EXPECT("1", "SELECT count(*) FROM ticket_escalations WHERE ticket_id = %lld", id);
	free(q("DELETE FROM escalation_rules WHERE name = 'Stale 2 h'"));
	free(before);
}
END_TEST

START_TEST(manual_escalation_needs_a_reason)
{
	long long id = create("Plain Ltd", "low");
	const char *why = NULL;
	long long l1 = qll("SELECT id FROM staff WHERE email = 'l1@t.test'");

	free(q("UPDATE tickets SET assignee_id = %lld WHERE id = %lld", l1, id));
	ck_assert_int_eq(sla_escalate_manual(&owner, NULL, arena, NULL, "", l1, id, "  ", &why),
	    CS_REFUSED);
	ck_assert_ptr_nonnull(why);
	EXPECT("0", "SELECT count(*) FROM ticket_escalations WHERE ticket_id = %lld", id);
}
END_TEST

Suite *sla_suite(void);

Suite *
sla_suite(void)
{
	Suite *s = suite_create("sla");
	TCase *tc = tcase_create("sla");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, calendar_weekends_holidays_nights);
	tcase_add_test(tc, calendar_daylight_saving);
	tcase_add_test(tc, policy_by_tier_priority_category);
	tcase_add_test(tc, due_times_on_create_and_priority_change);
	tcase_add_test(tc, policy_change_moves_due_times_through_the_batch);
	tcase_add_test(tc, pause_and_resume_move_due_times);
	tcase_add_test(tc, responses_decided_once);
	tcase_add_test(tc, batch_marks_escalates_and_mails);
	tcase_add_test(tc, two_batches_escalate_once);
	tcase_add_test(tc, resolved_in_time_deescalates);
	tcase_add_test(tc, no_update_rule_raises_priority_once);
	tcase_add_test(tc, manual_escalation_needs_a_reason);
	suite_add_tcase(s, tc);
	return s;
}
