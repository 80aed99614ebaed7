/* webhooks.c — see webhooks.h. */
#include "domain/webhooks.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/events.h"
#include "domain/text_check.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

const char *const webhook_events[] = { "ticket.created", "ticket.replied", "ticket.noted",
	"ticket.status_changed", "ticket.assigned", "ticket.fields_changed", "ticket.merged",
	NULL };

#define HOOK_COLS(X) X(WH, id, "w.id") X(WH, name, "w.name") X(WH, url, "w.url") \
	X(WH, events, "array_to_string(w.events, ',')") X(WH, secret, "w.secret") \
	X(WH, active, "w.active") \
	X(WH, pending, "(SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id" \
	    " AND d.state = 'pending')") \
	X(WH, failed, "(SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id" \
	    " AND d.state = 'failed')")
enum { DB_COL_ENUM(HOOK_COLS) };

#define TS(col) "coalesce(to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), '')"
#define LOG_COLS(X) X(DL, id, "d.id") X(DL, event, "d.event") X(DL, state, "d.state") \
	X(DL, attempts, "d.attempts") X(DL, status, "coalesce(d.last_status, 0)") \
	X(DL, error, "coalesce(d.last_error, '')") X(DL, created, TS("d.created_at")) \
	X(DL, delivered, TS("d.delivered_at")) \
	X(DL, next, "CASE WHEN d.state = 'pending' THEN " TS("d.next_attempt_at") " ELSE '' END")
enum { DB_COL_ENUM(LOG_COLS) };

#define NEW_COLS(X) X(NEW, id, "id")
enum { DB_COL_ENUM(NEW_COLS) };

enum stmt { ST_LIST, ST_GET, ST_ADD, ST_ACTIVE, ST_DELETE, ST_LOG, ST_QUEUE, ST__MAX };

static struct db_stmt stmts[] = {
	[ST_LIST] = DB_STMT("webhook_list",
	    "SELECT " DB_COLS(HOOK_COLS) " FROM webhooks w ORDER BY lower(w.name), w.id", 0),
	[ST_GET] = DB_STMT("webhook_get",
	    "SELECT " DB_COLS(HOOK_COLS) " FROM webhooks w WHERE w.id = $1::bigint", 1),
	[ST_ADD] = DB_STMT("webhook_add",
	    "INSERT INTO webhooks (name, url, events, secret)"
	    " VALUES ($1, $2, string_to_array($3, ','), $4) RETURNING " DB_COLS(NEW_COLS), 4),
	[ST_ACTIVE] = DB_STMT("webhook_active",
	    "UPDATE webhooks SET active = $2::boolean WHERE id = $1::bigint", 2),
	[ST_DELETE] = DB_STMT("webhook_delete", "DELETE FROM webhooks WHERE id = $1::bigint", 1),
	/* Keyset: the log index (webhook_id, id DESC). */
	[ST_LOG] = DB_STMT("webhook_log",
	    "SELECT " DB_COLS(LOG_COLS) " FROM webhook_deliveries d"
	    " WHERE d.webhook_id = $1::bigint AND ($2::bigint = 0 OR d.id < $2::bigint)"
	    " ORDER BY d.id DESC LIMIT $3::integer", 3),
	/*
	 * One event to every active webhook that wants it, once: $1 the
	 * event's id, $2 its type, $3 when, $4 its payload, $5 the ticket.
	 */
	[ST_QUEUE] = DB_STMT("webhook_queue_event",
	    "INSERT INTO webhook_deliveries (webhook_id, source, event, payload)"
	    " SELECT w.id, 'e:' || $1::text, $2::text, jsonb_build_object('delivery',"
	    " 'e:' || $1::text, 'event', $2::text, 'occurred_at', $3::text,"
	    " 'ticket', (SELECT jsonb_build_object('id', t.id,"
	    " 'number', t.number, 'subject', t.subject, 'status', t.status, 'priority',"
	    " t.priority, 'type', t.type) FROM tickets t WHERE t.id = $5::bigint),"
	    " 'data', $4::jsonb)"
	    " FROM webhooks w WHERE w.active AND $2::text = ANY (w.events)"
	    " ON CONFLICT (webhook_id, source) DO NOTHING", 5),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill_hook(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct webhook *w = elem;
	int failed = 0;

	w->id = db_ll(r, i, WH_id);
	w->name = db_str(a, r, i, WH_name, &failed);
	w->url = db_str(a, r, i, WH_url, &failed);
	w->events = db_str(a, r, i, WH_events, &failed);
	w->secret = db_str(a, r, i, WH_secret, &failed);
	w->active = db_bool(r, i, WH_active);
	w->pending = db_ll(r, i, WH_pending);
	w->failed = db_ll(r, i, WH_failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
webhook_list(struct db *db, struct arena *a, struct webhook **rows, size_t *n)
{
	void *out = NULL;
	enum cs_result rc = db_rows(db, a, &stmts[ST_LIST], NULL, sizeof(**rows), fill_hook,
	    &out, n);

	*rows = out;
	return rc;
}

enum cs_result
webhook_get(struct db *db, struct arena *a, long long id, struct webhook *w)
{
	const char *p[] = { db_param_ll(a, id) };

	memset(w, 0, sizeof(*w));
	if (p[0] == NULL)
		return CS_FAILED;
	return db_one(db, a, &stmts[ST_GET], p, fill_hook, w);
}

/* The URL's shape: http(s)://host…, one line, no blanks. */
static int
url_ok(const char *url)
{
	size_t i;

	if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
		return 0;
	for (i = 0; url[i] != '\0'; i++)
		if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f)
			return 0;
	return url[strncmp(url, "https://", 8) == 0 ? 8 : 7] != '\0' &&
	    strchr("/?#", url[strncmp(url, "https://", 8) == 0 ? 8 : 7]) == NULL;
}

/* NULL when the input may be saved, else why (and *field). */
static const char *
refused(const char *name, const char *url, const char *const *events, size_t n,
    const char **field)
{
	size_t i, k;

	*field = "name";
	if (name == NULL || utf8_chars(name) < 1 || utf8_chars(name) > WEBHOOK_NAME_MAX ||
	    !text_line_ok(name))
		return "Give the webhook a name of 1 to 100 characters on one line.";
	*field = "url";
	if (url == NULL || strlen(url) > WEBHOOK_URL_MAX || !url_ok(url))
		return "Enter the address to post to, starting with https:// or http://.";
	*field = "events";
	if (n == 0)
		return "Choose at least one event.";
	for (i = 0; i < n; i++) {
		for (k = 0; webhook_events[k] != NULL && strcmp(webhook_events[k], events[i]); k++)
			;
		if (webhook_events[k] == NULL)
			return "Choose events from the list.";
	}
	*field = NULL;
	return NULL;
}

enum cs_result
webhook_create(struct db *db, struct arena *a, const struct audit_entry *by, const char *name,
    const char *url, const char *const *events, size_t nevents, long long *id,
    const char **field, const char **why)
{
	unsigned char key[32];
	char secret[65];
	const char *p[4];
	struct buf list;
	size_t i;
	json_t *ev;
	enum cs_result rc;

	*id = 0;
	if ((*why = refused(name, url, events, nevents, field)) != NULL)
		return CS_REFUSED;
	if ((ev = json_array()) == NULL)
		return CS_FAILED;
	buf_init(&list, a);
	for (i = 0; i < nevents; i++) {
		buf_printf(&list, "%s%s", i > 0 ? "," : "", events[i]);
		json_array_append_new(ev, json_string(events[i]));
	}
	if (list.failed) {
		json_decref(ev);
		return CS_FAILED;
	}
	randombytes_buf(key, sizeof(key));
	sodium_bin2hex(secret, sizeof(secret), key, sizeof(key));
	p[0] = name;
	p[1] = url;
	p[2] = list.buf;
	p[3] = secret;
	if (db_begin(db) < 0) {
		json_decref(ev);
		return db_result(db);
	}
	if ((rc = db_id(db, &stmts[ST_ADD], p, NEW_id, id)) != CS_OK) {
		json_decref(ev);
		if (db_is(db, "23505")) {
			*field = "name";
			*why = "Another webhook has this name.";
			rc = CS_REFUSED;
		}
		return db_end(db, rc == CS_NOT_FOUND ? CS_FAILED : rc);
	}
	/* The secret is not audited: the log is read more widely than this page. */
	return admin_audit_commit(db, by, "webhook.create", "webhook", *id,
	    json_pack("{s:s, s:s, s:o}", "name", name, "url", url, "events", ev));
}

/* Runs st on id in a transaction with its audit record. */
static enum cs_result
change(struct db *db, const struct audit_entry *by, struct db_stmt *st, const char *const *p,
    const char *action, long long id)
{
	enum cs_result rc;
	PGresult *r;

	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, st, p)) == NULL)
		return db_end(db, db_result(db));
	rc = db_changed(r) == 1 ? CS_OK : CS_NOT_FOUND;
	PQclear(r);
	if (rc != CS_OK)
		return db_end(db, rc);
	return admin_audit_commit(db, by, action, "webhook", id, json_object());
}

enum cs_result
webhook_set_active(struct db *db, const struct audit_entry *by, long long id, int active)
{
	char idbuf[24];
	const char *p[] = { idbuf, active ? "t" : "f" };

	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	return change(db, by, &stmts[ST_ACTIVE], p, active ? "webhook.activate" :
	    "webhook.deactivate", id);
}

enum cs_result
webhook_delete(struct db *db, const struct audit_entry *by, long long id)
{
	char idbuf[24];
	const char *p[] = { idbuf };

	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	return change(db, by, &stmts[ST_DELETE], p, "webhook.delete", id);
}

static enum cs_result
fill_delivery(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct webhook_delivery *d = elem;
	int failed = 0;

	d->id = db_ll(r, i, DL_id);
	d->event = db_str(a, r, i, DL_event, &failed);
	d->state = db_str(a, r, i, DL_state, &failed);
	d->attempts = (int)db_ll(r, i, DL_attempts);
	d->last_status = (int)db_ll(r, i, DL_status);
	d->last_error = db_str(a, r, i, DL_error, &failed);
	d->created_at = db_str(a, r, i, DL_created, &failed);
	d->delivered_at = db_str(a, r, i, DL_delivered, &failed);
	d->next_attempt_at = db_str(a, r, i, DL_next, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
webhook_deliveries(struct db *db, struct arena *a, long long webhook_id, long long before,
    struct webhook_delivery **rows, size_t *n, long long *next_before)
{
	char id[24], bf[24], lim[16];
	const char *p[] = { id, bf, lim };
	void *out = NULL;
	enum cs_result rc;
	int more = 0;

	*next_before = 0;
	snprintf(id, sizeof(id), "%lld", webhook_id);
	snprintf(bf, sizeof(bf), "%lld", before > 0 ? before : 0);
	snprintf(lim, sizeof(lim), "%d", WEBHOOK_LOG_PAGE + 1);
	rc = db_page(db, a, &stmts[ST_LOG], p, WEBHOOK_LOG_PAGE, sizeof(**rows), fill_delivery,
	    &out, n, &more);
	*rows = out;
	if (rc == CS_OK && more && *n > 0)
		*next_before = (*rows)[*n - 1].id;
	return rc;
}

/* The consumer's handler: a ticket event to the webhooks that want it. */
static enum cs_result
queue_event(struct db *db, struct arena *a, const struct event *e, void *ctx)
{
	const char *p[5];

	(void)ctx;
	if (strcmp(e->aggregate, "ticket") != 0)
		return CS_OK;
	p[0] = db_param_ll(a, e->id);
	p[1] = e->type;
	p[2] = e->occurred_at;
	p[3] = e->payload != NULL ? e->payload : "{}";
	p[4] = db_param_ll(a, e->aggregate_id);
	if (p[0] == NULL || p[4] == NULL)
		return CS_FAILED;
	return db_do(db, &stmts[ST_QUEUE], p);
}

static const struct event_consumer consumer = { "webhooks", queue_event, NULL };

enum cs_result
webhooks_consume(struct db *db, int max_batches, long *done)
{
	return events_drain(db, &consumer, max_batches, done);
}
