/*
 * kb.h — the knowledge base as readers see it: categories, published
 * articles (in the reader's language when a current translation exists),
 * search with ranking, highlighted snippets and typo tolerance, votes, and
 * the record of searches.
 *
 * Who may read what is the audience: visitors see public articles,
 * signed-in customers also those for customers, staff everything. Every
 * statement here says so itself; nothing relies on the caller filtering.
 * Strings returned live in the arena passed in. Functions return 0 or -1
 * (logged) unless said otherwise.
 */
#ifndef CSDESK_KB_H
#define CSDESK_KB_H

#include <stddef.h>

struct arena;
struct db;

enum kb_audience {
	KB_VISITOR,	/* public articles */
	KB_CUSTOMER,	/* public and signed-in customers' */
	KB_STAFF,	/* everything published, internal too */
};

/* Article types and their labels; kb_type_label(NULL or unknown) is "". */
#define KB_TYPES(X) X("howto", "How-to") X("troubleshooting", "Troubleshooting") \
	X("faq", "FAQ") X("best_practice", "Best practice")
const char *kb_type_label(const char *type);
/* 1 when type is one of KB_TYPES. */
int kb_type_valid(const char *type);

struct kb_category {
	long long id, parent_id;	/* parent 0: a top-level category */
	const char *slug, *name, *description;
	int position;
	long long articles;	/* published articles the audience may read */
	int depth;		/* 0 for top level (kb_categories order: tree walk) */
};

/*
 * Every category in tree order (parents before children, siblings by
 * position then name); with counts, the number of articles aud may read
 * in each (else 0: a select needs no counts).
 */
int kb_categories(struct db *db, struct arena *a, enum kb_audience aud, int counts,
    struct kb_category **out, size_t *n);

/* The path from the top down to the category (breadcrumbs); n 0 if none. */
int kb_category_path(struct db *db, struct arena *a, long long id, struct kb_category **out,
    size_t *n);

/* A category by slug: 1 found, 0 not, -1 error. */
int kb_category_by_slug(struct db *db, struct arena *a, const char *slug,
    struct kb_category *out);

/* An article in a list or a search result. */
struct kb_article_ref {
	long long id;
	const char *slug, *title, *summary, *type, *category_slug, *category_name;
	const char *updated;	/* YYYY-MM-DD */
	const char *snippet;	/* search only: HTML, escaped, matches in <mark> */
	long long views, helpful_yes, helpful_no;
};

/* Published articles aud may read in one category, by title. */
int kb_category_articles(struct db *db, struct arena *a, enum kb_audience aud, long long id,
    struct kb_article_ref **out, size_t *n);

/* The most viewed articles aud may read (the portal's front page). */
int kb_popular(struct db *db, struct arena *a, enum kb_audience aud, int limit,
    struct kb_article_ref **out, size_t *n);

struct kb_article {
	long long id, original_id, category_id, source_ticket_id;
	const char *slug, *type, *status, *visibility, *language;
	const char *title, *summary, *body, *tags;	/* tags: comma separated */
	const char *product_ids;			/* comma separated */
	const char *author, *reviewer;			/* names, "" when none */
	long long author_id, reviewer_id;
	const char *created, *updated, *published;	/* YYYY-MM-DD HH:MI UTC, or "" */
	long long views, helpful_yes, helpful_no, stars_sum, stars_count, used_in_tickets;
	int revision, content_version, source_version;
	int outdated;		/* a translation older than its original's text */
	const char *original_language;	/* a translation shown: its original's */
};

enum kb_found {
	KB_FOUND = 1,
	KB_NOT_FOUND = 0,	/* no such article, unpublished, or internal */
	KB_LOGIN = 2,		/* for signed-in customers and the reader is not */
};

/*
 * The published original with that slug as aud may read it, shown in the
 * first of langs (nlangs of them, best first) that has a published
 * translation made from the original's present text; else the original.
 * Returns enum kb_found, or -1.
 */
int kb_article_by_slug(struct db *db, struct arena *a, enum kb_audience aud, const char *slug,
    const char *const *langs, size_t nlangs, struct kb_article *out);

/* Up to limit other published articles aud may read: shared tags, then the
 * same category, the most viewed first. */
int kb_related(struct db *db, struct arena *a, enum kb_audience aud,
    const struct kb_article *art, int limit, struct kb_article_ref **out, size_t *n);

/*
 * The names of the active products in a comma-separated id list (an
 * article's product_ids), sorted: n of them in *out.
 */
int kb_product_names(struct db *db, struct arena *a, const char *ids, const char ***out,
    size_t *n);

struct kb_search {
	const char *q;		/* normalised (kb_query_normalise) */
	long long category_id;	/* 0: all; else that category and its subcategories */
	const char *type;	/* NULL or "": all types */
	enum kb_audience aud;
	int limit, offset;
	/* Match any of the words, in one query: suggestions for a ticket,
	 * whose subject is a sentence rather than a search. */
	int any_word;
};

struct kb_results {
	struct kb_article_ref *rows;
	size_t n;
	long long total;
	/* When the query as typed found little and a corrected one more: the
	 * corrected text the results are for; else NULL. */
	const char *corrected;
	/* Nothing matched every word: these match some of them. */
	int any_word;
	/* So many match that only the best of a bounded set were ranked:
	 * total is then "at least". */
	int more;
};

/*
 * Full-text search over published originals: title matches rank above
 * summary and tag matches, which rank above body matches. A very broad
 * query ranks a bounded set of candidates (title matches first) and sets
 * more. A short query
 * (three words or fewer) that finds fewer than three articles is tried
 * again with misspelt words corrected (kb_correct in SQL); a query of
 * several words that matches no article with all of them is tried with
 * any of them, those matching more ranking higher.
 */
int kb_search_run(struct db *db, struct arena *a, const struct kb_search *s,
    struct kb_results *out);

/* A new random search token (32 hex digits) in the arena; NULL if no memory. */
const char *kb_search_token(struct arena *a);

/*
 * Records a search under token (source "portal", "ticket_form",
 * "console"); the same token again updates the row (the new-ticket form
 * refining its subject) unless a ticket already followed.
 */
int kb_search_log(struct db *db, const char *token, const char *source, const char *query,
    long long results);
/* A result of the search behind token was opened. */
int kb_search_opened(struct db *db, const char *token, long long article_id);
/* A ticket was created after the suggestions behind token. */
int kb_search_ticket(struct db *db, const char *token, long long ticket_id);

/*
 * One vote per voter per article ("u<id>" or "a<hex>"): helpful 1 yes,
 * 0 no, -1 not given; stars 1-5 or 0 not given; comment may be NULL.
 * Voting again replaces the parts given. Returns 1, 0 when the article is
 * not one a voter (signed_in or not) may rate, -1 on error.
 */
int kb_rate(struct db *db, long long article_id, const char *voter, int helpful, int stars,
    const char *comment, int signed_in);

struct kb_image {
	long long id, article_id;
	const char *filename, *content_type;
	const unsigned char *data;
	size_t size;
};

/*
 * An image of an article aud may read (for staff: of any article).
 * 1 found, 0 not, -1 error.
 */
int kb_image_get(struct db *db, struct arena *a, enum kb_audience aud, long long id,
    struct kb_image *out);

/*
 * The snippet text from SQL (matches between \1 and \2) as HTML: escaped,
 * matches in <mark>. NULL when out of memory.
 */
const char *kb_snippet_html(struct arena *a, const char *raw);

#endif
