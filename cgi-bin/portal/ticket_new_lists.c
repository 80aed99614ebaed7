/* ticket_new_lists.c — see ticket_new_lists.h. */
#include "portal/ticket_new_lists.h"
#include "core/arena.h"
#include "db/db.h"
#include "tmpl/tval.h"

#include <string.h>

/* {id, name, selected} of n options. */
static struct tval *
option_list(struct arena *a, const struct db_option *o, size_t n, long long selected)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; !rc && i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_int(a, m, "id", o[i].id) | tval_set_str(a, m, "name", o[i].name) |
		    tval_set_bool(a, m, "selected", o[i].id == selected) | tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

/* {value, label, selected} of the types; the first when none is chosen. */
static struct tval *
type_list(struct arena *a, const struct ticket_form_lists *l, const char *chosen)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; !rc && i < l->ntypes; i++) {
		struct tval *m = tval_map(a);
		int sel = chosen != NULL ? strcmp(chosen, l->types[i].code) == 0 : i == 0;

		rc |= tval_set_str(a, m, "value", l->types[i].code) |
		    tval_set_str(a, m, "label", l->types[i].label) |
		    tval_set_bool(a, m, "selected", sel) | tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

/*
 * The categories ("categories": top level) and their sub-categories as
 * groups ("subcategories": {id, name, options}), one group per category
 * that has any. Without the script the sub-topic select shows every
 * group; with it (ticket-new.js) only the chosen topic's.
 */
static int
category_lists(struct arena *a, struct tval *ctx, const struct ticket_form_lists *l,
    const struct portal_new_choice *c)
{
	struct tval *tops = tval_list(a), *groups = tval_list(a), *group = NULL, *opts = NULL;
	size_t i;
	int rc = tops == NULL || groups == NULL;
	long long shown = 0;

	for (i = 0; !rc && i < l->ncategories; i++) {
		const struct ticket_form_category *k = &l->categories[i];
		struct tval *m = tval_map(a);

		rc |= tval_set_int(a, m, "id", k->id) | tval_set_str(a, m, "name", k->name);
		if (k->parent_id == 0) {
			rc |= tval_set_bool(a, m, "selected", k->id == c->category) |
			    tval_push(a, tops, m);
			continue;
		}
		rc |= tval_set_bool(a, m, "selected", k->id == c->subcategory);
		if (k->parent_id != shown) {
			/* The list has each category right before its own. */
			const struct ticket_form_category *p = i > 0 ? &l->categories[i - 1] : k;

			shown = k->parent_id;
			group = tval_map(a);
			opts = tval_list(a);
			rc |= group == NULL || opts == NULL;
			if (rc)
				break;
			rc |= tval_set_int(a, group, "id", shown) |
			    tval_set_str(a, group, "name", p->parent_id == 0 ? p->name : "") |
			    tval_set(a, group, "options", opts) | tval_push(a, groups, group);
		}
		rc |= tval_push(a, opts, m);
	}
	rc |= tval_set(a, ctx, "categories", tops) | tval_set(a, ctx, "subcategories", groups) |
	    tval_set_bool(a, ctx, "has_subcategories", shown != 0);
	return rc ? -1 : 0;
}

int
portal_new_lists_ctx(struct arena *a, struct tval *ctx, const struct ticket_form_lists *l,
    const struct portal_new_choice *c)
{
	struct tval *sites = tval_list(a);
	size_t i;
	int rc = sites == NULL;

	for (i = 0; !rc && l->nsites > 1 && i < l->nsites; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_int(a, m, "id", l->sites[i].id) |
		    tval_set_str(a, m, "name", l->sites[i].name) |
		    tval_set_str(a, m, "address", l->sites[i].address) |
		    tval_set_bool(a, m, "selected", l->sites[i].id == c->site) |
		    tval_push(a, sites, m);
	}
	if (l->nsites > 1)
		rc |= tval_set(a, ctx, "sites", sites) | tval_set_bool(a, ctx, "has_sites", 1);
	rc |= tval_set(a, ctx, "types", type_list(a, l, c->type));
	rc |= tval_set(a, ctx, "products", option_list(a, l->products, l->nproducts,
	    c->product));
	rc |= category_lists(a, ctx, l, c);
	return rc ? -1 : 0;
}

const char *
portal_new_lists_check(const struct ticket_form_lists *l, const struct portal_new_choice *c,
    long long *category_id, long long *site_id)
{
	size_t i;

	*category_id = *site_id = 0;
	if (ticket_form_category(l, c->category, c->subcategory, category_id) != CS_OK)
		return "Choose a sub-topic of the topic you chose, or none.";
	if (c->type != NULL) {
		for (i = 0; i < l->ntypes && strcmp(l->types[i].code, c->type) != 0; i++)
			;
		if (i == l->ntypes)
			return "Choose what kind of request it is from the list.";
	}
	if (c->site > 0 && !ticket_form_site_listed(l, c->site))
		return "Choose one of your sites from the list.";
	if (l->nsites > 1 && c->site <= 0)
		return "Choose the site the request is about.";
	*site_id = l->nsites == 1 ? l->sites[0].id : c->site;
	return NULL;
}
