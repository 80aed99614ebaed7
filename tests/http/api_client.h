/*
 * api_client.h — what the API suites (check_http_api*.c) share: a key
 * made on the admin page, one request with or without it, and the answer
 * read as JSON.
 */
#ifndef CSDESK_TEST_API_CLIENT_H
#define CSDESK_TEST_API_CLIENT_H

#include <stddef.h>

#include <jansson.h>

#include "identity.h"

/* Signs the admin root@acme.test in; pw as typed or form-encoded (spaces go as "+"). */
void api_admin_sign_in(const struct th_stack *s, struct jar *j, const char *pw_form);

/* The passwords of the people api_suite_db makes. */
#define API_ADMIN_PW "granite pelican harbour 31"
#define API_CUSTOMER_PW "violet tugboat canyon 58"

/*
 * A new database for a suite called name (as th_db_create: malloc'd
 * conninfo) with the admin root@acme.test (API_ADMIN_PW) and Hank
 * Scorpio of Globex, hank@globex.test (API_CUSTOMER_PW), a verified
 * portal login.
 */
char *api_suite_db(const char *name);

/*
 * Makes a key called name (form-encoded) with scope ("read-write",
 * "read-only", "tickets", "comments"; NULL: the default) on the admin page
 * as the admin signed in j; copies it into key.
 */
void api_make_key(const struct th_stack *s, struct jar *j, const char *name, const char *scope,
    char *key, size_t size);

/*
 * One request to path. key NULL: none. A body goes as content_type
 * (NULL: application/json); header (NULL: none) is one more "Name: value".
 */
struct th_resp api_request(const struct th_stack *s, const char *method, const char *path,
    const char *key, const char *body, const char *content_type, const char *header);

/* The answer's JSON (the caller's to json_decref); asserts it is JSON. */
json_t *api_json_of(const struct th_resp *r);

/* Asserts r is the JSON error for status, and frees r. */
void api_assert_error(struct th_resp *r, long status);

#endif
