/*
 * gen_warranty.h — warranty registrations and claims for benchmarks
 * (`csdesk gen --registrations R [--claims C]`).
 */
#ifndef CSDESK_CLI_GEN_WARRANTY_H
#define CSDESK_CLI_GEN_WARRANTY_H

struct db;

#define GEN_REGISTRATIONS_MAX 20000000LL
#define GEN_CLAIMS_MAX 5000000LL

/*
 * Adds registrations over the database's customers and active products
 * (their coverage stored as they go), then claims drawn from them, in
 * every state. Set-based, in batches, each its own transaction; prints
 * progress on stderr and timing on stdout. 0 or -1 (said on stderr).
 */
int gen_warranty(struct db *db, long long registrations, long long claims);

#endif
