/*
 * ticket_live.c — what the workspace's scripts ask in the background:
 * GET /agent/live (has the queue changed?), GET /agent/tickets/{number}/live
 * (has this ticket?) and the reply draft, GET and POST
 * /agent/tickets/{number}/draft. The live answers carry an ETag; a poll
 * that sends it back in If-None-Match gets 304 and no body, so a tab that
 * polls every few seconds costs one small statement and no worker waits
 * between polls (no connection is held open, unlike Server-Sent Events).
 * The queue's answer also carries the views' counts (kept at write time),
 * read only when the stamp moved. GET /agent/tickets/{number}/preview: the
 * newest message, for the list's preview on hover or focus.
 * Routes and access (staff) are in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "console/ticket_page.h"
#include "core/arena.h"
#include "core/zone_time.h"
#include "domain/ticket_counts.h"
#include "domain/ticket_drafts.h"
#include "domain/ticket_live.h"
#include "domain/tickets.h"
#include "web/result.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/*
 * Answers o (taken) as JSON with etag, or 304 when the browser already
 * holds that one. Never cached by anything shared: it is one agent's.
 */
static int
answer(struct req *r, struct resp *w, const char *etag, json_t *o)
{
	const char *seen = req_env(r, "HTTP_IF_NONE_MATCH");
	char *text;

	resp_header(w, "Cache-Control", "private, no-cache");
	if (etag != NULL) {
		resp_header(w, "ETag", etag);
		if (seen != NULL && strcmp(seen, etag) == 0) {
			json_decref(o);
			w->status = 304;
			return 0;
		}
	}
	text = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (text == NULL)
		return 500;
	w->status = 200;
	w->content_type = "application/json";
	buf_addstr(&w->body, text);
	free(text);
	return buf_failed(&w->body) ? 500 : 0;
}

/*
 * The views' counts, from the counts kept at write time (ticket_counts.h):
 * open work, the asker's, waiting for the customer, all. NULL: out of
 * memory; *rc the failure.
 */
static json_t *
counts_json(struct app *app, struct req *r, enum cs_result *rc)
{
	struct ticket_counts c;
	long long open = 0, all = 0;
	size_t i;

	if ((*rc = ticket_counts_read(&app->db, r->arena, r->who.id, &c)) != CS_OK)
		return NULL;
	for (i = 0; i < c.nstatuses; i++) {
		all += c.statuses[i].total;
		if (ticket_status_open((enum ticket_status)i))
			open += c.statuses[i].total;
	}
	return json_pack("{s:I,s:I,s:I,s:I}", "open", (json_int_t)open, "mine",
	    (json_int_t)c.mine_open, "pending_customer",
	    (json_int_t)c.statuses[TS_PENDING_CUSTOMER].total, "all", (json_int_t)all);
}

int
console_live_queue(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_live_queue q;
	enum cs_result rc = ticket_live_queue(&app->db, &q);
	const char *etag, *seen = req_env(r, "HTTP_IF_NONE_MATCH");
	json_t *counts;

	if (rc != CS_OK)
		return web_result_status(rc);
	etag = arena_printf(r->arena, "\"q%lld-%lld\"", q.last_ticket, q.last_event);
	/* Unchanged: 304 before the counts are read, so a quiet poll is one statement. */
	if (etag == NULL || (seen != NULL && strcmp(seen, etag) == 0))
		return answer(r, w, etag, NULL);
	if ((counts = counts_json(app, r, &rc)) == NULL)
		return rc != CS_OK ? web_result_status(rc) : 500;
	return answer(r, w, etag, json_pack("{s:I,s:I,s:o}", "ticket",
	    (json_int_t)q.last_ticket, "event", (json_int_t)q.last_event, "counts", counts));
}

int
console_live_ticket(struct app *app, struct req *r, struct resp *w)
{
	const char *number = console_ticket_number(r);
	long long comment;
	int version;
	enum cs_result rc;

	if (number == NULL)
		return 404;
	rc = ticket_live_ticket(&app->db, number, &version, &comment);
	if (rc == CS_NOT_FOUND)
		return 404;
	if (rc != CS_OK)
		return web_result_status(rc);
	return answer(r, w, arena_printf(r->arena, "\"t%d-%lld\"", version, comment),
	    json_pack("{s:i,s:I}", "version", version, "comment", (json_int_t)comment));
}

int
console_ticket_draft(struct app *app, struct req *r, struct resp *w)
{
	struct ticket t;
	struct ticket_draft d;
	enum cs_result rc;
	int st;

	if ((st = console_ticket_load(app, r, &t)) != 0)
		return st;
	if ((rc = ticket_draft_get(&app->db, r->arena, r->who.id, t.id, &d)) != CS_OK)
		return web_result_status(rc);
	return answer(r, w, NULL, json_pack("{s:s,s:b,s:s}", "body", d.body, "internal",
	    d.internal, "updated_at", d.updated_at));
}

static const char *const draft_visibilities[] = { "public", "internal", NULL };

/* The draft as the reply box holds it; an empty body removes it. */
static const struct field_rule draft_rules[] = {
	{ "body", "Message", FIELD_LINES, 0, 0, 0, NULL },
	{ "visibility", "Visibility", FIELD_CHOICE, 0, 0, 0, draft_visibilities },
};
enum { D_BODY, D_VISIBILITY, D__MAX };
_Static_assert(sizeof(draft_rules) / sizeof(draft_rules[0]) == D__MAX, "one rule per field");

int
console_ticket_draft_save(struct app *app, struct req *r, struct resp *w)
{
	struct field_form f;
	struct ticket t;
	const char *val[D__MAX], *why;
	enum cs_result rc;
	int st;

	if ((st = console_ticket_load(app, r, &t)) != 0)
		return st;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, draft_rules, D__MAX, val, NULL);
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return 400;
	rc = ticket_draft_save(&app->db, r->who.id, t.id, val[D_BODY],
	    strcmp(val[D_VISIBILITY], "internal") == 0, &why);
	if (rc == CS_REFUSED)
		return 422;
	if (rc != CS_OK)
		return web_result_status(rc);
	w->status = 204;
	return 0;
}

/* The newest message of a ticket, for the list's preview (queue.js). */
int
console_ticket_preview(struct app *app, struct req *r, struct resp *w)
{
	const char *number = console_ticket_number(r);
	struct ticket_preview p;
	enum cs_result rc;

	if (number == NULL)
		return 404;
	rc = ticket_live_preview(&app->db, r->arena, number, &p);
	if (rc == CS_NOT_FOUND)
		return 404;
	if (rc != CS_OK)
		return web_result_status(rc);
	/* The time in the agent's zone, named, as the list shows its times. */
	return answer(r, w, NULL, json_pack("{s:s,s:s,s:s,s:s,s:s}", "author", p.author, "kind",
	    p.kind, "body", p.body, "at", zone_time_text(r->arena, p.created_at,
	    r->who.time_zone), "zone", r->who.time_zone != NULL ? r->who.time_zone : "UTC"));
}
