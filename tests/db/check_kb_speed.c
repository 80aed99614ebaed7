/*
 * KB search as the portal runs it at scale, read through the portal's
 * role: a search page, corrections and retries included, is one round
 * trip; the category list the search page shows is kept by the worker and
 * follows a change; a common word's newest matches are ranked (a bounded
 * set, more set) while a rare word is still found wherever it stands; the
 * snippet marks every form of a query word.
 */
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/kb.h"
#include "domain/kb_query.h"
#include "domain/kb_search.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo, *as_portal;
static struct db owner, portal;
static struct arena *arena;

/*
 * 300 articles: the oldest mentions a sprocket, every one a gadget, and
 * every tenth is about resetting a router; one is only for staff.
 */
static const char fixture[] =
    "INSERT INTO kb_categories (slug, name) VALUES ('devices', 'Devices');"
    "INSERT INTO kb_articles (slug, category_id, type, status, visibility, title, body)"
    " SELECT 'gadget-' || i, c.id, 'howto', 'published', 'public', 'Note ' || i,"
    " CASE WHEN i = 1 THEN 'A sprocket and a gadget.'"
    " WHEN i % 10 = 0 THEN 'Resetting the router resets the gadget.'"
    " ELSE 'The gadget number ' || i || '.' END"
    " FROM generate_series(1, 300) i, kb_categories c WHERE c.slug = 'devices';"
    "INSERT INTO kb_articles (slug, category_id, type, status, visibility, title, body)"
    " SELECT 'vault', id, 'faq', 'published', 'internal', 'Vault', 'The sprocket vault.'"
    " FROM kb_categories WHERE slug = 'devices';";

static void
suite_setup(void)
{
	struct db d;

	conninfo = th_db_create("kb_speed");
	as_portal = th_db_as(conninfo, "csdesk_portal");
	ck_assert_int_eq(db_open(&d, conninfo, "check_kb_speed_setup"), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(as_portal);
	free(conninfo);
}

static void
setup(void)
{
	ck_assert_int_eq(db_open(&owner, conninfo, "check_kb_speed"), 0);
	ck_assert_int_eq(db_open(&portal, as_portal, "check_kb_speed_portal"), 0);
	arena = arena_new(1 << 16);
}

static void
teardown(void)
{
	arena_free(arena);
	db_close(&portal);
	db_close(&owner);
}

static struct kb_results
search(const char *q)
{
	struct kb_search s = { 0 };
	struct kb_results res;

	s.q = kb_query_normalise(arena, q);
	s.aud = KB_VISITOR;
	s.limit = 10;
	ck_assert_int_eq(kb_search_run(&portal, arena, &s, &res), CS_OK);
	return res;
}

/* The round trips a search costs, its results in *res. */
static unsigned long
trips(const char *q, struct kb_results *res)
{
	unsigned long t0 = portal.round_trips;

	*res = search(q);
	return portal.round_trips - t0;
}

START_TEST(a_search_page_is_one_round_trip)
{
	struct kb_results res = search("gadget");	/* the word list is read once */

	ck_assert_int_eq((int)trips("gadget", &res), 1);
	/* Corrected: "sprocket" for "sprokcet", tried again inside the statement. */
	ck_assert_int_eq((int)trips("sprokcet", &res), 1);
	ck_assert_ptr_nonnull(res.corrected);
	ck_assert_str_eq(res.corrected, "sprocket");
	ck_assert_int_eq((int)res.n, 1);
	/* No article has both words: any of them, still one trip. */
	ck_assert_int_eq((int)trips("sprocket vaccum", &res), 1);
	ck_assert(res.any_word);
	ck_assert_int_eq((int)res.n, 1);
}
END_TEST

START_TEST(the_category_list_follows_a_change)
{
	struct kb_results res = search("gadget");
	struct kb_category *cats;
	size_t n;
	unsigned long t0;
	long long first = res.categories_version;

	ck_assert(first > 0);
	ck_assert_int_eq(kb_categories_kept(&portal, arena, first, &cats, &n), CS_OK);
	ck_assert_int_eq((int)n, 1);
	/* Kept: the same version reads nothing. */
	t0 = portal.round_trips;
	ck_assert_int_eq(kb_categories_kept(&portal, arena, first, &cats, &n), CS_OK);
	ck_assert_int_eq((int)(portal.round_trips - t0), 0);
	ck_assert_str_eq(cats[0].name, "Devices");
	free(th_value(&owner, "INSERT INTO kb_categories (slug, name) VALUES ('billing', 'Billing')"));
	res = search("gadget");
	ck_assert(res.categories_version != first);
	ck_assert_int_eq(kb_categories_kept(&portal, arena, res.categories_version, &cats, &n),
	    CS_OK);
	ck_assert_int_eq((int)n, 2);
	ck_assert_str_eq(cats[0].name, "Billing");
	free(th_value(&owner, "DELETE FROM kb_categories WHERE slug = 'billing'"));
}
END_TEST

START_TEST(common_words_rank_the_newest_rare_ones_are_found)
{
	struct kb_results res = search("gadget");

	/* Every article matches: a bounded set of the newest is ranked. */
	ck_assert_int_eq((int)res.n, 10);
	ck_assert(res.more);
	ck_assert_int_eq((int)res.total, 30);
	ck_assert_int_eq(strncmp(res.rows[0].slug, "gadget-", 7), 0);
	ck_assert(atoi(res.rows[0].slug + 7) > 270);
	/* Both words in one article of ten: the walk goes further. */
	res = search("reset router");
	ck_assert_int_eq((int)res.n, 10);
	ck_assert_int_eq((int)res.total, 30);
	ck_assert(res.rows[0].slug[strlen(res.rows[0].slug) - 1] == '0');
	/* The oldest article, far past the newest: found through the index. */
	res = search("sprocket");
	ck_assert_int_eq((int)res.n, 1);
	ck_assert_int_eq((int)res.total, 1);
	ck_assert(!res.more);
	ck_assert_str_eq(res.rows[0].slug, "gadget-1");
}
END_TEST

START_TEST(the_snippet_marks_every_form_of_a_word)
{
	struct kb_results res = search("reset router");

	ck_assert_ptr_nonnull(strstr(res.rows[0].snippet, "<mark>Resetting</mark> the"
	    " <mark>router</mark> <mark>resets</mark> the gadget."));
	res = search("sprocket");
	ck_assert_str_eq(res.rows[0].snippet, "A <mark>sprocket</mark> and a gadget.");
}
END_TEST

Suite *kb_speed_suite(void);

Suite *
kb_speed_suite(void)
{
	Suite *s = suite_create("kb_speed");
	TCase *tc = tcase_create("kb_speed");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_search_page_is_one_round_trip);
	tcase_add_test(tc, the_category_list_follows_a_change);
	tcase_add_test(tc, common_words_rank_the_newest_rare_ones_are_found);
	tcase_add_test(tc, the_snippet_marks_every_form_of_a_word);
	suite_add_tcase(s, tc);
	return s;
}
