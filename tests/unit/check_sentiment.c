/*
 * Unit tests: survey comments classified with the AFINN-165 list
 * (domain/sentiment): words and phrases, case, curly apostrophes, a
 * negation turning a word round, and text with nothing rated.
 */
#include "domain/sentiment.h"

#include <check.h>

static const struct {
	const char *text;
	enum sentiment want;
} cases[] = {
	{ "Great help, thank you!", SENTIMENT_POSITIVE },
	{ "The agent was rude and the kettle is still broken.", SENTIMENT_NEGATIVE },
	{ "TERRIBLE service", SENTIMENT_NEGATIVE },
	{ "It is not good.", SENTIMENT_NEGATIVE },		/* negation */
	{ "I don’t like waiting.", SENTIMENT_NEGATIVE },	/* a phrase, curly apostrophe */
	{ "Never a problem with you", SENTIMENT_POSITIVE },	/* a negated negative */
	{ "The parcel came on Tuesday.", SENTIMENT_NEUTRAL },
	{ "", SENTIMENT_NEUTRAL },
	{ NULL, SENTIMENT_NEUTRAL },
	{ "!!! ??? ---", SENTIMENT_NEUTRAL },
	{ "naïve", SENTIMENT_NEGATIVE },			/* a word with a non-ASCII letter */
};

START_TEST(comments_are_classified)
{
	ck_assert_msg(sentiment_of(cases[_i].text) == cases[_i].want, "case %d: %s (score %d)",
	    _i, cases[_i].text ? cases[_i].text : "(null)", sentiment_score(cases[_i].text));
}
END_TEST

START_TEST(names_are_the_columns_values)
{
	ck_assert_str_eq(sentiment_name(SENTIMENT_POSITIVE), "positive");
	ck_assert_str_eq(sentiment_name(SENTIMENT_NEUTRAL), "neutral");
	ck_assert_str_eq(sentiment_name(SENTIMENT_NEGATIVE), "negative");
}
END_TEST

START_TEST(scores_add_up)
{
	/* good +3, bad −3: even; "very good" alone is +3 (no entry for "very"). */
	ck_assert_int_eq(sentiment_score("good but bad"), 0);
	ck_assert_int_eq(sentiment_score("very good"), 3);
	ck_assert_int_eq(sentiment_score("not not"), 0);
}
END_TEST

Suite *sentiment_suite(void);

Suite *
sentiment_suite(void)
{
	Suite *s = suite_create("sentiment");
	TCase *tc = tcase_create("sentiment");

	tcase_add_loop_test(tc, comments_are_classified, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, names_are_the_columns_values);
	tcase_add_test(tc, scores_add_up);
	suite_add_tcase(s, tc);
	return s;
}
