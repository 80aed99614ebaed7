/* api_keys.c — see api_keys.h. */
#include "domain/api_keys.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/audit.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define HASH_LEN 32
#define SECRET_BYTES 32

enum stmt {
	STMT_INSERT,
	STMT_LIST,
	STMT_REVOKE,
	STMT_NAME,
	STMT_AUTH,
	STMT__MAX
};

#define TS(col) "coalesce(to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), '')"
enum { L_ID, L_NAME, L_PREFIX, L_BY, L_CREATED, L_USED, L_REVOKED };

static struct db_stmt stmts[] = {
	[STMT_INSERT] = DB_STMT("api_key_insert",
	    "INSERT INTO api_keys (name, key_hash, prefix, created_by)"
	    " VALUES ($1, $2, $3, $4::bigint) RETURNING id", 4),
	[STMT_LIST] = DB_STMT("api_key_list",
	    "SELECT k.id, k.name, k.prefix, coalesce(s.name, ''), " TS("k.created_at") ", "
	    TS("k.last_used_at") ", " TS("k.revoked_at")
	    " FROM api_keys k LEFT JOIN staff s ON s.id = k.created_by"
	    " ORDER BY k.id DESC LIMIT $1::integer", 1),
	[STMT_REVOKE] = DB_STMT("api_key_revoke",
	    "UPDATE api_keys SET revoked_at = now() WHERE id = $1::bigint AND revoked_at IS NULL",
	    1),
	[STMT_NAME] = DB_STMT("api_key_name",
	    "SELECT name FROM api_keys WHERE id = $1::bigint FOR UPDATE", 1),
	/* The use is noted at most once a minute, so a busy key does not
	 * turn every API read into a write. */
	[STMT_AUTH] = DB_STMT("api_key_auth",
	    "WITH k AS (SELECT id, name, created_by, last_used_at FROM api_keys"
	    "  WHERE key_hash = $1 AND revoked_at IS NULL AND created_by IS NOT NULL),"
	    " used AS (UPDATE api_keys a SET last_used_at = now() FROM k WHERE a.id = k.id"
	    "  AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute'))"
	    " SELECT id, created_by, name FROM k", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

static void
key_hash(const char *key, unsigned char out[HASH_LEN])
{
	crypto_generichash(out, HASH_LEN, (const unsigned char *)key, strlen(key), NULL, 0);
}

/* Records action on key id in the audit log, inside the caller's transaction. */
static int
audit(struct db *db, const struct audit_entry *by, const char *action, long long id,
    const char *name)
{
	struct audit_entry e = *by;
	char oid[24];
	json_t *detail = json_pack("{s:s}", "name", name);
	int rc;

	if (detail == NULL)
		return -1;
	snprintf(oid, sizeof(oid), "%lld", id);
	e.action = action;
	e.object_type = "api_key";
	e.object_id = oid;
	e.detail = detail;
	rc = audit_record(db, &e);
	json_decref(detail);
	return rc;
}

int
api_key_create(struct db *db, struct arena *a, const struct audit_entry *by,
    const char *name, long long created_by, const char **key, long long *id)
{
	unsigned char secret[SECRET_BYTES], pre[API_KEY_PREFIX_LEN / 2], hash[HASH_LEN];
	char prefix[API_KEY_PREFIX_LEN + 1], b64[64], staff[24], *full;
	const char *p[4];
	int lens[4] = { 0, HASH_LEN, 0, 0 }, fmts[4] = { 0, 1, 0, 0 };
	PGresult *res = NULL;
	int rc = -1;

	*key = NULL;
	*id = 0;
	randombytes_buf(secret, sizeof(secret));
	randombytes_buf(pre, sizeof(pre));
	sodium_bin2hex(prefix, sizeof(prefix), pre, sizeof(pre));
	sodium_bin2base64(b64, sizeof(b64), secret, sizeof(secret),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(secret, sizeof(secret));
	full = arena_printf(a, "csd_%s_%s", prefix, b64);
	sodium_memzero(b64, sizeof(b64));
	if (full == NULL)
		return -1;
	key_hash(full, hash);
	snprintf(staff, sizeof(staff), "%lld", created_by);
	p[0] = name;
	p[1] = (const char *)hash;
	p[2] = prefix;
	p[3] = staff;
	if (db_begin(db) < 0)
		return -1;
	res = db_exec_bin(db, &stmts[STMT_INSERT], p, lens, fmts);
	if (res == NULL || PQntuples(res) != 1)
		goto out;
	*id = db_ll(res, 0, 0);
	if (audit(db, by, "api_key.create", *id, name) < 0)
		goto out;
	if (db_commit(db) < 0)
		goto out;
	*key = full;
	rc = 0;
out:
	PQclear(res);
	if (rc < 0) {
		db_rollback(db);
		*id = 0;
	}
	return rc;
}

int
api_key_list(struct db *db, struct arena *a, struct api_key_row **rows, size_t *n)
{
	char limit[16];
	const char *p[] = { limit };
	PGresult *res;
	int i, count, failed = 0;

	*rows = NULL;
	*n = 0;
	snprintf(limit, sizeof(limit), "%d", API_KEY_LIST_MAX);
	if ((res = db_exec(db, &stmts[STMT_LIST], p)) == NULL)
		return -1;
	count = PQntuples(res);
	*rows = arena_calloc(a, (size_t)count + 1, sizeof(**rows));
	if (*rows == NULL)
		failed = 1;
	for (i = 0; i < count && !failed; i++) {
		struct api_key_row *k = &(*rows)[i];

		k->id = db_ll(res, i, L_ID);
		k->name = db_str(a, res, i, L_NAME, &failed);
		k->prefix = db_str(a, res, i, L_PREFIX, &failed);
		k->created_by = db_str(a, res, i, L_BY, &failed);
		k->created_at = db_str(a, res, i, L_CREATED, &failed);
		k->last_used_at = db_str(a, res, i, L_USED, &failed);
		k->revoked_at = db_str(a, res, i, L_REVOKED, &failed);
	}
	PQclear(res);
	if (failed) {
		*rows = NULL;
		return -1;
	}
	*n = (size_t)count;
	return 0;
}

int
api_key_revoke(struct db *db, struct arena *a, const struct audit_entry *by, long long id,
    const char **name)
{
	char sid[24];
	const char *p[] = { sid };
	PGresult *res = NULL;
	int rc = -1, failed = 0;

	*name = NULL;
	snprintf(sid, sizeof(sid), "%lld", id);
	if (db_begin(db) < 0)
		return -1;
	if ((res = db_exec(db, &stmts[STMT_NAME], p)) == NULL)
		goto out;
	if (PQntuples(res) != 1) {
		rc = API_KEY_NOT_FOUND;
		goto out;
	}
	*name = db_str(a, res, 0, 0, &failed);
	PQclear(res);
	if (failed || (res = db_exec(db, &stmts[STMT_REVOKE], p)) == NULL)
		goto out;
	/* Revoking twice changes nothing and records nothing. */
	if (db_changed(res) == 1 && audit(db, by, "api_key.revoke", id, *name) < 0)
		goto out;
	if (db_commit(db) < 0)
		goto out;
	rc = 0;
out:
	PQclear(res);
	if (rc != 0)
		db_rollback(db);
	return rc;
}

/* "csd_" + API_KEY_PREFIX_LEN hex + "_" + base64url: the shape we hand out. */
static int
well_formed(const char *key)
{
	size_t i, len = strlen(key);

	if (len != API_KEY_LEN || strncmp(key, "csd_", 4) != 0 ||
	    key[4 + API_KEY_PREFIX_LEN] != '_')
		return 0;
	for (i = 4; i < 4 + API_KEY_PREFIX_LEN; i++)
		if (!((key[i] >= '0' && key[i] <= '9') || (key[i] >= 'a' && key[i] <= 'f')))
			return 0;
	for (i = 5 + API_KEY_PREFIX_LEN; i < len; i++) {
		char c = key[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

int
api_key_authenticate(struct db *db, struct arena *a, const char *key,
    struct api_key_auth *out)
{
	unsigned char hash[HASH_LEN];
	const char *p[1];
	int lens[1] = { HASH_LEN }, fmts[1] = { 1 };
	PGresult *res;
	int found, failed = 0;

	memset(out, 0, sizeof(*out));
	if (key == NULL || !well_formed(key))
		return 0;
	/* The lookup is by hash: no secret is compared in C. */
	key_hash(key, hash);
	p[0] = (const char *)hash;
	if ((res = db_exec_bin(db, &stmts[STMT_AUTH], p, lens, fmts)) == NULL)
		return -1;
	found = PQntuples(res) == 1;
	if (found) {
		out->id = db_ll(res, 0, 0);
		out->staff_id = db_ll(res, 0, 1);
		out->name = db_str(a, res, 0, 2, &failed);
	}
	PQclear(res);
	return failed ? -1 : found;
}
