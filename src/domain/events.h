/*
 * events.h — domain events: what happened, recorded by the use case that
 * made it happen, in its own transaction; and the dispatcher that hands
 * them, exactly once, to each consumer (mail, audit, webhooks, …).
 *
 * A use case calls events_append() between its db_begin() and db_commit():
 * the event is committed with the change or not at all. What follows from
 * the change is not done by the use case (nor by the handler that called
 * it) but by a consumer reading the events: so every channel that runs the
 * use case gets the same consequences, and a process that dies right after
 * the commit loses none of them.
 *
 * A consumer is a name (its cursor in event_cursors) and a function called
 * for each event in order. events_dispatch() runs one consumer over the
 * events that are ready, in one transaction that also moves its cursor:
 * what the consumer does in the database (queue a mail, add an audit row)
 * is committed with the cursor, so nothing is done twice, even when two
 * dispatchers run at once (the second finds the cursor locked and does
 * nothing). See sql/migrations/014_domain_events.sql for why the cursor
 * is (transaction, id).
 *
 * Appending sends no NOTIFY: PostgreSQL makes every notifying commit wait
 * for the one before it, WAL flush included, so concurrent changes could
 * not share a flush. A dispatcher that should wake at once polls
 * events_newest (a probe of the primary key) instead.
 */
#ifndef CSDESK_EVENTS_H
#define CSDESK_EVENTS_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct db;

/* Who caused an event: kind is "staff", "customer", "system" or "api". */
struct event_actor {
	const char *kind;
	long long id;		/* staff.id, portal_users.id; 0 for the system */
};

/* One event as a consumer gets it; strings live in the dispatch arena. */
struct event {
	long long id;
	const char *aggregate;		/* "ticket", "customer", … */
	long long aggregate_id;
	const char *type;		/* "ticket.created", "ticket.replied", … */
	struct event_actor actor;
	const char *payload;		/* a JSON object, as text */
	const char *occurred_at;	/* UTC, ISO 8601 */
};

/*
 * Records event type about aggregate/aggregate_id by actor, with payload
 * (a JSON object as text; NULL: {}), in the caller's transaction. The
 * names must match ^[a-z][a-z_.]*$ (the table's CHECKs). Returns CS_OK or
 * the failure (the caller rolls back).
 */
enum cs_result events_append(struct db *db, const char *aggregate, long long aggregate_id,
    const char *type, const struct event_actor *actor, const char *payload);

/*
 * Handles one event inside the dispatcher's transaction. CS_OK moves on;
 * any other result rolls back everything this run did (cursor included),
 * so the same events come again next time.
 */
typedef enum cs_result (*event_handler)(struct db *db, struct arena *a, const struct event *e,
    void *ctx);

struct event_consumer {
	const char *name;	/* its cursor: ^[a-z][a-z_]*$, unique */
	event_handler handle;
	void *ctx;
};

/*
 * The id of the newest committed event (0: none) into *id: what a
 * dispatcher polls to learn that there is work. CS_OK or the failure.
 */
enum cs_result events_newest(struct db *db, long long *id);

/* How many events one events_dispatch() call handles at most. */
#define EVENTS_BATCH_MAX 500

/*
 * Hands the ready events after c's cursor (at most limit, clamped to
 * 1 … EVENTS_BATCH_MAX) to c->handle in order, and moves the cursor past
 * them, in one transaction of its own (not inside another). A consumer
 * seen for the first time starts from the first event. When another
 * process is dispatching for c at this moment, nothing is done. Sets *done
 * to how many events were handled. Returns CS_OK or the failure (logged;
 * nothing of this run stays).
 */
enum cs_result events_dispatch(struct db *db, struct arena *a, const struct event_consumer *c,
    int limit, long *done);

/*
 * events_dispatch for c in batches, each in an arena of its own, until
 * fewer than a batch were ready or max_batches ran; adds how many were
 * handled to *done. CS_OK or the first failure (logged).
 */
enum cs_result events_drain(struct db *db, const struct event_consumer *c, int max_batches,
    long *done);

/*
 * events_drain for each of consumers[0..n) but skip (NULL: none; a mail
 * consumer before its templates are set up), all of them even after one
 * failed. CS_OK or the first failure.
 */
enum cs_result events_drain_all(struct db *db, const struct event_consumer *consumers, size_t n,
    const struct event_consumer *skip, int max_batches, long *done);

/*
 * What a consumer's handler answers when it could not act on e: a lost
 * database or an aborted transaction is a failure that comes again
 * (CS_DB_LOST, CS_FAILED); anything that failed before the database (a
 * template that does not render, an address that is no address) is
 * logged as skipped and answered CS_OK, so one bad event does not hold
 * back every event after it.
 */
enum cs_result events_skip_or_fail(struct db *db, const char *consumer, const struct event *e);

/*
 * e's payload read as JSON ("{}" when it has none), the caller's to
 * json_decref; NULL, logged with the event, when it is not JSON.
 */
struct json_t *events_payload(const struct event *e);

#endif
