/*
 * field_day.c — the technician's day, made for a phone: GET /agent/field/day
 * lists today's jobs (or ?day=YYYY-MM-DD) in order with the customer, the
 * address and a map link, what the job is and its coverage; each job's
 * forms check in and out (the browser's position when allowed, else a
 * typed reason), take the customer's signature (a canvas drawn to PNG,
 * static/js/field.js) and complete the job. Every form carries an
 * idempotency token, so a form sent again on a poor connection records
 * nothing twice; a refused form comes back with what was typed.
 */
#include "console/handlers.h"
#include "auth/csrf.h"
#include "core/arena.h"
#include "domain/field.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"
#include "core/buf.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What a refused form typed, shown again at its job. */
struct typed {
	long long job;
	const char *error;
	const char *note, *notes, *labour, *travel;
};

static const char *
today(struct arena *a)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	return arena_printf(a, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* "2026-12-07" and nothing else (the domain takes it as a date). */
static int
is_day(const char *s)
{
	int i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

/* s percent-encoded for a query string. */
static const char *
query_escape(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = s != NULL ? arena_alloc(a, strlen(s) * 3 + 1) : NULL, *o = out;

	if (out == NULL)
		return NULL;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_')
			*o++ = (char)c;
		else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

static struct tval *
job_map(struct arena *a, const struct field_job *j, const struct typed *t)
{
	struct tval *m = tval_map(a);
	const char *token = csrf_new(a);
	int mine = t != NULL && t->job == j->id;

	if (m == NULL || token == NULL ||
	    tval_set_int(a, m, "id", j->id) < 0 ||
	    tval_set_str(a, m, "number", j->ticket_number) < 0 ||
	    tval_set_str(a, m, "customer", j->customer) < 0 ||
	    tval_set_str(a, m, "address", j->address) < 0 ||
	    tval_set_str(a, m, "postcode", j->postcode) < 0 ||
	    tval_set_str(a, m, "summary", j->summary) < 0 ||
	    tval_set_str(a, m, "starts", j->starts_at) < 0 ||
	    tval_set_str(a, m, "ends", j->ends_at) < 0 ||
	    tval_set_str(a, m, "coverage", j->coverage) < 0 ||
	    tval_set_str(a, m, "token", token) < 0 ||
	    tval_set_bool(a, m, "booked", strcmp(j->status, "booked") == 0) < 0 ||
	    tval_set_bool(a, m, "checked_in", strcmp(j->status, "checked_in") == 0) < 0 ||
	    tval_set_bool(a, m, "checked_out", strcmp(j->status, "checked_out") == 0) < 0 ||
	    tval_set_bool(a, m, "completed", strcmp(j->status, "completed") == 0) < 0 ||
	    tval_set_bool(a, m, "signed", j->signed_) < 0 ||
	    tval_set_str(a, m, "map_query", query_escape(a, arena_printf(a, "%s %s", j->address,
	    j->postcode))) < 0)
		return NULL;
	if (mine && (tval_set_str(a, m, "error", t->error) < 0 ||
	    tval_set_str(a, m, "note", t->note) < 0 || tval_set_str(a, m, "notes", t->notes) < 0 ||
	    tval_set_str(a, m, "labour", t->labour) < 0 ||
	    tval_set_str(a, m, "travel", t->travel) < 0))
		return NULL;
	return m;
}

static int
day_page(struct app *app, struct req *r, struct resp *w, const char *day, int status,
    const struct typed *t)
{
	struct tval *ctx = app_page(app, r, "My day"), *list;
	struct field_job *jobs;
	size_t n, i;
	enum cs_result rc;

	if (ctx == NULL || (list = tval_list(r->arena)) == NULL)
		return 500;
	if ((rc = field_day(&app->db, r->arena, r->who.id, day, &jobs, &n)) != CS_OK)
		return web_result_status(rc);
	for (i = 0; i < n; i++) {
		struct tval *m = job_map(r->arena, &jobs[i], t);

		if (m == NULL || tval_push(r->arena, list, m) < 0)
			return 500;
	}
	if (tval_set(r->arena, ctx, "jobs", list) < 0 || tval_set_str(r->arena, ctx, "day", day) < 0)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/field/day", ctx);
}

int
console_field_day(struct app *app, struct req *r, struct resp *w)
{
	const char *day = req_query(r, "day");

	if (day == NULL || *day == '\0')
		day = today(r->arena);
	else if (!is_day(day))
		return 404;
	return day_page(app, r, w, day, 200, NULL);
}

static const struct field_rule point_rules[] = {
	{ "token", "Form", FIELD_TEXT, 1, 1, FIELD_TOKEN_MAX, NULL },
	{ "lat", "Latitude", FIELD_TEXT, 0, 0, 32, NULL },
	{ "lon", "Longitude", FIELD_TEXT, 0, 0, 32, NULL },
	{ "accuracy", "Accuracy", FIELD_TEXT, 0, 0, 32, NULL },
	{ "note", "Why there is no position", FIELD_TEXT, 0, 0, FIELD_TEXT_MAX, NULL },
	{ "day", "Day", FIELD_TEXT, 0, 0, 10, NULL },
};

static int
number(const char *s, double *out)
{
	char *end;

	if (s == NULL || *s == '\0')
		return 0;
	*out = strtod(s, &end);
	return *end == '\0';
}

/* After a step: the flash and back to the day. */
static int
back(struct app *app, struct req *r, struct resp *w, const char *day, const char *what)
{
	web_flash(app, r, w, "%s.", what);
	resp_redirect(w, arena_printf(r->arena, "/agent/field/day?day=%s", day));
	return 0;
}

static int
refused(struct app *app, struct req *r, struct resp *w, const char *day, long long id,
    const char *why, const char **v, int note_at, int notes_at)
{
	struct typed t = { id, why, "", "", "", "" };

	if (note_at >= 0)
		t.note = v[note_at];
	if (notes_at >= 0) {
		t.notes = v[notes_at];
		t.labour = v[notes_at + 1];
		t.travel = v[notes_at + 2];
	}
	return day_page(app, r, w, day, 422, &t);
}

static int
checkpoint(struct app *app, struct req *r, struct resp *w, int out)
{
	struct field_actor by = { r->who.id, 0 };
	struct field_checkpoint p;
	struct field_form f;
	const char *v[6], *why = NULL, *day;
	long long id = atoll(req_param(r, "id"));
	enum cs_result rc;

	if (id <= 0 || fields_init(&f, r->arena) < 0)
		return id <= 0 ? 404 : 500;
	fields_check(&f, r, point_rules, sizeof(point_rules) / sizeof(point_rules[0]), v, NULL);
	day = is_day(v[5]) ? v[5] : today(r->arena);
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return refused(app, r, w, day, id, fields_first_error(&f), v, 4, -1);
	memset(&p, 0, sizeof(p));
	p.token = v[0];
	p.note = v[4];
	p.has_position = number(v[1], &p.lat) && number(v[2], &p.lon);
	if (p.has_position && !number(v[3], &p.accuracy_m))
		p.accuracy_m = 0;
	rc = out ? field_check_out(&app->db, r->arena, &by, id, &p, &why) :
	    field_check_in(&app->db, r->arena, &by, id, &p, &why);
	if (rc == CS_REFUSED)
		return refused(app, r, w, day, id, why, v, 4, -1);
	if (rc != CS_OK)
		return web_result_status(rc);
	return back(app, r, w, day, out ? "Checked out" : "Checked in");
}

int
console_field_check_in(struct app *app, struct req *r, struct resp *w)
{
	return checkpoint(app, r, w, 0);
}

int
console_field_check_out(struct app *app, struct req *r, struct resp *w)
{
	return checkpoint(app, r, w, 1);
}

static const struct field_rule complete_rules[] = {
	{ "day", "Day", FIELD_TEXT, 0, 0, 10, NULL },
	{ "notes", "Work notes", FIELD_LINES, 0, 0, 5000, NULL },
	{ "labour_min", "Labour (minutes)", FIELD_TEXT, 0, 0, 4, NULL },
	{ "travel_min", "Travel (minutes)", FIELD_TEXT, 0, 0, 4, NULL },
};

static int
minutes(const char *s)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return 0;
	v = strtol(s, &end, 10);
	return *end == '\0' && v >= 0 && v <= 1440 ? (int)v : -1;
}

int
console_field_complete(struct app *app, struct req *r, struct resp *w)
{
	struct field_actor by = { r->who.id, 0 };
	struct field_form f;
	const char *v[4], *why = NULL, *day;
	long long id = atoll(req_param(r, "id"));
	enum cs_result rc;

	if (id <= 0 || fields_init(&f, r->arena) < 0)
		return id <= 0 ? 404 : 500;
	fields_check(&f, r, complete_rules, sizeof(complete_rules) / sizeof(complete_rules[0]), v,
	    NULL);
	day = is_day(v[0]) ? v[0] : today(r->arena);
	if (f.failed)
		return 500;
	if (f.nerrors == 0 && (minutes(v[2]) < 0 || minutes(v[3]) < 0))
		fields_error(&f, "labour_min", "Labour and travel: minutes from 0 to 1440.");
	if (f.nerrors > 0)
		return refused(app, r, w, day, id, fields_first_error(&f), v, -1, 1);
	rc = field_complete(&app->db, r->arena, &by, id, v[1], minutes(v[2]), minutes(v[3]), &why);
	if (rc == CS_REFUSED)
		return refused(app, r, w, day, id, why, v, -1, 1);
	if (rc != CS_OK)
		return web_result_status(rc);
	return back(app, r, w, day, "Job completed");
}

/* The canvas's data URL ("data:image/png;base64,…") as bytes; NULL when it is not one. */
static unsigned char *
png_of(struct arena *a, const char *url, size_t *size)
{
	static const char prefix[] = "data:image/png;base64,";
	const char *s;
	unsigned char *out;
	unsigned long acc = 0;
	int bits = 0;
	size_t n = 0;

	if (url == NULL || strncmp(url, prefix, sizeof(prefix) - 1) != 0)
		return NULL;
	s = url + sizeof(prefix) - 1;
	if ((out = arena_alloc(a, strlen(s) * 3 / 4 + 3)) == NULL)
		return NULL;
	for (; *s != '\0' && *s != '='; s++) {
		const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
		const char *c = strchr(alphabet, *s);

		if (c == NULL)
			return NULL;
		acc = (acc << 6) | (unsigned long)(c - alphabet);
		if ((bits += 6) >= 8) {
			bits -= 8;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	*size = n;
	return out;
}

static const struct field_rule sign_rules[] = {
	{ "day", "Day", FIELD_TEXT, 0, 0, 10, NULL },
	/* A PNG of FIELD_SIGNATURE_MAX bytes as a data URL. */
	{ "signature", "Signature", FIELD_LINES, 1, 1, FIELD_SIGNATURE_MAX / 3 * 4 + 64, NULL },
};

int
console_field_sign(struct app *app, struct req *r, struct resp *w)
{
	struct field_actor by = { r->who.id, 0 };
	struct field_form f;
	const char *v[2], *why = NULL, *sha = NULL, *day;
	long long id = atoll(req_param(r, "id"));
	unsigned char *png;
	size_t size = 0;
	enum cs_result rc;

	if (id <= 0 || fields_init(&f, r->arena) < 0)
		return id <= 0 ? 404 : 500;
	fields_check(&f, r, sign_rules, sizeof(sign_rules) / sizeof(sign_rules[0]), v, NULL);
	day = is_day(v[0]) ? v[0] : today(r->arena);
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return refused(app, r, w, day, id, "Ask the customer to sign in the box first.", v, -1,
		    -1);
	png = png_of(r->arena, v[1], &size);
	rc = field_sign(&app->db, r->arena, &by, id, png, png != NULL ? size : 0, &sha, &why);
	if (rc == CS_REFUSED)
		return refused(app, r, w, day, id, why, v, -1, -1);
	if (rc != CS_OK)
		return web_result_status(rc);
	return back(app, r, w, day, "Signature saved");
}

/* GET /agent/field/calendar/{token}: the technician's iCalendar feed (the secret is the URL). */
int
console_field_calendar(struct app *app, struct req *r, struct resp *w)
{
	enum cs_result rc;

	rc = field_ics_feed(&app->db, r->arena, req_param(r, "token"), &w->body);
	if (rc != CS_OK)
		return web_result_status(rc);
	w->status = 200;
	w->content_type = "text/calendar; charset=utf-8";
	resp_header(w, "Cache-Control", "private, max-age=300");
	return 0;
}
