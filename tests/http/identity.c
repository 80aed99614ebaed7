/* identity.c — see identity.h. */
#include "identity.h"
#include "../lib/dispatch.h"
#include "domain/customers.h"
#include "domain/staff.h"

#include <check.h>
#include <libpq-fe.h>
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
			memmove(&j->name[i], &j->name[i + 1], sizeof(j->name[0]) * (size_t)(j->n - i - 1));
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

static void
cookie_header(const struct jar *j, char *out, size_t size)
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
	cookie_header(j, cookie, sizeof(cookie));
	ck_assert_msg(th_http("GET", url, NULL, 0, j->n ? h : NULL, &r) == 0, "GET %s", path);
	jar_take(j, &r);
	return r;
}

const char *
csrf_in(const char *html)
{
	static char token[128];
	const char *p = strstr(html, "name=\"csrf_token\" value=\"");

	token[0] = '\0';
	if (p != NULL)
		sscanf(p + 25, "%127[^\"]", token);
	return token;
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
	cookie_header(j, cookie, sizeof(cookie));
	ck_assert_msg(th_http("POST", url, full, strlen(full), h, &r) == 0, "POST %s", path);
	jar_take(j, &r);
	free(full);
	return r;
}

char *
sql_owner(const char *conninfo, const char *sql, const char *param)
{
	PGconn *c = PQconnectdb(conninfo);
	const char *p[] = { param };
	PGresult *r;
	char *v;

	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
	r = PQexecParams(c, sql, param ? 1 : 0, NULL, param ? p : NULL, NULL, NULL, 0);
	ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK,
	    "%s: %s", sql, PQerrorMessage(c));
	v = strdup(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 ?
	    PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	PQfinish(c);
	return v;
}

char *
mail_text(const char *conninfo, const char *recipient, const char *kind)
{
	const char *p[] = { recipient, kind };
	PGresult *r;
	PGconn *c;
	char *v = NULL;

	/* The mail that follows from events is made by the batch's dispatcher. */
	th_dispatch(conninfo);
	c = PQconnectdb(conninfo);
	r = PQexecParams(c, "SELECT body_text FROM notifications WHERE recipient = $1 AND kind = $2"
	    " ORDER BY id DESC LIMIT 1", 2, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		v = strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	PQfinish(c);
	return v;
}

char *
link_path(const char *text, const char *marker)
{
	const char *p = text ? strstr(text, marker) : NULL;
	size_t n;

	if (p == NULL)
		return NULL;
	n = strcspn(p, " \r\n\t<>\"");
	return strndup(p, n);
}

void
web_staff_sign_in(const struct th_stack *s, struct jar *j, const char *email, const char *pw)
{
	char body[512];
	struct th_resp r;
	char *p;

	snprintf(body, sizeof(body), "email=%s&password=%s", email, pw);
	for (p = body; *p; p++)
		if (*p == ' ')
			*p = '+';
	r = web_post(s, j, "/agent/login", "/agent/login", body);
	ck_assert_msg(r.status == 303, "sign-in of %s answered %ld", email, r.status);
	ck_assert_ptr_nonnull(jar_get(j, "csdesk_staff"));
	th_resp_free(&r);
}

long long
staff_fixture(struct db *d, const char *email, const char *name, const char *hash,
    const char *roles)
{
	struct staff_new in = { .name = name, .email = email, .roles = roles,
		.password_hash = hash };
	const char *why;
	long long id;

	ck_assert_str_eq(cs_result_str(staff_create(d, NULL, &in, &id, &why)), "ok");
	return id;
}

long long
customer_fixture(struct db *d, const char *name, const char *kind, const char *tier,
    const char *language, const char *email, const char *user_name, const char *hash,
    int verified, long long *user_id)
{
	struct customer_new in = { .account = { .name = name, .kind = kind, .tier = tier,
		.language = language }, .login_email = email, .login_name = user_name,
		.password_hash = hash, .verified = verified };
	const char *why;
	long long id;

	ck_assert_str_eq(cs_result_str(customer_create(d, NULL, &in, &id, user_id, &why)), "ok");
	return id;
}
