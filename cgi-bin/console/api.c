/*
 * api.c — the JSON API under /api/v1/ for chat, social and phone-system
 * integrations: what its handlers share (api_int.h). The pipeline
 * (src/web/app.c) has already turned the "Authorization: Bearer" key into
 * an integration agent, or answered 401; every answer here is JSON.
 *
 * Handlers (api_tickets.c, api_update.c, api_comments.c; routes in
 * api_routes.h) check the request (content type, size, JSON shape) and its
 * members against a table of field rules (web/fields.h: the same
 * validator as every form), then call the use cases the console calls,
 * recording the channel the integration names; the limits of lengths are
 * the domain's (422 with its sentence), and what follows from a change
 * (the customer's mail, the audit trail) comes from the events like
 * everywhere else. static/api/openapi.json describes all of it, and
 * tests/http/check_http_api_openapi.c keeps it true.
 */
#include "console/api_int.h"
#include "core/arena.h"
#include "domain/idem_run.h"
#include "domain/tickets.h"
#include "web/api_body.h"
#include "web/fields.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int
api_reply(struct req *r, struct resp *w, int status, json_t *o)
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

int
api_fail(struct req *r, struct resp *w, int status, const char *field, const char *message)
{
	json_t *o;
	char *text;

	app_json_error(r, w, status, message);
	if (field == NULL)
		return 0;
	/* The pipeline's error with the member added: one shape for all. */
	o = json_loadb(w->body.buf, w->body.len, 0, NULL);
	if (o != NULL && json_object_set_new(json_object_get(o, "error"), "field",
	    json_string(field)) == 0 && (text = json_dumps(o, JSON_COMPACT)) != NULL) {
		buf_reset(&w->body);
		buf_addstr(&w->body, text);
		free(text);
	}
	json_decref(o);
	return 0;
}

int
api_db_fail(struct req *r, struct resp *w, enum cs_result rc)
{
	return api_fail(r, w, web_result_status(rc), NULL, NULL);
}

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

int
api_once(struct req *r, struct resp *w, struct idem_key *k, int *st)
{
	const char *key = req_env(r, "HTTP_IDEMPOTENCY_KEY");

	memset(k, 0, sizeof(*k));
	*st = 0;
	if (key == NULL)
		return 1;
	if (!idem_key_valid(key)) {
		*st = api_fail(r, w, 400, NULL, "Idempotency-Key must be 1 to 255 printable ASCII "
		    "characters.");
		return 0;
	}
	k->scope = IDEM_API;
	k->owner_id = r->who.session_id;
	k->key = key;
	k->request = arena_printf(r->arena, "%s %s\n%.*s", r->method_name, r->path,
	    (int)r->raw_body_len, r->raw_body != NULL ? r->raw_body : "");
	if (k->request == NULL) {
		*st = 500;
		return 0;
	}
	return 1;
}

/*
 * Runs a POST or PATCH under the client's Idempotency-Key (docs/api.md):
 * without one, as it is. With one, the claim, the change and the answer
 * stored for a retry share one transaction, so a retry after a lost
 * answer (a 502/504) gets the stored answer (with Idempotent-Replayed:
 * true) rather than making a second ticket. Only successes are stored: a
 * refusal changes nothing, and its retry is judged afresh.
 */
int
api_idempotent(struct app *app, struct req *r, struct resp *w, api_handler handler)
{
	const char *why = NULL;
	struct idem_key k;
	struct idem_claim c;
	enum cs_result rc;
	int st;

	if (!api_once(r, w, &k, &st))
		return st;
	if (k.key == NULL)
		return handler(app, r, w);
	rc = idem_run_begin(&app->db, r->arena, &k, &c, &why);
	if (rc != CS_OK || c.replay) {
		if (rc == CS_REFUSED)
			return api_fail(r, w, 422, NULL, why);
		if (rc == CS_CONFLICT)
			return api_fail(r, w, 409, NULL, "A request with this Idempotency-Key is in "
			    "progress.");
		if (rc != CS_OK)
			return api_db_fail(r, w, rc);
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
		idem_run_end(&app->db, &k, 0, 0, NULL, NULL);
		return st;
	}
	rc = idem_run_end(&app->db, &k, 1, w->status, location_of(r, w), w->body.buf);
	if (rc != CS_OK) {
		/* Not stored, so not done: the answer must not say it was. */
		buf_reset(&w->body);
		buf_reset(&w->headers);
		return api_db_fail(r, w, rc);
	}
	return 0;
}

void
api_actor(const struct req *r, struct ticket_actor_ref *by)
{
	memset(by, 0, sizeof(*by));
	by->kind = TA_STAFF;
	by->id = r->who.id;
	by->api = 1;
}

int
api_read_object(struct req *r, struct resp *w, json_t **out)
{
	const char *ct = r->content_type;
	size_t n = strlen("application/json");
	const char *why;
	json_t *o;
	int status;

	*out = NULL;
	if (strncasecmp(ct, "application/json", n) != 0 || (ct[n] != '\0' && ct[n] != ';' &&
	    ct[n] != ' '))
		return api_fail(r, w, 415, NULL, "Send the body as application/json.");
	o = api_body_parse(r->arena, r->raw_body, r->raw_body_len, &status, &why);
	if (o == NULL)
		return api_fail(r, w, status, NULL, why);
	*out = o;
	return 0;
}

/* The member of rules that f holds a message for (the first one). */
static const char *
member_at_fault(const struct field_form *f, const struct field_rule *rules, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tval_get(f->errors, rules[i].name) != NULL)
			return rules[i].name;
	return NULL;
}

int
api_members(struct req *r, struct resp *w, const json_t *o, const struct field_rule *rules,
    size_t n, const char **vals, long long *nums, int *st)
{
	const char *unknown = api_body_unknown(o, rules, n);
	struct field_form f;

	*st = 0;
	if (unknown != NULL) {
		*st = api_fail(r, w, 422, unknown, arena_printf(r->arena, "\"%s\" is not a member "
		    "of this request.", unknown));
		return -1;
	}
	if (fields_init(&f, r->arena) < 0) {
		*st = 500;
		return -1;
	}
	fields_check_json(&f, o, rules, n, vals, nums);
	if (f.failed) {
		*st = 500;
		return -1;
	}
	if (f.nerrors == 0)
		return 0;
	*st = api_fail(r, w, 422, member_at_fault(&f, rules, n), fields_first_error(&f));
	return -1;
}

const char *
api_given(const char *v)
{
	return *v != '\0' ? v : NULL;
}

json_t *
api_str(const char *s)
{
	return s != NULL && *s != '\0' ? json_string(s) : json_null();
}

json_t *
api_id(long long id)
{
	return id > 0 ? json_integer((json_int_t)id) : json_null();
}

