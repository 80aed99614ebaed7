/*
 * ticket_rules.h — the vocabulary of a ticket and the status workflow,
 * written once for the portal, the console, the API and the batch job.
 *
 *   new → assigned → in_progress → pending_customer / pending_parts
 *       → resolved → closed, plus reopened and cancelled.
 */
#ifndef CSDESK_TICKET_RULES_H
#define CSDESK_TICKET_RULES_H

enum ticket_status {
	TS_NEW,
	TS_ASSIGNED,
	TS_IN_PROGRESS,
	TS_PENDING_CUSTOMER,
	TS_PENDING_PARTS,
	TS_RESOLVED,
	TS_CLOSED,
	TS_REOPENED,
	TS_CANCELLED,
	TS__MAX
};

/* Who asks for a change: the rules differ for customers. */
enum ticket_actor {
	TA_STAFF,
	TA_CUSTOMER,
	TA_SYSTEM,
};

/* "in_progress" → TS_IN_PROGRESS; TS__MAX when unknown. */
enum ticket_status ticket_status_parse(const char *name);
/* The stored name and the words people read ("Waiting for you"). */
const char *ticket_status_name(enum ticket_status s);
const char *ticket_status_label(enum ticket_status s, int for_customer);

/* Still needs work: not resolved, closed or cancelled. */
int ticket_status_open(enum ticket_status s);

/* Whether actor may move a ticket from one status to another. */
int ticket_transition_allowed(enum ticket_actor actor, enum ticket_status from,
    enum ticket_status to);

/* Fills out[] with the statuses actor may move to from `from`; returns how many. */
int ticket_transitions(enum ticket_actor actor, enum ticket_status from,
    enum ticket_status out[TS__MAX]);

/* Priorities, channels and urgencies: NULL-terminated lists of the stored
 * names, and a membership test for validating input. (Ticket types are a
 * list admins keep: ticket_types in 046, offered by ticket_choices.h.) */
extern const char *const ticket_priorities[];
extern const char *const ticket_channels[];
extern const char *const ticket_urgencies[];
int ticket_word_valid(const char *const *list, const char *word);

/* A ticket type's code, in characters (ticket_types.code's CHECK). */
#define TICKET_TYPE_MAX 40

#endif
