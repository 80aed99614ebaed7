/*
 * Mail intake end to end: the messages in tests/mail/ go through the real
 * `csdesk mail-in` into a real PostgreSQL, and the test looks where each
 * landed (a ticket, a reply, a note for review, a bounce) and what the
 * dispatcher then queued. A database that cannot be reached makes mail-in
 * exit 75, and the MTA's retry stores the message exactly once.
 */
#include "mail_feed.h"
#include "../lib/dispatch.h"
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "domain/ticket_consumers.h"
#include "domain/ticket_notify.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
suite_setup(void)
{
	mf_setup("mail");
}

START_TEST(mail_multipart_opens_a_ticket_for_a_new_contact)
{
	char from[128], said[512];
	char *row, *v;

	mf_sender(from, sizeof(from), "pat");
	ck_assert_int_eq(mf_mail_in(mf_message("multipart_attachment.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	ck_assert_msg(strstr(said, ": ticket TKT-") != NULL, "%s", said);
	row = mf_landed(from);
	ck_assert_msg(strncmp(row, "ticket|New ticket TKT-", 22) == 0, "%s", row);
	ck_assert_msg(strstr(row, "the sender is a new contact") != NULL, "%s", row);
	ck_assert_msg(strstr(row, "|false|true") != NULL, "%s", row);
	free(row);
	/* The plain text, not the HTML; what was left out is said, never dropped. */
	v = th_valuef(&mf_db, "SELECT t.description FROM tickets t JOIN mail_messages m"
	    " ON m.ticket_id = t.id WHERE m.from_addr = '%s'", from);
	ck_assert_msg(strstr(v, "my printer jams on page two since Monday.") != NULL, "%s", v);
	ck_assert_msg(strstr(v, "<b>") == NULL, "%s", v);
	ck_assert_msg(strstr(v, "fix.exe (application/x-msdownload, 1 kB) was left out: that type"
	    " is not accepted.") != NULL, "%s", v);
	free(v);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM ticket_attachments a JOIN mail_messages m"
	    " ON m.ticket_id = a.ticket_id WHERE m.from_addr = '%s' AND a.filename IN"
	    " ('invoice-2291.pdf', 'paper-path.png')", from), 2);
	/* Channel e-mail, in the queue of the address, requested by the new contact. */
	ck_assert_int_eq(mf_count("SELECT count(*) FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id JOIN mail_addresses a ON a.queue_id = t.queue_id"
	    " WHERE u.email = '%s' AND t.channel = 'email' AND a.address = 'support@example.com'"
	    " AND u.name = 'Pat Example' AND u.password_hash IS NULL"
	    " AND u.email_verified_at IS NULL", from), 1);
	/* The confirmation answers with the ticket number and an invitation to the portal. */
	th_dispatch(mf_conninfo);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM notifications WHERE kind = 'ticket_created'"
	    " AND recipient = '%s' AND body_text LIKE '%%/password/reset?token=%%'"
	    " AND subject LIKE '[TKT-%%'", from), 1);
	/* It opens with the automatic reply's text (a setting), its placeholders filled. */
	ck_assert_int_eq(mf_count("SELECT count(*) FROM notifications n JOIN mail_messages m"
	    " ON m.ticket_id = n.ticket_id JOIN tickets t ON t.id = m.ticket_id"
	    " WHERE n.recipient = '%s' AND n.body_text LIKE"
	    " '%%We received your message and opened request ' || t.number || '. Reply to%%'",
	    from), 1);
}
END_TEST

START_TEST(mail_passwordless_contact_gets_no_sign_in_or_reset_link)
{
	char from[128], said[512];
	char *v;

	mf_sender(from, sizeof(from), "nopw");
	ck_assert_int_eq(mf_mail_in(mf_message("utf8_subject.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	/* auth_token_issue, which every link goes through, answers nobody but the invitation. */
	v = th_valuef(&mf_db, "SELECT count(*) FROM auth_token_issue('signin_link', '%s', 0,"
	    " '\\x01'::bytea, 60)", from);
	ck_assert_str_eq(v, "0");
	free(v);
	v = th_valuef(&mf_db, "SELECT count(*) FROM auth_token_issue('reset_password', '%s', 0,"
	    " '\\x02'::bytea, 60)", from);
	ck_assert_str_eq(v, "0");
	free(v);
	v = th_valuef(&mf_db, "SELECT count(*) FROM auth_token_issue('invite', NULL,"
	    " (SELECT id FROM portal_users WHERE email = '%s'), '\\x03'::bytea, 60)", from);
	ck_assert_str_eq(v, "1");
	free(v);
}
END_TEST

START_TEST(mail_outage_exits_75_and_the_retry_stores_once)
{
	char from[128], said[512], file[512];
	char *v;

	mf_sender(from, sizeof(from), "retry");
	snprintf(file, sizeof(file), "%s", mf_message("latin1_subject.eml", from, NULL, NULL));
	/* Nothing listens on port 1: the database is out. */
	ck_assert_int_eq(mf_mail_in_as("host=127.0.0.1 port=1 dbname=x connect_timeout=2", file, "",
	    said, sizeof(said)), 75);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM mail_messages WHERE from_addr = '%s'", from),
	    0);
	/* The MTA tries again, and again: one row, one ticket. */
	ck_assert_int_eq(mf_mail_in(file, said, sizeof(said)), 0);
	ck_assert_int_eq(mf_mail_in(file, said, sizeof(said)), 0);
	ck_assert_msg(strstr(said, "stored before; nothing done") != NULL, "%s", said);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM mail_messages WHERE from_addr = '%s'", from),
	    1);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id WHERE u.email = '%s'", from), 1);
	/* ISO-8859-1 in the encoded subject, the name and the 8-bit body. */
	v = th_valuef(&mf_db, "SELECT t.subject || '|' || u.name || '|' || t.description"
	    " FROM tickets t JOIN portal_users u ON u.id = t.requester_id WHERE u.email = '%s'",
	    from);
	ck_assert_str_eq(v, "Kühlschrank kühlt nicht mehr|Jürgen Müller|"
	    "Der Kühlschrank kühlt seit gestern nicht mehr. Grüße");
	free(v);
}
END_TEST

START_TEST(mail_encoded_utf8_and_html_only)
{
	char from[128], said[512];
	char *v;

	mf_sender(from, sizeof(from), "elodie");
	ck_assert_int_eq(mf_mail_in(mf_message("utf8_subject.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	v = th_valuef(&mf_db, "SELECT t.subject || '|' || t.description FROM tickets t"
	    " JOIN portal_users u ON u.id = t.requester_id WHERE u.email = '%s'", from);
	ck_assert_str_eq(v, "La machine à café fuite ☕|La machine à café fuit sous le réservoir.");
	free(v);
	mf_sender(from, sizeof(from), "kim");
	ck_assert_int_eq(mf_mail_in(mf_message("html_only.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	v = th_valuef(&mf_db, "SELECT t.description FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id WHERE u.email = '%s'", from);
	ck_assert_str_eq(v, "The screen stays black after the update & reboot.\n\n"
	    "Model: X200\nSerial: 42");
	free(v);
}

START_TEST(mail_replies_thread_and_are_trimmed)
{
	char from[128], other[128], said[512];
	char *number, *ref, *row, *v;

	mf_sender(from, sizeof(from), "thread");
	ck_assert_int_eq(mf_mail_in(mf_message("multipart_attachment.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	number = mf_ticket_of(from);
	th_dispatch(mf_conninfo);
	ref = mf_sent_message_id(from);
	/* Outlook: In-Reply-To our confirmation, no References; its history cut. */
	ck_assert_int_eq(mf_mail_in(mf_message("outlook_reply.eml", from, "TKT-0", ref), said,
	    sizeof(said)), 0);
	row = mf_landed(from);
	ck_assert_msg(strncmp(row, "reply|Reply on ", 15) == 0, "%s", row);
	ck_assert_msg(strstr(row, "found by In-Reply-To/References; quoted history trimmed") !=
	    NULL, "%s", row);
	ck_assert_msg(strstr(row, number) != NULL, "%s / %s", row, number);
	free(row);
	v = th_valuef(&mf_db, "SELECT c.kind || '|' || c.body FROM ticket_comments c"
	    " JOIN mail_messages m ON m.comment_id = c.id WHERE m.from_addr = '%s'"
	    " ORDER BY m.id DESC LIMIT 1", from);
	ck_assert_str_eq(v, "public|It still jams, even with new paper.");
	free(v);
	/* Only the subject's tag: attribution, quotes and signature cut. */
	ck_assert_int_eq(mf_mail_in(mf_message("subject_tag_reply.eml", from, number, NULL), said,
	    sizeof(said)), 0);
	row = mf_landed(from);
	ck_assert_msg(strstr(row, "found by the subject's tag") != NULL, "%s", row);
	free(row);
	v = th_valuef(&mf_db, "SELECT c.body FROM ticket_comments c JOIN mail_messages m"
	    " ON m.comment_id = c.id WHERE m.from_addr = '%s' ORDER BY m.id DESC LIMIT 1", from);
	ck_assert_str_eq(v, "The serial number is PX-2291.");
	free(v);
	/* Someone who is not a party: an internal note flagged for review. */
	mf_sender(other, sizeof(other), "stranger");
	ck_assert_int_eq(mf_mail_in(mf_message("subject_tag_reply.eml", other, number, NULL), said,
	    sizeof(said)), 0);
	row = mf_landed(other);
	ck_assert_msg(strncmp(row, "note|Internal note for review on ", 33) == 0, "%s", row);
	ck_assert_msg(strstr(row, "|true|false") != NULL, "%s", row);
	free(row);
	v = th_valuef(&mf_db, "SELECT c.kind || '|' || (c.body LIKE '%%not a party of this ticket%%')"
	    " FROM ticket_comments c JOIN mail_messages m ON m.comment_id = c.id"
	    " WHERE m.from_addr = '%s'", other);
	ck_assert_str_eq(v, "internal|true");
	free(v);
	free(number);
	free(ref);
}
END_TEST

START_TEST(mail_machines_get_no_auto_reply)
{
	char from[128], list[128], said[512];
	int i;

	/* An out-of-office and a mailing list open tickets, and nobody answers them. */
	mf_sender(from, sizeof(from), "ooo");
	ck_assert_int_eq(mf_mail_in(mf_message("auto_reply.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	mf_sender(list, sizeof(list), "announce");
	ck_assert_int_eq(mf_mail_in(mf_message("mailing_list.eml", list, NULL, NULL), said,
	    sizeof(said)), 0);
	th_dispatch(mf_conninfo);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM mail_messages WHERE from_addr = '%s'"
	    " AND status = 'ticket' AND NOT auto_reply", from), 1);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM notifications WHERE recipient = '%s'", from),
	    0);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM notifications WHERE recipient = '%s'", list),
	    0);
	/* A person writing five new requests in an hour hears back three times. */
	mf_sender(from, sizeof(from), "busy");
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(mf_mail_in(mf_message("utf8_subject.eml", from, NULL, NULL), said,
		    sizeof(said)), 0);
	th_dispatch(mf_conninfo);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id WHERE u.email = '%s'", from), 5);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM notifications WHERE recipient = '%s'"
	    " AND kind = 'ticket_created'", from), 3);
}
END_TEST

START_TEST(mail_bounce_marks_the_address)
{
	char from[128], said[512];
	char *ref, *row;

	mf_sender(from, sizeof(from), "gone");
	ck_assert_int_eq(mf_mail_in(mf_message("utf8_subject.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	th_dispatch(mf_conninfo);
	ref = mf_sent_message_id(from);
	ck_assert_int_eq(mf_mail_in(mf_message("dsn_bounce.eml", from, NULL, ref), said, sizeof(said)),
	    0);
	row = th_valuef(&mf_db, "SELECT m.status || '|' || m.why || '|' || (m.bounce_of ="
	    " (SELECT max(id) FROM notifications WHERE recipient = '%s')) FROM mail_messages m"
	    " WHERE m.from_addr = 'mailer-daemon@mx.example.net' ORDER BY m.id DESC LIMIT 1",
	    from);
	ck_assert_msg(strncmp(row, "bounce|Delivery to ", 19) == 0, "%s", row);
	ck_assert_msg(strstr(row, "5.1.1 smtp; 550 5.1.1 user unknown") != NULL, "%s", row);
	ck_assert_msg(strstr(row, "|true") != NULL, "%s", row);
	free(row);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM portal_users WHERE email = '%s'"
	    " AND mail_bounced_at IS NOT NULL AND mail_bounce LIKE '5.1.1%%'", from), 1);
	/* A bounce opens nothing and is answered by nothing. */
	ck_assert_int_eq(mf_count("SELECT count(*) FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id WHERE u.email = '%s'", from), 1);
	free(ref);
}
END_TEST

START_TEST(mail_forward_big_and_broken_messages_are_kept)
{
	char from[128], said[512], big[512];
	char *v;
	FILE *f;
	int i;

	mf_sender(from, sizeof(from), "lee");
	ck_assert_int_eq(mf_mail_in(mf_message("forwarded.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	v = th_valuef(&mf_db, "SELECT t.description FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id WHERE u.email = '%s'", from);
	ck_assert_msg(strstr(v, "---------- Forwarded message ---------") != NULL, "%s", v);
	ck_assert_msg(strstr(v, "> Your parcel could not be delivered.") != NULL, "%s", v);
	free(v);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM ticket_attachments a JOIN tickets t"
	    " ON t.id = a.ticket_id JOIN portal_users u ON u.id = t.requester_id"
	    " WHERE u.email = '%s' AND a.filename = 'Delivery of order 7781.eml'", from), 1);
	/* A NUL byte and broken boundaries: stored, and the text is there. */
	mf_sender(from, sizeof(from), "nul");
	ck_assert_int_eq(mf_mail_in(mf_message("nul_broken_mime.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	v = th_valuef(&mf_db, "SELECT t.description FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id WHERE u.email = '%s'", from);
	ck_assert_msg(strstr(v, "Before the nulafter the nul, and  invalid bytes.") != NULL, "%s", v);
	free(v);
	/* 30 MB: kept whole, the 30 MB attachment left out with a note. */
	mf_sender(from, sizeof(from), "big");
	snprintf(big, sizeof(big), "%s/big.eml", mf_dir);
	f = fopen(big, "wb");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "From: Big Sender <%s>\r\nTo: support@example.com\r\nSubject: Logs\r\n"
	    "Message-ID: <big.%d@example.net>\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
	    "Content-Type: text/plain\r\n\r\nThe logs are attached.\r\n--b\r\n"
	    "Content-Type: application/zip; name=\"logs.zip\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", from, (int)getpid());
	for (i = 0; i < 420000; i++)
		fputs("UEsDBBQAAAAIAAAAIQBQSwMEFAAAAAgAAAAhAFBLAwQUAAAACAAAACEAUEsDBBQAAAAIAAAAIQ\r\n",
		    f);
	fputs("--b--\r\n", f);
	fclose(f);
	ck_assert_int_eq(mf_mail_in(big, said, sizeof(said)), 0);
	ck_assert_int_ge(mf_count("SELECT size FROM mail_messages WHERE from_addr = '%s'", from),
	    30 * 1024 * 1024);
	/* Kept compressed: the raw bytes take less room than they are long. */
	ck_assert_int_lt(mf_count("SELECT pg_column_size(raw) FROM mail_messages"
	    " WHERE from_addr = '%s'", from), 30 * 1024 * 1024);
	v = th_valuef(&mf_db, "SELECT t.description FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id WHERE u.email = '%s'", from);
	ck_assert_msg(strstr(v, "The logs are attached.\n\nlogs.zip (application/zip, 22.2 MB)"
	    " was left out: it is larger than the limit.") != NULL, "%s", v);
	free(v);
}
END_TEST

START_TEST(mail_reprocess_files_a_stored_message_again)
{
	char from[128], said[512], args[64];
	char *id;

	mf_sender(from, sizeof(from), "again");
	ck_assert_int_eq(mf_mail_in(mf_message("utf8_subject.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	id = th_valuef(&mf_db, "SELECT id FROM mail_messages WHERE from_addr = '%s'", from);
	snprintf(args, sizeof(args), "--reprocess %s", id);
	ck_assert_int_eq(mf_mail_in_as(mf_conninfo, "/dev/null", args, said, sizeof(said)), 0);
	ck_assert_msg(strstr(said, ": ticket TKT-") != NULL, "%s", said);
	ck_assert_int_eq(mf_mail_in_as(mf_conninfo, "/dev/null", "--reprocess 999999999", said,
	    sizeof(said)), 1);
	free(id);
}

/*
 * The dispatcher queues a batch of events' mail in one transaction with its
 * cursor: a batch cut short (here the outbox refuses the third sender's
 * mail; a killed process is the same uncommitted transaction) leaves none
 * of its mail, and the next run queues each confirmation exactly once.
 */
START_TEST(mail_batch_cut_short_queues_each_reply_once)
{
	char from[3][128], said[512];
	struct db d;
	long done = 0;
	int i;

	th_dispatch(mf_conninfo);
	for (i = 0; i < 3; i++) {
		mf_sender(from[i], sizeof(from[i]), "batch");
		ck_assert_int_eq(mf_mail_in(mf_message("utf8_subject.eml", from[i], NULL, NULL), said,
		    sizeof(said)), 0);
	}
	free(th_valuef(&mf_db, "CREATE FUNCTION outbox_refuse() RETURNS trigger LANGUAGE plpgsql"
	    " AS $$ BEGIN IF NEW.recipient = '%s' THEN RAISE EXCEPTION 'cut short'; END IF;"
	    " RETURN NEW; END $$; CREATE TRIGGER outbox_refuse BEFORE INSERT ON notifications"
	    " FOR EACH ROW EXECUTE FUNCTION outbox_refuse(); SELECT 1", from[2]));
	ticket_notify_setup(th_templates(), "csdesk", "http://127.0.0.1:8080");
	ck_assert_int_eq(db_open(&d, mf_conninfo, "cut_short"), 0);
	ck_assert_int_ne(ticket_consumers_run(&d, 1000, &done), CS_OK);
	db_close(&d);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM notifications WHERE recipient IN"
	    " ('%s', '%s', '%s')", from[0], from[1], from[2]), 0);
	free(th_value(&mf_db, "DROP TRIGGER outbox_refuse ON notifications;"
	    " DROP FUNCTION outbox_refuse(); SELECT 1"));
	th_dispatch(mf_conninfo);
	th_dispatch(mf_conninfo);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(mf_count("SELECT count(*) FROM notifications WHERE recipient = '%s'"
		    " AND kind = 'ticket_created'", from[i]), 1);
}
END_TEST

Suite *mail_suite(void);

Suite *
mail_suite(void)
{
	Suite *s = suite_create("mail");
	TCase *tc = tcase_create("mail");

	tcase_add_unchecked_fixture(tc, suite_setup, mf_teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, mail_multipart_opens_a_ticket_for_a_new_contact);
	tcase_add_test(tc, mail_passwordless_contact_gets_no_sign_in_or_reset_link);
	tcase_add_test(tc, mail_outage_exits_75_and_the_retry_stores_once);
	tcase_add_test(tc, mail_encoded_utf8_and_html_only);
	tcase_add_test(tc, mail_replies_thread_and_are_trimmed);
	tcase_add_test(tc, mail_machines_get_no_auto_reply);
	tcase_add_test(tc, mail_bounce_marks_the_address);
	tcase_add_test(tc, mail_forward_big_and_broken_messages_are_kept);
	tcase_add_test(tc, mail_reprocess_files_a_stored_message_again);
	tcase_add_test(tc, mail_batch_cut_short_queues_each_reply_once);
	suite_add_tcase(s, tc);
	return s;
}
