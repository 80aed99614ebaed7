/*
 * tickets.c — the agents' ticket lists: the filtered queue view with bulk
 * actions (GET /agent/tickets, POST /agent/tickets/bulk) and its CSV
 * export (GET /agent/tickets.csv). One ticket's page and its forms are in
 * ticket_page.c and the files it names. Routes and access (staff) are in
 * cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "console/saved_views.h"
#include "console/tickets.h"
#include "core/arena.h"
#include "core/zone_time.h"
#include "db/db.h"
#include "domain/ticket_bulk.h"
#include "domain/ticket_choices.h"
#include "domain/ticket_csv.h"
#include "domain/ticket_list.h"
#include "domain/ticket_queue.h"
#include "domain/ticket_rules.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <stdio.h>
#include <string.h>

#define TICKETS_URL "/agent/tickets"

/* The query parameters of a view, in the order links repeat them. */
const char *const console_tickets_params[CONSOLE_TICKETS_NPARAMS] = {
	"queue", "team", "assignee", "status", "priority", "channel", "sla", "q", "sort",
	"created_from", "created_to", "updated_from", "updated_to",
};

static const char *const sort_labels[TL_SORT__MAX] = { "Last update", "Priority", "Age",
	"SLA due" };

/* The SLA states a view filters by (tl_filter.sla), in the order offered. */
static const char *const sla_values[] = { "on_track", "at_risk", "breached", "paused", NULL };
static const char *const sla_labels[] = { "On track", "At risk", "Breached", "Paused", NULL };

/* An id from a query parameter: 0 when absent; -1 when junk. */
static long long
query_id(const struct req *r, const char *name)
{
	const char *v = req_query(r, name);
	long long id;

	if (v == NULL || *v == '\0')
		return 0;
	id = web_id(v);
	return id > 0 ? id : -1;
}

/* A query parameter, "" when absent. */
static const char *
query_str(const struct req *r, const char *name)
{
	const char *v = req_query(r, name);

	return v != NULL ? v : "";
}

int
console_tickets_filter(const struct req *r, struct tl_filter *f)
{
	const char *bad;

	return console_tickets_filter_why(r, f, &bad);
}

int
console_tickets_filter_why(const struct req *r, struct tl_filter *f, const char **bad)
{
	const char *assignee = query_str(r, "assignee"), *sort = query_str(r, "sort");
	const char *after = req_query(r, "after"), *status = req_query(r, "status");
	const char *q;

	memset(f, 0, sizeof(*f));
	*bad = "queue";
	if ((f->queue_id = query_id(r, "queue")) < 0)
		return -1;
	*bad = "team";
	if ((f->team_id = query_id(r, "team")) < 0)
		return -1;
	*bad = "assignee";
	if (strcmp(assignee, "me") == 0) {
		f->assignee_id = r->who.id;
	} else if (strcmp(assignee, "none") == 0) {
		f->unassigned = 1;
	} else if (*assignee != '\0') {
		if ((f->assignee_id = web_id(assignee)) <= 0)
			return -1;
	}
	/* Open work first: no status asked is the open tickets; "all" is every one. */
	f->status = status == NULL ? "open" : strcmp(status, "all") == 0 ? "" : status;
	f->priority = query_str(r, "priority");
	f->channel = query_str(r, "channel");
	f->sla = query_str(r, "sla");
	f->created_from = query_str(r, "created_from");
	f->created_to = query_str(r, "created_to");
	f->updated_from = query_str(r, "updated_from");
	f->updated_to = query_str(r, "updated_to");
	*bad = "q";
	if ((q = fields_trim(r->arena, query_str(r, "q"))) == NULL)
		return -1;
	f->q = q;
	*bad = "sort";
	f->sort = *sort != '\0' ? tl_sort_parse(sort) : TL_SORT_UPDATE;
	if (f->sort == TL_SORT__MAX)
		return -1;
	*bad = "after_id";
	if (after != NULL && *after != '\0') {
		f->after = after;
		if (web_query_key(r, "after_id", &f->after_id) < 0)
			return -1;
	}
	*bad = NULL;
	return 0;
}

/* The view's own parameters as "?queue=3&sort=age", "" for none; NULL when out of memory. */
static const char *
view_query(const struct req *r)
{
	struct buf b;
	size_t i;

	buf_init(&b, r->arena);
	buf_addstr(&b, "");
	for (i = 0; i < CONSOLE_TICKETS_NPARAMS; i++) {
		const char *v = req_query(r, console_tickets_params[i]);

		if (v == NULL || *v == '\0')
			continue;
		buf_printf(&b, "%c%s=", b.len == 0 ? '?' : '&', console_tickets_params[i]);
		url_encode(&b, v);
	}
	return buf_failed(&b) ? NULL : b.buf;
}

/* path, the view's query (view_query) and the place after (when not NULL). */
static const char *
view_url(struct arena *a, const char *path, const char *query, const char *after,
    long long after_id)
{
	struct buf b;

	if (query == NULL)
		return NULL;
	/* Once per row of a list: the room made at once, no printf. */
	buf_init(&b, a);
	buf_grow(&b, strlen(path) + strlen(query) + (after != NULL ? 3 * strlen(after) + 40 : 0));
	buf_addstr(&b, path);
	buf_addstr(&b, query);
	if (after != NULL) {
		char id[24];
		int n = snprintf(id, sizeof(id), "%lld", after_id);

		buf_addstr(&b, *query == '\0' ? "?after=" : "&after=");
		url_encode(&b, after);
		buf_addstr(&b, "&after_id=");
		buf_add(&b, id, n > 0 ? (size_t)n : 0);
	}
	return buf_failed(&b) ? NULL : b.buf;
}

const char *
console_tickets_view_url(const struct req *r, const char *path, const char *after,
    long long after_id)
{
	return view_url(r->arena, path, view_query(r), after, after_id);
}

/* Appends {value, label, selected} to list. */
int
console_tickets_option(struct arena *a, struct tval *list, const char *value, const char *label,
    int selected)
{
	struct tval *o = tval_map(a);

	return tval_set_str(a, o, "value", value) | tval_set_str(a, o, "label", label) |
	    tval_set_bool(a, o, "selected", selected) | tval_push(a, list, o);
}

/* Options from choices, an empty "any" entry first when any is not NULL. */
struct tval *
console_tickets_choices(struct arena *a, const struct db_option *c, size_t n, long long current,
    const char *any)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	if (any != NULL)
		rc |= console_tickets_option(a, list, "", any, current <= 0);
	for (i = 0; i < n; i++)
		rc |= console_tickets_option(a, list, arena_lld(a, c[i].id), c[i].name,
		    c[i].id == current);
	return rc ? NULL : list;
}

/* Options from a NULL-terminated word list, "any" first. */
static struct tval *
word_options(struct arena *a, const char *const *words, const char *current, const char *any)
{
	struct tval *list = tval_list(a);
	int rc = list == NULL, i;

	if (any != NULL)
		rc |= console_tickets_option(a, list, "", any, *current == '\0');
	for (i = 0; words[i] != NULL; i++)
		rc |= console_tickets_option(a, list, words[i], words[i],
		    strcmp(words[i], current) == 0);
	return rc ? NULL : list;
}

static struct tval *
status_options(struct arena *a, const char *current)
{
	struct tval *list = tval_list(a);
	int rc = list == NULL, s;

	rc |= console_tickets_option(a, list, "all", "Any", *current == '\0');
	rc |= console_tickets_option(a, list, "open", "Open (needs work)",
	    strcmp(current, "open") == 0);
	for (s = 0; s < TS__MAX; s++) {
		const char *name = ticket_status_name((enum ticket_status)s);

		rc |= console_tickets_option(a, list, name,
		    ticket_status_label((enum ticket_status)s, 0), strcmp(name, current) == 0);
	}
	return rc ? NULL : list;
}

static struct tval *
assignee_options(struct arena *a, const struct ticket_choices *c, const char *current)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	rc |= console_tickets_option(a, list, "", "Anyone", *current == '\0');
	rc |= console_tickets_option(a, list, "me", "Me", strcmp(current, "me") == 0);
	rc |= console_tickets_option(a, list, "none", "Nobody", strcmp(current, "none") == 0);
	for (i = 0; i < c->nagents; i++) {
		const char *id = arena_printf(a, "%lld", c->agents[i].id);

		rc |= console_tickets_option(a, list, id, c->agents[i].name,
		    id != NULL && strcmp(id, current) == 0);
	}
	return rc ? NULL : list;
}

static struct tval *
sla_options(struct arena *a, const char *current)
{
	struct tval *list = tval_list(a);
	int rc = list == NULL, s;

	rc |= console_tickets_option(a, list, "", "Any", *current == '\0');
	for (s = 0; sla_values[s] != NULL; s++)
		rc |= console_tickets_option(a, list, sla_values[s], sla_labels[s],
		    strcmp(sla_values[s], current) == 0);
	return rc ? NULL : list;
}

static struct tval *
sort_options(struct arena *a, enum tl_sort current)
{
	struct tval *list = tval_list(a);
	int rc = list == NULL, s;

	for (s = 0; s < TL_SORT__MAX; s++)
		rc |= console_tickets_option(a, list, tl_sort_name((enum tl_sort)s), sort_labels[s],
		    (enum tl_sort)s == current);
	return rc ? NULL : list;
}

/* The values of the bulk form's value select, grouped by action. */
static int
bulk_options(struct arena *a, struct tval *ctx, const struct ticket_choices *c)
{
	struct tval *assign = tval_list(a), *status = tval_list(a), *prio = tval_list(a),
	    *queue = tval_list(a);
	size_t i;
	int rc = 0, s;

	if (assign == NULL || status == NULL || prio == NULL || queue == NULL)
		return -1;
	rc |= console_tickets_option(a, assign, "none", "Nobody", 0);
	for (i = 0; i < c->nagents; i++)
		rc |= console_tickets_option(a, assign, arena_printf(a, "agent:%lld",
		    c->agents[i].id), c->agents[i].name, 0);
	for (i = 0; i < c->nteams; i++)
		rc |= console_tickets_option(a, assign, arena_printf(a, "team:%lld",
		    c->teams[i].id), arena_printf(a, "Team %s", c->teams[i].name), 0);
	for (s = 0; s < TS__MAX; s++)
		rc |= console_tickets_option(a, status, ticket_status_name((enum ticket_status)s),
		    ticket_status_label((enum ticket_status)s, 0), 0);
	for (s = 0; ticket_priorities[s] != NULL; s++)
		rc |= console_tickets_option(a, prio, ticket_priorities[s], ticket_priorities[s], 0);
	for (i = 0; i < c->nqueues; i++)
		rc |= console_tickets_option(a, queue, arena_lld(a, c->queues[i].id),
		    c->queues[i].name, 0);
	return rc | tval_set(a, ctx, "bulk_assign", assign) |
	    tval_set(a, ctx, "bulk_status", status) | tval_set(a, ctx, "bulk_priority", prio) |
	    tval_set(a, ctx, "bulk_queue", queue);
}

/* A row's time in zone: from its seconds, or its UTC text when it came without. */
static const char *
row_time(struct arena *a, long long secs, const char *text, const char *zone)
{
	return secs > 0 ? zone_time(a, (time_t)secs, zone, 0) : zone_time_text(a, text, zone);
}

/* One list row for the template. */
struct tval *
console_tickets_row(struct arena *a, const struct tl_row *row, const char *zone)
{
	struct tval *m = tval_map(a);
	enum ticket_status s = ticket_status_parse(row->status);
	int rc = 0;

	rc |= tval_set_str(a, m, "number", row->number);
	rc |= tval_set_str(a, m, "subject", row->subject);
	rc |= tval_set_str(a, m, "customer", row->customer);
	rc |= tval_set_str(a, m, "status", row->status);
	rc |= tval_set_str(a, m, "status_label", s < TS__MAX ? ticket_status_label(s, 0) :
	    row->status);
	rc |= tval_set_str(a, m, "priority", row->priority);
	rc |= tval_set_str(a, m, "channel", row->channel);
	rc |= tval_set_str(a, m, "queue", row->queue);
	rc |= tval_set_str(a, m, "assignee", row->assignee);
	/* Times in the agent's zone (their settings). */
	rc |= tval_set_str(a, m, "updated_at", row_time(a, row->updated, row->updated_at, zone));
	rc |= tval_set_str(a, m, "created_at", row_time(a, row->created, row->created_at, zone));
	/* SLA state (sla.h): in words, the time left and when it is due. */
	if (row->sla != NULL && *row->sla != '\0') {
		rc |= tval_set_str(a, m, "sla", row->sla);
		rc |= tval_set_str(a, m, "sla_words", console_sla_words(row->sla));
		rc |= tval_set_str(a, m, "sla_left", row->sla_left);
		if (row->sla_due > 0)
			rc |= console_sla_due(a, m, (time_t)row->sla_due, zone);
	}
	if (row->snippet_html != NULL && *row->snippet_html != '\0')
		rc |= tval_set_str(a, m, "snippet_html", row->snippet_html);
	return rc ? NULL : m;
}

const char *
console_sla_words(const char *colour)
{
	static const char *const words[][2] = { { "green", "On track" }, { "amber", "At risk" },
		{ "red", "Breached" }, { "paused", "Paused" } };
	size_t i;

	for (i = 0; colour != NULL && i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(colour, words[i][0]) == 0)
			return words[i][1];
	return colour != NULL ? colour : "";
}

int
console_sla_due(struct arena *a, struct tval *m, time_t due, const char *zone)
{
	struct tm tm;
	char iso[ZONE_TIME_MAX];

	if (gmtime_r(&due, &tm) == NULL)
		return -1;
	/* strftime's "%Y-%m-%dT%H:%MZ", by hand for a list's rows: zone_time's
	 * "YYYY-MM-DD HH:MM" with its space a T; strftime for other years. */
	zone_time_format(&tm, 0, iso);
	if (strlen(iso) == 16 && iso[10] == ' ') {
		iso[10] = 'T';
		iso[16] = 'Z';
		iso[17] = '\0';
	} else if (strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%MZ", &tm) == 0) {
		return -1;
	}
	return tval_set_str(a, m, "sla_due", zone_time(a, due, zone, 1)) |
	    tval_set_str(a, m, "sla_due_iso", arena_strdup(a, iso)) |
	    tval_set_bool(a, m, "sla_overdue", due < time(NULL));
}

/* The views every agent has, one link each, the current one marked. */
static struct tval *
builtin_views(const struct req *r)
{
	/* count: the key of its count in /agent/live's answer, or NULL. */
	static const struct {
		const char *label, *query, *count;
	} views[] = {
		{ "Open work", "", "open" },
		{ "Mine", "?assignee=me", "mine" },
		{ "Unassigned", "?assignee=none", NULL },
		{ "At risk", "?sla=at_risk&sort=sla", NULL },
		{ "Breached", "?sla=breached&sort=sla", NULL },
		{ "Waiting for customer", "?status=pending_customer", "pending_customer" },
		{ "All tickets", "?status=all", "all" },
	};
	struct arena *a = r->arena;
	const char *here = console_tickets_view_url(r, "", NULL, 0);
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL || here == NULL;

	for (i = 0; !rc && i < sizeof(views) / sizeof(views[0]); i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_str(a, m, "label", views[i].label);
		rc |= tval_set_str(a, m, "url", arena_printf(a, TICKETS_URL "%s", views[i].query));
		rc |= tval_set_bool(a, m, "current", strcmp(here, views[i].query) == 0);
		if (views[i].count != NULL)
			rc |= tval_set_str(a, m, "count", views[i].count);
		rc |= tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

int
console_tickets(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Tickets"), *list;
	struct arena *a = r->arena;
	struct tl_filter f;
	struct ticket_choices c;
	struct ticket_queue q;
	const struct tl_page *page = &q.page;
	const char *why, *query;
	size_t i;
	int rc;
	enum cs_result res;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if (console_tickets_filter_why(r, &f, &why) < 0)
		return app_bad_query(app, r, w, why, NULL, TICKETS_URL);
	res = ticket_queue_read(&app->db, a, &f, r->who.id, &q, &why);
	if (res == CS_REFUSED)
		return app_bad_query(app, r, w, NULL, why, TICKETS_URL);
	if (res == CS_OK)
		res = ticket_choices_get(&app->db, a, &c);
	if (res != CS_OK)
		return web_result_status(res);
	rc = (query = view_query(r)) == NULL;
	for (i = 0; i < page->n; i++) {
		const struct tl_row *row = &page->rows[i];
		struct tval *m = console_tickets_row(a, row, r->who.time_zone);

		/* The ticket's link carries the view and its place in it, for
		 * the next-ticket flow (ticket_next.c). */
		rc |= tval_set_str(a, m, "url", view_url(a, arena_printf(a, "/agent/tickets/%s",
		    row->number), query, row->cursor, row->id));
		rc |= tval_push(a, list, m);
	}
	rc |= tval_set(a, ctx, "builtin_views", builtin_views(r));
	rc |= tval_set_bool(a, ctx, "more_filters", f.queue_id > 0 || f.team_id > 0 ||
	    *f.priority != '\0' || *f.channel != '\0' || *f.sla != '\0' ||
	    *f.created_from != '\0' || *f.created_to != '\0' || *f.updated_from != '\0' ||
	    *f.updated_to != '\0');
	rc |= tval_set(a, ctx, "tickets", list);
	rc |= tval_set_str(a, ctx, "q", f.q);
	rc |= tval_set(a, ctx, "sla_options", sla_options(a, f.sla));
	rc |= tval_set_str(a, ctx, "created_from", f.created_from);
	rc |= tval_set_str(a, ctx, "created_to", f.created_to);
	rc |= tval_set_str(a, ctx, "updated_from", f.updated_from);
	rc |= tval_set_str(a, ctx, "updated_to", f.updated_to);
	rc |= tval_set(a, ctx, "queue_options", console_tickets_choices(a, c.queues, c.nqueues,
	    f.queue_id, "Any"));
	rc |= tval_set(a, ctx, "team_options", console_tickets_choices(a, c.teams, c.nteams,
	    f.team_id, "Any"));
	rc |= tval_set(a, ctx, "assignee_options", assignee_options(a, &c,
	    query_str(r, "assignee")));
	rc |= tval_set(a, ctx, "status_options", status_options(a, f.status));
	rc |= tval_set(a, ctx, "priority_options", word_options(a, ticket_priorities, f.priority,
	    "Any"));
	rc |= tval_set(a, ctx, "channel_options", word_options(a, ticket_channels, f.channel,
	    "Any"));
	rc |= tval_set(a, ctx, "sort_options", sort_options(a, f.sort));
	rc |= bulk_options(a, ctx, &c);
	rc |= tval_set_bool(a, ctx, "searching", f.q[0] != '\0');
	rc |= tval_set_str(a, ctx, "this_url", console_tickets_view_url(r, TICKETS_URL, f.after, f.after_id));
	rc |= tval_set_str(a, ctx, "csv_url", console_tickets_view_url(r, TICKETS_URL ".csv", NULL, 0));
	if (page->next_after != NULL)
		rc |= tval_set_str(a, ctx, "next_url", console_tickets_view_url(r, TICKETS_URL,
		    page->next_after, page->next_id));
	if (f.after != NULL)
		rc |= tval_set_str(a, ctx, "first_url", console_tickets_view_url(r, TICKETS_URL, NULL, 0));
	if (rc)
		return 500;
	if ((rc = console_saved_views_put(r, ctx, q.views, q.nviews)) != 0)
		return rc;
	return app_render(app, r, w, "console/tickets", ctx);
}

int
console_tickets_csv(struct app *app, struct req *r, struct resp *w)
{
	struct tl_filter f;
	const char *why;
	size_t rows;
	enum cs_result rc;

	if (console_tickets_filter_why(r, &f, &why) < 0)
		return app_bad_query(app, r, w, why, NULL, TICKETS_URL);
	buf_reset(&w->body);
	rc = ticket_csv_export(&app->db, r->arena, &f, &w->body, &rows, &why);
	if (rc == CS_REFUSED) {
		buf_reset(&w->body);
		return app_bad_query(app, r, w, NULL, why, TICKETS_URL);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	w->status = 200;
	w->content_type = "text/csv; charset=utf-8";
	resp_header(w, "Content-Disposition", "attachment; filename=\"tickets.csv\"");
	resp_header(w, "X-Content-Type-Options", "nosniff");
	return 0;
}

/* Where to go back after a bulk action: the list view it came from. */
static const char *
back_to_list(const char *back)
{
	if (back == NULL || strncmp(back, TICKETS_URL, strlen(TICKETS_URL)) != 0 ||
	    (back[strlen(TICKETS_URL)] != '\0' && back[strlen(TICKETS_URL)] != '?') ||
	    strpbrk(back, "\r\n\\") != NULL)
		return TICKETS_URL;
	return back;
}

/* The bulk form: the tickets are a checkbox group (fields_all). */
static const struct field_rule bulk_rules[] = {
	{ "action", "Action", FIELD_CHOICE, 1, 0, 0, ticket_bulk_names },
	{ "value", "Value", FIELD_TEXT, 1, 0, 0, NULL },
	{ "return", "Return", FIELD_TEXT, 0, 0, 0, NULL },
};
enum { B_ACTION, B_VALUE, B_RETURN, B__MAX };
_Static_assert(sizeof(bulk_rules) / sizeof(bulk_rules[0]) == B__MAX, "one rule per field");

int
console_tickets_bulk(struct app *app, struct req *r, struct resp *w)
{
	const char *numbers[TICKET_BULK_MAX + 1], *v[B__MAX], *why;
	struct ticket_bulk_result res;
	struct field_form f;
	struct buf msg;
	size_t n, i;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, bulk_rules, B__MAX, v, NULL);
	if (f.failed)
		return 500;
	n = fields_all(r, "ticket", numbers, TICKET_BULK_MAX + 1);
	resp_redirect(w, back_to_list(*v[B_RETURN] != '\0' ? v[B_RETURN] : NULL));
	if (n == 0) {
		app_flash(app, r, w, 1, "Select at least one ticket.");
		return 0;
	}
	if (n > TICKET_BULK_MAX) {
		app_flash(app, r, w, 1, "Too many tickets selected at once.");
		return 0;
	}
	if (f.nerrors > 0) {
		app_flash(app, r, w, 1, "Choose an action and a value.");
		return 0;
	}
	rc = ticket_bulk(&app->db, r->arena, r->who.id, ticket_bulk_parse(v[B_ACTION]), v[B_VALUE],
	    numbers, n, &res, &why);
	if (rc == CS_REFUSED) {
		app_flash(app, r, w, 1, why);
		return 0;
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	buf_init(&msg, r->arena);
	buf_printf(&msg, "%zu ticket%s changed.", res.changed, res.changed == 1 ? "" : "s");
	if (res.nrefused > 0) {
		buf_printf(&msg, " Not changed: ");
		for (i = 0; i < res.nrefused; i++)
			buf_printf(&msg, "%s%s", i ? "; " : "", res.refused[i]);
		buf_addch(&msg, '.');
	}
	if (buf_failed(&msg))
		return 500;
	app_flash(app, r, w, res.nrefused > 0, utf8_short(r->arena, msg.buf, 300));
	return 0;
}
