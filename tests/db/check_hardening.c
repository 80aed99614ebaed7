/*
 * Hardening against a real PostgreSQL: two `csdesk migrate` at once on an
 * empty database both succeed; a CSDESK_DB that is not a connection string
 * is refused with a sentence saying what was expected; names and subjects
 * with control characters or text-direction marks are refused, and an
 * attachment's name is stored without them; two escalation rules firing
 * on one breach send each person one mail that lists both; and a dump of a
 * database with tickets and an audit trail restored into a new cluster,
 * followed by `csdesk migrate`, passes `csdesk audit verify`.
 */
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/customers.h"
#include "domain/staff.h"
#include "domain/tickets.h"

#include <check.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *conninfo;
static struct db owner;
static struct arena *arena;
static char dir[64];

static void
suite_setup(void)
{
	conninfo = th_db_create("hardening");
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(conninfo);
}

static void
setup(void)
{
	ck_assert_int_eq(db_open(&owner, conninfo, "check_hardening"), 0);
	arena = arena_new(1 << 16);
	snprintf(dir, sizeof(dir), "/tmp/csdesk-hard.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	if (getenv("CSDESK_KEEP_LOGS") == NULL)
		th_sh("rm -rf '%s'", dir);
	arena_free(arena);
	db_close(&owner);
}

/* Test SQL as the owner: column 0 of row 0, malloc'd (tests/lib/sql.h). */
#define q(...) th_valuef(&owner, __VA_ARGS__)

#define EXPECT(want, ...) TH_EXPECT_VALUE(&owner, want, __VA_ARGS__)

/* An empty database (no migration) named t_<name>_<pid>; its conninfo, malloc'd. */
static char *
empty_db(const char *name)
{
	char *c;

	ck_assert_int_eq(th_sh("psql -Xq '%s' -c 'DROP DATABASE IF EXISTS t_%s_%d' -c"
	    " 'CREATE DATABASE t_%s_%d' >/dev/null 2>&1", getenv("CSDESK_TEST_PG"), name, (int)getpid(),
	    name, (int)getpid()), 0);
	ck_assert_int_ge(asprintf(&c, "%s dbname=t_%s_%d", getenv("CSDESK_TEST_PG"), name,
	    (int)getpid()), 0);
	return c;
}

/* ---- migrate and CSDESK_DB ---------------------------------------------- */

START_TEST(two_migrates_at_once_on_an_empty_database)
{
	int round;

	/* The race is on the first statement: try it a few times. */
	for (round = 0; round < 3; round++) {
		char *c = empty_db("migrace");
		int rc;

		rc = th_sh("cd '%s' && (CSDESK_DB='%s' '%s/csdesk' migrate > a.txt 2>&1 & a=$!;"
		    " CSDESK_DB='%s' '%s/csdesk' migrate > b.txt 2>&1 & b=$!;"
		    " wait $a; ra=$?; wait $b; rb=$?; [ $ra = 0 ] && [ $rb = 0 ])", dir, c,
		    th_build_dir(), c, th_build_dir());
		if (rc != 0)
			th_sh("cat '%s/a.txt' '%s/b.txt' >&2", dir, dir);
		ck_assert_msg(rc == 0, "round %d: a migrate failed (its output is above)", round);
		ck_assert_int_ne(th_sh("grep -q 'duplicate key' '%s/a.txt' '%s/b.txt'", dir, dir), 0);
		/* Every migration applied once, and the roles' grants are there. */
		ck_assert_int_eq(th_sh("test \"$(psql -XAtq '%s' -c 'SELECT count(*) FROM"
		    " schema_migrations')\" = \"$(ls '%s/sql/migrations'/[0-9]*_*.sql | wc -l)\"",
		    c, th_datadir()), 0);
		ck_assert_int_eq(th_sh("psql -XAtq '%s' -c \"SELECT has_table_privilege("
		    "'csdesk_portal', 'tickets', 'SELECT')\" | grep -qx t", c), 0);
		th_db_drop(c);
		free(c);
	}
}
END_TEST

START_TEST(csdesk_db_that_is_not_a_connection_string)
{
	int rc = th_sh("CSDESK_DB=csdesk '%s/csdesk' migrate > '%s/out.txt' 2>&1", th_build_dir(),
	    dir);

	ck_assert_int_ne(rc, 0);
	ck_assert_msg(th_sh("grep -q 'key=value pairs' '%s/out.txt' && grep -q 'postgresql://'"
	    " '%s/out.txt'", dir, dir) == 0, "the message does not say what was expected");
}
END_TEST

/* ---- one-line names ------------------------------------------------------ */

static const char *const bad_names[] = {
	"\tTab at the start", "Carriage\rreturn", "Line\nbreak", "Delete\x7f",
	"Override \xe2\x80\xae" "fdp.exe", "Isolate \xe2\x81\xa7x\xe2\x81\xa9", "Mark \xe2\x80\x8f",
	"C1 \xc2\x85 next line", "Separator \xe2\x80\xa8",
};
#define NBAD (sizeof(bad_names) / sizeof(bad_names[0]))

/* A person's account called name with one login, email. */
static void
person_account(struct customer_new *c, const char *name, const char *email)
{
	memset(c, 0, sizeof(*c));
	c->account.name = c->login_name = name;
	c->account.kind = "person";
	c->account.tier = "standard";
	c->account.language = "en";
	c->account.phone = "";
	c->login_email = email;
	c->password_hash = "x";
}

START_TEST(names_with_controls_are_refused)
{
	struct customer_new c;
	struct staff_new s = { 0 };
	const char *why;
	long long id, uid;

	person_account(&c, bad_names[_i], "ctl@hard.test");
	s.email = "ctl-staff@hard.test";
	s.roles = "agent";
	s.password_hash = "x";
	s.name = bad_names[_i];
	why = NULL;
	ck_assert_int_eq(customer_create(&owner, NULL, &c, &id, &uid, &why), CS_REFUSED);
	ck_assert_ptr_nonnull(why);
	ck_assert_ptr_nonnull(strstr(why, "text-direction marks"));
	why = NULL;
	ck_assert_int_eq(staff_create(&owner, NULL, &s, &id, &why), CS_REFUSED);
	ck_assert_ptr_nonnull(strstr(why, "control characters"));
	EXPECT("0", "SELECT (SELECT count(*) FROM customers WHERE name LIKE '%%' || chr(9) || '%%')"
	    " + (SELECT count(*) FROM staff WHERE email = 'ctl-staff@hard.test')");
}
END_TEST

/* A customer account for tickets; its id. */
static long long
customer(const char *name)
{
	struct customer_new c;
	const char *why = NULL;
	char email[128];
	long long id = 0, uid;

	snprintf(email, sizeof(email), "%s-%d@hard.test", name, (int)getpid());
	person_account(&c, name, email);
	c.verified = 1;
	ck_assert_msg(customer_create(&owner, NULL, &c, &id, &uid, &why) == CS_OK, "%s",
	    why ? why : "");
	return id;
}

/* Opens t as the system; fills *op. */
static enum cs_result
open_ticket(const struct ticket_new *t, struct ticket_opened *op, const char **why)
{
	struct ticket_actor_ref by = { TA_SYSTEM, 0, 0, 0, 0 };

	memset(op, 0, sizeof(*op));
	*why = NULL;
	return ticket_open(&owner, arena, &by, t, op, why);
}

/* A phone ticket for a new customer called who, not opened yet. */
static void
ticket_for(struct ticket_new *t, const char *who, const char *subject, const char *description)
{
	memset(t, 0, sizeof(*t));
	t->customer_id = customer(who);
	t->channel = "phone";
	t->subject = subject;
	t->description = description;
}

START_TEST(subjects_with_controls_are_refused)
{
	struct ticket_new t;
	struct ticket_opened op;
	const char *why;

	ticket_for(&t, "Sam Subject", "=1+1\tlooks harmless", "A subject with a tab in it.");
	ck_assert_int_eq(open_ticket(&t, &op, &why), CS_REFUSED);
	ck_assert_str_eq(why, "The subject cannot hold tabs, line breaks, other control characters"
	    " or text-direction marks.");
	t.subject = "Invoice \xe2\x80\xae" "fdp.exe";
	ck_assert_int_eq(open_ticket(&t, &op, &why), CS_REFUSED);
	EXPECT("0", "SELECT count(*) FROM tickets WHERE customer_id = %lld", t.customer_id);
}
END_TEST

START_TEST(attachment_names_are_stored_without_bidi_controls)
{
	static const unsigned char zip[] = "PK\x03\x04 not really a zip";
	struct ticket_file f = { "report\xe2\x80\xae" "fdp.zip", NULL, zip, sizeof(zip) - 1 };
	struct ticket_new t;
	struct ticket_opened op;
	const char *why;

	ticket_for(&t, "Rita Rtl", "Here is the report", "Attached.");
	t.files = &f;
	t.nfiles = 1;
	ck_assert_msg(open_ticket(&t, &op, &why) == CS_OK, "%s",
	    why ? why : "");
	/* Shown as what it is: "reportfdp.zip", not "reportpiz.pdf". */
	EXPECT("reportfdp.zip application/zip", "SELECT filename || ' ' || content_type"
	    " FROM ticket_attachments WHERE ticket_id = %lld", op.id);
	EXPECT("reportfdp.zip", "SELECT new_value FROM ticket_events WHERE ticket_id = %lld"
	    " AND field = 'attachment'", op.id);
}
END_TEST

/* ---- one escalation mail per person per event ---------------------------- */

START_TEST(overlapping_rules_send_one_mail_per_person)
{
	char *sup_mails, *adm_mails;
	long long tid;
	struct ticket_new t;
	struct ticket_opened op;
	const char *why;

	free(q("INSERT INTO staff (email, name, password_hash, roles, escalation_level) VALUES"
	    " ('sup-h@hard.test', 'Sue Hard', 'x', '{supervisor}', 1),"
	    " ('adm-h@hard.test', 'Ada Hard', 'x', '{admin}', 1),"
	    " ('l1-h@hard.test', 'Lou One', 'x', '{agent}', 1),"
	    " ('l2-h@hard.test', 'Lee Two', 'x', '{agent}', 2);"
	    " UPDATE escalation_rules SET active = false;"
	    " INSERT INTO escalation_rules (position, name, on_event, if_priority, notify) VALUES"
	    " (1, 'Urgent breach: tell the supervisor', 'breached', 'urgent', 'supervisor');"
	    " INSERT INTO escalation_rules (position, name, on_event, notify, reassign_next_level)"
	    " VALUES (2, 'Any breach: managers and next level', 'breached', 'manager', true)"));
	ticket_for(&t, "Una Urgent", "Everything is down", "Since this morning.");
	t.priority = "urgent";
	ck_assert_int_eq(open_ticket(&t, &op, &why), CS_OK);
	tid = op.id;
	free(q("UPDATE tickets SET assignee_id = (SELECT id FROM staff"
	    " WHERE email = 'l1-h@hard.test') WHERE id = %lld", tid));
	/* Started long ago: both thresholds are behind it. */
	free(q("UPDATE tickets SET sla_started_at = now() - interval '6 hours' WHERE id = %lld;"
	    " SELECT sla_ticket_recompute(%lld, 'test')", tid, tid));
	ck_assert_int_eq(th_sh("env -u CSDESK_SMTP_URL CSDESK_DB='%s' CSDESK_MAIL_DIR='%s/out'"
	    " '%s/csdesk' batch > '%s/batch.txt' 2>&1", conninfo, dir, th_build_dir(), dir), 0);
	/* Both rules fired on each breached target... */
	EXPECT("t", "SELECT count(DISTINCT rule_id) = 2 AND count(*) = 2 * count(DISTINCT target)"
	    " FROM ticket_escalations WHERE ticket_id = %lld AND trigger = 'breached'", tid);
	/* ...and each person has one mail per breached target, listing both rules. */
	EXPECT("t", "SELECT count(*) = (SELECT count(DISTINCT target) FROM ticket_escalations"
	    " WHERE ticket_id = %lld) FROM notifications WHERE recipient = 'sup-h@hard.test'"
	    " AND kind = 'sla_breached'", tid);
	EXPECT("t", "SELECT count(*) = (SELECT count(DISTINCT target) FROM ticket_escalations"
	    " WHERE ticket_id = %lld) FROM notifications WHERE recipient = 'adm-h@hard.test'"
	    " AND kind = 'sla_breached'", tid);
	sup_mails = q("SELECT count(*) FROM notifications WHERE recipient = 'sup-h@hard.test'"
	    " AND body_text LIKE '%%Urgent breach: tell the supervisor%%'"
	    " AND body_text LIKE '%%Any breach: managers and next level%%'");
	adm_mails = q("SELECT count(*) FROM notifications WHERE recipient = 'adm-h@hard.test'");
	ck_assert_str_ne(sup_mails, "0");
	ck_assert_str_eq(sup_mails, adm_mails);
	/* Nobody got the same mail twice. */
	EXPECT("0", "SELECT count(*) FROM (SELECT recipient, subject, body_text FROM notifications"
	    " GROUP BY 1, 2, 3 HAVING count(*) > 1) d");
	free(sup_mails);
	free(adm_mails);
	free(q("DELETE FROM escalation_rules WHERE name LIKE '%%breach:%%' AND position IN (1, 2)"
	    " AND name IN ('Urgent breach: tell the supervisor',"
	    " 'Any breach: managers and next level'); UPDATE escalation_rules SET active = true"));
}
END_TEST

/* ---- backup and restore ------------------------------------------------- */

START_TEST(dump_restore_into_a_new_cluster_then_migrate_and_verify)
{
	struct ticket_new t;
	struct ticket_opened op;
	const char *why;
	long long tid;
	int rc;

	ticket_for(&t, "Bea Backup", "Kept through a restore", "This ticket must survive.");
	ck_assert_int_eq(open_ticket(&t, &op, &why), CS_OK);
	tid = op.id;
	/* Audit rows, chained by the trigger as every writer's are. */
	free(q("INSERT INTO audit_log (actor_kind, action, object_type, object_id) VALUES"
	    " ('cli', 'backup.test', 'ticket', '%lld'), ('system', 'backup.test', 'ticket',"
	    " '%lld')", tid, tid));
	rc = th_sh("bash '%s/tests/db/backup_restore.sh' '%s' '%s' '%s' '%s' > '%s/restore.txt' 2>&1",
	    th_datadir(), conninfo, dir, th_build_dir(), op.number, dir);
	if (rc != 0)
		th_sh("cat '%s/restore.txt' >&2", dir);
	ck_assert_msg(rc == 0, "backup and restore failed (its output is above)");
}
END_TEST

Suite *hardening_suite(void);

Suite *
hardening_suite(void)
{
	Suite *s = suite_create("hardening");
	TCase *tc = tcase_create("hardening");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, two_migrates_at_once_on_an_empty_database);
	tcase_add_test(tc, csdesk_db_that_is_not_a_connection_string);
	tcase_add_loop_test(tc, names_with_controls_are_refused, 0, NBAD);
	tcase_add_test(tc, subjects_with_controls_are_refused);
	tcase_add_test(tc, attachment_names_are_stored_without_bidi_controls);
	tcase_add_test(tc, overlapping_rules_send_one_mail_per_person);
	tcase_add_test(tc, dump_restore_into_a_new_cluster_then_migrate_and_verify);
	suite_add_tcase(s, tc);
	return s;
}
