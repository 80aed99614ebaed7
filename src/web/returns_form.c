/* returns_form.c — the form that asks for a return; see returns_form.h. */
#include "web/returns_form.h"
#include "core/arena.h"
#include "core/http.h"
#include "db/db.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <stdio.h>
#include <string.h>

/* One slot's rules; the numbers only parse (the domain judges the limits). */
#define SLOT(n) \
	{ "product" #n, "Product", FIELD_INT, 0, 1, 1LL << 62, NULL }, \
	{ "serial" #n, "Serial number", FIELD_TEXT, 0, 0, 0, NULL }, \
	{ "quantity" #n, "Quantity", FIELD_INT, 0, 0, 1000000, NULL }, \
	{ "order_ref" #n, "Order number", FIELD_TEXT, 0, 0, 0, NULL }, \
	{ "delivered_on" #n, "Delivery date", FIELD_TEXT, 0, 0, 0, NULL }, \
	{ "unit_price" #n, "Price paid per unit", FIELD_TEXT, 0, 0, 0, NULL }, \
	{ "reason" #n, "Reason", FIELD_CHOICE, 0, 0, 0, return_reason_names }, \
	{ "request_type" #n, "What you would like", FIELD_CHOICE, 0, 0, 0, return_type_names },

static const struct field_rule rules[] = {
	SLOT(1) SLOT(2) SLOT(3)
	{ "note", "Note", FIELD_LINES, 0, 0, 0, NULL },
	{ "requester", "Customer's e-mail", FIELD_TEXT, 0, 0, 0, NULL },
	{ "ticket", "Ticket", FIELD_TEXT, 0, 0, 0, NULL },
};
_Static_assert(sizeof(rules) / sizeof(rules[0]) == RETURNS_FORM_FIELDS, "one rule per field");
_Static_assert(RETURNS_FORM_LINES == 3, "SLOT() once per line slot");

/* A slot's fields, in SLOT order; the field names without the number. */
enum { F_PRODUCT, F_SERIAL, F_QUANTITY, F_ORDER, F_DELIVERED, F_PRICE, F_REASON, F_TYPE };
static const char *const slot_fields[RETURNS_SLOT_FIELDS] = {
	"product", "serial", "quantity", "order_ref", "delivered_on", "unit_price", "reason",
	"request_type",
};
#define F_NOTE (RETURNS_FORM_LINES * RETURNS_SLOT_FIELDS)
#define F_REQUESTER (F_NOTE + 1)
#define F_TICKET (F_NOTE + 2)

/* Index of field k of slot s (0-based) in rules. */
#define AT(s, k) ((s) * RETURNS_SLOT_FIELDS + (k))

int
returns_form_empty(struct arena *a, struct returns_form *rf)
{
	size_t i;

	memset(rf, 0, sizeof(*rf));
	if (fields_init(&rf->f, a) < 0)
		return -1;
	for (i = 0; i < RETURNS_FORM_FIELDS; i++)
		rf->v[i] = "";
	return 0;
}

void
returns_form_for_ticket(struct returns_form *rf, const char *number)
{
	rf->v[F_TICKET] = number != NULL ? number : "";
}

/* Non-zero when slot s has anything typed in it but its choices. */
static int
slot_used(const struct returns_form *rf, int s)
{
	int k;

	for (k = F_PRODUCT; k <= F_PRICE; k++)
		if (*rf->v[AT(s, k)] != '\0')
			return 1;
	return 0;
}

int
returns_form_photos(const struct req *r, struct ticket_file *out, size_t *n)
{
	size_t i;

	*n = 0;
	for (i = 0; i < r->body.nfiles; i++) {
		const struct form_file *f = &r->body.files[i];

		if (strcmp(f->field, "photo") != 0 || f->len == 0)
			continue;
		if (*n == RETURN_PHOTOS_MAX)
			return -1;
		out[*n].filename = f->filename;
		out[*n].content_type = f->content_type;
		out[*n].data = f->data;
		out[*n].len = f->len;
		(*n)++;
	}
	return 0;
}

int
returns_form_read(struct req *r, struct returns_form *rf)
{
	size_t n = 0;
	int s;

	if (returns_form_empty(r->arena, rf) < 0)
		return -1;
	fields_check(&rf->f, r, rules, RETURNS_FORM_FIELDS, rf->v, rf->num);
	if (rf->f.failed)
		return -1;
	for (s = 0; s < RETURNS_FORM_LINES; s++) {
		struct return_line_input *l = &rf->lines[n];

		if (!slot_used(rf, s))
			continue;
		if (rf->num[AT(s, F_PRODUCT)] <= 0) {
			returns_form_refused(rf, 0, arena_printf(r->arena, "product%d", s + 1),
			    "Choose the product from the list.");
			continue;
		}
		l->product_id = rf->num[AT(s, F_PRODUCT)];
		l->serial = rf->v[AT(s, F_SERIAL)];
		l->quantity = (int)rf->num[AT(s, F_QUANTITY)];
		l->order_ref = rf->v[AT(s, F_ORDER)];
		l->delivered_on = rf->v[AT(s, F_DELIVERED)];
		l->unit_price = rf->v[AT(s, F_PRICE)];
		l->reason = rf->v[AT(s, F_REASON)];
		l->request_type = rf->v[AT(s, F_TYPE)];
		rf->slot[n++] = s + 1;
	}
	if (n == 0 && rf->f.nerrors == 0)
		fields_error(&rf->f, "product1", "Add at least one product to return.");
	rf->req.lines = rf->lines;
	rf->req.nlines = n;
	rf->req.note = rf->v[F_NOTE];
	rf->req.requester_email = rf->v[F_REQUESTER];
	rf->req.ticket_number = rf->v[F_TICKET];
	if (returns_form_photos(r, rf->photos, &rf->req.nphotos) < 0)
		fields_error(&rf->f, "photo", "Attach at most 5 photos.");
	rf->req.photos = rf->photos;
	return rf->f.failed ? -1 : rf->f.nerrors;
}

void
returns_form_refused(struct returns_form *rf, int line, const char *field, const char *why)
{
	char name[48];
	int k, slot = 1;

	if (field == NULL)
		field = "product";
	if (line > 0 && line <= RETURNS_FORM_LINES && rf->slot[line - 1] > 0)
		slot = rf->slot[line - 1];
	/* A line's field is the slot's; the note, requester, ticket and photos are the form's. */
	for (k = 0; k < RETURNS_SLOT_FIELDS; k++)
		if (strcmp(field, slot_fields[k]) == 0) {
			snprintf(name, sizeof(name), "%s%d", field, slot);
			field = name;
			break;
		}
	fields_error(&rf->f, arena_strdup(rf->f.a, field), why);
}

static struct tval *
product_choices(struct arena *a, const struct db_option *o, size_t n, long long current)
{
	struct tval *list = tval_list(a);
	size_t i;

	for (i = 0; list != NULL && i < n; i++) {
		struct tval *m = tval_map(a);

		if (m == NULL || tval_set_int(a, m, "id", o[i].id) < 0 ||
		    tval_set_str(a, m, "name", o[i].name) < 0 ||
		    tval_set_bool(a, m, "selected", o[i].id == current) < 0 ||
		    tval_push(a, list, m) < 0)
			return NULL;
	}
	return list;
}

int
returns_form_ctx(struct arena *a, struct returns_form *rf, const struct db_option *products,
    size_t nproducts, struct tval *ctx)
{
	struct tval *slots = tval_list(a);
	int s, k, rc = slots == NULL;

	for (s = 0; !rc && s < RETURNS_FORM_LINES; s++) {
		struct tval *m = tval_map(a), *e = tval_map(a);

		rc |= m == NULL || e == NULL;
		if (rc)
			break;
		rc |= tval_set_int(a, m, "n", s + 1);
		for (k = 0; k < RETURNS_SLOT_FIELDS; k++) {
			const char *name = arena_printf(a, "%s%d", slot_fields[k], s + 1);
			struct tval *msg = name != NULL ? tval_get(rf->f.errors, name) : NULL;

			rc |= name == NULL;
			rc |= tval_set_str(a, m, slot_fields[k], rf->v[AT(s, k)]);
			if (msg != NULL)
				rc |= tval_set(a, e, slot_fields[k], msg);
		}
		rc |= tval_set(a, m, "e", e);
		rc |= tval_set(a, m, "products", product_choices(a, products, nproducts,
		    rf->num[AT(s, F_PRODUCT)]));
		rc |= tval_set(a, m, "reasons", fields_select(a, return_reason_names,
		    return_reason_labels, RETURN_REASONS, rf->v[AT(s, F_REASON)]));
		rc |= tval_set(a, m, "types", fields_select(a, return_type_names, return_type_labels,
		    RETURN_TYPES, rf->v[AT(s, F_TYPE)]));
		rc |= tval_push(a, slots, m);
	}
	if (rc)
		return -1;
	fields_value(&rf->f, "note", rf->v[F_NOTE]);
	fields_value(&rf->f, "requester", rf->v[F_REQUESTER]);
	fields_value(&rf->f, "ticket", rf->v[F_TICKET]);
	rc |= tval_set(a, ctx, "slots", slots);
	rc |= tval_set_int(a, ctx, "max_photos", RETURN_PHOTOS_MAX);
	rc |= fields_ctx(&rf->f, ctx);
	return rc ? -1 : 0;
}

int
returns_form_page(struct app *app, struct req *r, struct resp *w, struct returns_form *rf,
    int status, const char *title, const char *tmpl)
{
	struct tval *ctx = app_page(app, r, title);
	struct db_option *prods;
	size_t np;

	if (ctx == NULL)
		return 500;
	if (ticket_products(&app->db, r->arena, &prods, &np) != CS_OK)
		return 503;
	if (returns_form_ctx(r->arena, rf, prods, np, ctx) < 0)
		return 500;
	w->status = status;
	return app_render(app, r, w, tmpl, ctx);
}

int
returns_form_submit(struct app *app, struct req *r, struct resp *w,
    const struct return_actor *by, const char *title, const char *tmpl, const char **number)
{
	struct returns_form *rf = arena_alloc(r->arena, sizeof(*rf));
	const char *why = NULL, *field = NULL;
	int line = 0, bad;
	enum cs_result rc;

	*number = NULL;
	if (rf == NULL || (bad = returns_form_read(r, rf)) < 0)
		return 500;
	if (bad > 0)
		return returns_form_page(app, r, w, rf, 422, title, tmpl);
	rc = returns_request(&app->db, r->arena, by, &rf->req, number, &why, &line, &field);
	if (rc == CS_REFUSED) {
		returns_form_refused(rf, line, field, why);
		return returns_form_page(app, r, w, rf, 422, title, tmpl);
	}
	return rc == CS_OK ? 0 : web_result_status(rc);
}
