/*
 * field_board.h — the dispatch board (docs/field.md): active technicians
 * (rows, a page at a time by name) by the seven days of a week (columns),
 * their appointments as blocks in each technician's own time, and the
 * week's jobs that have no technician yet.
 *
 * Two statements read a page of technicians and their week, both walking
 * appointments_technician_time; unassigned jobs walk appointments_unassigned.
 */
#ifndef CSDESK_FIELD_BOARD_H
#define CSDESK_FIELD_BOARD_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;

/* Technicians per page of the board. */
#define FIELD_BOARD_ROWS 20
/* Unassigned jobs shown under the board. */
#define FIELD_BOARD_OPEN 10

struct field_board_tech {
	long long staff_id;
	const char *name;
	const char *zone;	/* the time zone their blocks are in */
};

/* An appointment on the board. */
struct field_block {
	long long id, technician_id;
	int day;		/* 0 (Monday) … 6, in the technician's time zone */
	const char *from, *to;	/* "09:00" */
	const char *ticket_number, *summary, *postcode, *status;
};

/* A job of the week without a technician. */
struct field_open_job {
	long long id;
	const char *ticket_number, *summary, *postcode, *skill;
	const char *window;	/* in the customer's time zone */
};

struct field_board {
	const char *week;	/* its Monday, "2026-12-07" */
	const char *prev, *next;	/* the Mondays before and after */
	const char *days[7];	/* "Mon 7 Dec" */
	struct field_board_tech *techs;
	size_t ntechs;
	int more;		/* another page of technicians after the last */
	struct field_block *blocks;
	size_t nblocks;
	struct field_open_job *open;
	size_t nopen;
};

/*
 * The week containing day ("YYYY-MM-DD"; NULL or "": this week, UTC), for
 * the technicians after technician after_id by name (0: from the first).
 * CS_REFUSED with *why when day is not a date.
 */
enum cs_result field_board_read(struct db *db, struct arena *a, const char *day,
    long long after_id, struct field_board *out, const char **why);

#endif
