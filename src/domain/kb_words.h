/*
 * kb_words.h — misspelt query words made right from the word list of
 * published articles (kb_words), kept in each worker's memory: the list is
 * read once and again only when kb_state.words, which every search returns,
 * says it grew.
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
 * nothing changes, else a string in a. Uses the kept list as it is, read
 * first when none is kept (two statements, once per worker); the search
 * statement returns kb_state.words, and kb_words_stale says whether the
 * list is older. *in_sql is set when the list is too big to keep: the
 * search statement corrects then (kb_correct). CS_OK, CS_DB_LOST or
 * CS_FAILED.
 */
enum cs_result kb_words_fix(struct db *db, struct arena *a, const char *q, const char **fixed,
    int *in_sql);

/* 1 when no list is kept or the kept one is older than kb_state.words = version. */
int kb_words_stale(long long version);

/* Reads the list again (it grew). CS_OK, CS_DB_LOST or CS_FAILED. */
enum cs_result kb_words_reload(struct db *db);

/* pg_trgm's default similarity_threshold, which the SQL kb_correct used. */
#define KB_WORDS_THRESHOLD 0.3

#endif
