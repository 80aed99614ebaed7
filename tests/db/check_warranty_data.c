/*
 * The warranty's data against a real PostgreSQL: the product catalogue
 * refuses terms out of range and a picture that is not one, and keeps the
 * picture as sent; the demo loads twice without duplicates with a claim
 * in every state; `csdesk gen` makes registrations with their coverage
 * and claims in every state.
 */
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/product_catalogue.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *conninfo;
static struct db owner;
static struct arena *arena;
/* One value of test SQL, kept in the test's arena. */
#define val(...) th_arena_valuef(&owner, arena, __VA_ARGS__)

static void
suite_setup(void)
{
	conninfo = th_db_create("warranty_data");
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
	ck_assert_int_eq(db_open(&owner, conninfo, "check_warranty_data"), 0);
	arena = arena_new(1 << 16);
}

static void
teardown(void)
{
	db_close(&owner);
	arena_free(arena);
}

/* The catalogue: terms out of range and a picture that is not one are refused at their field. */
START_TEST(the_catalogue_refuses_bad_terms_and_pictures)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0 };
	struct product_input in;
	struct audit_entry by;
	struct product got;
	const char *why = NULL, *field = NULL, *type;
	const void *data;
	size_t size;
	long long id;

	memset(&by, 0, sizeof(by));
	by.actor_kind = AUDIT_ACTOR_CLI;
	memset(&in, 0, sizeof(in));
	in.sku = arena_printf(arena, "PIC-%d", (int)getpid());
	in.name = "Picture frame";
	in.basis = "installation";
	in.parts_months = 241;
	in.labour_months = 12;
	in.active = in.serviceable = 1;
	ck_assert_int_eq(product_catalogue_save(&owner, arena, &by, 0, &in, &id, &why, &field),
	    CS_REFUSED);
	ck_assert_str_eq(field, "parts_months");
	in.parts_months = 24;
	in.image = "GIF? no, text";
	in.image_size = 13;
	ck_assert_int_eq(product_catalogue_save(&owner, arena, &by, 0, &in, &id, &why, &field),
	    CS_REFUSED);
	ck_assert_str_eq(field, "image");
	in.image = png;
	in.image_size = sizeof(png);
	ck_assert_int_eq(product_catalogue_save(&owner, arena, &by, 0, &in, &id, &why, &field),
	    CS_OK);
	ck_assert_int_eq(product_catalogue_get(&owner, arena, id, &got), CS_OK);
	ck_assert_str_eq(got.basis, "installation");
	ck_assert(got.has_image);
	ck_assert_int_eq(product_catalogue_image(&owner, arena, id, &type, &data, &size), CS_OK);
	ck_assert_str_eq(type, "image/png");
	ck_assert_int_eq(size, sizeof(png));
	ck_assert_int_eq(memcmp(data, png, size), 0);
	/* The same SKU again is taken. */
	ck_assert_int_eq(product_catalogue_save(&owner, arena, &by, 0, &in, &id, &why, &field),
	    CS_TAKEN);
}
END_TEST

/* The demo loads twice without duplicates: a claim in every state, each with its history. */
START_TEST(the_demo_shows_every_state)
{
	const char *q = "SELECT (SELECT count(DISTINCT state) FROM warranty_claims w"
	    " JOIN warranty_registrations g ON g.id = w.registration_id"
	    " WHERE g.serial IN ('BV-0091', 'NR-20931-B', 'AK-778812', 'HS-55120', 'BV-0007'))"
	    " || ' ' || (SELECT count(*) FROM warranty_registrations) || ' ' ||"
	    " (SELECT count(*) FROM warranty_claims) || ' ' || (SELECT count(*) FROM domain_events"
	    " WHERE aggregate = 'warranty_claim') || ' ' || (SELECT count(*) FROM service_contracts)"
	    " || ' ' || (SELECT count(*) FROM warranty_registrations g WHERE NOT EXISTS"
	    " (SELECT 1 FROM warranty_coverage v WHERE v.registration_id = g.id))";
	const char *first, *second;

	ck_assert_int_eq(th_sh("CSDESK_DB='%s' '%s/csdesk' demo >/dev/null", conninfo,
	    th_build_dir()), 0);
	first = val("%s", q);
	ck_assert_int_eq(th_sh("CSDESK_DB='%s' '%s/csdesk' demo >/dev/null", conninfo,
	    th_build_dir()), 0);
	second = val("%s", q);
	ck_assert_str_eq(first, second);
	ck_assert_msg(strncmp(first, "7 ", 2) == 0, "%s", first);
	ck_assert_msg(strcmp(first + strlen(first) - 2, " 0") == 0, "%s", first);
	ck_assert_str_eq(val("SELECT replacement_id IS NOT NULL FROM warranty_claims"
	    " WHERE state = 'fulfilled' AND problem = 'Hub does not power on.'"), "t");
}
END_TEST

/* gen: registrations with their coverage stored, claims in every state. */
START_TEST(gen_makes_registrations_with_coverage_and_claims_in_every_state)
{
	const char *before = val("SELECT count(*) FROM warranty_registrations");

	ck_assert_int_eq(th_sh("CSDESK_DB='%s' '%s/csdesk' gen --registrations 3000 --claims 400"
	    " >/dev/null 2>&1", conninfo, th_build_dir()), 0);
	ck_assert_int_eq(atoll(val("SELECT count(*) FROM warranty_registrations")) -
	    atoll(before), 3000);
	ck_assert_str_eq(val("SELECT count(*) FROM warranty_registrations g WHERE NOT EXISTS"
	    " (SELECT 1 FROM warranty_coverage v WHERE v.registration_id = g.id)"), "0");
	ck_assert_str_eq(val("SELECT count(DISTINCT state) FROM warranty_claims"
	    " WHERE problem IN ('Does not power on', 'Makes a grinding noise', 'Leaks water',"
	    " 'Display flickers', 'Stops after a few minutes')"), "7");
	/* Spread: some covered in full, some for parts only, some for nothing. */
	ck_assert_str_eq(val("SELECT count(DISTINCT (parts_on, labour_on)) >= 3 FROM"
	    " warranty_coverage"), "t");
}
END_TEST

Suite *warranty_data_suite(void);

Suite *
warranty_data_suite(void)
{
	Suite *s = suite_create("warranty_data");
	TCase *tc = tcase_create("warranty_data");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, the_catalogue_refuses_bad_terms_and_pictures);
	tcase_add_test(tc, the_demo_shows_every_state);
	tcase_add_test(tc, gen_makes_registrations_with_coverage_and_claims_in_every_state);
	suite_add_tcase(s, tc);
	return s;
}
