/*
 * ticket_bulk.h — one change to many tickets at once, from the list
 * page's selection: assign, set a status, a priority or a queue.
 *
 * One transaction for the whole selection, the tickets locked in id
 * order. Each ticket changes through the same step as its single-ticket
 * use case: assignment (ticket_assign.h), the workflow
 * (ticket_change_status, which records its own event), or a field write with
 * its history row and a "ticket.fields_changed" event (ticket_fields.h).
 */
#ifndef CSDESK_TICKET_BULK_H
#define CSDESK_TICKET_BULK_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;

/* Tickets in one bulk action at most. */
#define TICKET_BULK_MAX 200

enum ticket_bulk_action {
	TB_ASSIGN,	/* value "agent:ID", "team:ID" or "none" */
	TB_STATUS,	/* value a status name */
	TB_PRIORITY,	/* value a priority */
	TB_QUEUE,	/* value an active queue's id */
	TB__MAX
};

/* The actions' names, in enum order, NULL-terminated (a form's choices). */
extern const char *const ticket_bulk_names[TB__MAX + 1];

/* "assign", "status", "priority", "queue" → enum; TB__MAX when unknown or NULL. */
enum ticket_bulk_action ticket_bulk_parse(const char *name);

struct ticket_bulk_result {
	size_t changed;			/* tickets changed */
	const char **refused;		/* "TKT-000123: why", in the arena */
	size_t nrefused;
};

/*
 * Applies action with value to every ticket in numbers[0..n) (ticket
 * numbers, 1 … TICKET_BULK_MAX of them) for staff member staff_id. A
 * status change the workflow does not allow (or a resolve, which needs a
 * resolution code) is refused for that ticket and reported in res; the
 * others still change. Unknown numbers are reported too. Returns CS_OK,
 * CS_REFUSED (a value that does not fit the action, bad numbers, too
 * many: *why; nothing changed) or the failure (nothing changed).
 */
enum cs_result ticket_bulk(struct db *db, struct arena *a, long long staff_id,
    enum ticket_bulk_action action, const char *value, const char *const *numbers, size_t n,
    struct ticket_bulk_result *res, const char **why);

#endif
