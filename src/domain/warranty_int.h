/*
 * warranty_int.h — what the warranty modules share and nobody else needs:
 * the stored coverage's columns, read into struct warranty_coverage.
 */
#ifndef CSDESK_WARRANTY_INT_H
#define CSDESK_WARRANTY_INT_H

#include <libpq-fe.h>

#include "domain/warranty.h"

/*
 * The coverage columns of alias v (warranty_coverage, or the result of
 * warranty_coverage_compute), for a column list macro: X(P, name, expr)
 * nine times, parts, labour, travel, each on/until/by. A registration
 * without a row reads as covered by nothing.
 */
#define WARRANTY_COVER_COLS(X, P) \
	X(P, parts_on, "coalesce(v.parts_on, false)") \
	X(P, parts_until, "coalesce(v.parts_until::text, '')") \
	X(P, parts_by, "coalesce(v.parts_by, '')") \
	X(P, labour_on, "coalesce(v.labour_on, false)") \
	X(P, labour_until, "coalesce(v.labour_until::text, '')") \
	X(P, labour_by, "coalesce(v.labour_by, '')") \
	X(P, travel_on, "coalesce(v.travel_on, false)") \
	X(P, travel_until, "coalesce(v.travel_until::text, '')") \
	X(P, travel_by, "coalesce(v.travel_by, '')")

/*
 * Reads the nine columns from first on of row i into c (words made too).
 * Sets *failed when out of memory.
 */
void warranty_cover_fill(struct arena *a, const PGresult *r, int i, int first,
    struct warranty_coverage *c, int *failed);

struct db;
struct json_t;

/*
 * Appends event type about aggregate/id by by (customer, staff or the
 * system) with payload o, which it takes (NULL, as json_pack gives when
 * out of memory, fails), in the caller's transaction. CS_OK or the failure.
 */
enum cs_result warranty_event(struct db *db, const struct warranty_actor *by,
    const char *aggregate, long long id, const char *type, struct json_t *o);

/* A claim-facing sentence: "Serial X is not registered." etc., in a. */
const char *warranty_not_covered_why(struct arena *a, const char *serial,
    const struct warranty_coverage *c);

#endif
