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
#include "domain/tickets.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TICKET_COLS(X) X(TK, id, "t.id") X(TK, number, "t.number") \
	X(TK, customer_id, "t.customer_id")
enum { DB_COL_ENUM(TICKET_COLS) };

#define QUEUE_COLS(X) X(QU, id, "queue_id")
enum { DB_COL_ENUM(QUEUE_COLS) };

#define SENT_COLS(X) X(SN, id, "n.id") X(SN, recipient, "n.recipient")
enum { DB_COL_ENUM(SENT_COLS) };

enum stmt {
	ST_BY_REFS,
	ST_BY_NUMBER,
	ST_BY_TOKEN,
	ST_BY_ID,
	ST_SIMILAR,
	ST_OWN,
	ST_QUEUE,
	ST_SENT,
	ST_BOUNCED,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/*
	 * $1 the Message-IDs it answers (a JSON array), $2 the outbox ids of
	 * the ones csdesk made (csdesk.<id>.<time>@…). What csdesk sent
	 * first, then what it received; the newest reference first.
	 */
	[ST_BY_REFS] = DB_STMT("mail_thread_refs",
	    "SELECT " DB_COLS(TICKET_COLS) " FROM ("
	    " SELECT n.ticket_id AS tid, 1 AS o, n.id AS k FROM notifications n"
	    "  WHERE n.id IN (SELECT jsonb_array_elements_text($2::jsonb)::bigint)"
	    "  AND n.ticket_id IS NOT NULL"
	    " UNION ALL SELECT m.ticket_id, 2, m.id FROM mail_messages m"
	    "  WHERE m.message_id IN (SELECT jsonb_array_elements_text($1::jsonb))"
	    "  AND m.ticket_id IS NOT NULL) x"
	    " JOIN tickets t ON t.id = x.tid ORDER BY x.o, x.k DESC LIMIT 1", 2),
	[ST_BY_NUMBER] = DB_STMT("mail_thread_number",
	    "SELECT " DB_COLS(TICKET_COLS) " FROM tickets t WHERE t.number = $1", 1),
	[ST_BY_TOKEN] = DB_STMT("mail_thread_token",
	    "SELECT " DB_COLS(TICKET_COLS) " FROM ticket_mail_tokens k"
	    " JOIN tickets t ON t.id = k.ticket_id WHERE k.token = $1", 1),
	[ST_BY_ID] = DB_STMT("mail_ticket",
	    "SELECT " DB_COLS(TICKET_COLS) " FROM tickets t WHERE t.id = $1", 1),
	/* The sender's latest ticket with the same subject: a merge to suggest. */
	[ST_SIMILAR] = DB_STMT("mail_similar",
	    "SELECT " DB_COLS(TICKET_COLS) " FROM tickets t WHERE t.requester_id = $1"
	    " AND lower(t.subject) = lower($2) ORDER BY t.updated_at DESC, t.id DESC LIMIT 1", 2),
	/* csdesk's own addresses: mail from them is a loop. */
	[ST_OWN] = DB_STMT("mail_own_address",
	    "SELECT EXISTS (SELECT 1 FROM mail_addresses WHERE address = lower($1))"
	    " OR EXISTS (SELECT 1 FROM team_mail WHERE address = lower($1))", 1),
	/* The queue of the address it came to: the envelope's first. */
	[ST_QUEUE] = DB_STMT("mail_queue",
	    "SELECT " DB_COLS(QUEUE_COLS) " FROM mail_addresses WHERE active"
	    " AND address IN (SELECT jsonb_array_elements_text($1::jsonb))"
	    " ORDER BY address = lower($2) DESC, id LIMIT 1", 2),
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

/* Row 0 of r as a ticket into f (when there is one). */
static int
take_ticket(struct arena *a, PGresult *r, struct found *f, const char *how)
{
	int failed = 0;

	if (r == NULL || PQntuples(r) != 1)
		return 0;
	f->id = db_ll(r, 0, TK_id);
	f->customer_id = db_ll(r, 0, TK_customer_id);
	f->number = db_str(a, r, 0, TK_number, &failed);
	f->how = how;
	return !failed;
}

/* One statement's ticket. 1 found, 0 not, -1 the database failed. */
static int
ticket_by(struct db *db, struct arena *a, enum stmt st, const char *const *p, struct found *f,
    const char *how)
{
	PGresult *r = db_exec(db, &stmts[st], p);
	int got;

	if (r == NULL)
		return -1;
	got = take_ticket(a, r, f, how);
	PQclear(r);
	return got;
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

/* The threading rules, in order. 1 found, 0 not, -1 the database failed. */
static int
thread(struct db *db, struct arena *a, const struct mail_parsed *m, const char *recipient,
    struct found *f)
{
	const char *tag = mail_text_ticket_tag(a, m->subject), *token = NULL;
	const char *p[2];
	size_t i;
	int got;

	if (m->nrefs > 0) {
		p[0] = json_list(a, m->refs, m->nrefs, 0);
		p[1] = json_list(a, m->refs, m->nrefs, 1);
		if (p[0] == NULL || p[1] == NULL)
			return -1;
		if ((got = ticket_by(db, a, ST_BY_REFS, p, f, "In-Reply-To/References")) != 0)
			return got;
	}
	if (tag != NULL) {
		p[0] = tag;
		if ((got = ticket_by(db, a, ST_BY_NUMBER, p, f, "the subject's tag")) != 0)
			return got;
	}
	token = mail_text_reply_token(a, recipient);
	for (i = 0; token == NULL && i < m->nrcpts; i++)
		token = mail_text_reply_token(a, m->rcpts[i]);
	if (token != NULL) {
		p[0] = token;
		return ticket_by(db, a, ST_BY_TOKEN, p, f, "the reply address");
	}
	return 0;
}

/* A boolean statement's answer; -1 when the database failed. */
static int
yes(struct db *db, enum stmt st, const char *const *p)
{
	PGresult *r = db_exec(db, &stmts[st], p);
	int v;

	if (r == NULL)
		return -1;
	v = PQntuples(r) == 1 && db_bool(r, 0, 0);
	PQclear(r);
	return v;
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

/* A new ticket for the sender. */
static enum cs_result
new_ticket(struct db *db, struct arena *a, const struct mail_parsed *m, const char *recipient,
    const struct contact *who, struct mail_filed *f)
{
	struct ticket_actor_ref sys = { .kind = TA_SYSTEM };
	struct ticket_new t = { .channel = "email", .customer_id = who->customer_id,
		.requester_id = who->user_id, .external_ref = m->message_id };
	struct ticket_opened out;
	struct ticket_file *files;
	const char *left, *p[2], *why = NULL, *before = f->why;
	PGresult *r;
	struct found similar;
	enum cs_result rc;

	if ((left = files_for(a, m, &files, &t.nfiles)) == NULL)
		return CS_FAILED;
	t.files = files;
	t.subject = m->subject[0] != '\0' ? mail_text_line(a, m->subject, TICKET_SUBJECT_MAX) :
	    MAIL_NO_SUBJECT;
	if (t.subject == NULL || (t.description = body_of(a, m->text, left, NULL,
	    TICKET_DESCRIPTION_MAX)) == NULL)
		return CS_FAILED;
	p[0] = json_list(a, m->rcpts, m->nrcpts, 0);
	p[1] = recipient;
	if (p[0] == NULL)
		return CS_FAILED;
	if ((r = db_exec(db, &stmts[ST_QUEUE], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) == 1)
		t.queue_id = db_ll(r, 0, QU_id);
	PQclear(r);
	/* Unsure: a new ticket, and the sender's ticket of the same subject to merge with. */
	if (f->suggested_id == 0 && who->user_id > 0) {
		char uid[24];
		const char *sp[2] = { uid, m->subject };
		const char *base = m->subject;

		while (strncasecmp(base, "re:", 3) == 0 || strncasecmp(base, "aw:", 3) == 0 ||
		    strncasecmp(base, "fwd:", 4) == 0 || strncasecmp(base, "fw:", 3) == 0)
			for (base = strchr(base, ':') + 1; *base == ' '; base++)
				;
		sp[1] = base;
		snprintf(uid, sizeof(uid), "%lld", who->user_id);
		memset(&similar, 0, sizeof(similar));
		if (base != m->subject && base[0] != '\0') {
			int got = ticket_by(db, a, ST_SIMILAR, sp, &similar, "");

			if (got < 0)
				return db_result(db);
			if (got > 0)
				f->suggested_id = similar.id;
		}
	}
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

enum cs_result
mail_file_message(struct db *db, struct arena *a, const struct mail_parsed *m,
    const char *recipient, struct mail_filed *f)
{
	struct contact_in ci = { .email = m->from_addr, .name = m->from_name, .via = "email" };
	struct contact who = { 0 };
	struct found t = { 0 };
	const char *p[1] = { m->from_addr }, *why = NULL;
	int own, found;
	enum cs_result rc;

	memset(f, 0, sizeof(*f));
	f->ticket_number = "";
	if (m->bounce)
		return bounce(db, a, m, f);
	if ((own = m->from_addr[0] != '\0' ? yes(db, ST_OWN, p) : 0) < 0)
		return db_result(db);
	if (own) {
		f->status = "ignored";
		f->why = "It comes from one of csdesk's own addresses: a mail loop.";
		return CS_OK;
	}
	if ((found = thread(db, a, m, recipient, &t)) < 0)
		return db_result(db);
	if (m->from_addr[0] != '\0') {
		rc = contact_find_or_create(db, a, &ci, &who, &why);
		if (rc != CS_OK && rc != CS_REFUSED)
			return rc;
		f->sender_id = who.user_id;
	}
	if (found) {
		if ((rc = on_ticket(db, a, m, &t, &who, f)) != CS_OK || f->status != NULL)
			return rc;
	}
	if (who.customer_id <= 0) {
		f->status = "ignored";
		f->why = why != NULL ? arena_printf(a, "No ticket: %s", why) :
		    "No ticket: the message has no usable sender address.";
		return CS_OK;
	}
	if ((rc = new_ticket(db, a, m, recipient, &who, f)) != CS_OK)
		return rc;
	/* RFC 3834: never answer a machine, a list, or a bounce. */
	f->auto_reply = strcmp(f->status, "ticket") == 0 && !m->automatic && !m->list;
	return CS_OK;
}
