/*
 * kb_author.h — writing the knowledge base, for staff: articles and their
 * workflow (draft → in review → published → archived), revisions and
 * restoring one, translations, images, the category tree, a draft made
 * from a resolved ticket, and articles sent in tickets.
 *
 * Every change names the staff member who made it (kb_articles.updated_by,
 * read by the revision trigger in SQL). Strings returned live in the arena
 * passed in. Functions return an enum cs_result: CS_OK, CS_DB_LOST or
 * CS_FAILED (logged), and the other outcomes each names; CS_REFUSED and
 * CS_TAKEN come with a sentence for the person in *why (so do the
 * CS_NOT_FOUND and CS_CONFLICT of functions that say so).
 *
 * Implemented by kb_author.c (articles and their workflow), kb_version.c
 * (translations and revisions), kb_image.c, kb_category.c and
 * kb_ticket.c (articles and tickets).
 */
#ifndef CSDESK_KB_AUTHOR_H
#define CSDESK_KB_AUTHOR_H

#include <stddef.h>

#include "core/result.h"
#include "domain/kb.h"

/* Limits, in characters, as the tables' CHECKs say (011_knowledge_base.sql). */
#define KB_TITLE_MAX 200
#define KB_SUMMARY_MAX 500
#define KB_BODY_MAX 100000
#define KB_SLUG_MAX 120
#define KB_TAG_MAX 40		/* one tag */
#define KB_TAGS_MAX 20		/* tags on an article */
#define KB_CATEGORY_NAME_MAX 100
#define KB_CATEGORY_SLUG_MAX 80
#define KB_CATEGORY_DESCRIPTION_MAX 500
#define KB_IMAGE_NAME_MAX 255
/* The largest image, in bytes. */
#define KB_IMAGE_MAX (5 * 1024 * 1024)

/* What an author edits. Strings as typed; kb_author_check() validates. */
struct kb_edit {
	long long category_id;
	const char *slug;	/* NULL or "": made from the title */
	const char *type, *visibility;
	const char *title, *summary, *body;
	const char *tags;	/* comma separated */
	const char *products;	/* comma-separated product ids */
};

/*
 * Checks e against the rules (lengths, type, visibility, slug shape, tags,
 * product ids). Returns CS_OK, or CS_REFUSED with *why.
 */
enum cs_result kb_author_check(const struct kb_edit *e, const char **why);

/* A slug made from a title: lower-case ASCII words joined by '-'. NULL when out of memory. */
const char *kb_slugify(struct arena *a, const char *title);

/*
 * Creates a draft original in English. source_ticket_id 0 for none.
 * Returns CS_OK (id set), CS_REFUSED, or CS_TAKEN (the address).
 */
enum cs_result kb_article_create(struct db *db, struct arena *a, long long staff_id,
    const struct kb_edit *e, long long source_ticket_id, long long *id, const char **why);

/*
 * Saves e over the article when its revision is still revision (else
 * CS_CONFLICT, with *why). An empty slug keeps the present one. A
 * translation keeps its original's slug, category and visibility; saving
 * one marks it as made from the original's present text. Returns CS_OK,
 * CS_REFUSED, CS_TAKEN (the address), CS_CONFLICT or CS_NOT_FOUND.
 */
enum cs_result kb_article_update(struct db *db, struct arena *a, long long staff_id, long long id,
    int revision, const struct kb_edit *e, const char **why);

/*
 * Moves the article to status. Allowed moves: draft → review, review →
 * draft, review or draft → published, published → archived or draft,
 * archived → draft;
 * publishing needs can_publish (supervisors, admins) and makes the staff
 * member the article's last reviewer. Returns CS_OK, CS_REFUSED, CS_NOT_FOUND,
 * or CS_CONFLICT (someone moved it meanwhile), each but CS_OK with *why.
 */
enum cs_result kb_article_set_status(struct db *db, long long staff_id, long long id, const char *status,
    int can_publish, const char **why);

/*
 * The statuses an article in from may move to (at most 4, into out), for
 * someone who may publish or not. Returns how many.
 */
size_t kb_status_next(const char *from, int can_publish, const char **out);

/* Any article for staff, with author and reviewer names. CS_OK or CS_NOT_FOUND. */
enum cs_result kb_article_get(struct db *db, struct arena *a, long long id, struct kb_article *out);

struct kb_list_filter {
	const char *status;	/* NULL or "": every status */
	long long category_id;	/* 0: every category */
	const char *q;		/* NULL or "": no text filter */
	int limit, offset;
};

struct kb_list_row {
	long long id, original_id, views, helpful_yes, helpful_no, used_in_tickets;
	const char *slug, *title, *type, *status, *visibility, *language, *category, *author;
	const char *updated;
	int outdated;
};

/* Articles and translations for the console's list, newest change first. */
enum cs_result kb_article_list(struct db *db, struct arena *a, const struct kb_list_filter *f,
    struct kb_list_row **out, size_t *n);

/* The translations of an original (outdated set when its text moved on). */
enum cs_result kb_translations(struct db *db, struct arena *a, long long original_id,
    struct kb_list_row **out, size_t *n);

/*
 * Starts a translation of an original into language ("de", "fr-ca") as a
 * draft holding the original's text to translate. Returns CS_OK (id set),
 * CS_REFUSED (not an original, not a language) or CS_TAKEN (there is one).
 */
enum cs_result kb_translation_create(struct db *db, long long staff_id, long long original_id,
    const char *language, long long *id, const char **why);

struct kb_revision {
	int revision;
	const char *who, *when, *changed;	/* changed: "title, body" */
	const char *title, *summary, *body, *tags, *type, *visibility, *status;
	long long category_id;
};

/* The history, newest first (without texts). */
enum cs_result kb_revisions(struct db *db, struct arena *a, long long article_id,
    struct kb_revision **out, size_t *n);

/* One revision with its texts. CS_OK or CS_NOT_FOUND. */
enum cs_result kb_revision_get(struct db *db, struct arena *a, long long article_id, int revision,
    struct kb_revision *out);

/*
 * Puts an old revision's text, tags, type, category and visibility back
 * as a new revision (the status stays). CS_OK or CS_NOT_FOUND.
 */
enum cs_result kb_revision_restore(struct db *db, long long staff_id, long long article_id,
    int revision);

/*
 * Adds an image to an article; its type is read from the data. CS_OK (id
 * set), CS_REFUSED (type or size), CS_NOT_FOUND (no such article, *why).
 */
enum cs_result kb_image_add(struct db *db, long long staff_id, long long article_id,
    const char *filename, const void *data, size_t len, long long *id, const char **why);

/* An article's images, newest first (data not loaded). */
enum cs_result kb_images(struct db *db, struct arena *a, long long article_id, struct kb_image **out,
    size_t *n);

/*
 * Categories: create one (id 0), or change name, slug (NULL or "": made
 * from the name), parent (0: top level), position and description. Slugs
 * "search", "suggest", "a" and "images" are the portal's own paths.
 * Returns CS_OK (*out_id set when out_id is not NULL), CS_REFUSED (bad
 * input, a move under itself), CS_TAKEN (the address) or CS_NOT_FOUND,
 * each but CS_OK with *why.
 */
enum cs_result kb_category_save(struct db *db, struct arena *a, long long id, const char *name,
    const char *slug, long long parent_id, int position, const char *description,
    long long *out_id, const char **why);

/*
 * A draft article from a resolved or closed ticket: its subject, the
 * problem as described and the public replies that solved it, its tags
 * and product, in the knowledge-base category of the same name as the
 * ticket's (else the first). Returns CS_OK (id set), CS_REFUSED (not
 * resolved, no category yet) or CS_NOT_FOUND (no such ticket), with *why.
 */
enum cs_result kb_draft_from_ticket(struct db *db, struct arena *a, long long staff_id, const char *number,
    long long *id, const char **why);

/*
 * Records that the article was sent in the ticket (once per pair; the
 * article's times_used_in_tickets counts it). Returns CS_OK; *added (may
 * be NULL) says whether the pair is new.
 */
enum cs_result kb_link_ticket(struct db *db, long long staff_id, long long article_id,
    long long ticket_id, int *added);

#endif
