/* returns_view.c — a return as the pages show it; see returns_view.h. */
#include "web/returns_view.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/http.h"
#include "tmpl/tval.h"
#include "web/fields.h"

#include <stdio.h>
#include <string.h>

/* What f holds for field <field><n> as typed (f may be NULL), else fallback. */
static const char *
typed(const struct field_form *f, struct arena *a, const char *field, long long n,
    const char *fallback)
{
	const char *name = f != NULL ? arena_printf(a, "%s%lld", field, n) : NULL;
	struct tval *v = f != NULL && name != NULL ? tval_get(f->values, name) : NULL;

	return v != NULL && v->type == TVAL_STR ? v->u.str.s : fallback;
}

static const char *
state_label(const char *name)
{
	return return_label(return_state_names, return_state_labels, name);
}

static struct tval *
lines_of(struct arena *a, const struct return_sheet *s, const struct field_form *f)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; !rc && i < s->nlines; i++) {
		const struct return_line *l = &s->lines[i];
		struct tval *m = tval_map(a);

		rc |= m == NULL;
		if (rc)
			break;
		rc |= tval_set_int(a, m, "position", l->position);
		rc |= tval_set_str(a, m, "product", l->product);
		rc |= tval_set_str(a, m, "sku", l->sku);
		rc |= tval_set_str(a, m, "serial", l->serial);
		rc |= tval_set_int(a, m, "quantity", l->quantity);
		rc |= tval_set_int(a, m, "received", l->received);
		rc |= tval_set_str(a, m, "order_ref", l->order_ref);
		rc |= tval_set_str(a, m, "delivered_on", l->delivered_on);
		rc |= tval_set_str(a, m, "unit_price", l->unit_price);
		rc |= tval_set_str(a, m, "reason", return_label(return_reason_names,
		    return_reason_labels, l->reason));
		rc |= tval_set_str(a, m, "request_type", return_label(return_type_names,
		    return_type_labels, l->request_type));
		rc |= tval_set_str(a, m, "window_until", l->window_until);
		rc |= tval_set_str(a, m, "fee_words", l->fee_words);
		rc |= tval_set_str(a, m, "refund", l->refund);
		rc |= tval_set_str(a, m, "credit", l->credit);
		rc |= tval_set_str(a, m, "fee", l->fee);
		rc |= tval_set_bool(a, m, "needs_inspection", l->needs_inspection);
		/* The receiving form: what is still to come, and what was typed. */
		rc |= tval_set_int(a, m, "left", l->quantity - l->received);
		rc |= tval_set_str(a, m, "typed_received", typed(f, a, "received", l->position,
		    ""));
		rc |= tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

static struct tval *
units_of(struct arena *a, const struct return_sheet *s, const struct field_form *f)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; !rc && i < s->nunits; i++) {
		const struct return_unit *u = &s->units[i];
		struct tval *m = tval_map(a);

		rc |= m == NULL;
		if (rc)
			break;
		rc |= tval_set_int(a, m, "id", u->id);
		rc |= tval_set_int(a, m, "line", u->line_position);
		rc |= tval_set_int(a, m, "unit", u->unit);
		rc |= tval_set_str(a, m, "product", u->product);
		rc |= tval_set_str(a, m, "condition", u->condition);
		rc |= tval_set_str(a, m, "disposition", *u->disposition ?
		    return_label(return_disposition_names, return_disposition_labels,
		    u->disposition) : "");
		rc |= tval_set_str(a, m, "outcome", *u->outcome ? return_label(return_outcome_names,
		    return_outcome_labels, u->outcome) : "");
		/* The warehouse's and the settlement's forms: as typed, else as stored. */
		rc |= tval_set_str(a, m, "label", arena_printf(a, "Item %d, unit %d: %s",
		    u->line_position, u->unit, u->product));
		rc |= tval_set_str(a, m, "typed_condition", typed(f, a, "condition", u->id,
		    u->condition));
		rc |= tval_set(a, m, "dispositions", fields_select(a, return_disposition_names,
		    return_disposition_labels, RETURN_DISPOSITIONS, typed(f, a, "disposition",
		    u->id, u->disposition)));
		rc |= tval_set(a, m, "outcomes", fields_select(a, return_outcome_names,
		    return_outcome_labels, RETURN_OUTCOMES, typed(f, a, "outcome", u->id,
		    u->outcome)));
		rc |= tval_set_bool(a, m, "inspected", u->inspected);
		rc |= tval_set_bool(a, m, "needs_inspection", u->needs_inspection);
		rc |= tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

static struct tval *
photos_of(struct arena *a, const struct return_sheet *s, const char *base)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; !rc && i < s->nphotos; i++) {
		struct tval *m = tval_map(a);

		rc |= m == NULL;
		if (rc)
			break;
		rc |= tval_set_str(a, m, "name", s->photos[i].filename);
		rc |= tval_set_bool(a, m, "warehouse", strcmp(s->photos[i].stage, "warehouse") == 0);
		rc |= tval_set_str(a, m, "href", arena_printf(a, "%s/%lld", base, s->photos[i].id));
		rc |= tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

static struct tval *
steps_of(struct arena *a, const struct return_sheet *s)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; !rc && i < s->nsteps; i++) {
		const struct return_step_row *x = &s->steps[i];
		struct tval *m = tval_map(a);

		rc |= m == NULL;
		if (rc)
			break;
		rc |= tval_set_str(a, m, "to", state_label(x->to));
		rc |= tval_set_str(a, m, "who", x->who);
		rc |= tval_set_str(a, m, "note", x->note);
		rc |= tval_set_str(a, m, "at", x->at);
		rc |= tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

int
returns_view_ctx(struct arena *a, const struct return_sheet *s, const char *photo_base,
    const struct field_form *f, struct tval *ctx)
{
	struct tval *m = tval_map(a);
	enum return_state st = return_state_parse(s->state);
	int rc = m == NULL;

	if (rc)
		return -1;
	rc |= tval_set_str(a, m, "number", s->number);
	rc |= tval_set_str(a, m, "state", s->state);
	rc |= tval_set_str(a, m, "state_label", state_label(s->state));
	rc |= tval_set_bool(a, m, arena_printf(a, "state_%s", s->state), 1);
	rc |= tval_set_bool(a, m, "printable", st >= RS_AWAITING_SHIPMENT && st < RS_REJECTED);
	rc |= tval_set_str(a, m, "customer", s->customer);
	rc |= tval_set_str(a, m, "requester", s->requester);
	rc |= tval_set_str(a, m, "requester_email", s->requester_email);
	rc |= tval_set_str(a, m, "note", s->note);
	rc |= tval_set_str(a, m, "outcome_note", s->outcome_note);
	rc |= tval_set_str(a, m, "value", s->value);
	rc |= tval_set_str(a, m, "refund_total", s->refund_total);
	rc |= tval_set_str(a, m, "credit_total", s->credit_total);
	rc |= tval_set_str(a, m, "fee_total", s->fee_total);
	rc |= tval_set_bool(a, m, "settled", st >= RS_REFUNDED && st <= RS_CLOSED);
	rc |= tval_set_str(a, m, "created_at", s->created_at);
	rc |= tval_set_str(a, m, "ship_to", s->ship_to);
	rc |= tval_set_str(a, m, "ticket", s->ticket);
	rc |= tval_set(a, m, "lines", lines_of(a, s, f));
	rc |= tval_set(a, m, "units", units_of(a, s, f));
	rc |= tval_set_bool(a, m, "has_units", s->nunits > 0);
	rc |= tval_set(a, m, "photos", photos_of(a, s, photo_base));
	rc |= tval_set_bool(a, m, "has_photos", s->nphotos > 0);
	rc |= tval_set(a, m, "steps", steps_of(a, s));
	rc |= tval_set(a, ctx, "rma", m);
	return rc ? -1 : 0;
}

struct tval *
returns_view_rows(struct arena *a, const struct return_row *rows, size_t n)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; !rc && i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= m == NULL;
		if (rc)
			break;
		rc |= tval_set_str(a, m, "number", rows[i].number);
		rc |= tval_set_str(a, m, "state", rows[i].state);
		rc |= tval_set_str(a, m, "state_label", state_label(rows[i].state));
		rc |= tval_set_str(a, m, "customer", rows[i].customer);
		rc |= tval_set_str(a, m, "products", rows[i].products);
		rc |= tval_set_str(a, m, "value", rows[i].value);
		rc |= tval_set_str(a, m, "created_at", rows[i].created_at);
		rc |= tval_set_str(a, m, "updated_at", rows[i].updated_at);
		rc |= tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

struct tval *
returns_view_states(struct arena *a, const char *current)
{
	const char *values[RS__MAX + 1], *labels[RS__MAX + 1];
	int i;

	values[0] = "";
	labels[0] = "All states";
	for (i = 0; i < RS__MAX; i++) {
		values[i + 1] = return_state_names[i];
		labels[i + 1] = return_state_labels[i];
	}
	return fields_select(a, values, labels, RS__MAX + 1, current);
}

int
returns_view_photo(struct resp *w, const struct return_photo_file *f)
{
	buf_reset(&w->body);
	buf_add(&w->body, f->data, f->len);
	if (buf_failed(&w->body))
		return 500;
	w->status = 200;
	w->content_type = f->content_type;
	resp_header(w, "Content-Disposition", "inline");
	resp_header(w, "X-Content-Type-Options", "nosniff");
	return 0;
}
