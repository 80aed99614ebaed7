/*
 * kb_search.h — searching the knowledge base and the record of searches:
 * ranked full-text search with highlighted snippets and typo tolerance,
 * the search token that ties a search to what followed (an article
 * opened, a ticket sent anyway: the deflection record).
 *
 * Strings returned live in the arena passed in. Functions return CS_OK,
 * or CS_DB_LOST / CS_FAILED (logged).
 */
#ifndef CSDESK_KB_SEARCH_H
#define CSDESK_KB_SEARCH_H

#include <stddef.h>

#include "core/result.h"
#include "domain/kb.h"

struct arena;
struct db;

struct kb_search {
	const char *q;		/* normalised (kb_query_normalise) */
	long long category_id;	/* 0: all; else that category and its subcategories */
	const char *type;	/* NULL or "": all types */
	enum kb_audience aud;
	int limit, offset;
	/* Match any of the words, in one query: suggestions for a ticket,
	 * whose subject is a sentence rather than a search. */
	int any_word;
	/* When set, the search is recorded under this token (kb_search_log:
	 * what the results are for and how many) by the search's own
	 * statement, source naming where it was typed. */
	const char *record_token, *record_source;
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
	/* kb_state's numbers as the search saw them: the word list's and the
	 * category list's versions (kb_categories_kept). 0 when no search ran. */
	long long words_version, categories_version;
};

/*
 * Full-text search over published originals: title matches rank above
 * summary and tag matches, which rank above body matches. A very broad
 * query ranks a bounded set of candidates (title matches first) and sets
 * more. A short query (three words or fewer) that finds fewer than three
 * articles is tried again with misspelt words corrected (kb_words_fix); a
 * query of several words that matches no article with all of them is
 * tried with any of them, those matching more ranking higher. One
 * statement, tries included; a second only when the kept word list turns
 * out to be older than the articles and the correction changes with it.
 */
enum cs_result kb_search_run(struct db *db, struct arena *a, const struct kb_search *s,
    struct kb_results *out);

/* A new random search token (32 hex digits) in the arena; NULL if no memory. */
const char *kb_search_token(struct arena *a);

/* 1 when t has the shape of a search token (32 lower-case hex digits). */
int kb_search_token_ok(const char *t);

/*
 * Records a search under token (source "portal", "ticket_form",
 * "console"); the same token again updates the row (the new-ticket form
 * refining its subject) unless a ticket already followed. The row is a
 * statistic: it commits without waiting for the disk, so call it on its
 * own, never inside a transaction that must be durable.
 */
enum cs_result kb_search_log(struct db *db, const char *token, const char *source,
    const char *query, long long results);

/* A result of the search behind token was opened (a malformed token: ignored). */
enum cs_result kb_search_opened(struct db *db, const char *token, long long article_id);

/*
 * The deflection record: a ticket was created after the suggestions
 * behind token (the new-ticket form's kb_token). Needs no request: a
 * consumer of ticket.created calls it with the ticket's id and the token
 * the event carries. A NULL or malformed token is ignored (CS_OK). a is
 * not used today; it is there so the consumer's call does not change.
 */
enum cs_result kb_search_ticket(struct db *db, struct arena *a, long long ticket_id,
    const char *token);

/* A snippet's passages: at most this many words each; with no match, this many from the start. */
#define KB_SNIPPET_WORDS 28
#define KB_SNIPPET_MIN_WORDS 12

/*
 * A search result's snippet as HTML (kb_snippet.c): up to two passages of
 * text, each of KB_SNIPPET_WORDS words centred on a word found in marks (a
 * blank-separated list of lower-case word forms: those that match the
 * query), in the order of the text and joined by " … ", the matches in
 * <mark>; with none found, the first KB_SNIPPET_MIN_WORDS words. Escaped.
 * Words are runs of letters and digits. NULL when out of memory.
 */
const char *kb_snippet_make(struct arena *a, const char *text, const char *marks);

#endif
