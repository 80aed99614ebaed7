/*
 * tickets_actions.c — one ticket in the console: its page (the customer
 * panel, the conversation with internal notes set apart, full history,
 * who else is on it) and its forms: reply or internal note (with canned
 * responses, @mentions, time worked, and a guard against replying to a
 * ticket that changed meanwhile), status change by the workflow with its
 * own resolve form, assignment; and downloading an attachment. The other
 * forms (fields, links, merge, presence) are in ticket_collab.c. Routes
 * and access (staff) are in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "console/ticket_page.h"
#include "console/tickets.h"
#include "console/ticket_sla.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/canned.h"
#include "domain/collab_panel.h"
#include "domain/ticket_assign.h"
#include "domain/ticket_choices.h"
#include "domain/ticket_collab.h"
#include "domain/ticket_list.h"
#include "domain/ticket_rules.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"
#include "web/markdown.h"
#include "web/result.h"

#include <ctype.h>
#include <string.h>

/* Other tickets of the same customer shown on the page. */
#define RECENT_MAX 5

static void
actor(const struct req *r, struct ticket_actor_ref *by)
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
	actor(r, &by);
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
comment_map(struct arena *a, const struct ticket *t, const struct ticket_comment *c)
{
	struct tval *m = tval_map(a);
	int rc = m == NULL;

	rc |= tval_set_str(a, m, "kind", c->kind);
	rc |= tval_set_bool(a, m, "internal", strcmp(c->kind, "internal") == 0);
	rc |= tval_set_bool(a, m, "system", strcmp(c->kind, "system") == 0);
	rc |= tval_set_str(a, m, "author", c->author);
	rc |= tval_set_bool(a, m, "by_staff", c->by_staff);
	rc |= tval_set_str(a, m, "body_html", md_html(a, c->body));
	rc |= tval_set_str(a, m, "created_at", c->created_at);
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
 * The conversation and history; when v is a held-back reply, also what
 * came after what its writer had seen. reply gets seen_event and
 * seen_comment: what this page shows, for the next reply.
 */
static int
conversation_ctx(struct app *app, struct arena *a, struct tval *ctx, struct tval *reply,
    const struct ticket_actor_ref *by, const struct ticket *t, const struct ticket_view *v)
{
	struct ticket_comment *cm;
	struct ticket_attachment_ref *files;
	struct ticket_event *ev;
	struct tval *comments = tval_list(a), *events = tval_list(a);
	struct tval *new_comments = tval_list(a), *new_events = tval_list(a);
	long long last_comment = 0, last_event = 0;
	size_t n, i, nnew = 0;
	int rc = comments == NULL || events == NULL || new_comments == NULL || new_events == NULL;

	if (ticket_comments(&app->db, a, by, t->id, &cm, &n) != CS_OK)
		return -2;
	for (i = 0; i < n; i++) {
		struct tval *m = comment_map(a, t, &cm[i]);

		rc |= tval_push(a, comments, m);
		if (v->stale && cm[i].id > v->seen_comment)
			rc |= tval_push(a, new_comments, m);
		if (cm[i].id > last_comment)
			last_comment = cm[i].id;
	}
	if (ticket_files(&app->db, a, by, t->id, &files, &n) != CS_OK)
		return -2;
	rc |= tval_set(a, ctx, "files", files_list(a, t, files, n));
	rc |= tval_set_bool(a, ctx, "has_files", n > 0);
	if (ticket_events(&app->db, a, by, t->id, &ev, &n) != CS_OK)
		return -2;
	for (i = 0; i < n; i++) {
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

/* Options for a select of db_option (products), "none" first. */
static struct tval *
option_list(struct arena *a, const struct db_option *o, size_t n, long long current,
    const char *none)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	rc |= console_tickets_option(a, list, "", none, current <= 0);
	for (i = 0; i < n; i++)
		rc |= console_tickets_option(a, list, arena_printf(a, "%lld", o[i].id), o[i].name,
		    o[i].id == current);
	return rc ? NULL : list;
}

static struct tval *
word_list(struct arena *a, const char *const *words, const char *current)
{
	struct tval *list = tval_list(a);
	int i, rc = list == NULL;

	for (i = 0; words[i] != NULL; i++)
		rc |= console_tickets_option(a, list, words[i], words[i],
		    strcmp(words[i], current) == 0);
	return rc ? NULL : list;
}

/* The status, resolve, assignment and fields forms. */
static int
forms_ctx(struct app *app, struct arena *a, struct tval *ctx, const struct ticket *t,
    const struct ticket_view *v)
{
	enum ticket_status next[TS__MAX];
	struct ticket_choices c;
	struct db_option *products;
	struct tval *moves = tval_list(a), *codes = tval_list(a), *fields = tval_map(a);
	struct tval *resolve = tval_map(a);
	const char *code = v->resolution_code != NULL ? v->resolution_code : "";
	size_t n, i;
	int k, count, nmoves = 0, can_resolve = 0;
	int rc = moves == NULL || codes == NULL || fields == NULL || resolve == NULL;

	if (ticket_choices_get(&app->db, a, &c) != CS_OK ||
	    ticket_products(&app->db, a, &products, &n) != CS_OK)
		return -2;
	count = ticket_transitions(TA_STAFF, t->status, next);
	for (k = 0; k < count; k++) {
		/* Resolving has its own form, with the code it needs. */
		if (next[k] == TS_RESOLVED) {
			can_resolve = 1;
			continue;
		}
		rc |= console_tickets_option(a, moves, ticket_status_name(next[k]),
		    ticket_status_label(next[k], 0), 0);
		nmoves++;
	}
	rc |= console_tickets_option(a, codes, "", "Choose a code", *code == '\0');
	for (i = 0; i < c.ncodes; i++)
		rc |= console_tickets_option(a, codes, c.codes[i], c.code_labels[i],
		    strcmp(code, c.codes[i]) == 0);
	rc |= tval_set(a, ctx, "transitions", moves);
	rc |= tval_set_bool(a, ctx, "has_transitions", count > 0);
	rc |= tval_set_bool(a, ctx, "has_moves", nmoves > 0);
	rc |= tval_set_bool(a, ctx, "can_resolve", can_resolve);
	rc |= tval_set(a, ctx, "resolution_codes", codes);
	rc |= tval_set_str(a, resolve, "root_cause", v->root_cause);
	rc |= tval_set(a, ctx, "resolve", resolve);
	rc |= tval_set(a, ctx, "team_options", console_tickets_choices(a, c.teams, c.nteams,
	    t->team_id, "No team"));
	rc |= tval_set(a, ctx, "agent_options", console_tickets_choices(a, c.agents, c.nagents,
	    t->assignee_id, "Nobody"));
	rc |= tval_set(a, ctx, "priority_options", word_list(a, ticket_priorities, t->priority));
	rc |= tval_set(a, ctx, "type_options", word_list(a, ticket_types, t->type));
	rc |= tval_set(a, ctx, "category_options", console_tickets_choices(a, c.categories,
	    c.ncategories, t->category_id, "None"));
	rc |= tval_set(a, ctx, "product_options", option_list(a, products, n, t->product_id,
	    "None"));
	rc |= tval_set(a, ctx, "queue_options", console_tickets_choices(a, c.queues, c.nqueues,
	    t->queue_id, "None"));
	rc |= tval_set(a, ctx, "field_team_options", console_tickets_choices(a, c.teams,
	    c.nteams, t->team_id, "No team"));
	rc |= tval_set_str(a, fields, "serial", v->serial != NULL ? v->serial : t->serial);
	rc |= tval_set_str(a, fields, "tags", v->tags != NULL ? v->tags : t->tags);
	rc |= tval_set(a, ctx, "fields", fields);
	rc |= tval_set_bool(a, ctx, "can_merge", t->status != TS_CLOSED &&
	    t->status != TS_CANCELLED);
	rc |= tval_set_str(a, ctx, "link_number", v->link_number);
	rc |= tval_set_str(a, ctx, "merge_number", v->merge_number);
	return rc;
}

/*
 * Who else is on the ticket (this view noted), links, time per agent and
 * the customer panel: one statement (collab_panel), then the customer's
 * other recent tickets.
 */
static int
collab_ctx(struct app *app, struct req *r, struct tval *ctx, const struct ticket *t)
{
	struct arena *a = r->arena;
	struct collab_panel p;
	struct collab_customer *c = &p.customer;
	struct tl_row *recent;
	struct tval *presence = tval_list(a), *links = tval_list(a), *time = tval_list(a);
	struct tval *cust = tval_map(a), *contacts = tval_list(a), *products = tval_list(a);
	struct tval *others = tval_list(a);
	size_t n, i;
	int rc = presence == NULL || links == NULL || time == NULL || cust == NULL ||
	    contacts == NULL || products == NULL || others == NULL;

	if (rc)
		return -1;
	if (collab_panel(&app->db, a, t->id, r->who.id, t->customer_id, &p) != CS_OK ||
	    ticket_list_customer_recent(&app->db, a, t->customer_id, t->id, RECENT_MAX,
	    &recent, &n) != CS_OK)
		return -2;
	for (i = 0; i < n; i++)
		rc |= tval_push(a, others, console_tickets_row(a, &recent[i]));
	for (i = 0; i < p.npresence; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_str(a, m, "name", p.presence[i].name);
		rc |= tval_set_str(a, m, "since", p.presence[i].since);
		rc |= tval_set_bool(a, m, "typing", p.presence[i].typing);
		rc |= tval_set_str(a, m, "typing_since", p.presence[i].typing_since);
		rc |= tval_push(a, presence, m);
	}
	rc |= tval_set(a, ctx, "presence", presence);
	rc |= tval_set_bool(a, ctx, "has_presence", p.npresence > 0);
	for (i = 0; i < p.nlinks; i++) {
		struct tval *m = tval_map(a);
		const struct collab_link *l = &p.links[i];
		int related = strcmp(l->kind, "related") == 0;
		enum ticket_status st = ticket_status_parse(l->status);

		rc |= tval_set_int(a, m, "id", l->id);
		rc |= tval_set_str(a, m, "number", l->number);
		rc |= tval_set_str(a, m, "subject", l->subject);
		rc |= tval_set_str(a, m, "status", ticket_status_name(st));
		rc |= tval_set_str(a, m, "status_label", ticket_status_label(st, 0));
		rc |= tval_set_str(a, m, "relation", related ? "related" : l->outgoing ?
		    "this ticket was merged into it" : "merged into this ticket");
		rc |= tval_set_bool(a, m, "removable", related);
		rc |= tval_push(a, links, m);
	}
	rc |= tval_set(a, ctx, "links", links);
	for (i = 0; i < p.ntime; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_str(a, m, "name", p.time[i].name);
		rc |= tval_set_int(a, m, "minutes", p.time[i].minutes);
		rc |= tval_push(a, time, m);
	}
	rc |= tval_set(a, ctx, "time", time);
	rc |= tval_set_bool(a, ctx, "has_time", p.ntime > 0);
	rc |= tval_set_str(a, cust, "name", c->name);
	rc |= tval_set_str(a, cust, "kind", c->kind);
	rc |= tval_set_str(a, cust, "tier", c->tier);
	rc |= tval_set_str(a, cust, "language", c->language);
	rc |= tval_set_str(a, cust, "phone", c->phone);
	rc |= tval_set_str(a, cust, "since", c->since);
	rc |= tval_set_bool(a, cust, "active", c->active);
	rc |= tval_set_int(a, cust, "open_tickets", c->open_tickets);
	rc |= tval_set_int(a, cust, "tickets", c->tickets);
	rc |= tval_set_bool(a, cust, "tickets_more", c->tickets_more);
	for (i = 0; i < c->ncontacts; i++) {
		struct tval *x = tval_map(a);

		rc |= tval_set_str(a, x, "name", c->contacts[i].name);
		rc |= tval_set_str(a, x, "email", c->contacts[i].email);
		rc |= tval_set_bool(a, x, "account_admin", c->contacts[i].account_admin);
		rc |= tval_set_bool(a, x, "active", c->contacts[i].active);
		rc |= tval_push(a, contacts, x);
	}
	for (i = 0; i < c->nproducts; i++) {
		struct tval *x = tval_map(a);

		rc |= tval_set_str(a, x, "name", c->products[i].name);
		rc |= tval_set_str(a, x, "sku", c->products[i].sku);
		rc |= tval_set_str(a, x, "serials", c->products[i].serials);
		rc |= tval_set_int(a, x, "tickets", c->products[i].tickets);
		rc |= tval_set_str(a, x, "last", c->products[i].last);
		rc |= tval_push(a, products, x);
	}
	return rc | tval_set(a, ctx, "customer", cust) | tval_set(a, ctx, "contacts", contacts) |
	    tval_set(a, ctx, "products", products) | tval_set(a, ctx, "other_tickets", others);
}

/*
 * The canned responses this agent may use, and, for GET ?canned=ID, that
 * one rendered into *body with the ticket's placeholders. Returns 0, -2
 * (database) or 404 (no such response for this agent).
 */
static int
canned_ctx(struct app *app, struct req *r, struct tval *ctx, const struct ticket *t,
    const char **body)
{
	struct arena *a = r->arena;
	const char *want = r->method == HTTP_GET ? req_query(r, "canned") : NULL;
	long long id = want != NULL ? web_id(want) : 0;
	struct canned *list, one;
	struct tval *items = tval_list(a);
	size_t n, i;
	int rc = items == NULL;

	if (want != NULL && id <= 0)
		return 404;
	if (canned_list(&app->db, a, r->who.id, &list, &n) != CS_OK)
		return -2;
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

int
console_ticket_page(struct app *app, struct req *r, struct resp *w, const struct ticket_view *v)
{
	struct ticket_actor_ref by;
	struct ticket t;
	struct tval *ctx, *reply;
	struct arena *a = r->arena;
	const char *body = v->body;
	int rc;

	if ((rc = console_ticket_load(app, r, &t)) != 0)
		return rc;
	actor(r, &by);
	if ((ctx = app_page(app, r, t.number)) == NULL || (reply = tval_map(a)) == NULL)
		return 500;
	rc = ticket_ctx(a, ctx, &t);
	if (rc == 0)
		rc = conversation_ctx(app, a, ctx, reply, &by, &t, v);
	if (rc == 0)
		rc = forms_ctx(app, a, ctx, &t, v);
	if (rc == 0)
		rc = collab_ctx(app, r, ctx, &t);
	if (rc == 0)
		rc = canned_ctx(app, r, ctx, &t, &body);
	if (rc == 0)
		rc = console_ticket_sla_ctx(app, a, ctx, t.id);
	/* The knowledge base's panel of articles for this ticket. */
	if (rc == 0)
		rc = console_kb_ticket_panel(app, r, ctx, &t);
	if (rc == -2)
		return web_db_error(app);
	if (rc == 404)
		return 404;
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

/* A whole number field in lo..hi, def when empty; -1 when junk. */
static long long
field_num(const struct req *r, const char *name, long long lo, long long hi, long long def)
{
	const char *v = req_field(r, name);
	long long n;

	if (v == NULL || *v == '\0')
		return def;
	n = web_id(v);
	if (strcmp(v, "0") == 0)
		n = 0;
	else if (n <= 0)
		return -1;
	return n >= lo && n <= hi ? n : -1;
}

/* Tells the colleagues an internal note mentions; *told counts them. 0 or -1. */
static int
mentions(struct app *app, struct req *r, const struct ticket *t, const char *body,
    size_t *told)
{
	struct tval *ctx = app_page(app, r, t->number);

	if (ctx == NULL)
		return -1;
	return collab_mentions_notify(&app->db, app->tmpl, r->arena, t->id, r->who.id,
	    r->who.name, t->number, t->subject, body, ctx,
	    app_url(app, r, console_ticket_url(r->arena, t->number)), told) == CS_OK ? 0 : -1;
}

int
console_ticket_reply(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by;
	struct ticket_file files[TICKET_FILES_MAX];
	struct ticket_reply_in in = { 0 };
	struct ticket_view v = { 0 };
	struct ticket t;
	const char *body = req_field(r, "body"), *vis = req_field(r, "visibility");
	const char *why = NULL;
	/* Parsed here, judged by the domain (TICKET_MINUTES_MAX). */
	long long minutes = field_num(r, "minutes", 0, 1LL << 30, 0);
	long long version = field_num(r, "version", 0, 1LL << 30, 0);
	size_t nfiles = 0, i, told = 0;
	enum cs_result rc;
	int internal, st;

	if ((st = console_ticket_load(app, r, &t)) != 0)
		return st;
	actor(r, &by);
	body = fields_trim(r->arena, body != NULL ? body : "");
	if (body == NULL)
		return 500;
	/* Whatever happens, what was typed comes back. */
	v.status = 422;
	v.body = body;
	v.visibility = vis;
	v.minutes = minutes > 0 ? minutes : 0;
	if (vis == NULL || (strcmp(vis, "public") != 0 && strcmp(vis, "internal") != 0)) {
		v.error = "Choose whether this is a public reply or an internal note.";
		return console_ticket_page(app, r, w, &v);
	}
	internal = strcmp(vis, "internal") == 0;
	if (minutes < 0 || version < 0) {
		v.error = "Minutes spent must be a whole number from 0 to 10,000.";
		return console_ticket_page(app, r, w, &v);
	}
	/* Changed since the writer loaded it: show them what, keep the text. */
	if (version != 0 && version != t.version)
		goto stale;
	for (i = 0; i < r->body.nfiles; i++) {
		const struct form_file *ff = &r->body.files[i];

		if (strcmp(ff->field, "attachment") != 0 || ff->len == 0)
			continue;
		if (nfiles == TICKET_FILES_MAX) {
			v.error = "Too many files.";
			return console_ticket_page(app, r, w, &v);
		}
		files[nfiles].filename = ff->filename;
		files[nfiles].content_type = ff->content_type;
		files[nfiles].data = ff->data;
		files[nfiles].len = ff->len;
		nfiles++;
	}
	/* The note and the mails about its mentions commit together. */
	if (db_begin(&app->db) < 0)
		return web_db_error(app);
	in.ticket_id = t.id;
	in.kind = vis;
	in.body = body;
	in.minutes_spent = minutes > TICKET_MINUTES_MAX ? TICKET_MINUTES_MAX + 1 : (int)minutes;
	in.files = files;
	in.nfiles = nfiles;
	in.expected_version = (int)version;
	in.ip = r->remote_addr;
	rc = ticket_reply(&app->db, r->arena, &by, &in, NULL, &why);
	if (rc == CS_OK && internal && mentions(app, r, &t, body, &told) < 0)
		rc = CS_FAILED;
	if (rc != CS_OK) {
		db_rollback(&app->db);
		if (rc == CS_NOT_FOUND)
			return 404;
		if (rc != CS_REFUSED)
			return web_db_error(app);
		/* Changed between loading it and locking it? */
		if ((st = console_ticket_load(app, r, &t)) != 0)
			return st;
		if (version != 0 && version != t.version)
			goto stale;
		v.error = why != NULL ? why : "The reply was refused.";
		return console_ticket_page(app, r, w, &v);
	}
	if (db_commit(&app->db) < 0)
		return web_db_error(app);
	/* Done writing: others stop seeing "is writing". Only a hint if it fails. */
	collab_presence_typing(&app->db, t.number, r->who.id, 0);
	resp_redirect(w, console_ticket_url(r->arena, t.number));
	if (!internal)
		app_flash(app, r, w, 0, "Reply sent.");
	else if (told > 0)
		web_flash(app, r, w, "Internal note added; %zu colleague%s told.", told,
		    told == 1 ? "" : "s");
	else
		app_flash(app, r, w, 0, "Internal note added.");
	return 0;
stale:
	v.status = 409;
	v.stale = 1;
	v.seen_event = field_num(r, "seen_event", 0, 1LL << 62, 0);
	v.seen_comment = field_num(r, "seen_comment", 0, 1LL << 62, 0);
	if (v.seen_event < 0)
		v.seen_event = 0;
	if (v.seen_comment < 0)
		v.seen_comment = 0;
	return console_ticket_page(app, r, w, &v);
}

int
console_ticket_status(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by;
	struct ticket_status_in in = { 0 };
	struct ticket_view v = { 0 };
	struct ticket t;
	const char *status = req_field(r, "status"), *code = req_field(r, "resolution_code");
	const char *cause = fields_trim(r->arena, req_field(r, "root_cause") ?
	    req_field(r, "root_cause") : "");
	const char *why = NULL;
	enum ticket_status to;
	enum cs_result rc;
	int st;

	if ((st = console_ticket_load(app, r, &t)) != 0)
		return st;
	actor(r, &by);
	if (cause == NULL)
		return 500;
	if (code == NULL)
		code = "";
	v.status = 422;
	v.resolution_code = code;
	v.root_cause = cause;
	to = ticket_status_parse(status != NULL ? status : "");
	if (to == TS__MAX) {
		v.error = "Choose a status.";
		return console_ticket_page(app, r, w, &v);
	}
	/* A resolution code and a root cause belong to resolving only. */
	if (to != TS_RESOLVED && (*code != '\0' || *cause != '\0')) {
		v.error = "A resolution code and a root cause are given when resolving: use the "
		    "Resolve form.";
		return console_ticket_page(app, r, w, &v);
	}
	in.ticket_id = t.id;
	in.to = to;
	in.resolution_code = code;
	in.root_cause = cause;
	in.ip = r->remote_addr;
	rc = ticket_change_status(&app->db, r->arena, &by, &in, &why);
	if (rc == CS_REFUSED) {
		v.error = why != NULL ? why : "That status change is not allowed.";
		return console_ticket_page(app, r, w, &v);
	}
	if (rc == CS_NOT_FOUND)
		return 404;
	if (rc != CS_OK)
		return web_db_error(app);
	resp_redirect(w, console_ticket_url(r->arena, t.number));
	web_flash(app, r, w, "Status changed to %s.", ticket_status_label(to, 0));
	return 0;
}

/* The assignment form: an empty select is "no team", "nobody". */
static const struct field_rule assign_rules[] = {
	{ "team_id", "Team", FIELD_INT, 0, 1, 1LL << 62, NULL },
	{ "agent_id", "Agent", FIELD_INT, 0, 1, 1LL << 62, NULL },
};
enum { A_TEAM, A_AGENT, A__MAX };
_Static_assert(sizeof(assign_rules) / sizeof(assign_rules[0]) == A__MAX, "one rule per field");

int
console_ticket_assign(struct app *app, struct req *r, struct resp *w)
{
	struct ticket t;
	struct field_form f;
	const char *v[A__MAX], *why;
	long long ids[A__MAX];
	enum cs_result res;
	int rc;

	if ((rc = console_ticket_load(app, r, &t)) != 0)
		return rc;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, assign_rules, A__MAX, v, ids);
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return console_ticket_refused(app, r, w, 422, "Choose a team and an agent from "
		    "the lists.");
	res = ticket_assign(&app->db, r->who.id, t.id, ids[A_TEAM], ids[A_AGENT], &why);
	if (res == CS_REFUSED)
		return console_ticket_refused(app, r, w, 422, why);
	if (res != CS_OK)
		return web_result_status(res);
	resp_redirect(w, console_ticket_url(r->arena, t.number));
	app_flash(app, r, w, 0, "Assignment saved.");
	return 0;
}

/* A filename for a header: printable ASCII without quotes or backslashes. */
static const char *
header_filename(struct arena *a, const char *name)
{
	char *s = arena_strdup(a, name != NULL && *name != '\0' ? name : "attachment");
	size_t i;

	if (s == NULL)
		return "attachment";
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f || s[i] == '"' ||
		    s[i] == '\\' || s[i] == ';')
			s[i] = '_';
	return s;
}

int
console_ticket_attachment(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by;
	struct ticket_download d;
	const char *number = console_ticket_number(r);
	long long id = web_path_id(r, "id");
	struct buf cd;
	int rc;

	if (number == NULL || id <= 0)
		return 404;
	actor(r, &by);
	rc = ticket_download(&app->db, r->arena, &by, number, id, &d);
	if (rc == CS_NOT_FOUND)
		return 404;
	if (rc != CS_OK)
		return web_db_error(app);
	buf_init(&cd, r->arena);
	buf_printf(&cd, "attachment; filename=\"%s\"; filename*=UTF-8''",
	    header_filename(r->arena, d.filename));
	url_encode(&cd, d.filename != NULL ? d.filename : "attachment");
	if (buf_failed(&cd))
		return 500;
	buf_reset(&w->body);
	buf_add(&w->body, d.data, d.len);
	if (buf_failed(&w->body))
		return 500;
	w->status = 200;
	w->content_type = d.content_type != NULL && *d.content_type != '\0' ? d.content_type :
	    "application/octet-stream";
	resp_header(w, "Content-Disposition", cd.buf);
	resp_header(w, "X-Content-Type-Options", "nosniff");
	return 0;
}
