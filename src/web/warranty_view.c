/* warranty_view.c — see warranty_view.h. */
#include "web/send_file.h"
#include "web/warranty_view.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/http.h"
#include "domain/product_catalogue.h"
#include "web/app.h"
#include "web/result.h"
#include "db/db.h"
#include "domain/warranty.h"
#include "domain/warranty_claims.h"
#include "tmpl/tval.h"

#include <string.h>

struct tval *
warranty_view_cover(struct arena *a, const struct warranty_coverage *c)
{
	static const char *const names[WARRANTY_PART__MAX] = { "parts", "labour", "travel" };
	struct tval *m = tval_map(a), *list = tval_list(a);
	size_t k;
	int rc = m == NULL || list == NULL;
	int any = 0;

	for (k = 0; k < WARRANTY_PART__MAX && !rc; k++) {
		struct tval *p = tval_map(a);

		any |= c->part[k].covered;
		rc |= p == NULL;
		rc |= tval_set_str(a, p, "name", names[k]);
		rc |= tval_set_bool(a, p, "covered", c->part[k].covered);
		rc |= tval_set_str(a, p, "until", warranty_date_words(a, c->part[k].until));
		rc |= tval_set_bool(a, p, "by_contract", strcmp(c->part[k].by, "contract") == 0);
		rc |= tval_set(a, m, names[k], p);
		rc |= tval_push(a, list, p);
	}
	rc |= tval_set_str(a, m, "words", c->words != NULL ? c->words : "");
	rc |= tval_set_bool(a, m, "any", any);
	rc |= tval_set(a, m, "parts_list", list);
	return rc ? NULL : m;
}

struct tval *
warranty_view_registration(struct arena *a, const struct warranty_registration *g)
{
	struct tval *m = tval_map(a);
	int rc = m == NULL;

	rc |= tval_set_int(a, m, "id", g->id);
	rc |= tval_set_int(a, m, "customer_id", g->customer_id);
	rc |= tval_set_str(a, m, "customer", g->customer);
	rc |= tval_set_str(a, m, "product", g->product);
	rc |= tval_set_str(a, m, "sku", g->sku);
	rc |= tval_set_str(a, m, "model", g->model);
	rc |= tval_set_str(a, m, "serial", g->serial);
	rc |= tval_set_str(a, m, "start_date", warranty_date_words(a, g->start_date));
	rc |= tval_set_str(a, m, "basis", g->basis);
	rc |= tval_set_str(a, m, "source", g->source);
	rc |= tval_set_bool(a, m, "has_proof", *g->proof_name != '\0');
	rc |= tval_set_str(a, m, "proof_name", g->proof_name);
	rc |= tval_set_bool(a, m, "replacement", g->replaces_id > 0);
	rc |= tval_set_int(a, m, "product_id", g->product_id);
	rc |= tval_set_bool(a, m, "has_picture", g->has_picture);
	rc |= tval_set(a, m, "cover", warranty_view_cover(a, &g->cover));
	return rc ? NULL : m;
}

struct tval *
warranty_view_claim(struct arena *a, const struct warranty_claim *c)
{
	struct tval *m = tval_map(a);
	int rc = m == NULL;

	rc |= tval_set_int(a, m, "id", c->id);
	rc |= tval_set_int(a, m, "registration_id", c->registration_id);
	rc |= tval_set_int(a, m, "customer_id", c->customer_id);
	rc |= tval_set_str(a, m, "number", c->number);
	rc |= tval_set_str(a, m, "state", warranty_claim_state_words(c->state));
	rc |= tval_set_str(a, m, "state_name", warranty_claim_state_name(c->state));
	rc |= tval_set_bool(a, m, "waiting", c->state == WC_SUBMITTED ||
	    c->state == WC_UNDER_REVIEW);
	rc |= tval_set_str(a, m, "customer", c->customer);
	rc |= tval_set_str(a, m, "product", c->product);
	rc |= tval_set_str(a, m, "serial", c->serial);
	rc |= tval_set_str(a, m, "ticket_number", c->ticket_number);
	rc |= tval_set_str(a, m, "problem", c->problem);
	rc |= tval_set_str(a, m, "fulfilment", c->fulfilment);
	rc |= tval_set_str(a, m, "labour_cost", c->labour_cost);
	rc |= tval_set_str(a, m, "parts_cost", c->parts_cost);
	rc |= tval_set_str(a, m, "shipping_cost", c->shipping_cost);
	rc |= tval_set_str(a, m, "total", c->total);
	rc |= tval_set_str(a, m, "covered_total", c->covered_total);
	rc |= tval_set_bool(a, m, "labour_covered", c->labour_covered);
	rc |= tval_set_bool(a, m, "parts_covered", c->parts_covered);
	rc |= tval_set_bool(a, m, "shipping_covered", c->shipping_covered);
	rc |= tval_set_str(a, m, "reason", c->last_reason);
	rc |= tval_set_str(a, m, "override_reason", c->override_reason);
	rc |= tval_set_int(a, m, "replacement_id", c->replacement_id);
	rc |= tval_set_str(a, m, "created_at", c->created_at);
	rc |= tval_set_str(a, m, "updated_at", c->updated_at);
	return rc ? NULL : m;
}

struct tval *
warranty_view_claims(struct arena *a, const struct warranty_claim *rows, size_t n)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; i < n && !rc; i++)
		rc |= tval_push(a, list, warranty_view_claim(a, &rows[i]));
	return rc ? NULL : list;
}

struct tval *
warranty_view_options(struct arena *a, const struct db_option *o, size_t n, long long selected)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; i < n && !rc; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_int(a, m, "id", o[i].id);
		rc |= tval_set_str(a, m, "name", o[i].name);
		rc |= tval_set_bool(a, m, "selected", o[i].id == selected);
		rc |= tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

int
warranty_view_picture(struct app *app, struct req *r, struct resp *w, long long id)
{
	const char *type;
	const void *data;
	size_t size;
	enum cs_result rc;

	if (id <= 0)
		return 404;
	rc = product_catalogue_image(&app->db, r->arena, id, &type, &data, &size);
	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : web_result_status(rc);
	return web_send_file(r, w, &(struct web_file){ .type = type, .data = data, .len = size,
	    .cache = "private, max-age=300" });
}
