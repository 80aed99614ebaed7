/* app.c — start-up and the request pipeline; see app.h. */
#include "web/app.h"
#include "web/i18n.h"
#include "auth/csrf.h"
#include "auth/password.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/prefork.h"
#include "domain/ticket_notify.h"
#include "tmpl/tmpl.h"

#include <errno.h>
#include <fcgiapp.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/*
 * Per-request arena chunk: big enough that a busy page needs one. The
 * first chunk is kept across requests, a further one is malloc'd and
 * freed by every request that needs it: with 64 KB, the queue's 50 rows
 * (their values, the context, 70 KB of page) took three more chunks a
 * request, and a fifth of the worker's CPU went to the kernel mapping
 * fresh pages for them and giving them back.
 */
#define ARENA_CHUNK (512 * 1024)
/* Seconds a 503 asks the client to wait: about one lock timeout. */
#define RETRY_AFTER "5"
/* Most cookies kept from one Cookie header. */
#define MAX_COOKIES 32

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
status_of_form_err(enum form_err e)
{
	switch (e) {
	case FORM_OK: return 0;
	case FORM_TOO_BIG: return 413;
	case FORM_NOMEM: return 500;
	default: return 400;
	}
}

/* Reads exactly len body bytes. Returns 0, or 400 when the body is short. */
static int
read_body(FCGX_Request *fr, struct req *r, size_t len)
{
	char *p = arena_alloc(r->arena, len + 1);
	size_t got = 0;

	if (p == NULL)
		return 500;
	while (got < len) {
		int want = len - got > (1u << 30) ? 1 << 30 : (int)(len - got);
		int n = FCGX_GetStr(p + got, want, fr->in);

		if (n <= 0)
			return 400;
		got += (size_t)n;
	}
	p[len] = '\0';
	r->raw_body = p;
	r->raw_body_len = len;
	return 0;
}

/*
 * Reads and drops a body we refuse, so that the web server, still writing
 * it, sees our answer instead of a reset connection. Bounded: past
 * DRAIN_MAX the connection is simply closed.
 */
#define DRAIN_MAX (256u << 20)
static void
drain_body(FCGX_Request *fr)
{
	char scratch[16384];
	size_t total = 0;
	int n;

	while (total < DRAIN_MAX && (n = FCGX_GetStr(scratch, sizeof(scratch), fr->in)) > 0)
		total += (size_t)n;
}

static int
starts_with_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* Reads and parses the body by its content type. Returns 0 or a status. */
static int
parse_body(struct app *app, FCGX_Request *fr, struct req *r)
{
	const char *cl = req_env(r, "CONTENT_LENGTH");
	long long len = 0;
	int st;

	if (cl != NULL && *cl != '\0' &&
	    config_parse_long(cl, 0, (long long)app->cfg.max_body + 1, &len) < 0) {
		/* Larger than we accept, or not a number at all. */
		if (cl[0] < '0' || cl[0] > '9' || strlen(cl) >= 20)
			return 400;
		drain_body(fr);
		return 413;
	}
	if ((size_t)len > app->cfg.max_body) {
		drain_body(fr);
		return 413;
	}
	if (len == 0)
		return 0;
	if ((st = read_body(fr, r, (size_t)len)) != 0)
		return st;
	if (starts_with_ci(r->content_type, "application/x-www-form-urlencoded"))
		return status_of_form_err(form_parse_urlencoded(r->arena, r->raw_body,
		    r->raw_body_len, &app->cfg.limits, &r->body));
	if (starts_with_ci(r->content_type, "multipart/form-data"))
		return status_of_form_err(form_parse_multipart(r->arena, r->content_type,
		    r->raw_body, r->raw_body_len, &app->cfg.limits, &r->body));
	/* Other types (JSON for the API) are left raw for the handler. */
	return 0;
}

/* Fills r from the FastCGI parameters. Returns 0 or an error status. */
static int
parse_request(struct app *app, FCGX_Request *fr, struct req *r)
{
	const char *uri, *q, *cookie, *https;
	enum form_err e;

	memset(r, 0, sizeof(*r));
	r->arena = app->arena;
	r->fcgi_env = fr->envp;
	form_init(&r->query_form);
	form_init(&r->body);
	r->method_name = req_env(r, "REQUEST_METHOD");
	if (r->method_name == NULL)
		r->method_name = "GET";
	r->method = http_method_parse(r->method_name);
	r->request_id = req_env(r, "REQUEST_ID");
	if (r->request_id == NULL)
		r->request_id = "-";
	r->remote_addr = req_env(r, "REMOTE_ADDR");
	r->content_type = req_env(r, "CONTENT_TYPE");
	if (r->content_type == NULL)
		r->content_type = "";
	https = req_env(r, "HTTPS");
	r->https = https != NULL && (strcmp(https, "on") == 0 || strcmp(https, "1") == 0);
	uri = req_env(r, "REQUEST_URI");
	if (uri == NULL || uri[0] != '/') {
		r->path = "/";
		r->query = "";
		return 400;
	}
	q = strchr(uri, '?');
	r->path = q ? arena_strndup(r->arena, uri, (size_t)(q - uri)) : uri;
	r->query = q ? q + 1 : "";
	if (r->path == NULL)
		return 500;
	e = form_parse_urlencoded(r->arena, r->query, strlen(r->query), &app->cfg.limits,
	    &r->query_form);
	if (e != FORM_OK)
		return status_of_form_err(e);
	cookie = req_env(r, "HTTP_COOKIE");
	if (cookie != NULL &&
	    cookie_parse(r->arena, cookie, MAX_COOKIES, &r->cookies, &r->ncookies) != FORM_OK)
		return 500;
	return 0;
}

/*
 * Same-origin check for state-changing requests: when the browser says
 * where the request comes from, it must be this host.
 */
static int
origin_ok(const struct req *r)
{
	const char *origin = req_env(r, "HTTP_ORIGIN"), *host = req_env(r, "HTTP_HOST");
	const char *rest;

	if (origin == NULL || strcmp(origin, "null") == 0)
		return origin == NULL;
	if (host == NULL)
		return 0;
	if (strncmp(origin, "https://", 8) == 0)
		rest = origin + 8;
	else if (strncmp(origin, "http://", 7) == 0)
		rest = origin + 7;
	else
		return 0;
	return strcmp(rest, host) == 0;
}

/* Makes sure r carries a CSRF token, issuing a cookie for a new visitor. */
static int
ensure_csrf(struct app *app, struct req *r)
{
	const char *c = req_cookie(r, app->def->csrf_cookie);

	if (csrf_well_formed(c)) {
		r->csrf_token = c;
		return 0;
	}
	r->csrf_token = csrf_new(r->arena);
	r->set_csrf_cookie = 1;
	return r->csrf_token ? 0 : -1;
}

static int
is_safe_method(enum http_method m)
{
	return m == HTTP_GET || m == HTTP_HEAD;
}

/* The session cookie's name: "__Host-" prefixed over TLS. */
static const char *
session_cookie_name(struct app *app, struct req *r)
{
	return r->https ? arena_printf(r->arena, "__Host-%s", app->def->session_cookie) :
	    app->def->session_cookie;
}

static int
is_api(const struct app *app, const struct req *r)
{
	const char *pre = app->def->api_prefix;

	return pre != NULL && r->path != NULL && strncmp(r->path, pre, strlen(pre)) == 0;
}

/* An API request: the key in "Authorization: Bearer", never a cookie. */
static int
identify_api(struct app *app, struct req *r)
{
	const char *h = req_env(r, "HTTP_AUTHORIZATION");
	int found;

	if (h == NULL || !starts_with_ci(h, "Bearer ") || app->def->lookup_api_key == NULL)
		return 401;
	for (h += 7; *h == ' '; h++)
		;
	if (db_ensure(&app->db) < 0)
		return 503;
	found = app->def->lookup_api_key(&app->db, r->arena, h, r->remote_addr, &r->who);
	if (found < 0)
		return db_lost(&app->db) ? 503 : 500;
	if (found == 0) {
		memset(&r->who, 0, sizeof(r->who));
		return 401;
	}
	return 0;
}

/* Finds who is asking. Returns 0, or an error status. */
static int
identify(struct app *app, struct req *r)
{
	const char *name = session_cookie_name(app, r), *token, *csrf = NULL;
	int found;

	if (is_api(app, r))
		return identify_api(app, r);

	token = name ? req_cookie(r, name) : NULL;
	if (token == NULL || app->def->lookup_session == NULL)
		return ensure_csrf(app, r) < 0 ? 500 : 0;
	if (db_ensure(&app->db) < 0)
		return 503;
	found = app->def->lookup_session(&app->db, r->arena, token, &r->who, &csrf);
	if (found < 0)
		return db_lost(&app->db) ? 503 : 500;
	if (found == 0) {
		/* Expired, ended or forged: forget it and carry on as a visitor. */
		memset(&r->who, 0, sizeof(r->who));
		r->clear_session_cookie = 1;
		return ensure_csrf(app, r) < 0 ? 500 : 0;
	}
	r->session_token = token;
	r->csrf_token = csrf;
	return 0;
}

/* Names the customer for row-level security for this transaction. */
static struct db_stmt st_scope = DB_STMT("app_scope",
    "SELECT set_config('csdesk.customer_id', $1, true)", 1);

int
app_customer_scope(struct app *app, long long customer_id)
{
	char id[24];
	const char *p[] = { id };

	snprintf(id, sizeof(id), "%lld", customer_id);
	return db_run(&app->db, &st_scope, p);
}

/* The request's transaction, naming the customer in the round trip of
 * its first statement (db_begin_with). */
static int
begin_customer_scope(struct app *app, struct req *r)
{
	char id[24];

	snprintf(id, sizeof(id), "%lld", r->who.customer_id);
	return db_begin_with(&app->db, &st_scope, id);
}

/* The pipeline. Returns 0 when w is the response, else an error status. */
static int
dispatch(struct app *app, FCGX_Request *fr, struct req *r, struct resp *w)
{
	const struct route *rt;
	struct buf allow;
	int st, scoped = 0;

	if ((st = parse_request(app, fr, r)) != 0)
		return st;
	/* A page someone waits for gets less time than a change; either ends
	 * with a 503 long before nginx would give up (fastcgi_read_timeout). */
	db_set_limits(&app->db, is_safe_method(r->method) ? app->cfg.read_timeout_ms :
	    app->cfg.write_timeout_ms, app->cfg.lock_timeout_ms);
	/* The body first: a body we refuse is refused whatever the route. */
	if (!is_safe_method(r->method) && (st = parse_body(app, fr, r)) != 0)
		return st;
	if ((st = identify(app, r)) != 0)
		return st;
	buf_init(&allow, r->arena);
	switch (router_match(app->def->routes, app->def->nroutes, r, &rt, &allow)) {
	case ROUTE_FOUND:
		break;
	case ROUTE_NOT_FOUND:
		return 404;
	case ROUTE_BAD_PATH:
		return 400;
	case ROUTE_BAD_METHOD:
		resp_header(w, "Allow", allow.buf);
		return 405;
	}
	/* Access: default deny. */
	if (!(rt->access & (ACCESS_PUBLIC | r->who.access))) {
		if (is_api(app, r)) {
			app_json_error(r, w, 403, "This API key's scope does not allow this request.");
			return 0;
		}
		if (r->who.kind != WHO_NOBODY || !is_safe_method(r->method))
			return 403;
		resp_redirect(w, arena_printf(r->arena, "%s?next=%s", app->def->login_path,
		    r->path));
		return 0;
	}
	if (!is_safe_method(r->method) && !rt->no_csrf &&
	    (!origin_ok(r) || !csrf_equal(r->csrf_token, req_field(r, "csrf_token"))))
		return 403;
	if (db_ensure(&app->db) < 0 && rt->handler != app_healthz)
		return 503;
	if (app->def->customer_scoped && r->who.kind == WHO_CUSTOMER) {
		if (begin_customer_scope(app, r) < 0)
			return db_lost(&app->db) ? 503 : 500;
		scoped = 1;
	}
	st = rt->handler(app, r, w);
	if (scoped) {
		if (st == 0 && w->status < 400) {
			if (db_commit(&app->db) < 0)
				st = db_lost(&app->db) ? 503 : 500;
		} else {
			db_rollback(&app->db);
		}
	}
	/* A handler that lost the database mid-way cannot have answered well. */
	if (st == 0 && db_lost(&app->db) && rt->handler != app_healthz)
		return 503;
	return st;
}

void
app_json_error(struct req *r, struct resp *w, int status, const char *message)
{
	json_t *o;
	char *text;

	if (status < 400 || status > 599)
		status = 500;
	w->status = status;
	w->content_type = "application/json";
	buf_reset(&w->body);
	if (status == 401)
		resp_header(w, "WWW-Authenticate", "Bearer realm=\"csdesk\"");
	o = json_pack("{s:{s:i,s:s}}", "error", "status", status, "message",
	    message ? message : http_reason(status));
	text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	if (text != NULL)
		buf_addstr(&w->body, text);
	else
		buf_printf(&w->body, "{\"error\":{\"status\":%d,\"message\":\"%s\"}}",
		    status, http_reason(status));
	free(text);
	json_decref(o);
	(void)r;
}

void
app_session_cookie(struct app *app, struct req *r, struct resp *w, const char *token,
    long max_age)
{
	struct cookie_opts o = { .http_only = 1, .secure = r->https, .same_site = "Lax" };

	o.max_age = token ? max_age : -1;
	resp_cookie(w, session_cookie_name(app, r), token ? token : "gone", &o);
}

static void
send_response(FCGX_Request *fr, struct app *app, struct req *r, struct resp *w)
{
	struct buf head;

	struct cookie_opts o = { .http_only = 1, .secure = r->https, .same_site = "Lax" };

	if (r->set_csrf_cookie && r->csrf_token != NULL && r->who.kind == WHO_NOBODY)
		resp_cookie(w, app->def->csrf_cookie, r->csrf_token, &o);
	if (r->clear_session_cookie)
		app_session_cookie(app, r, w, NULL, 0);
	if (r->flash_shown) {
		o.max_age = -1;
		resp_cookie(w, FLASH_COOKIE, "-", &o);
	}
	/* Busy or away, the database is worth another try in a moment. */
	if (w->status == 503 && strstr(w->headers.buf, "Retry-After:") == NULL)
		resp_header(w, "Retry-After", RETRY_AFTER);
	/* Pages for a signed-in person must not linger in shared caches. */
	if (r->who.kind != WHO_NOBODY && strstr(w->headers.buf, "Cache-Control:") == NULL)
		resp_header(w, "Cache-Control", "no-store");
	buf_init(&head, r->arena);
	buf_printf(&head, "Status: %d %s\r\n", w->status, http_reason(w->status));
	if (w->body.len || w->status != 303)
		buf_printf(&head, "Content-Type: %s\r\n", w->content_type);
	buf_add(&head, w->headers.buf, w->headers.len);
	buf_add(&head, "\r\n", 2);
	FCGX_PutStr(head.buf, (int)head.len, fr->out);
	if (r->method != HTTP_HEAD && w->body.len)
		FCGX_PutStr(w->body.buf, (int)w->body.len, fr->out);
}

static void
handle(struct app *app, FCGX_Request *fr)
{
	double t0 = now_ms();
	unsigned long trips0 = app->db.round_trips, stmts0 = app->db.statements;
	struct req r;
	struct resp w;
	int st;

	resp_init(&w, app->arena);
	st = dispatch(app, fr, &r, &w);
	if (st == 0 && (buf_failed(&w.body) || buf_failed(&w.headers)))
		st = 500;
	/* A handler that took a timeout for any failure: it was the wait. */
	if (st == 500 && app->db.timed_out)
		st = 503;
	if (st != 0) {
		struct resp e;

		/* Keep an Allow header; drop whatever else the handler began. */
		resp_init(&e, app->arena);
		if (st == 405)
			e.headers = w.headers;
		if (is_api(app, &r))
			app_json_error(&r, &e, st, NULL);
		else
			app_error(app, &r, &e, st, NULL);
		w = e;
	}
	send_response(fr, app, &r, &w);
	/* db=round trips/statements: what the page cost the database (make
	 * bench averages them per page). */
	log_info("%s %s %d %.1fms db=%lu/%lu id=%s who=%s%lld", r.method_name, r.path, w.status,
	    now_ms() - t0, app->db.round_trips - trips0, app->db.statements - stmts0,
	    r.request_id,
	    r.who.kind == WHO_STAFF ? "staff:" : r.who.kind == WHO_CUSTOMER ? "user:" : "-",
	    r.who.kind == WHO_NOBODY ? 0LL : r.who.id);
}

static int
worker_main(int listen_fd, void *arg)
{
	struct app *app = arg;
	FCGX_Request fr;
	int rc;

	if (FCGX_Init() != 0 || FCGX_InitRequest(&fr, listen_fd, 0) != 0)
		return log_fail("%s: cannot initialise libfcgi", app->def->program), 1;
	app->arena = arena_new(ARENA_CHUNK);
	if (app->arena == NULL)
		return log_fail("%s: out of memory", app->def->program), 1;
	/* A worker starts even when the database is down; it reconnects later. */
	db_open(&app->db, app->cfg.db, app->def->program);
	while (prefork_wait(listen_fd)) {
		rc = FCGX_Accept_r(&fr);
		if (rc < 0) {
			if (rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR ||
			    rc == -ECONNABORTED)
				continue;
			log_error("%s: accept failed (%d)", app->def->program, rc);
			break;
		}
		handle(app, &fr);
		FCGX_Finish_r(&fr);
		arena_reset(app->arena);
		if (app->def->after_request != NULL)
			app->def->after_request(app, 0);
	}
	if (app->def->after_request != NULL)
		app->def->after_request(app, 1);
	db_close(&app->db);
	arena_free(app->arena);
	return 0;
}

/* A version for static URLs, so browsers refetch the CSS when it changes. */
static void
asset_version(struct app *app)
{
	char path[4096];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/static/css/csdesk.css", app->cfg.datadir);
	snprintf(app->asset_version, sizeof(app->asset_version), "%lx",
	    stat(path, &sb) == 0 ? (unsigned long)sb.st_mtime : 0ul);
}

int
app_main(const struct app_def *def, int argc, char **argv)
{
	static struct app app;
	char err[512], dir[4096];
	int fd, rc;

	log_init(def->program);
	app.def = def;
	/* The route table, for tests that check every route's access. */
	if (argc == 2 && strcmp(argv[1], "--routes") == 0) {
		size_t i;

		for (i = 0; i < def->nroutes; i++)
			printf("%s %s\n", http_method_name(def->routes[i].method),
			    def->routes[i].pattern);
		return 0;
	}
	if (config_load(&app.cfg, def->program, argc, argv) < 0)
		return 2;
	if (sodium_init() < 0 || password_init() < 0)
		return log_fail("libsodium cannot start"), 1;
	if (router_check(def->routes, def->nroutes) < 0)
		return 1;
	app.tmpl = tmpl_set_new();
	snprintf(dir, sizeof(dir), "%s/templates", app.cfg.datadir);
	if (app.tmpl == NULL || tmpl_set_add_dir_except(app.tmpl, dir, def->other_area, err,
	    sizeof(err)) < 0 ||
	    tmpl_set_compile(app.tmpl, 1, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s.fcgi: templates in %s: %s\n", def->program, dir,
		    app.tmpl ? err : "out of memory");
		return 1;
	}
	if (!tmpl_exists(app.tmpl, "errors/error") || !tmpl_exists(app.tmpl, "layout")) {
		fprintf(stderr, "%s.fcgi: templates in %s: errors/error or layout is missing\n",
		    def->program, dir);
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s/templates/locale", app.cfg.datadir);
	if (i18n_load(dir, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s.fcgi: interface strings in %s: %s\n", def->program, dir, err);
		return 1;
	}
	ticket_notify_setup(app.tmpl, app.cfg.site_name, app.cfg.base_url);
	asset_version(&app);
	fd = prefork_listen(app.cfg.listen, app.cfg.socket_mode);
	if (fd < 0)
		return 1;
	rc = prefork_run(fd, app.cfg.listen, app.cfg.workers, worker_main, &app);
	tmpl_set_free(app.tmpl);
	return rc;
}
