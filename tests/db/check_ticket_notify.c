/*
 * The mail a ticket's changes send: each notice queued to the right person
 * with the right template (and never to whoever made the change, nor to
 * someone without a usable address or no longer active), from the
 * portal's and the console's roles; a resolved notice delivered to a real
 * SMTP server (python3-aiosmtpd) with the confirm and reopen links; and
 * the auto-close: only tickets resolved longer than the setting, nothing
 * more on a second run, each ticket once when two runs race, also as two
 * `csdesk batch` processes.
 */
#include "../lib/dispatch.h"
#include "../lib/harness.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/mailer.h"
#include "domain/ticket_autoclose.h"
#include "domain/ticket_assign.h"
#include "domain/ticket_bulk.h"
#include "domain/ticket_consumers.h"
#include "domain/ticket_notify.h"
#include "domain/tickets.h"
#include "tmpl/tmpl.h"

#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define PYTHON "/usr/bin/python3"

static char *conninfo, *as_portal, *as_console;
static struct tmpl_set *templates;
static struct db owner, portal, console;
static struct arena *arena;
static long long alpha, gamma_id, ann, a1, a2, sup, gone;
static char dir[64];
static pid_t smtp_pid;

static const char fixture[] =
    "INSERT INTO teams (name) VALUES ('Desk');"
    "INSERT INTO queues (name, team_id, auto_assign) SELECT 'General', id, true FROM teams;"
    "INSERT INTO queues (name, team_id, auto_assign) SELECT 'Manual', id, false FROM teams;"
    "INSERT INTO resolution_codes (code, label) VALUES ('fixed', 'Fixed');"
    "INSERT INTO routing_rules (position, name, set_queue_id)"
    " SELECT 1, 'All to General', id FROM queues WHERE name = 'General';"
    /* a1 takes every new ticket (a2 has no capacity); all four are Desk. */
    "INSERT INTO staff (email, name, password_hash, roles, team_id, capacity, work_days,"
    " work_start, work_end, active)"
    " SELECT v.e, v.n, 'x', v.r, t.id, v.c, ARRAY[1,2,3,4,5,6,7], '00:00', '23:59:59', v.a"
    " FROM (VALUES ('a1@t.test', 'Agent One', ARRAY['agent'], 100, true),"
    " ('a2@t.test', 'Agent Two', ARRAY['agent'], 0, true),"
    " ('sup@t.test', 'Sue Pervisor', ARRAY['supervisor'], 0, true),"
    " ('gone@t.test', 'Gone Agent', ARRAY['agent'], 0, false))"
    " AS v (e, n, r, c, a) CROSS JOIN teams t;"
    "INSERT INTO customers (name) VALUES ('Alpha Ltd'), ('Gamma by phone');"
    "INSERT INTO portal_users (customer_id, email, name, password_hash, is_account_admin)"
    " SELECT id, 'ann@a.test', 'Ann O''Hara', 'x', true FROM customers"
    " WHERE name = 'Alpha Ltd';";

static struct db_stmt st_id = DB_STMT("t_tn_id",
    "SELECT coalesce((SELECT id FROM customers WHERE name = $1),"
    " (SELECT id FROM portal_users WHERE email = $1), (SELECT id FROM staff WHERE email = $1))",
    1);
static struct db_stmt st_reset = DB_STMT("t_tn_reset",
    "WITH n AS (DELETE FROM notifications RETURNING 1), e AS (DELETE FROM ticket_events"
    " RETURNING 1), c AS (DELETE FROM ticket_comments RETURNING 1)"
    " DELETE FROM tickets WHERE (SELECT count(*) FROM n) + (SELECT count(*) FROM e)"
    " + (SELECT count(*) FROM c) >= 0", 0);
static struct db_stmt st_reset_staff = DB_STMT("t_tn_reset_staff",
    "UPDATE staff SET open_tickets = 0", 0);
/* A ticket made directly: customer, requester (NULL), queue name, assignee (NULL). */
static struct db_stmt st_ticket = DB_STMT("t_tn_ticket",
    "INSERT INTO tickets (customer_id, requester_id, channel, subject, description,"
    " queue_id, team_id, assignee_id, status)"
    " SELECT $1, $2, 'portal', 'Kettle <b>leaks</b> & drips', 'It leaks.', q.id, q.team_id,"
    " $4, CASE WHEN $4::bigint IS NULL THEN 'new' ELSE 'in_progress' END"
    " FROM queues q WHERE q.name = $3 RETURNING id", 4);
/* Every message, "kind>recipient", in order. */
static struct db_stmt st_mail = DB_STMT("t_tn_mail",
    "SELECT coalesce(string_agg(kind || '>' || recipient, ',' ORDER BY id), '')"
    " FROM notifications", 0);
static struct db_stmt st_text = DB_STMT("t_tn_text",
    "SELECT subject || E'\\n' || body_text || E'\\n' || coalesce(body_html, '')"
    " FROM notifications WHERE kind = $1 ORDER BY id DESC LIMIT 1", 1);
/* The colleagues told by mentions, in the history. */
static struct db_stmt st_mentions = DB_STMT("t_tn_mentions",
    "SELECT coalesce(string_agg(new_value, ',' ORDER BY id), '') FROM ticket_events"
    " WHERE field = 'mention'", 0);
static struct db_stmt st_number = DB_STMT("t_tn_number",
    "SELECT number FROM tickets WHERE id = $1", 1);
static struct db_stmt st_age = DB_STMT("t_tn_age",
    "UPDATE tickets SET status = 'resolved', resolved_at = now() - make_interval(days => $2),"
    " first_response_at = now() - interval '20 days' WHERE id = $1", 2);
static struct db_stmt st_closed = DB_STMT("t_tn_closed",
    "SELECT coalesce(string_agg(t.status || ':' || (SELECT count(*) FROM ticket_events e"
    " WHERE e.ticket_id = t.id AND e.field = 'status' AND e.new_value = 'closed') || ':'"
    " || (SELECT count(*) FROM notifications WHERE kind = 'ticket_auto_closed'"
    " AND body_text LIKE '%' || t.number || '%'), ',' ORDER BY t.id), '') FROM tickets t", 0);
static struct db_stmt st_scope = DB_STMT("t_tn_scope",
    "SELECT set_config('csdesk.customer_id', $1, false)", 1);
static struct db_stmt st_setting = DB_STMT("t_tn_setting",
    "UPDATE settings SET value = $1 WHERE key = 'auto_close_days'", 1);

/* ---- helpers ---------------------------------------------------------- */

static char *
one(struct db *d, struct db_stmt *st, const char *const *p)
{
	PGresult *r = db_exec(d, st, p);
	char *s;

	ck_assert_ptr_nonnull(r);
	s = strdup(PQntuples(r) > 0 && !PQgetisnull(r, 0, 0) ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return s;
}

static long long
id_of(const char *name)
{
	const char *p[] = { name };
	char *s = one(&owner, &st_id, p);
	long long v = atoll(s);

	free(s);
	return v;
}

/* Makes a ticket of customer (requester 0: none) in queue, given to agent (0: nobody). */
static long long
ticket(long long customer, long long requester, const char *queue, long long agent)
{
	char c[24], u[24], g[24];
	const char *p[] = { c, requester ? u : NULL, queue, agent ? g : NULL };
	char *s;
	long long id;

	snprintf(c, sizeof(c), "%lld", customer);
	snprintf(u, sizeof(u), "%lld", requester);
	snprintf(g, sizeof(g), "%lld", agent);
	s = one(&owner, &st_ticket, p);
	id = atoll(s);
	free(s);
	ck_assert_int_gt(id, 0);
	return id;
}

/* Runs the batch's dispatcher: the mail and audit that follow from events. */
static void
dispatch(void)
{
	long done = 0;

	ck_assert_int_eq(ticket_consumers_run(&owner, 100, &done), CS_OK);
}

static void
mail_is(const char *want)
{
	char *got;

	dispatch();
	got = one(&owner, &st_mail, NULL);

	ck_assert_str_eq(got, want);
	free(got);
}

/* The newest message of kind: subject, text and HTML (malloc'd). */
static char *
text_of(const char *kind)
{
	const char *p[] = { kind };

	dispatch();
	return one(&owner, &st_text, p);
}

static char *
number_of(long long id)
{
	char n[24];
	const char *p[] = { n };

	snprintf(n, sizeof(n), "%lld", id);
	return one(&owner, &st_number, p);
}

static void
resolved_days_ago(long long id, int days)
{
	char n[24], d[24];
	const char *p[] = { n, d };

	snprintf(n, sizeof(n), "%lld", id);
	snprintf(d, sizeof(d), "%d", days);
	ck_assert_int_eq(db_run(&owner, &st_age, p), 0);
}

static void
clear_mail(void)
{
	static struct db_stmt st = DB_STMT("t_tn_clear", "DELETE FROM notifications", 0);

	ck_assert_int_eq(db_run(&owner, &st, NULL), 0);
}

static struct ticket_actor_ref
staff(long long id)
{
	struct ticket_actor_ref by = { TA_STAFF, id, 0, 0, 0 };

	return by;
}

static struct ticket_actor_ref
customer(void)
{
	struct ticket_actor_ref by = { TA_CUSTOMER, ann, alpha, 1, 0 };

	return by;
}

/* ---- fixtures --------------------------------------------------------- */

static void
suite_setup(void)
{
	struct db d;

	conninfo = th_db_create("ticket_notify");
	as_portal = th_db_as(conninfo, "csdesk_portal");
	as_console = th_db_as(conninfo, "csdesk_console");
	ck_assert_int_eq(db_open(&d, conninfo, "check_ticket_notify_setup"), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
	templates = th_templates();
	ticket_notify_setup(templates, "Help & Co", "https://help.example.com");
}

static void
suite_teardown(void)
{
	ticket_notify_setup(NULL, NULL, NULL);
	th_db_drop(conninfo);
	free(as_portal);
	free(as_console);
	free(conninfo);
}

static void
setup(void)
{
	char c[24];
	const char *p[] = { c };

	ck_assert_int_eq(db_open(&owner, conninfo, "check_ticket_notify"), 0);
	ck_assert_int_eq(db_open(&portal, as_portal, "check_ticket_notify_portal"), 0);
	ck_assert_int_eq(db_open(&console, as_console, "check_ticket_notify_console"), 0);
	/* What earlier tests' events still had to send goes first, then away. */
	dispatch();
	ck_assert_int_eq(db_run(&owner, &st_reset, NULL), 0);
	ck_assert_int_eq(db_run(&owner, &st_reset_staff, NULL), 0);
	arena = arena_new(1 << 16);
	alpha = id_of("Alpha Ltd");
	gamma_id = id_of("Gamma by phone");
	ann = id_of("ann@a.test");
	a1 = id_of("a1@t.test");
	a2 = id_of("a2@t.test");
	sup = id_of("sup@t.test");
	gone = id_of("gone@t.test");
	snprintf(c, sizeof(c), "%lld", alpha);
	ck_assert_int_eq(db_run(&portal, &st_scope, p), 0);
	snprintf(dir, sizeof(dir), "/tmp/csdesk-tnotify.XXXXXX");
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
	th_sh("rm -rf '%s'", dir);
	db_close(&owner);
	db_close(&portal);
	db_close(&console);
	arena_free(arena);
}

/* ---- notices ---------------------------------------------------------- */

START_TEST(new_ticket_tells_the_agent_it_was_given_to)
{
	struct ticket_actor_ref by = customer();
	struct ticket_new t = { 0 };
	struct ticket_opened op;
	const char *why = NULL;
	char *text, *want;

	t.customer_id = alpha;
	t.requester_id = ann;
	t.channel = "portal";
	t.subject = "Router drops Wi-Fi";
	t.description = "Every evening.";
	/* Through the portal's role: it may not read staff, yet the agent is told. */
	ck_assert_int_eq(ticket_open(&portal, arena, &by, &t, &op, &why), CS_OK);
	mail_is("ticket_created>ann@a.test,ticket_assigned>a1@t.test");
	text = text_of("ticket_assigned");
	want = arena_printf(arena, "https://help.example.com/agent/tickets/%s", op.number);
	ck_assert_msg(strstr(text, want) != NULL, "no console link in: %s", text);
	ck_assert_ptr_nonnull(strstr(text, "Hello Agent One"));
	free(text);
}
END_TEST

START_TEST(assigning_tells_the_agent_but_not_the_one_assigning)
{
	long long id = ticket(alpha, ann, "Manual", 0);
	const char *why;

	/* a2 gives it to a1: a1 hears; a1 gives it to themselves: nobody. */
	ck_assert_int_eq(ticket_assign(&console, a2, id, 0, a1, &why), CS_OK);
	mail_is("ticket_assigned>a1@t.test");
	clear_mail();
	ck_assert_int_eq(ticket_assign(&console, a1, id, 0, 0, &why), CS_OK);
	ck_assert_int_eq(ticket_assign(&console, a1, id, 0, a1, &why), CS_OK);
	mail_is("");
	/* Assigning the same agent again changes nothing and tells nobody. */
	ck_assert_int_eq(ticket_assign(&console, a2, id, 0, a1, &why), CS_OK);
	mail_is("");
	/* A bulk assignment tells the agent once per ticket. */
	{
		long long id2 = ticket(alpha, ann, "Manual", 0);
		char *n1 = number_of(id), *n2 = number_of(id2);
		const char *numbers[] = { n1, n2 };
		struct ticket_bulk_result res;

		ck_assert_int_eq(ticket_bulk(&console, arena, sup, TB_ASSIGN,
		    arena_printf(arena, "agent:%lld", a2), numbers, 2, &res, &why), CS_OK);
		ck_assert_uint_eq(res.changed, 2);
		mail_is("ticket_assigned>a2@t.test,ticket_assigned>a2@t.test");
		free(n1);
		free(n2);
	}
}
END_TEST

/*
 * An assignment by hand and an internal note's @mentions: recorded with
 * the change, mailed from its event by the dispatcher — none before it
 * runs, once after, however often it runs.
 */
START_TEST(mentions_and_assignments_are_mailed_once_by_the_dispatcher)
{
	struct ticket_actor_ref by = staff(a1);
	struct ticket_replied out;
	long long id = ticket(alpha, ann, "Manual", 0);
	const char *why = NULL;
	char *got, *text;

	ck_assert_int_eq(ticket_assign(&console, a2, id, 0, a1, &why), CS_OK);
	/* Bea's handle is a2, Sue's sup; the author and inactive staff are not told. */
	ck_assert_int_eq(ticket_reply(&console, arena, &by,
	    &(struct ticket_reply_in){ .ticket_id = id, .kind = "internal",
	    .body = "@a2 and @SUP, please look. (@a1 is me; @gone left.)" }, &out, &why), CS_OK);
	ck_assert_uint_eq(out.mentioned, 2);
	got = one(&owner, &st_mentions, NULL);
	ck_assert_str_eq(got, "Agent Two,Sue Pervisor");
	free(got);
	got = one(&owner, &st_mail, NULL);
	ck_assert_str_eq(got, "");
	free(got);
	mail_is("ticket_assigned>a1@t.test,ticket_mention>a2@t.test,ticket_mention>sup@t.test");
	mail_is("ticket_assigned>a1@t.test,ticket_mention>a2@t.test,ticket_mention>sup@t.test");
	text = text_of("ticket_mention");
	ck_assert_msg(strstr(text, "Agent One mentioned you") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "please look") != NULL, "%s", text);
	ck_assert_ptr_nonnull(strstr(text, "https://help.example.com/agent/tickets/"));
	free(text);
}
END_TEST

START_TEST(public_staff_reply_tells_the_requester_only)
{
	struct ticket_actor_ref by = staff(a1);
	long long id = ticket(alpha, ann, "Manual", a1);
	const char *why = NULL;
	char *text, *number = number_of(id);

	ck_assert_int_eq(ticket_reply(&console, arena, &by,
	    &(struct ticket_reply_in){ .ticket_id = id, .kind = "internal",
	    .body = "Customer is grumpy." }, NULL, &why), 0);
	mail_is("");
	ck_assert_int_eq(ticket_reply(&console, arena, &by,
	    &(struct ticket_reply_in){ .ticket_id = id, .kind = "public",
	    .body = "Please descale it.\n\nThen try again <script>." }, NULL, &why), 0);
	mail_is("ticket_reply>ann@a.test");
	text = text_of("ticket_reply");
	ck_assert_msg(strstr(text, "Please descale it.") != NULL, "%s", text);
	/* Plain text as written; in HTML escaped, one paragraph each. */
	ck_assert_ptr_nonnull(strstr(text, "Then try again <script>."));
	ck_assert_ptr_nonnull(strstr(text, "<p>Then try again &lt;script&gt;.</p>"));
	ck_assert_ptr_nonnull(strstr(text, "Hello Ann O'Hara"));
	ck_assert_ptr_nonnull(strstr(text, arena_printf(arena,
	    "https://help.example.com/tickets/%s", number)));
	free(text);
	free(number);
}
END_TEST

START_TEST(customer_reply_tells_the_agent_or_the_team)
{
	struct ticket_actor_ref by = customer();
	long long mine = ticket(alpha, ann, "Manual", a2);
	long long nobody = ticket(alpha, ann, "Manual", 0);
	const char *why = NULL;

	/* From the portal's role, through ticket_staff_recipients. */
	ck_assert_int_eq(ticket_reply(&portal, arena, &by,
	    &(struct ticket_reply_in){ .ticket_id = mine, .kind = "public",
	    .body = "Still leaks." }, NULL, &why), 0);
	mail_is("ticket_customer_reply>a2@t.test");
	clear_mail();
	/* Unassigned: every active member of the queue's team; never the inactive one. */
	ck_assert_int_eq(ticket_reply(&portal, arena, &by,
	    &(struct ticket_reply_in){ .ticket_id = nobody, .kind = "public",
	    .body = "Anyone there?" }, NULL, &why), 0);
	mail_is(arena_printf(arena, "ticket_customer_reply>%s,ticket_customer_reply>%s,"
	    "ticket_customer_reply>%s", a1 < a2 ? "a1@t.test" : "a2@t.test",
	    a1 < a2 ? "a2@t.test" : "a1@t.test", "sup@t.test"));
	ck_assert_int_gt(gone, sup);
}
END_TEST

START_TEST(portal_learns_no_staff_of_other_customers)
{
	static struct db_stmt st = DB_STMT("t_tn_peek",
	    "SELECT count(*) FROM ticket_staff_recipients($1, true)", 1);
	long long other = ticket(gamma_id, 0, "Manual", a1);
	char n[24];
	const char *p[] = { n };
	char *got;

	snprintf(n, sizeof(n), "%lld", other);
	got = one(&portal, &st, p);
	ck_assert_str_eq(got, "0");
	free(got);
	got = one(&console, &st, p);
	ck_assert_str_eq(got, "1");
	free(got);
}
END_TEST

START_TEST(resolving_tells_the_requester_with_confirm_and_reopen_links)
{
	struct ticket_actor_ref by = staff(a1);
	long long id = ticket(alpha, ann, "Manual", a1);
	const char *why = NULL;
	char *text, *number = number_of(id);

	ck_assert_int_eq(ticket_change_status(&console, arena, &by,
	    &(struct ticket_status_in){ .ticket_id = id, .to = TS_RESOLVED,
	    .resolution_code = "fixed" }, &why), 0);
	mail_is("ticket_resolved>ann@a.test");
	text = text_of("ticket_resolved");
	ck_assert_ptr_nonnull(strstr(text, arena_printf(arena,
	    "https://help.example.com/tickets/%s#confirm-title", number)));
	ck_assert_ptr_nonnull(strstr(text, arena_printf(arena,
	    "https://help.example.com/tickets/%s#reopen-title", number)));
	/* The subject keeps the ticket's words as typed, markup and all. */
	{
		const char *want = arena_printf(arena, "[%s] Your request is resolved: "
		    "Kettle <b>leaks</b> & drips\n", number);

		ck_assert_msg(strncmp(text, want, strlen(want)) == 0, "%s", text);
	}
	free(text);
	clear_mail();
	/* The customer confirming tells nobody (they did it). */
	by = customer();
	ck_assert_int_eq(ticket_change_status(&portal, arena, &by,
	    &(struct ticket_status_in){ .ticket_id = id, .to = TS_CLOSED, .rating = 5 }, &why),
	    0);
	mail_is("");
	free(number);
}
END_TEST

START_TEST(no_mail_without_an_address_and_the_change_still_happens)
{
	static struct db_stmt st_off = DB_STMT("t_tn_off",
	    "UPDATE portal_users SET active = $1::boolean", 1);
	static struct db_stmt st_status = DB_STMT("t_tn_status",
	    "SELECT status FROM tickets WHERE id = $1", 1);
	struct ticket_actor_ref by = staff(a1);
	long long phone = ticket(gamma_id, 0, "Manual", a1);
	long long id = ticket(alpha, ann, "Manual", a1);
	const char *why = NULL, *off[] = { "false" }, *on[] = { "true" };
	char n[24], *status;
	const char *p[] = { n };

	ck_assert_int_eq(ticket_change_status(&console, arena, &by,
	    &(struct ticket_status_in){ .ticket_id = phone, .to = TS_RESOLVED,
	    .resolution_code = "fixed" }, &why), 0);
	ck_assert_int_eq(ticket_reply(&console, arena, &by,
	    &(struct ticket_reply_in){ .ticket_id = phone, .kind = "public",
	    .body = "Called back." }, NULL, &why), 0);
	ck_assert_int_eq(db_run(&owner, &st_off, off), 0);
	ck_assert_int_eq(ticket_change_status(&console, arena, &by,
	    &(struct ticket_status_in){ .ticket_id = id, .to = TS_RESOLVED,
	    .resolution_code = "fixed" }, &why), 0);
	/* Who is told is decided when the mail is made, from the event. */
	mail_is("");
	ck_assert_int_eq(db_run(&owner, &st_off, on), 0);
	mail_is("");
	snprintf(n, sizeof(n), "%lld", id);
	status = one(&owner, &st_status, p);
	ck_assert_str_eq(status, "resolved");
	free(status);
}
END_TEST

/* ---- delivery --------------------------------------------------------- */

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

/* aiosmtpd on a free port, storing mail in the Maildir maildir; the port. */
static int
smtp_start(const char *maildir)
{
	char listen[32];
	int port = free_port(), i;

	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	smtp_pid = fork();
	ck_assert_int_ge(smtp_pid, 0);
	if (smtp_pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		execl(PYTHON, PYTHON, "-m", "aiosmtpd", "-n", "-l", listen,
		    "-c", "aiosmtpd.handlers.Mailbox", maildir, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 200 && !port_open(port); i++)
		usleep(50000);
	ck_assert_msg(port_open(port), "aiosmtpd did not start");
	return port;
}

START_TEST(resolved_mail_reaches_an_smtp_server_with_the_links)
{
	struct ticket_actor_ref by = staff(a1);
	long long id = ticket(alpha, ann, "Manual", a1);
	struct mailer_config cfg = { 0 };
	struct mailer_counts counts = { 0, 0, 0 };
	struct mailer *m;
	const char *why = NULL;
	char *number = number_of(id), out[128], *got;
	int port;

	ck_assert_int_eq(ticket_change_status(&console, arena, &by,
	    &(struct ticket_status_in){ .ticket_id = id, .to = TS_RESOLVED,
	    .resolution_code = "fixed" }, &why), 0);
	dispatch();
	port = smtp_start(arena_printf(arena, "%s/maildir", dir));
	cfg.smtp_url = arena_printf(arena, "smtp://127.0.0.1:%d", port);
	cfg.from = "help@example.com";
	cfg.dir = dir;
	m = mailer_new(&cfg);
	ck_assert_ptr_nonnull(m);
	{
		int claimed;

		ck_assert_int_eq(mailer_deliver(m, &owner, MAILER_BATCH_MAX, &counts, &claimed),
		    CS_OK);
		ck_assert_int_eq(claimed, 1);
	}
	mailer_free(m);
	ck_assert_int_eq(counts.sent, 1);
	/* Read back by an independent MIME parser. */
	snprintf(out, sizeof(out), "%s/dump.txt", dir);
	ck_assert_int_eq(th_sh(PYTHON " '%s/tests/lib/maildump.py' '%s/maildir/new'/* > '%s'"
	    " 2>&1", th_datadir(), dir, out), 0);
	{
		FILE *f = fopen(out, "r");
		static char buf[65536];
		size_t n;

		ck_assert_ptr_nonnull(f);
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
		got = buf;
	}
	ck_assert_msg(strstr(got, "ann@a.test") != NULL, "%s", got);
	ck_assert_msg(strstr(got, arena_printf(arena,
	    "https://help.example.com/tickets/%s#confirm-title", number)) != NULL, "%s", got);
	ck_assert_ptr_nonnull(strstr(got, arena_printf(arena,
	    "https://help.example.com/tickets/%s#reopen-title", number)));
	free(number);
}
END_TEST

/* ---- auto-close ------------------------------------------------------- */

START_TEST(autoclose_closes_only_tickets_resolved_long_enough)
{
	long long old = ticket(alpha, ann, "Manual", a1);
	long long recent = ticket(alpha, ann, "Manual", a1);
	long long open = ticket(alpha, ann, "Manual", a1);
	long closed = 0;
	char *got, *n_old = number_of(old), *text;

	resolved_days_ago(old, 8);
	resolved_days_ago(recent, 6);
	ck_assert_int_eq(ticket_autoclose_run(&owner, 7, &closed), CS_OK);
	ck_assert_int_eq(closed, 1);
	dispatch();
	got = one(&owner, &st_closed, NULL);
	ck_assert_str_eq(got, "closed:1:1,resolved:0:0,in_progress:0:0");
	free(got);
	mail_is("ticket_auto_closed>ann@a.test");
	text = text_of("ticket_auto_closed");
	ck_assert_ptr_nonnull(strstr(text, "more\nthan 7 days ago"));
	ck_assert_ptr_nonnull(strstr(text, arena_printf(arena, "https://help.example.com/tickets/%s",
	    n_old)));
	free(text);
	/* Again: nothing more. */
	closed = 0;
	ck_assert_int_eq(ticket_autoclose_run(&owner, 7, &closed), CS_OK);
	ck_assert_int_eq(closed, 0);
	dispatch();
	got = one(&owner, &st_closed, NULL);
	ck_assert_str_eq(got, "closed:1:1,resolved:0:0,in_progress:0:0");
	free(got);
	/* A shorter setting reaches the other. */
	ck_assert_int_eq(ticket_autoclose_run(&owner, 5, &closed), CS_OK);
	ck_assert_int_eq(closed, 1);
	mail_is("ticket_auto_closed>ann@a.test,ticket_auto_closed>ann@a.test");
	/* Resolved long before anyone waits for news: closed without mail. */
	clear_mail();
	resolved_days_ago(open, 7 + TICKET_AUTOCLOSE_QUIET_AFTER + 1);
	closed = 0;
	ck_assert_int_eq(ticket_autoclose_run(&owner, 7, &closed), CS_OK);
	ck_assert_int_eq(closed, 1);
	mail_is("");
	free(n_old);
}
END_TEST

/* The expected st_closed line for n tickets, all closed once. */
static char *
all_closed_once(int n)
{
	struct buf b;
	int i;

	buf_init(&b, arena);
	for (i = 0; i < n; i++)
		buf_addstr(&b, i ? ",closed:1:1" : "closed:1:1");
	ck_assert(!buf_failed(&b));
	return b.buf;
}

START_TEST(two_racing_runs_close_each_ticket_once)
{
	enum { N = 60 };
	pid_t kids[2];
	long total = 0;
	int i, status;
	char *got;

	for (i = 0; i < N; i++)
		resolved_days_ago(ticket(alpha, ann, "Manual", a1), 30);
	/* Two processes with their own connections, no advisory lock between them. */
	for (i = 0; i < 2; i++) {
		kids[i] = fork();
		ck_assert_int_ge(kids[i], 0);
		if (kids[i] == 0) {
			struct db d;
			long closed = 0;

			if (db_open(&d, conninfo, "check_ticket_notify_race") < 0 ||
			    ticket_autoclose_run(&d, 7, &closed) != CS_OK)
				_exit(255);
			db_close(&d);
			_exit((int)closed);
		}
	}
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(waitpid(kids[i], &status, 0), kids[i]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) != 255);
		total += WEXITSTATUS(status);
	}
	ck_assert_int_eq(total, N);
	dispatch();
	got = one(&owner, &st_closed, NULL);
	ck_assert_str_eq(got, all_closed_once(N));
	free(got);
}
END_TEST

START_TEST(two_batch_processes_close_each_ticket_once)
{
	enum { N = 30 };
	const char *days[] = { "3" };
	char build[4096];
	char *got;
	int i;

	/* Absolute: the processes run in the scratch directory. */
	ck_assert_ptr_nonnull(realpath(th_build_dir(), build));
	ck_assert_int_eq(db_run(&owner, &st_setting, days), 0);
	for (i = 0; i < N; i++)
		resolved_days_ago(ticket(alpha, ann, "Manual", a1), 4);
	ck_assert_int_eq(th_sh("cd '%s' && for i in 1 2; do env -u CSDESK_SMTP_URL"
	    " CSDESK_DB='%s' CSDESK_MAIL_DIR='%s/out' '%s/csdesk' batch > batch$i.txt 2>&1 &"
	    " done; wait", dir, conninfo, dir, build), 0);
	dispatch();
	got = one(&owner, &st_closed, NULL);
	if (strcmp(got, all_closed_once(N)) != 0)
		th_sh("cat '%s/batch1.txt' '%s/batch2.txt' >&2", dir, dir);
	ck_assert_str_eq(got, all_closed_once(N));
	free(got);
	days[0] = "7";
	ck_assert_int_eq(db_run(&owner, &st_setting, days), 0);
}
END_TEST

Suite *ticket_notify_suite(void);

Suite *
ticket_notify_suite(void)
{
	Suite *s = suite_create("ticket_notify");
	TCase *tc = tcase_create("ticket_notify");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, new_ticket_tells_the_agent_it_was_given_to);
	tcase_add_test(tc, assigning_tells_the_agent_but_not_the_one_assigning);
	tcase_add_test(tc, mentions_and_assignments_are_mailed_once_by_the_dispatcher);
	tcase_add_test(tc, public_staff_reply_tells_the_requester_only);
	tcase_add_test(tc, customer_reply_tells_the_agent_or_the_team);
	tcase_add_test(tc, portal_learns_no_staff_of_other_customers);
	tcase_add_test(tc, resolving_tells_the_requester_with_confirm_and_reopen_links);
	tcase_add_test(tc, no_mail_without_an_address_and_the_change_still_happens);
	tcase_add_test(tc, resolved_mail_reaches_an_smtp_server_with_the_links);
	tcase_add_test(tc, autoclose_closes_only_tickets_resolved_long_enough);
	tcase_add_test(tc, two_racing_runs_close_each_ticket_once);
	tcase_add_test(tc, two_batch_processes_close_each_ticket_once);
	suite_add_tcase(s, tc);
	return s;
}
