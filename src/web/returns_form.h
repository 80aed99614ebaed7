/*
 * returns_form.h — the form that asks for a return, shared by the portal
 * (/returns/new) and the console (/agent/returns/new): RETURNS_FORM_LINES
 * numbered line slots (product1, serial1, quantity1, order_ref1,
 * delivered_on1, unit_price1, reason1, request_type1, …), a note, photos
 * (the repeatable file field "photo") and, in the console, the customer's
 * portal address (requester) and the ticket it comes from (ticket).
 *
 * Reading parses each field by its rule (web/fields.h) and turns the slots
 * with a product into return lines; the domain (returns.h) judges them.
 * A refusal is put back at the field and slot the domain names, and the
 * page comes back with every slot as typed. Everything lives in the
 * request's arena.
 */
#ifndef CSDESK_WEB_RETURNS_FORM_H
#define CSDESK_WEB_RETURNS_FORM_H

#include <stddef.h>

#include "domain/returns.h"
#include "domain/tickets.h"
#include "web/fields.h"

struct db_option;
struct tval;

/* Line slots on the form: more lines are another return. */
#define RETURNS_FORM_LINES 3
/* Fields per slot, and on the form in all. */
#define RETURNS_SLOT_FIELDS 8
#define RETURNS_FORM_FIELDS (RETURNS_FORM_LINES * RETURNS_SLOT_FIELDS + 3)

struct returns_form {
	struct field_form f;
	const char *v[RETURNS_FORM_FIELDS];
	long long num[RETURNS_FORM_FIELDS];
	struct return_line_input lines[RETURNS_FORM_LINES];
	int slot[RETURNS_FORM_LINES];		/* the slot (1..) of each line */
	struct return_request req;
	struct ticket_file photos[RETURN_PHOTOS_MAX];
};

/*
 * Reads r's form into rf and fills rf->req (lines, note, photos,
 * requester_email). Returns how many fields failed (their messages are in
 * rf->f, with one at product1 when no slot names a product), or -1 when
 * out of memory.
 */
int returns_form_read(struct req *r, struct returns_form *rf);

/*
 * The non-empty files of the repeatable field "photo" into out (room for
 * RETURN_PHOTOS_MAX), *n of them. 0, or -1 when there were more (the
 * first RETURN_PHOTOS_MAX are kept).
 */
int returns_form_photos(const struct req *r, struct ticket_file *out, size_t *n);

/* An empty form (the page shown first). 0, or -1 when out of memory. */
int returns_form_empty(struct arena *a, struct returns_form *rf);

/* Names the ticket an empty form asks from (the console's ?ticket=). */
void returns_form_for_ticket(struct returns_form *rf, const char *number);

/*
 * Puts the domain's refusal at its field: field of the line-th line's slot
 * (line 1-based), or the field itself when line is 0.
 */
void returns_form_refused(struct returns_form *rf, int line, const char *field,
    const char *why);

/*
 * Puts the form into ctx: "slots" (each with its values, messages and the
 * product, reason and type choices), f and e for the note and requester,
 * and the limits. 0, or -1 when out of memory.
 */
int returns_form_ctx(struct arena *a, struct returns_form *rf, const struct db_option *products,
    size_t nproducts, struct tval *ctx);

/*
 * The form's page tmpl titled title with status (200, 422): the products
 * to choose from read, the form as rf holds it. 0, or the status to
 * answer.
 */
int returns_form_page(struct app *app, struct req *r, struct resp *w, struct returns_form *rf,
    int status, const char *title, const char *tmpl);

/*
 * Reads r's form and asks for the return as by (returns_request). CS_OK
 * leaves *number set and w untouched (the caller says so and redirects);
 * a form the rules or the domain refuse is answered with tmpl again (422)
 * and *number is NULL. Returns 0, or the status to answer.
 */
int returns_form_submit(struct app *app, struct req *r, struct resp *w,
    const struct return_actor *by, const char *title, const char *tmpl, const char **number);

#endif
