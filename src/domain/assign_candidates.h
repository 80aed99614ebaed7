/*
 * assign_candidates.h — who could take a ticket, as the agent assigning
 * it by hand needs to see them: each active agent's open load against
 * capacity, whether on shift (or on call) now and their hours, level,
 * skills and whether they have the queue's skill and speak the ticket's
 * language. Read only.
 */
#ifndef CSDESK_ASSIGN_CANDIDATES_H
#define CSDESK_ASSIGN_CANDIDATES_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;

/* The most agents listed. */
#define ASSIGN_CANDIDATES_MAX 200

struct assign_candidate {
	long long id;
	const char *name, *team, *level;	/* level: "2 senior" */
	long long open, capacity;
	int on_shift, on_call, has_skill, speaks, same_team;
	const char *shift;		/* "Mon–Fri 09:00–17:00 Europe/Berlin" */
	const char *skills;		/* "billing 3, returns 1": each with its level */
};

/*
 * The active agents for ticket_id: its team's first, then those with the
 * queue's skill, on shift, least loaded. Strings in a. CS_OK, CS_NOT_FOUND
 * (no such ticket) or the failure.
 */
enum cs_result assign_candidates(struct db *db, struct arena *a, long long ticket_id,
    struct assign_candidate **out, size_t *n);

#endif
