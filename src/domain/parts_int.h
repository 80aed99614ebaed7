/* parts_int.h — what the parts modules share (not for callers outside them). */
#ifndef CSDESK_PARTS_INT_H
#define CSDESK_PARTS_INT_H

#include "core/result.h"
#include "domain/parts.h"

struct arena;
struct db;

/* What caused a movement (0: not that). */
struct parts_cause {
	long long usage_id, transfer_id, audit_id;
};

/*
 * Takes qty of part from location's free stock (on hand minus reserved),
 * in the caller's transaction. CS_REFUSED with the shortage named ("Van 3
 * has 1 of P-100, 2 needed.") when there is not enough. With reserved set,
 * takes stock reserved for a transfer (on hand and reserved both fall).
 */
enum cs_result parts_take(struct db *db, struct arena *a, long long location_id,
    long long part_id, int qty, int reserved, const char **why);

/* The shortage sentence for qty of part at location: CS_REFUSED, CS_NOT_FOUND or the failure. */
enum cs_result parts_shortage(struct db *db, struct arena *a, long long location_id,
    long long part_id, int qty, const char **why);

/* Adds qty of part to location's stock (the level is made when missing). */
enum cs_result parts_put(struct db *db, struct arena *a, long long location_id,
    long long part_id, int qty);

/* Records a movement ("receipt", "transfer", "use", "return", "adjustment"); 0 ids for none. */
enum cs_result parts_movement(struct db *db, struct arena *a, const char *kind,
    long long part_id, long long from_id, long long to_id, int qty,
    const struct parts_cause *cause, long long staff_id);

/* "2026-12-07" with a plausible month and day: 1 or 0. */
int parts_is_date(const char *s);

/* Sets *why to s and returns CS_REFUSED. */
enum cs_result parts_refuse(const char **why, const char *s);

/* qty within 1..PARTS_QTY_MAX, else CS_REFUSED with the sentence. */
enum cs_result parts_qty_ok(int qty, const char **why);

#endif
