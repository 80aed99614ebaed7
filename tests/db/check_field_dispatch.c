/*
 * Field dispatch against a real PostgreSQL: two customers taking the same
 * technician's window at the same moment (exactly one books it, the other
 * is told the window was just taken); windows offered only when a
 * technician is free (bookings and time off); a skill whose certification
 * expired no longer counts in the ranking; and the customer's mail,
 * delivered to a real SMTP server and read back by an independent parser:
 * an .ics whose UID stays, whose SEQUENCE rises on the move and which says
 * STATUS:CANCELLED on the cancellation.
 */
#include "../lib/dispatch.h"
#include "../lib/fixtures.h"
#include "../lib/harness.h"
#include "../lib/smtp_sink.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/field.h"
#include "domain/field_admin.h"
#include "domain/field_booking.h"
#include "domain/mailer.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *conninfo;
static struct db owner;
static struct arena *arena;
/* One value of test SQL, kept in the test's arena. */
#define val(...) th_arena_valuef(&owner, arena, __VA_ARGS__)
static struct fx_person cust, other;
static struct fx_ticket job, other_job;

static void
suite_setup(void)
{
	conninfo = th_db_create("field_dispatch");
	fx_customer(conninfo, "Carla Calendar", NULL, "standard", &cust);
	fx_customer(conninfo, "Otto Other", NULL, "standard", &other);
	fx_ticket(conninfo, &cust, "The heat pump hums", &job);
	fx_ticket(conninfo, &other, "The heat pump rattles", &other_job);
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
	ck_assert_int_eq(db_open(&owner, conninfo, "check_field_dispatch"), 0);
	arena = arena_new(1 << 16);
}

static void
teardown(void)
{
	db_close(&owner);
	arena_free(arena);
}

/* The one technician covering territory (every day 06:00–22:00 UTC, no buffer). */
static long long
technician(const char *name, const char *territory)
{
	struct fx_person t;

	fx_staff(conninfo, name, "technician", &t);
	val("UPDATE staff SET work_days = '{1,2,3,4,5,6,7}', work_start = '06:00',"
	    " work_end = '22:00', time_zone = 'UTC' WHERE id = %lld RETURNING id", t.id);
	val("INSERT INTO technicians (staff_id, travel_buffer_min, territory) VALUES"
	    " (%lld, 0, '{%s}') RETURNING staff_id", t.id, territory);
	return t.id;
}

/* Acts for customer c in db's next transaction, as the portal does (row-level security). */
static void
as_customer(struct db *db, const struct fx_person *c)
{
	char *v = th_valuef(db, "SELECT set_config('csdesk.customer_id', '%lld', true)",
	    c->customer_id);

	free(v);
}

static enum cs_result
portal_book(struct db *db, const struct fx_person *c, const struct fx_ticket *t,
    const char *start, const char *postcode, long long *id, const char **why)
{
	struct field_actor by = { 0, c->id };
	struct field_portal_booking b = { .ticket_id = t->id, .start = start, .postcode = postcode,
		.address = "1 Station Road", .summary = "Heat pump service" };
	enum cs_result rc;

	if (db_begin(db) != 0)
		return CS_FAILED;
	as_customer(db, c);
	rc = field_portal_book(db, arena, &by, &b, id, why);
	return db_end(db, rc);
}

/* The first window offered to customer c at postcode (its start, in the arena). */
static const char *
first_window(const struct fx_person *c, const char *postcode, size_t *count)
{
	struct field_window *w;
	size_t n;

	ck_assert_int_eq(field_windows(&owner, arena, c->customer_id, postcode, &w, &n), CS_OK);
	if (count != NULL)
		*count = n;
	ck_assert_msg(n > 0, "no window offered at %s", postcode);
	return w[0].start;
}

/*
 * One customer's booking holds the window uncommitted while another
 * customer, on another connection, takes the same window of the only
 * technician: the second waits and, once the first commits, is told.
 */
START_TEST(two_customers_taking_one_window_exactly_one_books_it)
{
	long long tech = technician("Nina Onlyone", "SW1"), first = 0;
	const char *start = first_window(&cust, "SW1A 1AA", NULL), *why = NULL;
	struct field_actor by = { 0, cust.id };
	struct field_portal_booking b = { .ticket_id = job.id, .start = start,
		.postcode = "SW1A 1AA", .address = "1 Station Road", .summary = "First" };
	pid_t pid;
	int i, status;

	ck_assert_int_eq(db_begin(&owner), 0);
	as_customer(&owner, &cust);
	ck_assert_int_eq(field_portal_book(&owner, arena, &by, &b, &first, &why), CS_OK);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct db d;
		long long second = 0;
		const char *w = NULL;
		enum cs_result rc = CS_FAILED;

		if (db_open(&d, conninfo, "check_field_dispatch_second") == 0)
			rc = portal_book(&d, &other, &other_job, start, "SW1A 1AA", &second, &w);
		_exit(rc == CS_TAKEN && w != NULL && strcmp(w, FIELD_WINDOW_TAKEN) == 0 ? 0 : 1);
	}
	/* Until the second booking waits for the first one's transaction. */
	for (i = 0; i < 500; i++) {
		char *n = th_value(&owner, "SELECT count(*) FROM pg_locks WHERE NOT granted"
		    " AND locktype = 'transactionid'"
		    " AND transactionid::text = pg_current_xact_id()::text");
		int waiting = atoi(n);

		free(n);
		if (waiting > 0)
			break;
		usleep(20000);
	}
	ck_assert_int_lt(i, 500);
	ck_assert_int_eq(db_commit(&owner), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "the second booking was not told the window was taken");
	ck_assert_str_eq(val("SELECT count(*) FROM appointments WHERE technician_id = %lld"
	    " AND status = 'booked'", tech), "1");
	ck_assert_str_eq(val("SELECT customer_id FROM appointments WHERE technician_id = %lld",
	    tech), arena_printf(arena, "%lld", cust.customer_id));
}
END_TEST

START_TEST(windows_are_offered_only_when_a_technician_is_free)
{
	long long tech = technician("Walt Windows", "EH"), id = 0;
	const char *start, *again, *why = NULL, *day;
	size_t before, after;

	start = first_window(&cust, "EH1 1AA", &before);
	ck_assert_int_eq(portal_book(&owner, &cust, &job, start, "EH1 1AA", &id, &why), CS_OK);
	again = first_window(&cust, "EH1 1AA", &after);
	ck_assert_str_ne(again, start);
	ck_assert_int_eq(after, before - 1);
	/* A whole day off: none of its windows is offered any more. */
	day = val("SELECT (left('%s', 10)::date + 1)::text", start);
	val("INSERT INTO technician_time_off (staff_id, during) VALUES (%lld,"
	    " tstzrange('%s 00:00+00', '%s 23:59+00')) RETURNING id", tech, day, day);
	first_window(&cust, "EH1 1AA", &after);
	ck_assert_int_eq(after, before - 1 - 4);
	/* A booking posted for a window nobody is free for is told, not made. */
	ck_assert_int_eq(portal_book(&owner, &cust, &job, start, "EH1 1AA", &id, &why), CS_TAKEN);
	ck_assert_str_eq(why, FIELD_WINDOW_TAKEN);
	/* Another customer's ticket is not found. */
	ck_assert_int_eq(portal_book(&owner, &cust, &other_job, again, "EH1 1AA", &id, &why),
	    CS_NOT_FOUND);
}
END_TEST

START_TEST(an_expired_certification_no_longer_counts_in_the_ranking)
{
	long long tech = technician("Cora Certified", "BS"), ap = 0;
	struct field_actor by = { 0, 0 };
	struct field_booking b = { .ticket_id = job.id, .starts_at = "2031-05-06 10:00+00",
		.ends_at = "2031-05-06 11:00+00", .skill = "heat pump", .postcode = "BS1 4DJ",
		.address = "2 Quay", .summary = "Heat pump" };
	struct field_candidate *c;
	const char *why = NULL;
	size_t n, i;

	val("INSERT INTO technician_skills (staff_id, skill, level) VALUES (%lld, 'heat pump', 4)"
	    " RETURNING staff_id", tech);
	val("INSERT INTO technician_certifications (staff_id, name, skill, expires_on) VALUES"
	    " (%lld, 'F-gas', 'heat pump', current_date + 30) RETURNING id", tech);
	ck_assert_int_eq(field_book(&owner, arena, &by, &b, &ap, &why), CS_OK);
	ck_assert_int_eq(field_dispatch_rank(&owner, arena, ap, FIELD_RANK_MAX, &c, &n), CS_OK);
	for (i = 0; i < n && c[i].staff_id != tech; i++)
		;
	ck_assert_uint_lt(i, n);
	ck_assert_str_eq(c[i].why, "Heat pump level 4; covers BS1 4DJ; free; 0 jobs that day.");
	val("UPDATE technician_certifications SET expires_on = current_date - 1 WHERE staff_id = %lld"
	    " RETURNING id", tech);
	ck_assert_int_eq(field_dispatch_rank(&owner, arena, ap, FIELD_RANK_MAX, &c, &n), CS_OK);
	for (i = 0; i < n && c[i].staff_id != tech; i++)
		;
	ck_assert_uint_lt(i, n);
	ck_assert_int_eq(c[i].skill_ok, 0);
	ck_assert_str_eq(c[i].why,
	    "Heat pump certification expired; covers BS1 4DJ; free; 0 jobs that day.");
}
END_TEST

/* Delivers the outbox to a real SMTP server; what Python's parser reads of it (malloc'd). */
static char *
deliver_and_read(const char *dir, int round)
{
	char maildir[300], log[300], url[64], pattern[400];
	struct mailer_config cfg = { .from = "Support <support@example.com>" };
	struct mailer_counts counts = { 0 };
	struct mailer *m;
	char *dump;
	int claimed;

	snprintf(maildir, sizeof(maildir), "%s/maildir%d", dir, round);
	snprintf(log, sizeof(log), "%s/smtp%d.log", dir, round);
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", th_smtp_start(maildir, log));
	cfg.smtp_url = url;
	ck_assert_ptr_nonnull(m = mailer_new(&cfg));
	do
		ck_assert_int_eq(mailer_deliver(m, &owner, 50, &counts, &claimed), CS_OK);
	while (claimed > 0);
	mailer_free(m);
	th_smtp_stop();
	snprintf(pattern, sizeof(pattern), "'%s'/new/*", maildir);
	ck_assert_ptr_nonnull(dump = th_maildump(pattern));
	return dump;
}

/* The block of dump whose subject holds what (malloc'd), failing the test when none. */
static char *
block(const char *dump, const char *what)
{
	const char *p = dump, *end;

	while ((p = strstr(p, "== ")) != NULL) {
		char *b;

		end = strstr(p + 3, "\n== ");
		b = strndup(p, end != NULL ? (size_t)(end - p) : strlen(p));
		ck_assert_ptr_nonnull(b);
		if (strstr(b, what) != NULL && strstr(b, "Part: text/calendar") != NULL)
			return b;
		free(b);
		p += 3;
	}
	ck_abort_msg("no mail with \"%s\" and a calendar in:\n%.3000s", what, dump);
	return NULL;
}

START_TEST(the_mailed_ics_keeps_its_uid_raises_sequence_and_says_cancelled)
{
	char dir[] = "/tmp/csdesk-field-mail.XXXXXX", uid[64], *dump, *b;
	long long id = 0;
	const char *start, *later, *why = NULL;
	struct field_actor agent = { 0, 0 };
	struct field_window *w;
	size_t n;

	technician("Ivy Invite", "CF");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(field_windows(&owner, arena, cust.customer_id, "CF10 1AA", &w, &n), CS_OK);
	ck_assert_uint_ge(n, 2);
	start = w[0].start;
	later = w[1].start;
	/* Only what this test sends: earlier mail is marked delivered. */
	th_dispatch(conninfo);
	val("UPDATE notifications SET status = 'sent' WHERE status = 'queued' RETURNING 1");
	ck_assert_int_eq(portal_book(&owner, &cust, &job, start, "CF10 1AA", &id, &why), CS_OK);
	snprintf(uid, sizeof(uid), "UID:appointment-%lld@csdesk", id);
	th_dispatch(conninfo);
	dump = deliver_and_read(dir, 1);
	b = block(dump, "Technician visit booked");
	ck_assert_msg(strstr(b, arena_printf(arena, "\nTo: %s\n", cust.email)) != NULL, "%s", b);
	ck_assert_msg(strstr(b, uid) != NULL && strstr(b, "SEQUENCE:0") != NULL, "%s", b);
	ck_assert_msg(strstr(b, "STATUS:CONFIRMED") != NULL, "%s", b);
	ck_assert_msg(strstr(b, "\nDefects: 0\n") != NULL, "%s", b);
	free(b);
	free(dump);
	/* The customer moves it: the same UID, SEQUENCE 1. */
	ck_assert_int_eq(db_begin(&owner), 0);
	as_customer(&owner, &cust);
	{
		struct field_actor by = { 0, cust.id };

		ck_assert_int_eq(field_portal_move(&owner, arena, &by, id, later, "Away that morning",
		    &why), CS_OK);
	}
	ck_assert_int_eq(db_commit(&owner), 0);
	th_dispatch(conninfo);
	dump = deliver_and_read(dir, 2);
	b = block(dump, "Technician visit moved");
	ck_assert_msg(strstr(b, uid) != NULL && strstr(b, "SEQUENCE:1") != NULL, "%s", b);
	ck_assert_msg(strstr(b, "Why: Away that morning") != NULL, "%s", b);
	free(b);
	free(dump);
	/* An agent cancels it: SEQUENCE 2 and STATUS:CANCELLED. */
	ck_assert_int_eq(field_cancel(&owner, arena, &agent, id, "Part on back order", &why),
	    CS_OK);
	th_dispatch(conninfo);
	dump = deliver_and_read(dir, 3);
	b = block(dump, "Technician visit cancelled");
	ck_assert_msg(strstr(b, uid) != NULL && strstr(b, "SEQUENCE:2") != NULL, "%s", b);
	ck_assert_msg(strstr(b, "STATUS:CANCELLED") != NULL, "%s", b);
	free(b);
	free(dump);
}
END_TEST

/* A profile saved through the use case: skills replaced, hours kept, an audit row from its event. */
START_TEST(a_saved_profile_is_audited_through_its_event)
{
	long long tech = technician("Paul Profile", "LS");
	struct field_actor by = { 0, 0 };
	struct field_tech_input in = { .territory = "LS, Leeds centre", .home_base = "Leeds",
		.van_label = "Van 9", .skills = "boiler 3, heat pump:5", .work_days = 0x1f,
		.work_start = "08:00", .work_end = "16:30", .time_zone = "Europe/London",
		.travel_buffer_min = 15, .active = 1 };
	struct field_tech t;
	const char *why = NULL;

	in.skills = "boiler";
	ck_assert_int_eq(field_tech_save(&owner, arena, &by, tech, &in, &why), CS_REFUSED);
	ck_assert_str_eq(why, "Give \"boiler\" a level from 1 to 5 (\"boiler 3\").");
	in.skills = "boiler 3, heat pump:5";
	in.work_end = "07:00";
	ck_assert_int_eq(field_tech_save(&owner, arena, &by, tech, &in, &why), CS_REFUSED);
	ck_assert_str_eq(why, "The working day ends after it starts.");
	in.work_end = "16:30";
	ck_assert_int_eq(field_tech_save(&owner, arena, &by, tech, &in, &why), CS_OK);
	ck_assert_int_eq(field_tech_get(&owner, arena, tech, &t), CS_OK);
	ck_assert_str_eq(t.skills, "boiler 3, heat pump 5");
	ck_assert_str_eq(t.territory, "LS, Leeds centre");
	ck_assert_str_eq(t.time_zone, "Europe/London");
	ck_assert_uint_eq(t.work_days, 0x1f);
	th_dispatch(conninfo);
	ck_assert_str_eq(val("SELECT count(*) FROM audit_log WHERE action = 'technician.profile_saved'"
	    " AND object_type = 'technician' AND object_id = '%lld'", tech), "1");
	/* Not a technician: nothing to save. */
	ck_assert_int_eq(field_tech_get(&owner, arena, cust.id + 100000, &t), CS_NOT_FOUND);
}
END_TEST

Suite *field_dispatch_suite(void);

Suite *
field_dispatch_suite(void)
{
	Suite *s = suite_create("field_dispatch");
	TCase *tc = tcase_create("field_dispatch");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, two_customers_taking_one_window_exactly_one_books_it);
	tcase_add_test(tc, windows_are_offered_only_when_a_technician_is_free);
	tcase_add_test(tc, an_expired_certification_no_longer_counts_in_the_ranking);
	tcase_add_test(tc, the_mailed_ics_keeps_its_uid_raises_sequence_and_says_cancelled);
	tcase_add_test(tc, a_saved_profile_is_audited_through_its_event);
	suite_add_tcase(s, tc);
	return s;
}
