/* idempotency.c — see idempotency.h. */
#include "domain/idempotency.h"
#include "auth/csrf.h"
#include "core/arena.h"
#include "db/db.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define FOUND_COLS(X) X(IK, request_hash, "k.request_hash") \
	X(IK, status, "coalesce(k.status, 0)") X(IK, location, "coalesce(k.location, '')") \
	X(IK, body, "coalesce(k.body, '')") X(IK, ticket_id, "coalesce(t.id, 0)") \
	X(IK, ticket_number, "coalesce(t.number, '')")
enum { DB_COL_ENUM(FOUND_COLS) };

enum stmt {
	ST_CLAIM,
	ST_FOUND,
	ST_STORE,
	ST_STORE_TICKET,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/*
	 * A row comes back when the key is this request's: new, or older than
	 * the keys live (not yet tidied), so taken afresh. A first request
	 * still running holds the row's insert: this waits for its end.
	 */
	[ST_CLAIM] = DB_STMT("idem_claim",
	    "INSERT INTO idempotency_keys AS k (scope, owner_id, key, request_hash)"
	    " VALUES ($1, $2, $3, $4)"
	    " ON CONFLICT (scope, owner_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash,"
	    " status = NULL, location = NULL, body = NULL, ticket_id = NULL, created_at = now()"
	    " WHERE k.created_at < now() - interval '24 hours'"
	    " RETURNING 1", 4),
	/* The ticket as the caller may see it (the portal's row-level security). */
	[ST_FOUND] = DB_STMT("idem_found",
	    "SELECT " DB_COLS(FOUND_COLS) " FROM idempotency_keys k"
	    " LEFT JOIN tickets t ON t.id = k.ticket_id"
	    " WHERE k.scope = $1 AND k.owner_id = $2 AND k.key = $3", 3),
	[ST_STORE] = DB_STMT("idem_store",
	    "UPDATE idempotency_keys SET status = $4, location = $5, body = $6"
	    " WHERE scope = $1 AND owner_id = $2 AND key = $3", 6),
	[ST_STORE_TICKET] = DB_STMT("idem_store_ticket",
	    "UPDATE idempotency_keys SET ticket_id = $4"
	    " WHERE scope = $1 AND owner_id = $2 AND key = $3", 4),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static const char *const scopes[] = {
	[IDEM_API] = "api",
	[IDEM_PORTAL] = "portal",
	[IDEM_CONSOLE] = "console",
};
_Static_assert(sizeof(scopes) / sizeof(scopes[0]) == IDEM_SCOPE__MAX, "a name per scope");

int
idem_key_valid(const char *key)
{
	size_t i;

	if (key == NULL || *key == '\0')
		return 0;
	for (i = 0; key[i] != '\0'; i++)
		if (i >= IDEM_KEY_MAX || key[i] < 0x21 || key[i] > 0x7e)
			return 0;
	return 1;
}

const char *
idem_form_token(struct arena *a)
{
	return csrf_new(a);
}

/* The request's SHA-256 in hex ("" for none), in hex; sizeof(hex) >= 65. */
static void
request_hash(const char *request, char *hex, size_t len)
{
	unsigned char h[crypto_hash_sha256_BYTES];

	if (request == NULL) {
		hex[0] = '\0';
		return;
	}
	crypto_hash_sha256(h, (const unsigned char *)request, strlen(request));
	sodium_bin2hex(hex, len, h, sizeof(h));
}

enum cs_result
idem_claim(struct db *db, struct arena *a, enum idem_scope scope, long long owner_id,
    const char *key, const char *request, struct idem_claim *out, const char **why)
{
	char owner[24], hash[crypto_hash_sha256_BYTES * 2 + 1];
	const char *p[] = { scopes[scope], owner, key, hash };
	PGresult *r;
	int claimed, failed = 0;

	memset(out, 0, sizeof(*out));
	snprintf(owner, sizeof(owner), "%lld", owner_id);
	request_hash(request, hash, sizeof(hash));
	if ((r = db_exec(db, &stmts[ST_CLAIM], p)) == NULL)
		return db_result(db);
	claimed = PQntuples(r) == 1;
	PQclear(r);
	if (claimed)
		return CS_OK;
	if ((r = db_exec(db, &stmts[ST_FOUND], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) != 1) {
		/* Gone between the two statements (tidied): a retry claims it. */
		PQclear(r);
		return CS_CONFLICT;
	}
	if (request != NULL && strcmp(PQgetvalue(r, 0, IK_request_hash), hash) != 0) {
		PQclear(r);
		if (why != NULL)
			*why = "This Idempotency-Key was used for a different request.";
		return CS_REFUSED;
	}
	out->status = (int)db_ll(r, 0, IK_status);
	out->location = db_str(a, r, 0, IK_location, &failed);
	out->body = db_str(a, r, 0, IK_body, &failed);
	out->ticket_id = db_ll(r, 0, IK_ticket_id);
	out->ticket_number = db_str(a, r, 0, IK_ticket_number, &failed);
	PQclear(r);
	if (failed)
		return CS_FAILED;
	if (out->status == 0 && out->ticket_id == 0)
		return CS_CONFLICT;
	out->replay = 1;
	return CS_OK;
}

enum cs_result
idem_store(struct db *db, enum idem_scope scope, long long owner_id, const char *key,
    int status, const char *location, const char *body)
{
	char owner[24], st[8];
	const char *p[] = { scopes[scope], owner, key, st, location, body };
	enum cs_result rc;

	snprintf(owner, sizeof(owner), "%lld", owner_id);
	snprintf(st, sizeof(st), "%d", status);
	/* No row: the claim was not made in this transaction (a bug). */
	rc = db_update_one(db, &stmts[ST_STORE], p);
	return rc == CS_NOT_FOUND ? CS_FAILED : rc;
}

enum cs_result
idem_store_ticket(struct db *db, const struct idem_key *k, long long ticket_id)
{
	char owner[24], id[24];
	const char *p[] = { scopes[k->scope], owner, k->key, id };
	enum cs_result rc;

	snprintf(owner, sizeof(owner), "%lld", k->owner_id);
	snprintf(id, sizeof(id), "%lld", ticket_id);
	rc = db_update_one(db, &stmts[ST_STORE_TICKET], p);
	return rc == CS_NOT_FOUND ? CS_FAILED : rc;
}
