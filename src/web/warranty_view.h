/*
 * warranty_view.h — registrations, coverage and claims as template values,
 * the same in the portal and the console (templates/partials/warranty_*).
 * Each returns a map or list in a, or NULL when out of memory.
 */
#ifndef CSDESK_WEB_WARRANTY_VIEW_H
#define CSDESK_WEB_WARRANTY_VIEW_H

#include <stddef.h>

struct arena;
struct tval;
struct warranty_claim;
struct warranty_coverage;
struct warranty_registration;

/* {words, parts, labour, travel: {name, covered, until, by_contract}}. */
struct tval *warranty_view_cover(struct arena *a, const struct warranty_coverage *c);

/* {id, product, sku, model, serial, start_date, basis, customer, source, has_proof,
 *  replacement, cover}. */
struct tval *warranty_view_registration(struct arena *a, const struct warranty_registration *g);

/* {id, number, state, state_name, product, serial, customer, ticket_number, problem,
 *  fulfilment, costs…, covered…, reason, override_reason, created_at, updated_at}. */
struct tval *warranty_view_claim(struct arena *a, const struct warranty_claim *c);

/* A list of warranty_view_claim of rows. */
struct tval *warranty_view_claims(struct arena *a, const struct warranty_claim *rows, size_t n);

/* A select's options {id, name, selected} of the n choices in o (db_options). */
struct db_option;
struct tval *warranty_view_options(struct arena *a, const struct db_option *o, size_t n,
    long long selected);

/*
 * Answers with product id's picture (product_catalogue_image): 0 with the
 * image in w, 404 when it has none, or the status of the failure.
 */
struct app;
struct req;
struct resp;
int warranty_view_picture(struct app *app, struct req *r, struct resp *w, long long id);

#endif
