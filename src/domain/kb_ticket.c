/*
 * kb_ticket.c — the knowledge base and tickets (kb_author.h): a draft
 * article made from a resolved ticket, and an article sent in a ticket.
 */
#include "domain/kb_author.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/kb_int.h"

#include <stdio.h>
#include <string.h>

/* What a draft takes from a ticket. */
#define FROM_TICKET_COLS(X) \
	X(FT, id, "t.id") X(FT, subject, "t.subject") X(FT, description, "t.description") \
	X(FT, status, "t.status") X(FT, tags, "array_to_string(t.tags, ',')") \
	X(FT, product, "coalesce(t.product_id::text, '')") \
	X(FT, category_id, "coalesce((SELECT k.id FROM kb_categories k JOIN categories c" \
	"  ON lower(c.name) = lower(k.name) WHERE c.id = t.category_id ORDER BY k.id LIMIT 1)," \
	"  (SELECT k.id FROM kb_categories k WHERE k.parent_id IS NULL" \
	"  ORDER BY k.position, k.id LIMIT 1), 0)") \
	X(FT, replies, "coalesce((SELECT string_agg(m.body, E'\\n\\n' ORDER BY m.id)" \
	"  FROM ticket_comments m WHERE m.ticket_id = t.id AND m.kind = 'public'" \
	"  AND m.author_staff_id IS NOT NULL), '')") \
	X(FT, cause, "coalesce(t.root_cause, '')")
enum { DB_COL_ENUM(FROM_TICKET_COLS) };

enum stmt {
	ST_FROM_TICKET,
	ST_LINK,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_FROM_TICKET] = DB_STMT("kb_from_ticket",
	    "SELECT " DB_COLS(FROM_TICKET_COLS) " FROM tickets t WHERE t.number = $1", 1),
	[ST_LINK] = DB_STMT("kb_link_ticket",
	    "INSERT INTO kb_article_tickets (article_id, ticket_id, staff_id) VALUES ($1, $2, $3)"
	    " ON CONFLICT DO NOTHING RETURNING 1", 3),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "a statement per enum");

/* The draft's text: the problem, its cause when known, the replies that solved it. */
static const char *
draft_body(struct arena *a, const char *desc, const char *cause, const char *replies)
{
	struct buf body;

	buf_init(&body, a);
	buf_printf(&body, "## Problem\n\n%s\n\n", desc);
	if (cause[0] != '\0')
		buf_printf(&body, "## Cause\n\n%s\n\n", cause);
	buf_printf(&body, "## Solution\n\n%s\n", replies[0] ? replies :
	    "Describe the steps that solved it.");
	if (buf_failed(&body))
		return NULL;
	/* Cut with "…" added: one character fewer leaves room for it. */
	return utf8_short(a, body.buf, KB_BODY_MAX - 1);
}

enum cs_result
kb_draft_from_ticket(struct db *db, struct arena *a, long long staff_id, const char *number,
    long long *id, const char **why)
{
	const char *p[] = { number };
	struct kb_edit e = { 0 };
	PGresult *res;
	const char *status, *desc, *replies, *cause;
	long long ticket_id;
	int failed = 0;

	if ((res = db_exec(db, &stmts[ST_FROM_TICKET], p)) == NULL)
		return db_result(db);
	if (PQntuples(res) == 0) {
		PQclear(res);
		return kb_refuse(why, CS_NOT_FOUND, "There is no such ticket.");
	}
	ticket_id = db_ll(res, 0, FT_id);
	e.title = db_str(a, res, 0, FT_subject, &failed);
	desc = db_str(a, res, 0, FT_description, &failed);
	status = db_str(a, res, 0, FT_status, &failed);
	e.tags = db_str(a, res, 0, FT_tags, &failed);
	e.products = db_str(a, res, 0, FT_product, &failed);
	e.category_id = db_ll(res, 0, FT_category_id);
	replies = db_str(a, res, 0, FT_replies, &failed);
	cause = db_str(a, res, 0, FT_cause, &failed);
	PQclear(res);
	if (failed)
		return CS_FAILED;
	if (strcmp(status, "resolved") != 0 && strcmp(status, "closed") != 0)
		return kb_refuse(why, CS_REFUSED,
		    "Only a resolved or closed ticket can become an article.");
	if (e.category_id == 0)
		return kb_refuse(why, CS_REFUSED, "Make a knowledge-base category first.");
	/* The ticket's words are the customer's: nobody outside sees the
	 * draft until an editor has made it general and chosen its audience. */
	if ((e.body = draft_body(a, desc, cause, replies)) == NULL ||
	    (e.title = utf8_short(a, e.title, KB_TITLE_MAX - 1)) == NULL)
		return CS_FAILED;
	e.summary = "";
	e.type = "troubleshooting";
	e.visibility = "internal";
	return kb_article_create(db, a, staff_id, &e, ticket_id, id, why);
}

enum cs_result
kb_link_ticket(struct db *db, long long staff_id, long long article_id, long long ticket_id,
    int *added)
{
	char aid[24], tid[24], staff[24];
	const char *p[] = { aid, tid, staff };
	PGresult *res;

	snprintf(aid, sizeof(aid), "%lld", article_id);
	snprintf(tid, sizeof(tid), "%lld", ticket_id);
	snprintf(staff, sizeof(staff), "%lld", staff_id);
	if ((res = db_exec(db, &stmts[ST_LINK], p)) == NULL)
		return db_result(db);
	if (added != NULL)
		*added = PQntuples(res) > 0;
	PQclear(res);
	return CS_OK;
}
