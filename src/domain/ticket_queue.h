/*
 * ticket_queue.h — what the console's queue page reads: a page of a list
 * view (ticket_list.h) and the agent's saved views (saved_views.h), in
 * one round trip after the session's (a pipeline: the saved views, the
 * list's plan settings, the list).
 *
 * Returns what ticket_list_page returns: CS_OK, CS_REFUSED (a filter or
 * cursor that does not parse, with *why), CS_DB_LOST or CS_FAILED.
 * Everything comes back in the arena given.
 */
#ifndef CSDESK_TICKET_QUEUE_H
#define CSDESK_TICKET_QUEUE_H

#include <stddef.h>

#include "core/result.h"
#include "domain/saved_views.h"
#include "domain/ticket_list.h"

struct arena;
struct db;

struct ticket_queue {
	struct tl_page page;
	struct saved_view *views;	/* saved_views_list's, for staff_id */
	size_t nviews;
};

enum cs_result ticket_queue_read(struct db *db, struct arena *a, const struct tl_filter *f,
    long long staff_id, struct ticket_queue *q, const char **why);

#endif
