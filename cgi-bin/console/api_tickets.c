/*
 * api_tickets.c — the API's tickets: the list, opening one, reading one
 * (every field, its assignment and its SLA state and due times), and the
 * choices its ids name (queues, teams, agents, categories, products, and
 * the words of statuses, priorities, types, resolution codes).
 */
#include "console/api.h"
#include "console/api_int.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/ticket_api.h"
#include "domain/ticket_choices.h"
#include "domain/contacts.h"
#include "domain/idempotency.h"
#include "domain/tickets.h"
#include "web/api_body.h"
#include "web/fields.h"

#include <jansson.h>
#include <string.h>

#define API_LIMIT_DEFAULT 25

/* A met/missed flag: true, false, or null while undecided. */
static json_t *
met_json(int met)
{
	return met < 0 ? json_null() : json_boolean(met);
}

static json_t *
target_json(const struct ticket_api_sla_target *t, int has_met)
{
	json_t *o = json_pack("{s:o,s:o,s:s,s:b}", "due_at", api_str(t->due_at),
	    "warn_at", api_str(t->warn_at), "stage", t->stage,
	    "breached", strcmp(t->stage, "breached") == 0);

	if (o != NULL && has_met && json_object_set_new(o, "met", met_json(t->met)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The SLA object of a ticket: the policy, the clock, the three targets. */
static json_t *
sla_json(const struct ticket_api_state *s)
{
	int breached = strcmp(s->first_response.stage, "breached") == 0 ||
	    strcmp(s->next_response.stage, "breached") == 0 ||
	    strcmp(s->resolution.stage, "breached") == 0;

	return json_pack("{s:o,s:b,s:o,s:f,s:b,s:o,s:o,s:o}", "policy", api_str(s->policy),
	    "paused", s->paused_since != NULL, "paused_since", api_str(s->paused_since),
	    "paused_minutes", s->paused_minutes, "breached", breached,
	    "first_response", target_json(&s->first_response, 1),
	    "next_response", target_json(&s->next_response, 0),
	    "resolution", target_json(&s->resolution, 1));
}

/* "a,b" as ["a", "b"]. */
static json_t *
tags_json(const char *tags)
{
	json_t *list = json_array();
	size_t n;

	while (list != NULL && tags != NULL && *tags != '\0') {
		n = strcspn(tags, ",");
		json_array_append_new(list, json_stringn(tags, n));
		tags += n + (tags[n] == ',');
	}
	return list;
}

static json_t *
ticket_json(const struct ticket *t, const struct ticket_api_state *sla)
{
	json_t *o = json_object();
	int rc = 0;

	if (o == NULL)
		return NULL;
	rc |= json_object_set_new(o, "number", json_string(t->number));
	rc |= json_object_set_new(o, "subject", api_str(t->subject));
	rc |= json_object_set_new(o, "description", json_string(t->description ?
	    t->description : ""));
	rc |= json_object_set_new(o, "status", json_string(ticket_status_name(t->status)));
	rc |= json_object_set_new(o, "priority", api_str(t->priority));
	rc |= json_object_set_new(o, "urgency", api_str(t->urgency));
	rc |= json_object_set_new(o, "type", api_str(t->type));
	rc |= json_object_set_new(o, "channel", api_str(t->channel));
	rc |= json_object_set_new(o, "customer", json_pack("{s:I,s:o,s:o}", "id",
	    (json_int_t)t->customer_id, "name", api_str(t->customer_name), "tier",
	    api_str(t->customer_tier)));
	rc |= json_object_set_new(o, "requester_email", api_str(t->requester_email));
	rc |= json_object_set_new(o, "requester_name", api_str(t->requester_name));
	rc |= json_object_set_new(o, "category", api_str(t->category));
	rc |= json_object_set_new(o, "category_id", api_id(t->category_id));
	rc |= json_object_set_new(o, "product", api_str(t->product));
	rc |= json_object_set_new(o, "product_id", api_id(t->product_id));
	rc |= json_object_set_new(o, "site", api_str(t->site));
	rc |= json_object_set_new(o, "site_id", api_id(t->site_id));
	rc |= json_object_set_new(o, "serial", api_str(t->serial));
	rc |= json_object_set_new(o, "tags", tags_json(t->tags));
	rc |= json_object_set_new(o, "queue", api_str(t->queue));
	rc |= json_object_set_new(o, "queue_id", api_id(t->queue_id));
	rc |= json_object_set_new(o, "team", api_str(t->team));
	rc |= json_object_set_new(o, "team_id", api_id(t->team_id));
	rc |= json_object_set_new(o, "assignee", api_str(t->assignee));
	rc |= json_object_set_new(o, "assignee_id", api_id(t->assignee_id));
	rc |= json_object_set_new(o, "resolution_code", api_str(t->resolution_code));
	rc |= json_object_set_new(o, "root_cause", api_str(t->root_cause));
	rc |= json_object_set_new(o, "rating", t->rating > 0 ? json_integer(t->rating) :
	    json_null());
	rc |= json_object_set_new(o, "rating_comment", api_str(t->rating_comment));
	rc |= json_object_set_new(o, "minutes_spent", json_integer(t->minutes_spent));
	rc |= json_object_set_new(o, "created_at", api_str(sla->created_at));
	rc |= json_object_set_new(o, "updated_at", api_str(sla->updated_at));
	rc |= json_object_set_new(o, "first_response_at", api_str(sla->first_response_at));
	rc |= json_object_set_new(o, "resolved_at", api_str(sla->resolved_at));
	rc |= json_object_set_new(o, "closed_at", api_str(sla->closed_at));
	rc |= json_object_set_new(o, "reopen_count", json_integer(t->reopen_count));
	rc |= json_object_set_new(o, "version", json_integer(t->version));
	rc |= json_object_set_new(o, "sla", sla_json(sla));
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
api_load_ticket(struct app *app, struct req *r, struct resp *w, struct ticket *t, int *st)
{
	const char *number = req_param(r, "number"), *email = req_query(r, "customer_email");
	struct ticket_actor_ref by;
	long long customer = 0, user;
	enum cs_result rc;

	api_actor(r, &by);
	*st = 0;
	rc = ticket_get(&app->db, r->arena, &by, number, t);
	if (rc == CS_OK && email != NULL && *email != '\0') {
		rc = strlen(email) <= API_EMAIL_MAX ? ticket_api_customer(&app->db, email,
		    &customer, &user) : CS_NOT_FOUND;
		if (rc == CS_OK && customer != t->customer_id)
			rc = CS_NOT_FOUND;
	}
	if (rc == CS_OK)
		return 1;
	if (rc == CS_NOT_FOUND)
		*st = api_fail(r, w, 404, NULL, "No such ticket.");
	else
		*st = api_db_fail(r, w, rc);
	return 0;
}

/* Answers status with t and its SLA state. */
static int
answer_ticket(struct app *app, struct req *r, struct resp *w, const struct ticket *t,
    int status)
{
	struct ticket_api_state sla;
	enum cs_result rc;

	if ((rc = ticket_api_state(&app->db, r->arena, t->id, &sla)) != CS_OK)
		return api_db_fail(r, w, rc == CS_NOT_FOUND ? CS_FAILED : rc);
	return api_reply(r, w, status, json_pack("{s:o}", "ticket", ticket_json(t, &sla)));
}

int
api_reply_ticket(struct app *app, struct req *r, struct resp *w, const char *number,
    int status)
{
	struct ticket_actor_ref by;
	struct ticket_api_state sla;
	struct ticket t;
	enum cs_result rc;

	api_actor(r, &by);
	rc = ticket_api_get(&app->db, r->arena, &by, number, &t, &sla);
	if (rc == CS_NOT_FOUND)
		return api_fail(r, w, 404, NULL, "No such ticket.");
	if (rc != CS_OK)
		return api_db_fail(r, w, rc);
	if (status == 201)
		resp_header(w, "Location", arena_printf(r->arena, "/api/v1/tickets/%s", number));
	return api_reply(r, w, status, json_pack("{s:o}", "ticket", ticket_json(&t, &sla)));
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
		return api_fail(r, w, 400, "status", "Unknown status.");
	f.customer_email = req_query(r, "customer_email");
	if (f.customer_email != NULL && *f.customer_email == '\0')
		f.customer_email = NULL;
	if (f.customer_email != NULL && strlen(f.customer_email) > API_EMAIL_MAX)
		return api_fail(r, w, 400, "customer_email", "customer_email is too long.");
	if (web_query_key(r, "limit", &limit) < 0 || limit > TICKET_API_LIMIT_MAX ||
	    (limit == 0 && req_query(r, "limit") != NULL && *req_query(r, "limit") != '\0'))
		return api_fail(r, w, 400, "limit", "limit must be a whole number from 1 to 100.");
	if (limit == 0)
		limit = API_LIMIT_DEFAULT;
	if (web_query_key(r, "before", &before) < 0)
		return api_fail(r, w, 400, "before", "before must be a ticket id from a previous "
		    "page.");
	f.limit = (int)limit;
	f.before_id = before;
	if ((rc = ticket_api_list(&app->db, r->arena, &f, &rows, &n, &next)) != CS_OK)
		return api_db_fail(r, w, rc);
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
	return api_reply(r, w, 200, o);
}

/*
 * POST /api/v1/tickets (the members: web/api_body.h). An Idempotency-Key
 * is claimed by ticket_open in the ticket's own transaction; a retry
 * answers 201 with the ticket the first opened, as it stands now.
 */
int
console_api_ticket_create(struct app *app, struct req *r, struct resp *w)
{
	const char *v[API_C__MAX], *why = NULL;
	long long nums[API_C__MAX];
	struct ticket_actor_ref by;
	struct ticket_new t = { 0 };
	struct contact_in ci = { 0 };
	struct contact who;
	struct ticket_opened out;
	struct idem_key once;
	enum cs_result rc;
	json_t *o;
	int st, bad;

	if (!api_once(r, w, &once, &st))
		return st;
	if (api_read_object(r, w, &o) != 0 || o == NULL)
		return 0;
	bad = api_members(r, w, o, api_create_rules, API_C__MAX, v, nums, &st);
	json_decref(o);
	if (bad < 0)
		return st;
	t.channel = v[API_C_CHANNEL];
	t.subject = v[API_C_SUBJECT];
	t.description = v[API_C_DESCRIPTION];
	t.priority = api_given(v[API_C_PRIORITY]);
	/* Someone who never registered becomes a contact (chat, social, telephony). */
	ci.email = api_given(v[API_C_EMAIL]);
	ci.phone = api_given(v[API_C_PHONE]);
	ci.name = api_given(v[API_C_NAME]);
	ci.via = "api";
	rc = contact_find_or_create(&app->db, r->arena, &ci, &who, &why);
	if (rc == CS_REFUSED)
		return api_fail(r, w, 422, ci.email != NULL ? "customer_email" : "customer_phone",
		    why);
	if (rc != CS_OK)
		return api_db_fail(r, w, rc);
	t.customer_id = who.customer_id;
	t.requester_id = who.user_id;
	why = NULL;
	if (api_given(v[API_C_CATEGORY]) != NULL) {
		rc = ticket_api_category(&app->db, v[API_C_CATEGORY], &t.category_id);
		if (rc == CS_NOT_FOUND)
			return api_fail(r, w, 422, "category", "No such category.");
		if (rc != CS_OK)
			return api_db_fail(r, w, rc);
	}
	/* A site of another account (or none of theirs) is named as such. */
	if ((t.site_id = nums[API_C_SITE]) > 0) {
		rc = ticket_api_site(&app->db, t.customer_id, t.site_id);
		if (rc == CS_NOT_FOUND)
			return api_fail(r, w, 422, "site_id", "site_id is not one of the customer's "
			    "active sites.");
		if (rc != CS_OK)
			return api_db_fail(r, w, rc);
	}
	api_actor(r, &by);
	t.ip = r->remote_addr;
	t.once = once.key != NULL ? &once : NULL;
	rc = ticket_open(&app->db, r->arena, &by, &t, &out, &why);
	if (rc == CS_REFUSED)
		return api_fail(r, w, 422, NULL, why ? why : "The ticket was refused.");
	if (rc == CS_CONFLICT)
		return api_fail(r, w, 409, NULL, "A request with this Idempotency-Key is in "
		    "progress.");
	if (rc != CS_OK)
		return api_db_fail(r, w, rc);
	if (out.replayed)
		resp_header(w, "Idempotent-Replayed", "true");
	return api_reply_ticket(app, r, w, out.number, 201);
}

int
console_api_ticket(struct app *app, struct req *r, struct resp *w)
{
	struct ticket t;
	int st;

	if (!api_load_ticket(app, r, w, &t, &st))
		return st;
	return answer_ticket(app, r, w, &t, 200);
}

/* [{"id", "name"}, …] of n options. */
static json_t *
options_json(const struct db_option *opt, size_t n)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; list != NULL && i < n; i++)
		if (json_array_append_new(list, json_pack("{s:I,s:s}", "id", (json_int_t)opt[i].id,
		    "name", opt[i].name)) < 0) {
			json_decref(list);
			return NULL;
		}
	return list;
}

/* The words of a NULL-terminated list (or the first n of one). */
static json_t *
words_json(const char *const *words, size_t n)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; list != NULL && i < n && words[i] != NULL; i++)
		json_array_append_new(list, json_string(words[i]));
	return list;
}

/* {word: label, …} of n words. */
static json_t *
labels_json(const char *const *words, const char *const *labels, size_t n)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; o != NULL && i < n; i++)
		if (json_object_set_new(o, words[i], json_string(labels[i])) < 0) {
			json_decref(o);
			return NULL;
		}
	return o;
}

/* GET /api/v1/choices: what the ids and words of a ticket may be. */
int
console_api_choices(struct app *app, struct req *r, struct resp *w)
{
	const char *statuses[TS__MAX];
	struct ticket_choices c;
	enum cs_result rc;
	int i;

	if ((rc = ticket_choices_get(&app->db, r->arena, &c)) != CS_OK)
		return api_db_fail(r, w, rc);
	for (i = 0; i < TS__MAX; i++)
		statuses[i] = ticket_status_name((enum ticket_status)i);
	return api_reply(r, w, 200, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
	    "queues", options_json(c.queues, c.nqueues), "teams", options_json(c.teams, c.nteams),
	    "agents", options_json(c.agents, c.nagents),
	    "categories", options_json(c.categories, c.ncategories),
	    "products", options_json(c.products, c.nproducts),
	    "statuses", words_json(statuses, TS__MAX),
	    "priorities", words_json(ticket_priorities, (size_t)-1),
	    "types", words_json(c.types, c.ntypes),
	    "type_labels", labels_json(c.types, c.type_labels, c.ntypes),
	    "resolution_codes", words_json(c.codes, c.ncodes)));
}
