/*
 * totp.h — the staff second factor: RFC 6238 time-based one-time codes
 * (HMAC-SHA1, 6 digits, 30-second steps, what authenticator apps expect)
 * and single-use recovery codes.
 *
 * The secret is 20 random bytes, shown once to the user as base32 and as an
 * otpauth:// URI (see qr.h for the QR code). A code is accepted for the step
 * before, the current step and the step after, and never for a step at or
 * before the last one accepted: the caller stores the matched step, so a code
 * seen over someone's shoulder cannot be used again.
 *
 * Recovery codes are shown once and stored only as hashes.
 */
#ifndef CSDESK_TOTP_H
#define CSDESK_TOTP_H

#include <stddef.h>
#include <time.h>

struct arena;

#define TOTP_SECRET_LEN 20
#define TOTP_DIGITS 6
#define TOTP_STEP 30

/* Recovery codes per user, and their shape: "xxxx-xxxx-xxxx". */
#define TOTP_RECOVERY_COUNT 10
#define TOTP_RECOVERY_CHARS 12	/* significant characters, 5 bits each */
#define TOTP_RECOVERY_LEN 14	/* with the two dashes, without the NUL */
#define TOTP_RECOVERY_HASH_LEN 32

/*
 * Initialises liboath. totp_verify calls it itself; calling it again (or
 * before fork) is harmless. Returns 0, or -1 when liboath cannot start.
 */
int totp_init(void);

/* Fills secret with fresh random bytes. Cannot fail. */
void totp_secret_new(unsigned char secret[TOTP_SECRET_LEN]);

/*
 * secret[0..len) in RFC 4648 base32 (A-Z2-7) without '=' padding, in the
 * arena. NULL when out of memory or secret is NULL with len > 0.
 */
char *totp_base32(struct arena *a, const unsigned char *secret, size_t len);

/*
 * The key URI authenticator apps read:
 *   otpauth://totp/<issuer>:<account>?secret=<base32>&issuer=<issuer>
 *   &algorithm=SHA1&digits=6&period=30
 * issuer and account are percent-encoded (everything but A-Z a-z 0-9 - . _ ~,
 * so a ':' or '&' in them cannot change the URI's structure). issuer may be
 * NULL or "" (the label is then the account alone and there is no issuer
 * parameter). NULL when out of memory, account is NULL or secret is empty.
 */
char *totp_uri(struct arena *a, const char *issuer, const char *account,
    const unsigned char *secret, size_t len);

/*
 * 1 when code is the 6-digit code of secret[0..len) for the 30-second step
 * before, at or after now, and that step is greater than last_step; then
 * *matched_step (may be NULL) is set to the step, which the caller stores as
 * the next last_step. Pass -1 as last_step when no code was accepted yet.
 * Spaces in code are ignored; anything else but exactly 6 digits gives 0.
 * 0 for every other case, including NULL arguments and liboath failures.
 * Codes are compared in constant time.
 */
int totp_verify(const unsigned char *secret, size_t len, const char *code,
    time_t now, long long last_step, long long *matched_step);

/*
 * Fills codes with TOTP_RECOVERY_COUNT distinct new codes in the arena, each
 * like "k7q2-m9xp-4fzt": 12 characters from a 32-letter lowercase alphabet
 * without 0, o, 1 and l (60 random bits). Returns 0, or -1 when out of
 * memory (codes is then unspecified).
 */
int totp_recovery_codes(struct arena *a, char *codes[TOTP_RECOVERY_COUNT]);

/*
 * Writes the canonical form of a recovery code as typed (any case, spaces
 * and dashes anywhere) into out: its 12 characters, lowercase, NUL-ended.
 * Returns 0, or -1 when in is NULL, has other characters, does not have
 * exactly 12 significant characters, or outlen is less than 13.
 */
int totp_recovery_normalise(const char *in, char *out, size_t outlen);

/*
 * The hash stored for a recovery code: BLAKE2b-256 (crypto_generichash) of
 * its canonical form, so "K7Q2 M9XP-4FZT" and "k7q2-m9xp-4fzt" hash alike.
 * Input that is not a well-formed code (including NULL) gets one fixed value
 * that is not the hash of any code, so it never matches a stored hash.
 * Compare hashes with sodium_memcmp. Cannot fail.
 */
void totp_recovery_hash(const char *code, unsigned char out[TOTP_RECOVERY_HASH_LEN]);

#endif
