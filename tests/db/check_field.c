/*
 * Field service against a real PostgreSQL: two agents booking one
 * technician's slot at the same moment (exactly one wins, the other is
 * told), the travel buffer counting as busy, a cancelled slot free again,
 * overlapping time off refused and a booking during time off refused,
 * dispatch ranking (availability, skill, territory, load) with its
 * reasons, the same check-in posted twice recorded once, and completion
 * refused without check-out and without the signature the admin requires.
 */
#include "../lib/fixtures.h"
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/field.h"

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
static struct fx_person agent, cust;
static struct field_actor by;
static struct fx_ticket job_ticket;

static void
suite_setup(void)
{
	conninfo = th_db_create("field");
	fx_staff(conninfo, "Dana Dispatcher", "agent,supervisor", &agent);
	fx_customer(conninfo, "Fiona Fieldcustomer", NULL, "standard", &cust);
	fx_ticket(conninfo, &cust, "The boiler stopped", &job_ticket);
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
	ck_assert_int_eq(db_open(&owner, conninfo, "check_field"), 0);
	arena = arena_new(1 << 16);
	by.staff_id = agent.id;
}

static void
teardown(void)
{
	db_close(&owner);
	arena_free(arena);
}

/* A technician (working Monday to Sunday 08:00-18:00 UTC) with a buffer, territory and skill. */
static long long
technician(const char *name, int buffer, const char *territory, const char *skill, int level)
{
	struct fx_person t;

	fx_staff(conninfo, name, "technician", &t);
	val("UPDATE staff SET work_days = '{1,2,3,4,5,6,7}', work_start = '08:00',"
	    " work_end = '18:00' WHERE id = %lld RETURNING id", t.id);
	val("INSERT INTO technicians (staff_id, travel_buffer_min, territory) VALUES"
	    " (%lld, %d, '{%s}') RETURNING staff_id", t.id, buffer, territory);
	if (skill != NULL)
		val("INSERT INTO technician_skills (staff_id, skill, level) VALUES (%lld, '%s', %d)"
		    " RETURNING staff_id", t.id, skill, level);
	return t.id;
}

/* The one ticket every appointment is for (a customer may open only a few a minute). */
static long long
ticket(void)
{
	return job_ticket.id;
}

/* "2031-05-06 10:00+00" style: day d of a fixed future week, hour h:m UTC. */
static const char *
at(int h, int m)
{
	return arena_printf(arena, "2031-05-06 %02d:%02d+00", h, m);
}

static enum cs_result
book_on(struct db *db, long long tech, const char *from, const char *to, long long *id,
    const char **why)
{
	struct field_booking b = { .ticket_id = ticket(), .technician_id = tech, .starts_at = from,
		.ends_at = to, .skill = "boiler", .postcode = "75011", .address = "3 rue Oberkampf",
		.summary = "Boiler repair" };

	return field_book(db, arena, &by, &b, id, why);
}

static long long
book(long long tech, const char *from, const char *to)
{
	const char *why = NULL;
	long long id = 0;

	ck_assert_msg(book_on(&owner, tech, from, to, &id, &why) == CS_OK, "book: %s",
	    why ? why : "");
	return id;
}

/*
 * One agent's booking holds the slot uncommitted while a second agent, on
 * another connection, books the same technician at the same time: the
 * second waits on the first and, once the first commits, is told. One
 * appointment exists.
 */
START_TEST(two_agents_booking_one_slot_exactly_one_wins)
{
	long long tech = technician("Theo Concurrent", 30, "75", "boiler", 3), first = 0;
	const char *why = NULL, *tk = arena_printf(arena, "%lld", tech);
	pid_t pid;
	int i, status;

	ck_assert_int_eq(db_begin(&owner), 0);
	ck_assert_int_eq(book_on(&owner, tech, at(10, 0), at(11, 0), &first, &why), CS_OK);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct db other;
		long long second = 0;
		const char *w = NULL;
		enum cs_result rc = CS_FAILED;

		if (db_open(&other, conninfo, "check_field_second") == 0)
			rc = book_on(&other, tech, at(10, 30), at(11, 30), &second, &w);
		_exit(rc == CS_TAKEN && w != NULL && strstr(w, "already booked") != NULL ? 0 : 1);
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
	    "the second booking was not refused as taken");
	ck_assert_str_eq(val("SELECT count(*) FROM appointments WHERE technician_id = %s", tk), "1");
}
END_TEST

START_TEST(travel_buffer_is_busy_and_a_cancelled_slot_is_free)
{
	long long tech = technician("Tess Buffer", 30, "75", "boiler", 3), id, other = 0;
	const char *why = NULL;

	id = book(tech, at(10, 0), at(11, 0));
	/* 11:15 is within the 30 minutes after the job. */
	ck_assert_int_eq(book_on(&owner, tech, at(11, 15), at(12, 0), &other, &why), CS_TAKEN);
	ck_assert_ptr_nonnull(strstr(why, "travel time included"));
	/* 12:00: both buffers end and begin at 11:30. */
	book(tech, at(12, 0), at(13, 0));
	ck_assert_int_eq(field_cancel(&owner, arena, &by, id, "", &why), CS_REFUSED);
	ck_assert_int_eq(field_cancel(&owner, arena, &by, id, "Customer away", &why), CS_OK);
	book(tech, at(9, 45), at(10, 45));
	/* The cancelled one's SEQUENCE rose (its calendar entry changes). */
	ck_assert_str_eq(val("SELECT sequence FROM appointments WHERE id = %lld", id), "1");
}
END_TEST

START_TEST(overlapping_time_off_is_refused_and_blocks_booking)
{
	long long tech = technician("Olga Off", 0, "75", NULL, 0), off = 0, id = 0;
	const char *why = NULL;

	ck_assert_int_eq(field_time_off_add(&owner, arena, tech, at(12, 0), at(16, 0), "Dentist",
	    &off, &why), CS_OK);
	ck_assert_int_eq(field_time_off_add(&owner, arena, tech, at(15, 0), at(17, 0), "Training",
	    &off, &why), CS_REFUSED);
	ck_assert_str_eq(why, "That overlaps time off the technician already has.");
	ck_assert_int_eq(field_time_off_add(&owner, arena, tech, at(16, 0), at(17, 0), "Training",
	    &off, &why), CS_OK);
	ck_assert_int_eq(book_on(&owner, tech, at(13, 0), at(14, 0), &id, &why), CS_REFUSED);
	ck_assert_ptr_nonnull(strstr(why, "time off"));
	ck_assert_int_eq(field_time_off_add(&owner, arena, tech, at(18, 0), at(17, 0), "Backwards",
	    &off, &why), CS_REFUSED);
}
END_TEST

static const struct field_candidate *
find(const struct field_candidate *c, size_t n, long long id, size_t *pos)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i].staff_id == id) {
			*pos = i;
			return &c[i];
		}
	ck_abort_msg("technician %lld not ranked", id);
	return NULL;
}

START_TEST(dispatch_ranks_by_availability_skill_territory_and_says_why)
{
	/* All in a territory of their own so other tests' technicians rank apart. */
	long long expert = technician("Ed Expert", 15, "91", "furnace", 5);
	long long junior = technician("Jo Junior", 15, "91", "furnace", 2);
	long long far = technician("Fay Faraway", 15, "13", "furnace", 5);
	long long busy = technician("Bo Busy", 15, "91", "furnace", 5);
	long long none = technician("Nia Noskill", 15, "91", NULL, 0);
	struct field_booking b = { .ticket_id = ticket(), .starts_at = at(14, 0),
		.ends_at = at(15, 0), .skill = "furnace", .postcode = "91300", .address = "Massy",
		.summary = "Furnace" };
	struct field_candidate *c;
	size_t n, pe, pj, pf, pb, pn;
	const char *why = NULL;
	long long job = 0, off = 0;

	book(busy, at(14, 30), at(15, 30));
	ck_assert_int_eq(field_book(&owner, arena, &by, &b, &job, &why), CS_OK);
	ck_assert_int_eq(field_dispatch_rank(&owner, arena, job, FIELD_RANK_MAX, &c, &n), CS_OK);
	find(c, n, expert, &pe);
	find(c, n, junior, &pj);
	find(c, n, far, &pf);
	find(c, n, busy, &pb);
	find(c, n, none, &pn);
	/* Higher skill first; in territory before outside; lacking the skill after;
	 * unavailable last. */
	ck_assert_uint_lt(pe, pj);
	ck_assert_uint_lt(pj, pf);
	ck_assert_uint_lt(pf, pn);
	ck_assert_uint_lt(pn, pb);
	ck_assert_str_eq(c[pe].why, "Furnace level 5; covers 91300; free; 0 jobs that day.");
	ck_assert_str_eq(c[pf].why, "Furnace level 5; 91300 outside territory; free; 0 jobs that day.");
	ck_assert_str_eq(c[pn].why, "Lacks furnace; covers 91300; free; 0 jobs that day.");
	ck_assert_str_eq(c[pb].why, "Furnace level 5; covers 91300; booked then; 1 job that day.");
	/* Time off makes the expert unavailable: ranked below the junior. */
	ck_assert_int_eq(field_time_off_add(&owner, arena, expert, at(13, 0), at(16, 0), "Sick",
	    &off, &why), CS_OK);
	ck_assert_int_eq(field_dispatch_rank(&owner, arena, job, FIELD_RANK_MAX, &c, &n), CS_OK);
	find(c, n, expert, &pe);
	find(c, n, junior, &pj);
	ck_assert_uint_lt(pj, pe);
	ck_assert_ptr_nonnull(strstr(c[pe].why, "on time off"));
}
END_TEST

/* A form's wall-clock time is where the job is; assigning to a busy technician is refused. */
START_TEST(local_times_are_the_customers_and_assigning_checks_the_slot)
{
	long long tech = technician("Ali Assign", 0, "75", NULL, 0), job = 0;
	struct field_booking b = { .ticket_id = ticket(), .starts_at = "2031-05-07T10:00",
		.ends_at = "2031-05-07T11:00", .summary = "Local" };
	const char *why = NULL;

	val("UPDATE customers SET time_zone = 'Europe/Paris' WHERE id = %lld RETURNING id",
	    cust.customer_id);
	ck_assert_int_eq(field_book(&owner, arena, &by, &b, &job, &why), CS_OK);
	ck_assert_str_eq(val("SELECT to_char(starts_at AT TIME ZONE 'UTC', 'HH24:MI') FROM"
	    " appointments WHERE id = %lld", job), "08:00");
	val("UPDATE customers SET time_zone = 'UTC' WHERE id = %lld RETURNING id",
	    cust.customer_id);
	book(tech, "2031-05-07 08:30+00", "2031-05-07 09:00+00");
	ck_assert_int_eq(field_assign(&owner, arena, &by, job, tech, &why), CS_TAKEN);
	ck_assert_str_eq(val("SELECT count(*) FROM appointments WHERE id = %lld"
	    " AND technician_id IS NULL", job), "1");
	ck_assert_int_eq(field_reschedule(&owner, arena, &by, job, "2031-05-07 12:00+00",
	    "2031-05-07 13:00+00", tech, "Customer asked for noon", &why), CS_OK);
	ck_assert_str_eq(val("SELECT sequence || ' ' || technician_id FROM appointments"
	    " WHERE id = %lld", job), arena_printf(arena, "1 %lld", tech));
}
END_TEST

/* The technician's feed as text. */
static const char *
feed(long long tech)
{
	struct buf b;

	buf_init(&b, arena);
	ck_assert_int_eq(field_ics_feed(&owner, arena, val("SELECT calendar_token FROM technicians"
	    " WHERE staff_id = %lld", tech), &b), CS_OK);
	buf_addch(&b, '\0');
	return b.buf;
}

START_TEST(ics_uid_is_stable_sequence_rises_and_cancel_says_cancelled)
{
	long long tech = technician("Cal Endar", 0, "75", NULL, 0), id;
	const char *f, *why = NULL, *uid;

	id = book(tech, "2031-05-08 09:00+00", "2031-05-08 10:00+00");
	uid = arena_printf(arena, "UID:appointment-%lld@csdesk\r\n", id);
	f = feed(tech);
	ck_assert_ptr_nonnull(strstr(f, uid));
	ck_assert_ptr_nonnull(strstr(f, "SEQUENCE:0\r\nDTSTAMP:"));
	ck_assert_ptr_nonnull(strstr(f, "DTSTART:20310508T090000Z\r\n"));
	ck_assert_ptr_nonnull(strstr(f, "STATUS:CONFIRMED"));
	ck_assert_ptr_nonnull(strstr(f, "LOCATION:3 rue Oberkampf 75011"));
	ck_assert_int_eq(field_reschedule(&owner, arena, &by, id, "2031-05-08 11:00+00",
	    "2031-05-08 12:00+00", 0, "Later, please", &why), CS_OK);
	f = feed(tech);
	ck_assert_ptr_nonnull(strstr(f, uid));
	ck_assert_ptr_nonnull(strstr(f, "SEQUENCE:1\r\n"));
	ck_assert_ptr_nonnull(strstr(f, "DTSTART:20310508T110000Z\r\n"));
	ck_assert_int_eq(field_cancel(&owner, arena, &by, id, "Fixed by phone", &why), CS_OK);
	f = feed(tech);
	ck_assert_ptr_nonnull(strstr(f, uid));
	ck_assert_ptr_nonnull(strstr(f, "SEQUENCE:2\r\n"));
	ck_assert_ptr_nonnull(strstr(f, "STATUS:CANCELLED\r\n"));
}
END_TEST

static struct field_checkpoint
point(const char *token)
{
	struct field_checkpoint p = { .token = token, .has_position = 1, .lat = 48.8647,
		.lon = 2.3780, .accuracy_m = 12 };

	return p;
}

START_TEST(the_same_check_in_posted_twice_records_one)
{
	long long tech = technician("Ina Idempotent", 0, "75", NULL, 0), id;
	struct field_actor me = { tech, 0 };
	struct field_checkpoint p = point("tok-in-1"), other = point("tok-in-2"), none = { 0 };
	const char *why = NULL;

	id = book(tech, at(8, 0), at(9, 0));
	ck_assert_int_eq(field_check_in(&owner, arena, &me, id, &p, &why), CS_OK);
	ck_assert_int_eq(field_check_in(&owner, arena, &me, id, &p, &why), CS_OK);
	ck_assert_str_eq(val("SELECT count(*) FROM domain_events WHERE aggregate_id = %lld"
	    " AND type = 'appointment.checked_in'", id), "1");
	/* Another form (another token) is a second check-in: refused. */
	ck_assert_int_eq(field_check_in(&owner, arena, &me, id, &other, &why), CS_REFUSED);
	ck_assert_str_eq(why, "This job is already checked in.");
	/* Without a position a reason is needed. */
	none.token = "tok-out-1";
	ck_assert_int_eq(field_check_out(&owner, arena, &me, id, &none, &why), CS_REFUSED);
	none.note = "Location not allowed on this phone";
	ck_assert_int_eq(field_check_out(&owner, arena, &me, id, &none, &why), CS_OK);
	ck_assert_str_eq(val("SELECT checkout_note || ' ' || (checkout_lat IS NULL) FROM appointments"
	    " WHERE id = %lld", id), "Location not allowed on this phone true");
	/* Only the technician assigned checks in. */
	me.staff_id = agent.id;
	ck_assert_int_eq(field_check_in(&owner, arena, &me, id, &other, &why), CS_NOT_FOUND);
}
END_TEST

/* A 1×1 PNG. */
static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
	0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
	0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78,
	0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00,
	0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82
};

START_TEST(completion_needs_check_out_and_the_signature)
{
	long long tech = technician("Cas Complete", 0, "75", NULL, 0), id, id2;
	struct field_actor me = { tech, 0 };
	struct field_checkpoint in = point("c-in"), out = point("c-out");
	const char *why = NULL, *sha = NULL;

	id = book(tech, at(16, 0), at(17, 0));
	ck_assert_int_eq(field_complete(&owner, arena, &me, id, "Done", 45, 20, &why), CS_REFUSED);
	ck_assert_str_eq(why, "Check out before completing the job.");
	ck_assert_int_eq(field_check_in(&owner, arena, &me, id, &in, &why), CS_OK);
	ck_assert_int_eq(field_sign(&owner, arena, &me, id, "not a png", 9, &sha, &why),
	    CS_REFUSED);
	ck_assert_int_eq(field_check_out(&owner, arena, &me, id, &out, &why), CS_OK);
	ck_assert_int_eq(field_complete(&owner, arena, &me, id, "Done", 45, 20, &why), CS_REFUSED);
	ck_assert_str_eq(why, "The customer's signature is required before completing the job.");
	ck_assert_int_eq(field_sign(&owner, arena, &me, id, png, sizeof(png), &sha, &why), CS_OK);
	ck_assert_str_eq(sha, val("SELECT signature_sha256 FROM appointments WHERE id = %lld", id));
	ck_assert_str_eq(val("SELECT encode(sha256(signature_png), 'hex') = signature_sha256"
	    " AND octet_length(signature_png) = %zu FROM appointments WHERE id = %lld",
	    sizeof(png), id), "t");
	ck_assert_int_eq(field_complete(&owner, arena, &me, id, "Replaced the pump", 45, 20, &why),
	    CS_OK);
	ck_assert_str_eq(val("SELECT status || ' ' || labour_min FROM appointments WHERE id = %lld",
	    id), "completed 45");
	/* Where the admin does not require a signature, check-out is enough. */
	val("UPDATE settings SET value = 'false' WHERE key = 'field_signature_required'"
	    " RETURNING key");
	id2 = book(tech, at(8, 0), at(9, 0));
	in.token = "c-in-2";
	out.token = "c-out-2";
	ck_assert_int_eq(field_check_in(&owner, arena, &me, id2, &in, &why), CS_OK);
	ck_assert_int_eq(field_check_out(&owner, arena, &me, id2, &out, &why), CS_OK);
	ck_assert_int_eq(field_complete(&owner, arena, &me, id2, "", 30, 10, &why), CS_OK);
	val("UPDATE settings SET value = 'true' WHERE key = 'field_signature_required'"
	    " RETURNING key");
}
END_TEST

START_TEST(the_day_lists_the_technicians_jobs_in_order)
{
	long long tech = technician("Dee Day", 0, "75", NULL, 0), late, early;
	struct field_job *j;
	size_t n;

	late = book(tech, at(15, 0), at(16, 0));
	early = book(tech, at(9, 0), at(10, 0));
	ck_assert_int_eq(field_day(&owner, arena, tech, "2031-05-06", &j, &n), CS_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(j[0].id, early);
	ck_assert_int_eq(j[1].id, late);
	ck_assert_str_eq(j[0].starts_at, "09:00");
	ck_assert_str_eq(j[0].customer, cust.name);
	ck_assert_int_eq(field_day(&owner, arena, tech, "2031-05-07", &j, &n), CS_OK);
	ck_assert_uint_eq(n, 0);
}
END_TEST

/* The demo, on a database of its own, twice: visits today and tomorrow, one signed job done. */
START_TEST(the_demo_has_a_day_to_look_at)
{
	char *demo = th_db_create("field_demo"), *v;
	struct db d;
	int i;

	for (i = 0; i < 2; i++)
		ck_assert_int_eq(th_sh("CSDESK_DB='%s' CSDESK_DATADIR='%s' '%s/csdesk' demo"
		    " > /dev/null", demo, th_datadir(), th_build_dir()), 0);
	ck_assert_int_eq(db_open(&d, demo, "check_field_demo"), 0);
	v = th_value(&d, "SELECT count(*) || ' ' || count(*) FILTER (WHERE technician_id IS NULL)"
	    " || ' ' || count(*) FILTER (WHERE status = 'completed' AND signature_sha256 ="
	    " encode(sha256(signature_png), 'hex')) FROM appointments");
	/* 013's four visits and 015's (a customer's, to move or cancel in the portal). */
	ck_assert_str_eq(v, "5 1 1");
	free(v);
	v = th_value(&d, "SELECT count(*) FROM technicians");
	ck_assert_str_eq(v, "2");
	free(v);
	db_close(&d);
	th_db_drop(demo);
	free(demo);
}
END_TEST

Suite *field_suite(void);

Suite *
field_suite(void)
{
	Suite *s = suite_create("field");
	TCase *tc = tcase_create("field");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, two_agents_booking_one_slot_exactly_one_wins);
	tcase_add_test(tc, travel_buffer_is_busy_and_a_cancelled_slot_is_free);
	tcase_add_test(tc, overlapping_time_off_is_refused_and_blocks_booking);
	tcase_add_test(tc, dispatch_ranks_by_availability_skill_territory_and_says_why);
	tcase_add_test(tc, local_times_are_the_customers_and_assigning_checks_the_slot);
	tcase_add_test(tc, ics_uid_is_stable_sequence_rises_and_cancel_says_cancelled);
	tcase_add_test(tc, the_same_check_in_posted_twice_records_one);
	tcase_add_test(tc, completion_needs_check_out_and_the_signature);
	tcase_add_test(tc, the_day_lists_the_technicians_jobs_in_order);
	tcase_add_test(tc, the_demo_has_a_day_to_look_at);
	suite_add_tcase(s, tc);
	return s;
}
