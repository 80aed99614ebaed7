/*
 * kb_int.h — what the knowledge-base modules (kb.c, kb_author.c,
 * kb_insight.c) share and nobody else needs: the article's column list and
 * the function that reads it.
 */
#ifndef CSDESK_KB_INT_H
#define CSDESK_KB_INT_H

#include <libpq-fe.h>

struct arena;
struct kb_article;

#define KB_TS(x) "coalesce(to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), '')"

/*
 * The columns of struct kb_article, in fill_article's order. The portal's
 * role may not read staff: its statements pass '' for the names.
 */
#define KB_ARTICLE_COLS(author, reviewer) \
	"a.id, coalesce(a.original_id, 0), a.category_id, coalesce(a.source_ticket_id, 0)," \
	" a.slug, a.type, a.status, a.visibility, a.language, a.title, a.summary, a.body," \
	" array_to_string(a.tags, ','), array_to_string(a.product_ids, ',')," \
	" " author ", " reviewer ", coalesce(a.author_id, 0)," \
	" coalesce(a.reviewer_id, 0), " KB_TS("a.created_at") ", " KB_TS("a.updated_at") ", " \
	KB_TS("a.published_at") ", a.view_count, a.helpful_yes, a.helpful_no, a.stars_sum," \
	" a.stars_count, a.times_used_in_tickets, a.revision, a.content_version," \
	" coalesce(a.source_version, 0)"

/* Fills art from row 0 of res (KB_ARTICLE_COLS). 0, or -1 when out of memory. */
int kb_fill_article(struct arena *a, PGresult *res, struct kb_article *art);

#endif
