/*
 * quick_create.c — a ticket taken while the customer is on the phone or
 * at the desk: GET|POST /agent/tickets/new. One form: find the customer by
 * e-mail or phone (op=search shows the matches to pick from, with
 * everything typed kept), or open a new account in the same submit; then
 * the ticket itself. It goes through ticket_open like every other
 * channel (routing, automatic assignment); the customer's "we received
 * your request" mail follows from its event, and the agent lands on the
 * new ticket.
 * Routes and access (staff) are in cgi-bin/console.c.
 *
 * The contact field says who the ticket is for: "u:<login id>" (a
 * customer's portal login: the requester the mail goes to), "c:<customer
 * id>" (an account without a login: no mail), or "new".
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"
#include "domain/idempotency.h"
#include "domain/audit.h"
#include "domain/intake.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <stdio.h>
#include <string.h>

#define NEW_URL "/agent/tickets/new"

/* The channels a ticket taken by an agent comes from. */
static const char *const channels[] = { "phone", "walk-in", "email", "chat", NULL };
static const char *const channel_labels[] = { "Phone", "Walk-in", "E-mail", "Chat" };
static const char *const priority_labels[] = { "Low", "Medium", "High", "Urgent", "Critical" };

/* One-line fields of the form (the description and the selects apart). */
static const struct field_rule ticket_rules_[] = {
	{ "subject", "Subject", FIELD_TEXT, 1, 1, TICKET_SUBJECT_MAX, NULL },
	{ "serial", "Serial number", FIELD_TEXT, 0, 1, TICKET_SERIAL_MAX, NULL },
	{ "channel", "Channel", FIELD_CHOICE, 1, 0, 0, channels },
	{ "priority", "Priority", FIELD_CHOICE, 1, 0, 0, ticket_priorities },
};
enum { TF_SUBJECT, TF_SERIAL, TF_CHANNEL, TF_PRIORITY, TF__MAX };
_Static_assert(sizeof(ticket_rules_) / sizeof(ticket_rules_[0]) == TF__MAX, "one rule per field");

static const struct field_rule new_rules[] = {
	{ "new_name", "Name", FIELD_TEXT, 1, 1, 200, NULL },
	{ "new_email", "E-mail address", FIELD_EMAIL, 1, 0, 0, NULL },
	{ "new_phone", "Phone", FIELD_TEXT, 0, 1, 40, NULL },
};
enum { NF_NAME, NF_EMAIL, NF_PHONE, NF__MAX };
_Static_assert(sizeof(new_rules) / sizeof(new_rules[0]) == NF__MAX, "one rule per field");

static const struct field_rule find_rule[] = {
	{ "find", "E-mail or phone", FIELD_TEXT, 0, 1, 254, NULL },
};

/* The page state besides f: matches to pick from and the choices. */
struct qc_state {
	struct intake_match *matches;
	size_t nmatches;
	const char *contact;	/* "u:…", "c:…", "new" or "" */
	long long category, product;
	const char *notice;	/* a line above the matches, or NULL */
};

static const char *
contact_value(struct arena *a, const struct intake_match *m)
{
	return m->user_id > 0 ? arena_printf(a, "u:%lld", m->user_id) :
	    arena_printf(a, "c:%lld", m->customer_id);
}

static struct tval *
option_list(struct arena *a, const struct db_option *o, size_t n, long long selected)
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

/* What was typed in field, or fallback when nothing was. */
static const char *
typed_or(const struct field_form *f, const char *field, const char *fallback)
{
	const struct tval *v = tval_get(f->values, field);

	return v != NULL && v->u.str.len > 0 ? v->u.str.s : fallback;
}

/* The form's one-time token, when it came with one (idempotency.h). */
static const char *
form_token(struct req *r)
{
	const char *t = req_field(r, "form_token");

	return idem_key_valid(t) ? t : NULL;
}

static int
qc_render(struct app *app, struct req *r, struct resp *w, struct field_form *f,
    const struct qc_state *st, int status)
{
	struct tval *ctx = app_page(app, r, "New ticket"), *list;
	struct arena *a = r->arena;
	struct db_option *cats, *prods;
	struct tval *chan, *prio;
	size_t nc, np, i;
	int rc = 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if (ticket_categories(&app->db, a, &cats, &nc) != CS_OK ||
	    ticket_products(&app->db, a, &prods, &np) != CS_OK)
		return db_lost(&app->db) ? 503 : 500;
	for (i = 0; i < st->nmatches; i++) {
		const struct intake_match *m = &st->matches[i];
		const char *v = contact_value(a, m);
		struct tval *row = tval_map(a);

		rc |= v == NULL;
		rc |= tval_set_str(a, row, "value", v);
		rc |= tval_set_str(a, row, "customer", m->customer);
		rc |= tval_set_str(a, row, "tier", m->tier);
		rc |= tval_set_str(a, row, "phone", m->phone);
		/* A person's account is often named after them: say it once. */
		rc |= tval_set_str(a, row, "name", strcmp(m->name, m->customer) ? m->name : "");
		rc |= tval_set_str(a, row, "email", m->email);
		rc |= tval_set_int(a, row, "n", (long long)i);
		rc |= tval_set_bool(a, row, "checked", v != NULL && strcmp(v, st->contact) == 0);
		rc |= tval_push(a, list, row);
	}
	rc |= tval_set(a, ctx, "matches", list);
	rc |= tval_set_bool(a, ctx, "new_checked", strcmp(st->contact, "new") == 0 ||
	    (st->nmatches == 0 && *st->contact == '\0'));
	if (st->notice != NULL)
		rc |= tval_set_str(a, ctx, "notice", st->notice);
	rc |= tval_set(a, ctx, "categories", option_list(a, cats, nc, st->category));
	rc |= tval_set(a, ctx, "products", option_list(a, prods, np, st->product));
	chan = fields_select(a, channels, channel_labels, 4, typed_or(f, "channel", "phone"));
	prio = fields_select(a, ticket_priorities, priority_labels, 5,
	    typed_or(f, "priority", "medium"));
	rc |= tval_set(a, ctx, "channel_options", chan);
	rc |= tval_set(a, ctx, "priority_options", prio);
	rc |= fields_ctx(f, ctx);
	/* The form's one-time token lives through its searches (form_token). */
	rc |= tval_set_str(a, ctx, "form_token", form_token(r) != NULL ? form_token(r) :
	    idem_form_token(a));
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/ticket_new", ctx);
}

int
console_ticket_new_form(struct app *app, struct req *r, struct resp *w)
{
	struct qc_state st = { NULL, 0, "", 0, 0, NULL };
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	return qc_render(app, r, w, &f, &st, 200);
}

/* An optional id from a select: 0 when empty; -1 when not an id. */
static long long
optional_id(const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	return web_id(s) > 0 ? web_id(s) : -1;
}

/* Parses "u:12" / "c:7" into ids. 0, or -1 when it is neither. */
static int
contact_parse(const char *v, long long *customer_id, long long *user_id)
{
	*customer_id = *user_id = 0;
	if (v == NULL || strlen(v) < 3 || v[1] != ':')
		return -1;
	if (v[0] == 'u')
		*user_id = web_id(v + 2);
	else if (v[0] == 'c')
		*customer_id = web_id(v + 2);
	return *customer_id > 0 || *user_id > 0 ? 0 : -1;
}

/*
 * The matches for the find field (with the chosen contact added when the
 * search no longer shows it). A term that cannot be searched is an error
 * only when searching was asked for (strict): on create it only finds
 * nothing. 0, or the status to answer.
 */
static int
search(struct app *app, struct req *r, struct field_form *f, struct qc_state *st, int strict)
{
	const char *term;
	long long cid, uid;
	size_t i;

	fields_check(f, r, find_rule, 1, &term, NULL);
	if (f->failed)
		return 500;
	if (*term != '\0') {
		if (strchr(term, '@') == NULL &&
		    intake_phone_digits(term) < INTAKE_PHONE_MIN_DIGITS) {
			if (strict)
				fields_error(f, "find", arena_printf(r->arena, "Type an e-mail address, "
				    "or a phone number with at least %d digits.",
				    INTAKE_PHONE_MIN_DIGITS));
		} else if (intake_find(&app->db, r->arena, term, &st->matches, &st->nmatches) !=
		    CS_OK)
			return web_db_error(app);
	}
	if (contact_parse(st->contact, &cid, &uid) == 0) {
		struct intake_match m, *grown;

		for (i = 0; i < st->nmatches; i++)
			if ((uid > 0 && st->matches[i].user_id == uid) ||
			    (uid == 0 && st->matches[i].user_id == 0 &&
			    st->matches[i].customer_id == cid))
				return 0;
		switch (intake_contact(&app->db, r->arena, cid, uid, &m)) {
		case CS_OK:
			break;
		case CS_NOT_FOUND:
			return 0;
		default:
			return web_db_error(app);
		}
		grown = arena_calloc(r->arena, st->nmatches + 1, sizeof(*grown));
		if (grown == NULL)
			return 500;
		grown[0] = m;
		if (st->nmatches)
			memcpy(grown + 1, st->matches, st->nmatches * sizeof(*grown));
		st->matches = grown;
		st->nmatches++;
	}
	return 0;
}

/* Every field but the contact, checked; values into t, messages into f. */
static void
ticket_fields(struct req *r, struct field_form *f, struct qc_state *st, struct ticket_new *t)
{
	const char *v[TF__MAX], *desc = req_field(r, "description");

	fields_check(f, r, ticket_rules_, TF__MAX, v, NULL);
	t->subject = v[TF_SUBJECT];
	t->serial = v[TF_SERIAL];
	t->channel = v[TF_CHANNEL];
	t->priority = v[TF_PRIORITY];
	/* The description is text over several lines: fields_check is for one
	 * line, and ticket_open judges it. */
	fields_value(f, "description", desc != NULL ? desc : "");
	t->description = desc;
	st->category = optional_id(req_field(r, "category"));
	st->product = optional_id(req_field(r, "product"));
	if (st->category < 0) {
		fields_error(f, "category", "Choose a category from the list.");
		st->category = 0;
	}
	if (st->product < 0) {
		fields_error(f, "product", "Choose a product from the list.");
		st->product = 0;
	}
	t->category_id = st->category;
	t->product_id = st->product;
}

/* The new customer's fields; messages into f. */
static void
new_fields(struct req *r, struct field_form *f, const char **v)
{
	fields_check(f, r, new_rules, NF__MAX, v, NULL);
	if (*v[NF_PHONE] != '\0' && (strspn(v[NF_PHONE], "0123456789+-() ./") !=
	    strlen(v[NF_PHONE]) || intake_phone_digits(v[NF_PHONE]) < INTAKE_PHONE_MIN_DIGITS))
		fields_error(f, "new_phone", arena_printf(r->arena, "Phone takes digits, spaces and "
		    "+ - ( ) . / only, with at least %d digits.", INTAKE_PHONE_MIN_DIGITS));
}

static const char *
field_or_empty(const struct req *r, const char *name)
{
	const char *v = req_field(r, name);

	return v != NULL ? v : "";
}

/* Puts every field back into the form as typed (a search checks none of them). */
static void
keep_typed(const struct req *r, struct field_form *f)
{
	static const char *const fields[] = { "subject", "serial", "channel", "priority",
		"description", "new_name", "new_email", "new_phone" };
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		fields_value(f, fields[i], field_or_empty(r, fields[i]));
}

int
console_ticket_new(struct app *app, struct req *r, struct resp *w)
{
	const char *op = req_field(r, "op"), *nv[NF__MAX], *why = NULL;
	struct qc_state st = { NULL, 0, "", 0, 0, NULL };
	struct ticket_actor_ref by = { TA_STAFF, r->who.id, 0, 0, 0 };
	struct ticket_new t = { 0 };
	struct ticket_opened out;
	struct intake_match who;
	struct audit_entry actor;
	struct intake_account acct;
	struct idem_key once = { IDEM_CONSOLE, 0, NULL, NULL };
	struct field_form f;
	long long cid = 0, uid = 0;
	enum cs_result opened;
	const char *where;
	int rc, searching;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	st.contact = req_field(r, "contact") ? req_field(r, "contact") : "";
	searching = op != NULL && strcmp(op, "search") == 0;
	if ((rc = search(app, r, &f, &st, searching)) != 0)
		return rc;
	/* A search only shows who matches: nothing is checked or saved yet. */
	if (searching) {
		const char *term = tval_get(f.values, "find") != NULL ?
		    tval_get(f.values, "find")->u.str.s : "";

		keep_typed(r, &f);
		st.category = optional_id(req_field(r, "category"));
		st.product = optional_id(req_field(r, "product"));
		if (st.nmatches == 1 && *st.contact == '\0')
			st.contact = contact_value(r->arena, &st.matches[0]);
		if (st.nmatches == 0 && !f.nerrors && *term != '\0') {
			st.notice = "Nobody matches: open a new customer below.";
			st.contact = "new";
			/* What was searched for is most likely the new customer's. */
			if (strchr(term, '@') != NULL && *field_or_empty(r, "new_email") == '\0')
				fields_value(&f, "new_email", term);
			else if (strchr(term, '@') == NULL && *field_or_empty(r, "new_phone") == '\0')
				fields_value(&f, "new_phone", term);
		}
		if (f.failed || st.contact == NULL)
			return 500;
		return qc_render(app, r, w, &f, &st, f.nerrors ? 422 : 200);
	}
	ticket_fields(r, &f, &st, &t);
	if (strcmp(st.contact, "new") == 0) {
		new_fields(r, &f, nv);
	} else {
		for (rc = 0; rc < NF__MAX; rc++)
			fields_value(&f, new_rules[rc].name, field_or_empty(r, new_rules[rc].name));
		if (contact_parse(st.contact, &cid, &uid) < 0)
			fields_error(&f, "contact", "Choose the customer from the matches, or open a "
			    "new one.");
		else if ((rc = intake_contact(&app->db, r->arena, cid, uid, &who)) != CS_OK &&
		    rc != CS_NOT_FOUND)
			return web_db_error(app);
		else if (rc == CS_NOT_FOUND)
			fields_error(&f, "contact", "That customer is no longer active: search again.");
		else {
			cid = who.customer_id;
			uid = who.user_id;
		}
	}
	if (f.failed)
		return 500;
	if (f.nerrors)
		return qc_render(app, r, w, &f, &st, 422);
	/* The new account and its first ticket are one change; a double submit
	 * or a retry after a timeout lands on the first's ticket. */
	once.owner_id = r->who.id;
	once.key = form_token(r);
	t.once = once.key != NULL ? &once : NULL;
	t.customer_id = cid;
	t.requester_id = uid;
	t.ip = r->remote_addr;
	if (strcmp(st.contact, "new") == 0) {
		web_audit_actor(r, &actor);
		acct.name = nv[NF_NAME];
		acct.email = nv[NF_EMAIL];
		acct.phone = nv[NF_PHONE];
		acct.language = "en";
		acct.by = &actor;
	}
	opened = intake_open(&app->db, r->arena, &by, strcmp(st.contact, "new") == 0 ? &acct :
	    NULL, &t, &out, &why);
	if (opened == CS_TAKEN) {
		fields_error(&f, "new_email", "A customer already signs in with that address: "
		    "search for it above.");
		return qc_render(app, r, w, &f, &st, 422);
	}
	if (opened == CS_REFUSED) {
		fields_error(&f, "ticket", why != NULL ? why : "The ticket was refused.");
		return qc_render(app, r, w, &f, &st, 422);
	}
	if (opened != CS_OK)	/* CS_CONFLICT: the first send is still running */
		return opened == CS_CONFLICT ? web_result_status(opened) : web_db_error(app);
	where = arena_printf(r->arena, "/agent/tickets/%s", out.number);
	if (out.replayed) {
		resp_redirect(w, where);
		return 0;
	}
	web_flash(app, r, w, "Ticket %s was created.", out.number);
	resp_redirect(w, where);
	return 0;
}
