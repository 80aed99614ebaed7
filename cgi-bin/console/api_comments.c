/*
 * api_comments.c — a ticket's conversation through the API: reading it
 * (internal notes included: a key acts as an agent) and adding a public
 * reply or an internal note, optionally only if the ticket is still at the
 * version the client read (409 otherwise).
 */
#include "console/api.h"
#include "console/api_int.h"
#include "domain/ticket_api.h"
#include "domain/tickets.h"
#include "web/api_body.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/*
 * The pages' "YYYY-MM-DD HH:MM" (UTC) as ISO 8601, the form of every time
 * the API gives; null when it is not that.
 */
static json_t *
iso_minute(const char *t)
{
	char out[32];

	if (t == NULL || strlen(t) != 16 || t[10] != ' ')
		return json_null();
	snprintf(out, sizeof(out), "%.10sT%.5s:00Z", t, t + 11);
	return json_string(out);
}

static json_t *
comment_json(const struct ticket_comment *c)
{
	return json_pack("{s:I,s:s,s:o,s:b,s:s,s:o}", "id", (json_int_t)c->id,
	    "visibility", c->kind, "author", api_str(c->author), "by_staff", c->by_staff,
	    "body", c->body ? c->body : "", "created_at", iso_minute(c->created_at));
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

	if (!api_load_ticket(app, r, w, &t, &st))
		return st;
	api_actor(r, &by);
	if ((rc = ticket_comments(&app->db, r->arena, &by, t.id, &c, &n)) != CS_OK)
		return api_db_fail(r, w, rc);
	if ((list = json_array()) == NULL)
		return 500;
	for (i = 0; i < n; i++)
		json_array_append_new(list, comment_json(&c[i]));
	return api_reply(r, w, 200, json_pack("{s:s,s:o}", "ticket", t.number, "comments", list));
}

/* POST /api/v1/tickets/{number}/comments. */
static int
comment_add(struct app *app, struct req *r, struct resp *w)
{
	const char *v[API_M__MAX], *why = NULL;
	long long nums[API_M__MAX];
	struct ticket_actor_ref by;
	struct ticket_reply_in in = { 0 };
	struct ticket_replied out;
	struct ticket_comment *c;
	struct ticket t;
	enum cs_result rc;
	size_t n, i;
	json_t *o;
	int st, bad;

	if (api_read_object(r, w, &o) != 0 || o == NULL)
		return 0;
	bad = api_members(r, w, o, api_comment_rules, API_M__MAX, v, nums, &st);
	json_decref(o);
	if (bad < 0)
		return st;
	if (!api_load_ticket(app, r, w, &t, &st))
		return st;
	api_actor(r, &by);
	in.ticket_id = t.id;
	in.kind = api_given(v[API_M_VISIBILITY]) != NULL ? v[API_M_VISIBILITY] : "public";
	in.body = v[API_M_BODY];
	in.ip = r->remote_addr;
	rc = ticket_api_comment(&app->db, r->arena, &by, &in, (int)nums[API_M_VERSION], &out,
	    &why);
	if (rc == CS_CONFLICT)
		return api_fail(r, w, 409, "version", why);
	if (rc == CS_REFUSED)
		return api_fail(r, w, 422, "body", why ? why : "The comment was refused.");
	if (rc == CS_NOT_FOUND)
		return api_fail(r, w, 404, NULL, "No such ticket.");
	if (rc != CS_OK)
		return api_db_fail(r, w, rc);
	/* The comment as stored. */
	if ((rc = ticket_comments(&app->db, r->arena, &by, t.id, &c, &n)) != CS_OK)
		return api_db_fail(r, w, rc);
	for (i = 0; i < n && c[i].id != out.comment_id; i++)
		;
	if (i == n)
		return api_db_fail(r, w, CS_FAILED);
	return api_reply(r, w, 201, json_pack("{s:s,s:o}", "ticket", t.number, "comment",
	    comment_json(&c[i])));
}

int
console_api_comment_add(struct app *app, struct req *r, struct resp *w)
{
	return api_idempotent(app, r, w, comment_add);
}
