/*
 * Mail out and LMTP: an agent's answer to a mail's ticket, read back from
 * a real SMTP server, carries the thread headers, the ticket's Reply-To,
 * the team's address and signature; an answer to that Reply-To alone
 * finds the ticket. `csdesk lmtp` answers 451 while the database is out
 * and stores a retried message once for all its recipients.
 */
#include "mail_feed.h"
#include "../lib/dispatch.h"
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "../lib/fixtures.h"
#include "../lib/smtp_sink.h"
#include "core/arena.h"
#include "domain/mailer.h"
#include "domain/tickets.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void
suite_setup(void)
{
	mf_setup("mail_out");
}


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

/*
 * Runs the dispatcher, then delivers the outbox to a real SMTP server
 * storing into <suite dir>/<name>; what maildump read there (free it).
 * Delivery has a connection of its own: the suite's has the statements
 * another test's process prepared on it.
 */
static char *
deliver_and_read(const char *name)
{
	struct mailer_config cfg = { .from = "Support <support@example.com>" };
	struct mailer_counts c = { 0 };
	char maildir[300], log[320], url[64];
	struct mailer *m;
	struct db d;
	char *dump;
	int claimed;

	th_dispatch(mf_conninfo);
	snprintf(maildir, sizeof(maildir), "%s/%s", mf_dir, name);
	snprintf(log, sizeof(log), "%s.log", maildir);
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", th_smtp_start(maildir, log));
	cfg.smtp_url = url;
	ck_assert_ptr_nonnull(m = mailer_new(&cfg));
	ck_assert_int_eq(db_open(&d, mf_conninfo, "deliver"), 0);
	do
		ck_assert_int_eq(mailer_deliver(m, &d, 50, &c, &claimed), CS_OK);
	while (claimed > 0);
	db_close(&d);
	mailer_free(m);
	th_smtp_stop();
	snprintf(log, sizeof(log), "'%s'/new/*", maildir);
	ck_assert_ptr_nonnull(dump = th_maildump(log));
	return dump;
}

START_TEST(mail_out_threads_and_answers_come_back_by_token)
{
	char from[128], said[512], rcpt[200];
	struct ticket_actor_ref agent = { .kind = TA_STAFF };
	struct ticket_reply_in in = { .kind = "public", .body = "Please try the rear tray." };
	struct arena *a = arena_new(1 << 16);
	const char *why = NULL;
	struct fx_person staff;
	char *token, *dump, *b, *row;

	mf_sender(from, sizeof(from), "smtp");
	ck_assert_int_eq(mf_mail_in(mf_message("multipart_attachment.eml", from, NULL, NULL), said,
	    sizeof(said)), 0);
	th_dispatch(mf_conninfo);
	/* An agent answers on the console. */
	fx_staff(mf_conninfo, "Mo Agent", "agent", &staff);
	agent.id = staff.id;
	in.ticket_id = atoll(th_valuef(&mf_db, "SELECT ticket_id FROM mail_messages"
	    " WHERE from_addr = '%s'", from));
	ck_assert_int_eq(ticket_reply(&mf_db, a, &agent, &in, NULL, &why), CS_OK);
	dump = deliver_and_read("maildir");
	token = th_valuef(&mf_db, "SELECT k.token FROM ticket_mail_tokens k JOIN mail_messages m"
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
	ck_assert_int_eq(mf_mail_in_as(mf_conninfo, mf_message("utf8_subject.eml", from, NULL, NULL), rcpt,
	    said, sizeof(said)), 0);
	row = mf_landed(from);
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

/* The message in file, dot-stuffed, and the line that ends DATA. */
static void
send_data(FILE *w, const char *file)
{
	FILE *msg = fopen(file, "rb");
	int c, bol = 1;

	ck_assert_ptr_nonnull(msg);
	while ((c = fgetc(msg)) != EOF) {
		if (bol && c == '.')
			fputc('.', w);
		fputc(c, w);
		bol = c == '\n';
	}
	fclose(msg);
	fprintf(w, "%s.\r\n", bol ? "" : "\r\n");
}

/* One LMTP conversation on port: message file to two recipients; the server's lines in out. */
static void
lmtp_send(int port, const char *file, char *out, size_t size)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	FILE *in, *w;
	char line[1024];
	size_t n = 0;

	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	in = fdopen(fd, "r");
	w = fdopen(dup(fd), "w");
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
	send_data(w, file);
	fprintf(w, "QUIT\r\n");
	fflush(w);
	while (fgets(line, sizeof(line), in) != NULL)
		strncat(out, line, size - strlen(out) - 1);
	fclose(w);
	fclose(in);
}

/*
 * One LMTP session on port carrying the n messages files[], each to one
 * recipient, as an MTA that keeps its connection does; the server's lines in out.
 */
static void
lmtp_send_many(int port, const char *const *files, int n, char *out, size_t size)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0), i;
	FILE *in, *w;
	char line[1024];

	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	in = fdopen(fd, "r");
	w = fdopen(dup(fd), "w");
	out[0] = '\0';
	fprintf(w, "LHLO test\r\n");
	fflush(w);
	/* 220, then LHLO's lines up to its last. */
	for (i = 0; i < 2 && fgets(line, sizeof(line), in) != NULL; )
		if (line[3] == ' ')
			i++;
	for (i = 0; i < n; i++) {
		int got = 0;

		fprintf(w, "MAIL FROM:<mta@example.com>\r\nRCPT TO:<support@example.com>\r\n"
		    "DATA\r\n");
		fflush(w);
		while (got < 3 && fgets(line, sizeof(line), in) != NULL)
			got++;
		send_data(w, files[i]);
		fflush(w);
		/* The answer for its one recipient. */
		ck_assert_ptr_nonnull(fgets(line, sizeof(line), in));
		strncat(out, line, size - strlen(out) - 1);
	}
	fprintf(w, "QUIT\r\n");
	fflush(w);
	while (fgets(line, sizeof(line), in) != NULL)
		;
	fclose(w);
	fclose(in);
}

START_TEST(mail_lmtp_session_stores_each_of_several_messages_once)
{
	char a[128], b[128], files[4][512], said[4096], *first;
	const char *list[4] = { files[0], files[1], files[2], files[3] };
	pid_t pid;
	int port;

	mf_sender(a, sizeof(a), "lmtp-many-a");
	mf_sender(b, sizeof(b), "lmtp-many-b");
	snprintf(files[0], sizeof(files[0]), "%s", mf_message("latin1_subject.eml", a, NULL, NULL));
	snprintf(files[1], sizeof(files[1]), "%s", mf_message("utf8_subject.eml", b, NULL, NULL));
	snprintf(files[2], sizeof(files[2]), "%s", mf_message("multipart_attachment.eml", a, NULL,
	    NULL));
	/* The first again in the same session, as an MTA retrying it does: stored before. */
	snprintf(files[3], sizeof(files[3]), "%s", files[0]);
	pid = lmtp_start(mf_conninfo, &port);
	lmtp_send_many(port, list, 4, said, sizeof(said));
	lmtp_stop(pid);
	ck_assert_str_eq(said, "250 2.0.0 stored\r\n250 2.0.0 stored\r\n250 2.0.0 stored\r\n"
	    "250 2.0.0 stored\r\n");
	ck_assert_int_eq(mf_count("SELECT count(*) FROM mail_messages WHERE from_addr = '%s'", a),
	    2);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM mail_messages WHERE from_addr = '%s'", b),
	    1);
	/* Each a ticket of its own, its PDF and inline image kept. */
	ck_assert_int_eq(mf_count("SELECT count(*) FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id WHERE u.email IN ('%s', '%s')", a, b), 3);
	first = mf_ticket_of(a);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM ticket_attachments f JOIN tickets t"
	    " ON t.id = f.ticket_id WHERE t.number = '%s' AND f.filename IN ('invoice-2291.pdf',"
	    " 'paper-path.png')", first), 2);
	free(first);
}
END_TEST

START_TEST(mail_lmtp_stores_once_per_message_and_451_when_the_database_is_out)
{
	char from[128], file[512], said[4096];
	pid_t pid;
	int port;

	mf_sender(from, sizeof(from), "lmtp");
	snprintf(file, sizeof(file), "%s", mf_message("subject_tag_reply.eml", from, "TKT-0", NULL));
	pid = lmtp_start("host=127.0.0.1 port=1 dbname=x connect_timeout=2", &port);
	lmtp_send(port, file, said, sizeof(said));
	lmtp_stop(pid);
	ck_assert_msg(strstr(said, "451 4.3.0") != NULL, "%s", said);
	ck_assert_msg(strstr(said, "250 2.0.0 stored") == NULL, "%s", said);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM mail_messages WHERE from_addr = '%s'", from),
	    0);
	/* The MTA's retry: two recipients, two 250s, one message, one ticket. */
	pid = lmtp_start(mf_conninfo, &port);
	lmtp_send(port, file, said, sizeof(said));
	lmtp_send(port, file, said, sizeof(said));
	lmtp_stop(pid);
	ck_assert_msg(strstr(said, "250 2.0.0 stored\r\n250 2.0.0 stored\r\n221") != NULL, "%s",
	    said);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM mail_messages WHERE from_addr = '%s'"
	    " AND recipient = 'support@example.com' AND status = 'ticket'", from), 1);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id WHERE u.email = '%s'", from), 1);
	/* The line starting with a dot came back as it was written (the stuffing undone). */
	ck_assert_int_eq(mf_count("SELECT count(*) FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id WHERE u.email = '%s' AND t.description LIKE"
	    " E'%%\\n.NET developer, Example Ltd'", from), 1);
}

/*
 * Every message of tests/mail/ through one LMTP session, as an MTA that
 * keeps its connection: each lands where it should (replies on the
 * ticket they answer, a bounce on the mail it bounces, tickets for the
 * rest), and of the mail then sent, read back from a real SMTP server,
 * the people are answered and the machines are not.
 */
START_TEST(mail_lmtp_files_every_test_message_and_answers_only_people)
{
	static const char *const people[] = { "html_only.eml", "latin1_subject.eml",
		"utf8_subject.eml", "forwarded.eml", "nul_broken_mime.eml" };
	static const char *const machines[] = { "auto_reply.eml", "mailing_list.eml" };
	enum { N_PEOPLE = 5, N_MACHINES = 2, N = N_PEOPLE + N_MACHINES + 3 };
	char pat[128], from[N][128], files[N][512], said[4096];
	const char *list[N];
	char *number, *ref, *row, *dump, *b;
	pid_t pid;
	int port, i;

	mf_sender(pat, sizeof(pat), "lmtp-all");
	pid = lmtp_start(mf_conninfo, &port);
	list[0] = mf_message("multipart_attachment.eml", pat, NULL, NULL);
	lmtp_send_many(port, list, 1, said, sizeof(said));
	th_dispatch(mf_conninfo);
	number = mf_ticket_of(pat);
	ref = mf_sent_message_id(pat);
	for (i = 0; i < N_PEOPLE + N_MACHINES; i++) {
		mf_sender(from[i], sizeof(from[i]), "lmtp-all");
		snprintf(files[i], sizeof(files[i]), "%s", mf_message(i < N_PEOPLE ? people[i] :
		    machines[i - N_PEOPLE], from[i], NULL, NULL));
	}
	snprintf(files[i++], sizeof(files[0]), "%s", mf_message("outlook_reply.eml", pat, "TKT-0",
	    ref));
	snprintf(files[i++], sizeof(files[0]), "%s", mf_message("subject_tag_reply.eml", pat, number,
	    NULL));
	snprintf(files[i++], sizeof(files[0]), "%s", mf_message("dsn_bounce.eml", pat, NULL, ref));
	for (i = 0; i < N; i++)
		list[i] = files[i];
	lmtp_send_many(port, list, N, said, sizeof(said));
	lmtp_stop(pid);
	for (i = 0; i < N; i++)
		ck_assert_msg(strncmp(said + 18 * i, "250 2.0.0 stored\r\n", 18) == 0, "%s", said);
	ck_assert_uint_eq(strlen(said), 18 * N);
	for (i = 0; i < N_PEOPLE + N_MACHINES; i++) {
		row = mf_landed(from[i]);
		ck_assert_msg(strncmp(row, "ticket|New ticket TKT-", 22) == 0, "%s: %s", files[i], row);
		ck_assert_msg(strstr(row, i < N_PEOPLE ? "|true" : "|false") != NULL, "%s", row);
		free(row);
	}
	ck_assert_int_eq(mf_count("SELECT count(*) FROM mail_messages m JOIN tickets t"
	    " ON t.id = m.ticket_id WHERE m.from_addr = '%s' AND m.status = 'reply'"
	    " AND t.number = '%s'", pat, number), 2);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM mail_messages WHERE status = 'bounce'"
	    " AND bounce_of = (SELECT max(id) FROM notifications WHERE recipient = '%s')", pat), 1);
	/* What went out, read back from a real SMTP server. */
	dump = deliver_and_read("maildir-all");
	for (i = 0; i < N_PEOPLE + N_MACHINES; i++) {
		b = block_for(dump, from[i], "We received your request");
		ck_assert_msg((b != NULL) == (i < N_PEOPLE), "%s: %s", files[i], dump);
		free(b);
	}
	free(dump);
	free(number);
	free(ref);
}
END_TEST

Suite *mail_out_suite(void);

Suite *
mail_out_suite(void)
{
	Suite *s = suite_create("mail_out");
	TCase *tc = tcase_create("mail_out");

	tcase_add_unchecked_fixture(tc, suite_setup, mf_teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, mail_out_threads_and_answers_come_back_by_token);
	tcase_add_test(tc, mail_lmtp_stores_once_per_message_and_451_when_the_database_is_out);
	tcase_add_test(tc, mail_lmtp_session_stores_each_of_several_messages_once);
	tcase_add_test(tc, mail_lmtp_files_every_test_message_and_answers_only_people);
	suite_add_tcase(s, tc);
	return s;
}
