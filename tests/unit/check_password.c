/* Unit tests: password rules, Argon2id hashing and verification. */
#include "auth/password.h"

#include <check.h>
#include <string.h>

START_TEST(weak_passwords_are_refused)
{
	static const struct {
		const char *pw;
		int ok;
	} cases[] = {
		{ "short", 0 },
		{ "elevenchars", 0 },
		{ "password123456", 0 },		/* common */
		{ "aaaaaaaaaaaaaaaa", 0 },		/* too simple */
		{ "ann.smith@acme.test", 0 },		/* the e-mail */
		{ "annsmith-rocks-2026", 0 },		/* built from the name */
		{ "blue kettle marathon 42", 1 },
		{ "Tr0ub4dor&3-zebra", 1 },
		{ "ünïcödé päss wörd ✓", 1 },
	};
	char longpw[200];
	size_t i;

	ck_assert_int_ge(sodium_init(), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = password_weakness(cases[i].pw, "ann.smith@acme.test", "Ann Smith");

		ck_assert_msg((why == NULL) == cases[i].ok, "'%s': %s", cases[i].pw,
		    why ? why : "accepted");
	}
	memset(longpw, 'x', sizeof(longpw) - 1);
	longpw[sizeof(longpw) - 1] = '\0';
	ck_assert_ptr_nonnull(password_weakness(longpw, NULL, NULL));
	ck_assert_ptr_nonnull(password_weakness("\xff\xfe invalid utf8 here", NULL, NULL));
}
END_TEST

START_TEST(hash_is_argon2id_and_verifies)
{
	char h[PASSWORD_HASH_MAX];
	int rehash = 1;

	ck_assert_int_ge(sodium_init(), 0);
	ck_assert_int_eq(password_hash("blue kettle marathon 42", h), 0);
	ck_assert_int_eq(strncmp(h, "$argon2id$", 10), 0);
	ck_assert_int_eq(password_verify(h, "blue kettle marathon 42", &rehash), 1);
	ck_assert_int_eq(rehash, 0);
	ck_assert_int_eq(password_verify(h, "blue kettle marathon 43", NULL), 0);
	ck_assert_int_eq(password_verify(h, NULL, NULL), 0);
	/* No account: still a verification, still no. */
	ck_assert_int_eq(password_init(), 0);
	ck_assert_int_eq(password_verify(NULL, "anything at all", &rehash), 0);
	ck_assert_int_eq(password_verify("not a hash", "anything at all", NULL), 0);
}
END_TEST

START_TEST(old_parameters_ask_for_rehash)
{
	char h[PASSWORD_HASH_MAX];
	int rehash = 0;

	ck_assert_int_ge(sodium_init(), 0);
	ck_assert_int_eq(crypto_pwhash_str(h, "blue kettle marathon 42", 23,
	    crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN), 0);
	ck_assert_int_eq(password_verify(h, "blue kettle marathon 42", &rehash), 1);
	ck_assert_int_eq(rehash, 1);
}
END_TEST

Suite *password_suite(void);

Suite *
password_suite(void)
{
	Suite *s = suite_create("password");
	TCase *tc = tcase_create("password");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, weak_passwords_are_refused);
	tcase_add_test(tc, hash_is_argon2id_and_verifies);
	tcase_add_test(tc, old_parameters_ask_for_rehash);
	suite_add_tcase(s, tc);
	return s;
}
