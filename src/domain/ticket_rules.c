/* ticket_rules.c — see ticket_rules.h. */
#include "domain/ticket_rules.h"

#include <string.h>

static const struct {
	const char *name;
	const char *staff_label;
	const char *customer_label;
} statuses[TS__MAX] = {
	[TS_NEW] = { "new", "New", "Received" },
	[TS_ASSIGNED] = { "assigned", "Assigned", "Received" },
	[TS_IN_PROGRESS] = { "in_progress", "In progress", "In progress" },
	[TS_PENDING_CUSTOMER] = { "pending_customer", "Waiting for customer", "Waiting for you" },
	[TS_PENDING_PARTS] = { "pending_parts", "Waiting for parts", "Waiting for parts" },
	[TS_RESOLVED] = { "resolved", "Resolved", "Solved: please confirm" },
	[TS_CLOSED] = { "closed", "Closed", "Closed" },
	[TS_REOPENED] = { "reopened", "Reopened", "Reopened" },
	[TS_CANCELLED] = { "cancelled", "Cancelled", "Cancelled" },
};

/*
 * Staff moves: one row per current status, the set of next statuses.
 * Customers only confirm (resolved → closed) and reopen (resolved or
 * closed → reopened); the system assigns (new → assigned), closes
 * resolved tickets after the waiting period, and resolves a ticket whose
 * customer never answered when an automation says so (pending customer →
 * resolved: automation_run.h).
 */
#define B(s) (1u << (s))
static const unsigned staff_moves[TS__MAX] = {
	[TS_NEW] = B(TS_ASSIGNED) | B(TS_IN_PROGRESS) | B(TS_PENDING_CUSTOMER) | B(TS_RESOLVED) |
	    B(TS_CANCELLED),
	[TS_ASSIGNED] = B(TS_IN_PROGRESS) | B(TS_PENDING_CUSTOMER) | B(TS_PENDING_PARTS) |
	    B(TS_RESOLVED) | B(TS_CANCELLED),
	[TS_IN_PROGRESS] = B(TS_PENDING_CUSTOMER) | B(TS_PENDING_PARTS) | B(TS_RESOLVED) |
	    B(TS_CANCELLED),
	[TS_PENDING_CUSTOMER] = B(TS_IN_PROGRESS) | B(TS_RESOLVED) | B(TS_CANCELLED),
	[TS_PENDING_PARTS] = B(TS_IN_PROGRESS) | B(TS_RESOLVED) | B(TS_CANCELLED),
	[TS_RESOLVED] = B(TS_CLOSED) | B(TS_REOPENED),
	[TS_CLOSED] = B(TS_REOPENED),
	[TS_REOPENED] = B(TS_IN_PROGRESS) | B(TS_PENDING_CUSTOMER) | B(TS_PENDING_PARTS) |
	    B(TS_RESOLVED) | B(TS_CANCELLED),
	[TS_CANCELLED] = 0,
};
static const unsigned customer_moves[TS__MAX] = {
	[TS_RESOLVED] = B(TS_CLOSED) | B(TS_REOPENED),
	[TS_CLOSED] = B(TS_REOPENED),
};
static const unsigned system_moves[TS__MAX] = {
	[TS_NEW] = B(TS_ASSIGNED),
	[TS_PENDING_CUSTOMER] = B(TS_RESOLVED),
	[TS_RESOLVED] = B(TS_CLOSED),
};
#undef B
_Static_assert(TS__MAX <= 32, "statuses fit a bit set");

enum ticket_status
ticket_status_parse(const char *name)
{
	int s;

	for (s = 0; name != NULL && s < TS__MAX; s++)
		if (strcmp(name, statuses[s].name) == 0)
			return (enum ticket_status)s;
	return TS__MAX;
}

const char *
ticket_status_name(enum ticket_status s)
{
	return s < TS__MAX ? statuses[s].name : "unknown";
}

const char *
ticket_status_label(enum ticket_status s, int for_customer)
{
	if (s >= TS__MAX)
		return "Unknown";
	return for_customer ? statuses[s].customer_label : statuses[s].staff_label;
}

int
ticket_status_open(enum ticket_status s)
{
	return s != TS_RESOLVED && s != TS_CLOSED && s != TS_CANCELLED && s < TS__MAX;
}

static unsigned
moves(enum ticket_actor actor, enum ticket_status from)
{
	if (from >= TS__MAX)
		return 0;
	switch (actor) {
	case TA_STAFF: return staff_moves[from];
	case TA_CUSTOMER: return customer_moves[from];
	case TA_SYSTEM: return system_moves[from];
	}
	return 0;
}

int
ticket_transition_allowed(enum ticket_actor actor, enum ticket_status from, enum ticket_status to)
{
	return to < TS__MAX && (moves(actor, from) & (1u << to)) != 0;
}

int
ticket_transitions(enum ticket_actor actor, enum ticket_status from, enum ticket_status out[TS__MAX])
{
	unsigned m = moves(actor, from);
	int s, n = 0;

	for (s = 0; s < TS__MAX; s++)
		if (m & (1u << s))
			out[n++] = (enum ticket_status)s;
	return n;
}

/* Lowest first; 008's ticket_priority_rank() gives these ranks 1..5 in SQL. */
const char *const ticket_priorities[] = { "low", "medium", "high", "urgent", "critical", NULL };
const char *const ticket_channels[] = { "portal", "email", "phone", "chat", "social", "api",
	"walk-in", NULL };
const char *const ticket_urgencies[] = { "low", "normal", "high", NULL };

int
ticket_word_valid(const char *const *list, const char *word)
{
	for (; word != NULL && *list != NULL; list++)
		if (strcmp(*list, word) == 0)
			return 1;
	return 0;
}
