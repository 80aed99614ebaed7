/* api_client.c — see api_client.h. */
#include "api_client.h"
#include "auth/password.h"
#include "db/db.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
api_admin_sign_in(const struct th_stack *s, struct jar *j, const char *pw_form)
{
	/* A form-encoded password has no spaces: it goes as it is. */
	web_staff_sign_in(s, j, "root@acme.test", pw_form);
}

char *
api_suite_db(const char *name)
{
	char *conninfo = th_db_create(name), hash[PASSWORD_HASH_MAX];
	struct db d;
	long long uid;

	ck_assert_int_ge(sodium_init(), 0);
	ck_assert_int_eq(db_open(&d, conninfo, "api-setup"), 0);
	ck_assert_int_eq(password_hash(API_ADMIN_PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "root@acme.test", "Ada Admin", hash,
	    "agent,admin"), 0);
	ck_assert_int_eq(password_hash(API_CUSTOMER_PW, hash), 0);
	ck_assert_int_gt(customer_fixture(&d, "Globex", "company", "standard", "en",
	    "hank@globex.test", "Hank Scorpio", hash, 1, &uid), 0);
	db_close(&d);
	return conninfo;
}

void
api_make_key(const struct th_stack *s, struct jar *j, const char *name, const char *scope,
    char *key, size_t size)
{
	char body[160];
	struct th_resp r;
	const char *p, *end;

	snprintf(body, sizeof(body), "name=%s%s%s", name, scope ? "&scope=" : "",
	    scope ? scope : "");
	r = web_post(s, j, "/agent/admin/api-keys", "/agent/admin/api-keys", body);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(th_header(&r, "Cache-Control"), "no-store");
	p = strstr(r.body, "id=\"api-key\">");
	ck_assert_ptr_nonnull(p);
	p += strlen("id=\"api-key\">");
	end = strchr(p, '<');
	ck_assert_ptr_nonnull(end);
	ck_assert_uint_lt((size_t)(end - p), size);
	memcpy(key, p, (size_t)(end - p));
	key[end - p] = '\0';
	ck_assert_msg(strncmp(key, "csd_", 4) == 0, "key %s", key);
	th_resp_free(&r);
}

struct th_resp
api_request(const struct th_stack *s, const char *method, const char *path, const char *key,
    const char *body, const char *content_type, const char *header)
{
	char url[512], auth[160], ct[128];
	const char *h[4] = { NULL, NULL, NULL, NULL };
	struct th_resp r;
	int n = 0;

	snprintf(url, sizeof(url), "%s%s", s->url, path);
	if (key != NULL) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", key);
		h[n++] = auth;
	}
	if (body != NULL) {
		snprintf(ct, sizeof(ct), "Content-Type: %s", content_type ? content_type :
		    "application/json");
		h[n++] = ct;
	}
	if (header != NULL)
		h[n++] = header;
	ck_assert_int_eq(th_http(method, url, body, body ? strlen(body) : 0, h, &r), 0);
	return r;
}

json_t *
api_json_of(const struct th_resp *r)
{
	json_error_t err;
	json_t *o = json_loads(r->body, 0, &err);

	ck_assert_msg(o != NULL, "not JSON (%ld): %.200s", r->status, r->body);
	ck_assert_ptr_nonnull(strstr(th_header(r, "Content-Type"), "application/json"));
	return o;
}

void
api_assert_error(struct th_resp *r, long status)
{
	json_t *o;

	ck_assert_msg(r->status == status, "answered %ld, not %ld: %.300s", r->status, status,
	    r->body);
	o = api_json_of(r);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(o, "error"),
	    "status")), status);
	ck_assert(json_is_string(json_object_get(json_object_get(o, "error"), "message")));
	json_decref(o);
	th_resp_free(r);
}
