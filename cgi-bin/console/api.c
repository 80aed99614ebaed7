/*
 * api.c — the JSON API under /api/v1/ for chat, social and phone-system
 * integrations. The pipeline (src/web/app.c) has already turned the
 * "Authorization: Bearer" key into an integration agent, or answered 401;
 * every answer here is JSON, errors as {"error": {"status", "message"}}.
 *
 * Handlers check the request (content type, size, JSON shape) and its
 * members against a table of field rules (web/fields.h: the same
 * validator as every form), then call the use cases of tickets.h like
 * every other channel, recording the channel the integration names; the
 * limits of lengths are the domain's (422 with its sentence), and what
 * follows from a change (the customer's mail, the audit trail) comes from
 * the events like everywhere else.
 */
#include "console/api.h"
#include "core/arena.h"
#include "domain/api_keys.h"
#include "domain/idempotency.h"
#include "domain/contacts.h"
#include "domain/ticket_api.h"
#include "domain/ticket_fields.h"
#include "domain/tickets.h"
#include "web/api_body.h"
#include "web/fields.h"
#include "web/result.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define API_LIMIT_DEFAULT 25

/* Answers with o (taken) and status. Returns 0, or 500 when o is NULL. */
static int
reply(struct req *r, struct resp *w, int status, json_t *o)
{
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	if (text == NULL)
		return 500;
	w->status = status;
	w->content_type = "application/json";
	buf_addstr(&w->body, text);
	free(text);
	(void)r;
	return 0;
}

/* Answers with the JSON error. Returns 0 (the response is made). */
static int
fail(struct req *r, struct resp *w, int status, const char *message)
{
	app_json_error(r, w, status, message);
	return 0;
}

/* Answers a failure of the domain (CS_DB_LOST, CS_FAILED, …) with its status. */
static int
db_fail(struct req *r, struct resp *w, enum cs_result rc)
{
	return fail(r, w, web_result_status(rc), NULL);
}

typedef int (*api_handler)(struct app *app, struct req *r, struct resp *w);

/* The Location header w carries, or NULL. */
static const char *
location_of(struct req *r, const struct resp *w)
{
	const char *h = strstr(w->headers.buf, "Location: "), *end;

	if (h == NULL)
		return NULL;
	h += strlen("Location: ");
	end = strstr(h, "\r\n");
	return end != NULL ? arena_strndup(r->arena, h, (size_t)(end - h)) : NULL;
}

/*
 * Runs a POST or PATCH under the client's Idempotency-Key (docs/api.md):
 * without one, as it is. With one, the claim, the change and the answer
 * stored for a retry share one transaction, so a retry after a lost
 * answer (a 502/504) gets the stored answer (with Idempotent-Replayed:
 * true) rather than making a second ticket. Only successes are stored: a
 * refusal changes nothing, and its retry is judged afresh.
 */
static int
idempotent(struct app *app, struct req *r, struct resp *w, api_handler handler)
{
	const char *key = req_env(r, "HTTP_IDEMPOTENCY_KEY"), *why = NULL, *request;
	struct idem_claim c;
	enum cs_result rc;
	int st;

	if (key == NULL)
		return handler(app, r, w);
	if (!idem_key_valid(key))
		return fail(r, w, 400, "Idempotency-Key must be 1 to 255 printable ASCII characters.");
	request = arena_printf(r->arena, "%s %s\n%.*s", r->method_name, r->path,
	    (int)r->raw_body_len, r->raw_body != NULL ? r->raw_body : "");
	if (request == NULL)
		return 500;
	if (db_begin(&app->db) < 0)
		return db_fail(r, w, db_result(&app->db));
	rc = idem_claim(&app->db, r->arena, IDEM_API, r->who.session_id, key, request, &c, &why);
	if (rc != CS_OK || c.replay) {
		db_rollback(&app->db);
		if (rc == CS_REFUSED)
			return fail(r, w, 422, why);
		if (rc == CS_CONFLICT)
			return fail(r, w, 409, "A request with this Idempotency-Key is in progress.");
		if (rc != CS_OK)
			return db_fail(r, w, rc);
		w->status = c.status;
		w->content_type = "application/json";
		buf_addstr(&w->body, c.body);
		if (*c.location != '\0')
			resp_header(w, "Location", c.location);
		resp_header(w, "Idempotent-Replayed", "true");
		return 0;
	}
	st = handler(app, r, w);
	if (st != 0 || w->status >= 300) {
		db_rollback(&app->db);
		return st;
	}
	rc = idem_store(&app->db, IDEM_API, r->who.session_id, key, w->status,
	    location_of(r, w), w->body.buf);
	if ((rc = db_end(&app->db, rc)) != CS_OK) {
		/* Not stored, so not done: the answer must not say it was. */
		buf_reset(&w->body);
		buf_reset(&w->headers);
		return db_fail(r, w, rc);
	}
	return 0;
}

static void
actor(const struct req *r, struct ticket_actor_ref *by)
{
	memset(by, 0, sizeof(*by));
	by->kind = TA_STAFF;
	by->id = r->who.id;
	by->api = 1;
}

/*
 * The body as a JSON object. Returns 0 with *out set, else the error
 * response is made and *out is NULL (415, 413 or 400).
 */
static int
read_object(struct req *r, struct resp *w, json_t **out)
{
	const char *ct = r->content_type;
	size_t n = strlen("application/json");
	const char *why;
	json_t *o;
	int status;

	*out = NULL;
	if (strncasecmp(ct, "application/json", n) != 0 || (ct[n] != '\0' && ct[n] != ';' &&
	    ct[n] != ' '))
		return fail(r, w, 415, "Send the body as application/json.");
	o = api_body_parse(r->arena, r->raw_body, r->raw_body_len, &status, &why);
	if (o == NULL)
		return fail(r, w, status, why);
	*out = o;
	return 0;
}

/*
 * Checks o's members against rules into vals (copies in the request's
 * arena) and releases o. Returns 0, or answers 422 with the first message
 * and returns -1 (500 when out of memory: *st).
 */
static int
members(struct req *r, struct resp *w, json_t *o, const struct field_rule *rules, size_t n,
    const char **vals, int *st)
{
	struct field_form f;
	int bad = fields_init(&f, r->arena) < 0;

	if (!bad)
		fields_check_json(&f, o, rules, n, vals, NULL);
	json_decref(o);
	*st = 0;
	if (bad || f.failed) {
		*st = 500;
		return -1;
	}
	if (f.nerrors == 0)
		return 0;
	*st = fail(r, w, 422, fields_first_error(&f));
	return -1;
}

/* "" (absent) as NULL, for the domain's optional inputs. */
static const char *
given(const char *v)
{
	return *v != '\0' ? v : NULL;
}

/* NULL and "" become null, other strings themselves. */
static json_t *
str_or_null(const char *s)
{
	return s != NULL && *s != '\0' ? json_string(s) : json_null();
}

static json_t *
ticket_json(const struct ticket *t)
{
	json_t *o = json_object();
	int rc = 0;

	if (o == NULL)
		return NULL;
	rc |= json_object_set_new(o, "number", json_string(t->number));
	rc |= json_object_set_new(o, "subject", str_or_null(t->subject));
	rc |= json_object_set_new(o, "description", json_string(t->description ?
	    t->description : ""));
	rc |= json_object_set_new(o, "status", json_string(ticket_status_name(t->status)));
	rc |= json_object_set_new(o, "priority", str_or_null(t->priority));
	rc |= json_object_set_new(o, "urgency", str_or_null(t->urgency));
	rc |= json_object_set_new(o, "type", str_or_null(t->type));
	rc |= json_object_set_new(o, "channel", str_or_null(t->channel));
	rc |= json_object_set_new(o, "customer", json_pack("{s:I,s:o}", "id",
	    (json_int_t)t->customer_id, "name", str_or_null(t->customer_name)));
	rc |= json_object_set_new(o, "requester_email", str_or_null(t->requester_email));
	rc |= json_object_set_new(o, "category", str_or_null(t->category));
	rc |= json_object_set_new(o, "product", str_or_null(t->product));
	rc |= json_object_set_new(o, "queue", str_or_null(t->queue));
	rc |= json_object_set_new(o, "team", str_or_null(t->team));
	rc |= json_object_set_new(o, "assignee", str_or_null(t->assignee));
	rc |= json_object_set_new(o, "created_at", str_or_null(t->created_at));
	rc |= json_object_set_new(o, "updated_at", str_or_null(t->updated_at));
	rc |= json_object_set_new(o, "first_response_at", str_or_null(t->first_response_at));
	rc |= json_object_set_new(o, "resolved_at", str_or_null(t->resolved_at));
	rc |= json_object_set_new(o, "closed_at", str_or_null(t->closed_at));
	rc |= json_object_set_new(o, "reopen_count", json_integer(t->reopen_count));
	rc |= json_object_set_new(o, "version", json_integer(t->version));
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Loads the ticket named in the path; answers 404 itself. 1 found, 0 answered. */
static int
load_ticket(struct app *app, struct req *r, struct resp *w, struct ticket *t, int *st)
{
	struct ticket_actor_ref by;
	const char *number = req_param(r, "number");
	enum cs_result rc;

	actor(r, &by);
	*st = 0;
	rc = ticket_get(&app->db, r->arena, &by, number, t);
	if (rc == CS_OK)
		return 1;
	if (rc == CS_NOT_FOUND)
		*st = fail(r, w, 404, "No such ticket.");
	else
		*st = db_fail(r, w, rc);
	return 0;
}

int
console_api_tickets(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_api_filter f = { 0 };
	struct ticket_api_row *rows;
	long long limit, before, next;
	enum cs_result rc;
	json_t *list, *o;
	size_t n, i;

	f.status = req_query(r, "status");
	if (f.status != NULL && *f.status == '\0')
		f.status = NULL;
	if (f.status != NULL && strcmp(f.status, "open") != 0 &&
	    ticket_status_parse(f.status) == TS__MAX)
		return fail(r, w, 400, "Unknown status.");
	f.customer_email = req_query(r, "customer_email");
	if (f.customer_email != NULL && *f.customer_email == '\0')
		f.customer_email = NULL;
	if (f.customer_email != NULL && strlen(f.customer_email) > API_EMAIL_MAX)
		return fail(r, w, 400, "customer_email is too long.");
	if (web_query_key(r, "limit", &limit) < 0 || limit > TICKET_API_LIMIT_MAX ||
	    (limit == 0 && req_query(r, "limit") != NULL && *req_query(r, "limit") != '\0'))
		return fail(r, w, 400, "limit must be a whole number from 1 to 100.");
	if (limit == 0)
		limit = API_LIMIT_DEFAULT;
	if (web_query_key(r, "before", &before) < 0)
		return fail(r, w, 400, "before must be a ticket id from a previous page.");
	f.limit = (int)limit;
	f.before_id = before;
	if ((rc = ticket_api_list(&app->db, r->arena, &f, &rows, &n, &next)) != CS_OK)
		return db_fail(r, w, rc);
	if ((list = json_array()) == NULL)
		return 500;
	for (i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s}",
		    "id", (json_int_t)rows[i].id, "number", rows[i].number,
		    "status", rows[i].status, "priority", rows[i].priority,
		    "channel", rows[i].channel, "subject", rows[i].subject,
		    "customer_id", (json_int_t)rows[i].customer_id,
		    "created_at", rows[i].created_at, "updated_at", rows[i].updated_at));
	o = json_pack("{s:o,s:o}", "tickets", list, "next_before",
	    next > 0 ? json_integer(next) : json_null());
	return reply(r, w, 200, o);
}

/* Answers 201/200 with the ticket as it is now. */
static int
reply_ticket(struct app *app, struct req *r, struct resp *w, const char *number, int status)
{
	struct ticket_actor_ref by;
	struct ticket t;
	enum cs_result rc;

	actor(r, &by);
	rc = ticket_get(&app->db, r->arena, &by, number, &t);
	if (rc == CS_NOT_FOUND)
		return fail(r, w, 404, "No such ticket.");
	if (rc != CS_OK)
		return db_fail(r, w, rc);
	if (status == 201)
		resp_header(w, "Location", arena_printf(r->arena, "/api/v1/tickets/%s", number));
	return reply(r, w, status, json_pack("{s:o}", "ticket", ticket_json(&t)));
}

/* POST /api/v1/tickets (the members: web/api_body.h). */
static int
ticket_create(struct app *app, struct req *r, struct resp *w)
{
	const char *v[API_C__MAX], *why = NULL;
	struct ticket_actor_ref by;
	struct ticket_new t = { 0 };
	struct contact_in ci = { 0 };
	struct contact who;
	struct ticket_opened out;
	enum cs_result rc;
	json_t *o;
	int st;

	if (read_object(r, w, &o) != 0 || o == NULL)
		return 0;
	if (members(r, w, o, api_create_rules, API_C__MAX, v, &st) < 0)
		return st;
	t.channel = v[API_C_CHANNEL];
	t.subject = v[API_C_SUBJECT];
	t.description = v[API_C_DESCRIPTION];
	t.priority = given(v[API_C_PRIORITY]);
	/* Someone who never registered becomes a contact (chat, social, telephony). */
	ci.email = given(v[API_C_EMAIL]);
	ci.phone = given(v[API_C_PHONE]);
	ci.name = given(v[API_C_NAME]);
	ci.via = "api";
	rc = contact_find_or_create(&app->db, r->arena, &ci, &who, &why);
	if (rc == CS_REFUSED)
		return fail(r, w, 422, why);
	if (rc != CS_OK)
		return db_fail(r, w, rc);
	t.customer_id = who.customer_id;
	t.requester_id = who.user_id;
	if (given(v[API_C_CATEGORY]) != NULL) {
		rc = ticket_api_category(&app->db, v[API_C_CATEGORY], &t.category_id);
		if (rc == CS_NOT_FOUND)
			return fail(r, w, 422, "No such category.");
		if (rc != CS_OK)
			return db_fail(r, w, rc);
	}
	actor(r, &by);
	t.ip = r->remote_addr;
	rc = ticket_open(&app->db, r->arena, &by, &t, &out, &why);
	if (rc == CS_REFUSED)
		return fail(r, w, 422, why ? why : "The ticket was refused.");
	if (rc != CS_OK)
		return db_fail(r, w, rc);
	return reply_ticket(app, r, w, out.number, 201);
}

int
console_api_ticket_create(struct app *app, struct req *r, struct resp *w)
{
	return idempotent(app, r, w, ticket_create);
}

int
console_api_ticket(struct app *app, struct req *r, struct resp *w)
{
	struct ticket t;
	int st;

	if (!load_ticket(app, r, w, &t, &st))
		return st;
	return reply(r, w, 200, json_pack("{s:o}", "ticket", ticket_json(&t)));
}

/* PATCH /api/v1/tickets/{number}: the status, the priority or both. */
static int
ticket_update(struct app *app, struct req *r, struct resp *w)
{
	const char *v[API_U__MAX], *priority, *why = NULL;
	struct ticket_actor_ref by;
	struct ticket_status_in in = { 0 };
	enum ticket_status to = TS__MAX;
	struct ticket t;
	enum cs_result rc;
	json_t *o;
	int st;

	if (read_object(r, w, &o) != 0 || o == NULL)
		return 0;
	if (members(r, w, o, api_update_rules, API_U__MAX, v, &st) < 0)
		return st;
	priority = given(v[API_U_PRIORITY]);
	if (given(v[API_U_STATUS]) == NULL && priority == NULL)
		return fail(r, w, 400, "Nothing to change: give \"status\" or \"priority\".");
	if (given(v[API_U_STATUS]) != NULL && (to = ticket_status_parse(v[API_U_STATUS])) == TS__MAX)
		return fail(r, w, 422, "Unknown status.");
	if (!load_ticket(app, r, w, &t, &st))
		return st;
	if (to != TS__MAX && !ticket_transition_allowed(TA_STAFF, t.status, to))
		return fail(r, w, 409, arena_printf(r->arena, "A ticket cannot go from %s to %s.",
		    ticket_status_name(t.status), ticket_status_name(to)));
	actor(r, &by);
	/* The status and the priority change together or not at all. */
	if (db_begin(&app->db) < 0)
		return db_fail(r, w, db_result(&app->db));
	if (to != TS__MAX) {
		in.ticket_id = t.id;
		in.to = to;
		in.resolution_code = given(v[API_U_CODE]);
		in.root_cause = given(v[API_U_CAUSE]);
		in.ip = r->remote_addr;
		rc = ticket_change_status(&app->db, r->arena, &by, &in, &why);
		if (rc != CS_OK) {
			db_rollback(&app->db);
			if (rc == CS_REFUSED)
				return fail(r, w, 409, why ? why : "The workflow refuses it.");
			if (rc == CS_NOT_FOUND)
				return fail(r, w, 404, "No such ticket.");
			return db_fail(r, w, rc);
		}
	}
	if (priority != NULL && strcmp(priority, t.priority ? t.priority : "") != 0) {
		enum cs_result res = ticket_field_set(&app->db, r->who.id, t.id, TF_PRIORITY,
		    priority, &why);

		if (res != CS_OK) {
			db_rollback(&app->db);
			if (res == CS_REFUSED)
				return fail(r, w, 422, "That priority is not allowed.");
			if (res == CS_NOT_FOUND)
				return fail(r, w, 404, "No such ticket.");
			return db_fail(r, w, res);
		}
	}
	if (db_commit(&app->db) < 0)
		return db_fail(r, w, db_result(&app->db));
	return reply_ticket(app, r, w, t.number, 200);
}

int
console_api_ticket_update(struct app *app, struct req *r, struct resp *w)
{
	return idempotent(app, r, w, ticket_update);
}

static json_t *
comment_json(const struct ticket_comment *c)
{
	return json_pack("{s:I,s:s,s:o,s:b,s:s,s:o}", "id", (json_int_t)c->id,
	    "visibility", c->kind, "author", str_or_null(c->author), "by_staff", c->by_staff,
	    "body", c->body ? c->body : "", "created_at", str_or_null(c->created_at));
}

int
console_api_comments(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by;
	struct ticket_comment *c;
	struct ticket t;
	enum cs_result rc;
	json_t *list;
	size_t n, i;
	int st;

	if (!load_ticket(app, r, w, &t, &st))
		return st;
	actor(r, &by);
	if ((rc = ticket_comments(&app->db, r->arena, &by, t.id, &c, &n)) != CS_OK)
		return db_fail(r, w, rc);
	if ((list = json_array()) == NULL)
		return 500;
	for (i = 0; i < n; i++)
		json_array_append_new(list, comment_json(&c[i]));
	return reply(r, w, 200, json_pack("{s:s,s:o}", "ticket", t.number, "comments", list));
}

/* POST /api/v1/tickets/{number}/comments. */
static int
comment_add(struct app *app, struct req *r, struct resp *w)
{
	const char *v[API_M__MAX], *why = NULL;
	struct ticket_actor_ref by;
	struct ticket_reply_in in = { 0 };
	struct ticket_replied out;
	struct ticket_comment *c;
	struct ticket t;
	enum cs_result rc;
	size_t n, i;
	json_t *o;
	int st;

	if (read_object(r, w, &o) != 0 || o == NULL)
		return 0;
	if (members(r, w, o, api_comment_rules, API_M__MAX, v, &st) < 0)
		return st;
	if (!load_ticket(app, r, w, &t, &st))
		return st;
	actor(r, &by);
	in.ticket_id = t.id;
	in.kind = given(v[API_M_VISIBILITY]) != NULL ? v[API_M_VISIBILITY] : "public";
	in.body = v[API_M_BODY];
	in.ip = r->remote_addr;
	rc = ticket_reply(&app->db, r->arena, &by, &in, &out, &why);
	if (rc == CS_REFUSED)
		return fail(r, w, 422, why ? why : "The comment was refused.");
	if (rc == CS_NOT_FOUND)
		return fail(r, w, 404, "No such ticket.");
	if (rc != CS_OK)
		return db_fail(r, w, rc);
	/* The comment as stored. */
	if ((rc = ticket_comments(&app->db, r->arena, &by, t.id, &c, &n)) != CS_OK)
		return db_fail(r, w, rc);
	for (i = 0; i < n && c[i].id != out.comment_id; i++)
		;
	if (i == n)
		return db_fail(r, w, CS_FAILED);
	return reply(r, w, 201, json_pack("{s:s,s:o}", "ticket", t.number, "comment",
	    comment_json(&c[i])));
}

int
console_api_comment_add(struct app *app, struct req *r, struct resp *w)
{
	return idempotent(app, r, w, comment_add);
}
