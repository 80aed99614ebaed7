/*
 * ticket_api.h — what the JSON API needs beyond tickets.h: its ticket
 * list (newest first, keyset by id, filtered by status and by the
 * customer's portal e-mail), finding the customer and category a new
 * ticket names, a ticket's SLA state as stored times, and the API's two
 * changes — a PATCH of many fields and a comment — each one transaction
 * that checks the version the client read and then calls the use cases
 * the console calls (ticket_change_status, ticket_fields_set, the
 * assignment of ticket_assign.h, ticket_reply), so history, events and
 * the mail that follows are the same whichever channel made the change.
 *
 * Results (core/result.h): CS_OK, CS_NOT_FOUND, CS_REFUSED (with the
 * member at fault and a sentence), CS_CONFLICT (the version moved on, or
 * the workflow does not allow the move from the ticket's status), or the
 * failure (logged). Strings come back in the arena given.
 */
#ifndef CSDESK_TICKET_API_H
#define CSDESK_TICKET_API_H

#include <stddef.h>

#include "core/result.h"
#include "domain/ticket_fields.h"
#include "domain/ticket_rules.h"

struct arena;
struct db;
struct ticket_actor_ref;
struct ticket_reply_in;
struct ticket_replied;

#define TICKET_API_LIMIT_MAX 100

struct ticket_api_filter {
	const char *status;		/* a status name, "open", or NULL: all */
	const char *customer_email;	/* a portal user's e-mail: their account's; NULL: all */
	long long before_id;		/* rows with a smaller id (0: from the newest) */
	int limit;			/* 1..TICKET_API_LIMIT_MAX */
};

struct ticket_api_row {
	long long id, customer_id;
	const char *number, *status, *priority, *channel, *subject;
	const char *created_at, *updated_at;	/* ISO 8601, UTC */
};

/*
 * One page of tickets, newest first. *next_before is the id to pass as
 * before_id for the next page, 0 when this is the last one.
 */
enum cs_result ticket_api_list(struct db *db, struct arena *a, const struct ticket_api_filter *f,
    struct ticket_api_row **rows, size_t *n, long long *next_before);

/* The customer account and portal user of an active login's e-mail. */
enum cs_result ticket_api_customer(struct db *db, const char *email, long long *customer_id,
    long long *user_id);

/* An active category's id by its name. */
enum cs_result ticket_api_category(struct db *db, const char *name, long long *id);

/*
 * Whether site_id is one of customer_id's active sites, for a new ticket
 * that names one (ticket_open refuses it too, without saying which member
 * was wrong). CS_OK, CS_NOT_FOUND or the failure.
 */
enum cs_result ticket_api_site(struct db *db, long long customer_id, long long site_id);

/* One SLA target as stored: times ISO 8601 UTC, NULL when not set. */
struct ticket_api_sla_target {
	const char *due_at, *warn_at;
	const char *stage;		/* "ok", "at_risk", "breached" */
	int met;			/* 1 met, 0 missed, -1 not decided (or never decided:
					 * the next response) */
};

/*
 * A ticket's service level as the clock triggers stored it, and its times
 * as the API gives every time: ISO 8601 in UTC (the pages' struct ticket
 * has them in minutes, for people).
 */
struct ticket_api_state {
	const char *created_at, *updated_at;
	const char *first_response_at, *resolved_at, *closed_at;	/* NULL: not yet */
	const char *policy;		/* NULL: no policy applies */
	const char *paused_since;	/* NULL: the clock runs (or stopped) */
	double paused_minutes;		/* business minutes spent paused */
	struct ticket_api_sla_target first_response, next_response, resolution;
};

/* Loads s for ticket_id (staff). CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result ticket_api_state(struct db *db, struct arena *a, long long ticket_id,
    struct ticket_api_state *s);
/*
 * The ticket numbered number as ticket_get reads it for by (tickets.h) and
 * its state, in one round trip (a pipeline: one snapshot). CS_OK,
 * CS_NOT_FOUND or the failure.
 */
struct ticket;
struct ticket_actor_ref;
enum cs_result ticket_api_get(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    const char *number, struct ticket *t, struct ticket_api_state *s);

/*
 * What a PATCH changes; every part set or left alone. The members are
 * named as the API names them (ticket_api_member_name).
 */
enum ticket_api_member {
	TAM_STATUS, TAM_RESOLUTION_CODE, TAM_ROOT_CAUSE, TAM_PRIORITY, TAM_TYPE,
	TAM_CATEGORY, TAM_PRODUCT, TAM_SERIAL, TAM_TAGS, TAM_QUEUE, TAM_TEAM, TAM_ASSIGNEE,
	TAM_SITE, TAM_VERSION, TAM__MAX
};

struct ticket_api_change {
	int expected_version;		/* 0: whatever it is now */
	enum ticket_status to;		/* TS__MAX: leave the status */
	const char *resolution_code;	/* resolving: as ticket_change_status */
	const char *root_cause;
	/* ticket_fields_set's values (NULL: leave alone); TF_TEAM is not
	 * taken here: the team moves with the assignment below. */
	const char *fields[TF__MAX];
	int set_team, set_agent;
	long long team_id, agent_id;	/* 0: none, nobody */
	const char *ip;
};

/*
 * Applies c to ticket_id for the key's agent by, in one transaction and
 * in this order: the version check (CS_CONFLICT when the ticket is no
 * longer at c->expected_version), the status (a move to the status it
 * already has changes nothing; one the workflow does not allow from where
 * it is: CS_CONFLICT), the fields, the assignment (an agent given without
 * a team brings their own team, as on the ticket page). Nothing changes
 * unless everything does. On CS_REFUSED or CS_CONFLICT, *bad names the
 * member at fault and *why says why. CS_OK, CS_NOT_FOUND or the failure.
 */
enum cs_result ticket_api_change(struct db *db, struct arena *a,
    const struct ticket_actor_ref *by, long long ticket_id, const struct ticket_api_change *c,
    enum ticket_api_member *bad, const char **why);

/* The member's name in the API ("category_id"). */
const char *ticket_api_member_name(enum ticket_api_member m);

/*
 * ticket_reply for the API: refused with CS_CONFLICT when expected_version
 * (0: any) is no longer the ticket's, checked under the same lock as the
 * comment. Otherwise ticket_reply's answers.
 */
enum cs_result ticket_api_comment(struct db *db, struct arena *a,
    const struct ticket_actor_ref *by, const struct ticket_reply_in *in, int expected_version,
    struct ticket_replied *out, const char **why);

#endif
