/*
 * kb_words.h — misspelt query words made right from the word list of
 * published articles (kb_words), kept in each worker's memory: the list is
 * read once and again only when kb_state.words says it grew.
 */
#ifndef CSDESK_KB_WORDS_H
#define CSDESK_KB_WORDS_H

#include "core/result.h"

struct arena;
struct db;

/*
 * The query with each word of three letters or more that no published
 * article contains replaced by the most similar word one does (pg_trgm's
 * similarity, at least KB_WORDS_THRESHOLD; the first in byte order among
 * equals), words lower-cased and joined by one blank. *fixed is NULL when
 * nothing changes, else a string in a. Costs one small statement (the
 * list's version) and, when the list grew, reading it. CS_OK, CS_DB_LOST
 * or CS_FAILED.
 */
enum cs_result kb_words_correct(struct db *db, struct arena *a, const char *q,
    const char **fixed);

/* pg_trgm's default similarity_threshold, which the SQL kb_correct used. */
#define KB_WORDS_THRESHOLD 0.3

#endif
