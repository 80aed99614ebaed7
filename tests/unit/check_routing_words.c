/*
 * The words of a routing rule as typed in the admin form
 * (domain/routing_words.h): tags made canonical or refused, language
 * codes accepted or refused.
 */
#include "core/arena.h"
#include "domain/routing_words.h"

#include <check.h>
#include <string.h>

static const struct {
	const char *in, *out;	/* out NULL: refused */
} tags[] = {
	{ "", "" },
	{ " , ,", "" },
	{ "vip", "vip" },
	{ "VIP, Returns ,,x", "vip,returns,x" },
	{ "  spare_part-7 ", "spare_part-7" },
	{ "two words", NULL },
	{ "café", NULL },
	{ "a;b", NULL },
	{ "a,b,c,d,e,f,g,h,i,j", "a,b,c,d,e,f,g,h,i,j" },
	{ "a,b,c,d,e,f,g,h,i,j,k", NULL },
	{ "0123456789012345678901234567890123456789", "0123456789012345678901234567890123456789" },
	{ "01234567890123456789012345678901234567890", NULL },
};

START_TEST(tags_are_made_canonical_or_refused)
{
	struct arena *a = arena_new(1024);
	size_t i;

	ck_assert_ptr_nonnull(a);
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		const char *got = routing_words_tags(a, tags[i].in);

		if (tags[i].out == NULL) {
			ck_assert_msg(got == NULL, "\"%s\" gave \"%s\"", tags[i].in, got);
			continue;
		}
		ck_assert_msg(got != NULL, "\"%s\" refused", tags[i].in);
		ck_assert_str_eq(got, tags[i].out);
		/* Its own canonical form. */
		ck_assert_str_eq(routing_words_tags(a, got), got);
	}
	arena_free(a);
}
END_TEST

START_TEST(languages)
{
	static const char *const good[] = { "en", "de", "en-GB", "pt-BR" };
	static const char *const bad[] = { "", "e", "EN", "eng", "en-gb", "en_GB", "en-GBR",
		"english", "e1" };
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(routing_words_language(good[i]), "%s refused", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!routing_words_language(bad[i]), "%s accepted", bad[i]);
}
END_TEST

Suite *routing_words_suite(void);

Suite *
routing_words_suite(void)
{
	Suite *s = suite_create("routing_words");
	TCase *tc = tcase_create("routing_words");

	tcase_add_test(tc, tags_are_made_canonical_or_refused);
	tcase_add_test(tc, languages);
	suite_add_tcase(s, tc);
	return s;
}
