/* device.c — see device.h. */
#include "auth/device.h"
#include "core/arena.h"
#include "db/db.h"

#include <sodium.h>
#include <string.h>

#define NONCE_BYTES 16
#define NONCE_LEN 22		/* base64url, unpadded */
#define MAC_LEN 43

static struct db_stmt st_secret = DB_STMT("device_secret",
    "SELECT auth_device_secret($1)", 1);

/*
 * The signing key: the stored secret, or the candidate made here when no
 * program made one before. 0 or -1.
 */
static int
device_key(struct db *db, unsigned char key[crypto_auth_KEYBYTES])
{
	unsigned char fresh[crypto_auth_KEYBYTES];
	char hex[2 * crypto_auth_KEYBYTES + 1];
	const char *p[] = { hex };
	PGresult *r;
	int rc = -1;

	crypto_auth_keygen(fresh);
	sodium_bin2hex(hex, sizeof(hex), fresh, sizeof(fresh));
	sodium_memzero(fresh, sizeof(fresh));
	r = db_exec(db, &st_secret, p);
	sodium_memzero(hex, sizeof(hex));
	if (r != NULL && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0) &&
	    sodium_hex2bin(key, crypto_auth_KEYBYTES, PQgetvalue(r, 0, 0),
	    strlen(PQgetvalue(r, 0, 0)), NULL, NULL, NULL) == 0)
		rc = 0;
	PQclear(r);
	return rc;
}

/* The MAC of area, who and the nonce text. */
static void
device_mac(const unsigned char key[crypto_auth_KEYBYTES], const char *area, const char *who,
    const char *nonce, unsigned char mac[crypto_auth_BYTES])
{
	crypto_auth_hmacsha512256_state st;

	crypto_auth_hmacsha512256_init(&st, key, crypto_auth_KEYBYTES);
	/* NUL-separated: no two (area, who, nonce) give the same input. */
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)area, strlen(area) + 1);
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)who, strlen(who) + 1);
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)nonce, strlen(nonce));
	crypto_auth_hmacsha512256_final(&st, mac);
}

int
device_cookie_new(struct db *db, struct arena *a, const char *area, const char *who,
    const char **value)
{
	unsigned char key[crypto_auth_KEYBYTES], raw[NONCE_BYTES], mac[crypto_auth_BYTES];
	char nonce[NONCE_LEN + 1], tag[MAC_LEN + 1];

	*value = NULL;
	if (device_key(db, key) < 0)
		return -1;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(nonce, sizeof(nonce), raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	device_mac(key, area, who, nonce, mac);
	sodium_memzero(key, sizeof(key));
	sodium_bin2base64(tag, sizeof(tag), mac, sizeof(mac),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	*value = arena_printf(a, "%s.%s", nonce, tag);
	return *value ? 0 : -1;
}

int
device_cookie_check(struct db *db, struct arena *a, const char *area, const char *who,
    const char *value, const char **device)
{
	unsigned char key[crypto_auth_KEYBYTES], mac[crypto_auth_BYTES], given[crypto_auth_BYTES];
	char nonce[NONCE_LEN + 1];
	size_t len;
	int ok;

	*device = NULL;
	if (value == NULL || strlen(value) != DEVICE_COOKIE_LEN || value[NONCE_LEN] != '.')
		return 0;
	if (sodium_base642bin(given, sizeof(given), value + NONCE_LEN + 1, MAC_LEN, NULL, &len,
	    NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || len != sizeof(given))
		return 0;
	memcpy(nonce, value, NONCE_LEN);
	nonce[NONCE_LEN] = '\0';
	if (device_key(db, key) < 0)
		return -1;
	device_mac(key, area, who, nonce, mac);
	sodium_memzero(key, sizeof(key));
	/* Constant time: the MAC is a secret until it matches. */
	ok = sodium_memcmp(mac, given, sizeof(mac)) == 0;
	if (!ok)
		return 0;
	*device = arena_strdup(a, nonce);
	return *device ? 1 : -1;
}
