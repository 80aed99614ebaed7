/*
 * ticket_submit.h — the agent's one form on the ticket page ("submit
 * as"): a reply or internal note, and in the same transaction taking the
 * ticket, a priority and a status ("Send and set pending", "Send and
 * resolve"). Each part is the use case of its own (ticket_reply,
 * ticket_assign, ticket_field_set, ticket_change_status), run nested
 * inside one transaction, so the parts' rules, history rows and events
 * are theirs; when one refuses, nothing of the others stays. Sending
 * removes the agent's draft of the reply (ticket_drafts.h).
 */
#ifndef CSDESK_TICKET_SUBMIT_H
#define CSDESK_TICKET_SUBMIT_H

#include <stddef.h>

#include "core/result.h"
#include "domain/tickets.h"

struct ticket_submit_in {
	struct ticket_reply_in reply;	/* reply.body blank: no comment */
	enum ticket_status then;	/* TS__MAX: leave the status as it is */
	const char *resolution_code;	/* then == TS_RESOLVED: required */
	const char *root_cause;		/* then == TS_RESOLVED: optional */
	const char *priority;		/* NULL or "": leave it */
	const char *tags;		/* NULL: leave them; else all of them, as typed */
	int take;			/* give it to the actor when nobody has it */
};

struct ticket_submitted {
	long long comment_id;		/* 0: no comment */
	size_t mentioned;		/* an internal note's @mentions told */
	int taken;			/* 1: the actor took it */
	int status_changed;		/* 1: the status moved to in->then */
};

/*
 * Runs in's parts for staff member by on in->reply.ticket_id, in one
 * transaction: the comment (refused as ticket_reply refuses it, a stale
 * expected_version included), taking it when unassigned, the priority,
 * the tags, then the status when it differs from the one the earlier parts left.
 * CS_REFUSED with *why when nothing was asked (no text, no change) or a
 * part refused; CS_NOT_FOUND; CS_OK or the failure. Fills *out.
 */
enum cs_result ticket_submit(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const struct ticket_submit_in *in, struct ticket_submitted *out, const char **why);

#endif
