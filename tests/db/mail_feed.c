/* mail_feed.c — see mail_feed.h. */
#include "mail_feed.h"
#include "../lib/harness.h"
#include "../lib/smtp_sink.h"
#include "../lib/sql.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *mf_conninfo;
struct db mf_db;
char mf_dir[256];

void
mf_setup(const char *name)
{
	mf_conninfo = th_db_create(name);
	ck_assert_int_eq(db_open(&mf_db, mf_conninfo, name), 0);
	snprintf(mf_dir, sizeof(mf_dir), "/tmp/csdesk-%s-%d", name, (int)getpid());
	th_sh("rm -rf '%s' && mkdir -p '%s'", mf_dir, mf_dir);
	/* support@ and returns@ route by address; returns@ to a queue of its own. */
	free(th_value(&mf_db, "INSERT INTO teams (name) VALUES ('Mail desk');"
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

void
mf_teardown(void)
{
	th_smtp_stop();
	db_close(&mf_db);
	th_db_drop(mf_conninfo);
	free(mf_conninfo);
	th_sh("rm -rf '%s'", mf_dir);
}

/* A sender address no other test uses. */
void
mf_sender(char *out, size_t size, const char *who)
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
const char *
mf_message(const char *name, const char *from, const char *tag, const char *ref)
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
	snprintf(path, sizeof(path), "%s/in-%d.eml", mf_dir, n);
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
int
mf_mail_in_as(const char *db_conninfo, const char *file, const char *args, char *out,
    size_t size)
{
	char path[512];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/out.txt", mf_dir);
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

int
mf_mail_in(const char *file, char *out, size_t size)
{
	return mf_mail_in_as(mf_conninfo, file, "", out, size);
}

/* The message's row: "status|why|ticket number|review|auto_reply" of the newest from addr. */
char *
mf_landed(const char *from)
{
	return th_valuef(&mf_db, "SELECT m.status || '|' || m.why || '|' || coalesce(t.number, '')"
	    " || '|' || m.review || '|' || m.auto_reply FROM mail_messages m"
	    " LEFT JOIN tickets t ON t.id = m.ticket_id WHERE m.from_addr = '%s'"
	    " ORDER BY m.id DESC LIMIT 1", from);
}

/* A number the test SQL fmt gives. */
long long
mf_count(const char *fmt, ...)
{
	char sql[4096], *v;
	long long n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	v = th_value(&mf_db, sql);
	n = atoll(v);
	free(v);
	return n;
}

/* The ticket a sender's newest message opened or joined. */
char *
mf_ticket_of(const char *from)
{
	return th_valuef(&mf_db, "SELECT t.number FROM mail_messages m JOIN tickets t"
	    " ON t.id = m.ticket_id WHERE m.from_addr = '%s' ORDER BY m.id DESC LIMIT 1", from);
}

END_TEST

/* The id part of the Message-ID csdesk gave its newest mail to addr. */
char *
mf_sent_message_id(const char *to)
{
	return th_valuef(&mf_db, "SELECT 'csdesk.' || id || '.' || (extract(epoch FROM created_at)"
	    " * 1000000)::bigint || '@localhost' FROM notifications WHERE recipient = '%s'"
	    " ORDER BY id DESC LIMIT 1", to);
}
