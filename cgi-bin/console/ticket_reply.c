/*
 * ticket_reply.c — POST /agent/tickets/{number}/replies: the workspace's
 * one form ("submit as", ticket_submit.h): a public reply or an internal
 * note with files and time worked, and in the same step a status (the
 * "Send and set pending" / "Send and resolve" buttons, or the select),
 * taking the ticket and a priority; then this ticket again or the next
 * of the view the agent came from (/agent/next, ticket_next.c). A guard
 * against replying to a ticket that changed meanwhile (the page comes
 * back, 409, with what changed and the text kept). The
 * colleagues an internal note @mentions are recorded by the use case and
 * told by mail from its event (ticket_consumers.h). Routes and access
 * (staff) are in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "console/ticket_page.h"
#include "core/arena.h"
#include "domain/ticket_collab.h"
#include "domain/ticket_submit.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <limits.h>
#include <string.h>

static const char *const visibilities[] = { "public", "internal", NULL };

/*
 * The reply form. Minutes are judged by the domain (TICKET_MINUTES_MAX);
 * version, seen_event and seen_comment are what the page showed.
 */
static const struct field_rule reply_rules[] = {
	{ "body", "Message", FIELD_LINES, 0, 0, 0, NULL },
	{ "visibility", "Visibility", FIELD_CHOICE, 1, 0, 0, visibilities },
	{ "minutes", "Minutes spent", FIELD_INT, 0, 0, INT_MAX, NULL },
	{ "version", "Version", FIELD_INT, 0, 0, INT_MAX, NULL },
	{ "seen_event", "Seen event", FIELD_INT, 0, 0, 1LL << 62, NULL },
	{ "seen_comment", "Seen comment", FIELD_INT, 0, 0, 1LL << 62, NULL },
	/* Submit as: the button's status wins over the select's. */
	{ "submit_as", "Send as", FIELD_TEXT, 0, 0, 40, NULL },
	{ "then", "Then set status", FIELD_TEXT, 0, 0, 40, NULL },
	{ "priority", "Priority", FIELD_TEXT, 0, 0, 40, NULL },
	{ "resolution_code", "Resolution code", FIELD_TEXT, 0, 0, 100, NULL },
	{ "take", "Assign to me", FIELD_TEXT, 0, 0, 1, NULL },
	{ "next", "Then open the next ticket", FIELD_TEXT, 0, 0, 1, NULL },
	{ "view", "View", FIELD_TEXT, 0, 0, 2000, NULL },
	/* A macro's tags with the ticket's own (ticket_fields.h judges them). */
	{ "tags", "Tags", FIELD_TEXT, 0, 0, 0, NULL },
};
enum { R_BODY, R_VISIBILITY, R_MINUTES, R_VERSION, R_SEEN_EVENT, R_SEEN_COMMENT, R_SUBMIT_AS,
	R_THEN, R_PRIORITY, R_CODE, R_TAKE, R_NEXT, R_VIEW, R_TAGS, R__MAX };
_Static_assert(sizeof(reply_rules) / sizeof(reply_rules[0]) == R__MAX, "one rule per field");

/* The files of the repeatable field "attachment" into files; -1 past the limit. */
static int
attachments(const struct req *r, struct ticket_file *files, size_t *n)
{
	size_t i;

	*n = 0;
	for (i = 0; i < r->body.nfiles; i++) {
		const struct form_file *ff = &r->body.files[i];

		if (strcmp(ff->field, "attachment") != 0 || ff->len == 0)
			continue;
		if (*n == TICKET_FILES_MAX)
			return -1;
		files[*n].filename = ff->filename;
		files[*n].content_type = ff->content_type;
		files[*n].data = ff->data;
		files[*n].len = ff->len;
		(*n)++;
	}
	return 0;
}

/* The page again, 409: what came after what the writer had seen, the text kept. */
static int
stale(struct app *app, struct req *r, struct resp *w, struct ticket_view *v,
    const long long *nums)
{
	v->status = 409;
	v->stale = 1;
	v->seen_event = nums[R_SEEN_EVENT];
	v->seen_comment = nums[R_SEEN_COMMENT];
	return console_ticket_page(app, r, w, v);
}

/*
 * The view the form came back with, when it is a query string this
 * console wrote (console_tickets_view_url: letters, digits and
 * %-escapes); else "", the default view.
 */
static const char *
view_of(const char *v)
{
	return v[strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	    "_-.~%&=+")] == '\0' ? v : "";
}

/* After the reply: this ticket again, or the next of the view; a flash says what was done. */
static int
done(struct app *app, struct req *r, struct resp *w, const struct ticket *t,
    const struct ticket_submit_in *in, const struct ticket_submitted *out, const char **val)
{
	const char *view = view_of(val[R_VIEW]);
	struct buf msg;

	/* Done writing: others stop seeing "is writing". Only a hint if it fails. */
	collab_presence_typing(&app->db, t->number, r->who.id, 0);
	if (*val[R_NEXT] == '1')
		resp_redirect(w, arena_printf(r->arena, "/agent/next?%s%sskip=%s", view,
		    *view != '\0' ? "&" : "", t->number));
	else
		resp_redirect(w, arena_printf(r->arena, "%s%s%s", console_ticket_url(r->arena,
		    t->number), *view != '\0' ? "?" : "", view));
	buf_init(&msg, r->arena);
	if (out->comment_id == 0)
		buf_addstr(&msg, arena_printf(r->arena, "%s saved.", t->number));
	else if (strcmp(in->reply.kind, "internal") != 0)
		buf_addstr(&msg, "Reply sent.");
	else if (out->mentioned > 0)
		buf_printf(&msg, "Internal note added; %zu colleague%s told.", out->mentioned,
		    out->mentioned == 1 ? "" : "s");
	else
		buf_addstr(&msg, "Internal note added.");
	if (out->taken)
		buf_addstr(&msg, " Assigned to you.");
	if (out->status_changed)
		buf_printf(&msg, " Status: %s.", ticket_status_label(in->then, 0));
	if (*val[R_NEXT] == '1')
		buf_printf(&msg, " (%s)", t->number);
	if (buf_failed(&msg))
		return 500;
	app_flash(app, r, w, 0, msg.buf);
	return 0;
}

/* The status asked for: the button's, else the select's; TS__MAX: keep. -1: junk. */
static int
then_of(const char **val, enum ticket_status *to)
{
	const char *name = *val[R_SUBMIT_AS] != '\0' ? val[R_SUBMIT_AS] : val[R_THEN];

	*to = TS__MAX;
	if (*name == '\0')
		return 0;
	*to = ticket_status_parse(name);
	return *to == TS__MAX ? -1 : 0;
}

int
console_ticket_reply(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by;
	struct ticket_file files[TICKET_FILES_MAX];
	struct ticket_submit_in in = { 0 };
	struct ticket_submitted out;
	struct ticket_view v = { 0 };
	struct field_form f;
	struct ticket t;
	const char *val[R__MAX], *why = NULL;
	long long nums[R__MAX];
	enum cs_result rc;
	int st;

	if ((st = console_ticket_load(app, r, &t)) != 0)
		return st;
	console_ticket_actor(r, &by);
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, reply_rules, R__MAX, val, nums);
	if (f.failed || (v.body = fields_trim(r->arena, val[R_BODY])) == NULL)
		return 500;
	/* Whatever happens, what was typed comes back. */
	v.status = 422;
	v.visibility = val[R_VISIBILITY];
	v.minutes = nums[R_MINUTES];
	if (tval_get(f.errors, "visibility") != NULL) {
		v.error = "Choose whether this is a public reply or an internal note.";
		return console_ticket_page(app, r, w, &v);
	}
	/* Minutes that are no number are refused by the domain, with its sentence. */
	in.reply.minutes_spent = tval_get(f.errors, "minutes") != NULL ? -1 :
	    (int)nums[R_MINUTES];
	if (tval_get(f.errors, "version") != NULL || tval_get(f.errors, "seen_event") != NULL ||
	    tval_get(f.errors, "seen_comment") != NULL) {
		v.error = fields_first_error(&f);
		return console_ticket_page(app, r, w, &v);
	}
	if (then_of(val, &in.then) < 0 || (*val[R_PRIORITY] != '\0' &&
	    !ticket_word_valid(ticket_priorities, val[R_PRIORITY]))) {
		v.error = "Choose a status and a priority from the lists.";
		return console_ticket_page(app, r, w, &v);
	}
	/* Changed since the writer loaded it: show them what, keep the text. */
	if (nums[R_VERSION] != 0 && nums[R_VERSION] != t.version)
		return stale(app, r, w, &v, nums);
	in.reply.ticket_id = t.id;
	in.reply.kind = val[R_VISIBILITY];
	in.reply.body = v.body;
	in.reply.files = files;
	in.reply.expected_version = (int)nums[R_VERSION];
	in.reply.ip = r->remote_addr;
	in.resolution_code = val[R_CODE];
	in.root_cause = "";
	in.priority = val[R_PRIORITY];
	in.take = *val[R_TAKE] == '1';
	in.tags = *val[R_TAGS] != '\0' ? val[R_TAGS] : NULL;
	if (attachments(r, files, &in.reply.nfiles) < 0) {
		v.error = "Too many files.";
		return console_ticket_page(app, r, w, &v);
	}
	rc = ticket_submit(&app->db, r->arena, &by, &in, &out, &why);
	if (rc == CS_OK)
		return done(app, r, w, &t, &in, &out, val);
	if (rc != CS_REFUSED)
		return web_result_status(rc);
	/* Changed between loading it and locking it? */
	if ((st = console_ticket_load(app, r, &t)) != 0)
		return st;
	if (nums[R_VERSION] != 0 && nums[R_VERSION] != t.version)
		return stale(app, r, w, &v, nums);
	v.error = why != NULL ? why : "The reply was refused.";
	return console_ticket_page(app, r, w, &v);
}
