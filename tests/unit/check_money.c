/* check_money.c — the amount rule every form with a price or rate uses. */
#include "core/money.h"

#include <check.h>

START_TEST(amounts_people_type_are_taken)
{
	ck_assert(money_ok("0", 100));
	ck_assert(money_ok("150", 1000));
	ck_assert(money_ok("12.5", 100));
	ck_assert(money_ok("12.50", 100));
	ck_assert(money_ok("1000000", 1000000));
	ck_assert(money_ok("1000000.00", 1000000));
}
END_TEST

START_TEST(anything_else_is_refused)
{
	static const char *const bad[] = { "", "-1", "+1", "1,50", " 1", "1 ", "1.", ".5",
		"1.505", "1e3", "0x10", "12.5a", "1234567890", "abc" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!money_ok(bad[i], 1e12), "\"%s\" taken", bad[i]);
	ck_assert(!money_ok(NULL, 100));
}
END_TEST

START_TEST(the_maximum_is_inclusive)
{
	ck_assert(money_ok("100.00", 100));
	ck_assert(!money_ok("100.01", 100));
	ck_assert(!money_ok("1000001", 1000000));
}
END_TEST

Suite *money_suite(void);

Suite *
money_suite(void)
{
	Suite *s = suite_create("money");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, amounts_people_type_are_taken);
	tcase_add_test(tc, anything_else_is_refused);
	tcase_add_test(tc, the_maximum_is_inclusive);
	suite_add_tcase(s, tc);
	return s;
}
