/*
 * ticket_assign.h — giving a ticket to a team and an agent: the use case
 * of the ticket page's assignment form, and the step the bulk action
 * (ticket_bulk.h) runs for each ticket inside its own transaction.
 *
 * What an assignment does: the team and the agent change, each with its
 * history row; a "ticket.assigned" event records them ({assignee_id,
 * previous_assignee_id, team_id, previous_team_id}) when either changed;
 * a new ticket given to an agent becomes assigned through the workflow
 * (ticket_change_status). The mail consumer tells the new agent from the
 * event, unless they assigned it to themselves (ticket_consumers.h).
 */
#ifndef CSDESK_TICKET_ASSIGN_H
#define CSDESK_TICKET_ASSIGN_H

#include "core/result.h"
#include "domain/ticket_rules.h"

struct arena;
struct db;

/* What to change: each part set or left alone. */
struct ticket_assignment {
	int set_team;
	long long team_id;	/* 0: no team */
	int set_agent;
	long long agent_id;	/* 0: nobody */
};

/*
 * Assigns ticket_id to team_id (0: none) and agent_id (0: nobody) for
 * staff member staff_id, in one transaction. An agent given without a
 * team brings their own. Returns CS_OK, CS_REFUSED (no such active agent,
 * no such team: *why), CS_NOT_FOUND (no such ticket) or the failure.
 */
enum cs_result ticket_assign(struct db *db, long long staff_id, long long ticket_id,
    long long team_id, long long agent_id, const char **why);

/*
 * Inside the caller's transaction: whether as names an active agent and a
 * team that exist; *agent_team is the agent's own team (0: none or no
 * agent). CS_OK, CS_NOT_FOUND or the failure.
 */
enum cs_result ticket_assignment_check(struct db *db, const struct ticket_assignment *as,
    long long *agent_team);

/* A locked ticket as it was before the assignment. */
struct ticket_assign_before {
	enum ticket_status status;
	long long team_id, agent_id;	/* 0: none */
};

/*
 * Inside the caller's transaction, ticket_id locked and as checked: makes
 * the assignment (see above). *changed is 1 when anything changed, else
 * 0. CS_OK or the failure (the caller rolls back).
 */
enum cs_result ticket_assign_locked(struct db *db, struct arena *a, long long staff_id,
    long long ticket_id, const struct ticket_assign_before *was,
    const struct ticket_assignment *as, int *changed);

#endif
