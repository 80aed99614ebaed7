/*
 * ticket_drafts.h — the reply an agent is writing, kept on the server as
 * they type (the browser also keeps a copy), so it survives a closed tab
 * and follows them to another machine. One draft per agent and ticket;
 * sending the reply through ticket_submit (ticket_submit.h) removes it in
 * the same transaction. Drafts are the writer's own: nobody else reads
 * them.
 */
#ifndef CSDESK_TICKET_DRAFTS_H
#define CSDESK_TICKET_DRAFTS_H

#include "core/result.h"

struct arena;
struct db;

struct ticket_draft {
	const char *body;		/* "" when there is none */
	int internal;			/* 1: an internal note */
	const char *updated_at;		/* "2026-01-31 14:05" UTC, "" when none */
};

/*
 * staff_id's draft on ticket_id, in a; an empty one when there is none.
 * CS_OK or the failure.
 */
enum cs_result ticket_draft_get(struct db *db, struct arena *a, long long staff_id,
    long long ticket_id, struct ticket_draft *d);

/*
 * Keeps body (at most TICKET_BODY_MAX characters; an empty or blank body
 * removes the draft) as staff_id's draft on ticket_id. CS_OK, CS_REFUSED
 * (too long, *why) or the failure.
 */
enum cs_result ticket_draft_save(struct db *db, long long staff_id, long long ticket_id,
    const char *body, int internal, const char **why);

/* Removes staff_id's draft on ticket_id, if any. CS_OK or the failure. */
enum cs_result ticket_draft_drop(struct db *db, long long staff_id, long long ticket_id);

#endif
