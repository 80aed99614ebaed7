/*
 * webhooks.h — webhooks: an admin registers a URL and the ticket events
 * it wants (webhooks, 046); the webhooks consumer of domain events queues
 * one delivery per event and webhook, at most once (webhook_deliveries'
 * unique key), and the batch's webhooks step posts them
 * (webhook_send.h). A trigger's "call a webhook" queues one of its own
 * (automation_fire in SQL). Admins read each webhook's delivery log.
 *
 * Admin changes run in one transaction with their audit record
 * ("webhook.create", ".activate", ".deactivate", ".delete"). Functions
 * return an enum cs_result; CS_REFUSED comes with the form field at fault
 * in *field and a sentence in *why. Strings come back in the arena given.
 */
#ifndef CSDESK_WEBHOOKS_H
#define CSDESK_WEBHOOKS_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct audit_entry;
struct db;

/* Limits, in characters, as the table's CHECKs have them. */
#define WEBHOOK_NAME_MAX 100
#define WEBHOOK_URL_MAX 500
/* Deliveries shown on one page of a webhook's log. */
#define WEBHOOK_LOG_PAGE 50

/* The events a webhook may want, NULL-terminated (the table's CHECK). */
extern const char *const webhook_events[];

struct webhook {
	long long id;
	const char *name, *url;
	const char *events;		/* "ticket.created,ticket.replied" */
	const char *secret;		/* 64 hex digits: the HMAC-SHA256 key, as text */
	int active;
	long long pending, failed;	/* deliveries in those states */
};

/* Every webhook by name. CS_OK or the failure. */
enum cs_result webhook_list(struct db *db, struct arena *a, struct webhook **rows, size_t *n);

/* One. CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result webhook_get(struct db *db, struct arena *a, long long id, struct webhook *w);

/*
 * Registers name posting to url for the nevents events (each from
 * webhook_events, at least one), with a new random secret; sets *id.
 * CS_OK, CS_REFUSED or the failure.
 */
enum cs_result webhook_create(struct db *db, struct arena *a, const struct audit_entry *by,
    const char *name, const char *url, const char *const *events, size_t nevents,
    long long *id, const char **field, const char **why);

/* Switches webhook id on or off. CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result webhook_set_active(struct db *db, const struct audit_entry *by, long long id,
    int active);

/* Deletes webhook id and its log. CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result webhook_delete(struct db *db, const struct audit_entry *by, long long id);

struct webhook_delivery {
	long long id;
	const char *event, *state;	/* state: pending, delivered, failed */
	int attempts;
	int last_status;		/* the HTTP status of the last try; 0: none */
	const char *last_error, *created_at, *delivered_at, *next_attempt_at;
};

/*
 * One page of webhook_id's deliveries, newest first, older than before
 * (0: the newest); *next_before is where the next page starts (0: none).
 * CS_OK or the failure.
 */
enum cs_result webhook_deliveries(struct db *db, struct arena *a, long long webhook_id,
    long long before, struct webhook_delivery **rows, size_t *n, long long *next_before);

/*
 * The consumer: queues the ready ticket events for the webhooks that want
 * them, up to max_batches of EVENTS_BATCH_MAX; *done counts the events.
 * CS_OK or the failure.
 */
enum cs_result webhooks_consume(struct db *db, int max_batches, long *done);

#endif
