/*
 * tickets_actions.c — one ticket in the console: its page (customer,
 * their other tickets, conversation with internal notes set apart, full
 * history) and its forms: reply or internal note, status change by the
 * workflow, assignment; and downloading an attachment. Routes and access
 * (staff) are in cgi-bin/console.c.
 */
#include "console/admin_form.h"
#include "console/handlers.h"
#include "console/tickets.h"
#include "core/arena.h"
#include "domain/ticket_console.h"
#include "domain/ticket_rules.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"
#include "web/markdown.h"

#include <ctype.h>
#include <string.h>

/* Other tickets of the same customer shown on the page. */
#define RECENT_MAX 5
/* A reply's body and a root cause, in characters. */
#define BODY_MAX 50000
#define ROOT_CAUSE_MAX 2000

static void
actor(const struct req *r, struct ticket_actor_ref *by)
{
	memset(by, 0, sizeof(*by));
	by->kind = TA_STAFF;
	by->id = r->who.id;
}

/* The {number} path parameter, upper-cased, when it looks like one; else NULL. */
static const char *
path_number(const struct req *r)
{
	const char *v = req_param(r, "number");
	char *up;
	size_t i;

	if (v == NULL || strlen(v) < 5 || strlen(v) > 16)
		return NULL;
	if ((up = arena_strdup(r->arena, v)) == NULL)
		return NULL;
	for (i = 0; up[i]; i++)
		up[i] = (char)toupper((unsigned char)up[i]);
	if (strncmp(up, "TKT-", 4) != 0)
		return NULL;
	for (i = 4; up[i]; i++)
		if (!isdigit((unsigned char)up[i]))
			return NULL;
	return up;
}

/* Loads the ticket of the path. 0, or the status to answer. */
static int
load(struct app *app, struct req *r, struct ticket *t)
{
	struct ticket_actor_ref by;
	const char *number = path_number(r);
	int rc;

	if (number == NULL)
		return 404;
	actor(r, &by);
	rc = ticket_get(&app->db, r->arena, &by, number, t);
	if (rc == TICKET_NOT_FOUND)
		return 404;
	return rc < 0 ? admin_db_error(app) : 0;
}

static const char *
ticket_url(struct arena *a, const struct ticket *t)
{
	return arena_printf(a, "/agent/tickets/%s", t->number);
}

static struct tval *
files_list(struct arena *a, const struct ticket *t, const struct ticket_attachment_ref *f,
    size_t n)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_int(a, m, "id", f[i].id);
		rc |= tval_set_str(a, m, "filename", f[i].filename);
		rc |= tval_set_str(a, m, "url", arena_printf(a, "/agent/tickets/%s/attachments/%lld",
		    t->number, f[i].id));
		rc |= tval_set_int(a, m, "size", f[i].size);
		rc |= tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

static int
ticket_ctx(struct arena *a, struct tval *ctx, const struct ticket *t)
{
	struct tval *m = tval_map(a);
	int rc = 0;

	rc |= tval_set_int(a, m, "id", t->id);
	rc |= tval_set_str(a, m, "number", t->number);
	rc |= tval_set_str(a, m, "subject", t->subject);
	/* Rendered by cmark in safe mode: HTML we made, for {{{ }}}. */
	rc |= tval_set_str(a, m, "description_html", md_html(a, t->description));
	rc |= tval_set_str(a, m, "status", ticket_status_name(t->status));
	rc |= tval_set_str(a, m, "status_label", ticket_status_label(t->status, 0));
	rc |= tval_set_str(a, m, "priority", t->priority);
	rc |= tval_set_str(a, m, "urgency", t->urgency);
	rc |= tval_set_str(a, m, "channel", t->channel);
	rc |= tval_set_str(a, m, "type", t->type);
	rc |= tval_set_str(a, m, "category", t->category);
	rc |= tval_set_str(a, m, "product", t->product);
	rc |= tval_set_str(a, m, "serial", t->serial);
	rc |= tval_set_str(a, m, "queue", t->queue);
	rc |= tval_set_str(a, m, "team", t->team);
	rc |= tval_set_str(a, m, "assignee", t->assignee);
	rc |= tval_set_str(a, m, "tags", t->tags);
	rc |= tval_set_str(a, m, "customer_name", t->customer_name);
	rc |= tval_set_str(a, m, "customer_tier", t->customer_tier);
	rc |= tval_set_str(a, m, "requester_name", t->requester_name);
	rc |= tval_set_str(a, m, "requester_email", t->requester_email);
	rc |= tval_set_str(a, m, "created_at", t->created_at);
	rc |= tval_set_str(a, m, "updated_at", t->updated_at);
	rc |= tval_set_str(a, m, "first_response_at", t->first_response_at);
	rc |= tval_set_str(a, m, "resolved_at", t->resolved_at);
	rc |= tval_set_str(a, m, "closed_at", t->closed_at);
	rc |= tval_set_str(a, m, "resolution_code", t->resolution_code);
	rc |= tval_set_str(a, m, "root_cause", t->root_cause);
	rc |= tval_set_int(a, m, "reopen_count", t->reopen_count);
	rc |= tval_set_int(a, m, "version", t->version);
	rc |= tval_set_int(a, m, "minutes_spent", t->minutes_spent);
	if (t->rating > 0)
		rc |= tval_set_int(a, m, "rating", t->rating);
	return rc | tval_set(a, ctx, "t", m);
}

static int
conversation_ctx(struct app *app, struct arena *a, struct tval *ctx,
    const struct ticket_actor_ref *by, const struct ticket *t)
{
	struct ticket_comment *cm;
	struct ticket_attachment_ref *files;
	struct ticket_event *ev;
	struct tval *comments = tval_list(a), *events = tval_list(a);
	size_t n, i;
	int rc = comments == NULL || events == NULL;

	if (ticket_comments(&app->db, a, by, t->id, &cm, &n) < 0)
		return -2;
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_str(a, m, "kind", cm[i].kind);
		rc |= tval_set_bool(a, m, "internal", strcmp(cm[i].kind, "internal") == 0);
		rc |= tval_set_bool(a, m, "system", strcmp(cm[i].kind, "system") == 0);
		rc |= tval_set_str(a, m, "author", cm[i].author);
		rc |= tval_set_bool(a, m, "by_staff", cm[i].by_staff);
		rc |= tval_set_str(a, m, "body_html", md_html(a, cm[i].body));
		rc |= tval_set_str(a, m, "created_at", cm[i].created_at);
		if (cm[i].minutes_spent > 0)
			rc |= tval_set_int(a, m, "minutes", cm[i].minutes_spent);
		rc |= tval_set(a, m, "files", files_list(a, t, cm[i].files, cm[i].nfiles));
		rc |= tval_set_bool(a, m, "has_files", cm[i].nfiles > 0);
		rc |= tval_push(a, comments, m);
	}
	if (ticket_files(&app->db, a, by, t->id, &files, &n) < 0)
		return -2;
	rc |= tval_set(a, ctx, "files", files_list(a, t, files, n));
	rc |= tval_set_bool(a, ctx, "has_files", n > 0);
	if (ticket_events(&app->db, a, by, t->id, &ev, &n) < 0)
		return -2;
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_str(a, m, "actor", ev[i].actor);
		rc |= tval_set_str(a, m, "field", ev[i].field);
		rc |= tval_set_str(a, m, "old_value", ev[i].old_value);
		rc |= tval_set_str(a, m, "new_value", ev[i].new_value);
		rc |= tval_set_str(a, m, "created_at", ev[i].created_at);
		rc |= tval_push(a, events, m);
	}
	return rc | tval_set(a, ctx, "comments", comments) | tval_set(a, ctx, "events", events);
}

static int
forms_ctx(struct app *app, struct arena *a, struct tval *ctx, const struct ticket *t)
{
	enum ticket_status next[TS__MAX];
	struct tc_choices c;
	struct tc_row *recent;
	struct tval *moves = tval_list(a), *codes = tval_list(a), *others = tval_list(a);
	size_t n, i;
	int k, count, rc = moves == NULL || codes == NULL || others == NULL;

	if (ticket_console_choices(&app->db, a, &c) < 0 ||
	    ticket_console_customer_recent(&app->db, a, t->customer_id, t->id, RECENT_MAX,
	    &recent, &n) < 0)
		return -2;
	for (i = 0; i < n; i++)
		rc |= tval_push(a, others, console_tickets_row(a, &recent[i]));
	count = ticket_transitions(TA_STAFF, t->status, next);
	for (k = 0; k < count; k++)
		rc |= console_tickets_option(a, moves, ticket_status_name(next[k]),
		    ticket_status_label(next[k], 0), 0);
	rc |= console_tickets_option(a, codes, "", "—", 1);
	for (i = 0; i < c.ncodes; i++)
		rc |= console_tickets_option(a, codes, c.codes[i], c.code_labels[i], 0);
	rc |= tval_set(a, ctx, "other_tickets", others);
	rc |= tval_set(a, ctx, "transitions", moves);
	rc |= tval_set_bool(a, ctx, "has_transitions", count > 0);
	rc |= tval_set(a, ctx, "resolution_codes", codes);
	rc |= tval_set(a, ctx, "team_options", console_tickets_choices(a, c.teams, c.nteams,
	    t->team_id, "No team"));
	rc |= tval_set(a, ctx, "agent_options", console_tickets_choices(a, c.agents, c.nagents,
	    t->assignee_id, "Nobody"));
	return rc;
}

/* The ticket page; status 422 with error for a refused form. */
static int
show(struct app *app, struct req *r, struct resp *w, int status, const char *error)
{
	struct ticket_actor_ref by;
	struct ticket t;
	struct tval *ctx;
	struct arena *a = r->arena;
	int rc;

	if ((rc = load(app, r, &t)) != 0)
		return rc;
	actor(r, &by);
	if ((ctx = app_page(app, r, t.number)) == NULL)
		return 500;
	rc = ticket_ctx(a, ctx, &t);
	if (rc == 0)
		rc = conversation_ctx(app, a, ctx, &by, &t);
	if (rc == 0)
		rc = forms_ctx(app, a, ctx, &t);
	/* The knowledge base's panel of articles for this ticket. */
	if (rc == 0)
		rc = console_kb_ticket_panel(app, r, ctx, &t);
	if (rc == -2)
		return admin_db_error(app);
	if (error != NULL)
		rc |= tval_set_str(a, ctx, "error", error);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/ticket", ctx);
}

int
console_ticket(struct app *app, struct req *r, struct resp *w)
{
	return show(app, r, w, 200, NULL);
}

/* A whole number field in lo..hi, def when empty; -1 when junk. */
static long long
field_num(const struct req *r, const char *name, long long lo, long long hi, long long def)
{
	const char *v = req_field(r, name);
	long long n;

	if (v == NULL || *v == '\0')
		return def;
	n = admin_id(v);
	if (strcmp(v, "0") == 0)
		n = 0;
	else if (n <= 0)
		return -1;
	return n >= lo && n <= hi ? n : -1;
}

int
console_ticket_reply(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by;
	struct ticket_file files[TICKET_FILES_MAX];
	struct ticket t;
	const char *body = req_field(r, "body"), *vis = req_field(r, "visibility");
	const char *why = NULL;
	long long minutes = field_num(r, "minutes", 0, 10000, 0);
	long long version = field_num(r, "version", 0, 1LL << 30, 0);
	size_t nfiles = 0, i;
	int rc;

	if ((rc = load(app, r, &t)) != 0)
		return rc;
	actor(r, &by);
	body = af_trim(r->arena, body != NULL ? body : "");
	if (body == NULL)
		return 500;
	if (vis == NULL || (strcmp(vis, "public") != 0 && strcmp(vis, "internal") != 0))
		return show(app, r, w, 422, "Choose whether this is a public reply or an "
		    "internal note.");
	if (*body == '\0' || af_chars(body) > BODY_MAX)
		return show(app, r, w, 422, "Write a reply of 1 to 50,000 characters.");
	if (minutes < 0 || version < 0)
		return show(app, r, w, 422, "Minutes spent must be a whole number from 0 to "
		    "10,000.");
	for (i = 0; i < r->body.nfiles; i++) {
		const struct form_file *ff = &r->body.files[i];

		if (strcmp(ff->field, "attachment") != 0 || ff->len == 0)
			continue;
		if (nfiles == TICKET_FILES_MAX)
			return show(app, r, w, 422, "Too many files.");
		files[nfiles].filename = ff->filename;
		files[nfiles].content_type = ff->content_type;
		files[nfiles].data = ff->data;
		files[nfiles].len = ff->len;
		nfiles++;
	}
	rc = ticket_comment_add(&app->db, r->arena, &by, t.id, vis, body, (int)minutes, files,
	    nfiles, (int)version, &why);
	if (rc == TICKET_REFUSED)
		return show(app, r, w, 422, why != NULL ? why : "The reply was refused.");
	if (rc == TICKET_NOT_FOUND)
		return 404;
	if (rc < 0)
		return admin_db_error(app);
	resp_redirect(w, ticket_url(r->arena, &t));
	app_flash(app, r, w, 0, strcmp(vis, "internal") == 0 ? "Internal note added." :
	    "Reply sent.");
	return 0;
}

int
console_ticket_status(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by;
	struct ticket t;
	const char *status = req_field(r, "status"), *code = req_field(r, "resolution_code");
	const char *cause = af_trim(r->arena, req_field(r, "root_cause") ?
	    req_field(r, "root_cause") : "");
	const char *why = NULL;
	enum ticket_status to;
	int rc;

	if ((rc = load(app, r, &t)) != 0)
		return rc;
	actor(r, &by);
	if (cause == NULL)
		return 500;
	to = ticket_status_parse(status != NULL ? status : "");
	if (to == TS__MAX)
		return show(app, r, w, 422, "Choose a status.");
	if (af_chars(cause) > ROOT_CAUSE_MAX)
		return show(app, r, w, 422, "The root cause is longer than 2,000 characters.");
	rc = ticket_set_status(&app->db, r->arena, &by, t.id, to, code, cause, 0, NULL, &why);
	if (rc == TICKET_REFUSED)
		return show(app, r, w, 422, why != NULL ? why : "That status change is not "
		    "allowed.");
	if (rc == TICKET_NOT_FOUND)
		return 404;
	if (rc < 0)
		return admin_db_error(app);
	resp_redirect(w, ticket_url(r->arena, &t));
	admin_flash(app, r, w, "Status changed to %s.", ticket_status_label(to, 0));
	return 0;
}

int
console_ticket_assign(struct app *app, struct req *r, struct resp *w)
{
	struct ticket t;
	const char *tv = req_field(r, "team_id"), *av = req_field(r, "agent_id");
	long long team = tv != NULL && *tv != '\0' ? admin_id(tv) : 0;
	long long agent = av != NULL && *av != '\0' ? admin_id(av) : 0;
	int rc;

	if ((rc = load(app, r, &t)) != 0)
		return rc;
	if (team < 0 || agent < 0 || (tv != NULL && *tv != '\0' && team == 0) ||
	    (av != NULL && *av != '\0' && agent == 0))
		return show(app, r, w, 422, "Choose a team and an agent from the lists.");
	rc = ticket_console_assign(&app->db, r->who.id, t.id, team, agent);
	if (rc == TC_BAD_INPUT)
		return show(app, r, w, 422, "That team or agent is not available.");
	if (rc == TC_NOT_FOUND)
		return 404;
	if (rc < 0)
		return admin_db_error(app);
	resp_redirect(w, ticket_url(r->arena, &t));
	app_flash(app, r, w, 0, "Assignment saved.");
	return 0;
}

/* A filename for a header: printable ASCII without quotes or backslashes. */
static const char *
header_filename(struct arena *a, const char *name)
{
	char *s = arena_strdup(a, name != NULL && *name != '\0' ? name : "attachment");
	size_t i;

	if (s == NULL)
		return "attachment";
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f || s[i] == '"' ||
		    s[i] == '\\' || s[i] == ';')
			s[i] = '_';
	return s;
}

int
console_ticket_attachment(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by;
	struct ticket_download d;
	const char *number = path_number(r);
	long long id = admin_path_id(r, "id");
	struct buf cd;
	int rc;

	if (number == NULL || id <= 0)
		return 404;
	actor(r, &by);
	rc = ticket_download(&app->db, r->arena, &by, number, id, &d);
	if (rc == TICKET_NOT_FOUND)
		return 404;
	if (rc < 0)
		return admin_db_error(app);
	buf_init(&cd, r->arena);
	buf_printf(&cd, "attachment; filename=\"%s\"; filename*=UTF-8''",
	    header_filename(r->arena, d.filename));
	url_encode(&cd, d.filename != NULL ? d.filename : "attachment");
	if (buf_failed(&cd))
		return 500;
	buf_reset(&w->body);
	buf_add(&w->body, d.data, d.len);
	if (buf_failed(&w->body))
		return 500;
	w->status = 200;
	w->content_type = d.content_type != NULL && *d.content_type != '\0' ? d.content_type :
	    "application/octet-stream";
	resp_header(w, "Content-Disposition", cd.buf);
	resp_header(w, "X-Content-Type-Options", "nosniff");
	return 0;
}
