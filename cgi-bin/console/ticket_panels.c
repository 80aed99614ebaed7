/*
 * ticket_panels.c — the console ticket page's side: the choices of its
 * forms (status moves, the resolve form's codes, assignment, fields, link
 * and merge) and the collaboration and customer panels (who else is on
 * it, links, time per agent, the customer, their contacts, products and
 * other recent tickets). ticket_page.c assembles the page.
 */
#include "console/ticket_page.h"
#include "console/tickets.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/collab_panel.h"
#include "domain/ticket_choices.h"
#include "domain/ticket_list.h"
#include "domain/ticket_rules.h"
#include "domain/ticket_sheet.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"

#include <string.h>

/* Other tickets of the same customer shown on the page. */

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
		rc |= console_tickets_option(a, list, arena_lld(a, o[i].id), o[i].name,
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

/*
 * Options of n words with their labels. A current word not among them (a
 * type deactivated since) is offered too, so that saving the form keeps it.
 */
static struct tval *
labelled_list(struct arena *a, const char *const *words, const char *const *labels, size_t n,
    const char *current)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL, found = 0;

	for (i = 0; i < n; i++) {
		found |= strcmp(words[i], current) == 0;
		rc |= console_tickets_option(a, list, words[i], labels[i],
		    strcmp(words[i], current) == 0);
	}
	if (!found)
		rc |= console_tickets_option(a, list, current, current, 1);
	return rc ? NULL : list;
}

int
console_ticket_forms_ctx(struct app *app, struct arena *a, struct tval *ctx,
    const struct ticket *t, const struct ticket_view *v)
{
	enum ticket_status next[TS__MAX];
	struct ticket_choices c;
	struct tval *moves = tval_list(a), *codes = tval_list(a), *fields = tval_map(a);
	struct tval *resolve = tval_map(a);
	const char *code = v->resolution_code != NULL ? v->resolution_code : "";
	size_t i;
	int k, count, nmoves = 0, can_resolve = 0;
	int rc = moves == NULL || codes == NULL || fields == NULL || resolve == NULL;

	if (ticket_choices_get(&app->db, a, &c) != CS_OK)
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
	rc |= tval_set(a, ctx, "type_options", labelled_list(a, c.types, c.type_labels, c.ntypes,
	    t->type));
	rc |= tval_set(a, ctx, "category_options", console_tickets_choices(a, c.categories,
	    c.ncategories, t->category_id, "None"));
	rc |= tval_set(a, ctx, "product_options", option_list(a, c.products, c.nproducts, t->product_id,
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
 * The fields form's sites: the customer's, read with the panel, "None"
 * first; a deactivated one only when it is the ticket's (kept on save).
 */
static int
site_options(struct arena *a, struct tval *ctx, const struct ticket *t,
    const struct collab_customer *c)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	rc |= console_tickets_option(a, list, "", "None", t->site_id <= 0);
	for (i = 0; i < c->nsites; i++)
		rc |= console_tickets_option(a, list, arena_lld(a, c->sites[i].id),
		    c->sites[i].active ? c->sites[i].name : arena_printf(a, "%s (inactive)",
		    c->sites[i].name), c->sites[i].id == t->site_id);
	rc |= tval_set(a, ctx, "site_options", list);
	return rc | tval_set_bool(a, ctx, "has_sites", c->nsites > 0);
}

/* The panel read with the page, then the customer's other recent tickets. */
int
console_ticket_collab_ctx(struct req *r, struct tval *ctx, const struct ticket *t,
    const struct ticket_sheet *s)
{
	struct arena *a = r->arena;
	const struct collab_panel p = s->collab;
	const struct collab_customer *c = &p.customer;
	struct tval *presence = tval_list(a), *links = tval_list(a), *time = tval_list(a);
	struct tval *cust = tval_map(a), *contacts = tval_list(a), *products = tval_list(a);
	struct tval *others = tval_list(a);
	size_t i;
	int rc = presence == NULL || links == NULL || time == NULL || cust == NULL ||
	    contacts == NULL || products == NULL || others == NULL;

	if (rc || site_options(a, ctx, t, c) != 0)
		return -1;
	for (i = 0; i < s->nrecent; i++)
		rc |= tval_push(a, others, console_tickets_row(a, &s->recent[i], r->who.time_zone));
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

