/*
 * ticket_new_lists.h — the lists of the portal's new-request form (type,
 * topic and sub-topic, product, site) as template values, and what the
 * customer chose from them. tickets.c renders and reads the form.
 */
#ifndef CSDESK_PORTAL_TICKET_NEW_LISTS_H
#define CSDESK_PORTAL_TICKET_NEW_LISTS_H

#include "domain/ticket_form_lists.h"
#include "web/app.h"

struct tval;

/* What was chosen (0 or NULL: nothing yet). */
struct portal_new_choice {
	long long category, subcategory, product, site;
	const char *type;
};

/*
 * Sets "types", "categories", "subcategories", "has_subcategories",
 * "products", and "sites" with "has_sites" (only when the customer has
 * several) on ctx, with
 * what c chose selected. 0, or -1 when out of memory.
 */
int portal_new_lists_ctx(struct arena *a, struct tval *ctx, const struct ticket_form_lists *l,
    const struct portal_new_choice *c);

/*
 * The form's choices checked against l: sets *category_id (the
 * sub-category when one was chosen) and *site_id (the only site when the
 * customer has one). NULL, or the sentence to show.
 */
const char *portal_new_lists_check(const struct ticket_form_lists *l,
    const struct portal_new_choice *c, long long *category_id, long long *site_id);

#endif
