/* Unit tests: the router, the configuration parser and CSRF tokens. */
#include "auth/csrf.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/router.h"

#include <check.h>
#include <string.h>

static int h_home(struct app *a, struct req *r, struct resp *w) { (void)a; (void)r; (void)w; return 0; }
static int h_ticket(struct app *a, struct req *r, struct resp *w) { (void)a; (void)r; (void)w; return 1; }
static int h_reply(struct app *a, struct req *r, struct resp *w) { (void)a; (void)r; (void)w; return 2; }
static int h_file(struct app *a, struct req *r, struct resp *w) { (void)a; (void)r; (void)w; return 3; }

static const struct route routes[] = {
	{ HTTP_GET, "/", h_home, ACCESS_PUBLIC, 0 },
	{ HTTP_GET, "/tickets/{number}", h_ticket, ACCESS_CUSTOMER, 0 },
	{ HTTP_POST, "/tickets/{number}/replies", h_reply, ACCESS_CUSTOMER, 0 },
	{ HTTP_GET, "/tickets/{number}/attachments/{id}", h_file, ACCESS_CUSTOMER, 0 },
	{ HTTP_POST, "/tickets/{number}", h_reply, ACCESS_CUSTOMER, 0 },
	{ HTTP_GET, "/agent/", h_home, ACCESS_STAFF, 0 },
};
#define NROUTES (sizeof(routes) / sizeof(routes[0]))

static struct arena *a;

static void
setup(void)
{
	a = arena_new(4096);
}

static void
teardown(void)
{
	arena_free(a);
}

static enum route_result
try(enum http_method m, const char *path, const struct route **rt, struct req *r, struct buf *allow)
{
	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->method = m;
	r->path = path;
	buf_init(allow, a);
	return router_match(routes, NROUTES, r, rt, allow);
}

START_TEST(matches_literal_and_params)
{
	const struct route *rt;
	struct req r;
	struct buf allow;

	ck_assert_int_eq(try(HTTP_GET, "/", &rt, &r, &allow), ROUTE_FOUND);
	ck_assert(rt->handler == h_home);
	ck_assert_int_eq(try(HTTP_GET, "/tickets/TKT-000123", &rt, &r, &allow), ROUTE_FOUND);
	ck_assert(rt->handler == h_ticket);
	ck_assert_str_eq(req_param(&r, "number"), "TKT-000123");
	ck_assert_int_eq(try(HTTP_GET, "/tickets/TKT-1/attachments/42", &rt, &r, &allow), ROUTE_FOUND);
	ck_assert_str_eq(req_param(&r, "number"), "TKT-1");
	ck_assert_str_eq(req_param(&r, "id"), "42");
	ck_assert_ptr_null(req_param(&r, "other"));
	ck_assert_int_eq(try(HTTP_POST, "/tickets/T%2F1/replies", &rt, &r, &allow), ROUTE_FOUND);
	ck_assert_str_eq(req_param(&r, "number"), "T/1");
	/* HEAD is served by GET routes. */
	ck_assert_int_eq(try(HTTP_HEAD, "/agent/", &rt, &r, &allow), ROUTE_FOUND);
}
END_TEST

START_TEST(unknown_paths_are_not_found)
{
	static const char *const paths[] = {
		"/tickets", "/tickets/", "/tickets//replies", "/agent", "//", "/x",
		"/tickets/1/attachments/", "/tickets/1/attachments/2/3", "",
	};
	const struct route *rt;
	struct req r;
	struct buf allow;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		ck_assert_msg(try(HTTP_GET, paths[i], &rt, &r, &allow) == ROUTE_NOT_FOUND,
		    "%s matched", paths[i]);
}
END_TEST

START_TEST(wrong_method_lists_allowed)
{
	const struct route *rt;
	struct req r;
	struct buf allow;

	ck_assert_int_eq(try(HTTP_DELETE, "/tickets/1", &rt, &r, &allow), ROUTE_BAD_METHOD);
	ck_assert_str_eq(allow.buf, "GET, HEAD, POST");
	ck_assert_int_eq(try(HTTP_POST, "/", &rt, &r, &allow), ROUTE_BAD_METHOD);
	ck_assert_str_eq(allow.buf, "GET, HEAD");
}
END_TEST

START_TEST(bad_parameters_are_refused)
{
	const struct route *rt;
	struct req r;
	struct buf allow;
	char longp[700] = "/tickets/";

	ck_assert_int_eq(try(HTTP_GET, "/tickets/%zz", &rt, &r, &allow), ROUTE_BAD_PATH);
	ck_assert_int_eq(try(HTTP_GET, "/tickets/%00", &rt, &r, &allow), ROUTE_BAD_PATH);
	memset(longp + 9, 'x', 600);
	ck_assert_int_eq(try(HTTP_GET, longp, &rt, &r, &allow), ROUTE_BAD_PATH);
}
END_TEST

START_TEST(table_check_is_default_deny)
{
	static const struct route undeclared[] = {
		{ HTTP_GET, "/", h_home, ACCESS_UNSET, 0 },
	};
	static const struct route bad_pattern[] = {
		{ HTTP_GET, "/a/{x", h_home, ACCESS_PUBLIC, 0 },
	};
	static const struct route no_slash[] = {
		{ HTTP_GET, "a", h_home, ACCESS_PUBLIC, 0 },
	};

	ck_assert_int_eq(router_check(routes, NROUTES), 0);
	ck_assert_int_eq(router_check(undeclared, 1), -1);
	ck_assert_int_eq(router_check(bad_pattern, 1), -1);
	ck_assert_int_eq(router_check(no_slash, 1), -1);
}
END_TEST

START_TEST(config_numbers)
{
	static const struct {
		const char *s;
		int ok;
		long long v;
	} cases[] = {
		{ "0", 1, 0 }, { "42", 1, 42 }, { "100", 1, 100 }, { "101", 0, 0 },
		{ "-1", 0, 0 }, { "", 0, 0 }, { "4x", 0, 0 }, { " 4", 1, 4 },
		{ "99999999999999999999", 0, 0 }, { "0x10", 0, 0 },
	};
	size_t i;
	long long v;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = config_parse_long(cases[i].s, 0, 100, &v);

		ck_assert_msg((rc == 0) == cases[i].ok, "case '%s'", cases[i].s);
		if (cases[i].ok)
			ck_assert_int_eq(v, cases[i].v);
	}
	ck_assert_int_eq(config_parse_long(NULL, 0, 1, &v), -1);
}
END_TEST

START_TEST(config_ids)
{
	static const struct {
		const char *s;
		long long id;
	} cases[] = {
		{ "1", 1 }, { "42", 42 }, { "4611686018427387904", 1LL << 62 },
		{ "4611686018427387905", 0 }, { "0", 0 }, { "-1", 0 }, { "+1", 0 }, { " 1", 0 },
		{ "1 ", 0 }, { "", 0 }, { "x", 0 }, { "0x10", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(config_parse_id(cases[i].s) == cases[i].id, "case '%s'", cases[i].s);
	ck_assert_int_eq(config_parse_id(NULL), 0);
}
END_TEST

START_TEST(csrf_tokens)
{
	struct arena *ar = arena_new(1024);
	char *t1 = csrf_new(ar), *t2 = csrf_new(ar);
	char altered[CSRF_TOKEN_LEN + 1];

	ck_assert_uint_eq(strlen(t1), CSRF_TOKEN_LEN);
	ck_assert(csrf_well_formed(t1));
	ck_assert_str_ne(t1, t2);
	ck_assert(csrf_equal(t1, t1));
	ck_assert(!csrf_equal(t1, t2));
	ck_assert(!csrf_equal(t1, NULL));
	ck_assert(!csrf_equal(NULL, NULL));
	ck_assert(!csrf_equal("", ""));
	memcpy(altered, t1, sizeof(altered));
	altered[5] = altered[5] == 'a' ? 'b' : 'a';
	ck_assert(!csrf_equal(t1, altered));
	altered[5] = '<';
	ck_assert(!csrf_well_formed(altered));
	arena_free(ar);
}
END_TEST

Suite *router_suite(void);
Suite *config_suite(void);
Suite *csrf_suite(void);

Suite *
router_suite(void)
{
	Suite *s = suite_create("router");
	TCase *tc = tcase_create("router");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, matches_literal_and_params);
	tcase_add_test(tc, unknown_paths_are_not_found);
	tcase_add_test(tc, wrong_method_lists_allowed);
	tcase_add_test(tc, bad_parameters_are_refused);
	tcase_add_test(tc, table_check_is_default_deny);
	suite_add_tcase(s, tc);
	return s;
}

Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, config_numbers);
	tcase_add_test(tc, config_ids);
	suite_add_tcase(s, tc);
	return s;
}

Suite *
csrf_suite(void)
{
	Suite *s = suite_create("csrf");
	TCase *tc = tcase_create("csrf");

	tcase_add_test(tc, csrf_tokens);
	suite_add_tcase(s, tc);
	return s;
}
