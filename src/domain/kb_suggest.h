/*
 * kb_suggest.h — the articles suggested for a ticket on the agents' ticket
 * page, computed once for its subject and kept (kb_ticket_suggestions)
 * rather than searched for on every view of the page.
 */
#ifndef CSDESK_KB_SUGGEST_H
#define CSDESK_KB_SUGGEST_H

#include "core/result.h"
#include "domain/kb_search.h"

struct arena;
struct db;

/*
 * Up to limit published articles (internal ones too) for the ticket
 * ticket_id whose subject is subject, best first, in out (rows in a; total
 * is how many). They are those stored for the ticket when the knowledge
 * base has not changed since they were found; else a search by any word
 * of the subject (kb_search_run) finds them and they are stored, unless
 * the subject changed meanwhile. A changed subject or category drops what
 * was stored (a trigger). CS_OK, CS_DB_LOST or CS_FAILED.
 */
enum cs_result kb_ticket_suggestions(struct db *db, struct arena *a, long long ticket_id,
    const char *subject, int limit, struct kb_results *out);

#endif
