/* webhook_send.c — see webhook_send.h. */
#include "domain/webhook_send.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define DUE_COLS(X) X(DU, id, "d.id") X(DU, url, "w.url") X(DU, secret, "w.secret") \
	X(DU, event, "d.event") X(DU, source, "d.source") X(DU, body, "d.payload::text") \
	X(DU, attempts, "d.attempts")
enum { DB_COL_ENUM(DUE_COLS) };

enum stmt { ST_LEASE, ST_DONE, ST_RETRY, ST__MAX };

#define STR_(x) #x
#define STR(x) STR_(x)

static struct db_stmt stmts[] = {
	/* The due ones, leased: their next try moves ahead while this run posts. */
	[ST_LEASE] = DB_STMT("webhook_lease",
	    "WITH due AS (SELECT id FROM webhook_deliveries WHERE state = 'pending'"
	    " AND next_attempt_at <= now() ORDER BY next_attempt_at, id LIMIT $1::integer"
	    " FOR UPDATE SKIP LOCKED),"
	    " d AS (UPDATE webhook_deliveries x SET next_attempt_at = now()"
	    " + interval '" STR(WEBHOOK_LEASE_MIN) " minutes' FROM due WHERE x.id = due.id"
	    " RETURNING x.*)"
	    " SELECT " DB_COLS(DUE_COLS) " FROM d JOIN webhooks w ON w.id = d.webhook_id"
	    " ORDER BY d.next_attempt_at, d.id", 1),
	[ST_DONE] = DB_STMT("webhook_delivered",
	    "UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1,"
	    " last_status = $2::integer, last_error = NULL, delivered_at = now()"
	    " WHERE id = $1::bigint", 2),
	/* The waits after each failed try: 1, 5, 30, 120, 720 minutes; then given up. */
	[ST_RETRY] = DB_STMT("webhook_retry",
	    "UPDATE webhook_deliveries SET attempts = attempts + 1,"
	    " last_status = nullif($2::integer, 0), last_error = left($3, 300),"
	    " state = CASE WHEN attempts + 1 >= " STR(WEBHOOK_ATTEMPTS_MAX) " THEN 'failed'"
	    " ELSE 'pending' END,"
	    " next_attempt_at = now() + make_interval(mins => (ARRAY[1, 5, 30, 120, 720])"
	    "[least(attempts + 1, 5)]) WHERE id = $1::bigint", 3),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

void
webhook_signature(const char *secret, const char *body, size_t len, char *out)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, 65, mac, sizeof(mac));
}

/* The receiver's answer is not kept: only its status counts. */
static size_t
discard(char *ptr, size_t size, size_t n, void *ctx)
{
	(void)ptr;
	(void)ctx;
	return size * n;
}

/*
 * Posts one delivery. Returns the HTTP status (0 when none came) and, when
 * it failed, a sentence in err.
 */
static long
post(CURL *c, const char *url, const char *event, const char *source, const char *secret,
    const char *body, char *err, size_t errsize)
{
	char sig[WEBHOOK_SIGNATURE_LEN + 1], h[3][160];
	struct curl_slist *headers = NULL;
	CURLcode cc;
	long status = 0;

	webhook_signature(secret, body, strlen(body), sig);
	snprintf(h[0], sizeof(h[0]), "X-Csdesk-Event: %s", event);
	snprintf(h[1], sizeof(h[1]), "X-Csdesk-Delivery: %s", source);
	snprintf(h[2], sizeof(h[2]), "X-Csdesk-Signature: %s", sig);
	headers = curl_slist_append(headers, "Content-Type: application/json");
	headers = curl_slist_append(headers, "User-Agent: csdesk-webhooks");
	headers = curl_slist_append(headers, h[0]);
	headers = curl_slist_append(headers, h[1]);
	headers = curl_slist_append(headers, h[2]);
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)WEBHOOK_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	/* A redirect is not followed: the signature was for this address. */
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	cc = curl_easy_perform(c);
	if (cc != CURLE_OK)
		snprintf(err, errsize, "%s", curl_easy_strerror(cc));
	else if (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK)
		snprintf(err, errsize, "no status");
	else if (status < 200 || status > 299)
		snprintf(err, errsize, "answered %ld", status);
	curl_slist_free_all(headers);
	return status;
}

/* Records one try's outcome. */
static enum cs_result
record(struct db *db, const char *id, long status, const char *err, long *delivered,
    long *retried)
{
	char st[16];
	const char *p[] = { id, st, err };
	int ok = status >= 200 && status <= 299;

	snprintf(st, sizeof(st), "%ld", status);
	if (ok)
		++*delivered;
	else
		++*retried;
	return db_do(db, &stmts[ok ? ST_DONE : ST_RETRY], p);
}

enum cs_result
webhooks_send_due(struct db *db, int max, long *delivered, long *retried)
{
	char lim[16], err[CURL_ERROR_SIZE + 32];
	const char *p[] = { lim };
	enum cs_result rc = CS_OK;
	PGresult *r;
	CURL *c;
	int i;

	*delivered = *retried = 0;
	snprintf(lim, sizeof(lim), "%d", max);
	/* The lease commits on its own: no transaction is open while we post. */
	if ((r = db_exec(db, &stmts[ST_LEASE], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) == 0) {
		PQclear(r);
		return CS_OK;
	}
	if ((c = curl_easy_init()) == NULL) {
		PQclear(r);
		return log_failed("webhooks: libcurl: cannot start");
	}
	for (i = 0; i < PQntuples(r) && rc == CS_OK; i++) {
		long status;

		err[0] = '\0';
		status = post(c, PQgetvalue(r, i, DU_url), PQgetvalue(r, i, DU_event),
		    PQgetvalue(r, i, DU_source), PQgetvalue(r, i, DU_secret),
		    PQgetvalue(r, i, DU_body), err, sizeof(err));
		rc = record(db, PQgetvalue(r, i, DU_id), status, err, delivered, retried);
	}
	curl_easy_cleanup(c);
	PQclear(r);
	return rc;
}
