/*
 * ticket_page.c — one ticket in the console, read: GET /agent/tickets/{number}
 * (the ticket, the conversation with internal notes set apart, full
 * history, the canned responses, the SLA and knowledge-base panels; the
 * side panels and the forms' choices are in ticket_panels.c) and GET
 * /agent/tickets/{number}/attachments/{id}. Its forms re-show it through
 * console_ticket_page() (ticket_page.h): the reply in ticket_reply.c,
 * status and assignment in ticket_workflow.c, fields, links, merge and
 * presence in ticket_collab.c. Routes and access (staff) are in
 * cgi-bin/console.c.
 */
#include "web/send_file.h"
#include "web/fields.h"
#include "console/handlers.h"
#include "console/ticket_page.h"
#include "console/tickets.h"
#include "console/ticket_history.h"
#include "console/ticket_sla.h"
#include "core/arena.h"
#include "core/zone_time.h"
#include "db/db.h"
#include "domain/canned.h"
#include "domain/ticket_filter.h"
#include "domain/ticket_sheet.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"
#include "web/markdown.h"

#include <ctype.h>
#include <string.h>

void
console_ticket_actor(const struct req *r, struct ticket_actor_ref *by)
{
	memset(by, 0, sizeof(*by));
	by->kind = TA_STAFF;
	by->id = r->who.id;
}

/* s upper-cased when it is "TKT-" and digits; else NULL. */
static const char *
number_of(struct arena *a, const char *v)
{
	char *up;
	size_t i;

	if (v == NULL || strlen(v) < 5 || strlen(v) > 16)
		return NULL;
	if ((up = arena_strdup(a, v)) == NULL)
		return NULL;
	for (i = 0; up[i]; i++)
		up[i] = (char)toupper((unsigned char)up[i]);
	if (strncmp(up, "TKT-", 4) != 0)
		return NULL;
	for (i = 4; up[i]; i++)
		if (!isdigit((unsigned char)up[i]))
			return NULL;
	return up;
}

const char *
console_ticket_number(const struct req *r)
{
	return number_of(r->arena, req_param(r, "number"));
}

const char *
console_ticket_number_text(struct arena *a, const char *typed)
{
	return number_of(a, typed);
}

int
console_ticket_load(struct app *app, struct req *r, struct ticket *t)
{
	struct ticket_actor_ref by;
	const char *number = console_ticket_number(r);
	enum cs_result rc;

	if (number == NULL)
		return 404;
	console_ticket_actor(r, &by);
	rc = ticket_get(&app->db, r->arena, &by, number, t);
	if (rc == CS_NOT_FOUND)
		return 404;
	return rc != CS_OK ? web_db_error(app) : 0;
}

const char *
console_ticket_url(struct arena *a, const char *number)
{
	return arena_printf(a, "/agent/tickets/%s", number);
}

static struct tval *
files_list(struct arena *a, const struct ticket *t, const struct ticket_attachment_ref *f,
    size_t n)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_int(a, m, "id", f[i].id);
		rc |= tval_set_str(a, m, "filename", f[i].filename);
		rc |= tval_set_str(a, m, "url", arena_printf(a, "/agent/tickets/%s/attachments/%lld",
		    t->number, f[i].id));
		rc |= tval_set_int(a, m, "size", f[i].size);
		rc |= tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

/* The tags "a,b" as a list for badges. */
static struct tval *
tags_list(struct arena *a, const char *tags)
{
	struct tval *list = tval_list(a);
	int rc = list == NULL;

	while (!rc && *tags != '\0') {
		size_t len = strcspn(tags, ",");

		if (len > 0)
			rc |= tval_push(a, list, tval_strn(a, tags, len));
		tags += len + (tags[len] == ',');
	}
	return rc ? NULL : list;
}

static int
ticket_ctx(struct arena *a, struct tval *ctx, const struct ticket *t)
{
	struct tval *m = tval_map(a);
	int rc = 0;

	rc |= tval_set_int(a, m, "id", t->id);
	rc |= tval_set_str(a, m, "number", t->number);
	rc |= tval_set_str(a, m, "subject", t->subject);
	/* Rendered by cmark in safe mode: HTML we made, for {{{ }}}. */
	rc |= tval_set_str(a, m, "description_html", md_html(a, t->description));
	rc |= tval_set_str(a, m, "status", ticket_status_name(t->status));
	rc |= tval_set_str(a, m, "status_label", ticket_status_label(t->status, 0));
	rc |= tval_set_str(a, m, "priority", t->priority);
	rc |= tval_set_str(a, m, "urgency", t->urgency);
	rc |= tval_set_str(a, m, "channel", t->channel);
	rc |= tval_set_str(a, m, "type", t->type);
	rc |= tval_set_str(a, m, "type_label", t->type_label);
	rc |= tval_set_str(a, m, "site", t->site);
	rc |= tval_set_str(a, m, "category", t->category);
	rc |= tval_set_str(a, m, "product", t->product);
	rc |= tval_set_str(a, m, "serial", t->serial);
	rc |= tval_set_str(a, m, "queue", t->queue);
	rc |= tval_set_str(a, m, "team", t->team);
	rc |= tval_set_str(a, m, "assignee", t->assignee);
	rc |= tval_set_str(a, m, "tags", t->tags);
	rc |= tval_set(a, m, "tags_list", tags_list(a, t->tags));
	rc |= tval_set_str(a, m, "customer_name", t->customer_name);
	rc |= tval_set_str(a, m, "customer_tier", t->customer_tier);
	rc |= tval_set_str(a, m, "requester_name", t->requester_name);
	rc |= tval_set_str(a, m, "requester_email", t->requester_email);
	rc |= tval_set_str(a, m, "created_at", t->created_at);
	rc |= tval_set_str(a, m, "updated_at", t->updated_at);
	rc |= tval_set_str(a, m, "first_response_at", t->first_response_at);
	rc |= tval_set_str(a, m, "resolved_at", t->resolved_at);
	rc |= tval_set_str(a, m, "closed_at", t->closed_at);
	rc |= tval_set_str(a, m, "resolution_code", t->resolution_code);
	rc |= tval_set_str(a, m, "root_cause", t->root_cause);
	rc |= tval_set_int(a, m, "reopen_count", t->reopen_count);
	rc |= tval_set_int(a, m, "version", t->version);
	rc |= tval_set_int(a, m, "minutes_spent", t->minutes_spent);
	if (t->rating > 0)
		rc |= tval_set_int(a, m, "rating", t->rating);
	return rc | tval_set(a, ctx, "t", m);
}

static struct tval *
comment_map(struct arena *a, const struct ticket *t, const struct ticket_comment *c,
    const char *zone)
{
	struct tval *m = tval_map(a);
	int rc = m == NULL;

	/* The id lets ticket.js tell a message that just arrived. */
	rc |= tval_set_int(a, m, "id", c->id);
	rc |= tval_set_str(a, m, "at", zone_time_text(a, c->created_at, zone));
	rc |= tval_set_str(a, m, "zone", zone != NULL ? zone : "UTC");
	rc |= tval_set_str(a, m, "kind", c->kind);
	rc |= tval_set_bool(a, m, "internal", strcmp(c->kind, "internal") == 0);
	rc |= tval_set_bool(a, m, "system", strcmp(c->kind, "system") == 0);
	rc |= tval_set_str(a, m, "author", c->author);
	rc |= tval_set_bool(a, m, "by_staff", c->by_staff);
	rc |= tval_set_str(a, m, "body_html", md_html(a, c->body));
	rc |= tval_set_str(a, m, "created_at", c->created_at);
	rc |= tval_set_str(a, m, "iso", console_iso(a, c->created_at));
	if (c->minutes_spent > 0)
		rc |= tval_set_int(a, m, "minutes", c->minutes_spent);
	rc |= tval_set(a, m, "files", files_list(a, t, c->files, c->nfiles));
	rc |= tval_set_bool(a, m, "has_files", c->nfiles > 0);
	return rc ? NULL : m;
}

static struct tval *
event_map(struct arena *a, const struct ticket_event *e)
{
	struct tval *m = tval_map(a);
	int rc = m == NULL;

	rc |= tval_set_str(a, m, "actor", e->actor);
	rc |= tval_set_str(a, m, "field", e->field);
	rc |= tval_set_str(a, m, "old_value", e->old_value);
	rc |= tval_set_str(a, m, "new_value", e->new_value);
	rc |= tval_set_str(a, m, "created_at", e->created_at);
	return rc ? NULL : m;
}

/*
 * The conversation and history, times in zone (the agent's); when v is a
 * held-back reply, also what came after what its writer had seen. reply gets seen_event and
 * seen_comment: what this page shows, for the next reply.
 */
static int
conversation_ctx(struct arena *a, struct tval *ctx, struct tval *reply,
    const struct ticket_sheet *s, const struct ticket *t, const struct ticket_view *v,
    const char *zone)
{
	const struct ticket_comment *cm = s->comments;
	const struct ticket_event *ev = s->events;
	struct tval *comments = tval_list(a), *events = tval_list(a);
	struct tval *new_comments = tval_list(a), *new_events = tval_list(a);
	long long last_comment = 0, last_event = 0;
	size_t i, nnew = 0;
	int rc = comments == NULL || events == NULL || new_comments == NULL || new_events == NULL;

	for (i = 0; i < s->ncomments; i++) {
		struct tval *m = comment_map(a, t, &cm[i], zone);

		rc |= tval_push(a, comments, m);
		if (v->stale && cm[i].id > v->seen_comment)
			rc |= tval_push(a, new_comments, m);
		if (cm[i].id > last_comment)
			last_comment = cm[i].id;
	}
	rc |= tval_set(a, ctx, "files", files_list(a, t, s->files, s->nfiles));
	rc |= tval_set_bool(a, ctx, "has_files", s->nfiles > 0);
	for (i = 0; i < s->nevents; i++) {
		struct tval *m = event_map(a, &ev[i]);

		rc |= tval_push(a, events, m);
		/* A comment's own event is the comment, shown above. */
		if (v->stale && ev[i].id > v->seen_event && strcmp(ev[i].field, "comment") != 0) {
			rc |= tval_push(a, new_events, m);
			nnew++;
		}
		if (ev[i].id > last_event)
			last_event = ev[i].id;
	}
	rc |= tval_set_int(a, reply, "seen_event", last_event);
	rc |= tval_set_int(a, reply, "seen_comment", last_comment);
	rc |= tval_set_bool(a, ctx, "stale", v->stale);
	rc |= tval_set(a, ctx, "stale_comments", new_comments);
	rc |= tval_set(a, ctx, "stale_events", new_events);
	rc |= tval_set_bool(a, ctx, "has_stale_events", nnew > 0);
	return rc | tval_set(a, ctx, "comments", comments) | tval_set(a, ctx, "events", events);
}

/*
 * The canned responses this agent may use, and, for GET ?canned=ID, that
 * one rendered into *body with the ticket's placeholders and its macro
 * into *macro (left as it was otherwise). Returns 0, -2 (database), 400
 * (canned is no id) or 404 (no such response for this agent).
 */
static int
canned_ctx(struct app *app, struct req *r, struct tval *ctx, const struct ticket *t,
    const struct ticket_sheet *s, const char **body, struct canned *macro)
{
	struct arena *a = r->arena;
	const char *want = r->method == HTTP_GET ? req_query(r, "canned") : NULL;
	long long id = want != NULL ? web_id(want) : 0;
	const struct canned *list = s->canned;
	struct canned one;
	struct tval *items = tval_list(a);
	size_t n = s->ncanned, i;
	int rc = items == NULL;

	if (want != NULL && id <= 0)
		return 400;	/* named by the page (app_bad_query) */
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_int(a, m, "id", list[i].id);
		rc |= tval_set_str(a, m, "title", list[i].title);
		rc |= tval_set_str(a, m, "team", list[i].team);
		rc |= tval_set_bool(a, m, "selected", list[i].id == id);
		rc |= tval_push(a, items, m);
	}
	rc |= tval_set(a, ctx, "canned", items);
	rc |= tval_set_bool(a, ctx, "has_canned", n > 0);
	if (rc || id <= 0)
		return rc;
	if ((rc = (int)canned_get(&app->db, a, id, r->who.id, &one)) != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : -2;
	*macro = one;
	{
		/* The placeholders' context: names the response may use. */
		struct tval *c = tval_map(a), *customer = tval_map(a), *ticket = tval_map(a);
		struct tval *agent = tval_map(a);

		rc = c == NULL || customer == NULL || ticket == NULL || agent == NULL;
		rc |= tval_set_str(a, customer, "name", t->customer_name);
		rc |= tval_set_str(a, ticket, "number", t->number);
		rc |= tval_set_str(a, ticket, "subject", t->subject);
		rc |= tval_set_str(a, agent, "name", r->who.name);
		rc |= tval_set(a, c, "customer", customer) | tval_set(a, c, "ticket", ticket) |
		    tval_set(a, c, "agent", agent);
		if (rc)
			return -1;
		if ((*body = canned_render(a, one.body, c)) == NULL)
			return tval_set_str(a, ctx, "error", "That canned response could not be "
			    "filled in: ask an admin to check its placeholders.");
	}
	return 0;
}

/*
 * The reply form's choices: the statuses it may set after sending (the
 * usual next step chosen: a new, assigned or reopened ticket someone
 * answers is in progress, unless a macro says otherwise), the priorities
 * (a macro's chosen), "Assign to me", the tags a macro adds (kept with
 * the ticket's own) and what the macro does, in words. can_pend: "Send
 * and set pending" is offered.
 */
static int
then_ctx(struct arena *a, struct tval *ctx, const struct ticket *t, const struct canned *m)
{
	enum ticket_status to[TS__MAX];
	struct tval *list = tval_list(a), *prio = tval_list(a), *macro = tval_map(a);
	int n = ticket_transitions(TA_STAFF, t->status, to), i, rc = !list || !prio || !macro;
	int fresh = t->status == TS_NEW || t->status == TS_ASSIGNED || t->status == TS_REOPENED;
	const char *want = *m->set_status != '\0' ? m->set_status : fresh ? "in_progress" : "";
	struct buf words;

	for (i = 0; i < n; i++)
		rc |= console_tickets_option(a, list, ticket_status_name(to[i]),
		    ticket_status_label(to[i], 0), strcmp(ticket_status_name(to[i]), want) == 0);
	for (i = 0; ticket_priorities[i] != NULL; i++)
		rc |= console_tickets_option(a, prio, ticket_priorities[i], ticket_priorities[i],
		    strcmp(ticket_priorities[i], m->set_priority) == 0);
	rc |= tval_set_bool(a, ctx, "can_pend",
	    ticket_transition_allowed(TA_STAFF, t->status, TS_PENDING_CUSTOMER));
	rc |= tval_set_bool(a, ctx, "take_it", *t->assignee == '\0' || m->take);
	buf_init(&words, a);
	if (*m->set_status != '\0')
		buf_printf(&words, "sets the status to %s", ticket_status_label(
		    ticket_status_parse(m->set_status), 0));
	if (*m->set_priority != '\0')
		buf_printf(&words, "%sthe priority to %s", words.len ? ", " : "sets ",
		    m->set_priority);
	if (*m->add_tags != '\0') {
		buf_printf(&words, "%sadds the tags %s", words.len ? ", " : "", m->add_tags);
		rc |= tval_set_str(a, macro, "tags", *t->tags != '\0' ?
		    arena_printf(a, "%s,%s", t->tags, m->add_tags) : m->add_tags);
	}
	if (m->take)
		buf_printf(&words, "%stakes the ticket", words.len ? ", " : "");
	if (buf_failed(&words))
		return -1;
	if (words.len > 0) {
		rc |= tval_set_str(a, macro, "words", words.buf);
		rc |= tval_set(a, ctx, "macro", macro);
	}
	return rc | tval_set(a, ctx, "then_options", list) |
	    tval_set(a, ctx, "reply_priority_options", prio);
}

/*
 * Where the agent came from: the list view (list_url), the view and this
 * ticket's place in it (view, what the reply form sends back) and the
 * next and previous tickets' addresses (previous only with a place, and
 * not for a search, whose ranking has no way back). A view that does not
 * parse is dropped: the ticket still shows, with the default view's links.
 */
static int
view_ctx(struct req *r, struct tval *ctx, const struct ticket *t)
{
	struct arena *a = r->arena;
	struct tl_filter f;
	const char *bad, *list = "", *view = "";
	int rc = 0;

	if (console_tickets_filter_why(r, &f, &bad) == 0) {
		list = console_tickets_view_url(r, "", NULL, 0);
		view = console_tickets_view_url(r, "", f.after, f.after_id);
	} else {
		f.after = NULL;
	}
	if (list == NULL || view == NULL)
		return -1;
	if (f.after != NULL && (f.q == NULL || *f.q == '\0'))
		rc |= tval_set_str(a, ctx, "prev_url", arena_printf(a, "/agent/prev%s&skip=%s",
		    view, t->number));
	return rc | tval_set_str(a, ctx, "list_url", arena_printf(a, "/agent/tickets%s", list)) |
	    tval_set_str(a, ctx, "view", *view == '?' ? view + 1 : view) |
	    tval_set_str(a, ctx, "next_url", arena_printf(a, "/agent/next%s%cskip=%s", view,
	    *view != '\0' ? '&' : '?', t->number));
}

int
console_ticket_page(struct app *app, struct req *r, struct resp *w, const struct ticket_view *v)
{
	struct ticket t;
	struct ticket_sheet s;
	struct tval *ctx, *reply;
	struct arena *a = r->arena;
	struct canned macro = { .set_status = "", .set_priority = "", .add_tags = "" };
	const char *body = v->body, *number = console_ticket_number(r);
	enum cs_result found;
	int rc;

	if (number == NULL)
		return 404;
	/* The ticket and everything the page shows of it in one round trip
	 * (a second only for the optional panels a ticket has something
	 * for); the canned responses are kept by the worker. Staff see every
	 * ticket: one that does not exist is a 404, nothing read shown. */
	found = ticket_sheet_open(&app->db, a, number, r->who.id, &t, &s);
	if (found == CS_NOT_FOUND)
		return 404;
	if (found != CS_OK)
		return web_db_error(app);
	if ((ctx = app_page(app, r, t.number)) == NULL || (reply = tval_map(a)) == NULL)
		return 500;
	rc = ticket_ctx(a, ctx, &t);
	if (rc == 0)
		rc = conversation_ctx(a, ctx, reply, &s, &t, v, r->who.time_zone);
	if (rc == 0)
		rc = console_ticket_forms_ctx(app, a, ctx, &t, v);
	if (rc == 0)
		rc = console_ticket_collab_ctx(r, ctx, &t, &s);
	if (rc == 0)
		rc = canned_ctx(app, r, ctx, &t, &s, &body, &macro);
	if (rc == 0)
		rc = then_ctx(a, ctx, &t, &macro) | view_ctx(r, ctx, &t);
	if (rc == 0)
		rc = console_ticket_history_ctx(app, a, ctx, s.events, s.nevents, r->who.time_zone);
	if (rc == 0 && s.has_sla)
		rc = console_ticket_sla_panel(a, ctx, &s.sla, ticket_status_open(t.status));
	/* The knowledge base's panel of articles for this ticket. */
	if (rc == 0)
		rc = console_kb_ticket_panel(app, r, ctx, &t, s.kb_stored ? &s.kb : NULL);
	/* The warranty of the ticket's serial (warranty_claims.c). */
	if (rc == 0)
		rc = console_warranty_ticket_panel(r, ctx, &t, &s.warranty);
	/* Mail to review and a suggested merge (ticket_mail_review.c). */
	if (rc == 0)
		rc = console_ticket_mail_panel(r, ctx, s.mail, s.nmail);
	/* Its field service appointments (field_dispatch.c). */
	if (rc == 0)
		rc = console_field_ticket_panel(r, ctx, &t, s.visits, s.nvisits);
	if (rc == -2)
		return web_db_error(app);
	if (rc == 404)
		return 404;
	if (rc == 400)
		return app_bad_query(app, r, w, "canned", NULL, console_ticket_url(a, t.number));
	if (v->error != NULL)
		rc |= tval_set_str(a, ctx, "error", v->error);
	rc |= tval_set_str(a, reply, "body", body);
	rc |= tval_set_bool(a, reply, "internal", v->visibility != NULL &&
	    strcmp(v->visibility, "internal") == 0);
	rc |= tval_set_int(a, reply, "minutes", v->minutes);
	rc |= tval_set(a, ctx, "reply", reply);
	if (rc)
		return 500;
	w->status = v->status != 0 ? v->status : 200;
	return app_render(app, r, w, "console/ticket", ctx);
}

int
console_ticket_refused(struct app *app, struct req *r, struct resp *w, int status,
    const char *error)
{
	struct ticket_view v = { 0 };

	v.status = status;
	v.error = error;
	return console_ticket_page(app, r, w, &v);
}

int
console_ticket(struct app *app, struct req *r, struct resp *w)
{
	return console_ticket_refused(app, r, w, 200, NULL);
}

int
console_ticket_attachment(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by;
	struct ticket_download d;
	const char *number = console_ticket_number(r);
	long long id = web_path_id(r, "id");
	struct web_file f = { .disposition = "attachment" };
	int rc;

	if (number == NULL || id <= 0)
		return 404;
	console_ticket_actor(r, &by);
	rc = ticket_download(&app->db, r->arena, &by, number, id, &d);
	if (rc == CS_NOT_FOUND)
		return 404;
	if (rc != CS_OK)
		return web_db_error(app);
	f.type = d.content_type;
	f.data = d.data;
	f.len = d.len;
	f.filename = d.filename;
	return web_send_file(r, w, &f);
}
