/*
 * gen_parts.h — service parts, vans and stock movements for benchmarks
 * (`csdesk gen --movements M`).
 */
#ifndef CSDESK_CLI_GEN_PARTS_H
#define CSDESK_CLI_GEN_PARTS_H

struct db;

#define GEN_MOVEMENTS_MAX 50000000LL

/*
 * Adds a parts catalogue, warehouses, a van per technician without one and
 * M movements (receipts, transfers, parts used on the appointments there
 * are), then sets every level to the sum of its movements. Set-based, in
 * batches; progress on stderr, timing on stdout. 0 or -1 (said on stderr).
 */
int gen_parts(struct db *db, long long movements);

#endif
