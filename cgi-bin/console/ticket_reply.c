/*
 * ticket_reply.c — POST /agent/tickets/{number}/replies: a public reply or
 * an internal note on the console's ticket page, with files, time worked
 * and a guard against replying to a ticket that changed meanwhile (the
 * page comes back, 409, with what changed and the text kept). The
 * colleagues an internal note @mentions are recorded by the use case and
 * told by mail from its event (ticket_consumers.h). Routes and access
 * (staff) are in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "console/ticket_page.h"
#include "core/arena.h"
#include "domain/ticket_collab.h"
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
};
enum { R_BODY, R_VISIBILITY, R_MINUTES, R_VERSION, R_SEEN_EVENT, R_SEEN_COMMENT, R__MAX };
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

/* After the reply: the page, with what was done. */
static int
done(struct app *app, struct req *r, struct resp *w, const struct ticket *t, int internal,
    size_t told)
{
	/* Done writing: others stop seeing "is writing". Only a hint if it fails. */
	collab_presence_typing(&app->db, t->number, r->who.id, 0);
	resp_redirect(w, console_ticket_url(r->arena, t->number));
	if (!internal)
		app_flash(app, r, w, 0, "Reply sent.");
	else if (told > 0)
		web_flash(app, r, w, "Internal note added; %zu colleague%s told.", told,
		    told == 1 ? "" : "s");
	else
		app_flash(app, r, w, 0, "Internal note added.");
	return 0;
}

int
console_ticket_reply(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by;
	struct ticket_file files[TICKET_FILES_MAX];
	struct ticket_reply_in in = { 0 };
	struct ticket_replied out;
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
	in.minutes_spent = tval_get(f.errors, "minutes") != NULL ? -1 : (int)nums[R_MINUTES];
	if (tval_get(f.errors, "version") != NULL || tval_get(f.errors, "seen_event") != NULL ||
	    tval_get(f.errors, "seen_comment") != NULL) {
		v.error = fields_first_error(&f);
		return console_ticket_page(app, r, w, &v);
	}
	/* Changed since the writer loaded it: show them what, keep the text. */
	if (nums[R_VERSION] != 0 && nums[R_VERSION] != t.version)
		return stale(app, r, w, &v, nums);
	in.ticket_id = t.id;
	in.kind = val[R_VISIBILITY];
	in.body = v.body;
	in.files = files;
	in.expected_version = (int)nums[R_VERSION];
	in.ip = r->remote_addr;
	if (attachments(r, files, &in.nfiles) < 0) {
		v.error = "Too many files.";
		return console_ticket_page(app, r, w, &v);
	}
	rc = ticket_reply(&app->db, r->arena, &by, &in, &out, &why);
	if (rc == CS_OK)
		return done(app, r, w, &t, strcmp(in.kind, "internal") == 0, out.mentioned);
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
