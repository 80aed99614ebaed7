/*
 * `csdesk mail-in --dir`: a spool of messages on one process. Every file
 * is stored and filed once and removed once stored (a message delivered
 * twice is stored once); a database that cannot be reached exits 75 and
 * leaves every file for the next run; a message the database would not
 * store stays in the spool while the others are taken.
 */
#include "mail_feed.h"
#include "../lib/harness.h"
#include "../lib/sql.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
suite_setup(void)
{
	mf_setup("mail_spool");
}

static void
suite_teardown(void)
{
	mf_teardown();
}

/* A fresh spool directory under the suite's; its path in out. */
static void
spool(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", mf_dir, name);
	ck_assert_int_eq(th_sh("rm -rf '%s' && mkdir '%s'", out, out), 0);
}

/* Copies tests/mail/<name> from sender into dir as file. */
static void
put(const char *dir, const char *file, const char *name, const char *from)
{
	ck_assert_int_eq(th_sh("cp '%s' '%s/%s'", mf_message(name, from, NULL, NULL), dir, file),
	    0);
}

START_TEST(spool_takes_every_file_once)
{
	char dir[400], a[128], b[128], said[512];

	mf_sender(a, sizeof(a), "spool-a");
	mf_sender(b, sizeof(b), "spool-b");
	spool(dir, sizeof(dir), "spool1");
	put(dir, "1.eml", "latin1_subject.eml", a);
	put(dir, "2.eml", "utf8_subject.eml", b);
	/* The first again, as an MTA that delivered it twice. */
	ck_assert_int_eq(th_sh("cp '%s/1.eml' '%s/3.eml'", dir, dir), 0);
	snprintf(said, sizeof(said), "--dir '%s'", dir);
	ck_assert_int_eq(mf_mail_in_as(mf_conninfo, "/dev/null", said, said, sizeof(said)), 0);
	ck_assert_int_eq(th_sh("test -z \"$(ls -A '%s')\"", dir), 0);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM mail_messages WHERE from_addr IN"
	    " ('%s', '%s')", a, b), 2);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM tickets t JOIN portal_users u"
	    " ON u.id = t.requester_id WHERE u.email IN ('%s', '%s')", a, b), 2);
}
END_TEST

START_TEST(spool_outage_exits_75_and_keeps_the_files)
{
	char dir[400], a[128], said[512];

	mf_sender(a, sizeof(a), "spool-out");
	spool(dir, sizeof(dir), "spool2");
	put(dir, "1.eml", "latin1_subject.eml", a);
	put(dir, "2.eml", "utf8_subject.eml", a);
	snprintf(said, sizeof(said), "--dir '%s'", dir);
	/* Nothing listens on port 1: the database is out. */
	ck_assert_int_eq(mf_mail_in_as("host=127.0.0.1 port=1 dbname=x connect_timeout=2",
	    "/dev/null", said, said, sizeof(said)), 75);
	ck_assert_int_eq(th_sh("test \"$(ls '%s' | wc -l)\" = 2", dir), 0);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM mail_messages WHERE from_addr = '%s'", a),
	    0);
	/* The next run takes them. */
	snprintf(said, sizeof(said), "--dir '%s'", dir);
	ck_assert_int_eq(mf_mail_in_as(mf_conninfo, "/dev/null", said, said, sizeof(said)), 0);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM mail_messages WHERE from_addr = '%s'", a),
	    2);
}
END_TEST

START_TEST(spool_keeps_a_message_it_could_not_store)
{
	char dir[400], a[128], b[128], said[512];

	mf_sender(a, sizeof(a), "spool-kept");
	mf_sender(b, sizeof(b), "spool-taken");
	spool(dir, sizeof(dir), "spool3");
	put(dir, "1.eml", "latin1_subject.eml", a);
	put(dir, "2.eml", "utf8_subject.eml", b);
	/* The database refuses the first sender's message (as a full disk would). */
	free(th_valuef(&mf_db, "CREATE FUNCTION spool_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
	    " IF convert_from(NEW.raw, 'LATIN1') LIKE '%%%s%%' THEN"
	    " RAISE EXCEPTION 'no room'; END IF; RETURN NEW; END $$;"
	    "CREATE TRIGGER spool_refuse BEFORE INSERT ON mail_messages FOR EACH ROW"
	    " EXECUTE FUNCTION spool_refuse(); SELECT 1", a));
	snprintf(said, sizeof(said), "--dir '%s'", dir);
	ck_assert_int_eq(mf_mail_in_as(mf_conninfo, "/dev/null", said, said, sizeof(said)), 75);
	ck_assert_int_eq(th_sh("test \"$(ls '%s')\" = 1.eml", dir), 0);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM mail_messages WHERE from_addr = '%s'", a),
	    0);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM mail_messages WHERE from_addr = '%s'"
	    " AND status = 'ticket'", b), 1);
	/* Once it can, the next run stores it, once. */
	free(th_value(&mf_db, "DROP TRIGGER spool_refuse ON mail_messages; SELECT 1"));
	snprintf(said, sizeof(said), "--dir '%s'", dir);
	ck_assert_int_eq(mf_mail_in_as(mf_conninfo, "/dev/null", said, said, sizeof(said)), 0);
	ck_assert_int_eq(th_sh("test -z \"$(ls -A '%s')\"", dir), 0);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM mail_messages WHERE from_addr = '%s'"
	    " AND status = 'ticket'", a), 1);
	ck_assert_int_eq(mf_count("SELECT count(*) FROM mail_messages WHERE from_addr = '%s'", b),
	    1);
}
END_TEST

Suite *mail_spool_suite(void);

Suite *
mail_spool_suite(void)
{
	Suite *s = suite_create("mail_spool");
	TCase *tc = tcase_create("mail_spool");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, spool_takes_every_file_once);
	tcase_add_test(tc, spool_outage_exits_75_and_keeps_the_files);
	tcase_add_test(tc, spool_keeps_a_message_it_could_not_store);
	suite_add_tcase(s, tc);
	return s;
}
