/*
 * Mail that needs an agent's eye, on the ticket page: a message from
 * someone who is not a party of the ticket is flagged with accept and
 * dismiss (accepted, the customer sees it; dismissed, it stays internal;
 * decided once), and a new ticket from the same sender with the same
 * subject within a day suggests a merge, which merges through the merge
 * use case or is dismissed. The messages are stored as mail intake
 * stores them (tests/db/check_mail.c drives intake itself). And the
 * portal's one-click unsubscribe (RFC 8058) from mail a customer may turn
 * off: asked first on GET, recorded by a mail program's POST that carries
 * no CSRF token.
 */
#include "identity.h"
#include "../lib/fixtures.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct th_stack stack;
static char *db;
static struct fx_person alex, carla;

static void
setup(void)
{
	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("mail_review");
	fx_staff(db, "Alex Agent", "agent", &alex);
	fx_customer(db, "Carla Contact", "Acme Customer", "standard", &carla);
	free(sql_owner(db, "UPDATE settings SET value = '1000000' WHERE key ~ $1",
	    "^customer_(tickets|replies)_per_"));
	th_stack_start(&stack, db, 2, NULL);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

/* A stranger's mail on ticket number, filed as intake files it: an internal note to review. */
static char *
stranger_note(const char *number, const char *text)
{
	char sql[1024];

	snprintf(sql, sizeof(sql),
	    "WITH t AS (SELECT id FROM tickets WHERE number = $1),"
	    " c AS (INSERT INTO ticket_comments (ticket_id, kind, body)"
	    "  SELECT id, 'internal', '%s' FROM t RETURNING id, ticket_id)"
	    " INSERT INTO mail_messages (message_id, raw_sha256, raw, size, from_addr, subject,"
	    "  status, ticket_id, comment_id, review)"
	    " SELECT '<' || gen_random_uuid() || '@else.test>', sha256(gen_random_uuid()::text::bytea),"
	    "  'raw'::bytea, 3, 'stranger@else.test', 'About the printer', 'note', c.ticket_id,"
	    "  c.id, true FROM c RETURNING id", text);
	return sql_owner(db, sql, number);
}

START_TEST(a_strangers_mail_is_accepted_once_and_the_customer_then_sees_it)
{
	struct jar j = { 0 }, cj = { 0 };
	struct fx_ticket t;
	struct th_resp r;
	char path[128], body[128], login[256], *mail, *other;

	fx_ticket(db, &carla, "Printer offline", &t);
	mail = stranger_note(t.number, "The printer on floor two is mine too.");
	other = stranger_note(t.number, "Buy our toner.");
	web_staff_sign_in(&stack, &j, alex.email, FX_PASSWORD);
	snprintf(path, sizeof(path), "/agent/tickets/%s", t.number);
	r = web_get_want(&stack, &j, path, 200);
	assert_has(&r, "E-mail from stranger@else.test, who is not a party of this ticket");
	assert_has(&r, "name=\"decision\" value=\"accept\"");
	th_resp_free(&r);

	snprintf(path, sizeof(path), "/agent/tickets/%s/mail-review", t.number);
	snprintf(body, sizeof(body), "mail=%s&decision=accept", mail);
	r = web_post_want(&stack, &j, path, "/agent/tickets", body, 303);
	th_resp_free(&r);
	snprintf(body, sizeof(body), "mail=%s&decision=dismiss", other);
	r = web_post_want(&stack, &j, path, "/agent/tickets", body, 303);
	th_resp_free(&r);
	/* Decided once: a second decision (a colleague's stale page) is refused. */
	r = web_post_want(&stack, &j, path, "/agent/tickets", body, 409);
	assert_has(&r, "decided already");
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/tickets/%s", t.number);
	r = web_get_want(&stack, &j, path, 200);
	assert_lacks(&r, "who is not a party of this ticket</h2>");
	assert_has(&r, "accepted an e-mail from a non-party: the customer sees it");
	assert_has(&r, "dismissed an e-mail from a non-party: it stays internal");
	th_resp_free(&r);

	/* The customer sees the accepted one, not the dismissed one. */
	snprintf(login, sizeof(login), "email=%s&" FX_PASSWORD_FORM, carla.email);
	r = web_post_want(&stack, &cj, "/login", "/login", login, 303);
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/tickets/%s", t.number);
	r = web_get_want(&stack, &cj, path, 200);
	assert_has(&r, "The printer on floor two is mine too.");
	assert_lacks(&r, "Buy our toner.");
	th_resp_free(&r);
	free(mail);
	free(other);
}
END_TEST

START_TEST(a_suggested_merge_merges_or_is_dismissed)
{
	struct jar j = { 0 };
	struct fx_ticket first, again, third;
	struct th_resp r;
	char path[128], body[64], sql[512], *mail;

	fx_ticket(db, &carla, "Scanner jams", &first);
	fx_ticket(db, &carla, "Re: Scanner jams", &again);
	fx_ticket(db, &carla, "Scanner jams again", &third);
	snprintf(sql, sizeof(sql), "INSERT INTO mail_messages (message_id, raw_sha256, raw, size,"
	    " from_addr, subject, status, ticket_id, suggested_ticket_id)"
	    " SELECT '<m' || n.id || '@c.test>', sha256(n.number::bytea), 'raw'::bytea, 3,"
	    " '%s', n.subject, 'ticket', n.id, f.id FROM tickets n, tickets f"
	    " WHERE n.number = $1 AND f.number = '%s' RETURNING id", carla.email, first.number);
	free(sql_owner(db, sql, again.number));
	mail = sql_owner(db, sql, third.number);
	web_staff_sign_in(&stack, &j, alex.email, FX_PASSWORD);

	/* Dismissed: gone from the page. */
	snprintf(path, sizeof(path), "/agent/tickets/%s", third.number);
	r = web_get_want(&stack, &j, path, 200);
	assert_has(&r, "Suggested merge");
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/tickets/%s/merge-suggestion", third.number);
	snprintf(body, sizeof(body), "mail=%s", mail);
	r = web_post_want(&stack, &j, path, "/agent/tickets", body, 303);
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/tickets/%s", third.number);
	r = web_get_want(&stack, &j, path, 200);
	assert_lacks(&r, "Suggested merge");
	th_resp_free(&r);

	/* Taken: the merge use case moves it into the first ticket. */
	snprintf(path, sizeof(path), "/agent/tickets/%s", again.number);
	r = web_get_want(&stack, &j, path, 200);
	snprintf(body, sizeof(body), "Merge into %s</button>", first.number);
	assert_has(&r, body);
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/tickets/%s/merge", again.number);
	snprintf(body, sizeof(body), "target=%s", first.number);
	r = web_post_want(&stack, &j, path, "/agent/tickets", body, 303);
	th_resp_free(&r);
	{
		char *st = sql_owner(db, "SELECT status FROM tickets WHERE number = $1", again.number);

		ck_assert_str_eq(st, "cancelled");
		free(st);
	}
	/* A suggestion older than a day is a new matter: not shown. */
	free(sql_owner(db, "UPDATE mail_messages SET merge_dismissed_at = NULL,"
	    " received_at = now() + interval '2 days' WHERE id = $1::bigint", mail));
	snprintf(path, sizeof(path), "/agent/tickets/%s", third.number);
	r = web_get_want(&stack, &j, path, 200);
	assert_lacks(&r, "Suggested merge");
	th_resp_free(&r);
	free(mail);
}
END_TEST

START_TEST(one_click_unsubscribe_asks_on_get_and_records_a_post_without_a_session)
{
	struct jar j = { 0 };
	struct th_resp r;
	char *count;
	const char *token = "0123456789abcdef0123456789abcdef";

	free(sql_owner(db, "INSERT INTO notifications (kind, recipient, subject, body_text,"
	    " unsubscribe_token, unsubscribe_url) VALUES ('survey_invitation', 'Pia@P.test',"
	    " 'How did we do?', 'Tell us.', $1, 'http://x/unsubscribe/' || $1)", token));
	r = web_get_want(&stack, &j, "/unsubscribe/0123456789abcdef0123456789abcdef", 200);
	assert_has(&r, "Stop survey invitations to pia@p.test?");
	th_resp_free(&r);
	count = sql_owner(db, "SELECT count(*) FROM mail_opt_outs WHERE address = $1",
	    "pia@p.test");
	ck_assert_str_eq(count, "0");
	free(count);
	/* What a mail program sends: no cookie, no CSRF token. */
	r = web_post_want(&stack, &j, "/unsubscribe/0123456789abcdef0123456789abcdef", NULL,
	    "List-Unsubscribe=One-Click", 200);
	assert_has(&r, "Done: no more survey invitations go to pia@p.test.");
	th_resp_free(&r);
	count = sql_owner(db, "SELECT kind FROM mail_opt_outs WHERE address = $1", "pia@p.test");
	ck_assert_str_eq(count, "survey_invitation");
	free(count);
	/* Again: still done, nothing new. A token that is none: 404. */
	r = web_post_want(&stack, &j, "/unsubscribe/0123456789abcdef0123456789abcdef", NULL,
	    "List-Unsubscribe=One-Click", 200);
	th_resp_free(&r);
	r = web_get_want(&stack, &j, "/unsubscribe/ffffffffffffffffffffffffffffffff", 404);
	th_resp_free(&r);
	r = web_post_want(&stack, &j, "/unsubscribe/nope", NULL, "List-Unsubscribe=One-Click", 404);
	th_resp_free(&r);
}
END_TEST

Suite *http_mail_review_suite(void);

Suite *
http_mail_review_suite(void)
{
	Suite *s = suite_create("http_mail_review");
	TCase *tc = tcase_create("review");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, a_strangers_mail_is_accepted_once_and_the_customer_then_sees_it);
	tcase_add_test(tc, a_suggested_merge_merges_or_is_dismissed);
	tcase_add_test(tc, one_click_unsubscribe_asks_on_get_and_records_a_post_without_a_session);
	suite_add_tcase(s, tc);
	return s;
}
