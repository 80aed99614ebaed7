/*
 * kb_query.h — what visitors type or send, made safe to search with and to
 * record: the search box's text and the Accept-Language header. Pure C, no
 * database: both parsers are fuzzed (tests/fuzz/fuzz_kb_query.c).
 */
#ifndef CSDESK_KB_QUERY_H
#define CSDESK_KB_QUERY_H

#include <stddef.h>

struct arena;

/* The longest query kept, in bytes (kb_searches.query allows 200). */
#define KB_QUERY_MAX 200

/*
 * The query as searched and recorded: invalid UTF-8 and control
 * characters dropped, runs of blanks made one space, no blank at either
 * end, cut to KB_QUERY_MAX bytes on a character boundary. NULL in gives
 * "". Returns a string in the arena, or NULL when out of memory.
 */
const char *kb_query_normalise(struct arena *a, const char *in);

/* The number of words (runs of non-blanks) in a normalised query. */
int kb_query_words(const char *q);

/* The most trigrams a word of KB_WORD_MAX characters has. */
#define KB_WORD_MAX 30
#define KB_TRGM_MAX (KB_WORD_MAX + 1)

/*
 * The distinct trigrams of one lower-case word as pg_trgm makes them (the
 * word padded with two blanks before and one after), each packed into a
 * number, sorted, in out. Characters past KB_WORD_MAX are ignored.
 * Returns how many.
 */
int kb_query_trigrams(const char *word, unsigned out[KB_TRGM_MAX]);

/*
 * pg_trgm's similarity of two words from their kb_query_trigrams: shared
 * trigrams over all distinct ones, 0 to 1.
 */
double kb_query_similarity(const unsigned *a, int na, const unsigned *b, int nb);

#define KB_LANGS_MAX 4
#define KB_LANG_LEN 6	/* "pt-br" and its NUL */

/*
 * The languages an Accept-Language header asks for, best first (by q,
 * then by order), lower-case, each "ll" or "ll-cc"; a regional tag is
 * followed by its primary language when that is not listed ("de-ch, en"
 * gives de-ch, de, en). Tags that are not of that shape ("*", "x-klingon")
 * and those with q=0 are left out. Returns how many were written to out
 * (at most KB_LANGS_MAX); NULL or junk gives 0.
 */
int kb_accept_languages(const char *header, char out[KB_LANGS_MAX][KB_LANG_LEN]);

#endif
