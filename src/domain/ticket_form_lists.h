/*
 * ticket_form_lists.h — what the portal's new-request form offers, read in
 * one round trip: the active ticket types (an admin's list, 046), the
 * active categories with their sub-categories (one level), the active
 * products, and the customer's active sites.
 *
 * Runs as the portal's role: row-level security keeps the sites to the
 * signed-in customer's. Strings come back in the arena given.
 */
#ifndef CSDESK_TICKET_FORM_LISTS_H
#define CSDESK_TICKET_FORM_LISTS_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;
struct db_option;

struct ticket_form_type {
	const char *code, *label;
};

/* A category (parent_id 0) or one of its sub-categories. */
struct ticket_form_category {
	long long id, parent_id;
	const char *name;
};

struct ticket_form_site {
	long long id;
	const char *name, *address;
};

struct ticket_form_lists {
	struct ticket_form_type *types;		/* by position */
	size_t ntypes;
	/* Categories by position, each followed by its sub-categories. */
	struct ticket_form_category *categories;
	size_t ncategories;
	struct db_option *products;		/* by name */
	size_t nproducts;
	struct ticket_form_site *sites;		/* by name */
	size_t nsites;
};

/* Fills l for customer_id. CS_OK or the failure. */
enum cs_result ticket_form_lists_get(struct db *db, struct arena *a, long long customer_id,
    struct ticket_form_lists *l);

/*
 * The category a ticket gets from a form's two choices: the sub-category
 * when one is chosen (it must belong to the category, when one is chosen
 * too), else the category. Sets *id (0: none). CS_OK, or CS_REFUSED when
 * the choices are not among l's or do not fit together.
 */
enum cs_result ticket_form_category(const struct ticket_form_lists *l, long long category,
    long long subcategory, long long *id);

/* Whether site is one of l's. */
int ticket_form_site_listed(const struct ticket_form_lists *l, long long site);

#endif
