/*
 * gen_returns.h — returns for benchmarks (`csdesk gen --returns N`).
 */
#ifndef CSDESK_CLI_GEN_RETURNS_H
#define CSDESK_CLI_GEN_RETURNS_H

struct db;

#define GEN_RETURNS_MAX 10000000LL

/*
 * Adds n returns spread over the portal users (their accounts), the
 * products, the twelve states and the last two years, each with one line
 * (received in full once its state is past receiving) and its first step.
 * Units, photos and later steps are not made: the queue, the lists and the
 * report by reason and product read what is. Set-based, GEN_RETURNS_BATCH
 * returns per statement and transaction; progress on stderr, timing on
 * stdout. Needs a product and a portal user. Returns 0 or -1 (said on
 * stderr).
 */
int gen_returns(struct db *db, long long n);

#endif
