/*
 * The OpenAPI document keeps true: nginx serves static/api/openapi.json at
 * /api/v1/openapi.json without a key; it describes every route of the
 * API's route table (console/api_routes.h) and no other, and every member
 * of the tables the API checks bodies against (web/api_body.h) with the
 * same required members and allowed words; and every answer the API gives
 * in a run through all its routes — successes and each kind of refusal —
 * has a status the document lists for that operation and a body valid
 * against the schema it gives (api_schema.h), as is every example the
 * document shows (each success has one), while every status the
 * document lists is seen in that run (the few that need a failure or a
 * race to happen are named below, with why).
 */
#include "api_client.h"
#include "api_schema.h"
#include "auth/password.h"
#include "console/api_routes.h"
#include "db/db.h"
#include "web/api_body.h"

#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "granite pelican harbour 31"
#define PW_FORM "granite+pelican+harbour+31"

static struct th_stack stack;
static char *db;
static json_t *doc;

/* The API's routes as the console serves them. */
static const struct {
	const char *method;	/* "HTTP_GET" */
	const char *pattern;
} routes[] = {
#define API_ROUTE(method, pattern, handler, access) { #method, pattern },
	CONSOLE_API_ROUTES(API_ROUTE)
#undef API_ROUTE
};
#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/* The member rules of each route that takes a body. */
static const struct {
	const char *method, *pattern;
	const struct field_rule *rules;
	size_t n;
} bodies[] = {
	{ "post", "/api/v1/tickets", api_create_rules, API_C__MAX },
	{ "patch", "/api/v1/tickets/{number}", api_update_rules, API_U__MAX },
	{ "post", "/api/v1/tickets/{number}/comments", api_comment_rules, API_M__MAX },
};
#define NBODIES (sizeof(bodies) / sizeof(bodies[0]))

/* Documented, not seen in the run: each needs what a test cannot cause on demand. */
static const struct {
	const char *method, *pattern;
	const char *status;	/* NULL: any of the operation's 5xx */
} unseen[] = {
	/* 503: the database away (check_http_resilience.c stops it). */
	{ NULL, NULL, NULL },
	/* A second request with the same Idempotency-Key while the first still runs. */
	{ "post", "/api/v1/tickets", "409" },
};

/* "HTTP_PATCH" as "patch". */
static const char *
method_of(const char *m, char *out, size_t size)
{
	size_t i;

	if (strncmp(m, "HTTP_", 5) == 0)
		m += 5;
	for (i = 0; m[i] != '\0' && i + 1 < size; i++)
		out[i] = (char)tolower((unsigned char)m[i]);
	out[i] = '\0';
	return out;
}

static json_t *
operation(const char *method, const char *pattern)
{
	return json_object_get(json_object_get(json_object_get(doc, "paths"), pattern), method);
}

/* A response object with its $ref followed. */
static const json_t *
resolved(const json_t *o)
{
	const json_t *ref = json_object_get(o, "$ref");

	return ref != NULL ? schema_ref(doc, json_string_value(ref)) : o;
}

static void
setup(void)
{
	char hash[PASSWORD_HASH_MAX], path[1024];
	json_error_t err;
	struct db d;
	long long uid;

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("api_openapi");
	ck_assert_int_eq(db_open(&d, db, "api-openapi-setup"), 0);
	ck_assert_int_eq(password_hash(PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "root@acme.test", "Ada Admin", hash, "agent,admin"), 0);
	ck_assert_int_gt(customer_fixture(&d, "Globex", "company", "standard", "en",
	    "hank@globex.test", "Hank Scorpio", hash, 1, &uid), 0);
	ck_assert_int_gt(customer_fixture(&d, "Initech", "company", "standard", "en",
	    "peter@initech.test", "Peter Gibbons", hash, 1, &uid), 0);
	ck_assert_int_eq(db_script(&d, "INSERT INTO resolution_codes (code, label)"
	    " VALUES ('fixed', 'Fixed')", "fixture"), 0);
	db_close(&d);
	th_stack_start(&stack, db, 2, NULL);
	snprintf(path, sizeof(path), "%s/static/api/openapi.json", th_datadir());
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (doc == NULL) {
		fprintf(stderr, "%s:%d: %s\n", path, err.line, err.text);
		abort();
	}
}

static void
teardown(void)
{
	json_decref(doc);
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

START_TEST(served_by_nginx_without_a_key)
{
	struct th_resp r = api_request(&stack, "GET", "/api/v1/openapi.json", NULL, NULL, NULL,
	    NULL);
	json_t *o;

	ck_assert_int_eq(r.status, 200);
	o = api_json_of(&r);
	ck_assert(json_equal(o, doc));
	ck_assert_str_eq(json_string_value(json_object_get(o, "openapi")), "3.1.0");
	json_decref(o);
	th_resp_free(&r);
}
END_TEST

START_TEST(every_route_and_only_those)
{
	const json_t *paths = json_object_get(doc, "paths"), *item, *op;
	const char *pattern, *method;
	char m[16];
	size_t i;

	for (i = 0; i < NROUTES; i++) {
		method_of(routes[i].method, m, sizeof(m));
		ck_assert_msg(operation(m, routes[i].pattern) != NULL, "%s %s is not in the document",
		    m, routes[i].pattern);
	}
	json_object_foreach((json_t *)paths, pattern, item) {
		json_object_foreach((json_t *)item, method, op) {
			int found = strcmp(pattern, "/api/v1/openapi.json") == 0;

			if (strcmp(method, "parameters") == 0)
				continue;
			for (i = 0; i < NROUTES && !found; i++)
				found = strcmp(method_of(routes[i].method, m, sizeof(m)), method) == 0 &&
				    strcmp(routes[i].pattern, pattern) == 0;
			ck_assert_msg(found, "the document has %s %s, the API does not", method,
			    pattern);
			ck_assert_msg(json_object_get(op, "responses") != NULL, "%s %s: no responses",
			    method, pattern);
		}
	}
}
END_TEST

/* Whether the JSON array list holds the string word. */
static int
has_word(const json_t *list, const char *word)
{
	const json_t *e;
	size_t i;

	if (json_is_string(list))
		return strcmp(json_string_value(list), word) == 0;
	json_array_foreach(list, i, e)
		if (json_is_string(e) && strcmp(json_string_value(e), word) == 0)
			return 1;
	return 0;
}

/* The members of rules, as the document's schema of that body says them. */
static void
check_body(const char *method, const char *pattern, const struct field_rule *rules, size_t n)
{
	const json_t *schema = json_object_get(json_object_get(json_object_get(json_object_get(
	    operation(method, pattern), "requestBody"), "content"), "application/json"), "schema");
	const json_t *props, *req, *p;
	const char *key;
	size_t i, k;

	schema = resolved(schema);
	ck_assert_msg(schema != NULL, "%s %s: no JSON body in the document", method, pattern);
	props = json_object_get(schema, "properties");
	req = json_object_get(schema, "required");
	ck_assert(json_is_false(json_object_get(schema, "additionalProperties")));
	for (i = 0; i < n; i++) {
		p = json_object_get(props, rules[i].name);
		ck_assert_msg(p != NULL, "%s %s: member %s is not in the document", method, pattern,
		    rules[i].name);
		ck_assert_msg(has_word(req, rules[i].name) == rules[i].required,
		    "%s %s: %s is%s required", method, pattern, rules[i].name,
		    rules[i].required ? "" : " not");
		if (rules[i].kind == FIELD_INT)
			ck_assert_msg(has_word(json_object_get(p, "type"), "integer"),
			    "%s: not an integer in the document", rules[i].name);
		if (rules[i].kind != FIELD_CHOICE)
			continue;
		for (k = 0; rules[i].choices[k] != NULL; k++)
			ck_assert_msg(has_word(json_object_get(p, "enum"), rules[i].choices[k]),
			    "%s: %s is not in its enum", rules[i].name, rules[i].choices[k]);
		ck_assert_msg(json_array_size(json_object_get(p, "enum")) == k,
		    "%s: the enum has words the API refuses", rules[i].name);
	}
	json_object_foreach((json_t *)props, key, p) {
		for (i = 0; i < n && strcmp(rules[i].name, key) != 0; i++)
			;
		ck_assert_msg(i < n, "%s %s: the document has member %s, the API refuses it",
		    method, pattern, key);
	}
}

START_TEST(every_body_member)
{
	const json_t *paths = json_object_get(doc, "paths"), *item, *op;
	const char *pattern, *method;
	size_t i;

	for (i = 0; i < NBODIES; i++)
		check_body(bodies[i].method, bodies[i].pattern, bodies[i].rules, bodies[i].n);
	/* And no body the API reads goes without its rules here. */
	json_object_foreach((json_t *)paths, pattern, item) {
		json_object_foreach((json_t *)item, method, op) {
			int writes = strcmp(method, "post") == 0 || strcmp(method, "patch") == 0 ||
			    strcmp(method, "put") == 0;

			for (i = 0; i < NBODIES && !(strcmp(bodies[i].method, method) == 0 &&
			    strcmp(bodies[i].pattern, pattern) == 0); i++)
				;
			ck_assert_msg((i < NBODIES) == writes, "%s %s: a body without its rules",
			    method, pattern);
			ck_assert_msg((json_object_get(op, "requestBody") != NULL) == writes,
			    "%s %s: requestBody", method, pattern);
		}
	}
}
END_TEST

/* Asserts media (a content's "application/json") has an example valid against its schema. */
static void
check_example(const json_t *media, const char *where, int required)
{
	const json_t *example = json_object_get(media, "example");
	char err[512];

	if (example == NULL) {
		ck_assert_msg(!required, "%s: no example", where);
		return;
	}
	ck_assert_msg(schema_check(doc, json_object_get(media, "schema"), example, "example", err,
	    sizeof(err)) == 0, "%s: %s", where, err);
}

START_TEST(every_example_valid)
{
	const json_t *paths = json_object_get(doc, "paths"), *item, *op, *resp, *r;
	const char *pattern, *method, *status, *name;
	char where[160];

	json_object_foreach((json_t *)paths, pattern, item) {
		json_object_foreach((json_t *)item, method, op) {
			snprintf(where, sizeof(where), "%s %s body", method, pattern);
			check_example(json_object_get(json_object_get(json_object_get(op,
			    "requestBody"), "content"), "application/json"), where,
			    json_object_get(op, "requestBody") != NULL);
			json_object_foreach(json_object_get(op, "responses"), status, resp) {
				r = resolved(resp);
				snprintf(where, sizeof(where), "%s %s %s", method, pattern, status);
				/* A success shows what it gives, except this document's own. */
				check_example(json_object_get(json_object_get(r, "content"),
				    "application/json"), where, status[0] == '2' &&
				    strcmp(pattern, "/api/v1/openapi.json") != 0);
			}
		}
	}
	json_object_foreach(json_object_get(json_object_get(doc, "components"), "responses"), name,
	    r)
		check_example(json_object_get(json_object_get(r, "content"), "application/json"),
		    name, 0);
}
END_TEST

/* ---- every answer against the document ----------------------------------- */

#define SEEN_MAX 128
static struct {
	char method[8], pattern[64], status[8];
} seen[SEEN_MAX];
static size_t nseen;

/*
 * Asserts r (of method on pattern) answered want, with a status the
 * document lists for that operation, the headers it names and a body
 * valid against its schema;
 * records it as seen. Returns the body's JSON (the caller's), frees r.
 */
static json_t *
judged(const char *method, const char *pattern, struct th_resp *r, long want)
{
	const json_t *resp, *schema;
	char status[8], err[512];
	const char *header;
	json_t *body, *v;

	ck_assert_msg(r->status == want, "%s %s answered %ld, not %ld: %.300s", method, pattern,
	    r->status, want, r->body);
	snprintf(status, sizeof(status), "%ld", r->status);
	resp = resolved(json_object_get(json_object_get(operation(method, pattern),
	    "responses"), status));
	ck_assert_msg(resp != NULL, "%s %s answers %s, which the document does not list",
	    method, pattern, status);
	json_object_foreach(json_object_get(resp, "headers"), header, v)
		ck_assert_msg(th_header(r, header) != NULL, "%s %s %s: no %s header", method,
		    pattern, status, header);
	schema = json_object_get(json_object_get(json_object_get(resp, "content"),
	    "application/json"), "schema");
	ck_assert_msg(schema != NULL, "%s %s %s: no JSON schema", method, pattern, status);
	body = api_json_of(r);
	ck_assert_msg(schema_check(doc, schema, body, "$", err, sizeof(err)) == 0,
	    "%s %s %s: %s", method, pattern, status, err);
	ck_assert_uint_lt(nseen, SEEN_MAX);
	snprintf(seen[nseen].method, sizeof(seen[0].method), "%s", method);
	snprintf(seen[nseen].pattern, sizeof(seen[0].pattern), "%s", pattern);
	snprintf(seen[nseen].status, sizeof(seen[0].status), "%s", status);
	nseen++;
	th_resp_free(r);
	return body;
}

/* One request judged; body's JSON decref'd unless out. */
static void
call(const char *method, const char *pattern, const char *path, const char *key,
    const char *body, const char *content_type, const char *header, long want, json_t **out)
{
	char upper[8];
	struct th_resp r;
	json_t *o;
	size_t i;

	for (i = 0; method[i] != '\0' && i + 1 < sizeof(upper); i++)
		upper[i] = (char)toupper((unsigned char)method[i]);
	upper[i] = '\0';
	r = api_request(&stack, upper, path, key, body, content_type, header);
	o = judged(method, pattern, &r, want);
	if (out != NULL)
		*out = o;
	else
		json_decref(o);
}

/* A body larger than the API takes (malloc'd). */
static char *
huge_body(void)
{
	size_t n = API_BODY_MAX + 16;
	char *b = malloc(n + 1);

	ck_assert_ptr_nonnull(b);
	memset(b, ' ', n);
	b[0] = '{';
	b[n - 1] = '}';
	b[n] = '\0';
	return b;
}

/* The keys: one per scope. */
struct keys {
	char all[128], read[128], tickets[128], comments[128];
};

static void
tickets_routes(const struct keys *k, char *number, size_t size)
{
	const char *T = "/api/v1/tickets", *one = "/api/v1/tickets/{number}";
	char path[128], *big = huge_body();
	json_t *o;

	call("post", T, T, k->all, "{\"customer_email\": \"hank@globex.test\", \"subject\":"
	    " \"Printer jams\", \"description\": \"On every page.\", \"channel\": \"phone\","
	    " \"priority\": \"urgent\"}", NULL, NULL, 201, &o);
	snprintf(number, size, "%s", json_string_value(json_object_get(json_object_get(o,
	    "ticket"), "number")));
	json_decref(o);
	call("post", T, T, k->all, "{\"subject\": ", NULL, NULL, 400, NULL);
	call("post", T, T, NULL, "{}", NULL, NULL, 401, NULL);
	call("post", T, T, k->read, "{}", NULL, NULL, 403, NULL);
	call("post", T, T, k->all, big, NULL, NULL, 413, NULL);
	call("post", T, T, k->all, "subject=x", "application/x-www-form-urlencoded", NULL, 415,
	    NULL);
	call("post", T, T, k->all, "{\"customer_email\": \"hank@globex.test\", \"subject\": \"x\","
	    " \"description\": \"y\", \"channel\": \"fax\"}", NULL, NULL, 422, NULL);
	call("get", T, "/api/v1/tickets?status=open&customer_email=hank%40globex.test&limit=1",
	    k->read, NULL, NULL, NULL, 200, NULL);
	call("get", T, "/api/v1/tickets?before=x", k->read, NULL, NULL, NULL, 400, NULL);
	call("get", T, T, NULL, NULL, NULL, NULL, 401, NULL);
	snprintf(path, sizeof(path), "/api/v1/tickets/%s", number);
	call("get", one, path, k->read, NULL, NULL, NULL, 200, NULL);
	call("get", one, "/api/v1/tickets/TKT-999999", k->read, NULL, NULL, NULL, 404, NULL);
	call("get", one, path, NULL, NULL, NULL, NULL, 401, NULL);
	call("patch", one, path, k->all, "{\"status\": \"in_progress\", \"type\": \"incident\","
	    " \"tags\": [\"jam\", \"tray-2\"], \"serial\": \"SN-1\"}", NULL, NULL, 200, NULL);
	call("patch", one, path, k->all, "{\"version\": 1}", NULL, NULL, 400, NULL);
	call("patch", one, path, NULL, "{}", NULL, NULL, 401, NULL);
	call("patch", one, path, k->comments, "{\"priority\": \"low\"}", NULL, NULL, 403, NULL);
	call("patch", one, "/api/v1/tickets/TKT-999999", k->all, "{\"priority\": \"low\"}", NULL,
	    NULL, 404, NULL);
	call("patch", one, path, k->all, "{\"priority\": \"low\", \"version\": 1}", NULL, NULL,
	    409, NULL);
	call("patch", one, path, k->all, big, NULL, NULL, 413, NULL);
	call("patch", one, path, k->all, "x", "text/plain", NULL, 415, NULL);
	call("patch", one, path, k->all, "{\"category_id\": 999999}", NULL, NULL, 422, NULL);
	free(big);
}

static void
comments_routes(const struct keys *k, const char *number)
{
	const char *C = "/api/v1/tickets/{number}/comments";
	char path[128], *big = huge_body();

	snprintf(path, sizeof(path), "/api/v1/tickets/%s/comments", number);
	call("post", C, path, k->comments, "{\"body\": \"A new drum is on its way.\"}", NULL,
	    "Idempotency-Key: drum-1", 201, NULL);
	call("post", C, path, k->all, "", NULL, NULL, 400, NULL);
	call("post", C, path, NULL, "{}", NULL, NULL, 401, NULL);
	call("post", C, path, k->tickets, "{\"body\": \"x\"}", NULL, NULL, 403, NULL);
	call("post", C, "/api/v1/tickets/TKT-999999/comments", k->all, "{\"body\": \"x\"}", NULL,
	    NULL, 404, NULL);
	call("post", C, path, k->all, "{\"body\": \"x\", \"version\": 1}", NULL, NULL, 409, NULL);
	call("post", C, path, k->all, big, NULL, NULL, 413, NULL);
	call("post", C, path, k->all, "body", "text/plain", NULL, 415, NULL);
	call("post", C, path, k->all, "{\"body\": \"x\", \"visibility\": \"secret\"}", NULL, NULL,
	    422, NULL);
	call("get", C, path, k->read, NULL, NULL, NULL, 200, NULL);
	call("get", C, "/api/v1/tickets/TKT-999999/comments", k->read, NULL, NULL, NULL, 404,
	    NULL);
	/* Another customer's ticket, for an integration acting for that customer. */
	snprintf(path, sizeof(path), "/api/v1/tickets/%s/comments?customer_email="
	    "peter%%40initech.test", number);
	call("get", C, path, k->read, NULL, NULL, NULL, 404, NULL);
	call("get", C, path, NULL, NULL, NULL, NULL, 401, NULL);
	free(big);
}

/* A value the list refuses for each of its query parameters. */
static const struct {
	const char *name, *bad;
} list_params[] = {
	{ "status", "bogus" },
	{ "limit", "0" },
	{ "before", "x" },
	{ "customer_email", NULL },	/* longer than an address may be */
};

/*
 * Each query parameter the document gives the list is one the API reads:
 * a bad value of it is refused, naming it.
 */
static void
list_parameters(const struct keys *k)
{
	const json_t *p, *params = json_object_get(operation("get", "/api/v1/tickets"),
	    "parameters");
	char path[512], bad[300];
	const char *name;
	json_t *o;
	size_t i, n;

	memset(bad, 'a', sizeof(bad) - 1);
	bad[sizeof(bad) - 1] = '\0';
	json_array_foreach(params, i, p) {
		name = json_string_value(json_object_get(p, "name"));
		for (n = 0; n < sizeof(list_params) / sizeof(list_params[0]) &&
		    strcmp(list_params[n].name, name) != 0; n++)
			;
		ck_assert_msg(n < sizeof(list_params) / sizeof(list_params[0]),
		    "the list's parameter %s is not tried here", name);
		snprintf(path, sizeof(path), "/api/v1/tickets?%s=%s", name,
		    list_params[n].bad != NULL ? list_params[n].bad : bad);
		call("get", "/api/v1/tickets", path, k->read, NULL, NULL, NULL, 400, &o);
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "error"),
		    "field")), name);
		json_decref(o);
	}
}

/* Whether the document's status of method on pattern was seen or may go unseen. */
static int
accounted(const char *method, const char *pattern, const char *status)
{
	size_t i;

	for (i = 0; i < nseen; i++)
		if (strcmp(seen[i].method, method) == 0 && strcmp(seen[i].pattern, pattern) == 0 &&
		    strcmp(seen[i].status, status) == 0)
			return 1;
	for (i = 0; i < sizeof(unseen) / sizeof(unseen[0]); i++) {
		if (unseen[i].status == NULL && status[0] == '5')
			return 1;
		if (unseen[i].status != NULL && strcmp(unseen[i].method, method) == 0 &&
		    strcmp(unseen[i].pattern, pattern) == 0 && strcmp(unseen[i].status, status) == 0)
			return 1;
	}
	return 0;
}

START_TEST(every_answer_as_documented)
{
	const json_t *paths = json_object_get(doc, "paths"), *item, *op, *v;
	const char *pattern, *method, *status;
	struct jar j = { 0 };
	struct keys k;
	char number[32];

	api_admin_sign_in(&stack, &j, PW_FORM);
	api_make_key(&stack, &j, "Everything", "read-write", k.all, sizeof(k.all));
	api_make_key(&stack, &j, "Reader", "read-only", k.read, sizeof(k.read));
	api_make_key(&stack, &j, "Tickets", "tickets", k.tickets, sizeof(k.tickets));
	api_make_key(&stack, &j, "Comments", "comments", k.comments, sizeof(k.comments));
	nseen = 0;
	tickets_routes(&k, number, sizeof(number));
	comments_routes(&k, number);
	list_parameters(&k);
	call("get", "/api/v1/choices", "/api/v1/choices", k.read, NULL, NULL, NULL, 200, NULL);
	call("get", "/api/v1/choices", "/api/v1/choices", NULL, NULL, NULL, NULL, 401, NULL);
	call("get", "/api/v1/openapi.json", "/api/v1/openapi.json", NULL, NULL, NULL, NULL, 200,
	    NULL);
	json_object_foreach((json_t *)paths, pattern, item)
		json_object_foreach((json_t *)item, method, op)
			if (strcmp(method, "parameters") != 0)
				json_object_foreach(json_object_get(op, "responses"), status, v)
					ck_assert_msg(accounted(method, pattern, status),
					    "the document says %s %s may answer %s: no call here "
					    "did", method, pattern, status);
}
END_TEST

Suite *http_api_openapi_suite(void);

Suite *
http_api_openapi_suite(void)
{
	Suite *s = suite_create("http_api_openapi");
	TCase *tc = tcase_create("openapi");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, served_by_nginx_without_a_key);
	tcase_add_test(tc, every_route_and_only_those);
	tcase_add_test(tc, every_body_member);
	tcase_add_test(tc, every_example_valid);
	tcase_add_test(tc, every_answer_as_documented);
	suite_add_tcase(s, tc);
	return s;
}
