/*
 * gen_kb.h — knowledge-base articles for benchmarks (`csdesk gen
 * --articles K`).
 */
#ifndef CSDESK_CLI_GEN_KB_H
#define CSDESK_CLI_GEN_KB_H

struct db;

#define GEN_ARTICLES_MAX 1000000LL

/*
 * Adds n published articles (a few for customers only, a few internal)
 * in generated categories, written from a support vocabulary so that
 * search has work to do and each word matches a small share of them.
 * Set-based, GEN_KB_BATCH articles per statement and transaction; prints
 * progress and timing on stderr/stdout. Returns 0 or -1 (said on stderr).
 */
int gen_kb_articles(struct db *db, long long n);

#endif
