/*
 * parts_history.h — a part's stock movements, newest first, a page at a
 * time (keyset on (created_at, id), 053's index), for supervisors. See
 * docs/parts.md ("A part's movements").
 */
#ifndef CSDESK_PARTS_HISTORY_H
#define CSDESK_PARTS_HISTORY_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;

struct parts_movement {
	long long id;
	const char *at;		/* "2026-12-07 10:42" UTC */
	const char *kind;	/* receipt, transfer, use, return, adjustment */
	int qty;
	const char *from, *to;	/* location names, "" for none */
	const char *ticket;	/* the ticket a use or return was for, or "" */
	long long transfer_id;	/* 0 for none */
	const char *by;		/* the staff member who moved it, or "" */
};

/* The part the page is about. */
struct parts_history_part {
	const char *number, *name;
};

/*
 * Part part_id (CS_NOT_FOUND when there is none) and its movements,
 * PARTS_PAGE of them, newest first: the first page when before is 0, else
 * those older than movement before (of that part; another's id gives an
 * empty page). *more says whether there are older ones. One round trip.
 * CS_OK or the failure.
 */
enum cs_result parts_movements(struct db *db, struct arena *a, long long part_id,
    long long before, struct parts_history_part *part, struct parts_movement **rows,
    size_t *n, int *more);

#endif
