/*
 * device.h — signed device cookies: a browser where a person signed in
 * successfully before is a known device for that account, and is spared
 * the throttling meant for everyone else (auth/throttle.h).
 *
 * The cookie is "<nonce>.<mac>": a random 16-byte nonce and the HMAC
 * (crypto_auth, HMAC-SHA-512-256) of area, account and nonce under a
 * server secret kept in the settings table, made once and shared by every
 * worker and host. It holds no personal data; the nonce names the device
 * in login_attempts. Set HttpOnly, SameSite=Lax, Secure over TLS.
 */
#ifndef CSDESK_DEVICE_H
#define CSDESK_DEVICE_H

struct arena;
struct db;

/* 22 + 1 + 43 characters. */
#define DEVICE_COOKIE_LEN 66
/* A year: the device stays known while the person keeps signing in. */
#define DEVICE_COOKIE_MAX_AGE (365L * 24 * 3600)

/*
 * A new cookie value for who in area (in the arena): *value. Returns 0,
 * or -1 (database error, out of memory).
 */
int device_cookie_new(struct db *db, struct arena *a, const char *area, const char *who,
    const char **value);

/*
 * Checks a cookie value for who in area. Returns 1 valid (*device is its
 * nonce, in the arena), 0 absent, malformed or not for this account,
 * -1 on a database error.
 */
int device_cookie_check(struct db *db, struct arena *a, const char *area, const char *who,
    const char *value, const char **device);

#endif
