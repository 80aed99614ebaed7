/*
 * The agent's notification choices (staff_prefs.h) as the mail consumer
 * honours them: an agent who turned off "assigned to me" and "a customer
 * replied" gets neither mail, one with the defaults gets both; "at risk"
 * is off by default and, when asked for, mails the ticket's agent once
 * the SLA clock passes 80 %. Mentions are no choice and always go. Mail a
 * customer may turn off carries List-Unsubscribe (RFC 8058) and is not
 * queued again to an address that used it.
 */
#include "../lib/dispatch.h"
#include "../lib/harness.h"
#include "core/arena.h"
#include "db/db.h"
#include "core/buf.h"
#include "domain/events.h"
#include "domain/mail_format.h"
#include "domain/mail_opt_out.h"
#include "domain/notify.h"
#include "domain/staff_prefs.h"
#include "domain/ticket_assign.h"
#include "domain/ticket_consumers.h"
#include "domain/ticket_notify.h"
#include "domain/tickets.h"
#include "tmpl/tmpl.h"
#include "tmpl/tval.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo;
static struct db owner;
static struct arena *arena;
static long long cust, user, quiet, plain;
static const char *const langs[] = { "en", NULL };

static const char fixture[] =
    "INSERT INTO staff (email, name, password_hash, roles) VALUES"
    " ('quiet@w.test', 'Quinn Quiet', 'x', ARRAY['agent']),"
    " ('plain@w.test', 'Pat Plain', 'x', ARRAY['agent']);"
    "INSERT INTO customers (name) VALUES ('Prefs Ltd');"
    "INSERT INTO portal_users (customer_id, email, name, password_hash, is_account_admin)"
    " SELECT id, 'paula@p.test', 'Paula', 'x', true FROM customers WHERE name = 'Prefs Ltd';";

static struct db_stmt st_id = DB_STMT("t_wm_id",
    "SELECT coalesce((SELECT id FROM customers WHERE name = $1),"
    " (SELECT id FROM portal_users WHERE email = $1), (SELECT id FROM staff WHERE email = $1))",
    1);
/* Mails of a kind to an address about a ticket. */
static struct db_stmt st_mails = DB_STMT("t_wm_mails",
    "SELECT count(*) FROM notifications WHERE kind = $1 AND recipient = $2"
    " AND body_text LIKE '%' || $3 || '%'", 3);

static long long
num(struct db_stmt *st, const char *const *p)
{
	PGresult *r = db_exec(&owner, st, p);
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

	return num(&st_id, p);
}

static long long
mails(const char *kind, const char *to, const char *number)
{
	const char *p[] = { kind, to, number };

	return num(&st_mails, p);
}

static void
dispatch(void)
{
	long done = 0;

	ck_assert_int_eq(ticket_consumers_run(&owner, 100, &done), CS_OK);
}

/* A phone ticket for Paula, given to agent by the other one; its id, number into out. */
static long long
ticket_for(long long agent, long long by, const char **number)
{
	struct ticket_actor_ref staff = { TA_STAFF, by, 0, 0, 0 };
	struct ticket_new t = { 0 };
	struct ticket_opened out;
	const char *why = NULL;

	t.customer_id = cust;
	t.requester_id = user;
	t.channel = "phone";
	t.subject = "Scanner stops";
	t.description = "Half way through.";
	ck_assert_msg(ticket_open(&owner, arena, &staff, &t, &out, &why) == CS_OK, "open: %s",
	    why ? why : "");
	ck_assert_msg(ticket_assign(&owner, by, out.id, 0, agent, &why) == CS_OK, "assign: %s",
	    why ? why : "");
	*number = out.number;
	return out.id;
}

/* Paula answers on ticket id. */
static void
customer_replies(long long id)
{
	struct ticket_actor_ref customer = { TA_CUSTOMER, user, cust, 1, 0 };
	struct ticket_reply_in in = { .ticket_id = id, .kind = "public", .body = "Still stuck." };
	struct ticket_replied out;
	const char *why = NULL;

	ck_assert_msg(ticket_reply(&owner, arena, &customer, &in, &out, &why) == CS_OK,
	    "reply: %s", why ? why : "");
}

/* The SLA batch's event when a ticket passes 80 % of a target. */
static void
at_risk(long long id)
{
	static const struct event_actor system_actor = { "system", 0 };

	ck_assert_int_eq(db_begin(&owner), 0);
	ck_assert_int_eq(events_append(&owner, "ticket", id, "ticket.sla_at_risk", &system_actor,
	    "{\"target\": \"first_response\"}"), CS_OK);
	ck_assert_int_eq(db_commit(&owner), 0);
}

static void
suite_setup(void)
{
	conninfo = th_db_create_fixture("workspace_mail", fixture);
}

static void
suite_teardown(void)
{
	ticket_notify_setup(NULL, NULL, NULL);
	th_db_drop(conninfo);
	free(conninfo);
}

static void
setup(void)
{
	ticket_notify_setup(th_templates(), "Help", "https://help.example.com");
	ck_assert_int_eq(db_open(&owner, conninfo, "check_workspace_mail"), 0);
	arena = arena_new(1 << 16);
	cust = id_of("Prefs Ltd");
	user = id_of("paula@p.test");
	quiet = id_of("quiet@w.test");
	plain = id_of("plain@w.test");
	dispatch();
}

static void
teardown(void)
{
	db_close(&owner);
	arena_free(arena);
}

START_TEST(an_agent_who_turned_mail_off_gets_none_and_the_defaults_get_it)
{
	struct staff_prefs p;
	const char *why, *field, *q, *n;
	long long qid, nid;

	staff_prefs_default(&p);
	p.mail_assigned = 0;
	p.mail_replied = 0;
	ck_assert_int_eq(staff_prefs_save(&owner, quiet, &p, langs, &why, &field), CS_OK);
	qid = ticket_for(quiet, plain, &q);
	nid = ticket_for(plain, quiet, &n);
	customer_replies(qid);
	customer_replies(nid);
	dispatch();
	ck_assert_int_eq(mails("ticket_assigned", "quiet@w.test", q), 0);
	ck_assert_int_eq(mails("ticket_customer_reply", "quiet@w.test", q), 0);
	ck_assert_int_eq(mails("ticket_assigned", "plain@w.test", n), 1);
	ck_assert_int_eq(mails("ticket_customer_reply", "plain@w.test", n), 1);
	/* The customer is told of their ticket whatever the agent chose. */
	ck_assert_int_eq(mails("ticket_created", "paula@p.test", q), 1);
}
END_TEST

START_TEST(at_risk_mails_the_agent_only_when_asked)
{
	struct staff_prefs p;
	const char *why, *field, *q, *n;
	long long qid, nid;

	staff_prefs_default(&p);
	p.mail_at_risk = 1;
	ck_assert_int_eq(staff_prefs_save(&owner, quiet, &p, langs, &why, &field), CS_OK);
	qid = ticket_for(quiet, plain, &q);
	nid = ticket_for(plain, quiet, &n);
	at_risk(qid);
	at_risk(nid);
	dispatch();
	ck_assert_int_eq(mails("ticket_at_risk", "quiet@w.test", q), 1);
	ck_assert_int_eq(mails("ticket_at_risk", "plain@w.test", n), 0);
	/* In words, and about its target. */
	{
		static struct db_stmt st = DB_STMT("t_wm_words",
		    "SELECT count(*) FROM notifications WHERE kind = 'ticket_at_risk'"
		    " AND body_text LIKE '%first response target%'", 0);

		ck_assert_int_eq(num(&st, NULL), 1);
	}
}
END_TEST

START_TEST(a_language_without_a_catalogue_is_refused)
{
	struct staff_prefs p;
	const char *why = NULL, *field = NULL;

	staff_prefs_default(&p);
	p.language = "xx";
	ck_assert_int_eq(staff_prefs_save(&owner, plain, &p, langs, &why, &field), CS_REFUSED);
	ck_assert_str_eq(field, "language");
	ck_assert_ptr_nonnull(why);
}
END_TEST

/* Queued mail of kind to address (a count). */
static long long
queued(const char *kind, const char *address)
{
	static struct db_stmt st = DB_STMT("t_wm_queued",
	    "SELECT count(*) FROM notifications WHERE kind = $1 AND recipient = $2", 2);
	const char *p[] = { kind, address };

	return num(&st, p);
}

START_TEST(mail_a_customer_may_turn_off_carries_one_click_unsubscribe)
{
	static struct db_stmt st_token = DB_STMT("t_wm_token",
	    "SELECT unsubscribe_token || ' ' || unsubscribe_url FROM notifications"
	    " WHERE kind = 'survey_invitation' AND recipient = 'ola@p.test'", 0);
	struct tval *ctx = tval_map(arena);
	struct mailer_msg msg = { .id = 7, .kind = "survey_invitation",
		.recipient = "ola@p.test", .subject = "How did we do?", .text = "Tell us.\n" };
	const struct mail_sender from = { "Help", "help@example.com", "example.com" };
	PGresult *r;
	char token[40], url[200];
	struct buf out;

	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(notify_enqueue(&owner, th_templates(), arena, "survey_invitation",
	    "ola@p.test", "ticket_at_risk", ctx), CS_OK);
	r = db_exec(&owner, &st_token, NULL);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(PQntuples(r), 1);
	ck_assert_int_eq(sscanf(PQgetvalue(r, 0, 0), "%39s %199s", token, url), 2);
	PQclear(r);
	ck_assert_msg(mail_opt_out_token_ok(token), "token %s", token);
	ck_assert_msg(strstr(url, "/unsubscribe/") != NULL && strstr(url, token) != NULL, "%s", url);
	/* The headers a mail program offers "unsubscribe" from. */
	msg.unsubscribe_url = url;
	buf_init(&out, arena);
	mail_format(&from, &msg, &out);
	ck_assert(!buf_failed(&out));
	ck_assert_msg(strstr(out.buf, "\r\nList-Unsubscribe: <") != NULL, "%s", out.buf);
	ck_assert_msg(strstr(out.buf, "\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")
	    != NULL, "%s", out.buf);
	/* A ticket's own mail is not optional: no such header, always queued. */
	ck_assert(!notify_kind_optional("ticket_reply"));

	/* One click: that kind is not queued to that address again; others are. */
	ck_assert_int_eq(mail_opt_out_record(&owner, token), CS_OK);
	ck_assert_int_eq(mail_opt_out_record(&owner, token), CS_OK);
	ck_assert_int_eq(notify_enqueue(&owner, th_templates(), arena, "survey_invitation",
	    "Ola@P.test", "ticket_at_risk", ctx), CS_OK);
	ck_assert_int_eq(queued("survey_invitation", "Ola@P.test") +
	    queued("survey_invitation", "ola@p.test"), 1);
	ck_assert_int_eq(notify_enqueue(&owner, th_templates(), arena, "ticket_resolved",
	    "ola@p.test", "ticket_at_risk", ctx), CS_OK);
	ck_assert_int_eq(queued("ticket_resolved", "ola@p.test"), 1);
	ck_assert_int_eq(mail_opt_out_record(&owner, "0123456789abcdef0123456789abcdef"),
	    CS_NOT_FOUND);
	ck_assert_int_eq(mail_opt_out_record(&owner, "not a token"), CS_NOT_FOUND);
}
END_TEST

Suite *workspace_mail_suite(void);

Suite *
workspace_mail_suite(void)
{
	Suite *s = suite_create("workspace_mail");
	TCase *tc = tcase_create("choices");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, an_agent_who_turned_mail_off_gets_none_and_the_defaults_get_it);
	tcase_add_test(tc, at_risk_mails_the_agent_only_when_asked);
	tcase_add_test(tc, a_language_without_a_catalogue_is_refused);
	tcase_add_test(tc, mail_a_customer_may_turn_off_carries_one_click_unsubscribe);
	suite_add_tcase(s, tc);
	return s;
}
