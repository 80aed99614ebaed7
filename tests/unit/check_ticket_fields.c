/*
 * Tags as agents type them on the ticket page (ticket_tags_parse):
 * what is stored, and what is refused.
 */
#include "core/arena.h"
#include "domain/ticket_fields.h"

#include <check.h>
#include <string.h>

static const struct {
	const char *typed;
	const char *stored;	/* the array literal, or NULL: refused */
} cases[] = {
	{ "Printer, warranty printer", "{\"printer\",\"warranty\"}" },
	{ "", "{}" },
	{ " , ,", "{}" },
	{ "null", "{\"null\"}" },
	{ "b-2 a_1\tc", "{\"a_1\",\"b-2\",\"c\"}" },
	{ "no spaces?!", NULL },
	{ "\"quoted\"", NULL },
	{ "back\\slash", NULL },
	{ "ünïcode", NULL },
	/* 40 characters are a tag, 41 are not. */
	{ "abcdefghijklmnopqrstuvwxyzabcdefghijklmn",
	    "{\"abcdefghijklmnopqrstuvwxyzabcdefghijklmn\"}" },
	{ "abcdefghijklmnopqrstuvwxyzabcdefghijklmno", NULL },
	{ "t1 t2 t3 t4 t5 t6 t7 t8 t9 t10 t11 t12 t13 t14 t15 t16 t17 t18 t19 t20", "" },
	{ "t1 t2 t3 t4 t5 t6 t7 t8 t9 t10 t11 t12 t13 t14 t15 t16 t17 t18 t19 t20 t21", NULL },
};

START_TEST(tags)
{
	struct arena *a = arena_new(1024);
	const char *got;
	int oom;

	ck_assert_ptr_nonnull(a);
	got = ticket_tags_parse(a, cases[_i].typed, &oom);
	ck_assert_int_eq(oom, 0);
	if (cases[_i].stored == NULL)
		ck_assert_msg(got == NULL, "\"%s\" was taken as %s", cases[_i].typed, got);
	else if (*cases[_i].stored == '\0')
		ck_assert_msg(got != NULL, "\"%s\" was refused", cases[_i].typed);
	else
		ck_assert_msg(got != NULL && strcmp(got, cases[_i].stored) == 0,
		    "\"%s\": got %s, want %s", cases[_i].typed, got ? got : "NULL",
		    cases[_i].stored);
	arena_free(a);
}
END_TEST

Suite *ticket_fields_suite(void);

Suite *
ticket_fields_suite(void)
{
	Suite *s = suite_create("ticket_fields");
	TCase *tc = tcase_create("ticket_fields");

	tcase_add_loop_test(tc, tags, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	suite_add_tcase(s, tc);
	return s;
}
