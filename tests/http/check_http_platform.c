/*
 * The platform through nginx: pages render in the layout, static files,
 * security headers, error pages for 400/403/404/405/413, limits, and
 * malformed input that must get 400 and never a crash.
 */
#include "../lib/harness.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct th_stack stack;
static char *db;

static void
setup(void)
{
	const char *env[] = { "CSDESK_MAX_BODY=1048576", "CSDESK_SITE_NAME=Acme Support",
		"CSDESK_SUPPORT_EMAIL=help@acme.test", NULL };

	db = th_db_create("platform");
	th_stack_start(&stack, db, 2, env);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

static struct th_resp
get(const char *path)
{
	char url[512];
	struct th_resp r;

	snprintf(url, sizeof(url), "%s%s", stack.url, path);
	ck_assert_msg(th_http("GET", url, NULL, 0, NULL, &r) == 0, "no answer for %s", path);
	return r;
}

static struct th_resp
post(const char *path, const char *ctype, const char *body, size_t len)
{
	char url[512], ct[512];
	const char *h[] = { ct, NULL };
	struct th_resp r;

	snprintf(url, sizeof(url), "%s%s", stack.url, path);
	snprintf(ct, sizeof(ct), "Content-Type: %s", ctype);
	ck_assert_msg(th_http("POST", url, body, len, h, &r) == 0, "no answer for POST %s", path);
	return r;
}

START_TEST(portal_home_renders_in_layout)
{
	struct th_resp r = get("/");

	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(th_header(&r, "Content-Type"), "text/html; charset=utf-8");
	ck_assert_ptr_nonnull(strstr(r.body, "<!DOCTYPE html>"));
	ck_assert_ptr_nonnull(strstr(r.body, "/static/css/csdesk.css?v="));
	ck_assert_ptr_nonnull(strstr(r.body, "Acme Support"));
	ck_assert_ptr_nonnull(strstr(r.body, "mailto:help@acme.test"));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"/login\""));
	th_resp_free(&r);
}
END_TEST

START_TEST(login_pages_carry_csrf_token)
{
	const char *paths[] = { "/login", "/agent/login" };
	size_t i;

	for (i = 0; i < 2; i++) {
		struct th_resp r = get(paths[i]);
		const char *cookie;
		char token[64];

		ck_assert_int_eq(r.status, 200);
		ck_assert_ptr_nonnull(strstr(r.body, "name=\"password\""));
		cookie = th_header(&r, "Set-Cookie");
		ck_assert_ptr_nonnull(cookie);
		ck_assert_ptr_nonnull(strstr(cookie, "HttpOnly"));
		ck_assert_ptr_nonnull(strstr(cookie, "SameSite=Lax"));
		/* The form repeats the cookie's token. */
		ck_assert_int_eq(sscanf(strchr(cookie, '=') + 1, "%43[A-Za-z0-9_-]", token), 1);
		ck_assert_ptr_nonnull(strstr(r.body, token));
		th_resp_free(&r);
	}
}
END_TEST

START_TEST(console_home_requires_sign_in)
{
	struct th_resp r = get("/agent/");

	ck_assert_int_eq(r.status, 303);
	ck_assert_str_eq(th_header(&r, "Location"), "/agent/login?next=/agent/");
	th_resp_free(&r);
}
END_TEST

START_TEST(static_files_and_security_headers)
{
	struct th_resp r = get("/static/css/csdesk.css");
	const char *csp;

	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(th_header(&r, "Content-Type"), "text/css"));
	th_resp_free(&r);
	r = get("/");
	csp = th_header(&r, "Content-Security-Policy");
	ck_assert_ptr_nonnull(csp);
	ck_assert_ptr_nonnull(strstr(csp, "frame-ancestors 'none'"));
	ck_assert_ptr_null(strstr(csp, "unsafe-inline"));
	ck_assert_str_eq(th_header(&r, "X-Content-Type-Options"), "nosniff");
	ck_assert_ptr_nonnull(th_header(&r, "Referrer-Policy"));
	th_resp_free(&r);
}
END_TEST

START_TEST(healthz_answers_ok)
{
	struct th_resp r = get("/healthz");

	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "ok\n");
	th_resp_free(&r);
	r = get("/agent/healthz");
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
}
END_TEST

START_TEST(unknown_path_is_404_page)
{
	struct th_resp r = get("/no/such/page");

	ck_assert_int_eq(r.status, 404);
	ck_assert_ptr_nonnull(strstr(r.body, "Not Found"));
	ck_assert_ptr_nonnull(strstr(r.body, "<!DOCTYPE html>"));
	th_resp_free(&r);
	r = get("/agent/nothing-here");
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
}
END_TEST

START_TEST(wrong_method_is_405_with_allow)
{
	char url[512];
	struct th_resp r;

	snprintf(url, sizeof(url), "%s/healthz", stack.url);
	ck_assert_int_eq(th_http("DELETE", url, NULL, 0, NULL, &r), 0);
	ck_assert_int_eq(r.status, 405);
	ck_assert_str_eq(th_header(&r, "Allow"), "GET, HEAD");
	ck_assert_ptr_nonnull(strstr(r.body, "Method Not Allowed"));
	th_resp_free(&r);
}
END_TEST

START_TEST(head_gets_headers_only)
{
	char url[512];
	struct th_resp r;

	snprintf(url, sizeof(url), "%s/", stack.url);
	ck_assert_int_eq(th_http("HEAD", url, NULL, 0, NULL, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(r.body_len, 0);
	th_resp_free(&r);
}
END_TEST

START_TEST(body_over_limit_is_413_page)
{
	size_t n = (1u << 20) + 10;
	char *big = malloc(n);
	struct th_resp r;

	memset(big, 'a', n);
	memcpy(big, "x=", 2);
	r = post("/login", "application/x-www-form-urlencoded", big, n);
	ck_assert_int_eq(r.status, 413);
	ck_assert_ptr_nonnull(strstr(r.body, "Content Too Large"));
	th_resp_free(&r);
	free(big);
}
END_TEST

START_TEST(too_many_fields_is_413)
{
	char body[8192] = "";
	struct th_resp r;
	int i;

	for (i = 0; i < 300; i++)
		snprintf(body + strlen(body), sizeof(body) - strlen(body), "f%d=1&", i);
	r = post("/login", "application/x-www-form-urlencoded", body, strlen(body));
	ck_assert_int_eq(r.status, 413);
	th_resp_free(&r);
}
END_TEST

START_TEST(malformed_input_is_400)
{
	static const struct {
		const char *ctype, *body;
	} bad[] = {
		{ "application/x-www-form-urlencoded", "a=%zz" },
		{ "application/x-www-form-urlencoded", "a=%4" },
		{ "application/x-www-form-urlencoded", "a=\xff\xfe" },
		{ "multipart/form-data; boundary=XyZ", "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhello" },
		{ "multipart/form-data", "--XyZ\r\n\r\n--XyZ--\r\n" },
		{ "multipart/form-data; boundary=XyZ", "\x01\x02\x03\x00garbage" },
	};
	struct th_resp r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = post("/login", bad[i].ctype, bad[i].body, strlen(bad[i].body) + (i == 5 ? 9 : 0));
		ck_assert_msg(r.status == 400, "case %zu: got %ld", i, r.status);
		ck_assert_ptr_nonnull(strstr(r.body, "Bad Request"));
		th_resp_free(&r);
	}
	r = get("/?q=%G0");
	ck_assert_int_eq(r.status, 400);
	th_resp_free(&r);
	r = get("/tickets/%00");
	ck_assert_int_ge(r.status, 400);
	ck_assert_int_lt(r.status, 500);
	th_resp_free(&r);
}
END_TEST

START_TEST(file_over_limit_is_413)
{
	/* 10 MiB is the per-file limit; the body limit here is 1 MiB, so a
	 * 1 MiB file in a body under the limit tests the body path; the unit
	 * suite tests the file limit itself. */
	const char *head = "--B\r\nContent-Disposition: form-data; name=\"attachment\"; "
	    "filename=\"a.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n";
	size_t n = strlen(head) + (1u << 20) + 20;
	char *body = calloc(1, n);
	struct th_resp r;

	memcpy(body, head, strlen(head));
	memcpy(body + n - 9, "\r\n--B--\r\n", 9);
	r = post("/login", "multipart/form-data; boundary=B", body, n);
	ck_assert_int_eq(r.status, 413);
	th_resp_free(&r);
	free(body);
}
END_TEST

/* Sends raw bytes to nginx and returns the status of the first line. */
static int
raw_status(const char *data, size_t len)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	char reply[256] = "";
	int fd = socket(AF_INET, SOCK_STREAM, 0), status = 0;
	ssize_t n;

	sa.sin_port = htons((unsigned short)stack.port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	shutdown(fd, SHUT_WR);
	n = read(fd, reply, sizeof(reply) - 1);
	close(fd);
	if (n > 0)
		sscanf(reply, "HTTP/1.%*d %d", &status);
	return status;
}

START_TEST(junk_and_huge_headers_are_refused)
{
	static const char junk[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03junk\r\n\r\n";
	char *req = malloc(70000);
	struct th_resp r;

	ck_assert_int_eq(raw_status(junk, sizeof(junk) - 1), 400);
	snprintf(req, 70000, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: ");
	memset(req + strlen(req), 'a', 65000);
	strcpy(req + 65000 + 32, "\r\n\r\n");
	ck_assert_int_eq(raw_status(req, strlen(req)), 400);
	free(req);
	/* And the service is still there. */
	r = get("/healthz");
	ck_assert_int_eq(r.status, 200);
	th_resp_free(&r);
}
END_TEST

START_TEST(missing_partial_stops_start_up)
{
	char dir[] = "/tmp/csdesk-tmpl.XXXXXX";
	char out[4096] = "";
	FILE *f;
	int rc;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	/* The real templates, with one partial taken away. */
	ck_assert_int_eq(th_sh("cp -r '%s/templates' '%s/' && rm '%s/templates/partials/flash.mustache'",
	    th_datadir(), dir, dir), 0);
	rc = th_sh("CSDESK_DB=dbname=x CSDESK_DATADIR='%s' '%s/portal.fcgi' --listen '%s/s.sock'"
	    " > '%s/out.txt' 2>&1", dir, th_build_dir(), dir, dir);
	ck_assert_int_eq(rc, 1);
	snprintf(out, sizeof(out), "%s/out.txt", dir);
	f = fopen(out, "r");
	ck_assert_ptr_nonnull(f);
	out[fread(out, 1, sizeof(out) - 1, f)] = '\0';
	fclose(f);
	ck_assert_msg(strstr(out, "partial 'partials/flash' not found") != NULL, "said: %s", out);
	th_sh("rm -rf '%s'", dir);
}
END_TEST

Suite *http_platform_suite(void);

Suite *
http_platform_suite(void)
{
	Suite *s = suite_create("http_platform");
	TCase *tc = tcase_create("pages");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, portal_home_renders_in_layout);
	tcase_add_test(tc, login_pages_carry_csrf_token);
	tcase_add_test(tc, console_home_requires_sign_in);
	tcase_add_test(tc, static_files_and_security_headers);
	tcase_add_test(tc, healthz_answers_ok);
	tcase_add_test(tc, unknown_path_is_404_page);
	tcase_add_test(tc, wrong_method_is_405_with_allow);
	tcase_add_test(tc, head_gets_headers_only);
	tcase_add_test(tc, body_over_limit_is_413_page);
	tcase_add_test(tc, too_many_fields_is_413);
	tcase_add_test(tc, malformed_input_is_400);
	tcase_add_test(tc, file_over_limit_is_413);
	tcase_add_test(tc, junk_and_huge_headers_are_refused);
	tcase_add_test(tc, missing_partial_stops_start_up);
	suite_add_tcase(s, tc);
	return s;
}
