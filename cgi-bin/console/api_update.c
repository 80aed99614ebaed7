/*
 * api_update.c — PATCH /api/v1/tickets/{number}: any of a ticket's fields,
 * its status and its assignment in one request, applied by
 * ticket_api_change (the console's use cases in one transaction, after
 * the optional version check). A member left out is left alone; null (or
 * "") clears one that may be empty (category_id, product_id, queue_id,
 * team_id, assignee_id, site_id, serial, tags).
 */
#include "console/api.h"
#include "console/api_int.h"
#include "core/arena.h"
#include "domain/ticket_api.h"
#include "domain/tickets.h"
#include "web/api_body.h"

#include <jansson.h>
#include <string.h>

/* Per member: the ticket field it sets (TF__MAX: none), whether it may be cleared. */
static const struct {
	enum ticket_field field;
	int clears;
} members[API_U__MAX] = {
	[API_U_STATUS] = { TF__MAX, 0 },
	[API_U_PRIORITY] = { TF_PRIORITY, 0 },
	[API_U_CODE] = { TF__MAX, 0 },
	[API_U_CAUSE] = { TF__MAX, 0 },
	[API_U_TYPE] = { TF_TYPE, 0 },
	[API_U_CATEGORY] = { TF_CATEGORY, 1 },
	[API_U_PRODUCT] = { TF_PRODUCT, 1 },
	[API_U_SERIAL] = { TF_SERIAL, 1 },
	[API_U_TAGS] = { TF_TAGS, 1 },
	[API_U_QUEUE] = { TF_QUEUE, 1 },
	[API_U_TEAM] = { TF__MAX, 1 },
	[API_U_ASSIGNEE] = { TF__MAX, 1 },
	[API_U_SITE] = { TF_SITE, 1 },
	[API_U_VERSION] = { TF__MAX, 0 },
};

/*
 * Reads the body into c. Returns 0, or -1 with the answer made (*st what
 * the handler returns).
 */
static int
read_change(struct req *r, struct resp *w, struct ticket_api_change *c, int *st)
{
	const char *v[API_U__MAX];
	long long nums[API_U__MAX];
	int present[API_U__MAX], i, bad, oom, any = 0;
	json_t *o;

	*st = 0;
	if (api_read_object(r, w, &o) != 0 || o == NULL)
		return -1;
	if (api_body_tags(o, "tags", &oom) < 0) {
		json_decref(o);
		*st = oom ? 500 : api_fail(r, w, 422, "tags", "\"tags\" must be an array of tags: "
		    "strings of letters, digits, - and _.");
		return -1;
	}
	for (i = 0; i < API_U__MAX; i++)
		present[i] = json_object_get(o, api_update_rules[i].name) != NULL;
	bad = api_members(r, w, o, api_update_rules, API_U__MAX, v, nums, st);
	json_decref(o);
	if (bad < 0)
		return -1;
	memset(c, 0, sizeof(*c));
	c->to = TS__MAX;
	for (i = 0; i < API_U__MAX; i++) {
		if (!present[i])
			continue;
		if (*v[i] == '\0' && !members[i].clears) {
			*st = api_fail(r, w, 422, api_update_rules[i].name, arena_printf(r->arena,
			    "%s cannot be empty or null.", api_update_rules[i].label));
			return -1;
		}
		any |= i != API_U_VERSION;
		if (members[i].field != TF__MAX)
			c->fields[members[i].field] = api_update_rules[i].kind == FIELD_INT &&
			    nums[i] > 0 ? arena_printf(r->arena, "%lld", nums[i]) : v[i];
	}
	if (!any) {
		*st = api_fail(r, w, 400, NULL, "Nothing to change: give at least one member "
		    "besides \"version\".");
		return -1;
	}
	if (present[API_U_STATUS] && (c->to = ticket_status_parse(v[API_U_STATUS])) == TS__MAX) {
		*st = api_fail(r, w, 422, "status", "Unknown status.");
		return -1;
	}
	/* As on the ticket page: a code and a cause belong to resolving. */
	if ((present[API_U_CODE] || present[API_U_CAUSE]) && c->to != TS_RESOLVED) {
		*st = api_fail(r, w, 422, present[API_U_CODE] ? "resolution_code" : "root_cause",
		    "A resolution code and a root cause are given with \"status\": \"resolved\".");
		return -1;
	}
	c->resolution_code = api_given(v[API_U_CODE]);
	c->root_cause = api_given(v[API_U_CAUSE]);
	c->set_team = present[API_U_TEAM];
	c->team_id = nums[API_U_TEAM];
	c->set_agent = present[API_U_ASSIGNEE];
	c->agent_id = nums[API_U_ASSIGNEE];
	c->expected_version = (int)nums[API_U_VERSION];
	c->ip = r->remote_addr;
	return 0;
}

static int
ticket_update(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by;
	struct ticket_api_change c;
	enum ticket_api_member bad;
	const char *why = NULL;
	struct ticket t;
	enum cs_result rc;
	int st;

	if (read_change(r, w, &c, &st) < 0)
		return st;
	if (!api_load_ticket(app, r, w, &t, &st))
		return st;
	api_actor(r, &by);
	rc = ticket_api_change(&app->db, r->arena, &by, t.id, &c, &bad, &why);
	if (rc == CS_CONFLICT)
		return api_fail(r, w, 409, ticket_api_member_name(bad), why);
	if (rc == CS_REFUSED)
		return api_fail(r, w, 422, ticket_api_member_name(bad), why != NULL ? why :
		    "That change is not allowed.");
	if (rc == CS_NOT_FOUND)
		return api_fail(r, w, 404, NULL, "No such ticket.");
	if (rc != CS_OK)
		return api_db_fail(r, w, rc);
	return api_reply_ticket(app, r, w, t.number, 200);
}

int
console_api_ticket_update(struct app *app, struct req *r, struct resp *w)
{
	return api_idempotent(app, r, w, ticket_update);
}
