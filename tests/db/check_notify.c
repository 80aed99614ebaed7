/*
 * The mail outbox and its delivery: messages rendered from the real
 * templates with hostile values, delivered to a real SMTP server
 * (python3-aiosmtpd) and read back by an independent parser
 * (tests/lib/maildump.py), retried with back-off and given up after
 * MAILER_MAX_ATTEMPTS while the server is down, written as .eml files,
 * never sent twice by racing deliverers, and `csdesk batch` as a process.
 */
#include "../lib/harness.h"
#include "../lib/smtp_sink.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/mailer.h"
#include "domain/notify.h"
#include "domain/notify_admin.h"
#include "tmpl/tmpl.h"
#include "tmpl/tval.h"

#include <check.h>
#include <errno.h>
#include <dirent.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Debian's interpreter: python3-aiosmtpd is installed for it. */
#define PYTHON "/usr/bin/python3"

static char *conninfo;
static struct tmpl_set *templates;	/* the real templates/ directory */
static struct tmpl_set *plain_set;	/* one message without an HTML part */

/* Per test. */
static struct db db;
static struct arena *arena;
static char dir[64];			/* scratch: mail directory, outputs */

static struct db_stmt st_clear = DB_STMT("t_n_clear", "DELETE FROM notifications", 0);
static struct db_stmt st_last = DB_STMT("t_n_last", "SELECT max(id) FROM notifications", 0);
static struct db_stmt st_row = DB_STMT("t_n_row",
    "SELECT subject, body_text, body_html, status, attempts::text, last_error,"
    " (next_attempt_at > now())::text, (sent_at IS NOT NULL)::text,"
    " length(subject)::text, kind, recipient"
    " FROM notifications WHERE id = $1", 1);
static struct db_stmt st_due_now = DB_STMT("t_n_due_now",
    "UPDATE notifications SET next_attempt_at = now() WHERE status = 'queued'", 0);
static struct db_stmt st_backoff = DB_STMT("t_n_backoff",
    "SELECT (next_attempt_at - now() BETWEEN interval '100 seconds' AND interval '140 seconds')"
    "::text FROM notifications WHERE id = $1", 1);
static struct db_stmt st_hold = DB_STMT("t_n_hold",
    "SELECT id FROM notifications WHERE status = 'queued' AND next_attempt_at <= now()"
    " ORDER BY next_attempt_at FOR UPDATE SKIP LOCKED LIMIT 1", 0);
static struct db_stmt st_tally = DB_STMT("t_n_tally",
    "SELECT count(*) FILTER (WHERE status = 'sent') || ' ' ||"
    " count(*) FILTER (WHERE attempts = 1) || ' ' || count(*) FROM notifications", 0);
static struct db_stmt st_lock = DB_STMT("t_n_lock", "SELECT pg_advisory_lock($1::bigint)", 1);
static struct db_stmt st_unlock = DB_STMT("t_n_unlock",
    "SELECT pg_advisory_unlock($1::bigint)", 1);
static struct db_stmt st_kept = DB_STMT("t_n_kept",
    "SELECT (SELECT string_agg(csrf_token, ',' ORDER BY id) FROM portal_sessions) || ' ' ||"
    " (SELECT string_agg(expires_at::date::text, ',' ORDER BY id) FROM auth_tokens) || ' ' ||"
    " (SELECT string_agg(who, ',' ORDER BY id) FROM login_attempts)", 0);

/* ---- helpers ---------------------------------------------------------- */

/* Column col of the only row st returns, malloc'd; NULL for SQL NULL. */
/* One delivery run: how many messages it claimed, or -1 when it failed. */
static int
deliver(struct mailer *m, struct db *d, int limit, struct mailer_counts *c)
{
	int claimed;

	return mailer_deliver(m, d, limit, c, &claimed) == CS_OK ? claimed : -1;
}

static char *
val(struct db *d, struct db_stmt *st, const char *const *p, int col)
{
	PGresult *r = db_exec(d, st, p);
	char *s;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(PQntuples(r), 1);
	s = PQgetisnull(r, 0, col) ? NULL : strdup(PQgetvalue(r, 0, col));
	PQclear(r);
	return s;
}

/* The newest message's id, in a static buffer. */
static const char *
last_id(void)
{
	static char id[32];
	char *s = val(&db, &st_last, NULL, 0);

	ck_assert_ptr_nonnull(s);
	snprintf(id, sizeof(id), "%s", s);
	free(s);
	return id;
}

/* Column col of message id, malloc'd (NULL for SQL NULL). */
static char *
field(const char *id, int col)
{
	const char *p[1] = { id };

	return val(&db, &st_row, p, col);
}

static void
field_is(const char *id, int col, const char *want)
{
	char *got = field(id, col);

	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	free(got);
}

/* A whole file, malloc'd and NUL-terminated; NULL when it cannot be read. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL)
		return NULL;
	do {
		if (cap - len < 4096) {
			cap = cap * 2 + 8192;
			s = realloc(s, cap);
			ck_assert_ptr_nonnull(s);
		}
		n = fread(s + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	fclose(f);
	s[len] = '\0';
	return s;
}

/* What maildump.py makes of the files matching pattern, malloc'd. */
static char *
dump(const char *pattern)
{
	char *d = th_maildump(pattern);

	ck_assert_ptr_nonnull(d);
	return d;
}

/* A template context as the handlers build one. */
static struct tval *
context(const char *site, const char *user)
{
	struct tval *ctx = tval_map(arena), *s = tval_map(arena), *u = tval_map(arena);
	int rc = 0;

	rc |= tval_set_str(arena, s, "name", site);
	rc |= tval_set_str(arena, u, "name", user);
	rc |= tval_set(arena, ctx, "site", s);
	rc |= tval_set(arena, ctx, "user", u);
	rc |= tval_set_str(arena, ctx, "link",
	    "https://help.example.com/verify?token=abc&next=/tickets");
	rc |= tval_set_str(arena, ctx, "expires_in", "2 hours");
	rc |= tval_set_str(arena, ctx, "new_email", "new@example.com");
	ck_assert_int_eq(rc, 0);
	return ctx;
}

static void
enqueue(const char *kind, const char *to, const char *name, const char *site, const char *user)
{
	ck_assert_int_eq(notify_enqueue(&db, templates, arena, kind, to, name,
	    context(site, user)), CS_OK);
}

/* A real SMTP server into the Maildir maildir (tests/lib/smtp_sink.h); returns the port. */
static int
smtp_start(const char *maildir)
{
	char log[300];

	snprintf(log, sizeof(log), "%s/smtp.log", dir);
	return th_smtp_start(maildir, log);
}

/* A mailer for url (NULL: .eml files into dir/out). */
static struct mailer *
mailer_for(const char *url)
{
	struct mailer_config cfg = { 0 };
	char *out = arena_printf(arena, "%s/out", dir);
	struct mailer *m;

	cfg.smtp_url = url;
	cfg.from = "Zoë's Help Desk <help@example.com>";
	cfg.dir = out;
	m = mailer_new(&cfg);
	ck_assert_ptr_nonnull(m);
	return m;
}

static const char *
build_dir(void)
{
	const char *d = getenv("CSDESK_BUILD");

	return d != NULL ? d : "build";
}

/* Runs `csdesk batch` against the test database; exit status, output in *out. */
static int
run_batch(char **out)
{
	char path[128];
	int rc;

	snprintf(path, sizeof(path), "%s/batch.txt", dir);
	rc = th_sh("env -u CSDESK_SMTP_URL CSDESK_DB='%s' CSDESK_MAIL_DIR='%s/out'"
	    " '%s/csdesk' batch > '%s' 2>&1", conninfo, dir, build_dir(), path);
	*out = slurp(path);
	ck_assert_ptr_nonnull(*out);
	return rc;
}

/* ---- fixtures --------------------------------------------------------- */

static void
suite_setup(void)
{
	static const char subject[] = "Plain {{site.name}}\n";
	static const char text[] = "Only text for {{user.name}}.\n";
	char path[1024], err[512];

	conninfo = th_db_create("notify");
	snprintf(path, sizeof(path), "%s/templates", th_datadir());
	templates = tmpl_set_new();
	if (templates == NULL || tmpl_set_add_dir(templates, path, err, sizeof(err)) < 0 ||
	    tmpl_set_compile(templates, 1, err, sizeof(err)) < 0) {
		fprintf(stderr, "check_notify: templates: %s\n", err);
		exit(2);
	}
	plain_set = tmpl_set_new();
	if (plain_set == NULL ||
	    tmpl_set_add(plain_set, "email/plain/subject", subject, strlen(subject)) < 0 ||
	    tmpl_set_add(plain_set, "email/plain/text", text, strlen(text)) < 0 ||
	    tmpl_set_compile(plain_set, 1, err, sizeof(err)) < 0) {
		fprintf(stderr, "check_notify: plain set: %s\n", err);
		exit(2);
	}
}

static void
suite_teardown(void)
{
	tmpl_set_free(templates);
	tmpl_set_free(plain_set);
	th_db_drop(conninfo);
	free(conninfo);
}

static void
setup(void)
{
	ck_assert_int_eq(db_open(&db, conninfo, "check_notify"), 0);
	ck_assert_int_eq(db_run(&db, &st_clear, NULL), 0);
	arena = arena_new(16384);
	ck_assert_ptr_nonnull(arena);
	snprintf(dir, sizeof(dir), "/tmp/csdesk-notify.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	th_smtp_stop();
	if (getenv("CSDESK_KEEP_LOGS") == NULL)
		th_sh("rm -rf '%s'", dir);
	arena_free(arena);
	db_close(&db);
}

/* ---- queuing ---------------------------------------------------------- */

START_TEST(enqueue_renders_and_defuses_hostile_values)
{
	const char *site = "Acme & Co\r\nBcc: victim@example.net <script>x</script>";
	const char *user = "Eve\r\n<script>alert('hi')</script>";
	const char *id;
	char *subject, *text, *html;

	enqueue("verify_email", "eve@example.com", "verify_email", site, user);
	id = last_id();
	subject = field(id, 0);
	text = field(id, 1);
	html = field(id, 2);
	ck_assert_ptr_nonnull(subject);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(html);
	/* One line: no header can be smuggled in. The text is plain text. */
	ck_assert_ptr_null(strpbrk(subject, "\r\n"));
	ck_assert_str_eq(subject, "Confirm your e-mail address for Acme & Co"
	    " Bcc: victim@example.net <script>x</script>");
	ck_assert_ptr_nonnull(strstr(text, "Hello Eve\r\n<script>alert('hi')</script>,"));
	ck_assert_ptr_nonnull(strstr(text,
	    "https://help.example.com/verify?token=abc&next=/tickets"));
	ck_assert_ptr_nonnull(strstr(text, "expires in 2 hours"));
	/* The HTML escapes what it was given. */
	ck_assert_ptr_null(strstr(html, "<script>"));
	ck_assert_ptr_nonnull(strstr(html, "&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt;"));
	ck_assert_ptr_nonnull(strstr(html,
	    "href=\"https://help.example.com/verify?token=abc&amp;next=/tickets\""));
	ck_assert_ptr_nonnull(strstr(html, "<h1>"));
	ck_assert_ptr_null(strstr(html, "<img"));
	ck_assert_ptr_null(strstr(html, "style="));
	field_is(id, 3, "queued");
	field_is(id, 4, "0");
	field_is(id, 9, "verify_email");
	field_is(id, 10, "eve@example.com");
	free(subject);
	free(text);
	free(html);
}
END_TEST

START_TEST(every_message_renders)
{
	static const char *const names[] = {
		"verify_email", "password_reset", "password_changed", "email_changed",
		"welcome_staff",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *id;
		char *text, *html;

		enqueue(names[i], "someone@example.com", names[i], "Acme Help", "Ann O'Neil");
		id = last_id();
		text = field(id, 1);
		html = field(id, 2);
		ck_assert_msg(strstr(text, "Hello Ann O'Neil,") != NULL, "%s: %s", names[i], text);
		ck_assert_msg(strstr(text, "Acme Help") != NULL, "%s", names[i]);
		ck_assert_msg(strstr(text, "{{") == NULL && strstr(text, "&#39;") == NULL, "%s",
		    names[i]);
		ck_assert_msg(html != NULL && strstr(html, "Ann O&#39;Neil") != NULL, "%s",
		    names[i]);
		ck_assert_msg(strstr(html, "<!DOCTYPE html>") != NULL, "%s", names[i]);
		if (strcmp(names[i], "email_changed") == 0)
			ck_assert(strstr(text, "new@example.com") != NULL);
		free(text);
		free(html);
	}
}
END_TEST

START_TEST(subject_is_trimmed_and_bounded)
{
	char site[1200] = "";
	const char *id;
	char *subject;
	size_t i;

	/* 400 two-byte characters: the subject keeps 300 characters. */
	for (i = 0; i < 400; i++)
		strcat(site, "é");
	enqueue("password_reset", "a@example.com", "password_reset", site, "A");
	id = last_id();
	field_is(id, 8, "300");
	subject = field(id, 0);
	ck_assert_ptr_nonnull(strstr(subject, "Reset your é"));
	free(subject);
	/* Leading and inner runs of blanks and controls shrink to one space. */
	enqueue("password_reset", "a@example.com", "password_reset", "\t Acme \r\n\r\n  Help  ",
	    "A");
	id = last_id();
	subject = field(id, 0);
	ck_assert_str_eq(subject, "Reset your Acme Help password");
	free(subject);
}
END_TEST

START_TEST(text_only_message_has_no_html)
{
	const char *id;

	ck_assert_int_eq(notify_enqueue(&db, plain_set, arena, "plain_note", "b@example.com",
	    "plain", context("Acme", "Bob")), CS_OK);
	id = last_id();
	field_is(id, 0, "Plain Acme");
	field_is(id, 1, "Only text for Bob.\n");
	ck_assert_ptr_null(field(id, 2));
}
END_TEST

START_TEST(refusals_leave_the_transaction_usable)
{
	static const char *const bad_to[] = {
		"", "nobody", "a@b@c", "eve@example.com\r\nBcc: x@y.z", "<eve@example.com>",
		"eve@example.com, x@y.z", "eve smith@example.com", "ève@example.com",
		".eve@example.com", "eve.@example.com", "eve@-example.com", "eve@example..com",
	};
	size_t i;
	char *tally;

	ck_assert_int_eq(db_begin(&db), 0);
	for (i = 0; i < sizeof(bad_to) / sizeof(bad_to[0]); i++)
		ck_assert_msg(notify_enqueue(&db, templates, arena, "verify_email", bad_to[i],
		    "verify_email", context("A", "B")) != CS_OK, "accepted %s", bad_to[i]);
	/* Kinds and template names become file and template names. */
	ck_assert_int_eq(notify_enqueue(&db, templates, arena, "../x", "a@example.com",
	    "verify_email", context("A", "B")), CS_FAILED);
	ck_assert_int_eq(notify_enqueue(&db, templates, arena, "x", "a@example.com",
	    "../portal/home", context("A", "B")), CS_FAILED);
	ck_assert_int_eq(notify_enqueue(&db, templates, arena, "x", "a@example.com",
	    "no_such_message", context("A", "B")), CS_FAILED);
	ck_assert_int_eq(notify_enqueue(&db, templates, arena, "verify_email",
	    "Eve.O'Neil+help@Example.com", "verify_email", context("A", "B")), CS_OK);
	ck_assert_int_eq(db_commit(&db), 0);
	tally = val(&db, &st_tally, NULL, 0);
	ck_assert_str_eq(tally, "0 0 1");
	free(tally);
}
END_TEST

START_TEST(portal_role_may_queue)
{
	char *as_portal = th_db_as(conninfo, "csdesk_portal");
	struct db p;
	char *tally;

	ck_assert_int_eq(db_open(&p, as_portal, "check_notify_portal"), 0);
	ck_assert_int_eq(notify_enqueue(&p, templates, arena, "verify_email", "c@example.com",
	    "verify_email", context("A", "C")), CS_OK);
	db_close(&p);
	free(as_portal);
	tally = val(&db, &st_tally, NULL, 0);
	ck_assert_str_eq(tally, "0 0 1");
	free(tally);
}
END_TEST

START_TEST(list_recent_newest_first)
{
	struct notify_row *rows;
	size_t n;

	enqueue("one", "1@example.com", "verify_email", "A", "1");
	enqueue("two", "2@example.com", "verify_email", "A", "2");
	enqueue("three", "3@example.com", "verify_email", "A", "3");
	ck_assert_int_eq(notify_list_recent(&db, arena, 2, &rows, &n), CS_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(rows[0].kind, "three");
	ck_assert_str_eq(rows[1].kind, "two");
	ck_assert_str_eq(rows[0].recipient, "3@example.com");
	ck_assert_str_eq(rows[0].status, "queued");
	ck_assert_str_eq(rows[0].attempts, "0");
	ck_assert_str_eq(rows[0].subject, "Confirm your e-mail address for A");
	ck_assert_ptr_null(rows[0].last_error);
	ck_assert_ptr_null(rows[0].sent_at);
	ck_assert_int_eq((int)strlen(rows[0].created_at), 20);
	ck_assert_int_eq(rows[0].created_at[10], 'T');
	ck_assert_int_eq(rows[0].created_at[19], 'Z');
	ck_assert_ptr_nonnull(rows[0].id);
	ck_assert_int_eq(notify_list_recent(&db, arena, 100, &rows, &n), CS_OK);
	ck_assert_uint_eq(n, 3);
}
END_TEST

/* ---- delivery --------------------------------------------------------- */

START_TEST(smtp_delivery_reaches_a_real_server)
{
	struct mailer_counts c = { 0, 0, 0 };
	char maildir[128], url[64], pattern[160];
	struct mailer *m;
	const char *id;
	char *d;

	snprintf(maildir, sizeof(maildir), "%s/maildir", dir);
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", smtp_start(maildir));
	enqueue("verify_email", "zoe@example.com", "verify_email", "Zoë's Ünïcode Shop", "Zoë");
	id = last_id();
	m = mailer_for(url);
	ck_assert_int_eq(deliver(m, &db, 50, &c), 1);
	ck_assert_int_eq(c.sent, 1);
	ck_assert_int_eq(c.failed + c.dead, 0);
	ck_assert_int_eq(deliver(m, &db, 50, &c), 0);
	mailer_free(m);
	field_is(id, 3, "sent");
	field_is(id, 4, "1");
	field_is(id, 7, "true");
	snprintf(pattern, sizeof(pattern), "'%s'/new/*", maildir);
	d = dump(pattern);
	ck_assert_ptr_nonnull(d);
	ck_assert_msg(strstr(d, "\nTo: zoe@example.com\n") != NULL, "%s", d);
	ck_assert_msg(strstr(d,
	    "\nSubject: Confirm your e-mail address for Zoë's Ünïcode Shop\n") != NULL, "%s", d);
	ck_assert_msg(strstr(d, "\nFrom: Zoë's Help Desk <help@example.com>\n") != NULL, "%s", d);
	ck_assert_msg(strstr(d, "\nAuto-Submitted: auto-generated\n") != NULL, "%s", d);
	ck_assert_msg(strstr(d, "\nMessage-ID: <csdesk.") != NULL, "%s", d);
	ck_assert_msg(strstr(d, "\nDefects: 0\n") != NULL, "%s", d);
	ck_assert_msg(strstr(d, "\nPart: text/plain\nHello Zoë,\n") != NULL, "%s", d);
	ck_assert_msg(strstr(d, "\nPart: text/html\n<!DOCTYPE html>") != NULL, "%s", d);
	ck_assert_msg(strstr(d, "token=abc&amp;next=/tickets") != NULL, "%s", d);
	/* Exactly one message arrived. */
	ck_assert_ptr_null(strstr(strstr(d, "== ") + 3, "\n== "));
	free(d);
}
END_TEST

START_TEST(server_down_retries_then_gives_up)
{
	struct mailer_counts c = { 0, 0, 0 };
	char url[64], *err, *text;
	struct mailer *m;
	const char *p[1];
	char id[32];
	int i;

	/* A port nobody listens on. */
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", th_free_port());
	enqueue("password_reset", "d@example.com", "password_reset", "Acme", "Dee");
	snprintf(id, sizeof(id), "%s", last_id());
	m = mailer_for(url);
	ck_assert_int_eq(deliver(m, &db, 50, &c), 1);
	ck_assert_int_eq(c.failed, 1);
	ck_assert_int_eq(c.sent + c.dead, 0);
	field_is(id, 3, "queued");
	field_is(id, 4, "1");
	field_is(id, 6, "true");	/* next attempt in the future */
	field_is(id, 7, "false");
	err = field(id, 5);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strncmp(err, "smtp: ", 6) == 0, "%s", err);
	ck_assert_int_le((int)strlen(err), 200);
	free(err);
	/* Not due yet: a run now finds nothing. */
	ck_assert_int_eq(deliver(m, &db, 50, &c), 0);
	/* The second failure waits two minutes. */
	ck_assert_int_eq(db_run(&db, &st_due_now, NULL), 0);
	ck_assert_int_eq(deliver(m, &db, 50, &c), 1);
	p[0] = id;
	err = val(&db, &st_backoff, p, 0);
	ck_assert_str_eq(err, "true");
	free(err);
	for (i = 3; i <= MAILER_MAX_ATTEMPTS; i++) {
		ck_assert_int_eq(db_run(&db, &st_due_now, NULL), 0);
		ck_assert_int_eq(deliver(m, &db, 50, &c), 1);
	}
	ck_assert_int_eq(c.failed, MAILER_MAX_ATTEMPTS - 1);
	ck_assert_int_eq(c.dead, 1);
	field_is(id, 3, "dead");
	field_is(id, 4, "8");
	/* Nothing lost: the message is still there, whole. */
	text = field(id, 1);
	ck_assert_ptr_nonnull(strstr(text, "Hello Dee,"));
	free(text);
	ck_assert_int_eq(db_run(&db, &st_due_now, NULL), 0);
	ck_assert_int_eq(deliver(m, &db, 50, &c), 0);
	mailer_free(m);
}
END_TEST

START_TEST(server_down_fails_a_batch_quickly)
{
	struct mailer_counts c = { 0, 0, 0 };
	char url[64], *tally;
	struct mailer *m;
	int i;

	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", th_free_port());
	for (i = 0; i < 5; i++)
		enqueue("password_reset", "d@example.com", "password_reset", "Acme", "Dee");
	m = mailer_for(url);
	ck_assert_int_eq(deliver(m, &db, 50, &c), 5);
	mailer_free(m);
	ck_assert_int_eq(c.failed, 5);
	tally = val(&db, &st_tally, NULL, 0);
	ck_assert_str_eq(tally, "0 5 5");
	free(tally);
}
END_TEST

START_TEST(bad_configuration_is_refused)
{
	struct mailer_config cfg = { 0 };

	cfg.dir = "/tmp";
	cfg.from = "not an address";
	ck_assert_ptr_null(mailer_new(&cfg));
	cfg.from = "Help <help@example.com>\r\nBcc: x@y.z";
	ck_assert_ptr_null(mailer_new(&cfg));
	cfg.from = "help@example.com";
	cfg.smtp_url = "http://127.0.0.1:25";
	ck_assert_ptr_null(mailer_new(&cfg));
	cfg.smtp_url = "file:///etc/passwd";
	ck_assert_ptr_null(mailer_new(&cfg));
	cfg.smtp_url = NULL;
	cfg.dir = NULL;
	ck_assert_ptr_null(mailer_new(&cfg));
}
END_TEST

START_TEST(eml_files_are_written_and_readable)
{
	struct mailer_counts c = { 0, 0, 0 };
	char path[256], id1[32], id2[32], pattern[160], *s, *d, *p;
	struct mailer *m;
	struct stat st;
	struct dirent *de;
	int files = 0;
	DIR *dp;

	/* A long line and a dot at a line's start test the encoding. */
	enqueue("welcome_staff", "w@example.com", "welcome_staff",
	    "A very long site name that goes on and on, well past the seventy-six"
	    " characters that a quoted-printable line may hold, with ünïcode too", "Walt");
	snprintf(id1, sizeof(id1), "%s", last_id());
	/* A leading dot, "From ", '=' and a space at a line's end must survive. */
	ck_assert_int_eq(notify_enqueue(&db, plain_set, arena, "plain_note", "b@example.com",
	    "plain", context("Acme", "x\n.Bob = 1 \nFrom here")), CS_OK);
	snprintf(id2, sizeof(id2), "%s", last_id());
	m = mailer_for(NULL);
	ck_assert_int_eq(deliver(m, &db, 50, &c), 2);
	mailer_free(m);
	ck_assert_int_eq(c.sent, 2);
	field_is(id1, 3, "sent");
	field_is(id2, 3, "sent");

	snprintf(path, sizeof(path), "%s/out/%s-welcome_staff.eml", dir, id1);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0640);
	s = slurp(path);
	ck_assert_ptr_nonnull(s);
	ck_assert(strncmp(s, "Date: ", 6) == 0);
	ck_assert_ptr_nonnull(strstr(s, "\r\nTo: w@example.com\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "\r\nSubject: =?UTF-8?B?"));
	ck_assert_ptr_nonnull(strstr(s, "\r\nMIME-Version: 1.0\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "\r\nAuto-Submitted: auto-generated\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "\r\nMessage-ID: <csdesk."));
	ck_assert_ptr_nonnull(strstr(s, "@example.com>\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "Content-Type: multipart/alternative;"));
	ck_assert_ptr_nonnull(strstr(s, "Content-Transfer-Encoding: quoted-printable"));
	/* CRLF everywhere, 7-bit clean. */
	for (p = s; *p != '\0'; p++) {
		ck_assert_msg(*p != '\n' || (p > s && p[-1] == '\r'), "bare LF at %td", p - s);
		ck_assert_msg((unsigned char)*p < 0x80, "8-bit byte at %td", p - s);
	}
	free(s);
	snprintf(pattern, sizeof(pattern), "'%s'/out/*.eml", dir);
	d = dump(pattern);
	ck_assert_msg(strstr(d, "\nDefects: 0\n") != NULL && strstr(d, "\nDefects: 1") == NULL,
	    "%s", d);
	for (p = d; (p = strstr(p, "\nMaxLine: ")) != NULL; p++)
		ck_assert_msg(strtol(p + 10, NULL, 10) <= 78, "%s", d);
	ck_assert_msg(strstr(d, "Subject: Welcome to A very long site name that goes on and on,"
	    " well past the seventy-six characters that a quoted-printable line may hold, with"
	    " ünïcode too: your account is ready\n") != NULL, "%s", d);
	ck_assert_msg(strstr(d, "\nPart: text/plain\nOnly text for x\n.Bob = 1 \nFrom here.\n")
	    != NULL, "%s", d);
	ck_assert_msg(strstr(d, "\nPart: text/html\n") != NULL, "%s", d);
	free(d);
	/* Nothing else is left in the directory (no temporary files). */
	snprintf(path, sizeof(path), "%s/out", dir);
	dp = opendir(path);
	ck_assert_ptr_nonnull(dp);
	while ((de = readdir(dp)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			files++;
	closedir(dp);
	ck_assert_int_eq(files, 2);
}
END_TEST

START_TEST(compose_plain_ascii)
{
	struct mailer_config cfg = { 0 };
	struct mailer_msg msg = { 0 };
	struct mailer *m;
	struct buf b;

	cfg.dir = "/tmp";
	cfg.from = "Acme \"Inc\" <help@acme.example>";
	ck_assert_ptr_null(mailer_new(&cfg));	/* quotes inside a name: refused */
	cfg.from = " \"Acme, Inc.\"  <help@acme.example>";
	m = mailer_new(&cfg);
	ck_assert_ptr_nonnull(m);
	msg.id = 7;
	msg.kind = "k";
	msg.recipient = "r@example.com";
	msg.subject = "Hello =?not-a-word?= there";
	msg.text = "line\n";
	msg.created_us = 1714555200000000LL;	/* 2024-05-01T09:20:00Z, a Wednesday */
	buf_init(&b, NULL);
	mailer_compose(m, &msg, &b);
	ck_assert(!buf_failed(&b));
	ck_assert_ptr_nonnull(strstr(b.buf, "Date: Wed, 01 May 2024 09:20:00 +0000\r\n"));
	ck_assert_ptr_nonnull(strstr(b.buf, "\r\nFrom: \"Acme, Inc.\" <help@acme.example>\r\n"));
	/* Text that looks like an encoded word is encoded itself. */
	ck_assert_ptr_nonnull(strstr(b.buf, "\r\nSubject: =?UTF-8?B?"));
	ck_assert_ptr_nonnull(strstr(b.buf,
	    "Message-ID: <csdesk.7.1714555200000000@acme.example>"));
	ck_assert_ptr_nonnull(strstr(b.buf, "Content-Type: text/plain; charset=UTF-8\r\n"));
	ck_assert_ptr_null(strstr(b.buf, "multipart"));
	ck_assert_ptr_nonnull(strstr(b.buf, "\r\n\r\nline\r\n"));
	buf_release(&b);
	mailer_free(m);
}
END_TEST

/* ---- concurrency ------------------------------------------------------ */

START_TEST(locked_rows_are_skipped)
{
	struct mailer_counts c = { 0, 0, 0 };
	char first[32], second[32], *held, *tally;
	struct mailer *m;
	struct db holder;

	enqueue("one", "1@example.com", "verify_email", "A", "1");
	snprintf(first, sizeof(first), "%s", last_id());
	enqueue("two", "2@example.com", "verify_email", "A", "2");
	snprintf(second, sizeof(second), "%s", last_id());
	/* Another deliverer holds the first message in its open transaction. */
	ck_assert_int_eq(db_open(&holder, conninfo, "check_notify_holder"), 0);
	ck_assert_int_eq(db_begin(&holder), 0);
	held = val(&holder, &st_hold, NULL, 0);
	ck_assert_str_eq(held, first);
	free(held);
	m = mailer_for(NULL);
	ck_assert_int_eq(deliver(m, &db, 50, &c), 1);
	ck_assert_int_eq(c.sent, 1);
	field_is(first, 3, "queued");
	field_is(first, 4, "0");
	field_is(second, 3, "sent");
	/* Once it lets go, the first goes out, once. */
	db_rollback(&holder);
	db_close(&holder);
	ck_assert_int_eq(deliver(m, &db, 50, &c), 1);
	ck_assert_int_eq(deliver(m, &db, 50, &c), 0);
	mailer_free(m);
	ck_assert_int_eq(c.sent, 2);
	tally = val(&db, &st_tally, NULL, 0);
	ck_assert_str_eq(tally, "2 2 2");
	free(tally);
}
END_TEST

START_TEST(racing_deliverers_send_each_message_once)
{
	enum { N = 60, RACERS = 3 };
	char maildir[128], url[64], pattern[160], *tally, *d, *p;
	pid_t pids[RACERS];
	int i, status, total = 0, count = 0;

	snprintf(maildir, sizeof(maildir), "%s/maildir", dir);
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", smtp_start(maildir));
	for (i = 0; i < N; i++)
		enqueue("race", "r@example.com", "password_reset", "Acme", "Racer");
	for (i = 0; i < RACERS; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			/* Its own connection; never touch the parent's. */
			struct mailer_counts c = { 0, 0, 0 };
			struct mailer_config cfg = { 0 };
			struct mailer *m;
			struct db mine;
			int n;

			cfg.smtp_url = url;
			cfg.from = "help@example.com";
			if (db_open(&mine, conninfo, "check_notify_racer") < 0 ||
			    (m = mailer_new(&cfg)) == NULL)
				_exit(255);
			while ((n = deliver(m, &mine, 4, &c)) > 0)
				;
			mailer_free(m);
			db_close(&mine);
			_exit(n < 0 || c.failed || c.dead ? 255 : (int)c.sent);
		}
	}
	for (i = 0; i < RACERS; i++) {
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert(WIFEXITED(status));
		ck_assert_int_ne(WEXITSTATUS(status), 255);
		total += WEXITSTATUS(status);
	}
	ck_assert_int_eq(total, N);
	tally = val(&db, &st_tally, NULL, 0);
	ck_assert_str_eq(tally, "60 60 60");
	free(tally);
	snprintf(pattern, sizeof(pattern), "'%s'/new/*", maildir);
	d = dump(pattern);
	count = strncmp(d, "== ", 3) == 0;
	for (p = d; (p = strstr(p, "\n== ")) != NULL; p++)
		count++;
	ck_assert_int_eq(count, N);
	free(d);
}
END_TEST

/* ---- csdesk batch ----------------------------------------------------- */

START_TEST(batch_command_runs_its_steps)
{
	char key[32], *out, *kept, *tally;
	const char *p[1] = { key };
	struct db holder;
	PGresult *r;

	enqueue("verify_email", "1@example.com", "verify_email", "A", "1");
	enqueue("verify_email", "2@example.com", "verify_email", "A", "2");
	/* Housekeeping: one of each kind of row to go, one to stay. */
	ck_assert_int_eq(db_script(&db,
	    "INSERT INTO customers (name) VALUES ('C');"
	    "INSERT INTO portal_users (customer_id, email, name, password_hash)"
	    " SELECT max(id), 'c@example.com', 'C', 'x' FROM customers;"
	    "INSERT INTO portal_sessions (token_hash, portal_user_id, customer_id, csrf_token,"
	    " idle_seconds, expires_at, last_seen_at) SELECT '\\x01', u.id, u.customer_id,"
	    " 'expired', 3600, now() - interval '1 minute', now() - interval '2 minutes'"
	    " FROM portal_users u;"
	    "INSERT INTO portal_sessions (token_hash, portal_user_id, customer_id, csrf_token,"
	    " idle_seconds, expires_at, last_seen_at) SELECT '\\x02', u.id, u.customer_id,"
	    " 'idle', 60, now() + interval '1 hour', now() - interval '2 minutes'"
	    " FROM portal_users u;"
	    "INSERT INTO portal_sessions (token_hash, portal_user_id, customer_id, csrf_token,"
	    " idle_seconds, expires_at) SELECT '\\x03', u.id, u.customer_id, 'live', 3600,"
	    " now() + interval '1 hour' FROM portal_users u;"
	    "INSERT INTO auth_tokens (purpose, token_hash, portal_user_id, created_at, expires_at,"
	    " used_at) SELECT 'verify_email', '\\x04', id, now() - interval '9 days',"
	    " now() - interval '8 days', now() - interval '8 days' FROM portal_users;"
	    "INSERT INTO auth_tokens (purpose, token_hash, portal_user_id, expires_at)"
	    " SELECT 'reset_password', '\\x05', id, '2999-01-01' FROM portal_users;"
	    "INSERT INTO login_attempts (area, who, success, at)"
	    " VALUES ('portal', 'old', false, now() - interval '31 days');"
	    "INSERT INTO login_attempts (area, who, success) VALUES ('portal', 'new', true);",
	    "housekeeping fixture"), 0);

	ck_assert_int_eq(run_batch(&out), 0);
	ck_assert_msg(strstr(out, "batch: mail: 2 sent, 0 failed, 0 dead\n") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "batch: housekeeping: 2 expired sessions, 1 old links,"
	    " 1 old login attempts deleted\n") != NULL, "%s", out);
	free(out);
	kept = val(&db, &st_kept, NULL, 0);
	ck_assert_str_eq(kept, "live 2999-01-01 new");
	free(kept);
	tally = val(&db, &st_tally, NULL, 0);
	ck_assert_str_eq(tally, "2 2 2");
	free(tally);

	/* Idempotent: a second run finds nothing to do. */
	ck_assert_int_eq(run_batch(&out), 0);
	ck_assert_msg(strstr(out, "batch: mail: 0 sent, 0 failed, 0 dead\n") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "batch: housekeeping: 0 expired sessions") != NULL, "%s", out);
	free(out);

	/* Another host is delivering: this one skips the mail step. */
	enqueue("verify_email", "3@example.com", "verify_email", "A", "3");
	snprintf(key, sizeof(key), "%lld", MAILER_LOCK_KEY);
	ck_assert_int_eq(db_open(&holder, conninfo, "check_notify_lock"), 0);
	r = db_exec(&holder, &st_lock, p);
	ck_assert_ptr_nonnull(r);
	PQclear(r);
	ck_assert_int_eq(run_batch(&out), 0);
	ck_assert_msg(strstr(out, "batch: mail: skipped") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "batch: housekeeping: ") != NULL, "%s", out);
	free(out);
	field_is(last_id(), 3, "queued");
	r = db_exec(&holder, &st_unlock, p);
	ck_assert_ptr_nonnull(r);
	PQclear(r);
	db_close(&holder);
	ck_assert_int_eq(run_batch(&out), 0);
	ck_assert_msg(strstr(out, "batch: mail: 1 sent, 0 failed, 0 dead\n") != NULL, "%s", out);
	free(out);
	field_is(last_id(), 3, "sent");
}
END_TEST

START_TEST(batch_command_fails_loudly)
{
	int rc;

	/* A broken mail configuration is a failed step and a failed run. */
	rc = th_sh("CSDESK_DB='%s' CSDESK_SMTP_URL='ftp://x' '%s/csdesk' batch > '%s/o' 2>&1",
	    conninfo, build_dir(), dir);
	ck_assert_int_eq(rc, 1);
	ck_assert_int_eq(th_sh("grep -q '^batch: mail: FAILED' '%s/o'", dir), 0);
	ck_assert_int_eq(th_sh("grep -q '^batch: housekeeping: ' '%s/o'", dir), 0);
	ck_assert_int_eq(th_sh("'%s/csdesk' batch --loop 0 >/dev/null 2>&1", build_dir()), 2);
	ck_assert_int_eq(th_sh("'%s/csdesk' batch extra >/dev/null 2>&1", build_dir()), 2);
}
END_TEST

START_TEST(batch_loop_stops_on_sigterm)
{
	char bin[512], log[128], env_db[1024], env_dir[128], *out;
	char *argv[] = { bin, (char *)"batch", (char *)"--loop", (char *)"1", NULL };
	char *envp[] = { env_db, env_dir, (char *)"PATH=/usr/bin:/bin", NULL };
	char *status_s = NULL;
	int i, status;
	pid_t pid;

	snprintf(bin, sizeof(bin), "%s/csdesk", build_dir());
	snprintf(log, sizeof(log), "%s/loop.txt", dir);
	snprintf(env_db, sizeof(env_db), "CSDESK_DB=%s", conninfo);
	snprintf(env_dir, sizeof(env_dir), "CSDESK_MAIL_DIR=%s/out", dir);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		FILE *f = freopen(log, "w", stdout);

		(void)f;
		dup2(STDOUT_FILENO, STDERR_FILENO);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execve(bin, argv, envp);
		_exit(127);
	}
	/* It picks up a message queued while it runs. */
	usleep(300000);
	enqueue("verify_email", "loop@example.com", "verify_email", "A", "L");
	for (i = 0; i < 100; i++) {
		free(status_s);
		status_s = field(last_id(), 3);
		if (strcmp(status_s, "sent") == 0)
			break;
		usleep(100000);
	}
	ck_assert_str_eq(status_s, "sent");
	free(status_s);
	ck_assert_int_eq(kill(pid, SIGTERM), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	out = slurp(log);
	ck_assert_msg(strstr(out, "batch: mail: 1 sent, 0 failed, 0 dead\n") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "batch: stopped\n") != NULL, "%s", out);
	free(out);
}
END_TEST

Suite *notify_suite(void);

Suite *
notify_suite(void)
{
	Suite *s = suite_create("notify");
	TCase *tc = tcase_create("notify");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, enqueue_renders_and_defuses_hostile_values);
	tcase_add_test(tc, every_message_renders);
	tcase_add_test(tc, subject_is_trimmed_and_bounded);
	tcase_add_test(tc, text_only_message_has_no_html);
	tcase_add_test(tc, refusals_leave_the_transaction_usable);
	tcase_add_test(tc, portal_role_may_queue);
	tcase_add_test(tc, list_recent_newest_first);
	tcase_add_test(tc, smtp_delivery_reaches_a_real_server);
	tcase_add_test(tc, server_down_retries_then_gives_up);
	tcase_add_test(tc, server_down_fails_a_batch_quickly);
	tcase_add_test(tc, bad_configuration_is_refused);
	tcase_add_test(tc, eml_files_are_written_and_readable);
	tcase_add_test(tc, compose_plain_ascii);
	tcase_add_test(tc, locked_rows_are_skipped);
	tcase_add_test(tc, racing_deliverers_send_each_message_once);
	tcase_add_test(tc, batch_command_runs_its_steps);
	tcase_add_test(tc, batch_command_fails_loudly);
	tcase_add_test(tc, batch_loop_stops_on_sigterm);
	suite_add_tcase(s, tc);
	return s;
}
