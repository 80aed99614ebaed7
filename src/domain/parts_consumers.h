/*
 * parts_consumers.h — what follows from the parts' and jobs' events, and
 * the parts' periodic work, both run by `csdesk batch`.
 *
 * Consumers (events.h), each exactly once per event:
 *   parts_mail      a loaner past its due date (part_loan.overdue) → the
 *                   ticket's requester, template email/part_loan_overdue
 *   parts_charges   a job completed (appointment.completed) → its charges
 *                   stored in job_charges for the reports (parts_job.h)
 *
 * Mail is rendered from the templates parts_notify_setup() gave; a process
 * that did not call it runs the charges consumer only (mail events wait).
 */
#ifndef CSDESK_PARTS_CONSUMERS_H
#define CSDESK_PARTS_CONSUMERS_H

#include "core/result.h"

struct db;
struct tmpl_set;

#define PARTS_CONSUMER_MAIL "parts_mail"
#define PARTS_CONSUMER_CHARGES "parts_charges"

/* The compiled templates, the product's name and the portal's address (no trailing slash). */
void parts_notify_setup(const struct tmpl_set *set, const char *site_name, const char *base_url);

/* Runs both consumers until each caught up (or ran max_batches batches); adds to *done. */
enum cs_result parts_consumers_run(struct db *db, int max_batches, long *done);

/*
 * Loaners past their due date, not returned and not reminded yet: each is
 * marked reminded and gets a part_loan.overdue event, in one transaction,
 * so a reminder is sent once however often this runs. Sets *reminded.
 */
enum cs_result parts_loans_remind(struct db *db, long *reminded);

/*
 * The batch's parts step: the replenishment proposal once a day (the
 * first run after midnight, parts_propose) and the loaner reminders.
 * CS_OK or the first failure (the other still runs).
 */
struct parts_step_counts {
	long proposed, reminded;
};
enum cs_result parts_step(struct db *db, struct parts_step_counts *c);

#endif
