/*
 * kb_int.h — what the knowledge-base modules (kb*.c) share and nobody else
 * needs: the article's column list and the function that reads it, the
 * audience as a statement parameter, the slug rule and the refusal helper.
 */
#ifndef CSDESK_KB_INT_H
#define CSDESK_KB_INT_H

#include <libpq-fe.h>
#include <stddef.h>

#include "core/result.h"
#include "db/db.h"
#include "domain/kb.h"

struct arena;

#define KB_TS(x) "coalesce(to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), '')"

/* Only published originals the audience ($1, text[]) may read. */
#define KB_PUBLISHED(a) \
	" " a ".status = 'published' AND " a ".original_id IS NULL AND " a ".visibility = ANY($1::text[])"

/*
 * The columns of struct kb_article (X(prefix, name, expr) entries, see
 * db.h), read by kb_fill_article. The portal's role may not read staff:
 * its statements pass '' for the names. A statement adds its own columns
 * after these with KB_ARTICLE_MORE.
 */
#define KB_ARTICLE_COLS(X, P, author_expr, reviewer_expr) \
	X(P, id, "a.id") X(P, original_id, "coalesce(a.original_id, 0)") \
	X(P, category_id, "a.category_id") \
	X(P, source_ticket_id, "coalesce(a.source_ticket_id, 0)") \
	X(P, slug, "a.slug") X(P, type, "a.type") X(P, status, "a.status") \
	X(P, visibility, "a.visibility") X(P, language, "a.language") X(P, title, "a.title") \
	X(P, summary, "a.summary") X(P, body, "a.body") \
	X(P, tags, "array_to_string(a.tags, ',')") \
	X(P, product_ids, "array_to_string(a.product_ids, ',')") \
	X(P, author, author_expr) X(P, reviewer, reviewer_expr) \
	X(P, author_id, "coalesce(a.author_id, 0)") \
	X(P, reviewer_id, "coalesce(a.reviewer_id, 0)") \
	X(P, created, KB_TS("a.created_at")) X(P, updated, KB_TS("a.updated_at")) \
	X(P, published, KB_TS("a.published_at")) X(P, views, "a.view_count") \
	X(P, helpful_yes, "a.helpful_yes") X(P, helpful_no, "a.helpful_no") \
	X(P, stars_sum, "a.stars_sum") X(P, stars_count, "a.stars_count") \
	X(P, used_in_tickets, "a.times_used_in_tickets") X(P, revision, "a.revision") \
	X(P, content_version, "a.content_version") \
	X(P, source_version, "coalesce(a.source_version, 0)")

/* The positions of KB_ARTICLE_COLS, the same in every statement that starts with them. */
#define KB_ART_(X) KB_ARTICLE_COLS(X, KB_ART, "''", "''")
enum { DB_COL_ENUM(KB_ART_) KB_ART__END };

/* The columns of struct kb_article_ref, read by kb_fill_ref ("a" articles, "c" categories). */
#define KB_REF_COLS(X) \
	X(KB_REF, id, "a.id") X(KB_REF, slug, "a.slug") X(KB_REF, title, "a.title") \
	X(KB_REF, summary, "a.summary") X(KB_REF, type, "a.type") \
	X(KB_REF, category_slug, "c.slug") X(KB_REF, category_name, "c.name") \
	X(KB_REF, updated, "to_char(a.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')") \
	X(KB_REF, views, "a.view_count") X(KB_REF, helpful_yes, "a.helpful_yes") \
	X(KB_REF, helpful_no, "a.helpful_no")
enum { DB_COL_ENUM(KB_REF_COLS) KB_REF__END };

/* Fills a struct kb_article_ref (elem) from row i (a db_fill_fn). CS_OK, or CS_FAILED when out of memory. */
enum cs_result kb_fill_ref(struct arena *a, const PGresult *res, int i, void *elem);

/* Fills art from row of res (KB_ARTICLE_COLS first). CS_OK, or CS_FAILED when out of memory. */
enum cs_result kb_fill_article(struct arena *a, const PGresult *res, int row, struct kb_article *art);

/* Who sees which visibility, as the text[] parameter statements take as $1. */
const char *kb_audience_param(enum kb_audience aud);

/* 1 when s is a slug of at most max characters: a-z, 0-9, single inner hyphens. */
int kb_slug_ok(const char *s, size_t max);

/* Sets *why to text and returns rc (CS_REFUSED, CS_TAKEN, CS_NOT_FOUND…). */
enum cs_result kb_refuse(const char **why, enum cs_result rc, const char *text);

#endif
