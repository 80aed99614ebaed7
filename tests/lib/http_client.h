/*
 * http_client.h — what the HTTP suites need to act as a person in a
 * browser: a cookie jar, GETs and form posts that carry the CSRF token,
 * signing in on either program, and reading what came back (status, text
 * on the page, links, hidden fields, Location). One copy for every suite,
 * so a suite holds its scenarios and nothing else.
 *
 * Every function that asserts fails the calling test with Check; a
 * response a function returns is the caller's to th_resp_free().
 */
#ifndef CSDESK_TEST_HTTP_CLIENT_H
#define CSDESK_TEST_HTTP_CLIENT_H

#include <stddef.h>

#include "harness.h"

#define JAR_MAX 8

struct jar {
	char name[JAR_MAX][64];
	char value[JAR_MAX][1024];
	int n;
};

/* Takes every Set-Cookie of r into the jar (deleting expired ones). */
void jar_take(struct jar *j, const struct th_resp *r);
/* The value of a cookie in the jar, or NULL. */
const char *jar_get(const struct jar *j, const char *name);
void jar_clear(struct jar *j);
/* The jar as a request's "Cookie: …" header line, into out. */
void jar_cookie_header(const struct jar *j, char *out, size_t size);

/* GET base+path with the jar's cookies; takes cookies back. */
struct th_resp web_get(const struct th_stack *s, struct jar *j, const char *path);

/*
 * POST an urlencoded form to path: body is "a=1&b=2" without the token;
 * csrf_token is added from the page at token_page (GET first) unless
 * token_page is NULL, in which case body is sent as is.
 */
struct th_resp web_post(const struct th_stack *s, struct jar *j, const char *path,
    const char *token_page, const char *body);

/* web_get and web_post that assert the answer's status is want. */
struct th_resp web_get_want(const struct th_stack *s, struct jar *j, const char *path,
    long want);
struct th_resp web_post_want(const struct th_stack *s, struct jar *j, const char *path,
    const char *token_page, const char *body, long want);

/* The status alone of a GET of path, or of a post (as web_post). */
long web_status(const struct th_stack *s, struct jar *j, const char *path);
long web_post_status(const struct th_stack *s, struct jar *j, const char *path,
    const char *token_page, const char *body);

/*
 * Asserts r answered status and, unless has is NULL, that its body holds
 * has; the message shows the page's <main> part. Frees r.
 */
void web_expect(struct th_resp r, long status, const char *has);

/* The body from its <main> element on (the whole body without one; "" for none). */
const char *web_main_of(const struct th_resp *r);

/* Signs in on the console (/agent/login) as email with password pw as typed
 * (spaces allowed); asserts the redirect and the staff cookie. */
void web_staff_sign_in(const struct th_stack *s, struct jar *j, const char *email,
    const char *pw);

/* Signs a customer in on the portal (/login), pw as typed; asserts the redirect. */
void web_customer_sign_in(const struct th_stack *s, struct jar *j, const char *email,
    const char *pw);

/* Asserts the body of r holds s / does not hold s. */
void assert_has(const struct th_resp *r, const char *s);
void assert_lacks(const struct th_resp *r, const char *s);

/* How many times needle stands in hay (0 for a NULL hay). */
int web_occurrences(const char *hay, const char *needle);

/* The csrf_token hidden field's value in an HTML page (static buffer; "" when none). */
const char *csrf_in(const char *html);

/* The value of the first field called name in html, into out; asserts there is one. */
void web_field_value(const char *html, const char *name, char *out, size_t size);

/*
 * The href of the first link in html that starts with prefix, "&amp;"
 * read as "&", into out; asserts there is one.
 */
void web_href(const char *html, const char *prefix, char *out, size_t size);

/*
 * The href of the link whose tag ends just before marker (e.g. "\">Next
 * page</a>"), "&amp;" read as "&", into out. Returns 0, or -1 with out
 * empty when marker is not in html.
 */
int web_href_before(const char *html, const char *marker, char *out, size_t size);

/* Asserts r's Location is where / starts with prefix. */
void web_location_is(const struct th_resp *r, const char *where);
void web_location_starts(const struct th_resp *r, const char *prefix);

/* The number after prefix in r's Location (asserting it starts so). */
long long web_location_id(const struct th_resp *r, const char *prefix);

#endif
