/* Unit tests: TOTP codes, base32, key URIs, recovery codes and QR SVG. */
#include "auth/qr.h"
#include "auth/totp.h"
#include "core/arena.h"
#include "core/mem.h"

#include <check.h>
#include <liboath/oath.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* The SHA1 key of RFC 6238 appendix B. */
static const unsigned char rfc_secret[] = "12345678901234567890";
#define RFC_LEN (sizeof(rfc_secret) - 1)

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

START_TEST(rfc6238_vectors)
{
	/* Appendix B's 8-digit codes, keeping the last six digits. */
	static const struct {
		long long t;
		const char *code;
	} v[] = {
		{ 59, "287082" },
		{ 1111111109, "081804" },
		{ 1111111111, "050471" },
		{ 1234567890, "005924" },
		{ 2000000000, "279037" },
		{ 20000000000LL, "353130" },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		long long m = -1;

		if (v[i].t > 2147483647LL && sizeof(time_t) < 8)
			continue;
		ck_assert_msg(totp_verify(rfc_secret, RFC_LEN, v[i].code, (time_t)v[i].t, -1, &m) == 1,
		    "T=%lld", v[i].t);
		ck_assert_int_eq(m, v[i].t / TOTP_STEP);
		/* matched_step may be NULL. */
		ck_assert_int_eq(totp_verify(rfc_secret, RFC_LEN, v[i].code, (time_t)v[i].t, -1, NULL), 1);
	}
	/* Spaces are ignored. */
	ck_assert_int_eq(totp_verify(rfc_secret, RFC_LEN, "287 082", 59, -1, NULL), 1);
	ck_assert_int_eq(totp_verify(rfc_secret, RFC_LEN, " 28 70 82 ", 59, -1, NULL), 1);
	/* A wrong code, and the right code for another secret. */
	ck_assert_int_eq(totp_verify(rfc_secret, RFC_LEN, "287083", 59, -1, NULL), 0);
	ck_assert_int_eq(totp_verify(rfc_secret, RFC_LEN - 1, "287082", 59, -1, NULL), 0);
}
END_TEST

START_TEST(window_is_one_step)
{
	/* T=1111111109 is in step 37037036, whose code is 081804. */
	static const struct {
		long long now;
		int ok;
	} v[] = {
		{ 1111111080, 1 },	/* first second of the step */
		{ 1111111109, 1 },	/* last second of the step */
		{ 1111111079, 1 },	/* step - 1: the clock is behind */
		{ 1111111050, 1 },
		{ 1111111139, 1 },	/* step + 1: the code was typed late */
		{ 1111111110, 1 },
		{ 1111111049, 0 },	/* step - 2 */
		{ 1111111020, 0 },
		{ 1111111140, 0 },	/* step + 2 */
		{ 1111111169, 0 },
		{ 1111114000, 0 },
	};
	const long long step = 37037036;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		long long m = -1;
		int ok = totp_verify(rfc_secret, RFC_LEN, "081804", (time_t)v[i].now, -1, &m);

		ck_assert_msg(ok == v[i].ok, "now=%lld: %d", v[i].now, ok);
		ck_assert_int_eq(m, ok ? step : -1);
	}
}
END_TEST

START_TEST(replay_is_refused)
{
	const long long step = 37037036;
	long long m = -1;

	/* The step already used, or an earlier one, is refused ... */
	ck_assert_int_eq(totp_verify(rfc_secret, RFC_LEN, "081804", 1111111109, step, &m), 0);
	ck_assert_int_eq(totp_verify(rfc_secret, RFC_LEN, "081804", 1111111109, step + 1, &m), 0);
	ck_assert_int_eq(totp_verify(rfc_secret, RFC_LEN, "081804", 1111111139, step, &m), 0);
	ck_assert_int_eq(m, -1);
	/* ... a later one is not. */
	ck_assert_int_eq(totp_verify(rfc_secret, RFC_LEN, "081804", 1111111109, step - 1, &m), 1);
	ck_assert_int_eq(m, step);
}
END_TEST

START_TEST(fresh_secret_round_trip)
{
	unsigned char secret[TOTP_SECRET_LEN], other[TOTP_SECRET_LEN];
	char code[TOTP_DIGITS + 1];
	const time_t now = 1700000000;
	long long m = -1, last;

	totp_secret_new(secret);
	totp_secret_new(other);
	ck_assert(memcmp(secret, other, TOTP_SECRET_LEN) != 0);
	ck_assert_int_eq(totp_init(), 0);
	ck_assert_int_eq(totp_init(), 0);
	ck_assert_int_eq(oath_totp_generate((const char *)secret, sizeof(secret), now, TOTP_STEP, 0,
	    TOTP_DIGITS, code), OATH_OK);
	ck_assert_int_eq(totp_verify(secret, sizeof(secret), code, now, -1, &m), 1);
	ck_assert_int_eq(m, now / TOTP_STEP);
	/* Stored as last_step, the same code cannot be used again. */
	last = m;
	ck_assert_int_eq(totp_verify(secret, sizeof(secret), code, now, last, &m), 0);
	ck_assert_int_eq(totp_verify(secret, sizeof(secret), code, now + TOTP_STEP, last, &m), 0);
	/* The next step's code still works. */
	ck_assert_int_eq(oath_totp_generate((const char *)secret, sizeof(secret), now + TOTP_STEP,
	    TOTP_STEP, 0, TOTP_DIGITS, code), OATH_OK);
	ck_assert_int_eq(totp_verify(secret, sizeof(secret), code, now + TOTP_STEP, last, &m), 1);
	ck_assert_int_eq(m, last + 1);
}
END_TEST

START_TEST(junk_codes_are_refused)
{
	static const char *const junk[] = {
		"", " ", "      ", "12345", "1234567", "12a456", "287082\n", "\t287082",
		"+287082", "-28708", "2870.82", "287082x", "28708\xef\xbc\x92", "0x4621a",
		"2 8 7 0 8 2 2", "                                  287082",
	};
	long long m = 77;
	size_t i;

	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
		ck_assert_msg(totp_verify(rfc_secret, RFC_LEN, junk[i], 59, -1, &m) == 0,
		    "accepted \"%s\"", junk[i]);
	ck_assert_int_eq(totp_verify(rfc_secret, RFC_LEN, NULL, 59, -1, &m), 0);
	ck_assert_int_eq(totp_verify(NULL, RFC_LEN, "287082", 59, -1, &m), 0);
	ck_assert_int_eq(totp_verify(rfc_secret, 0, "287082", 59, -1, &m), 0);
	ck_assert_int_eq(totp_verify(rfc_secret, RFC_LEN, "287082", -59, -1, &m), 0);
	ck_assert_int_eq(m, 77);
}
END_TEST

START_TEST(base32_vectors)
{
	/* RFC 4648 section 10, without the padding. */
	static const struct {
		const char *in, *out;
	} v[] = {
		{ "", "" },
		{ "f", "MY" },
		{ "fo", "MZXQ" },
		{ "foo", "MZXW6" },
		{ "foob", "MZXW6YQ" },
		{ "fooba", "MZXW6YTB" },
		{ "foobar", "MZXW6YTBOI" },
		{ "12345678901234567890", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" },
	};
	static const unsigned char ff[] = { 0xff, 0x00, 0xff, 0x00, 0x80 };
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		ck_assert_str_eq(totp_base32(a, (const unsigned char *)v[i].in, strlen(v[i].in)),
		    v[i].out);
	ck_assert_str_eq(totp_base32(a, ff, sizeof(ff)), "74AP6AEA");
	ck_assert_ptr_null(totp_base32(a, NULL, 1));
	ck_assert_ptr_null(totp_base32(NULL, ff, 1));
	ck_assert_str_eq(totp_base32(a, NULL, 0), "");
}
END_TEST

START_TEST(uri_is_escaped)
{
	ck_assert_str_eq(totp_uri(a, "ACME Support & Co: EU", "jane.doe+x@example.com",
	    rfc_secret, RFC_LEN),
	    "otpauth://totp/ACME%20Support%20%26%20Co%3A%20EU:jane.doe%2Bx%40example.com"
	    "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME%20Support%20%26%20Co%3A%20EU"
	    "&algorithm=SHA1&digits=6&period=30");
	ck_assert_str_eq(totp_uri(a, "csdesk", "a?b#c/d=e%f", rfc_secret, RFC_LEN),
	    "otpauth://totp/csdesk:a%3Fb%23c%2Fd%3De%25f"
	    "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=csdesk"
	    "&algorithm=SHA1&digits=6&period=30");
	/* UTF-8 is encoded byte by byte. */
	ck_assert_str_eq(totp_uri(a, "Caf\xc3\xa9", "z", rfc_secret, 1),
	    "otpauth://totp/Caf%C3%A9:z?secret=GE&issuer=Caf%C3%A9"
	    "&algorithm=SHA1&digits=6&period=30");
	ck_assert_str_eq(totp_uri(a, NULL, "x@y", rfc_secret, 1),
	    "otpauth://totp/x%40y?secret=GE&algorithm=SHA1&digits=6&period=30");
	ck_assert_str_eq(totp_uri(a, "", "x", rfc_secret, 1),
	    "otpauth://totp/x?secret=GE&algorithm=SHA1&digits=6&period=30");
	ck_assert_ptr_null(totp_uri(a, "i", NULL, rfc_secret, RFC_LEN));
	ck_assert_ptr_null(totp_uri(a, "i", "x", NULL, RFC_LEN));
	ck_assert_ptr_null(totp_uri(a, "i", "x", rfc_secret, 0));
	ck_assert_ptr_null(totp_uri(NULL, "i", "x", rfc_secret, RFC_LEN));
}
END_TEST

/* Non-zero when c has the shape "xxxx-xxxx-xxxx" in the recovery alphabet. */
static int
recovery_well_formed(const char *c)
{
	size_t i;

	if (strlen(c) != TOTP_RECOVERY_LEN)
		return 0;
	for (i = 0; i < TOTP_RECOVERY_LEN; i++) {
		if (i == 4 || i == 9) {
			if (c[i] != '-')
				return 0;
		} else if (strchr("23456789abcdefghijkmnpqrstuvwxyz", c[i]) == NULL || c[i] == '\0') {
			return 0;
		}
	}
	return 1;
}

START_TEST(recovery_codes_format_and_uniqueness)
{
	char *codes[TOTP_RECOVERY_COUNT], *prev[TOTP_RECOVERY_COUNT];
	char norm[TOTP_RECOVERY_CHARS + 1];
	int seen[256] = { 0 };
	size_t i, j, round, distinct = 0;

	for (round = 0; round < 20; round++) {
		ck_assert_int_eq(totp_recovery_codes(a, codes), 0);
		for (i = 0; i < TOTP_RECOVERY_COUNT; i++) {
			ck_assert_msg(recovery_well_formed(codes[i]), "bad code %s", codes[i]);
			for (j = 0; j < i; j++)
				ck_assert_str_ne(codes[i], codes[j]);
			if (round > 0)
				for (j = 0; j < TOTP_RECOVERY_COUNT; j++)
					ck_assert_str_ne(codes[i], prev[j]);
			for (j = 0; j < TOTP_RECOVERY_LEN; j++)
				seen[(unsigned char)codes[i][j]]++;
			/* Each code normalises to itself without the dashes. */
			ck_assert_int_eq(totp_recovery_normalise(codes[i], norm, sizeof(norm)), 0);
			ck_assert_int_eq(strlen(norm), TOTP_RECOVERY_CHARS);
			ck_assert(memcmp(norm, codes[i], 4) == 0 && memcmp(norm + 4, codes[i] + 5, 4) == 0 &&
			    memcmp(norm + 8, codes[i] + 10, 4) == 0);
		}
		memcpy(prev, codes, sizeof(codes));
	}
	/* 2400 random letters use (nearly) the whole 32-letter alphabet. */
	for (i = 0; i < 256; i++)
		distinct += i != '-' && seen[i] > 0;
	ck_assert_uint_ge(distinct, 30);
	ck_assert_int_eq(totp_recovery_codes(NULL, codes), -1);
}
END_TEST

START_TEST(recovery_normalise_and_hash)
{
	static const char *const same[] = {
		"k7q2-m9xp-4fzt", "K7Q2 M9XP-4FZT", "k7q2m9xp4fzt", " K7q2--m9Xp  4fZt ",
	};
	static const char *const junk[] = {
		"", "-", "k7q2-m9xp-4fz", "k7q2-m9xp-4fztx", "k7q2-m9xp-4fz0", "k7q2-m9xp-4fzl",
		"k7q2-m9xp-4fzo", "k7q2-m9xp-4fz1", "k7q2_m9xp_4fzt", "k7q2.m9xp.4fzt",
		"k7q2-m9xp-4fz\xc3\xa9", "k7q2-m9xp-4fzt\n", "k7q2\tm9xp 4fzt",
	};
	unsigned char h0[TOTP_RECOVERY_HASH_LEN], h[TOTP_RECOVERY_HASH_LEN];
	unsigned char hjunk[TOTP_RECOVERY_HASH_LEN];
	char norm[TOTP_RECOVERY_CHARS + 1];
	size_t i;

	totp_recovery_hash("k7q2-m9xp-4fzt", h0);
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		ck_assert_int_eq(totp_recovery_normalise(same[i], norm, sizeof(norm)), 0);
		ck_assert_str_eq(norm, "k7q2m9xp4fzt");
		totp_recovery_hash(same[i], h);
		ck_assert_msg(sodium_memcmp(h, h0, sizeof(h)) == 0, "hash of \"%s\" differs", same[i]);
	}
	/* The hash is BLAKE2b-256 of the canonical form. */
	crypto_generichash(h, sizeof(h), (const unsigned char *)"k7q2m9xp4fzt", 12, NULL, 0);
	ck_assert(sodium_memcmp(h, h0, sizeof(h)) == 0);
	totp_recovery_hash("k7q2-m9xp-4fzu", h);
	ck_assert(sodium_memcmp(h, h0, sizeof(h)) != 0);

	totp_recovery_hash(NULL, hjunk);
	ck_assert(sodium_memcmp(hjunk, h0, sizeof(h)) != 0);
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		strcpy(norm, "unchanged");
		ck_assert_msg(totp_recovery_normalise(junk[i], norm, sizeof(norm)) == -1,
		    "accepted \"%s\"", junk[i]);
		ck_assert_str_eq(norm, "");
		totp_recovery_hash(junk[i], h);
		ck_assert(sodium_memcmp(h, hjunk, sizeof(h)) == 0);
	}
	ck_assert_int_eq(totp_recovery_normalise(NULL, norm, sizeof(norm)), -1);
	ck_assert_int_eq(totp_recovery_normalise("k7q2-m9xp-4fzt", NULL, sizeof(norm)), -1);
	ck_assert_int_eq(totp_recovery_normalise("k7q2-m9xp-4fzt", norm, sizeof(norm) - 1), -1);
}
END_TEST

/* Occurrences of needle in s. */
static int
count(const char *s, const char *needle)
{
	int n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

START_TEST(qr_svg_markup)
{
	const char *uri = totp_uri(a, "csdesk", "jane@example.com", rfc_secret, RFC_LEN);
	char *svg = qr_svg(a, uri, "Scan <me> & \"enrol\" 'now'");
	int size = 0, size2 = 0, n = 0;

	ck_assert_ptr_nonnull(svg);
	ck_assert(strncmp(svg, "<svg", 4) == 0);
	ck_assert_int_eq(count(svg, "<path"), 1);
	ck_assert_int_eq(count(svg, "<svg"), 1);
	ck_assert_ptr_nonnull(strstr(svg, "role=\"img\""));
	ck_assert_ptr_nonnull(strstr(svg, "shape-rendering=\"crispEdges\""));
	ck_assert_ptr_nonnull(strstr(svg,
	    "<title>Scan &lt;me&gt; &amp; &quot;enrol&quot; &#39;now&#39;</title>"));
	ck_assert_ptr_null(strstr(svg, "<me>"));
	ck_assert_ptr_null(strstr(svg, "style="));
	ck_assert_ptr_nonnull(strstr(svg, "</svg>"));
	/* A symbol is 17 + 4 * version modules wide, plus the quiet zone. */
	ck_assert_int_eq(sscanf(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\"%n",
	    &size, &size2, &n), 2);
	ck_assert_int_eq(size, size2);
	ck_assert_int_eq((size - 8 - 17) % 4, 0);
	ck_assert_int_ge(size - 8, 21);
	/* The top-left finder pattern's first row is one run of 7 after the quiet zone. */
	ck_assert_ptr_nonnull(strstr(svg, "d=\"M4 4h7v1h-7z"));
	/* Nothing of the text itself appears in the markup. */
	ck_assert_ptr_null(strstr(svg, "example.com"));

	/* No title: a default one; controls and bad UTF-8 cannot break the XML. */
	ck_assert_ptr_nonnull(strstr(qr_svg(a, "x", NULL), "<title>QR code</title>"));
	ck_assert_ptr_nonnull(strstr(qr_svg(a, "x", "a\x01" "b\xff" "c\xc3\xa9"),
	    "<title>a b\xef\xbf\xbd" "c\xc3\xa9</title>"));
	ck_assert_ptr_nonnull(strstr(qr_svg(a, "x", "\xed\xa0\x80"),
	    "<title>\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd</title>"));
}
END_TEST

START_TEST(qr_svg_refuses)
{
	char big[3000];

	ck_assert_ptr_null(qr_svg(a, NULL, "t"));
	ck_assert_ptr_null(qr_svg(NULL, "x", "t"));
	ck_assert_ptr_null(qr_svg(a, "", "t"));
	/* More than version 40-M holds (2331 bytes). */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_ptr_null(qr_svg(a, big, "t"));
}
END_TEST

START_TEST(out_of_memory_gives_null)
{
	long k;
	int failed = 0, done = 0;

	/* Each call either works or returns NULL; the arena stays usable. */
	for (k = 0; k < 200 && !done; k++) {
		struct arena *b = arena_new(1024);
		char *codes[TOTP_RECOVERY_COUNT];
		char *svg, *uri, *b32;
		int rc;

		ck_assert_ptr_nonnull(b);
		mem_fail_after(k);
		b32 = totp_base32(b, rfc_secret, RFC_LEN);
		uri = totp_uri(b, "csdesk", "jane@example.com", rfc_secret, RFC_LEN);
		svg = qr_svg(b, "otpauth://totp/csdesk:jane?secret=GEZDGNBVGY3TQOJQ", "t");
		rc = totp_recovery_codes(b, codes);
		mem_fail_after(-1);
		if (b32 != NULL)
			ck_assert_str_eq(b32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
		if (uri != NULL)
			ck_assert(strncmp(uri, "otpauth://totp/csdesk:jane%40example.com?", 41) == 0);
		if (svg != NULL)
			ck_assert(strncmp(svg, "<svg", 4) == 0);
		if (b32 == NULL || uri == NULL || svg == NULL || rc != 0)
			failed++;
		else
			done = 1;
		arena_free(b);
	}
	ck_assert(done);
	ck_assert_int_gt(failed, 0);
}
END_TEST

Suite *totp_suite(void);

Suite *
totp_suite(void)
{
	Suite *s = suite_create("totp");
	TCase *tc = tcase_create("totp");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rfc6238_vectors);
	tcase_add_test(tc, window_is_one_step);
	tcase_add_test(tc, replay_is_refused);
	tcase_add_test(tc, fresh_secret_round_trip);
	tcase_add_test(tc, junk_codes_are_refused);
	tcase_add_test(tc, base32_vectors);
	tcase_add_test(tc, uri_is_escaped);
	tcase_add_test(tc, recovery_codes_format_and_uniqueness);
	tcase_add_test(tc, recovery_normalise_and_hash);
	tcase_add_test(tc, qr_svg_markup);
	tcase_add_test(tc, qr_svg_refuses);
	tcase_add_test(tc, out_of_memory_gives_null);
	suite_add_tcase(s, tc);
	return s;
}
