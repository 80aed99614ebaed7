/*
 * Named 400s: every console and portal page that reads its query answers
 * a mistyped value with a 400 page that names the parameter and links
 * back to the page without it (app_bad_query, src/web/render.c). The
 * test walks a table of such addresses as the people who may open them.
 */
#include "identity.h"
#include "../lib/fixtures.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct th_stack stack;
static char *db;
static struct fx_person boss, carla;

static void
setup(void)
{
	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("bad_query");
	fx_staff(db, "Bo Boss", "agent,supervisor,admin,warehouse", &boss);
	fx_customer(db, "Carla Contact", "Acme Customer", "standard", &carla);
	th_stack_start(&stack, db, 2, NULL);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

/* An address with a mistyped value, the parameter it names, where it links back. */
struct bad {
	const char *path, *param, *back;
};

static void
walk(struct jar *j, const struct bad *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct th_resp r = web_get(&stack, j, t[i].path);
		char want[256];

		ck_assert_msg(r.status == 400, "%s answered %ld, not 400", t[i].path, r.status);
		snprintf(want, sizeof(want), "The value of “%s” in the address", t[i].param);
		ck_assert_msg(r.body != NULL && strstr(r.body, want) != NULL,
		    "%s does not name %s", t[i].path, t[i].param);
		snprintf(want, sizeof(want), "href=\"%s\">Back to the list</a>", t[i].back);
		ck_assert_msg(strstr(r.body, want) != NULL, "%s does not link back to %s",
		    t[i].path, t[i].back);
		/* What was typed is not echoed as markup. */
		ck_assert_msg(strstr(r.body, "<x>") == NULL, "%s echoes the value", t[i].path);
		th_resp_free(&r);
	}
}

START_TEST(console_pages_name_the_parameter_and_link_back)
{
	static const struct bad pages[] = {
		{ "/agent/tickets?sort=updated", "sort", "/agent/tickets" },
		{ "/agent/tickets?queue=%3Cx%3E", "queue", "/agent/tickets" },
		{ "/agent/next?skip=%3Cx%3E", "skip", "/agent/tickets" },
		{ "/agent/prev?status=all", "after", "/agent/tickets" },
		{ "/agent/kb?category=two", "category", "/agent/kb" },
		{ "/agent/kb?page=-1", "page", "/agent/kb" },
		{ "/agent/kb/insight?days=lots", "days", "/agent/kb/insight" },
		{ "/agent/claims?after=x", "after", "/agent/claims" },
		{ "/agent/returns?before=x", "before", "/agent/returns" },
		{ "/agent/qa?before=x", "before", "/agent/qa" },
		{ "/agent/qa/mine?before=x", "before", "/agent/qa/mine" },
		{ "/agent/surveys/follow-ups?before=x", "before", "/agent/surveys/follow-ups" },
		{ "/agent/admin/surveys/skips?before=x", "before", "/agent/admin/surveys/skips" },
		{ "/agent/admin/staff?after=x", "after", "/agent/admin/staff" },
		{ "/agent/admin/customers?before=x", "before", "/agent/admin/customers" },
		{ "/agent/admin/audit?before=x", "before", "/agent/admin/audit" },
		{ "/agent/admin/mail-log?before=x", "before", "/agent/admin/mail-log" },
		{ "/agent/reports/warranty?product=x", "product", "/agent/reports/warranty" },
		{ "/agent/reports/warranty?days=999", "days", "/agent/reports/warranty" },
		{ "/agent/analytics/export?format=doc", "format", "/agent/analytics/export" },
	};
	struct jar j = { 0 };
	char path[128], back[64];
	struct bad one;

	web_staff_sign_in(&stack, &j, boss.email, FX_PASSWORD);
	walk(&j, pages, sizeof(pages) / sizeof(pages[0]));
	/* A customer's page in the console, by its id. */
	snprintf(path, sizeof(path), "/agent/customers/%lld/products?after=x", carla.customer_id);
	snprintf(back, sizeof(back), "/agent/customers/%lld/products", carla.customer_id);
	one.path = path;
	one.param = "after";
	one.back = back;
	walk(&j, &one, 1);
	/* The ticket page's canned response, by its id. */
	{
		struct fx_ticket t;

		fx_ticket(db, &carla, "Canned by id", &t);
		snprintf(path, sizeof(path), "/agent/tickets/%s?canned=%%3Cx%%3E", t.number);
		snprintf(back, sizeof(back), "/agent/tickets/%s", t.number);
		one.param = "canned";
		walk(&j, &one, 1);
	}
}
END_TEST

START_TEST(portal_pages_name_the_parameter_and_link_back)
{
	static const struct bad pages[] = {
		{ "/tickets?before=x", "before", "/tickets" },
		{ "/returns?before=x", "before", "/returns" },
		{ "/products?after=x", "after", "/products" },
		{ "/kb/search?q=printer&category=x", "category", "/kb/search" },
		{ "/kb/search?q=printer&page=x", "page", "/kb/search" },
	};
	struct jar j = { 0 };
	struct th_resp r;
	char body[256];

	snprintf(body, sizeof(body), "email=%s&" FX_PASSWORD_FORM, carla.email);
	r = web_post(&stack, &j, "/login", "/login", body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	walk(&j, pages, sizeof(pages) / sizeof(pages[0]));
}
END_TEST

Suite *http_bad_query_suite(void);

Suite *
http_bad_query_suite(void)
{
	Suite *s = suite_create("http_bad_query");
	TCase *tc = tcase_create("named");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, console_pages_name_the_parameter_and_link_back);
	tcase_add_test(tc, portal_pages_name_the_parameter_and_link_back);
	suite_add_tcase(s, tc);
	return s;
}
