/*
 * api.c — the JSON API under /api/v1/ for chat, social and phone-system
 * integrations. The pipeline (src/web/app.c) has already turned the
 * "Authorization: Bearer" key into an integration agent, or answered 401;
 * every answer here is JSON, errors as {"error": {"status", "message"}}.
 *
 * Handlers check the request (content type, size, JSON shape, each field
 * against its list), then call the use cases of tickets.h like every
 * other channel, recording the channel the integration names; the limits
 * of lengths are the domain's (422 with its sentence), and what follows
 * from a change (the customer's mail, the audit trail) comes from the
 * events like everywhere else.
 */
#include "console/api.h"
#include "core/arena.h"
#include "core/config.h"
#include "domain/api_keys.h"
#include "domain/ticket_api.h"
#include "domain/ticket_fields.h"
#include "domain/tickets.h"
#include "web/fields.h"
#include "web/result.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Largest JSON body accepted. */
#define API_BODY_MAX (1u << 20)
#define API_LIMIT_DEFAULT 25
/* A lookup key, not something stored: the outbox's longest address. */
#define EMAIL_MAX 254
/* Words from a list (channel, priority, status, visibility, code). */
#define WORD_MAX 64
/* Texts the domain measures itself (in characters): the body's limit only. */
#define TEXT_MAX API_BODY_MAX

/* The channels an integration may name (not portal or walk-in). */
static const char *const api_channels[] = { "chat", "social", "phone", "api", "email", NULL };
static const char *const visibilities[] = { "public", "internal", NULL };

int
console_api_key_lookup(struct db *db, struct arena *a, const char *key, struct principal *who)
{
	struct api_key_auth k;
	enum cs_result rc = api_key_authenticate(db, a, key, &k);

	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? 0 : -1;
	memset(who, 0, sizeof(*who));
	who->kind = WHO_STAFF;
	who->id = k.staff_id;
	/* An integration agent, whatever roles its maker holds. */
	who->access = ACCESS_AGENT;
	who->roles = "agent";
	who->name = arena_printf(a, "API key %s", k.name ? k.name : "");
	return who->name ? 1 : -1;
}

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
	json_error_t err;
	json_t *o;

	*out = NULL;
	if (strncasecmp(ct, "application/json", n) != 0 || (ct[n] != '\0' && ct[n] != ';' &&
	    ct[n] != ' '))
		return fail(r, w, 415, "Send the body as application/json.");
	if (r->raw_body_len > API_BODY_MAX)
		return fail(r, w, 413, "The body is larger than 1 MiB.");
	if (r->raw_body == NULL || r->raw_body_len == 0)
		return fail(r, w, 400, "The body is empty: send a JSON object.");
	o = json_loadb(r->raw_body, r->raw_body_len, JSON_REJECT_DUPLICATES, &err);
	if (o == NULL)
		return fail(r, w, 400, arena_printf(r->arena, "Invalid JSON at line %d: %s",
		    err.line, err.text));
	if (!json_is_object(o)) {
		json_decref(o);
		return fail(r, w, 400, "The body must be a JSON object.");
	}
	*out = o;
	return 0;
}

/*
 * Field name of o as a string: *s NULL when absent or null. Returns 0, or
 * -1 when it is there but not a string of at most max bytes (*why set):
 * max only guards lookups and lists; texts are measured by the domain.
 */
static int
field_str(struct req *r, json_t *o, const char *name, size_t max, const char **s,
    const char **why)
{
	json_t *v = json_object_get(o, name);

	*s = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		*why = arena_printf(r->arena, "\"%s\" must be a string.", name);
		return -1;
	}
	if (json_string_length(v) > max) {
		*why = arena_printf(r->arena, "\"%s\" is longer than %zu characters.", name, max);
		return -1;
	}
	*s = json_string_value(v);
	return 0;
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

/* One whole number in min..max from the query (absent: dflt). 0 or -1. */
static int
query_num(const struct req *r, const char *name, long long min, long long max, long long dflt,
    long long *out)
{
	const char *s = req_query(r, name);

	*out = dflt;
	if (s == NULL || *s == '\0')
		return 0;
	return config_parse_long(s, min, max, out);
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
	if (f.customer_email != NULL && strlen(f.customer_email) > EMAIL_MAX)
		return fail(r, w, 400, "customer_email is too long.");
	if (query_num(r, "limit", 1, TICKET_API_LIMIT_MAX, API_LIMIT_DEFAULT, &limit) < 0)
		return fail(r, w, 400, "limit must be a whole number from 1 to 100.");
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

int
console_api_ticket_create(struct app *app, struct req *r, struct resp *w)
{
	const char *email, *subject, *description, *channel, *priority, *category;
	const char *why = NULL;
	struct ticket_actor_ref by;
	struct ticket_new t = { 0 };
	struct ticket_opened out;
	enum cs_result rc;
	json_t *o;

	if (read_object(r, w, &o) != 0 || o == NULL)
		return 0;
	if (field_str(r, o, "customer_email", EMAIL_MAX, &email, &why) < 0 ||
	    field_str(r, o, "subject", TEXT_MAX, &subject, &why) < 0 ||
	    field_str(r, o, "description", TEXT_MAX, &description, &why) < 0 ||
	    field_str(r, o, "channel", WORD_MAX, &channel, &why) < 0 ||
	    field_str(r, o, "priority", WORD_MAX, &priority, &why) < 0 ||
	    field_str(r, o, "category", TEXT_MAX, &category, &why) < 0)
		goto refuse;
	if (email == NULL || *email == '\0')
		why = "\"customer_email\" is required.";
	else if (subject == NULL || *subject == '\0')
		why = "\"subject\" is required.";
	else if (description == NULL)
		why = "\"description\" is required.";
	else if (channel == NULL || !ticket_word_valid(api_channels, channel))
		why = "\"channel\" must be one of chat, social, phone, api, email.";
	else if (priority != NULL && !ticket_word_valid(ticket_priorities, priority))
		why = "\"priority\" must be one of low, medium, high, urgent, critical.";
	if (why != NULL)
		goto refuse;
	/* The strings point into o: copy what outlives it. */
	t.channel = arena_strdup(r->arena, channel);
	t.subject = arena_strdup(r->arena, subject);
	t.description = arena_strdup(r->arena, description);
	t.priority = priority ? arena_strdup(r->arena, priority) : NULL;
	email = arena_strdup(r->arena, email);
	category = category && *category ? arena_strdup(r->arena, category) : NULL;
	json_decref(o);
	if (!t.channel || !t.subject || !t.description || !email)
		return 500;
	rc = ticket_api_customer(&app->db, email, &t.customer_id, &t.requester_id);
	if (rc == CS_NOT_FOUND)
		return fail(r, w, 422, "No customer has a portal login with that e-mail.");
	if (rc != CS_OK)
		return db_fail(r, w, rc);
	if (category != NULL) {
		rc = ticket_api_category(&app->db, category, &t.category_id);
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
refuse:
	json_decref(o);
	return fail(r, w, 422, why);
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

int
console_api_ticket_update(struct app *app, struct req *r, struct resp *w)
{
	const char *status, *priority, *code, *cause, *why = NULL;
	struct ticket_actor_ref by;
	struct ticket_status_in in = { 0 };
	enum ticket_status to = TS__MAX;
	struct ticket t;
	enum cs_result rc;
	json_t *o;
	int st;

	if (read_object(r, w, &o) != 0 || o == NULL)
		return 0;
	if (field_str(r, o, "status", WORD_MAX, &status, &why) < 0 ||
	    field_str(r, o, "priority", WORD_MAX, &priority, &why) < 0 ||
	    field_str(r, o, "resolution_code", WORD_MAX, &code, &why) < 0 ||
	    field_str(r, o, "root_cause", TEXT_MAX, &cause, &why) < 0) {
		json_decref(o);
		return fail(r, w, 422, why);
	}
	if (status == NULL && priority == NULL) {
		json_decref(o);
		return fail(r, w, 400, "Nothing to change: give \"status\" or \"priority\".");
	}
	if (status != NULL && (to = ticket_status_parse(status)) == TS__MAX)
		why = "Unknown status.";
	else if (priority != NULL && !ticket_word_valid(ticket_priorities, priority))
		why = "\"priority\" must be one of low, medium, high, urgent, critical.";
	priority = priority ? arena_strdup(r->arena, priority) : NULL;
	code = code ? arena_strdup(r->arena, code) : NULL;
	cause = cause ? arena_strdup(r->arena, cause) : NULL;
	json_decref(o);
	if (why != NULL)
		return fail(r, w, 422, why);
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
		in.resolution_code = code;
		in.root_cause = cause;
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

int
console_api_comment_add(struct app *app, struct req *r, struct resp *w)
{
	const char *body, *vis, *why = NULL;
	struct ticket_actor_ref by;
	struct ticket_reply_in in = { 0 };
	struct ticket_comment *c;
	struct ticket t;
	long long id;
	enum cs_result rc;
	size_t n, i;
	json_t *o;
	int st;

	if (read_object(r, w, &o) != 0 || o == NULL)
		return 0;
	if (field_str(r, o, "body", TEXT_MAX, &body, &why) == 0 &&
	    field_str(r, o, "visibility", WORD_MAX, &vis, &why) == 0) {
		if (body == NULL || *body == '\0')
			why = "\"body\" is required.";
		else if (vis != NULL && !ticket_word_valid(visibilities, vis))
			why = "\"visibility\" must be public or internal.";
	}
	if (why == NULL) {
		body = arena_strdup(r->arena, body);
		vis = vis ? arena_strdup(r->arena, vis) : "public";
	}
	json_decref(o);
	if (why != NULL)
		return fail(r, w, 422, why);
	if (body == NULL || vis == NULL)
		return 500;
	if (!load_ticket(app, r, w, &t, &st))
		return st;
	actor(r, &by);
	in.ticket_id = t.id;
	in.kind = vis;
	in.body = body;
	in.ip = r->remote_addr;
	rc = ticket_reply(&app->db, r->arena, &by, &in, &id, &why);
	if (rc == CS_REFUSED)
		return fail(r, w, 422, why ? why : "The comment was refused.");
	if (rc == CS_NOT_FOUND)
		return fail(r, w, 404, "No such ticket.");
	if (rc != CS_OK)
		return db_fail(r, w, rc);
	/* The comment as stored. */
	if ((rc = ticket_comments(&app->db, r->arena, &by, t.id, &c, &n)) != CS_OK)
		return db_fail(r, w, rc);
	for (i = 0; i < n && c[i].id != id; i++)
		;
	if (i == n)
		return db_fail(r, w, CS_FAILED);
	return reply(r, w, 201, json_pack("{s:s,s:o}", "ticket", t.number, "comment",
	    comment_json(&c[i])));
}
