/*
 * mail_filing.c — where a parsed message goes: a bounce, a reply or a note
 * on the ticket it answers, or a new ticket; see mail_intake.h for the
 * order of the threading rules and mail_int.h for the contract.
 */
#include "domain/mail_int.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/contacts.h"
#include "domain/mail_intake.h"
#include "domain/mail_text.h"
#include "domain/notify.h"
#include "domain/tickets.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ROUTE_COLS(X) X(RT, status, "status") X(RT, own, "coalesce(own, false)") \
	X(RT, ticket_id, "ticket_id") X(RT, ticket_number, "ticket_number") \
	X(RT, ticket_customer, "ticket_customer") X(RT, how, "how") X(RT, user_id, "user_id") \
	X(RT, customer_id, "customer_id") X(RT, user_active, "coalesce(user_active, false)") \
	X(RT, queue_id, "queue_id") X(RT, similar_id, "similar_id")
enum { DB_COL_ENUM(ROUTE_COLS) };

#define SENT_COLS(X) X(SN, id, "n.id") X(SN, recipient, "n.recipient")
enum { DB_COL_ENUM(SENT_COLS) };

enum stmt {
	ST_ROUTE,
	ST_SENT,
	ST_BOUNCED,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/*
	 * Every lookup before the filing changes anything, in one round trip
	 * (sql/functions/310_mail_speed.sql): the row locked and its status,
	 * a loop from csdesk's own addresses, the threading rules in their
	 * order, the sender's login, the queue of the address it came to and
	 * a merge to suggest.
	 */
	[ST_ROUTE] = DB_STMT("mail_route",
	    "SELECT " DB_COLS(ROUTE_COLS) " FROM mail_route($1, $2, $3, $4::jsonb, $5::jsonb, $6,"
	    " $7, $8::jsonb, $9, $10)", 10),
	[ST_SENT] = DB_STMT("mail_bounced_sent",
	    "SELECT " DB_COLS(SENT_COLS) " FROM notifications n WHERE n.id = $1", 1),
	[ST_BOUNCED] = DB_STMT("mail_bounced_mark",
	    "UPDATE portal_users SET mail_bounced_at = now(), mail_bounce = left($2, 300)"
	    " WHERE email = lower($1)", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* A ticket the message belongs to. */
struct found {
	long long id, customer_id;
	const char *number;
	const char *how;		/* "In-Reply-To", "the subject's tag", "the reply address" */
};

/* The outbox id of a Message-ID csdesk made ("csdesk.<id>.<time>@…"), else 0. */
static long long
outbox_id(const char *ref)
{
	char *end;
	long long id;

	if (strncmp(ref, "csdesk.", 7) != 0)
		return 0;
	id = strtoll(ref + 7, &end, 10);
	return *end == '.' && id > 0 ? id : 0;
}

/* A JSON array of strings (or, ids set, of the outbox ids among them), in a. */
static const char *
json_list(struct arena *a, const char *const *v, size_t n, int ids)
{
	json_t *arr = json_array();
	char *text;
	const char *out = NULL;
	size_t i;

	if (arr == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (ids && outbox_id(v[i]) > 0)
			json_array_append_new(arr, json_integer(outbox_id(v[i])));
		else if (!ids)
			json_array_append_new(arr, json_string(v[i]));
	}
	if ((text = json_dumps(arr, JSON_COMPACT)) != NULL)
		out = arena_strdup(a, text);
	free(text);
	json_decref(arr);
	return out;
}

/* What mail_route found for a message (sql/functions/310_mail_speed.sql). */
struct route {
	int filed;			/* filed before: nothing to do */
	int own;			/* from one of csdesk's own addresses */
	struct found t;			/* the ticket it answers; t.id 0: none */
	int login;			/* the sender has a login (active or not) */
	long long user_id, customer_id;	/* the sender's login, when active */
	long long queue_id, similar_id;
};

/* The subject without its "Re:"s, or NULL when it had none (or nothing else). */
static const char *
subject_base(const char *subject)
{
	const char *base = subject;

	while (strncasecmp(base, "re:", 3) == 0 || strncasecmp(base, "aw:", 3) == 0 ||
	    strncasecmp(base, "fwd:", 4) == 0 || strncasecmp(base, "fw:", 3) == 0)
		for (base = strchr(base, ':') + 1; *base == ' '; base++)
			;
	return base != subject && base[0] != '\0' ? base : NULL;
}

/*
 * Locks row id and looks up all the filing needs (force: whatever its
 * status). CS_OK, CS_NOT_FOUND (no such row) or the failure.
 */
static enum cs_result
route(struct db *db, struct arena *a, long long id, int force, const struct mail_parsed *m,
    const char *recipient, struct route *out)
{
	const char *p[10], *token;
	PGresult *r;
	size_t i;
	int failed = 0;

	memset(out, 0, sizeof(*out));
	token = mail_text_reply_token(a, recipient);
	for (i = 0; token == NULL && i < m->nrcpts; i++)
		token = mail_text_reply_token(a, m->rcpts[i]);
	p[0] = db_param_ll(a, id);
	p[1] = force ? "t" : "f";
	p[2] = m->from_addr;
	p[3] = json_list(a, m->refs, m->nrefs, 1);
	p[4] = json_list(a, m->refs, m->nrefs, 0);
	p[5] = mail_text_ticket_tag(a, m->subject);
	p[6] = token;
	p[7] = json_list(a, m->rcpts, m->nrcpts, 0);
	p[8] = recipient;
	p[9] = subject_base(m->subject);
	if (p[0] == NULL || p[3] == NULL || p[4] == NULL || p[7] == NULL)
		return CS_FAILED;
	if ((r = db_exec(db, &stmts[ST_ROUTE], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return CS_NOT_FOUND;
	}
	out->filed = !force && strcmp(PQgetvalue(r, 0, RT_status), "received") != 0;
	out->own = db_bool(r, 0, RT_own);
	if ((out->t.id = db_ll(r, 0, RT_ticket_id)) > 0) {
		out->t.customer_id = db_ll(r, 0, RT_ticket_customer);
		out->t.number = db_str(a, r, 0, RT_ticket_number, &failed);
		out->t.how = db_str(a, r, 0, RT_how, &failed);
	}
	out->login = !PQgetisnull(r, 0, RT_user_id);
	if (db_bool(r, 0, RT_user_active)) {
		out->user_id = db_ll(r, 0, RT_user_id);
		out->customer_id = db_ll(r, 0, RT_customer_id);
	}
	out->queue_id = db_ll(r, 0, RT_queue_id);
	out->similar_id = db_ll(r, 0, RT_similar_id);
	PQclear(r);
	return failed ? CS_FAILED : CS_OK;
}

/* text cut to max characters, saying so. */
static const char *
fit(struct arena *a, const char *text, size_t max)
{
	static const char more[] = "\n\n[The text goes on: the whole message is in the mail log.]";
	size_t chars = 0, i;

	if (utf8_chars(text) <= max)
		return text;
	for (i = 0; text[i] != '\0'; i++)
		if (((unsigned char)text[i] & 0xc0) != 0x80 && ++chars > max - sizeof(more))
			break;
	return arena_printf(a, "%.*s%s", (int)i, text, more);
}

/*
 * The comment or description: the text, then one line per part left out
 * (never a silent drop), within max characters.
 */
static const char *
body_of(struct arena *a, const char *text, const char *left_out, const char *intro, size_t max)
{
	struct buf b;

	buf_init(&b, a);
	if (intro != NULL)
		buf_printf(&b, "%s\n\n", intro);
	buf_addstr(&b, text[0] != '\0' ? text : "(The message has no text.)");
	if (left_out[0] != '\0')
		buf_printf(&b, "\n\n%s", left_out);
	return buf_failed(&b) ? NULL : fit(a, b.buf, max);
}

/* The attachments ticket_open and ticket_reply take; the others join left_out. */
static const char *
files_for(struct arena *a, const struct mail_parsed *m, struct ticket_file **files, size_t *n)
{
	struct buf left;
	size_t i;

	buf_init(&left, a);
	buf_addstr(&left, m->left_out);
	*n = 0;
	if ((*files = arena_calloc(a, m->nfiles + 1, sizeof(**files))) == NULL)
		return NULL;
	for (i = 0; i < m->nfiles; i++) {
		struct ticket_file *f = &(*files)[*n];
		const char *why;

		f->filename = m->files[i].filename;
		f->content_type = m->files[i].content_type;
		f->data = m->files[i].data;
		f->len = m->files[i].len;
		if ((why = ticket_file_refused(f)) != NULL)
			buf_printf(&left, "%s%s (%s) was left out: %s.", left.len > 0 ? "\n" : "",
			    f->filename, f->content_type, why);
		else
			(*n)++;
	}
	return buf_failed(&left) ? NULL : left.buf;
}

/* A bounce: the mail it bounces, and the address marked on the customer card. */
static enum cs_result
bounce(struct db *db, struct arena *a, const struct mail_parsed *m, struct mail_filed *f)
{
	const char *addr = m->bounce_recipient;
	char id[24];
	const char *p[2] = { id, NULL };
	long long sent = outbox_id(m->bounce_message_id);
	PGresult *r;
	int failed = 0;

	f->status = "bounce";
	if (sent > 0) {
		snprintf(id, sizeof(id), "%lld", sent);
		if ((r = db_exec(db, &stmts[ST_SENT], p)) == NULL)
			return db_result(db);
		if (PQntuples(r) == 1) {
			f->bounce_of = db_ll(r, 0, SN_id);
			if (addr[0] == '\0')
				addr = db_str(a, r, 0, SN_recipient, &failed);
		}
		PQclear(r);
	}
	if (failed)
		return CS_FAILED;
	if (addr[0] != '\0') {
		p[0] = addr;
		p[1] = m->bounce_status[0] != '\0' ? m->bounce_status : "undeliverable";
		if (db_do(db, &stmts[ST_BOUNCED], p) != CS_OK)
			return db_result(db);
	}
	f->why = arena_printf(a, "Delivery to %s failed%s%s%s.", addr[0] != '\0' ? addr :
	    "an unknown address", m->bounce_status[0] != '\0' ? " (" : "", m->bounce_status,
	    m->bounce_status[0] != '\0' ? ")" : "");
	if (f->bounce_of == 0)
		f->why = arena_printf(a, "%s It answers no mail csdesk sent.", f->why);
	return CS_OK;
}

/* A message on a ticket: the party's public reply, or anyone else's note to review. */
static enum cs_result
on_ticket(struct db *db, struct arena *a, const struct mail_parsed *m, const struct found *t,
    const struct contact *who, struct mail_filed *f)
{
	struct ticket_actor_ref by = { .kind = TA_SYSTEM };
	struct ticket_reply_in in = { .ticket_id = t->id, .external_ref = m->message_id };
	struct ticket_replied out = { 0 };
	struct ticket_file *files;
	const char *left, *text, *why = NULL, *intro = NULL;
	int trimmed = 0;
	enum cs_result rc;

	if ((left = files_for(a, m, &files, &in.nfiles)) == NULL)
		return CS_FAILED;
	in.files = files;
	text = mail_text_trim(a, m->text, &trimmed);
	f->ticket_id = t->id;
	f->ticket_number = t->number;
	if (who->user_id > 0 && who->customer_id == t->customer_id) {
		by.kind = TA_CUSTOMER;
		by.id = who->user_id;
		by.customer_id = who->customer_id;
		in.kind = "public";
		f->status = "reply";
	} else {
		in.kind = "internal";
		intro = arena_printf(a, "E-mail from %s%s%s%s, who is not a party of this"
		    " ticket: review it before answering.", m->from_name,
		    m->from_name[0] != '\0' ? " <" : "", m->from_addr[0] != '\0' ? m->from_addr :
		    "an unknown sender", m->from_name[0] != '\0' ? ">" : "");
		f->status = "note";
		f->review = 1;
	}
	if ((in.body = body_of(a, text, left, intro, TICKET_BODY_MAX)) == NULL)
		return CS_FAILED;
	rc = ticket_reply(db, a, &by, &in, &out, &why);
	if (rc == CS_OK) {
		f->comment_id = out.comment_id;
		f->why = arena_printf(a, "%s on %s, found by %s%s.", f->review ?
		    "Internal note for review" : "Reply", t->number, t->how,
		    trimmed ? "; quoted history trimmed" : "");
	} else if (rc == CS_REFUSED) {
		/* A reply the ticket no longer takes (closed) opens a new one instead. */
		f->status = NULL;
		f->suggested_id = t->id;
		f->why = arena_printf(a, "%s did not take it (%s)", t->number, why != NULL ? why :
		    "refused");
		f->ticket_id = 0;
		f->review = 0;
		return CS_OK;
	}
	return rc;
}

/* A new ticket for the sender, in the queue rt found, with the merge it suggests. */
static enum cs_result
new_ticket(struct db *db, struct arena *a, const struct mail_parsed *m,
    const struct route *rt, const struct contact *who, struct mail_filed *f)
{
	struct ticket_actor_ref sys = { .kind = TA_SYSTEM };
	struct ticket_new t = { .channel = "email", .customer_id = who->customer_id,
		.requester_id = who->user_id, .external_ref = m->message_id,
		.queue_id = rt->queue_id };
	struct ticket_opened out;
	struct ticket_file *files;
	const char *left, *why = NULL, *before = f->why;
	enum cs_result rc;

	if ((left = files_for(a, m, &files, &t.nfiles)) == NULL)
		return CS_FAILED;
	t.files = files;
	t.subject = m->subject[0] != '\0' ? mail_text_line(a, m->subject, TICKET_SUBJECT_MAX) :
	    MAIL_NO_SUBJECT;
	if (t.subject == NULL || (t.description = body_of(a, m->text, left, NULL,
	    TICKET_DESCRIPTION_MAX)) == NULL)
		return CS_FAILED;
	/* Unsure: a new ticket, and the sender's ticket of the same subject to merge with. */
	if (f->suggested_id == 0)
		f->suggested_id = rt->similar_id;
	rc = ticket_open(db, a, &sys, &t, &out, &why);
	if (rc == CS_REFUSED) {
		f->status = "failed";
		f->why = arena_printf(a, "No ticket: %s", why);
		return CS_OK;
	}
	if (rc != CS_OK)
		return rc;
	f->status = "ticket";
	f->ticket_id = out.id;
	f->ticket_number = out.number;
	f->why = arena_printf(a, "New ticket %s%s%s%s%s%s.", out.number,
	    t.queue_id > 0 ? " in the queue of the address it came to" : "",
	    who->created ? "; the sender is a new contact" : "",
	    before != NULL ? "; " : "", before != NULL ? before : "",
	    f->suggested_id > 0 ? "; it may belong to an earlier ticket (merge suggested)" : "");
	return CS_OK;
}

/*
 * The sender's contact: the active login route found, else found or made
 * by contacts.h (which also says why there is none). CS_OK or CS_REFUSED
 * with *why, or the failure.
 */
static enum cs_result
sender(struct db *db, struct arena *a, const struct mail_parsed *m, const struct route *rt,
    struct contact *who, const char **why)
{
	struct contact_in ci = { .email = m->from_addr, .name = m->from_name, .via = "email",
		.absent = !rt->login };

	if (rt->user_id > 0 && notify_address_ok(m->from_addr)) {
		memset(who, 0, sizeof(*who));
		who->user_id = rt->user_id;
		who->customer_id = rt->customer_id;
		return CS_OK;
	}
	return contact_find_or_create(db, a, &ci, who, why);
}

enum cs_result
mail_file_message(struct db *db, struct arena *a, long long id, int force,
    const struct mail_parsed *m, const char *recipient, struct mail_filed *f)
{
	struct contact who = { 0 };
	struct route rt;
	const char *why = NULL;
	enum cs_result rc;

	memset(f, 0, sizeof(*f));
	f->ticket_number = "";
	if ((rc = route(db, a, id, force, m, recipient, &rt)) != CS_OK)
		return rc;
	if (rt.filed) {
		f->filed_before = 1;
		return CS_OK;
	}
	if (m->bounce)
		return bounce(db, a, m, f);
	if (rt.own) {
		f->status = "ignored";
		f->why = "It comes from one of csdesk's own addresses: a mail loop.";
		return CS_OK;
	}
	if (m->from_addr[0] != '\0') {
		rc = sender(db, a, m, &rt, &who, &why);
		if (rc != CS_OK && rc != CS_REFUSED)
			return rc;
		f->sender_id = who.user_id;
	}
	if (rt.t.id > 0) {
		if ((rc = on_ticket(db, a, m, &rt.t, &who, f)) != CS_OK || f->status != NULL)
			return rc;
	}
	if (who.customer_id <= 0) {
		f->status = "ignored";
		f->why = why != NULL ? arena_printf(a, "No ticket: %s", why) :
		    "No ticket: the message has no usable sender address.";
		return CS_OK;
	}
	if ((rc = new_ticket(db, a, m, &rt, &who, f)) != CS_OK)
		return rc;
	/* RFC 3834: never answer a machine, a list, or a bounce. */
	f->auto_reply = strcmp(f->status, "ticket") == 0 && !m->automatic && !m->list;
	return CS_OK;
}
