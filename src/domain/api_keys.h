/*
 * api_keys.h — keys for the JSON API (/api/v1/), created by an admin.
 *
 * A key is "csd_<prefix>_<secret>": prefix is 8 hex characters shown in
 * lists so people can tell keys apart, secret is 32 random bytes in
 * base64url. The whole key is shown once, when it is made; the database
 * keeps only its BLAKE2b hash (crypto_generichash, 32 bytes) and the
 * prefix. Revoked keys stay, for the record, and never authenticate again.
 *
 * A key speaks for the admin who made it, and only while that person is
 * active and still an admin: checked at every use, so deactivating or
 * demoting someone stops their keys at once. A key carries its own scope
 * (which of the API's kinds of request it may make) and an expiry date,
 * and records when and from which address it was last used.
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
/* A new key lives 1 to API_KEY_DAYS_MAX days; API_KEY_DAYS_DEFAULT unless said. */
#define API_KEY_DAYS_MAX 366
#define API_KEY_DAYS_DEFAULT 90

/* What a key may do, as the api_keys.scopes words. */
enum api_scope {
	API_SCOPE_TICKETS_READ = 1 << 0,	/* "tickets.read": list and read tickets, comments */
	API_SCOPE_TICKETS_WRITE = 1 << 1,	/* "tickets.write": create and change tickets */
	API_SCOPE_COMMENTS_WRITE = 1 << 2,	/* "comments.write": add comments */
	API_SCOPE_ALL = (1 << 3) - 1,
};

struct api_key_new {
	const char *name;		/* 1..API_KEY_NAME_MAX characters */
	unsigned scopes;		/* enum api_scope bits, at least one */
	int days;			/* 1..API_KEY_DAYS_MAX */
};

/*
 * Makes the key in for staff member created_by and records it in the
 * audit log as `by` (one transaction). *key is the full key, to be shown
 * once; *id its row. CS_OK, CS_REFUSED (a limit, with why) or the
 * failure.
 */
enum cs_result api_key_create(struct db *db, struct arena *a, const struct audit_entry *by,
    const struct api_key_new *in, long long created_by, const char **key, long long *id,
    const char **why);

struct api_key_row {
	long long id;
	const char *name, *prefix;
	const char *created_by;		/* staff name or "" */
	const char *created_at;
	const char *last_used_at;	/* "" when never */
	const char *last_used_ip;	/* "" when never */
	const char *revoked_at;		/* "" when live */
	const char *expires_at;		/* "" when it never expires (keys of before) */
	unsigned scopes;		/* enum api_scope bits */
	int expired;			/* past its expiry date */
	int owner_ok;			/* its maker is an active admin */
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
	unsigned scopes;		/* enum api_scope bits */
};

/*
 * Looks key up by its hash among keys not revoked, not expired, whose
 * maker is active and an admin; on success notes the use from address ip
 * (written at most once a minute, or when the address changes). CS_OK,
 * CS_NOT_FOUND (malformed, unknown, revoked, expired or its maker no
 * longer an active admin) or the failure.
 */
enum cs_result api_key_authenticate(struct db *db, struct arena *a, const char *key,
    const char *ip, struct api_key_auth *out);

#endif
