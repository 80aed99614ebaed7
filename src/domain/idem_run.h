/*
 * idem_run.h — a change run under its client's key (idempotency.h) that
 * owns the transaction around it: the API's handlers make their change
 * (the ticket use cases, which nest in it) between idem_run_begin and
 * idem_run_end, so the claim, the change and the answer stored for a
 * retry commit together, and the handler opens no transaction itself.
 */
#ifndef CSDESK_IDEM_RUN_H
#define CSDESK_IDEM_RUN_H

#include "domain/idempotency.h"

/*
 * Opens the transaction and claims k (idem_claim). CS_OK with c->replay
 * 0: the transaction stays open for the change; end it with idem_run_end.
 * Anything else ends it (nothing changed): CS_OK with c->replay 1, answer
 * with what c holds; CS_REFUSED with *why, the key was used for another
 * request; CS_CONFLICT, the key's first request holds no answer; or the
 * failure.
 */
enum cs_result idem_run_begin(struct db *db, struct arena *a, const struct idem_key *k,
    struct idem_claim *c, const char **why);

/*
 * Ends what idem_run_begin left open: when done, stores the answer
 * (status, location and body: NULL for none) and commits; else rolls back
 * (a refusal changes nothing, and its retry is judged afresh). CS_OK when
 * done and committed; the failure when the answer could not be stored or
 * the commit failed (then nothing was done); CS_OK when not done.
 */
enum cs_result idem_run_end(struct db *db, const struct idem_key *k, int done, int status,
    const char *location, const char *body);

#endif
