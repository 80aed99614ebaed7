/*
 * warranty_consumers.h — what follows from the warranty events
 * (warranty_claims.h, warranty_contracts.h), and the warranty's periodic
 * work, both run by `csdesk batch`.
 *
 * Consumers (events.h), each exactly once per event:
 *   warranty_mail    a claim submitted, approved, rejected or fulfilled →
 *                    the customer (the ticket's requester, else the
 *                    account's admins), template email/warranty_claim;
 *                    a contract's renewal due → the account's admins,
 *                    template email/warranty_renewal
 *   warranty_audit   a claim accepted for a serial coverage refused (an
 *                    override) → audit "warranty.override" with the reason
 *
 * Mail is rendered from the templates warranty_notify_setup() gave; a
 * process that did not call it runs the audit consumer only (its mail
 * events wait).
 */
#ifndef CSDESK_WARRANTY_CONSUMERS_H
#define CSDESK_WARRANTY_CONSUMERS_H

#include "core/result.h"

struct db;
struct tmpl_set;

#define WARRANTY_CONSUMER_MAIL "warranty_mail"
#define WARRANTY_CONSUMER_AUDIT "warranty_audit"

/* The compiled templates, the product's name and the portal's address (no trailing slash). */
void warranty_notify_setup(const struct tmpl_set *set, const char *site_name,
    const char *base_url);

/*
 * Runs both consumers over the ready events until each caught up (or ran
 * max_batches batches). Adds the events handled to *done. CS_OK or the
 * first failure (logged).
 */
enum cs_result warranty_consumers_run(struct db *db, int max_batches, long *done);

/*
 * The batch's warranty step: coverage past a midnight recomputed
 * (warranty_coverage_tick), submitted claims approved or sent to review
 * (warranty_claims_sweep), renewal reminders due recorded as events
 * (warranty_contracts_remind). Adds what each did. CS_OK or the first
 * failure (the others still run).
 */
struct warranty_step_counts {
	long coverage, approved, reviewed, reminders;
};
enum cs_result warranty_step(struct db *db, struct warranty_step_counts *c);

#endif
