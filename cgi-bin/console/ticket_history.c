/*
 * ticket_history.c — the ticket page's history as people read it: in time
 * order, each line a sentence with the actor's name and the values'
 * labels ("Alex Agent changed the status from New to In progress"),
 * stored ids replaced by names from the cached form choices, and a
 * relative time ("3 h ago") with the exact time on hover.
 */
#include "console/ticket_history.h"
#include "core/arena.h"
#include "core/zone_time.h"
#include "domain/ticket_choices.h"
#include "domain/ticket_rules.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The words for a stored field name; NULL: the field's own name. */
static const struct {
	const char *field, *label;
} labels[] = {
	{ "status", "the status" }, { "assignee", "the assignee" }, { "team", "the team" },
	{ "queue", "the queue" }, { "priority", "the priority" }, { "category", "the category" },
	{ "product", "the product" }, { "serial", "the serial number" }, { "tags", "the tags" },
	{ "type", "the type" }, { "resolution_code", "the resolution code" },
	{ "root_cause", "the root cause" }, { "site", "the site" },
};

static const char *
field_label(const char *field)
{
	size_t i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].field, field) == 0)
			return labels[i].label;
	return field;
}

/* An id among opts as its name; else v as it is. */
static const char *
named(const char *v, const struct db_option *opts, size_t n)
{
	char *end;
	long long id;
	size_t i;

	if (v == NULL || *v == '\0')
		return v;
	id = strtoll(v, &end, 10);
	if (*end != '\0' || id <= 0)
		return v;
	for (i = 0; i < n; i++)
		if (opts[i].id == id)
			return opts[i].name;
	return v;
}

/* A stored value as people read it. */
static const char *
value_label(const char *field, const char *v, const struct ticket_choices *c)
{
	enum ticket_status s;

	if (v == NULL || *v == '\0')
		return NULL;
	if (strcmp(field, "status") == 0)
		return (s = ticket_status_parse(v)) < TS__MAX ? ticket_status_label(s, 0) : v;
	if (strcmp(field, "assignee") == 0)
		return named(v, c->agents, c->nagents);
	if (strcmp(field, "team") == 0)
		return named(v, c->teams, c->nteams);
	if (strcmp(field, "queue") == 0)
		return named(v, c->queues, c->nqueues);
	return v;
}

/* What happened, as a sentence after the actor's name. */
static const char *
sentence(struct arena *a, const struct ticket_event *e, const struct ticket_choices *c)
{
	const char *from = value_label(e->field, e->old_value, c);
	const char *to = value_label(e->field, e->new_value, c);

	if (strcmp(e->field, "comment") == 0)
		return strcmp(e->new_value, "internal") == 0 ? "added an internal note" :
		    "wrote a reply";
	if (strcmp(e->field, "created") == 0)
		return arena_printf(a, "opened the ticket (%s)", e->new_value);
	if (strcmp(e->field, "routing") == 0)
		return arena_printf(a, "routed it by the rule “%s”", e->new_value);
	if (strcmp(e->field, "merged_into") == 0)
		return arena_printf(a, "merged this ticket into %s", e->new_value);
	if (strcmp(e->field, "merged_from") == 0)
		return arena_printf(a, "merged %s into this ticket", e->new_value);
	if (strcmp(e->field, "mail_review") == 0)
		return strcmp(e->new_value, "accepted") == 0 ? "accepted an e-mail from a non-party:"
		    " the customer sees it" : "dismissed an e-mail from a non-party: it stays internal";
	if (strcmp(e->field, "escalated") == 0)
		return arena_printf(a, "escalated it: %s", e->new_value);
	if (strcmp(e->field, "first_response") == 0)
		return "gave the first response";
	if (strcmp(e->field, "mention") == 0)
		return arena_printf(a, "mentioned %s", to != NULL ? to : "a colleague");
	if (from != NULL && to != NULL)
		return arena_printf(a, "changed %s from %s to %s", field_label(e->field), from, to);
	if (to != NULL)
		return arena_printf(a, "set %s to %s", field_label(e->field), to);
	return arena_printf(a, "cleared %s%s%s", field_label(e->field), from != NULL ? ", was " : "",
	    from != NULL ? from : "");
}

/* "2026-01-31 14:05" (UTC) as seconds; -1 when it is not one. */
static time_t
utc_of(const char *s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || strptime(s, "%Y-%m-%d %H:%M", &tm) == NULL)
		return -1;
	return timegm(&tm);
}

const char *
console_iso(struct arena *a, const char *when)
{
	if (when == NULL || strlen(when) < 16)
		return "";
	return arena_printf(a, "%.10sT%.5sZ", when, when + 11);
}

const char *
console_ago(struct arena *a, const char *when, time_t now)
{
	time_t t = utc_of(when);
	long long d;

	if (t < 0)
		return when;
	d = (long long)(now - t);
	if (d < 60)
		return "just now";
	if (d < 3600)
		return arena_printf(a, "%lld min ago", d / 60);
	if (d < 86400)
		return arena_printf(a, "%lld h ago", d / 3600);
	if (d < 86400 * 45)
		return arena_printf(a, "%lld day%s ago", d / 86400, d / 86400 == 1 ? "" : "s");
	return when;
}

static int
by_time(const void *x, const void *y)
{
	const struct ticket_event *a = *(const struct ticket_event *const *)x;
	const struct ticket_event *b = *(const struct ticket_event *const *)y;
	int c = strcmp(a->created_at, b->created_at);

	return c != 0 ? c : (a->id > b->id) - (a->id < b->id);
}

int
console_ticket_history_ctx(struct app *app, struct arena *a, struct tval *ctx,
    const struct ticket_event *ev, size_t n, const char *zone)
{
	const struct ticket_event **order = arena_alloc(a, (n + 1) * sizeof(*order));
	struct tval *list = tval_list(a);
	struct ticket_choices c;
	time_t now = time(NULL);
	size_t i;
	int rc = order == NULL || list == NULL;

	if (rc)
		return -1;
	if (ticket_choices_get(&app->db, a, &c) != CS_OK)
		return -2;
	for (i = 0; i < n; i++)
		order[i] = &ev[i];
	qsort(order, n, sizeof(*order), by_time);
	for (i = 0; i < n && !rc; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_str(a, m, "actor", order[i]->actor);
		rc |= tval_set_str(a, m, "what", sentence(a, order[i], &c));
		rc |= tval_set_str(a, m, "at", zone_time_text(a, order[i]->created_at, zone));
		rc |= tval_set_str(a, m, "iso", console_iso(a, order[i]->created_at));
		rc |= tval_set_str(a, m, "ago", console_ago(a, order[i]->created_at, now));
		rc |= tval_push(a, list, m);
	}
	rc |= tval_set_str(a, ctx, "history_zone", zone != NULL ? zone : "UTC");
	return rc ? -1 : tval_set(a, ctx, "history", list);
}
