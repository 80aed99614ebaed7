/*
 * api_keys.h — keys for the JSON API (/api/v1/), created by an admin.
 *
 * A key is "csd_<prefix>_<secret>": prefix is 8 hex characters shown in
 * lists so people can tell keys apart, secret is 32 random bytes in
 * base64url. The whole key is shown once, when it is made; the database
 * keeps only its BLAKE2b hash (crypto_generichash, 32 bytes) and the
 * prefix. Revoked keys stay, for the record, and never authenticate again.
 *
 * Functions that can fail return an enum cs_result (failures logged);
 * CS_REFUSED comes with a sentence in *why. Strings come back in the
 * arena given.
 */
#ifndef CSDESK_API_KEYS_H
#define CSDESK_API_KEYS_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct audit_entry;
struct db;

/* "csd_" + 8 + "_" + 43 characters. */
#define API_KEY_PREFIX_LEN 8
#define API_KEY_LEN (4 + API_KEY_PREFIX_LEN + 1 + 43)
#define API_KEY_NAME_MAX 100	/* characters, as the table's CHECK */

/*
 * Makes a key called name for staff member created_by and records it in
 * the audit log as `by` (one transaction). *key is the full key, to be
 * shown once; *id its row. CS_OK, CS_REFUSED (the name's length) or the
 * failure.
 */
enum cs_result api_key_create(struct db *db, struct arena *a, const struct audit_entry *by,
    const char *name, long long created_by, const char **key, long long *id,
    const char **why);

struct api_key_row {
	long long id;
	const char *name, *prefix;
	const char *created_by;		/* staff name or "" */
	const char *created_at;
	const char *last_used_at;	/* "" when never */
	const char *revoked_at;		/* "" when live */
};

/* Every key, newest first (at most API_KEY_LIST_MAX). CS_OK or the failure. */
#define API_KEY_LIST_MAX 500
enum cs_result api_key_list(struct db *db, struct arena *a, struct api_key_row **rows, size_t *n);

/*
 * Revokes key id (already revoked: still 0, nothing changes) and records
 * it in the audit log as `by`. *name is the key's name when found.
 * CS_OK, CS_NOT_FOUND or the failure.
 */
enum cs_result api_key_revoke(struct db *db, struct arena *a, const struct audit_entry *by,
    long long id, const char **name);

/* Who a key speaks for. */
struct api_key_auth {
	long long id;			/* api_keys.id */
	long long staff_id;		/* who created it: the staff the API acts as */
	const char *name;
};

/*
 * Looks key up by its hash among keys not revoked; on success notes the
 * use (last_used_at, written at most once a minute). CS_OK, CS_NOT_FOUND
 * (malformed, unknown or revoked) or the failure.
 */
enum cs_result api_key_authenticate(struct db *db, struct arena *a, const char *key,
    struct api_key_auth *out);

#endif
