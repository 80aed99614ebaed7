/*
 * survey_int.h — what the surveys' files share inside the domain: sending
 * an invitation (survey_send.c) for the consumer and the periodic step
 * (survey_consumers.c).
 */
#ifndef CSDESK_SURVEY_INT_H
#define CSDESK_SURVEY_INT_H

#include "core/result.h"

struct arena;
struct db;

/* The mail set-up survey_mail_setup() recorded (NULL set: mail is off). */
struct survey_mail_env {
	const struct tmpl_set *set;
	const char *site_name, *base_url;
};
extern struct survey_mail_env survey_mail;

/* A rule that applies: its id, trigger and kind. */
struct survey_rule_ref {
	long long id;
	const char *trigger, *kind;
	int every_days;
};

/*
 * Sends rule's survey about ticket_id's current resolution to its
 * requester, or logs in survey_skips why not (reopened since, nobody with
 * an address, already asked about this resolution, asked within the
 * throttle). In the caller's transaction (the dispatcher's). *sent is
 * set when an invitation went out. CS_OK or the failure.
 */
enum cs_result survey_send_ticket(struct db *db, struct arena *a,
    const struct survey_rule_ref *rule, long long ticket_id, int *sent);

/*
 * Sends the periodic rule's survey to up to limit customers whose last one
 * from it (or skip) is older than its every_days, each to the account's
 * first active login (account admins first), in one transaction. Adds to
 * *sent and *skipped. CS_OK or the failure.
 */
enum cs_result survey_send_periodic(struct db *db, struct arena *a,
    const struct survey_rule_ref *rule, int limit, long *sent, long *skipped);

#endif
