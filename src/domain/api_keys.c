/* api_keys.c — see api_keys.h. */
#include "domain/api_keys.h"
#include "core/arena.h"
#include "db/db.h"
#include "core/utf8.h"
#include "domain/admin_audit.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

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
/* The scope words as bits, in the order of enum api_scope. */
#define SCOPE_BITS(col) \
	"(('tickets.read' = ANY (" col "))::int | (('tickets.write' = ANY (" col "))::int * 2)" \
	" | (('comments.write' = ANY (" col "))::int * 4))"
static const char *const scope_words[] = { "tickets.read", "tickets.write", "comments.write" };
_Static_assert(sizeof(scope_words) / sizeof(scope_words[0]) == 3, "one word per scope bit");

#define LIST_COLS(X) \
	X(L, id, "k.id") X(L, name, "k.name") X(L, prefix, "k.prefix") \
	X(L, by, "coalesce(s.name, '')") X(L, created, TS("k.created_at")) \
	X(L, used, TS("k.last_used_at")) X(L, used_ip, "coalesce(host(k.last_used_ip), '')") \
	X(L, revoked, TS("k.revoked_at")) X(L, expires, TS("k.expires_at")) \
	X(L, scopes, SCOPE_BITS("k.scopes")) \
	X(L, expired, "coalesce(k.expires_at <= now(), false)") \
	X(L, owner_ok, "coalesce(s.active AND 'admin' = ANY (s.roles), false)")
enum { DB_COL_ENUM(LIST_COLS) };

#define NEW_COLS(X) X(NEW, id, "id")
enum { DB_COL_ENUM(NEW_COLS) };

#define NAME_COLS(X) X(NAME, name, "name")
enum { DB_COL_ENUM(NAME_COLS) };

#define AUTH_COLS(X) \
	X(AUTH, id, "id") X(AUTH, staff, "created_by") X(AUTH, name, "name") \
	X(AUTH, scopes, SCOPE_BITS("scopes"))
enum { DB_COL_ENUM(AUTH_COLS) };

static struct db_stmt stmts[] = {
	[STMT_INSERT] = DB_STMT("api_key_insert",
	    "INSERT INTO api_keys (name, key_hash, prefix, created_by, scopes, expires_at)"
	    " VALUES ($1, $2, $3, $4::bigint, $5::text[], now() + make_interval(days => $6::integer))"
	    " RETURNING " DB_COLS(NEW_COLS), 6),
	[STMT_LIST] = DB_STMT("api_key_list",
	    "SELECT " DB_COLS(LIST_COLS) " FROM api_keys k LEFT JOIN staff s ON s.id = k.created_by"
	    " ORDER BY k.id DESC LIMIT $1::integer", 1),
	[STMT_REVOKE] = DB_STMT("api_key_revoke",
	    "UPDATE api_keys SET revoked_at = now() WHERE id = $1::bigint AND revoked_at IS NULL",
	    1),
	[STMT_NAME] = DB_STMT("api_key_name",
	    "SELECT " DB_COLS(NAME_COLS) " FROM api_keys WHERE id = $1::bigint FOR UPDATE", 1),
	/*
	 * The maker's standing is read at every use, not only at revocation:
	 * a key stops with its maker's admin role. The use is noted at most
	 * once a minute (or when the address changes), so a busy key does not
	 * turn every API read into a write.
	 */
	[STMT_AUTH] = DB_STMT("api_key_auth",
	    "WITH k AS (SELECT k.id, k.name, k.created_by, k.scopes, k.last_used_at,"
	    "  k.last_used_ip FROM api_keys k JOIN staff s ON s.id = k.created_by"
	    "  WHERE k.key_hash = $1 AND k.revoked_at IS NULL"
	    "   AND (k.expires_at IS NULL OR k.expires_at > now())"
	    "   AND s.active AND 'admin' = ANY (s.roles)),"
	    " used AS (UPDATE api_keys a SET last_used_at = now(), last_used_ip = $2::inet"
	    "  FROM k WHERE a.id = k.id AND (k.last_used_at IS NULL"
	    "   OR k.last_used_at < now() - interval '1 minute'"
	    "   OR k.last_used_ip IS DISTINCT FROM $2::inet))"
	    " SELECT " DB_COLS(AUTH_COLS) " FROM k", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

static void
key_hash(const char *key, unsigned char out[HASH_LEN])
{
	crypto_generichash(out, HASH_LEN, (const unsigned char *)key, strlen(key), NULL, 0);
}

/* Records action on key id in the audit log, inside the caller's transaction. */
static enum cs_result
audit(struct db *db, const struct audit_entry *by, const char *action, long long id,
    const char *name)
{
	return admin_audit(db, by, action, "api_key", id, json_pack("{s:s}", "name", name));
}

/* The scopes as a text[] literal: "{tickets.read,comments.write}" (in the arena). */
static const char *
scope_array(struct arena *a, unsigned scopes)
{
	const char *out = "{", *sep = "";
	size_t i;

	for (i = 0; i < sizeof(scope_words) / sizeof(scope_words[0]) && out != NULL; i++)
		if (scopes & (1u << i)) {
			out = arena_printf(a, "%s%s%s", out, sep, scope_words[i]);
			sep = ",";
		}
	return out ? arena_printf(a, "%s}", out) : NULL;
}

enum cs_result
api_key_create(struct db *db, struct arena *a, const struct audit_entry *by,
    const struct api_key_new *in, long long created_by, const char **key, long long *id,
    const char **why)
{
	unsigned char secret[SECRET_BYTES], pre[API_KEY_PREFIX_LEN / 2], hash[HASH_LEN];
	char prefix[API_KEY_PREFIX_LEN + 1], b64[64], staff[24], days[16], *full;
	const char *p[6];
	int lens[6] = { 0, HASH_LEN, 0, 0, 0, 0 }, fmts[6] = { 0, 1, 0, 0, 0, 0 };
	size_t len = in->name ? utf8_chars(in->name) : 0;
	PGresult *res = NULL;
	enum cs_result rc = CS_FAILED;

	*key = NULL;
	*id = 0;
	*why = NULL;
	if (len < 1 || len > API_KEY_NAME_MAX) {
		*why = "Name must be 1 to " STR(API_KEY_NAME_MAX) " characters long.";
		return CS_REFUSED;
	}
	if (in->scopes == 0 || (in->scopes & ~(unsigned)API_SCOPE_ALL) != 0) {
		*why = "Choose what the key may do.";
		return CS_REFUSED;
	}
	if (in->days < 1 || in->days > API_KEY_DAYS_MAX) {
		*why = "A key lives 1 to " STR(API_KEY_DAYS_MAX) " days.";
		return CS_REFUSED;
	}
	randombytes_buf(secret, sizeof(secret));
	randombytes_buf(pre, sizeof(pre));
	sodium_bin2hex(prefix, sizeof(prefix), pre, sizeof(pre));
	sodium_bin2base64(b64, sizeof(b64), secret, sizeof(secret),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(secret, sizeof(secret));
	full = arena_printf(a, "csd_%s_%s", prefix, b64);
	sodium_memzero(b64, sizeof(b64));
	if (full == NULL)
		return CS_FAILED;
	key_hash(full, hash);
	snprintf(staff, sizeof(staff), "%lld", created_by);
	snprintf(days, sizeof(days), "%d", in->days);
	p[0] = in->name;
	p[1] = (const char *)hash;
	p[2] = prefix;
	p[3] = staff;
	p[4] = scope_array(a, in->scopes);
	p[5] = days;
	if (p[4] == NULL)
		return CS_FAILED;
	if (db_begin(db) < 0)
		return db_result(db);
	res = db_exec_bin(db, &stmts[STMT_INSERT], p, lens, fmts);
	if (res == NULL || PQntuples(res) != 1)
		goto out;
	*id = db_ll(res, 0, NEW_id);
	if (audit(db, by, "api_key.create", *id, in->name) != CS_OK || db_commit(db) < 0)
		goto out;
	*key = full;
	rc = CS_OK;
out:
	PQclear(res);
	if (rc != CS_OK) {
		rc = res == NULL || *id > 0 ? db_result(db) : CS_FAILED;
		db_rollback(db);
		*id = 0;
	}
	return rc;
}

static enum cs_result
fill_key(struct arena *a, const PGresult *res, int i, void *elem)
{
	struct api_key_row *k = elem;
	int failed = 0;

	k->id = db_ll(res, i, L_id);
	k->name = db_str(a, res, i, L_name, &failed);
	k->prefix = db_str(a, res, i, L_prefix, &failed);
	k->created_by = db_str(a, res, i, L_by, &failed);
	k->created_at = db_str(a, res, i, L_created, &failed);
	k->last_used_at = db_str(a, res, i, L_used, &failed);
	k->last_used_ip = db_str(a, res, i, L_used_ip, &failed);
	k->revoked_at = db_str(a, res, i, L_revoked, &failed);
	k->expires_at = db_str(a, res, i, L_expires, &failed);
	k->scopes = (unsigned)db_ll(res, i, L_scopes);
	k->expired = db_bool(res, i, L_expired);
	k->owner_ok = db_bool(res, i, L_owner_ok);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
api_key_list(struct db *db, struct arena *a, struct api_key_row **rows, size_t *n)
{
	char limit[16];
	const char *p[] = { limit };
	enum cs_result rc;
	void *arr;

	snprintf(limit, sizeof(limit), "%d", API_KEY_LIST_MAX);
	rc = db_rows(db, a, &stmts[STMT_LIST], p, sizeof(**rows), fill_key, &arr, n);
	*rows = arr;
	return rc;
}

enum cs_result
api_key_revoke(struct db *db, struct arena *a, const struct audit_entry *by, long long id,
    const char **name)
{
	char sid[24];
	const char *p[] = { sid };
	PGresult *res = NULL;
	enum cs_result rc = CS_FAILED;
	int failed = 0;

	*name = NULL;
	snprintf(sid, sizeof(sid), "%lld", id);
	if (db_begin(db) < 0)
		return db_result(db);
	if ((res = db_exec(db, &stmts[STMT_NAME], p)) == NULL) {
		rc = db_result(db);
		goto out;
	}
	if (PQntuples(res) != 1) {
		rc = CS_NOT_FOUND;
		goto out;
	}
	*name = db_str(a, res, 0, NAME_name, &failed);
	PQclear(res);
	res = NULL;
	if (failed)
		goto out;
	if ((res = db_exec(db, &stmts[STMT_REVOKE], p)) == NULL) {
		rc = db_result(db);
		goto out;
	}
	/* Revoking twice changes nothing and records nothing. */
	if ((db_changed(res) == 1 && audit(db, by, "api_key.revoke", id, *name) != CS_OK) ||
	    db_commit(db) < 0) {
		rc = db_result(db);
		goto out;
	}
	rc = CS_OK;
out:
	PQclear(res);
	if (rc != CS_OK)
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

enum cs_result
api_key_authenticate(struct db *db, struct arena *a, const char *key, const char *ip,
    struct api_key_auth *out)
{
	unsigned char hash[HASH_LEN];
	const char *p[2];
	int lens[2] = { HASH_LEN, 0 }, fmts[2] = { 1, 0 };
	enum cs_result rc = CS_NOT_FOUND;
	PGresult *res;
	int failed = 0;

	memset(out, 0, sizeof(*out));
	if (key == NULL || !well_formed(key))
		return CS_NOT_FOUND;
	/* The lookup is by hash: no secret is compared in C. */
	key_hash(key, hash);
	p[0] = (const char *)hash;
	p[1] = ip;
	if ((res = db_exec_bin(db, &stmts[STMT_AUTH], p, lens, fmts)) == NULL)
		return db_result(db);
	if (PQntuples(res) == 1) {
		out->id = db_ll(res, 0, AUTH_id);
		out->staff_id = db_ll(res, 0, AUTH_staff);
		out->name = db_str(a, res, 0, AUTH_name, &failed);
		out->scopes = (unsigned)db_ll(res, 0, AUTH_scopes);
		rc = failed ? CS_FAILED : CS_OK;
	}
	PQclear(res);
	return rc;
}
