/*
 * The ticket use cases and the events they leave: a ticket opened by any
 * actor (customer, agent, API key) mails its requester the confirmation
 * once, from the dispatcher; a connection that commits and then goes away
 * with nothing after (a worker killed right after the commit) loses no
 * mail; two dispatchers racing in two processes send each mail once; and
 * the limits count characters, as the tables do (a reply in Greek of
 * 30,000 characters is 60,000 bytes, and goes).
 */
#include "../lib/dispatch.h"
#include "../lib/harness.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/ticket_consumers.h"
#include "domain/ticket_notify.h"
#include "domain/tickets.h"
#include "tmpl/tmpl.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *conninfo, *as_portal;
static struct tmpl_set *templates;
static struct db owner;
static struct arena *arena;
static long long cust, user, agent;

static const char fixture[] =
    "INSERT INTO staff (email, name, password_hash, roles) VALUES"
    " ('uc-agent@t.test', 'Una Agent', 'x', ARRAY['agent']);"
    "INSERT INTO customers (name) VALUES ('Usecase Ltd');"
    "INSERT INTO portal_users (customer_id, email, name, password_hash, is_account_admin)"
    " SELECT id, 'uma@u.test', 'Uma', 'x', true FROM customers WHERE name = 'Usecase Ltd';";

static struct db_stmt st_id = DB_STMT("t_uc_id",
    "SELECT coalesce((SELECT id FROM customers WHERE name = $1),"
    " (SELECT id FROM portal_users WHERE email = $1), (SELECT id FROM staff WHERE email = $1))",
    1);
/* How many confirmations name the ticket. */
static struct db_stmt st_created = DB_STMT("t_uc_created",
    "SELECT count(*) FROM notifications WHERE kind = 'ticket_created'"
    " AND recipient = 'uma@u.test' AND body_text LIKE '%' || $1 || '%'", 1);
/* Tickets without exactly one confirmation. */
static struct db_stmt st_not_once = DB_STMT("t_uc_not_once",
    "SELECT count(*) FROM tickets t WHERE (SELECT count(*) FROM notifications n"
    " WHERE n.kind = 'ticket_created' AND n.body_text LIKE '%' || t.number || '%') <> 1", 0);
static struct db_stmt st_scope = DB_STMT("t_uc_scope",
    "SELECT set_config('csdesk.customer_id', $1, false)", 1);

static long long
num(struct db *d, struct db_stmt *st, const char *const *p)
{
	PGresult *r = db_exec(d, st, p);
	long long v;

	ck_assert_ptr_nonnull(r);
	v = PQntuples(r) > 0 ? atoll(PQgetvalue(r, 0, 0)) : -1;
	PQclear(r);
	return v;
}

static long long
id_of(const char *name)
{
	const char *p[] = { name };

	return num(&owner, &st_id, p);
}

static long long
created_mails(const char *number)
{
	const char *p[] = { number };

	return num(&owner, &st_created, p);
}

static long
dispatch(struct db *d)
{
	long done = 0;

	ck_assert_int_eq(ticket_consumers_run(d, 100, &done), CS_OK);
	return done;
}

/* Opens a ticket for Uma on d as by; returns its number (in the arena). */
static const char *
open_one(struct db *d, const struct ticket_actor_ref *by, const char *channel)
{
	struct ticket_new t = { 0 };
	struct ticket_opened out;
	const char *why = NULL;

	t.customer_id = cust;
	t.requester_id = user;
	t.channel = channel;
	t.subject = "Printer jams";
	t.description = "Every page.";
	ck_assert_msg(ticket_open(d, arena, by, &t, &out, &why) == CS_OK, "open: %s",
	    why ? why : "");
	ck_assert_int_gt(out.id, 0);
	return out.number;
}

static void
suite_setup(void)
{
	struct db d;

	conninfo = th_db_create("ticket_usecases");
	as_portal = th_db_as(conninfo, "csdesk_portal");
	ck_assert_int_eq(db_open(&d, conninfo, "check_ticket_usecases_setup"), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
	templates = th_templates();
}

static void
suite_teardown(void)
{
	ticket_notify_setup(NULL, NULL, NULL);
	th_db_drop(conninfo);
	free(as_portal);
	free(conninfo);
}

static void
setup(void)
{
	ticket_notify_setup(templates, "Help", "https://help.example.com");
	ck_assert_int_eq(db_open(&owner, conninfo, "check_ticket_usecases"), 0);
	arena = arena_new(1 << 16);
	cust = id_of("Usecase Ltd");
	user = id_of("uma@u.test");
	agent = id_of("uc-agent@t.test");
	dispatch(&owner);
}

static void
teardown(void)
{
	db_close(&owner);
	arena_free(arena);
}

START_TEST(every_actor_opens_and_the_requester_is_told_once)
{
	struct ticket_actor_ref customer = { TA_CUSTOMER, user, cust, 1, 0 };
	struct ticket_actor_ref staff = { TA_STAFF, agent, 0, 0, 0 };
	struct ticket_actor_ref key = { TA_STAFF, agent, 0, 0, 1 };
	const char *numbers[3];
	char c[24];
	const char *p[] = { c };
	struct db portal;
	int i;

	snprintf(c, sizeof(c), "%lld", cust);
	ck_assert_int_eq(db_open(&portal, as_portal, "check_ticket_usecases_portal"), 0);
	ck_assert_int_eq(db_run(&portal, &st_scope, p), 0);
	numbers[0] = open_one(&portal, &customer, "portal");
	numbers[1] = open_one(&owner, &staff, "phone");
	numbers[2] = open_one(&owner, &key, "chat");
	db_close(&portal);
	/* Nothing before the dispatcher runs; once after, however often. */
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(created_mails(numbers[i]), 0);
	ck_assert_int_ge(dispatch(&owner), 3);
	dispatch(&owner);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(created_mails(numbers[i]), 1);
}
END_TEST

START_TEST(a_connection_gone_right_after_the_commit_loses_no_mail)
{
	struct ticket_actor_ref staff = { TA_STAFF, agent, 0, 0, 0 };
	const char *number;
	struct db worker;

	ck_assert_int_eq(db_open(&worker, conninfo, "check_ticket_usecases_worker"), 0);
	number = open_one(&worker, &staff, "phone");
	/* The worker dies: its connection ends with nothing after the commit. */
	PQfinish(worker.conn);
	worker.conn = NULL;
	db_close(&worker);
	dispatch(&owner);
	ck_assert_int_eq(created_mails(number), 1);
}
END_TEST

/* Two processes dispatch at once, each on its own connection. */
START_TEST(two_dispatchers_at_once_send_each_mail_once)
{
	struct ticket_actor_ref staff = { TA_STAFF, agent, 0, 0, 0 };
	pid_t pid[2];
	int i, status;

	for (i = 0; i < 40; i++)
		open_one(&owner, &staff, "phone");
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		ck_assert_int_ge(pid[i], 0);
		if (pid[i] == 0) {
			struct db d;
			long done = 0;
			int k, ok = 1;

			if (db_open(&d, conninfo, "check_ticket_usecases_race") < 0)
				_exit(1);
			for (k = 0; k < 20; k++)
				ok &= ticket_consumers_run(&d, 1, &done) == CS_OK;
			db_close(&d);
			_exit(ok ? 0 : 1);
		}
	}
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(waitpid(pid[i], &status, 0), pid[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "dispatcher %d", i);
	}
	dispatch(&owner);
	ck_assert_int_eq(num(&owner, &st_not_once, NULL), 0);
}
END_TEST

/* A text of n Greek alphas: two bytes each, one character. */
static char *
greek(size_t n)
{
	char *s = malloc(2 * n + 1);
	size_t i;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++)
		memcpy(s + 2 * i, "\xce\xb1", 2);
	s[2 * n] = '\0';
	return s;
}

START_TEST(limits_count_characters_once_in_the_domain)
{
	struct ticket_actor_ref staff = { TA_STAFF, agent, 0, 0, 0 };
	struct ticket_reply_in in = { 0 };
	struct ticket t;
	const char *why = NULL, *number = open_one(&owner, &staff, "phone");
	char *body = greek(30000), *too_long = greek(TICKET_BODY_MAX + 1);

	ck_assert_int_eq(ticket_get(&owner, arena, &staff, number, &t), CS_OK);
	in.ticket_id = t.id;
	in.kind = "public";
	in.body = body;
	ck_assert_msg(ticket_reply(&owner, arena, &staff, &in, NULL, &why) == CS_OK, "%s",
	    why ? why : "");
	in.body = too_long;
	ck_assert_int_eq(ticket_reply(&owner, arena, &staff, &in, NULL, &why), CS_REFUSED);
	ck_assert_str_eq(why, "The message is longer than 50,000 characters.");
	/* Time worked is judged here too, not only by a form. */
	in.body = "Done.";
	in.minutes_spent = TICKET_MINUTES_MAX + 1;
	ck_assert_int_eq(ticket_reply(&owner, arena, &staff, &in, NULL, &why), CS_REFUSED);
	free(body);
	free(too_long);
}
END_TEST

/* Milliseconds on the monotonic clock. */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct db_stmt st_sent = DB_STMT("t_uc_sent",
    "SELECT count(*) FROM notifications WHERE kind = 'ticket_created' AND status = 'sent'"
    " AND body_text LIKE '%' || $1 || '%'", 1);

/*
 * `csdesk batch --loop 60` watches for events between its ticks: the
 * confirmation is made and delivered soon after the commit, not at the
 * next tick a minute later. (It takes a fraction of a second on a quiet
 * machine; the bound is loose so that a loaded one does not fail it, and
 * still far below the tick it must not wait for.)
 */
START_TEST(the_looping_batch_mails_before_its_next_tick)
{
	struct ticket_actor_ref staff = { TA_STAFF, agent, 0, 0, 0 };
	char dir[64] = "/tmp/csdesk-uc.XXXXXX", build[4096];
	const char *number, *p[1];
	long long start, took = -1;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_ptr_nonnull(realpath(th_build_dir(), build));
	ck_assert_int_eq(th_sh("cd '%s' && (env -u CSDESK_SMTP_URL CSDESK_DB='%s'"
	    " CSDESK_MAIL_DIR='%s/out' '%s/csdesk' batch --loop 60 > loop.txt 2>&1 &"
	    " echo $! > pid)", dir, conninfo, dir, build), 0);
	/* Its first run of every step, then it listens. */
	ck_assert_int_eq(th_sh("for i in $(seq 100); do grep -q 'running every' '%s/loop.txt'"
	    " && exit 0; sleep 0.1; done; exit 1", dir), 0);
	usleep(1500 * 1000);
	start = now_ms();
	number = open_one(&owner, &staff, "phone");
	p[0] = number;
	while (now_ms() - start < 30000) {
		if (num(&owner, &st_sent, p) == 1) {
			took = now_ms() - start;
			break;
		}
		usleep(20 * 1000);
	}
	th_sh("kill $(cat '%s/pid'); sleep 0.2; cat '%s/loop.txt' >&2; rm -rf '%s'", dir, dir,
	    dir);
	fprintf(stderr, "check_ticket_usecases: commit to mail sent: %lld ms\n", took);
	ck_assert_msg(took >= 0 && took < 15000, "the mail took %lld ms", took);
}
END_TEST

Suite *ticket_usecases_suite(void);

Suite *
ticket_usecases_suite(void)
{
	Suite *s = suite_create("ticket_usecases");
	TCase *tc = tcase_create("usecases");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_actor_opens_and_the_requester_is_told_once);
	tcase_add_test(tc, a_connection_gone_right_after_the_commit_loses_no_mail);
	tcase_add_test(tc, two_dispatchers_at_once_send_each_mail_once);
	tcase_add_test(tc, limits_count_characters_once_in_the_domain);
	tcase_add_test(tc, the_looping_batch_mails_before_its_next_tick);
	suite_add_tcase(s, tc);
	return s;
}
