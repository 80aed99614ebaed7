/*
 * tickets.c — a customer's requests: GET /tickets, GET /tickets/new,
 * POST /tickets, GET /tickets/{number}, POST /tickets/{number}/replies,
 * POST /tickets/{number}/confirm, POST /tickets/{number}/reopen,
 * GET /tickets/{number}/attachments/{id}.
 *
 * Every read and change goes through domain/tickets.h as the signed-in
 * customer, inside the request's transaction scoped to their account: a
 * ticket that is not theirs is not found (404), never forbidden. The
 * confirmation mail and the audit rows follow from the use cases' events
 * (ticket_consumers.h); the handlers only parse (a table of field rules
 * per form, web/fields.h), call and answer.
 */
#include "portal/handlers.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/idempotency.h"
#include "domain/ticket_sheet.h"
#include "domain/ticket_rules.h"
#include "domain/tickets.h"
#include "portal/ticket_new_lists.h"
#include "tmpl/tval.h"
#include "web/send_file.h"
#include "web/fields.h"
#include "web/markdown.h"
#include "web/result.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static struct ticket_actor_ref
actor(const struct req *r)
{
	struct ticket_actor_ref by = { TA_CUSTOMER, r->who.id, r->who.customer_id,
		r->who.account_admin, 0 };

	return by;
}

/* The files sent in the repeatable field "attachment"; -1 past the limit. */
static int
uploads(struct req *r, struct ticket_file **out, size_t *n)
{
	size_t i, k = 0;

	*out = NULL;
	*n = 0;
	for (i = 0; i < r->body.nfiles; i++)
		if (strcmp(r->body.files[i].field, "attachment") == 0)
			k++;
	if (k == 0)
		return 0;
	if (k > TICKET_FILES_MAX)
		return -1;
	if ((*out = arena_calloc(r->arena, k, sizeof(**out))) == NULL)
		return -1;
	for (i = 0; i < r->body.nfiles; i++) {
		const struct form_file *f = &r->body.files[i];

		if (strcmp(f->field, "attachment") != 0)
			continue;
		(*out)[*n].filename = f->filename;
		(*out)[*n].content_type = f->content_type;
		(*out)[*n].data = f->data;
		(*out)[*n].len = f->len;
		(*n)++;
	}
	return 0;
}

static const char *
size_words(struct arena *a, long long n)
{
	if (n >= 1024 * 1024)
		return arena_printf(a, "%.1f MB", (double)n / (1024.0 * 1024.0));
	if (n >= 1024)
		return arena_printf(a, "%lld KB", (n + 1023) / 1024);
	return arena_printf(a, "%lld bytes", n);
}

static struct tval *
files_list(struct arena *a, const char *number, const struct ticket_attachment_ref *f, size_t n)
{
	struct tval *list = tval_list(a);
	size_t i;

	for (i = 0; list != NULL && i < n; i++) {
		struct tval *m = tval_map(a);

		tval_set_str(a, m, "name", f[i].filename);
		tval_set_str(a, m, "size", size_words(a, f[i].size));
		tval_set_str(a, m, "href", arena_printf(a, "/tickets/%s/attachments/%lld",
		    number, f[i].id));
		tval_push(a, list, m);
	}
	return list;
}

/* ---- the list ----------------------------------------------------------- */

static const char *const list_filters[][2] = {
	{ "", "All" }, { "open", "Open" }, { "pending_customer", "Waiting for you" },
	{ "resolved", "Solved" }, { "closed", "Closed" },
};

int
portal_tickets(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by = actor(r);
	struct ticket_page pg = { NULL, 0, 25 };
	struct ticket_row *rows;
	struct tval *ctx = app_page(app, r, "My requests"), *list, *filters;
	const char *status = req_query(r, "status");
	long long next;
	size_t n, i;

	if (ctx == NULL || (list = tval_list(r->arena)) == NULL ||
	    (filters = tval_list(r->arena)) == NULL)
		return 500;
	if (status == NULL || (strcmp(status, "open") != 0 &&
	    ticket_status_parse(status) == TS__MAX))
		status = "";
	pg.status = status;
	if (web_query_key(r, "before", &pg.before_id) < 0)
		return app_bad_query(app, r, w, "before", NULL, NULL);
	if (ticket_list_for_customer(&app->db, r->arena, &by, &pg, &rows, &n, &next) != CS_OK)
		return 503;
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(r->arena);

		tval_set_str(r->arena, m, "number", rows[i].number);
		tval_set_str(r->arena, m, "subject", rows[i].subject);
		tval_set_str(r->arena, m, "status", rows[i].status_label);
		tval_set_str(r->arena, m, "status_name", rows[i].status_name);
		tval_set_bool(r->arena, m, "waiting", strcmp(rows[i].status_name,
		    "pending_customer") == 0 || strcmp(rows[i].status_name, "resolved") == 0);
		tval_set_str(r->arena, m, "priority", rows[i].priority);
		tval_set_str(r->arena, m, "updated_at", rows[i].updated_at);
		tval_set_str(r->arena, m, "assignee", rows[i].assignee);
		tval_push(r->arena, list, m);
	}
	for (i = 0; i < sizeof(list_filters) / sizeof(list_filters[0]); i++) {
		struct tval *m = tval_map(r->arena);

		tval_set_str(r->arena, m, "value", list_filters[i][0]);
		tval_set_str(r->arena, m, "label", list_filters[i][1]);
		tval_set_bool(r->arena, m, "selected", strcmp(status, list_filters[i][0]) == 0);
		tval_push(r->arena, filters, m);
	}
	tval_set(r->arena, ctx, "tickets", list);
	tval_set_bool(r->arena, ctx, "has_tickets", n > 0);
	tval_set(r->arena, ctx, "filters", filters);
	tval_set_bool(r->arena, ctx, "filtered", status[0] != '\0' || pg.before_id != 0);
	tval_set_bool(r->arena, ctx, "account_wide", r->who.account_admin);
	if (next != 0)
		tval_set_str(r->arena, ctx, "older", status[0] != '\0' ?
		    arena_printf(r->arena, "/tickets?status=%s&before=%lld", status, next) :
		    arena_printf(r->arena, "/tickets?before=%lld", next));
	return app_render(app, r, w, "portal/tickets", ctx);
}

/* ---- a new request ------------------------------------------------------ */

static const char *const urgencies[][2] = {
	{ "low", "Low: it can wait" }, { "normal", "Normal" },
	{ "high", "High: I cannot work" },
};

/* The form, with what c chose (NULL: nothing yet) and the typed texts of a POST. */
static int
new_form(struct app *app, struct req *r, struct resp *w, int status, const char *error,
    const struct portal_new_choice *c, const char *urgency)
{
	struct tval *ctx = app_page(app, r, "New request"), *form, *urg;
	struct portal_new_choice none = { 0 };
	struct ticket_form_lists lists;
	size_t i;

	if (ctx == NULL || (form = tval_map(r->arena)) == NULL ||
	    (urg = tval_list(r->arena)) == NULL)
		return 500;
	if (ticket_form_lists_get(&app->db, r->arena, r->who.customer_id, &lists) != CS_OK)
		return 503;
	if (urgency == NULL)
		urgency = "normal";
	for (i = 0; i < sizeof(urgencies) / sizeof(urgencies[0]); i++) {
		struct tval *m = tval_map(r->arena);

		tval_set_str(r->arena, m, "value", urgencies[i][0]);
		tval_set_str(r->arena, m, "label", urgencies[i][1]);
		tval_set_bool(r->arena, m, "checked", strcmp(urgency, urgencies[i][0]) == 0);
		tval_push(r->arena, urg, m);
	}
	if (r->method == HTTP_POST) {
		tval_set_str(r->arena, form, "subject", req_field(r, "subject"));
		tval_set_str(r->arena, form, "description", req_field(r, "description"));
		tval_set_str(r->arena, form, "serial", req_field(r, "serial"));
	}
	tval_set(r->arena, ctx, "form", form);
	if (portal_new_lists_ctx(r->arena, ctx, &lists, c != NULL ? c : &none) < 0)
		return 500;
	tval_set(r->arena, ctx, "urgencies", urg);
	tval_set_int(r->arena, ctx, "max_files", TICKET_FILES_MAX);
	/* One ticket per form shown, however often it is sent (ticket_open claims it). */
	tval_set_str(r->arena, ctx, "form_token", idem_form_token(r->arena));
	if (error != NULL)
		tval_set_str(r->arena, ctx, "error", error);
	/* Knowledge base: articles matching the subject (a search's "no
	 * results" link brings it in the query). */
	if (r->method != HTTP_POST)
		tval_set_str(r->arena, form, "subject", req_query(r, "subject"));
	if (portal_kb_ticket_form(app, r, ctx, r->method == HTTP_POST ? req_field(r, "subject") :
	    req_query(r, "subject")) < 0)
		return 503;
	w->status = status;
	return app_render(app, r, w, "portal/ticket_new", ctx);
}

int
portal_ticket_new(struct app *app, struct req *r, struct resp *w)
{
	return new_form(app, r, w, 200, NULL, NULL, NULL);
}

/*
 * The new request's form. Texts and words are judged by the domain
 * (tickets.h); the type, topic, sub-topic, product and site come from
 * lists (ticket_new_lists.h).
 */
static const struct field_rule new_rules[] = {
	{ "subject", "Subject", FIELD_TEXT, 0, 0, 0, NULL },
	{ "description", "Description", FIELD_LINES, 0, 0, 0, NULL },
	{ "serial", "Serial number", FIELD_TEXT, 0, 0, 0, NULL },
	{ "urgency", "Urgency", FIELD_TEXT, 0, 0, 0, NULL },
	{ "category", "Category", FIELD_INT, 0, 1, 1LL << 62, NULL },
	{ "product", "Product", FIELD_INT, 0, 1, 1LL << 62, NULL },
	{ "kb_token", "Search", FIELD_TEXT, 0, 0, 0, NULL },
	{ "form_token", "Form", FIELD_TEXT, 0, 0, IDEM_KEY_MAX, NULL },
	{ "subcategory", "Sub-topic", FIELD_INT, 0, 1, 1LL << 62, NULL },
	{ "site", "Site", FIELD_INT, 0, 1, 1LL << 62, NULL },
	{ "type", "Kind of request", FIELD_TEXT, 0, 0, TICKET_TYPE_MAX, NULL },
};
enum { N_SUBJECT, N_DESCRIPTION, N_SERIAL, N_URGENCY, N_CATEGORY, N_PRODUCT, N_KB, N_TOKEN,
	N_SUBCATEGORY, N_SITE, N_TYPE, N__MAX };
_Static_assert(sizeof(new_rules) / sizeof(new_rules[0]) == N__MAX, "one rule per field");

/* The new request's form, read. */
struct new_fields {
	struct field_form f;
	const char *v[N__MAX];
	long long n[N__MAX];
	const char *error;		/* the one line shown, or NULL */
	struct portal_new_choice choice;
};

/* Reads the form into nf. 0, or -1 when out of memory. */
static int
new_read(struct req *r, struct new_fields *nf)
{
	if (fields_init(&nf->f, r->arena) < 0)
		return -1;
	fields_check(&nf->f, r, new_rules, N__MAX, nf->v, nf->n);
	if (nf->f.failed)
		return -1;
	if (*nf->v[N_URGENCY] == '\0')
		nf->v[N_URGENCY] = "normal";
	nf->error = NULL;
	nf->choice.category = nf->n[N_CATEGORY];
	nf->choice.subcategory = nf->n[N_SUBCATEGORY];
	nf->choice.product = nf->n[N_PRODUCT];
	nf->choice.site = nf->n[N_SITE];
	nf->choice.type = *nf->v[N_TYPE] != '\0' ? nf->v[N_TYPE] : NULL;
	if (tval_get(nf->f.errors, "category") != NULL || tval_get(nf->f.errors, "product") != NULL ||
	    tval_get(nf->f.errors, "subcategory") != NULL || tval_get(nf->f.errors, "site") != NULL ||
	    tval_get(nf->f.errors, "type") != NULL)
		nf->error = "Choose from the lists.";
	else if (nf->f.nerrors > 0)
		nf->error = fields_first_error(&nf->f);
	return 0;
}

/* "" (not given) as NULL. */
static const char *
given(const char *v)
{
	return *v != '\0' ? v : NULL;
}

/* POST /tickets/new: the form again with articles for its subject (the
 * "Find answers" button, for browsers without the suggestion script). */
int
portal_ticket_new_check(struct app *app, struct req *r, struct resp *w)
{
	struct new_fields nf;

	if (new_read(r, &nf) < 0)
		return 500;
	return new_form(app, r, w, 200, NULL, &nf.choice, nf.v[N_URGENCY]);
}

/*
 * Too many, too fast: says when to come back (Retry-After) and keeps the
 * sentence for the page. 0, or -1 when out of memory.
 */
static int
slow_down(struct req *r, struct resp *w, int seconds, const char *why)
{
	if (why == NULL)
		return -1;
	resp_header(w, "Retry-After", arena_printf(r->arena, "%d", seconds > 0 ? seconds : 1));
	return 0;
}

int
portal_ticket_create(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by = actor(r);
	struct ticket_new t = { 0 };
	struct ticket_form_lists lists;
	struct ticket_opened out;
	struct ticket_file *files;
	struct new_fields nf;
	const char *why = NULL, *where;
	struct idem_key once = { IDEM_PORTAL, 0, NULL, NULL };
	enum cs_result rc;

	if (new_read(r, &nf) < 0)
		return 500;
	if (nf.error == NULL) {
		if (ticket_form_lists_get(&app->db, r->arena, r->who.customer_id, &lists) != CS_OK)
			return 503;
		nf.error = portal_new_lists_check(&lists, &nf.choice, &t.category_id, &t.site_id);
	}
	if (nf.error != NULL)
		return new_form(app, r, w, 422, nf.error, &nf.choice, nf.v[N_URGENCY]);
	if (uploads(r, &files, &t.nfiles) < 0)
		return new_form(app, r, w, 422, "Attach at most 10 files.", &nf.choice,
		    nf.v[N_URGENCY]);
	/* A second send of the same form (a double click, a retry after a
	 * timeout) lands on the ticket the first one opened: ticket_open claims
	 * the form's token with the ticket, in one transaction. */
	once.owner_id = r->who.id;
	once.key = nf.v[N_TOKEN];
	t.once = idem_key_valid(once.key) ? &once : NULL;
	t.files = files;
	t.customer_id = r->who.customer_id;
	t.requester_id = r->who.id;
	t.channel = "portal";
	t.type = nf.choice.type;
	t.product_id = nf.n[N_PRODUCT];
	t.serial = given(nf.v[N_SERIAL]);
	t.subject = nf.v[N_SUBJECT];
	t.description = nf.v[N_DESCRIPTION];
	t.urgency = nf.v[N_URGENCY];
	/* The knowledge-base search the form made before (not a deflection). */
	t.kb_search = given(nf.v[N_KB]);
	t.ip = r->remote_addr;
	rc = ticket_open(&app->db, r->arena, &by, &t, &out, &why);
	if (rc == CS_REFUSED)
		return new_form(app, r, w, 422, why, &nf.choice, t.urgency);
	if (rc == CS_LIMITED)
		return slow_down(r, w, out.retry_after, why) ? 500 : new_form(app, r, w,
		    web_result_status(rc), why, &nf.choice, t.urgency);
	if (rc != CS_OK)
		return web_result_status(rc);
	where = arena_printf(r->arena, "/tickets/%s", out.number);
	if (out.replayed) {
		resp_redirect(w, where);
		return 0;
	}
	app_flash(app, r, w, 0, arena_printf(r->arena, "We received your request %s. "
	    "We will reply here and by e-mail.", out.number));
	resp_redirect(w, where);
	return 0;
}

/* ---- one request -------------------------------------------------------- */

/* Loads {number} for the signed-in customer: 0, 404 or 503. */
static int
load(struct app *app, struct req *r, struct ticket *t)
{
	struct ticket_actor_ref by = actor(r);
	const char *number = req_param(r, "number");
	enum cs_result rc;

	if (number == NULL || strncmp(number, "TKT-", 4) != 0 || strlen(number) > 20)
		return 404;
	rc = ticket_get(&app->db, r->arena, &by, number, t);
	if (rc == CS_NOT_FOUND)
		return 404;
	return rc != CS_OK ? 503 : 0;
}

/*
 * The page of t, answered with status; a reply that could not be sent
 * (error, NULL: none) comes back in its form with what was typed (body).
 */
static int
ticket_page(struct app *app, struct req *r, struct resp *w, const struct ticket *tp, int status,
    const char *error, const char *body)
{
	const struct ticket t = *tp;
	struct ticket_sheet s;
	struct ticket_comment *c;
	struct ticket_attachment_ref *files;
	const char *promise;
	struct tval *ctx, *tk, *list;
	size_t n, nf, i;

	/* The conversation, the files and the promise: one round trip. */
	if (ticket_sheet_read_customer(&app->db, r->arena, &t, &s) != CS_OK)
		return 503;
	c = s.comments;
	n = s.ncomments;
	files = s.files;
	nf = s.nfiles;
	promise = s.promise;
	ctx = app_page(app, r, arena_printf(r->arena, "%s: %s", t.number, t.subject));
	tk = tval_map(r->arena);
	list = tval_list(r->arena);
	if (ctx == NULL || tk == NULL || list == NULL)
		return 500;
	tval_set_str(r->arena, tk, "number", t.number);
	tval_set_str(r->arena, tk, "subject", t.subject);
	tval_set_str(r->arena, tk, "description_html", md_html(r->arena, t.description));
	tval_set_str(r->arena, tk, "status", ticket_status_label(t.status, 1));
	tval_set_str(r->arena, tk, "status_name", ticket_status_name(t.status));
	tval_set_str(r->arena, tk, "requester", t.requester_name);
	tval_set_str(r->arena, tk, "category", t.category);
	tval_set_str(r->arena, tk, "type", t.type_label);
	tval_set_str(r->arena, tk, "site", t.site);
	tval_set_str(r->arena, tk, "product", t.product);
	tval_set_str(r->arena, tk, "serial", t.serial);
	tval_set_str(r->arena, tk, "priority", t.priority);
	tval_set_str(r->arena, tk, "created_at", t.created_at);
	tval_set_str(r->arena, tk, "updated_at", t.updated_at);
	tval_set_int(r->arena, tk, "version", t.version);
	/* SLA: when we promise to answer, in plain words. */
	tval_set_str(r->arena, tk, "promise", promise);
	if (t.rating > 0)
		tval_set_int(r->arena, tk, "rating", t.rating);
	tval_set(r->arena, tk, "files", files_list(r->arena, t.number, files, nf));
	tval_set_bool(r->arena, tk, "has_files", nf > 0);
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(r->arena);

		tval_set_str(r->arena, m, "author", c[i].author);
		tval_set_bool(r->arena, m, "by_staff", c[i].by_staff);
		tval_set_str(r->arena, m, "body_html", md_html(r->arena, c[i].body));
		tval_set_str(r->arena, m, "created_at", c[i].created_at);
		tval_set(r->arena, m, "files", files_list(r->arena, t.number, c[i].files,
		    c[i].nfiles));
		tval_set_bool(r->arena, m, "has_files", c[i].nfiles > 0);
		tval_push(r->arena, list, m);
	}
	tval_set(r->arena, ctx, "ticket", tk);
	tval_set(r->arena, ctx, "comments", list);
	tval_set_bool(r->arena, ctx, "can_reply", t.status != TS_CLOSED &&
	    t.status != TS_CANCELLED);
	tval_set_bool(r->arena, ctx, "can_confirm",
	    ticket_transition_allowed(TA_CUSTOMER, t.status, TS_CLOSED));
	tval_set_bool(r->arena, ctx, "can_reopen",
	    ticket_transition_allowed(TA_CUSTOMER, t.status, TS_REOPENED));
	tval_set_int(r->arena, ctx, "max_files", TICKET_FILES_MAX);
	if (error != NULL)
		tval_set_str(r->arena, ctx, "reply_error", error);
	tval_set_str(r->arena, ctx, "reply_body", body);
	w->status = status;
	return app_render(app, r, w, "portal/ticket", ctx);
}

int
portal_ticket(struct app *app, struct req *r, struct resp *w)
{
	struct ticket t;
	int rc;

	if ((rc = load(app, r, &t)) != 0)
		return rc;
	return ticket_page(app, r, w, &t, 200, NULL, NULL);
}

/* After a POST on a ticket: back to its page with a message. */
static int
back(struct app *app, struct req *r, struct resp *w, const struct ticket *t, int error,
    const char *text)
{
	app_flash(app, r, w, error, text);
	resp_redirect(w, arena_printf(r->arena, "/tickets/%s", t->number));
	return 0;
}

/*
 * Refusals change nothing, so the request's transaction may commit: the
 * 303 carries the reason to the page. Other failures are answered with
 * their status (the transaction is rolled back).
 */
static int
outcome(struct app *app, struct req *r, struct resp *w, const struct ticket *t,
    enum cs_result rc, const char *why, const char *done)
{
	if (rc == CS_REFUSED)
		return back(app, r, w, t, 1, why != NULL ? why : "That is not possible now.");
	if (rc != CS_OK)
		return web_result_status(rc);
	return back(app, r, w, t, 0, done);
}

/* A reply, or a reopen's reason: the text is the domain's to judge. */
static const struct field_rule body_rules[] = {
	{ "body", "Message", FIELD_LINES, 0, 0, 0, NULL },
};

/* Reads the one-field form rules into *v. 0, or -1 when out of memory. */
static int
one_field(struct req *r, const struct field_rule *rules, const char **v)
{
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return -1;
	fields_check(&f, r, rules, 1, v, NULL);
	return f.failed ? -1 : 0;
}

int
portal_ticket_reply(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by = actor(r);
	struct ticket_reply_in in = { 0 };
	struct ticket_replied out;
	struct ticket_file *files;
	struct ticket t;
	const char *why = NULL;
	enum cs_result rc;
	int st;

	if ((st = load(app, r, &t)) != 0)
		return st;
	if (one_field(r, body_rules, &in.body) < 0)
		return 500;
	if (uploads(r, &files, &in.nfiles) < 0)
		return back(app, r, w, &t, 1, "Attach at most 10 files.");
	/* A customer's reply is not held back by a change on the agent's side
	 * (the form's version field is for the console's kind of check). */
	in.ticket_id = t.id;
	in.kind = "public";
	in.files = files;
	in.ip = r->remote_addr;
	rc = ticket_reply(&app->db, r->arena, &by, &in, &out, &why);
	if (rc == CS_LIMITED)
		return slow_down(r, w, out.retry_after, why) ? 500 : ticket_page(app, r, w, &t,
		    web_result_status(rc), why, in.body);
	return outcome(app, r, w, &t, rc, why, "Your reply is sent.");
}

/* Confirming the solution: stars (judged by the domain) and a comment. */
static const struct field_rule confirm_rules[] = {
	{ "rating", "Rating", FIELD_INT, 0, 0, INT_MAX, NULL },
	{ "comment", "Comment", FIELD_LINES, 0, 0, 0, NULL },
};
enum { F_RATING, F_COMMENT, F__MAX };
_Static_assert(sizeof(confirm_rules) / sizeof(confirm_rules[0]) == F__MAX, "one rule per field");

int
portal_ticket_confirm(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by = actor(r);
	struct ticket_status_in in = { 0 };
	struct field_form f;
	struct ticket t;
	const char *v[F__MAX], *why = NULL;
	long long n[F__MAX];
	enum cs_result rc;
	int st;

	if ((st = load(app, r, &t)) != 0)
		return st;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, confirm_rules, F__MAX, v, n);
	if (f.failed)
		return 500;
	/* Not a number: the domain's sentence for a rating out of range. */
	in.rating = f.nerrors > 0 ? -1 : (int)n[F_RATING];
	in.ticket_id = t.id;
	in.to = TS_CLOSED;
	in.rating_comment = v[F_COMMENT];
	in.ip = r->remote_addr;
	rc = ticket_change_status(&app->db, r->arena, &by, &in, &why);
	return outcome(app, r, w, &t, rc, why, "Thank you: the request is closed.");
}

int
portal_ticket_reopen(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by = actor(r);
	struct ticket_status_in in = { 0 };
	struct ticket t;
	const char *why = NULL;
	enum cs_result rc;
	int st;

	if ((st = load(app, r, &t)) != 0)
		return st;
	if (one_field(r, body_rules, &in.comment) < 0)
		return 500;
	/* The reopen and its reason are one change. */
	in.ticket_id = t.id;
	in.to = TS_REOPENED;
	in.ip = r->remote_addr;
	rc = ticket_change_status(&app->db, r->arena, &by, &in, &why);
	return outcome(app, r, w, &t, rc, why, "The request is open again: we will be back "
	    "to you.");
}

int
portal_ticket_attachment(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by = actor(r);
	struct ticket_download d;
	const char *number = req_param(r, "number");
	long long id = web_path_id(r, "id");
	struct web_file f = { .disposition = "attachment", .cache = "private, no-store" };
	enum cs_result rc;

	if (number == NULL || id <= 0)
		return 404;
	rc = ticket_download(&app->db, r->arena, &by, number, id, &d);
	if (rc == CS_NOT_FOUND)
		return 404;
	if (rc != CS_OK)
		return 503;
	f.type = ticket_download_type(d.content_type);
	f.data = d.data;
	f.len = d.len;
	f.filename = d.filename;
	return web_send_file(r, w, &f);
}
