/*
 * ticket_counts.h — the numbers on the console home: tickets per queue
 * (open and in all) and per status, from ticket_counts (kept by a trigger,
 * so reading them costs a few rows whatever the data size), and the
 * asker's own open tickets. The trigger appends deltas, which no two
 * creations contend for; the batch folds them into the base
 * (ticket_counts_roll_up), and the view sums both (022_hot_path.sql).
 */
#ifndef CSDESK_TICKET_COUNTS_H
#define CSDESK_TICKET_COUNTS_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;

struct ticket_count {
	long long queue_id;		/* 0: tickets in no queue */
	const char *name;		/* queue name, status name */
	long long open, total;		/* per queue; per status only total */
};

struct ticket_counts {
	struct ticket_count *queues;	/* queues with tickets, by name; no queue last */
	size_t nqueues;
	struct ticket_count *statuses;	/* every status, in workflow order */
	size_t nstatuses;
	long long mine_open;		/* staff.open_tickets of the asker */
};

/*
 * The dashboard's counts, in the arena; staff_id is who asks ("my open
 * tickets"). Returns CS_OK or the failure.
 */
enum cs_result ticket_counts_read(struct db *db, struct arena *a, long long staff_id,
    struct ticket_counts *c);

/*
 * Folds the deltas appended since the last run into the base counts (the
 * batch's "counts" step); *folded: how many. Returns CS_OK or the failure.
 */
enum cs_result ticket_counts_roll_up(struct db *db, long long *folded);

#endif
