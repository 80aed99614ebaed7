/*
 * Job photos against a real PostgreSQL: what a visit accepts (JPEG, PNG,
 * WebP by their bytes, whatever the name says; 8 MB; 12 a visit), every
 * refusal naming the file and adding nothing, the same photo sent again
 * stored once, who sees which (the technician assigned, other staff, the
 * customer only once shared, never another customer, also under the
 * portal's row-level security), the events and their audit rows; and a
 * part's movement history paged by keyset without a row lost or repeated.
 */
#include "../lib/dispatch.h"
#include "../lib/fixtures.h"
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/field.h"
#include "domain/field_photos.h"
#include "domain/parts.h"
#include "domain/parts_history.h"
#include "domain/tickets.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *conninfo;
static struct db owner;
static struct arena *arena;
static struct fx_person agent, cust, other_cust;
static struct fx_ticket job_ticket;
static long long tech, tech2;
static int slot;

static const unsigned char JPEG[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0 };
static const unsigned char PNG[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 };
static const unsigned char WEBP[] = { 'R', 'I', 'F', 'F', 4, 0, 0, 0, 'W', 'E', 'B', 'P', 'V',
	'P', '8', ' ' };
static const unsigned char GIF[] = { 'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0 };
static const unsigned char TEXT[] = "<html><script>alert(1)</script></html>";

static long long num(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static long long
num(const char *fmt, ...)
{
	char sql[2048], *v;
	long long n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	v = th_value(&owner, sql);
	n = strtoll(v, NULL, 10);
	free(v);
	return n;
}

static long long
technician(const char *name)
{
	struct fx_person t;
	char *v;

	fx_staff(conninfo, name, "technician", &t);
	v = th_valuef(&owner, "INSERT INTO technicians (staff_id) VALUES (%lld) RETURNING staff_id",
	    t.id);
	free(v);
	return t.id;
}

static void
suite_setup(void)
{
	conninfo = th_db_create("field_photos");
	fx_staff(conninfo, "Ada Photoagent", "agent", &agent);
	fx_customer(conninfo, "Paula Photocustomer", NULL, "standard", &cust);
	fx_customer(conninfo, "Oscar Othercustomer", NULL, "standard", &other_cust);
	fx_ticket(conninfo, &cust, "The washer leaks", &job_ticket);
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
	ck_assert_int_eq(db_open(&owner, conninfo, "check_field_photos"), 0);
	arena = arena_new(1 << 16);
	if (tech == 0) {
		tech = technician("Tom Phototech");
		tech2 = technician("Tia Othertech");
	}
}

static void
teardown(void)
{
	db_close(&owner);
	arena_free(arena);
}

/* A visit of the customer's ticket for tech, on a day of its own. */
static long long
visit(void)
{
	struct field_actor by = { .staff_id = agent.id };
	const char *day = arena_printf(arena, "2032-01-%02d", 1 + slot++ % 28);
	struct field_booking b = { .ticket_id = job_ticket.id, .technician_id = tech,
		.starts_at = arena_printf(arena, "%s 10:00+00", day),
		.ends_at = arena_printf(arena, "%s 11:00+00", day), .postcode = "75011",
		.address = "3 rue Oberkampf", .summary = "Washer" };
	const char *why = NULL;
	long long id = 0;

	ck_assert_msg(field_book(&owner, arena, &by, &b, &id, &why) == CS_OK, "book: %s",
	    why ? why : "");
	return id;
}

static struct ticket_file
file(const char *name, const unsigned char *d, size_t n)
{
	struct ticket_file f = { name, "image/jpeg", d, n };

	return f;
}

static enum cs_result
add(long long by, long long id, const struct ticket_file *f, size_t n, int shared,
    size_t *added, const char **why)
{
	struct field_actor a = { .staff_id = by };

	return field_photos_add(&owner, arena, &a, id, f, n, "Before the repair", shared, added,
	    why);
}

static long long
photos_of(long long id)
{
	return num("SELECT count(*) FROM job_photos WHERE appointment_id = %lld", id);
}

START_TEST(photos_are_accepted_by_their_bytes_whatever_the_name_says)
{
	long long id = visit();
	struct ticket_file ok[] = { file("a.jpg", JPEG, sizeof(JPEG)), file("b.jpg", PNG,
		sizeof(PNG)), file("c", WEBP, sizeof(WEBP)) };
	struct ticket_file gif = file("anim.jpg", GIF, sizeof(GIF));
	struct ticket_file html = file("IMG_0001.jpg", TEXT, sizeof(TEXT) - 1);
	struct ticket_file empty = file("nothing.png", PNG, 0);
	const char *why = NULL;
	size_t added = 9;

	ck_assert_int_eq(add(tech, id, ok, 3, 0, &added, &why), CS_OK);
	ck_assert_uint_eq(added, 3);
	/* Stored with the type found, not the one declared (all three said image/jpeg). */
	ck_assert_str_eq(th_valuef(&owner, "SELECT string_agg(content_type, ',' ORDER BY id)"
	    " FROM job_photos WHERE appointment_id = %lld", id),
	    "image/jpeg,image/png,image/webp");
	ck_assert_int_eq(add(tech, id, &gif, 1, 0, &added, &why), CS_REFUSED);
	ck_assert_ptr_nonnull(strstr(why, "\"anim.jpg\" is not a JPEG, PNG or WebP photo"));
	ck_assert_int_eq(add(tech, id, &html, 1, 0, &added, &why), CS_REFUSED);
	ck_assert_ptr_nonnull(strstr(why, "\"IMG_0001.jpg\""));
	ck_assert_int_eq(add(tech, id, &empty, 1, 0, &added, &why), CS_REFUSED);
	ck_assert_ptr_nonnull(strstr(why, "\"nothing.png\" is empty"));
	ck_assert_int_eq(photos_of(id), 3);
}
END_TEST

START_TEST(a_photo_over_8_mb_is_refused_by_name_and_nothing_is_added)
{
	long long id = visit();
	size_t n = FIELD_PHOTO_MAX + 1, added = 9;
	unsigned char *big = calloc(1, n);
	struct ticket_file f[2];
	const char *why = NULL;

	ck_assert_ptr_nonnull(big);
	memcpy(big, JPEG, sizeof(JPEG));
	f[0] = file("small.jpg", JPEG, sizeof(JPEG));
	f[1] = file("huge.jpg", big, n);
	ck_assert_int_eq(add(tech, id, f, 2, 0, &added, &why), CS_REFUSED);
	ck_assert_str_eq(why, "\"huge.jpg\" is larger than 8 MB; nothing was added.");
	ck_assert_uint_eq(added, 0);
	ck_assert_int_eq(photos_of(id), 0);
	/* 8 MB exactly is a photo. */
	f[1].len = FIELD_PHOTO_MAX;
	ck_assert_int_eq(add(tech, id, f, 2, 0, &added, &why), CS_OK);
	ck_assert_uint_eq(added, 2);
	free(big);
}
END_TEST

/* n different JPEGs (a byte after the magic differs). */
static struct ticket_file *
jpegs(size_t n, const char *prefix)
{
	struct ticket_file *f = arena_alloc(arena, n * sizeof(*f));
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char *d = arena_alloc(arena, 16);

		/* Every byte set: the same name is the same photo, call after call. */
		memset(d, 0, 16);
		memcpy(d, JPEG, 4);
		snprintf((char *)d + 4, 12, "%s%u", prefix, (unsigned)(i % 1000));
		f[i] = file(arena_printf(arena, "%s%zu.jpg", prefix, i), d, 16);
	}
	return f;
}

START_TEST(a_visit_keeps_12_photos_and_the_13th_is_refused_by_name)
{
	long long id = visit();
	const char *why = NULL;
	size_t added = 0;

	ck_assert_int_eq(add(tech, id, jpegs(11, "a"), 11, 0, &added, &why), CS_OK);
	ck_assert_uint_eq(added, 11);
	/* Two more: the second would be the 13th, so neither is added. */
	ck_assert_int_eq(add(tech, id, jpegs(2, "b"), 2, 0, &added, &why), CS_REFUSED);
	ck_assert_str_eq(why, "\"b1.jpg\" would be photo 13 of this visit, which keeps 12 at most;"
	    " nothing was added.");
	ck_assert_int_eq(photos_of(id), 11);
	ck_assert_int_eq(add(tech, id, jpegs(1, "c"), 1, 0, &added, &why), CS_OK);
	ck_assert_int_eq(photos_of(id), 12);
	/* The same photos sent again (a form re-sent) add nothing and are not refused. */
	ck_assert_int_eq(add(tech, id, jpegs(1, "c"), 1, 0, &added, &why), CS_OK);
	ck_assert_uint_eq(added, 0);
	ck_assert_int_eq(photos_of(id), 12);
}
END_TEST

START_TEST(only_the_technician_assigned_adds_and_shares)
{
	long long id = visit(), pid;
	struct ticket_file f = file("x.jpg", JPEG, sizeof(JPEG));
	struct field_actor other = { .staff_id = tech2 };
	const char *why = NULL;
	size_t added = 0;

	ck_assert_int_eq(add(tech2, id, &f, 1, 0, &added, &why), CS_NOT_FOUND);
	ck_assert_int_eq(add(agent.id, id, &f, 1, 0, &added, &why), CS_NOT_FOUND);
	ck_assert_int_eq(add(tech, id, &f, 1, 0, &added, &why), CS_OK);
	pid = num("SELECT max(id) FROM job_photos WHERE appointment_id = %lld", id);
	ck_assert_int_eq(field_photo_update(&owner, arena, &other, id, pid, "", 1, &why),
	    CS_NOT_FOUND);
	ck_assert_int_eq(num("SELECT count(*) FROM job_photos WHERE id = %lld AND shared", pid), 0);
}
END_TEST

/* How many photos of visit id the viewer sees, and whether it can open photo pid. */
static size_t
seen(const struct field_photo_viewer *v, long long id, long long pid, enum cs_result *file)
{
	struct field_photo *rows;
	struct field_photo_file f;
	size_t n = 0;

	ck_assert_int_eq(field_photos_of(&owner, arena, v, id, &rows, &n), CS_OK);
	*file = field_photo_file(&owner, arena, v, id, pid, &f);
	if (*file == CS_OK)
		ck_assert_uint_eq(f.len, sizeof(JPEG));
	return n;
}

START_TEST(who_sees_a_photo_the_customer_only_once_shared)
{
	long long id = visit(), pid;
	struct ticket_file f = file("leak.jpg", JPEG, sizeof(JPEG));
	struct field_actor me = { .staff_id = tech };
	struct field_photo_viewer mine = { tech, 0, 0 }, other_tech = { tech2, 0, 0 },
		staff = { agent.id, 1, 0 }, customer = { 0, 0, cust.customer_id },
		stranger = { 0, 0, other_cust.customer_id };
	enum cs_result got;
	const char *why = NULL;
	size_t added = 0;
	char *portal, *v;
	struct db as_portal;

	ck_assert_int_eq(add(tech, id, &f, 1, 0, &added, &why), CS_OK);
	pid = num("SELECT max(id) FROM job_photos WHERE appointment_id = %lld", id);
	ck_assert_uint_eq(seen(&mine, id, pid, &got), 1);
	ck_assert_int_eq(got, CS_OK);
	ck_assert_uint_eq(seen(&staff, id, pid, &got), 1);
	ck_assert_int_eq(got, CS_OK);
	ck_assert_uint_eq(seen(&other_tech, id, pid, &got), 0);
	ck_assert_int_eq(got, CS_NOT_FOUND);
	ck_assert_uint_eq(seen(&customer, id, pid, &got), 0);
	ck_assert_int_eq(got, CS_NOT_FOUND);
	ck_assert_int_eq(field_photo_update(&owner, arena, &me, id, pid, "The leak", 1, &why),
	    CS_OK);
	ck_assert_uint_eq(seen(&customer, id, pid, &got), 1);
	ck_assert_int_eq(got, CS_OK);
	ck_assert_uint_eq(seen(&stranger, id, pid, &got), 0);
	ck_assert_int_eq(got, CS_NOT_FOUND);
	/* The portal's role under row-level security: its own customer's shared photos only. */
	portal = th_db_as(conninfo, "csdesk_portal");
	ck_assert_int_eq(db_open(&as_portal, portal, "check_field_photos_portal"), 0);
	v = th_valuef(&as_portal, "SELECT set_config('csdesk.customer_id', '%lld', false)"
	    " || (SELECT count(*) FROM job_photos)::text", other_cust.customer_id);
	ck_assert_str_eq(v, arena_printf(arena, "%lld0", other_cust.customer_id));
	free(v);
	v = th_valuef(&as_portal, "SELECT set_config('csdesk.customer_id', '%lld', false)"
	    " || (SELECT count(*) FROM job_photos WHERE NOT shared)::text", cust.customer_id);
	ck_assert_str_eq(v, arena_printf(arena, "%lld0", cust.customer_id));
	free(v);
	db_close(&as_portal);
	free(portal);
}
END_TEST

START_TEST(adding_and_sharing_are_events_and_audited)
{
	long long id = visit(), pid;
	struct ticket_file f = file("after.jpg", JPEG, sizeof(JPEG));
	struct field_actor me = { .staff_id = tech };
	const char *why = NULL;
	size_t added = 0;

	ck_assert_int_eq(add(tech, id, &f, 1, 0, &added, &why), CS_OK);
	pid = num("SELECT max(id) FROM job_photos WHERE appointment_id = %lld", id);
	ck_assert_int_eq(field_photo_update(&owner, arena, &me, id, pid, "After", 1, &why), CS_OK);
	ck_assert_str_eq(th_valuef(&owner, "SELECT string_agg(type, ',' ORDER BY id) FROM"
	    " domain_events WHERE aggregate = 'appointment' AND aggregate_id = %lld"
	    " AND type LIKE 'appointment.photo%%'", id),
	    "appointment.photo_added,appointment.photo_changed");
	th_dispatch(conninfo);
	ck_assert_int_eq(num("SELECT count(*) FROM audit_log WHERE object_type = 'appointment'"
	    " AND object_id = '%lld' AND action LIKE 'appointment.photo%%'", id), 2);
}
END_TEST

START_TEST(a_parts_movement_history_pages_without_losing_or_repeating_a_row)
{
	long long part, loc, before = 0, seen_n = 0, last_id = 0;
	struct parts_movement *m;
	struct parts_history_part head;
	size_t n, i;
	int more = 1, pages = 0;

	part = num("INSERT INTO parts (number, name, cost, price) VALUES ('PH-%lld', 'Hose', 1, 2)"
	    " RETURNING id", (long long)getpid());
	loc = num("INSERT INTO stock_locations (name, kind) VALUES ('Photo test %lld', 'warehouse')"
	    " RETURNING id", (long long)getpid());
	/* 120 movements, in ties of three at the same instant. */
	th_valuef(&owner, "WITH i AS (INSERT INTO stock_movements (kind, part_id, to_id, qty,"
	    " created_at) SELECT 'receipt', %lld, %lld, g, timestamptz '2030-01-01' +"
	    " (g / 3) * interval '1 hour' FROM generate_series(1, 120) g RETURNING 1)"
	    " SELECT count(*) FROM i", part, loc);
	while (more) {
		ck_assert_int_eq(parts_movements(&owner, arena, part, before, &head, &m, &n, &more), CS_OK);
		pages++;
		for (i = 0; i < n; i++) {
			ck_assert_str_eq(m[i].kind, "receipt");
			ck_assert_ptr_nonnull(strstr(m[i].to, "Photo test"));
			ck_assert_int_ne(m[i].id, last_id);
			last_id = m[i].id;
		}
		seen_n += (long long)n;
		if (n > 0)
			before = m[n - 1].id;
	}
	ck_assert_int_eq(seen_n, 120);
	ck_assert_str_eq(head.name, "Hose");
	ck_assert_int_eq(parts_movements(&owner, arena, part + 1000000, 0, &head, &m, &n, &more),
	    CS_NOT_FOUND);
	ck_assert_int_eq(pages, 3);
	/* Newest first: the first page starts at the latest instant. */
	ck_assert_int_eq(parts_movements(&owner, arena, part, 0, &head, &m, &n, &more), CS_OK);
	ck_assert_str_eq(m[0].at, "2030-01-02 16:00");
	ck_assert_int_eq(m[0].qty, 120);
}
END_TEST

Suite *field_photos_suite(void);

Suite *
field_photos_suite(void)
{
	Suite *s = suite_create("field_photos");
	TCase *tc = tcase_create("field_photos");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, photos_are_accepted_by_their_bytes_whatever_the_name_says);
	tcase_add_test(tc, a_photo_over_8_mb_is_refused_by_name_and_nothing_is_added);
	tcase_add_test(tc, a_visit_keeps_12_photos_and_the_13th_is_refused_by_name);
	tcase_add_test(tc, only_the_technician_assigned_adds_and_shares);
	tcase_add_test(tc, who_sees_a_photo_the_customer_only_once_shared);
	tcase_add_test(tc, adding_and_sharing_are_events_and_audited);
	tcase_add_test(tc, a_parts_movement_history_pages_without_losing_or_repeating_a_row);
	suite_add_tcase(s, tc);
	return s;
}
