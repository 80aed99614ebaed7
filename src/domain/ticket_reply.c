/*
 * ticket_reply.c — a comment on a ticket, from any channel: ticket_reply
 * (see tickets.h), and the part a reopen with a reason shares.
 */
#include "domain/ticket_int.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/customer_limits.h"
#include "domain/ticket_collab.h"

#include <jansson.h>
#include <string.h>

#define COMMENT_COLS(X) X(CM, id, "id")
enum { DB_COL_ENUM(COMMENT_COLS) };

enum stmt {
	ST_COMMENT,
	ST_TOUCH_STAFF,
	ST_TOUCH_CUSTOMER,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* The comment and its history row in one round trip. */
	[ST_COMMENT] = DB_STMT("ticket_comment_insert",
	    "WITH c AS (INSERT INTO ticket_comments (ticket_id, kind, author_staff_id,"
	    " author_user_id, body, minutes_spent) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id),"
	    " h AS (INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, new_value)"
	    " SELECT $1, $7, $8, 'comment', $2 FROM c)"
	    " SELECT " DB_COLS(COMMENT_COLS) " FROM c", 8),
	[ST_TOUCH_STAFF] = DB_STMT("ticket_touch_staff",
	    "UPDATE tickets SET version = version + 1, updated_at = now(),"
	    " first_response_at = CASE WHEN $2 THEN coalesce(first_response_at, now())"
	    " ELSE first_response_at END WHERE id = $1", 2),
	[ST_TOUCH_CUSTOMER] = DB_STMT("ticket_touch_customer",
	    "UPDATE tickets SET version = version + 1, updated_at = now(),"
	    " status = coalesce($2, status) WHERE id = $1", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

const char *
ticket_reply_refused(const struct ticket_actor_ref *by, const struct ticket_reply_in *in,
    int *not_found)
{
	const char *bad;

	*not_found = 0;
	if (in->kind == NULL || (strcmp(in->kind, "public") != 0 &&
	    strcmp(in->kind, "internal") != 0))
		return "Choose public reply or internal note.";
	if (strcmp(in->kind, "internal") == 0 && !ticket_is_staff(by)) {
		*not_found = 1;
		return NULL;
	}
	if (ticket_blank(in->body))
		return "Write a message.";
	if (!ticket_text_fits(in->body, TICKET_BODY_MAX))
		return "The message is longer than 50,000 characters.";
	if (ticket_is_staff(by) && (in->minutes_spent < 0 ||
	    in->minutes_spent > TICKET_MINUTES_MAX))
		return "Minutes spent must be a whole number from 0 to 10,000.";
	if (!ticket_text_fits(in->external_ref, TICKET_EXTERNAL_REF_MAX))
		return "The reference is too long.";
	if ((bad = ticket_files_refused(in->files, in->nfiles)) != NULL)
		return bad;
	return NULL;
}

static enum cs_result
insert(struct db *db, const struct ticket_actor_ref *by, const struct ticket_reply_in *in,
    long long *id)
{
	struct tnum t, s, u, m, ac;
	const char *p[] = { tnum(&t, in->ticket_id), in->kind,
		by->kind == TA_STAFF ? tnum_or_null(&s, by->id) : NULL,
		by->kind == TA_CUSTOMER ? tnum_or_null(&u, by->id) : NULL, in->body,
		tnum(&m, ticket_is_staff(by) ? in->minutes_spent : 0),
		by->kind == TA_CUSTOMER ? "customer" : by->kind == TA_SYSTEM ? "system" :
		by->api ? "api" : "staff",
		by->kind == TA_SYSTEM ? NULL : tnum_or_null(&ac, by->id) };
	PGresult *r = db_exec(db, &stmts[ST_COMMENT], p);

	if (r == NULL)
		return db_result(db);
	*id = PQntuples(r) == 1 ? db_ll(r, 0, CM_id) : 0;
	PQclear(r);
	return *id > 0 ? CS_OK : CS_FAILED;
}

/* Staff: the first public reply is the first response. */
static enum cs_result
touch_staff(struct db *db, const struct ticket_actor_ref *by, const struct ticket_reply_in *in,
    const struct ticket_locked *l)
{
	int first = by->kind == TA_STAFF && strcmp(in->kind, "public") == 0 && l->awaits_response;
	struct tnum t;
	const char *p[] = { tnum(&t, in->ticket_id), first ? "t" : "f" };

	if (db_run(db, &stmts[ST_TOUCH_STAFF], p) < 0)
		return db_result(db);
	return first ? ticket_history(db, by, in->ticket_id, "first_response", NULL, "now") : CS_OK;
}

/* A customer answered: a ticket waiting for them is back with the agent. */
static enum cs_result
touch_customer(struct db *db, const struct ticket_actor_ref *by,
    const struct ticket_reply_in *in, const struct ticket_locked *l)
{
	int back = l->status == TS_PENDING_CUSTOMER;
	const char *from = ticket_status_name(l->status), *to = ticket_status_name(TS_IN_PROGRESS);
	struct tnum t;
	const char *p[] = { tnum(&t, in->ticket_id), back ? to : NULL };
	enum cs_result rc;

	if (db_run(db, &stmts[ST_TOUCH_CUSTOMER], p) < 0)
		return db_result(db);
	if (!back)
		return CS_OK;
	rc = ticket_history(db, by, in->ticket_id, "status", from, to);
	if (rc == CS_OK)
		rc = ticket_event(db, by, in->ticket_id, "ticket.status_changed",
		    json_pack("{s:s, s:s, s:s}", "number", l->number, "from", from, "to", to), in->ip);
	return rc;
}

/* The note's mentions, recorded, as the payload's "mentioned" (none: absent). */
static enum cs_result
mentions(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const struct ticket_reply_in *in, json_t *payload, size_t *n)
{
	long long *ids;
	json_t *list;
	size_t i;
	enum cs_result rc;

	*n = 0;
	if (by->kind != TA_STAFF || strcmp(in->kind, "internal") != 0)
		return CS_OK;
	rc = collab_mentions_record(db, a, in->ticket_id, by->id, in->body, &ids, n);
	if (rc != CS_OK || *n == 0)
		return rc;
	if ((list = json_array()) == NULL || json_object_set_new(payload, "mentioned", list) < 0)
		return CS_FAILED;
	for (i = 0; i < *n; i++)
		if (json_array_append_new(list, json_integer((json_int_t)ids[i])) < 0)
			return CS_FAILED;
	return CS_OK;
}

enum cs_result
ticket_reply_locked(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const struct ticket_reply_in *in, const struct ticket_locked *l, struct ticket_replied *out)
{
	int internal = strcmp(in->kind, "internal") == 0;
	json_t *payload;
	enum cs_result rc;
	long long id = 0;
	size_t mentioned = 0;

	rc = insert(db, by, in, &id);
	if (rc == CS_OK)
		rc = ticket_files_store(db, by, in->ticket_id, id, in->files, in->nfiles);
	if (rc == CS_OK)
		rc = ticket_is_staff(by) ? touch_staff(db, by, in, l) : touch_customer(db, by, in, l);
	if (rc != CS_OK)
		return rc;
	payload = json_pack("{s:s, s:I}", "number", l->number, "comment_id", (json_int_t)id);
	if (payload == NULL)
		return CS_FAILED;
	if (in->external_ref != NULL && *in->external_ref != '\0' &&
	    json_object_set_new(payload, "external_ref", json_string(in->external_ref)) < 0)
		rc = CS_FAILED;
	if (rc == CS_OK)
		rc = mentions(db, a, by, in, payload, &mentioned);
	if (rc != CS_OK) {
		json_decref(payload);
		return rc;
	}
	rc = ticket_event(db, by, in->ticket_id, internal ? "ticket.noted" : "ticket.replied",
	    payload, in->ip);
	if (rc == CS_OK && out != NULL) {
		out->comment_id = id;
		out->mentioned = mentioned;
	}
	return rc;
}

enum cs_result
ticket_reply(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const struct ticket_reply_in *in, struct ticket_replied *out, const char **why)
{
	struct ticket_locked l;
	const char *bad;
	enum cs_result rc;
	int not_found, wait = 0;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if ((bad = ticket_reply_refused(by, in, &not_found)) != NULL)
		return ticket_refuse(why, bad);
	if (not_found)
		return CS_NOT_FOUND;
	if (db_begin(db) < 0)
		return db_result(db);
	rc = ticket_lock(db, a, by, in->ticket_id, &l);
	if (rc != CS_OK)
		goto out;
	if (in->expected_version != 0 && l.version != in->expected_version)
		rc = ticket_refuse(why, "The ticket changed since you opened it: read the change, "
		    "then send again.");
	else if (!ticket_is_staff(by) && (l.status == TS_CLOSED || l.status == TS_CANCELLED))
		rc = ticket_refuse(why, "This request is closed: reopen it to write again.");
	else if (by->kind == TA_CUSTOMER && (rc = customer_limits_check(db, a,
	    CUSTOMER_LIMIT_REPLY, by->customer_id, in->files, in->nfiles, why, &wait)) != CS_OK) {
		if (out != NULL)
			out->retry_after = wait;
	} else
		rc = ticket_reply_locked(db, a, by, in, &l, out);
out:
	return ticket_end(db, rc);
}
