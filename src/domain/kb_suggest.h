/*
 * kb_suggest.h — the articles suggested for a ticket on the agents' ticket
 * page, found when the ticket is written and kept (kb_ticket_suggestions),
 * so that viewing the page reads a stored list instead of searching.
 *
 * Who finds them: the "kb" event consumer (ticket_consumers.h), after a
 * ticket is opened or its subject or category changes (a trigger drops
 * the stored list on such a change); `csdesk gen` for the tickets it
 * loads. A page that finds no list at all (a ticket older than this, or
 * viewed before the consumer ran) searches once and stores it. A list
 * found before the knowledge base last changed is still shown: articles
 * withdrawn since are left out as it is read, articles published since
 * are not added until the ticket's subject or category changes.
 */
#ifndef CSDESK_KB_SUGGEST_H
#define CSDESK_KB_SUGGEST_H

#include "core/result.h"
#include "domain/kb_search.h"

struct arena;
struct db;
struct db_pipe;

/* How many articles a ticket's list keeps. */
#define KB_SUGGEST_MAX 5

/*
 * Up to limit published articles (internal ones too) for the ticket
 * ticket_id, best first, in out (rows in a; total is how many): the
 * stored list, or else the list found and stored now as the event
 * consumer does (kb_ticket_suggest_store, with limit). Not inside a
 * transaction: the store is a statement of its own. CS_OK, CS_DB_LOST or
 * CS_FAILED.
 */
enum cs_result kb_ticket_suggestions(struct db *db, struct arena *a, long long ticket_id,
    int limit, struct kb_results *out);

/*
 * The stored list of the ticket numbered number (kept by the caller until
 * db_pipe_run) as part of a page's pipeline: _send_number queues its
 * statement and returns the slot (-1 when out of memory or the pipe is
 * full); after db_pipe_run, kb_ticket_suggestions_take reads it into out
 * and sets *stored to whether there was a list (0: the caller asks
 * kb_ticket_suggestions, which searches). CS_OK or CS_FAILED.
 */
int kb_ticket_suggestions_send_number(struct db_pipe *pipe, struct arena *a, const char *number);
enum cs_result kb_ticket_suggestions_take(const struct db_pipe *pipe, int slot, struct arena *a,
    struct kb_results *out, int *stored);

/*
 * Finds and stores the list for ticket ticket_id from its subject now,
 * unless one is stored already (the consumer's and the loader's way in),
 * in one statement: the list kb_suggest_find would give, or the one stored
 * for a ticket whose subject made the same query while the knowledge base
 * has not changed since (sql/functions/440_kb_suggest.sql). Inside a
 * transaction or not. CS_OK (also for a ticket that is not there),
 * CS_DB_LOST or CS_FAILED.
 */
enum cs_result kb_ticket_suggest_store(struct db *db, struct arena *a, long long ticket_id);

/*
 * The search behind a list: up to limit articles for subject (by any of
 * its words) in out, and their ids as an array literal ("{3,7}") in *ids,
 * both in a. For loaders that store lists for many tickets of one subject.
 * CS_OK or the failure.
 */
enum cs_result kb_suggest_find(struct db *db, struct arena *a, const char *subject, int limit,
    struct kb_results *out, const char **ids);

/*
 * The "kb" consumer's handler (events.h): ticket.created and
 * ticket.fields_changed store the ticket's list when none is (a subject
 * or category change dropped it).
 */
struct event;
enum cs_result kb_suggest_handle(struct db *db, struct arena *a, const struct event *e,
    void *ctx);

#endif
