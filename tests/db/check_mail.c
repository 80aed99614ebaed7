/*
 * Mail intake end to end: the messages in tests/mail/ go through the real
 * `csdesk mail-in` into a real PostgreSQL, and the test looks where each
 * landed (a ticket, a reply, a note for review, a bounce), what the
 * dispatcher then queued, and — through a real SMTP server — the headers
 * the answer carries. A database that cannot be reached makes mail-in
 * exit 75, and the MTA's retry stores the message exactly once.
 *
 * Each test writes as senders nobody else uses (a counter and the pid in
 * the address), so tests do not see each other's rows.
 */
#include "../lib/dispatch.h"
#include "../lib/fixtures.h"
#include "../lib/harness.h"
#include "../lib/smtp_sink.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/mailer.h"
#include "domain/tickets.h"

#include <arpa/inet.h>
#include <check.h>
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

static char *conninfo;
static struct db db;
static char dir[256];

static void
suite_setup(void)
{
	conninfo = th_db_create("mail");
	ck_assert_int_eq(db_open(&db, conninfo, "check_mail"), 0);
	snprintf(dir, sizeof(dir), "/tmp/csdesk-mail-%d", (int)getpid());
	th_sh("rm -rf '%s' && mkdir -p '%s'", dir, dir);
	/* support@ and returns@ route by address; returns@ to a queue of its own. */
	free(th_value(&db, "INSERT INTO teams (name) VALUES ('Mail desk');"
	    "INSERT INTO team_mail (team_id, address, signature) SELECT id, 'desk@example.com',"
	    " E'The Mail desk\\nExample Ltd' FROM teams WHERE name = 'Mail desk';"
	    "INSERT INTO queues (name, team_id, auto_assign) VALUES ('Returns (mail test)', NULL,"
	    " false), ('General (mail test)', (SELECT id FROM teams WHERE name = 'Mail desk'),"
	    " false);"
	    "INSERT INTO mail_addresses (address, queue_id) SELECT 'support@example.com', id"
	    " FROM queues WHERE name = 'General (mail test)';"
	    "INSERT INTO mail_addresses (address, queue_id) SELECT 'returns@example.com', id"
	    " FROM queues WHERE name = 'Returns (mail test)'"));
}

static void
suite_teardown(void)
{
	th_smtp_stop();
	db_close(&db);
	th_db_drop(conninfo);
	free(conninfo);
	th_sh("rm -rf '%s'", dir);
}

/* A sender address no other test uses. */
static void
sender(char *out, size_t size, const char *who)
{
	static int n;

	snprintf(out, size, "%s.%d.%d@example.net", who, (int)getpid(), ++n);
}

/* Replaces every @@KEY@@ of s (malloc'd) by its value; returns the new malloc'd text. */
static char *
fill(char *s, const char *key, const char *value)
{
	char mark[32], *p, *out;
	size_t ml, vl = strlen(value);

	snprintf(mark, sizeof(mark), "@@%s@@", key);
	ml = strlen(mark);
	while ((p = strstr(s, mark)) != NULL) {
		out = malloc(strlen(s) - ml + vl + 1);
		ck_assert_ptr_nonnull(out);
		memcpy(out, s, (size_t)(p - s));
		memcpy(out + (p - s), value, vl);
		strcpy(out + (p - s) + vl, p + ml);
		free(s);
		s = out;
	}
	return s;
}

/*
 * tests/mail/<name> with FROM, TAG, REF and a fresh MID filled in, written
 * to a file of the test's directory; returns its path (static).
 */
static const char *
message(const char *name, const char *from, const char *tag, const char *ref)
{
	static char path[512];
	static int n;
	char src[512], mid[32];
	char *raw, *s;
	size_t head;
	FILE *f;
	long len;

	snprintf(src, sizeof(src), "%s/tests/mail/%s", th_datadir(), name);
	f = fopen(src, "rb");
	ck_assert_msg(f != NULL, "%s", src);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	raw = calloc(1, (size_t)len + 1);
	ck_assert_ptr_nonnull(raw);
	ck_assert_int_eq((long)fread(raw, 1, (size_t)len, f), len);
	fclose(f);
	/* Filled in up to a NUL byte; what follows it is written as it is. */
	head = strlen(raw);
	s = strdup(raw);
	ck_assert_ptr_nonnull(s);
	snprintf(mid, sizeof(mid), "%d.%d", (int)getpid(), ++n);
	s = fill(fill(fill(fill(s, "FROM", from), "TAG", tag ? tag : "TKT-0"), "REF",
	    ref ? ref : "none@example.net"), "MID", mid);
	snprintf(path, sizeof(path), "%s/in-%d.eml", dir, n);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fwrite(s, 1, strlen(s), f);
	fwrite(raw + head, 1, (size_t)len - head, f);
	fclose(f);
	free(s);
	free(raw);
	return path;
}

/* `csdesk mail-in` on file (extra arguments args); its exit status, its line in out. */
static int
mail_in_as(const char *db_conninfo, const char *file, const char *args, char *out, size_t size)
{
	char path[512];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/out.txt", dir);
	rc = th_sh("CSDESK_DB='%s' '%s/csdesk' mail-in %s < '%s' > '%s' 2>&1", db_conninfo,
	    th_build_dir(), args, file, path);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	out[0] = '\0';
	if (fgets(out, (int)size, f) == NULL)
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	fclose(f);
	return rc;
}

static int
mail_in(const char *file, char *out, size_t size)
{
	return mail_in_as(conninfo, file, "", out, size);
}

/* The message's row: "status|why|ticket number|review|auto_reply" of the newest from addr. */
static char *
landed(const char *from)
{
	return th_valuef(&db, "SELECT m.status || '|' || m.why || '|' || coalesce(t.number, '')"
	    " || '|' || m.review || '|' || m.auto_reply FROM mail_messages m"
	    " LEFT JOIN tickets t ON t.id = m.ticket_id WHERE m.from_addr = '%s'"
	    " ORDER BY m.id DESC LIMIT 1", from);
}

static long long count(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A number the test SQL fmt gives. */
static long long
count(const char *fmt, ...)
{
	char sql[4096], *v;
	long long n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	v = th_value(&db, sql);
	n = atoll(v);
	free(v);
	return n;
}

/* The ticket a sender's newest message opened or joined. */
static char *
ticket_of(const char *from)
{
	return th_valuef(&db, "SELECT t.number FROM mail_messages m JOIN tickets t"
	    " ON t.id = m.ticket_id WHERE m.from_addr = '%s' ORDER BY m.id DESC LIMIT 1", from);
}

START_TEST(mail_multipart_opens_a_ticket_for_a_new_contact)
{
	char from[128], said[512];
	char *row, *v;

	sender(from, sizeof(from), "pat");
	ck_assert_int_eq(mail_in(message("multipart_attachment.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	ck_assert_msg(strstr(said, ": ticket TKT-") != NULL, "%s", said);
	row = landed(from);
	ck_assert_msg(strncmp(row, "ticket|New ticket TKT-", 22) == 0, "%s", row);
	ck_assert_msg(strstr(row, "the sender is a new contact") != NULL, "%s", row);
	ck_assert_msg(strstr(row, "|false|true") != NULL, "%s", row);
	free(row);
	/* The plain text, not the HTML; what was left out is said, never dropped. */
	v = th_valuef(&db, "SELECT t.description FROM tickets t JOIN mail_messages m"
	    " ON m.ticket_id = t.id WHERE m.from_addr = '%s'", from);
	ck_assert_msg(strstr(v, "my printer jams on page two since Monday.") != NULL, "%s", v);
	ck_assert_msg(strstr(v, "<b>") == NULL, "%s", v);
	ck_assert_msg(strstr(v, "fix.exe (application/x-msdownload, 1 kB) was left out: that type"
	    " is not accepted.") != NULL, "%s", v);
	free(v);
	ck_assert_int_eq(count("SELECT count(*) FROM ticket_attachments a JOIN mail_messages m"
	    " ON m.ticket_id = a.ticket_id WHERE m.from_addr = '%s' AND a.filename IN"
	    " ('invoice-2291.pdf', 'paper-path.png')", from), 2);
	/* Channel e-mail, in the queue of the address, requested by the new contact. */
	ck_assert_int_eq(count("SELECT count(*) FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id JOIN mail_addresses a ON a.queue_id = t.queue_id"
	    " WHERE u.email = '%s' AND t.channel = 'email' AND a.address = 'support@example.com'"
	    " AND u.name = 'Pat Example' AND u.password_hash IS NULL"
	    " AND u.email_verified_at IS NULL", from), 1);
	/* The confirmation answers with the ticket number and an invitation to the portal. */
	th_dispatch(conninfo);
	ck_assert_int_eq(count("SELECT count(*) FROM notifications WHERE kind = 'ticket_created'"
	    " AND recipient = '%s' AND body_text LIKE '%%/password/reset?token=%%'"
	    " AND subject LIKE '[TKT-%%'", from), 1);
	/* It opens with the automatic reply's text (a setting), its placeholders filled. */
	ck_assert_int_eq(count("SELECT count(*) FROM notifications n JOIN mail_messages m"
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

	sender(from, sizeof(from), "nopw");
	ck_assert_int_eq(mail_in(message("utf8_subject.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	/* auth_token_issue, which every link goes through, answers nobody but the invitation. */
	v = th_valuef(&db, "SELECT count(*) FROM auth_token_issue('signin_link', '%s', 0,"
	    " '\\x01'::bytea, 60)", from);
	ck_assert_str_eq(v, "0");
	free(v);
	v = th_valuef(&db, "SELECT count(*) FROM auth_token_issue('reset_password', '%s', 0,"
	    " '\\x02'::bytea, 60)", from);
	ck_assert_str_eq(v, "0");
	free(v);
	v = th_valuef(&db, "SELECT count(*) FROM auth_token_issue('invite', NULL,"
	    " (SELECT id FROM portal_users WHERE email = '%s'), '\\x03'::bytea, 60)", from);
	ck_assert_str_eq(v, "1");
	free(v);
}
END_TEST

START_TEST(mail_outage_exits_75_and_the_retry_stores_once)
{
	char from[128], said[512], file[512];
	char *v;

	sender(from, sizeof(from), "retry");
	snprintf(file, sizeof(file), "%s", message("latin1_subject.eml", from, NULL, NULL));
	/* Nothing listens on port 1: the database is out. */
	ck_assert_int_eq(mail_in_as("host=127.0.0.1 port=1 dbname=x connect_timeout=2", file, "",
	    said, sizeof(said)), 75);
	ck_assert_int_eq(count("SELECT count(*) FROM mail_messages WHERE from_addr = '%s'", from),
	    0);
	/* The MTA tries again, and again: one row, one ticket. */
	ck_assert_int_eq(mail_in(file, said, sizeof(said)), 0);
	ck_assert_int_eq(mail_in(file, said, sizeof(said)), 0);
	ck_assert_msg(strstr(said, "stored before; nothing done") != NULL, "%s", said);
	ck_assert_int_eq(count("SELECT count(*) FROM mail_messages WHERE from_addr = '%s'", from),
	    1);
	ck_assert_int_eq(count("SELECT count(*) FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id WHERE u.email = '%s'", from), 1);
	/* ISO-8859-1 in the encoded subject, the name and the 8-bit body. */
	v = th_valuef(&db, "SELECT t.subject || '|' || u.name || '|' || t.description"
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

	sender(from, sizeof(from), "elodie");
	ck_assert_int_eq(mail_in(message("utf8_subject.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	v = th_valuef(&db, "SELECT t.subject || '|' || t.description FROM tickets t"
	    " JOIN portal_users u ON u.id = t.requester_id WHERE u.email = '%s'", from);
	ck_assert_str_eq(v, "La machine à café fuite ☕|La machine à café fuit sous le réservoir.");
	free(v);
	sender(from, sizeof(from), "kim");
	ck_assert_int_eq(mail_in(message("html_only.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	v = th_valuef(&db, "SELECT t.description FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id WHERE u.email = '%s'", from);
	ck_assert_str_eq(v, "The screen stays black after the update & reboot.\n\n"
	    "Model: X200\nSerial: 42");
	free(v);
}
END_TEST

/* The id part of the Message-ID csdesk gave its newest mail to addr. */
static char *
sent_message_id(const char *to)
{
	return th_valuef(&db, "SELECT 'csdesk.' || id || '.' || (extract(epoch FROM created_at)"
	    " * 1000000)::bigint || '@localhost' FROM notifications WHERE recipient = '%s'"
	    " ORDER BY id DESC LIMIT 1", to);
}

START_TEST(mail_replies_thread_and_are_trimmed)
{
	char from[128], other[128], said[512];
	char *number, *ref, *row, *v;

	sender(from, sizeof(from), "thread");
	ck_assert_int_eq(mail_in(message("multipart_attachment.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	number = ticket_of(from);
	th_dispatch(conninfo);
	ref = sent_message_id(from);
	/* Outlook: In-Reply-To our confirmation, no References; its history cut. */
	ck_assert_int_eq(mail_in(message("outlook_reply.eml", from, "TKT-0", ref), said,
	    sizeof(said)), 0);
	row = landed(from);
	ck_assert_msg(strncmp(row, "reply|Reply on ", 15) == 0, "%s", row);
	ck_assert_msg(strstr(row, "found by In-Reply-To/References; quoted history trimmed") !=
	    NULL, "%s", row);
	ck_assert_msg(strstr(row, number) != NULL, "%s / %s", row, number);
	free(row);
	v = th_valuef(&db, "SELECT c.kind || '|' || c.body FROM ticket_comments c"
	    " JOIN mail_messages m ON m.comment_id = c.id WHERE m.from_addr = '%s'"
	    " ORDER BY m.id DESC LIMIT 1", from);
	ck_assert_str_eq(v, "public|It still jams, even with new paper.");
	free(v);
	/* Only the subject's tag: attribution, quotes and signature cut. */
	ck_assert_int_eq(mail_in(message("subject_tag_reply.eml", from, number, NULL), said,
	    sizeof(said)), 0);
	row = landed(from);
	ck_assert_msg(strstr(row, "found by the subject's tag") != NULL, "%s", row);
	free(row);
	v = th_valuef(&db, "SELECT c.body FROM ticket_comments c JOIN mail_messages m"
	    " ON m.comment_id = c.id WHERE m.from_addr = '%s' ORDER BY m.id DESC LIMIT 1", from);
	ck_assert_str_eq(v, "The serial number is PX-2291.");
	free(v);
	/* Someone who is not a party: an internal note flagged for review. */
	sender(other, sizeof(other), "stranger");
	ck_assert_int_eq(mail_in(message("subject_tag_reply.eml", other, number, NULL), said,
	    sizeof(said)), 0);
	row = landed(other);
	ck_assert_msg(strncmp(row, "note|Internal note for review on ", 33) == 0, "%s", row);
	ck_assert_msg(strstr(row, "|true|false") != NULL, "%s", row);
	free(row);
	v = th_valuef(&db, "SELECT c.kind || '|' || (c.body LIKE '%%not a party of this ticket%%')"
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
	sender(from, sizeof(from), "ooo");
	ck_assert_int_eq(mail_in(message("auto_reply.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	sender(list, sizeof(list), "announce");
	ck_assert_int_eq(mail_in(message("mailing_list.eml", list, NULL, NULL), said,
	    sizeof(said)), 0);
	th_dispatch(conninfo);
	ck_assert_int_eq(count("SELECT count(*) FROM mail_messages WHERE from_addr = '%s'"
	    " AND status = 'ticket' AND NOT auto_reply", from), 1);
	ck_assert_int_eq(count("SELECT count(*) FROM notifications WHERE recipient = '%s'", from),
	    0);
	ck_assert_int_eq(count("SELECT count(*) FROM notifications WHERE recipient = '%s'", list),
	    0);
	/* A person writing five new requests in an hour hears back three times. */
	sender(from, sizeof(from), "busy");
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(mail_in(message("utf8_subject.eml", from, NULL, NULL), said,
		    sizeof(said)), 0);
	th_dispatch(conninfo);
	ck_assert_int_eq(count("SELECT count(*) FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id WHERE u.email = '%s'", from), 5);
	ck_assert_int_eq(count("SELECT count(*) FROM notifications WHERE recipient = '%s'"
	    " AND kind = 'ticket_created'", from), 3);
}
END_TEST

START_TEST(mail_bounce_marks_the_address)
{
	char from[128], said[512];
	char *ref, *row;

	sender(from, sizeof(from), "gone");
	ck_assert_int_eq(mail_in(message("utf8_subject.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	th_dispatch(conninfo);
	ref = sent_message_id(from);
	ck_assert_int_eq(mail_in(message("dsn_bounce.eml", from, NULL, ref), said, sizeof(said)),
	    0);
	row = th_valuef(&db, "SELECT m.status || '|' || m.why || '|' || (m.bounce_of ="
	    " (SELECT max(id) FROM notifications WHERE recipient = '%s')) FROM mail_messages m"
	    " WHERE m.from_addr = 'mailer-daemon@mx.example.net' ORDER BY m.id DESC LIMIT 1",
	    from);
	ck_assert_msg(strncmp(row, "bounce|Delivery to ", 19) == 0, "%s", row);
	ck_assert_msg(strstr(row, "5.1.1 smtp; 550 5.1.1 user unknown") != NULL, "%s", row);
	ck_assert_msg(strstr(row, "|true") != NULL, "%s", row);
	free(row);
	ck_assert_int_eq(count("SELECT count(*) FROM portal_users WHERE email = '%s'"
	    " AND mail_bounced_at IS NOT NULL AND mail_bounce LIKE '5.1.1%%'", from), 1);
	/* A bounce opens nothing and is answered by nothing. */
	ck_assert_int_eq(count("SELECT count(*) FROM tickets t JOIN portal_users u"
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

	sender(from, sizeof(from), "lee");
	ck_assert_int_eq(mail_in(message("forwarded.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	v = th_valuef(&db, "SELECT t.description FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id WHERE u.email = '%s'", from);
	ck_assert_msg(strstr(v, "---------- Forwarded message ---------") != NULL, "%s", v);
	ck_assert_msg(strstr(v, "> Your parcel could not be delivered.") != NULL, "%s", v);
	free(v);
	ck_assert_int_eq(count("SELECT count(*) FROM ticket_attachments a JOIN tickets t"
	    " ON t.id = a.ticket_id JOIN portal_users u ON u.id = t.requester_id"
	    " WHERE u.email = '%s' AND a.filename = 'Delivery of order 7781.eml'", from), 1);
	/* A NUL byte and broken boundaries: stored, and the text is there. */
	sender(from, sizeof(from), "nul");
	ck_assert_int_eq(mail_in(message("nul_broken_mime.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	v = th_valuef(&db, "SELECT t.description FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id WHERE u.email = '%s'", from);
	ck_assert_msg(strstr(v, "Before the nulafter the nul, and  invalid bytes.") != NULL, "%s", v);
	free(v);
	/* 30 MB: kept whole, the 30 MB attachment left out with a note. */
	sender(from, sizeof(from), "big");
	snprintf(big, sizeof(big), "%s/big.eml", dir);
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
	ck_assert_int_eq(mail_in(big, said, sizeof(said)), 0);
	ck_assert_int_ge(count("SELECT size FROM mail_messages WHERE from_addr = '%s'", from),
	    30 * 1024 * 1024);
	/* Kept compressed: the raw bytes take less room than they are long. */
	ck_assert_int_lt(count("SELECT pg_column_size(raw) FROM mail_messages"
	    " WHERE from_addr = '%s'", from), 30 * 1024 * 1024);
	v = th_valuef(&db, "SELECT t.description FROM tickets t JOIN portal_users u"
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

	sender(from, sizeof(from), "again");
	ck_assert_int_eq(mail_in(message("utf8_subject.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	id = th_valuef(&db, "SELECT id FROM mail_messages WHERE from_addr = '%s'", from);
	snprintf(args, sizeof(args), "--reprocess %s", id);
	ck_assert_int_eq(mail_in_as(conninfo, "/dev/null", args, said, sizeof(said)), 0);
	ck_assert_msg(strstr(said, ": ticket TKT-") != NULL, "%s", said);
	ck_assert_int_eq(mail_in_as(conninfo, "/dev/null", "--reprocess 999999999", said,
	    sizeof(said)), 1);
	free(id);
}
END_TEST

/*
 * The block maildump printed for the message to addr that says what
 * (a copy: free it), or NULL.
 */
static char *
block_for(const char *dump, const char *addr, const char *what)
{
	char to[200];
	const char *p = dump, *end;

	snprintf(to, sizeof(to), "\nTo: %s\n", addr);
	while ((p = strstr(p, "== ")) != NULL) {
		size_t n;
		char *b;

		end = strstr(p + 3, "\n== ");
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		b = strndup(p, n);
		ck_assert_ptr_nonnull(b);
		if (strstr(b, to) != NULL && strstr(b, what) != NULL)
			return b;
		free(b);
		p += n;
	}
	return NULL;
}

START_TEST(mail_out_threads_and_answers_come_back_by_token)
{
	char from[128], said[512], maildir[300], log[300], url[64], pattern[400], rcpt[200];
	struct ticket_actor_ref agent = { .kind = TA_STAFF };
	struct ticket_reply_in in = { .kind = "public", .body = "Please try the rear tray." };
	struct mailer_config cfg = { .from = "Support <support@example.com>" };
	struct mailer_counts c = { 0 };
	struct arena *a = arena_new(1 << 16);
	const char *why = NULL;
	struct fx_person staff;
	struct mailer *m;
	char *token, *dump, *b, *row;
	int claimed;

	sender(from, sizeof(from), "smtp");
	ck_assert_int_eq(mail_in(message("multipart_attachment.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	th_dispatch(conninfo);
	/* An agent answers on the console. */
	fx_staff(conninfo, "Mo Agent", "agent", &staff);
	agent.id = staff.id;
	in.ticket_id = atoll(th_valuef(&db, "SELECT ticket_id FROM mail_messages"
	    " WHERE from_addr = '%s'", from));
	ck_assert_int_eq(ticket_reply(&db, a, &agent, &in, NULL, &why), CS_OK);
	th_dispatch(conninfo);
	snprintf(maildir, sizeof(maildir), "%s/maildir", dir);
	snprintf(log, sizeof(log), "%s/smtp.log", dir);
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", th_smtp_start(maildir, log));
	cfg.smtp_url = url;
	ck_assert_ptr_nonnull(m = mailer_new(&cfg));
	do
		ck_assert_int_eq(mailer_deliver(m, &db, 50, &c, &claimed), CS_OK);
	while (claimed > 0);
	mailer_free(m);
	th_smtp_stop();
	snprintf(pattern, sizeof(pattern), "'%s'/new/*", maildir);
	ck_assert_ptr_nonnull(dump = th_maildump(pattern));
	token = th_valuef(&db, "SELECT k.token FROM ticket_mail_tokens k JOIN mail_messages m"
	    " ON m.ticket_id = k.ticket_id WHERE m.from_addr = '%s'", from);
	/* The confirmation: automatic, from the desk's own address. */
	b = block_for(dump, from, "We received your request");
	ck_assert_msg(b != NULL, "%s", dump);
	ck_assert_msg(strstr(b, "\nAuto-Submitted: auto-generated\n") != NULL, "%s", b);
	ck_assert_msg(strstr(b, "\nFrom: Support <support@example.com>\n") != NULL, "%s", b);
	free(b);
	/* The agent's reply: as the team, signed, not automatic, in the thread. */
	b = block_for(dump, from, "Please try the rear tray.");
	ck_assert_msg(b != NULL, "%s", dump);
	snprintf(rcpt, sizeof(rcpt), "\nReply-To: support+%s@example.com\n", token);
	ck_assert_msg(strstr(b, rcpt) != NULL, "%s", b);
	ck_assert_msg(strstr(b, "\nIn-Reply-To: <multipart-") != NULL, "%s", b);
	ck_assert_msg(strstr(b, "\nReferences: <multipart-") != NULL, "%s", b);
	ck_assert_msg(strstr(b, "\nFrom: Mail desk <desk@example.com>\n") != NULL, "%s", b);
	ck_assert_msg(strstr(b, "\nAuto-Submitted: \n") != NULL, "%s", b);
	ck_assert_msg(strstr(b, "Please try the rear tray.") != NULL, "%s", b);
	ck_assert_msg(strstr(b, "\n-- \nThe Mail desk\nExample Ltd\n") != NULL, "%s", b);
	ck_assert_msg(strstr(b, "\nDefects: 0\n") != NULL, "%s", b);
	free(b);
	free(dump);
	/* An answer to the Reply-To alone (no references, no tag) finds the ticket. */
	snprintf(rcpt, sizeof(rcpt), "--recipient support+%s@example.com", token);
	ck_assert_int_eq(mail_in_as(conninfo, message("utf8_subject.eml", from, NULL, NULL), rcpt,
	    said, sizeof(said)), 0);
	row = landed(from);
	ck_assert_msg(strncmp(row, "reply|Reply on TKT-", 19) == 0, "%s", row);
	ck_assert_msg(strstr(row, "found by the reply address") != NULL, "%s", row);
	free(row);
	free(token);
	arena_free(a);
}
END_TEST

/* `csdesk lmtp --listen 127.0.0.1:PORT` on the database db_conninfo; sets *port. */
static pid_t
lmtp_start(const char *db_conninfo, int *port)
{
	char listen[32], prog[512];
	pid_t pid;
	int i;

	*port = th_free_port();
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", *port);
	snprintf(prog, sizeof(prog), "%s/csdesk", th_build_dir());
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		setenv("CSDESK_DB", db_conninfo, 1);
		execl(prog, prog, "lmtp", "--listen", listen, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 200 && !th_port_open(*port); i++)
		usleep(20000);
	ck_assert_msg(th_port_open(*port), "csdesk lmtp did not start");
	return pid;
}

static void
lmtp_stop(pid_t pid)
{
	int status;

	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
}

/* One LMTP conversation on port: message file to two recipients; the server's lines in out. */
static void
lmtp_send(int port, const char *file, char *out, size_t size)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	FILE *in, *w, *msg;
	char line[1024];
	size_t n = 0;
	int c, bol = 1;

	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	in = fdopen(fd, "r");
	w = fdopen(dup(fd), "w");
	ck_assert_ptr_nonnull(msg = fopen(file, "rb"));
	fprintf(w, "LHLO test\r\nMAIL FROM:<mta@example.com>\r\n"
	    "RCPT TO:<support@example.com>\r\nRCPT TO:<Returns@example.com>\r\nDATA\r\n");
	fflush(w);
	/* 220, LHLO (its last line), MAIL, 2 × RCPT, 354. */
	out[0] = '\0';
	while (n < 6 && fgets(line, sizeof(line), in) != NULL) {
		strncat(out, line, size - strlen(out) - 1);
		if (line[3] == ' ')
			n++;
	}
	/* The message, dot-stuffed. */
	while ((c = fgetc(msg)) != EOF) {
		if (bol && c == '.')
			fputc('.', w);
		fputc(c, w);
		bol = c == '\n';
	}
	fclose(msg);
	fprintf(w, "%s.\r\nQUIT\r\n", bol ? "" : "\r\n");
	fflush(w);
	while (fgets(line, sizeof(line), in) != NULL)
		strncat(out, line, size - strlen(out) - 1);
	fclose(w);
	fclose(in);
}

START_TEST(mail_lmtp_stores_once_per_message_and_451_when_the_database_is_out)
{
	char from[128], file[512], said[4096];
	pid_t pid;
	int port;

	sender(from, sizeof(from), "lmtp");
	snprintf(file, sizeof(file), "%s", message("subject_tag_reply.eml", from, "TKT-0", NULL));
	pid = lmtp_start("host=127.0.0.1 port=1 dbname=x connect_timeout=2", &port);
	lmtp_send(port, file, said, sizeof(said));
	lmtp_stop(pid);
	ck_assert_msg(strstr(said, "451 4.3.0") != NULL, "%s", said);
	ck_assert_msg(strstr(said, "250 2.0.0 stored") == NULL, "%s", said);
	ck_assert_int_eq(count("SELECT count(*) FROM mail_messages WHERE from_addr = '%s'", from),
	    0);
	/* The MTA's retry: two recipients, two 250s, one message, one ticket. */
	pid = lmtp_start(conninfo, &port);
	lmtp_send(port, file, said, sizeof(said));
	lmtp_send(port, file, said, sizeof(said));
	lmtp_stop(pid);
	ck_assert_msg(strstr(said, "250 2.0.0 stored\r\n250 2.0.0 stored\r\n221") != NULL, "%s",
	    said);
	ck_assert_int_eq(count("SELECT count(*) FROM mail_messages WHERE from_addr = '%s'"
	    " AND recipient = 'support@example.com' AND status = 'ticket'", from), 1);
	ck_assert_int_eq(count("SELECT count(*) FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id WHERE u.email = '%s'", from), 1);
	/* The line starting with a dot came back as it was written (the stuffing undone). */
	ck_assert_int_eq(count("SELECT count(*) FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id WHERE u.email = '%s' AND t.description LIKE"
	    " E'%%\\n.NET developer, Example Ltd'", from), 1);
}
END_TEST

Suite *mail_suite(void);

Suite *
mail_suite(void)
{
	Suite *s = suite_create("mail");
	TCase *tc = tcase_create("mail");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
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
	tcase_add_test(tc, mail_out_threads_and_answers_come_back_by_token);
	tcase_add_test(tc, mail_lmtp_stores_once_per_message_and_451_when_the_database_is_out);
	suite_add_tcase(s, tc);
	return s;
}
