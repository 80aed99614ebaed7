/*
 * webhook_send.h — posting the queued webhook deliveries (webhooks.h),
 * for the batch's webhooks step.
 *
 * Each delivery is posted as its JSON payload with the headers
 * X-Csdesk-Event, X-Csdesk-Delivery and X-Csdesk-Signature:
 * "sha256=" and the hex HMAC-SHA256 of the body, keyed with the webhook's
 * secret as its text shows it (64 hex digits). A 2xx answer within
 * WEBHOOK_TIMEOUT_S delivers it; anything else is tried again after 1, 5,
 * 30, 120 and 720 minutes, then given up ("failed"). A delivery is leased
 * (its next try moved WEBHOOK_LEASE_MIN ahead) in a short transaction
 * before the post, so no transaction stays open while a receiver answers
 * and two batches never post the same one at once.
 */
#ifndef CSDESK_WEBHOOK_SEND_H
#define CSDESK_WEBHOOK_SEND_H

#include <stddef.h>

#include "core/result.h"

struct db;

#define WEBHOOK_TIMEOUT_S 10
#define WEBHOOK_LEASE_MIN 5
/* Tries before a delivery is given up. */
#define WEBHOOK_ATTEMPTS_MAX 6

/*
 * The signature header's value for body under secret, into out (at least
 * WEBHOOK_SIGNATURE_LEN + 1 bytes): "sha256=<64 hex digits>".
 */
#define WEBHOOK_SIGNATURE_LEN (7 + 64)
void webhook_signature(const char *secret, const char *body, size_t len, char *out);

/*
 * Posts up to max due deliveries. *delivered and *retried count what
 * happened (a retry that was the last try is given up). CS_OK or the
 * database's failure (a receiver's failure is the delivery's, not ours).
 */
enum cs_result webhooks_send_due(struct db *db, int max, long *delivered, long *retried);

#endif
