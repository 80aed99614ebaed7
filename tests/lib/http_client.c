/* http_client.c — see http_client.h. */
#include "http_client.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void
jar_clear(struct jar *j)
{
	memset(j, 0, sizeof(*j));
}

const char *
jar_get(const struct jar *j, const char *name)
{
	int i;

	for (i = 0; i < j->n; i++)
		if (strcmp(j->name[i], name) == 0)
			return j->value[i];
	return NULL;
}

static void
jar_set(struct jar *j, const char *name, const char *value, int expired)
{
	int i;

	for (i = 0; i < j->n; i++)
		if (strcmp(j->name[i], name) == 0)
			break;
	if (expired) {
		if (i < j->n) {
			memmove(&j->name[i], &j->name[i + 1],
			    sizeof(j->name[0]) * (size_t)(j->n - i - 1));
			memmove(&j->value[i], &j->value[i + 1],
			    sizeof(j->value[0]) * (size_t)(j->n - i - 1));
			j->n--;
		}
		return;
	}
	if (i == j->n) {
		if (j->n == JAR_MAX)
			return;
		j->n++;
	}
	snprintf(j->name[i], sizeof(j->name[i]), "%s", name);
	snprintf(j->value[i], sizeof(j->value[i]), "%s", value);
}

void
jar_take(struct jar *j, const struct th_resp *r)
{
	const char *p = r->headers;

	while (p != NULL && *p) {
		const char *eol = strstr(p, "\r\n");

		if (strncasecmp(p, "Set-Cookie: ", 12) == 0) {
			char name[64] = "", value[1024] = "";
			const char *line = p + 12;
			size_t len = eol ? (size_t)(eol - p) : strlen(p);
			char buf[2048];

			if (len >= sizeof(buf))
				len = sizeof(buf) - 1;
			memcpy(buf, p, len);
			buf[len] = '\0';
			if (sscanf(line, "%63[^=]=%1023[^;]", name, value) == 2)
				jar_set(j, name, value, strstr(buf, "Max-Age=0") != NULL);
		}
		p = eol ? eol + 2 : NULL;
	}
}

void
jar_cookie_header(const struct jar *j, char *out, size_t size)
{
	int i;

	snprintf(out, size, "Cookie: ");
	for (i = 0; i < j->n; i++)
		snprintf(out + strlen(out), size - strlen(out), "%s%s=%s", i ? "; " : "",
		    j->name[i], j->value[i]);
}

struct th_resp
web_get(const struct th_stack *s, struct jar *j, const char *path)
{
	char url[1024], cookie[2048];
	const char *h[] = { cookie, NULL };
	struct th_resp r;

	snprintf(url, sizeof(url), "%s%s", s->url, path);
	jar_cookie_header(j, cookie, sizeof(cookie));
	ck_assert_msg(th_http("GET", url, NULL, 0, j->n ? h : NULL, &r) == 0, "GET %s", path);
	jar_take(j, &r);
	return r;
}

struct th_resp
web_post(const struct th_stack *s, struct jar *j, const char *path, const char *token_page,
    const char *body)
{
	char url[1024], cookie[2048], *full;
	const char *h[] = { "Content-Type: application/x-www-form-urlencoded", cookie, NULL };
	struct th_resp r;

	if (token_page != NULL) {
		struct th_resp page = web_get(s, j, token_page);

		if (asprintf(&full, "csrf_token=%s%s%s", csrf_in(page.body), *body ? "&" : "",
		    body) < 0)
			abort();
		th_resp_free(&page);
	} else {
		full = strdup(body);
	}
	snprintf(url, sizeof(url), "%s%s", s->url, path);
	jar_cookie_header(j, cookie, sizeof(cookie));
	ck_assert_msg(th_http("POST", url, full, strlen(full), h, &r) == 0, "POST %s", path);
	jar_take(j, &r);
	free(full);
	return r;
}


struct th_resp
web_get_want(const struct th_stack *s, struct jar *j, const char *path, long want)
{
	struct th_resp r = web_get(s, j, path);

	ck_assert_msg(r.status == want, "GET %s answered %ld, not %ld", path, r.status, want);
	return r;
}

struct th_resp
web_post_want(const struct th_stack *s, struct jar *j, const char *path, const char *token_page,
    const char *body, long want)
{
	struct th_resp r = web_post(s, j, path, token_page, body);

	ck_assert_msg(r.status == want, "POST %s answered %ld, not %ld", path, r.status, want);
	return r;
}

long
web_status(const struct th_stack *s, struct jar *j, const char *path)
{
	struct th_resp r = web_get(s, j, path);
	long st = r.status;

	th_resp_free(&r);
	return st;
}

long
web_post_status(const struct th_stack *s, struct jar *j, const char *path,
    const char *token_page, const char *body)
{
	struct th_resp r = web_post(s, j, path, token_page, body);
	long st = r.status;

	th_resp_free(&r);
	return st;
}

const char *
web_main_of(const struct th_resp *r)
{
	const char *m = r->body != NULL ? strstr(r->body, "<main") : NULL;

	return m != NULL ? m : r->body != NULL ? r->body : "";
}

void
web_expect(struct th_resp r, long status, const char *has)
{
	/* The page's main part is enough to see why (Check's messages are short). */
	ck_assert_msg(r.status == status, "status %ld, not %ld: %.3000s", r.status, status,
	    web_main_of(&r));
	if (has != NULL)
		ck_assert_msg(r.body != NULL && strstr(r.body, has) != NULL, "no \"%s\" in %.3000s",
		    has, web_main_of(&r));
	th_resp_free(&r);
}

void
assert_has(const struct th_resp *r, const char *s)
{
	ck_assert_msg(r->body != NULL && strstr(r->body, s) != NULL, "page lacks \"%s\"", s);
}

void
assert_lacks(const struct th_resp *r, const char *s)
{
	ck_assert_msg(r->body == NULL || strstr(r->body, s) == NULL, "page has \"%s\"", s);
}

int
web_occurrences(const char *hay, const char *needle)
{
	int n = 0;

	while (hay != NULL && (hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* The value of field name in html into out (truncated to size); -1 when there is none. */
static int
field_value(const char *html, const char *name, char *out, size_t size)
{
	char key[128];
	const char *p;

	out[0] = '\0';
	snprintf(key, sizeof(key), "name=\"%s\" value=\"", name);
	p = html != NULL ? strstr(html, key) : NULL;
	if (p == NULL)
		return -1;
	p += strlen(key);
	snprintf(out, size, "%.*s", (int)strcspn(p, "\""), p);
	return 0;
}

const char *
csrf_in(const char *html)
{
	static char token[128];

	field_value(html, "csrf_token", token, sizeof(token));
	return token;
}

void
web_field_value(const char *html, const char *name, char *out, size_t size)
{
	ck_assert_msg(field_value(html, name, out, size) == 0, "no field %s", name);
}

/* Copies the n characters at p into out, reading "&amp;" as "&". */
static void
copy_href(const char *p, size_t n, char *out, size_t size)
{
	const char *end = p + n;
	size_t k = 0;

	for (; p < end && k + 1 < size; p++) {
		out[k++] = *p;
		if (strncmp(p, "&amp;", 5) == 0)
			p += 4;
	}
	out[k] = '\0';
}

void
web_href(const char *html, const char *prefix, char *out, size_t size)
{
	char want[256];
	const char *p;

	snprintf(want, sizeof(want), "href=\"%s", prefix);
	p = html != NULL ? strstr(html, want) : NULL;
	ck_assert_msg(p != NULL, "no link to %s…", prefix);
	p += strlen("href=\"");
	copy_href(p, strcspn(p, "\""), out, size);
}

int
web_href_before(const char *html, const char *marker, char *out, size_t size)
{
	const char *end = html != NULL ? strstr(html, marker) : NULL, *p;

	out[0] = '\0';
	if (end == NULL)
		return -1;
	for (p = end; p > html && strncmp(p, "href=\"", 6) != 0; p--)
		;
	p += 6;
	copy_href(p, (size_t)(end - p), out, size);
	return 0;
}

void
web_location_is(const struct th_resp *r, const char *where)
{
	const char *loc = th_header(r, "Location");

	ck_assert_msg(loc != NULL && strcmp(loc, where) == 0, "Location %s, not %s",
	    loc ? loc : "(none)", where);
}

void
web_location_starts(const struct th_resp *r, const char *prefix)
{
	const char *loc = th_header(r, "Location");

	ck_assert_msg(loc != NULL && strncmp(loc, prefix, strlen(prefix)) == 0,
	    "Location %s, want %s…", loc ? loc : "(none)", prefix);
}

long long
web_location_id(const struct th_resp *r, const char *prefix)
{
	web_location_starts(r, prefix);
	return strtoll(th_header(r, "Location") + strlen(prefix), NULL, 10);
}

/* Posts email and pw (as typed: spaces become '+') to a login form; returns the answer. */
static struct th_resp
sign_in(const struct th_stack *s, struct jar *j, const char *login, const char *email,
    const char *pw)
{
	char body[512];
	char *p;

	snprintf(body, sizeof(body), "email=%s&password=%s", email, pw);
	for (p = body; *p; p++)
		if (*p == ' ')
			*p = '+';
	return web_post(s, j, login, login, body);
}

void
web_staff_sign_in(const struct th_stack *s, struct jar *j, const char *email, const char *pw)
{
	struct th_resp r = sign_in(s, j, "/agent/login", email, pw);

	ck_assert_msg(r.status == 303, "sign-in of %s answered %ld", email, r.status);
	ck_assert_ptr_nonnull(jar_get(j, "csdesk_staff"));
	th_resp_free(&r);
}

void
web_customer_sign_in(const struct th_stack *s, struct jar *j, const char *email, const char *pw)
{
	struct th_resp r = sign_in(s, j, "/login", email, pw);

	ck_assert_msg(r.status == 303, "portal sign-in of %s answered %ld", email, r.status);
	th_resp_free(&r);
}
