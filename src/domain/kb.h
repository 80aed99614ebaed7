/*
 * kb.h — the knowledge base as readers see it: categories, published
 * articles (in the reader's language when a current translation exists),
 * search with ranking, highlighted snippets and typo tolerance, votes, and
 * the record of searches.
 *
 * Who may read what is the audience: visitors see public articles,
 * signed-in customers also those for customers, staff everything. Every
 * statement here says so itself; nothing relies on the caller filtering.
 * Strings returned live in the arena passed in. Functions that can fail
 * return an enum cs_result: CS_OK, or CS_DB_LOST / CS_FAILED (logged),
 * and the other outcomes each function names. Search is in kb_search.h,
 * writing in kb_author.h.
 *
 * Implemented by kb.c (articles), kb_category.c (the category tree) and
 * kb_image.c (images).
 */
#ifndef CSDESK_KB_H
#define CSDESK_KB_H

#include <stddef.h>

#include "core/result.h"

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
enum cs_result kb_categories(struct db *db, struct arena *a, enum kb_audience aud, int counts,
    struct kb_category **out, size_t *n);

/*
 * kb_categories without counts, from this worker's copy: read again when
 * version (kb_state.categories, as a search returned it: kb_results) is
 * not the one kept. Version 0 reads the list without keeping it.
 */
enum cs_result kb_categories_kept(struct db *db, struct arena *a, long long version,
    struct kb_category **out, size_t *n);

/* The path from the top down to the category (breadcrumbs); n 0 if none. */
enum cs_result kb_category_path(struct db *db, struct arena *a, long long id, struct kb_category **out,
    size_t *n);

/* A category by slug: CS_OK or CS_NOT_FOUND. */
enum cs_result kb_category_by_slug(struct db *db, struct arena *a, const char *slug,
    struct kb_category *out);

/* An article in a list or a search result. */
struct kb_article_ref {
	long long id;
	const char *slug, *title, *summary, *type, *category_slug, *category_name;
	const char *updated;	/* YYYY-MM-DD */
	const char *snippet;	/* search only: HTML, escaped, matches in <mark>; else NULL */
	long long views, helpful_yes, helpful_no;
};

/* Published articles aud may read in one category, by title. */
enum cs_result kb_category_articles(struct db *db, struct arena *a, enum kb_audience aud, long long id,
    struct kb_article_ref **out, size_t *n);

/* The most viewed articles aud may read (the portal's front page). */
enum cs_result kb_popular(struct db *db, struct arena *a, enum kb_audience aud, int limit,
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

/*
 * The published original with that slug as aud may read it, shown in the
 * first of langs (nlangs of them, best first) that has a published
 * translation made from the original's present text; else the original.
 * Returns CS_OK; CS_NOT_FOUND (no such article, unpublished, or
 * internal); CS_REFUSED when it is for signed-in customers and the reader
 * is a visitor (*why: sign in; out is filled all the same).
 */
enum cs_result kb_article_by_slug(struct db *db, struct arena *a, enum kb_audience aud,
    const char *slug, const char *const *langs, size_t nlangs, struct kb_article *out,
    const char **why);

/* Up to limit other published articles aud may read: shared tags, then the
 * same category, the most viewed first. */
enum cs_result kb_related(struct db *db, struct arena *a, enum kb_audience aud,
    const struct kb_article *art, int limit, struct kb_article_ref **out, size_t *n);

/*
 * The names of the active products in a comma-separated id list (an
 * article's product_ids), sorted: n of them in *out.
 */
enum cs_result kb_product_names(struct db *db, struct arena *a, const char *ids, const char ***out,
    size_t *n);

/* The longest comment with a vote, in characters (kb_article_ratings' CHECK). */
#define KB_COMMENT_MAX 2000

/*
 * One vote per voter per article ("u<id>" or "a<hex>"): helpful 1 yes,
 * 0 no, -1 not given; stars 1-5 or 0 not given; comment may be NULL.
 * Voting again replaces the parts given. Returns CS_OK; CS_REFUSED with
 * *why (nothing given, stars out of range, comment over KB_COMMENT_MAX);
 * CS_NOT_FOUND when the article is not one a voter (signed_in or not) may
 * rate. An anonymous voter ("a…") from an address (the client's, or NULL)
 * that voted on the article before replaces that vote instead of adding
 * one: a fresh cookie per vote counts once per address.
 */
enum cs_result kb_rate(struct db *db, long long article_id, const char *voter, int helpful,
    int stars, const char *comment, int signed_in, const char *address, const char **why);

struct kb_image {
	long long id, article_id;
	const char *filename, *content_type;
	const unsigned char *data;
	size_t size;
};

/*
 * An image of an article aud may read (for staff: of any article).
 * CS_OK or CS_NOT_FOUND.
 */
enum cs_result kb_image_get(struct db *db, struct arena *a, enum kb_audience aud, long long id,
    struct kb_image *out);

#endif
