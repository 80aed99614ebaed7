/*
 * survey_consumers.h — what follows from events for surveys: the consumer
 * `csdesk batch` runs in its dispatcher step (events.h), and the periodic
 * surveys its "surveys" step sends.
 *
 *   surveys  ticket.status_changed to resolved → the active rules for
 *            "ticket.resolved"; to closed by the system (the auto-close)
 *            → those for "ticket.auto_closed": an invitation to the
 *            ticket's requester, or a logged skip (survey_int.h);
 *            a customer's confirmation with a rating → a CSAT answer in
 *            survey_responses (source portal_rating, or the answer to the
 *            CSAT invitation of that resolution when there is one), so
 *            every satisfaction figure reads one table;
 *            survey.answered (and that rating) → a follow-up when the
 *            score is at or below the kind's low mark or the comment is
 *            negative.
 *
 * A rule's event is matched here by name (survey_triggers() lists them):
 * a feature adding an event a survey can follow adds its row there and
 * its match in this file.
 */
#ifndef CSDESK_SURVEY_CONSUMERS_H
#define CSDESK_SURVEY_CONSUMERS_H

#include "core/result.h"

struct db;
struct tmpl_set;

/* The consumer's name (its cursor in event_cursors). */
#define SURVEY_CONSUMER "surveys"

/*
 * Remembers the compiled templates (email/survey_invitation/…), the
 * product name and the site's address without a trailing slash, for the
 * links. The pointers must stay valid for the life of the process.
 */
void survey_mail_setup(const struct tmpl_set *set, const char *site_name,
    const char *base_url);

/*
 * Runs the consumer over the ready events, in batches of EVENTS_BATCH_MAX,
 * until it has caught up or max_batches ran; adds to *done how many it
 * handled. Without survey_mail_setup() first it is not run (CS_FAILED:
 * its events wait). CS_OK or the failure (logged).
 */
enum cs_result survey_consumers_run(struct db *db, int max_batches, long *done);

/*
 * The periodic rules: for each active one, up to limit customers due are
 * sent its survey (or skipped, logged), in one transaction per rule. When
 * no rule had limit customers due, the next run is an hour later (the
 * setting survey_periodic_next; a call before then does nothing). Adds
 * to *sent and *skipped. Needs survey_mail_setup(). CS_OK or the first
 * failure.
 */
enum cs_result survey_periodic_run(struct db *db, int limit, long *sent, long *skipped);

#endif
