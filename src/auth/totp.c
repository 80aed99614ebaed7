/* totp.c — see totp.h. */
#include "auth/totp.h"
#include "core/arena.h"
#include "core/buf.h"

#include <liboath/oath.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <string.h>

/* A typed code longer than this is junk, however many spaces it holds. */
#define CODE_INPUT_MAX 32

/* 32 letters, so one random byte & 31 picks one without bias. */
static const char recovery_alphabet[] = "23456789abcdefghijkmnpqrstuvwxyz";

_Static_assert(sizeof(recovery_alphabet) - 1 == 32, "recovery alphabet must have 32 letters");
_Static_assert(TOTP_RECOVERY_HASH_LEN == crypto_generichash_BYTES, "hash length");
_Static_assert(TOTP_RECOVERY_CHARS % 4 == 0, "codes are groups of four");
_Static_assert(TOTP_RECOVERY_LEN == TOTP_RECOVERY_CHARS + TOTP_RECOVERY_CHARS / 4 - 1,
    "one dash between groups");
/* The step arithmetic below relies on a signed time_t. */
_Static_assert((time_t)-1 < 0, "time_t must be signed");

#define TIME_T_MAX ((time_t)((((time_t)1 << (sizeof(time_t) * CHAR_BIT - 2)) - 1) * 2 + 1))

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_status = -1;

static void
oath_start(void)
{
	oath_status = oath_init() == OATH_OK ? 0 : -1;
}

int
totp_init(void)
{
	pthread_once(&oath_once, oath_start);
	return oath_status;
}

void
totp_secret_new(unsigned char secret[TOTP_SECRET_LEN])
{
	randombytes_buf(secret, TOTP_SECRET_LEN);
}

char *
totp_base32(struct arena *a, const unsigned char *secret, size_t len)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned acc = 0, bits = 0;
	size_t i, n = 0, outlen;
	char *s;

	if (a == NULL || (secret == NULL && len > 0) || len > (SIZE_MAX - 5) / 8)
		return NULL;
	outlen = (len * 8 + 4) / 5;
	if ((s = arena_alloc(a, outlen + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		/* At most 4 bits are left over, so 12 bits of acc are enough. */
		acc = ((acc << 8) | secret[i]) & 0xfff;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			s[n++] = alphabet[(acc >> bits) & 31];
		}
	}
	if (bits > 0)
		s[n++] = alphabet[(acc << (5 - bits)) & 31];
	s[n] = '\0';
	return s;
}

/* Appends s percent-encoded: only RFC 3986 unreserved characters stay. */
static void
add_encoded(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			buf_addch(b, c);
		} else {
			char esc[3] = { '%', hex[c >> 4], hex[c & 15] };

			buf_add(b, esc, sizeof(esc));
		}
	}
}

char *
totp_uri(struct arena *a, const char *issuer, const char *account,
    const unsigned char *secret, size_t len)
{
	struct buf b;
	char *b32;
	int has_issuer = issuer != NULL && issuer[0] != '\0';

	if (a == NULL || account == NULL || secret == NULL || len == 0)
		return NULL;
	if ((b32 = totp_base32(a, secret, len)) == NULL)
		return NULL;
	buf_init(&b, a);
	buf_addstr(&b, "otpauth://totp/");
	if (has_issuer) {
		add_encoded(&b, issuer);
		buf_addch(&b, ':');
	}
	add_encoded(&b, account);
	buf_addstr(&b, "?secret=");
	buf_addstr(&b, b32);
	if (has_issuer) {
		buf_addstr(&b, "&issuer=");
		add_encoded(&b, issuer);
	}
	buf_printf(&b, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS, TOTP_STEP);
	sodium_memzero(b32, strlen(b32));
	return buf_failed(&b) ? NULL : b.buf;
}

/*
 * Copies the digits of a typed code into out, skipping spaces. Returns 0, or
 * -1 unless there are exactly TOTP_DIGITS digits and nothing else.
 */
static int
code_parse(const char *code, char out[TOTP_DIGITS + 1])
{
	size_t i, n = 0;

	for (i = 0; code[i] != '\0'; i++) {
		if (i == CODE_INPUT_MAX)
			return -1;
		if (code[i] == ' ')
			continue;
		if (code[i] < '0' || code[i] > '9' || n == TOTP_DIGITS)
			return -1;
		out[n++] = code[i];
	}
	out[n] = '\0';
	return n == TOTP_DIGITS ? 0 : -1;
}

int
totp_verify(const unsigned char *secret, size_t len, const char *code,
    time_t now, long long last_step, long long *matched_step)
{
	char given[TOTP_DIGITS + 1], want[TOTP_DIGITS + 1];
	long long step, s, found = -1;
	int ok = 0;

	if (secret == NULL || len == 0 || code == NULL || now < 0)
		goto out;
	if (code_parse(code, given) < 0 || totp_init() < 0)
		goto out;
	step = (long long)(now / TOTP_STEP);
	for (s = step - 1; s <= step + 1; s++) {
		/* Which steps are skipped depends on public values only. */
		if (s < 0 || s <= last_step || s > (long long)(TIME_T_MAX / TOTP_STEP))
			continue;
		if (oath_totp_generate((const char *)secret, len, (time_t)(s * TOTP_STEP),
		    TOTP_STEP, OATH_TOTP_DEFAULT_START_TIME, TOTP_DIGITS, want) != OATH_OK)
			goto out;
		/* The latest matching step, so that the most codes become stale. */
		if (sodium_memcmp(want, given, TOTP_DIGITS) == 0)
			found = s;
	}
	if (found < 0)
		goto out;
	if (matched_step != NULL)
		*matched_step = found;
	ok = 1;
out:
	sodium_memzero(want, sizeof(want));
	sodium_memzero(given, sizeof(given));
	return ok;
}

int
totp_recovery_codes(struct arena *a, char *codes[TOTP_RECOVERY_COUNT])
{
	unsigned char raw[TOTP_RECOVERY_CHARS];
	size_t i = 0, j, k;
	int rc = -1;

	if (a == NULL || codes == NULL)
		goto out;
	while (i < TOTP_RECOVERY_COUNT) {
		char *c = arena_alloc(a, TOTP_RECOVERY_LEN + 1);

		if (c == NULL)
			goto out;
		randombytes_buf(raw, sizeof(raw));
		for (j = k = 0; j < TOTP_RECOVERY_CHARS; j++) {
			if (j > 0 && j % 4 == 0)
				c[k++] = '-';
			c[k++] = recovery_alphabet[raw[j] & 31];
		}
		c[k] = '\0';
		/* A repeat (odds 2^-60 per pair) is drawn again, not handed out twice. */
		for (j = 0; j < i; j++)
			if (sodium_memcmp(codes[j], c, TOTP_RECOVERY_LEN) == 0)
				break;
		if (j == i)
			codes[i++] = c;
	}
	rc = 0;
out:
	sodium_memzero(raw, sizeof(raw));
	return rc;
}

int
totp_recovery_normalise(const char *in, char *out, size_t outlen)
{
	size_t n = 0;

	if (in == NULL || out == NULL || outlen < TOTP_RECOVERY_CHARS + 1)
		return -1;
	for (; *in != '\0'; in++) {
		char c = *in;

		if (c == ' ' || c == '-')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (n == TOTP_RECOVERY_CHARS || strchr(recovery_alphabet, c) == NULL)
			goto junk;
		out[n++] = c;
	}
	if (n != TOTP_RECOVERY_CHARS)
		goto junk;
	out[n] = '\0';
	return 0;
junk:
	sodium_memzero(out, outlen);
	return -1;
}

void
totp_recovery_hash(const char *code, unsigned char out[TOTP_RECOVERY_HASH_LEN])
{
	char norm[TOTP_RECOVERY_CHARS + 1];

	/* No code normalises to "", so junk hashes to a value no code has. */
	if (totp_recovery_normalise(code, norm, sizeof(norm)) < 0)
		norm[0] = '\0';
	crypto_generichash(out, TOTP_RECOVERY_HASH_LEN, (const unsigned char *)norm,
	    strlen(norm), NULL, 0);
	sodium_memzero(norm, sizeof(norm));
}
