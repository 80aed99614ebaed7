/* ticket_change.c — what every ticket change shares; see ticket_int.h. */
#include "domain/ticket_int.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/events.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOCK_COLS(X) \
	X(LK, status, "t.status") X(LK, version, "t.version") \
	X(LK, awaits, "t.first_response_at IS NULL") X(LK, number, "t.number")
enum { DB_COL_ENUM(LOCK_COLS) };

enum stmt {
	ST_LOCK,
	ST_HISTORY,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_LOCK] = DB_STMT("ticket_lock",
	    "SELECT " DB_COLS(LOCK_COLS) " FROM tickets t WHERE t.id = $1 AND"
	    TICKET_SCOPE("$2", "$3", "$4", "$5") " FOR UPDATE", 5),
	[ST_HISTORY] = DB_STMT("ticket_event",
	    "INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, old_value,"
	    " new_value) VALUES ($1, $2, $3, $4, $5, $6)", 6),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

const char *
tnum(struct tnum *n, long long v)
{
	snprintf(n->s, sizeof(n->s), "%lld", v);
	return n->s;
}

const char *
tnum_or_null(struct tnum *n, long long v)
{
	return v == 0 ? NULL : tnum(n, v);
}

int
ticket_is_staff(const struct ticket_actor_ref *by)
{
	return by->kind != TA_CUSTOMER;
}

/* The actor_kind both ticket_events and domain_events store. */
static const char *
actor_kind(const struct ticket_actor_ref *by)
{
	if (by->kind == TA_CUSTOMER)
		return "customer";
	if (by->kind == TA_SYSTEM)
		return "system";
	return by->api ? "api" : "staff";
}

void
ticket_scope_params(const struct ticket_actor_ref *by, struct tnum n[2], const char **p)
{
	p[0] = ticket_is_staff(by) ? "t" : "f";
	p[1] = tnum(&n[0], by->customer_id);
	p[2] = by->account_admin ? "t" : "f";
	p[3] = tnum(&n[1], by->id);
}

enum cs_result
ticket_refuse(const char **why, const char *text)
{
	if (why != NULL)
		*why = text;
	return CS_REFUSED;
}

int
ticket_blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

int
ticket_text_fits(const char *v, size_t max)
{
	long n;

	if (v == NULL)
		return 1;
	n = utf8_chars_checked(v);
	return n >= 0 && (size_t)n <= max;
}

enum cs_result
ticket_lock(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, struct ticket_locked *l)
{
	struct tnum n[3];
	const char *p[5];
	PGresult *r;
	int failed = 0;

	p[0] = tnum(&n[2], ticket_id);
	ticket_scope_params(by, n, p + 1);
	if ((r = db_exec(db, &stmts[ST_LOCK], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return CS_NOT_FOUND;
	}
	l->status = ticket_status_parse(PQgetvalue(r, 0, LK_status));
	l->version = (int)db_ll(r, 0, LK_version);
	l->awaits_response = db_bool(r, 0, LK_awaits);
	l->number = db_str(a, r, 0, LK_number, &failed);
	PQclear(r);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
ticket_end(struct db *db, enum cs_result rc)
{
	if (rc == CS_OK || rc == CS_REFUSED || rc == CS_NOT_FOUND || rc == CS_LIMITED)
		return db_commit(db) < 0 ? db_result(db) : rc;
	db_rollback(db);
	return rc;
}

enum cs_result
ticket_history(struct db *db, const struct ticket_actor_ref *by, long long ticket_id,
    const char *field, const char *old_value, const char *new_value)
{
	struct tnum t, a;
	const char *p[] = { tnum(&t, ticket_id), actor_kind(by),
		by->kind == TA_SYSTEM ? NULL : tnum_or_null(&a, by->id), field, old_value,
		new_value };

	return db_do(db, &stmts[ST_HISTORY], p);
}

enum cs_result
ticket_event(struct db *db, const struct ticket_actor_ref *by, long long ticket_id,
    const char *type, json_t *payload, const char *ip)
{
	struct event_actor actor = { actor_kind(by), by->kind == TA_SYSTEM ? 0 : by->id };
	enum cs_result rc = CS_FAILED;
	char *text = NULL;

	if (payload != NULL && ip != NULL && *ip != '\0' &&
	    json_object_set_new(payload, "ip", json_string(ip)) < 0)
		goto out;
	if (payload == NULL || (text = json_dumps(payload, JSON_COMPACT)) == NULL)
		goto out;
	rc = events_append(db, "ticket", ticket_id, type, &actor, text);
out:
	if (rc == CS_FAILED && text == NULL)
		log_error("tickets: %s: out of memory for the payload", type);
	free(text);
	json_decref(payload);
	return rc;
}
