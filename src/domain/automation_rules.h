/*
 * automation_rules.h — triggers and automations as an admin keeps them:
 * ordered rules, each "when" (a ticket event, or hours since creation,
 * the last update or the last status change), "if" (conditions on the
 * ticket's status, priority, channel, queue, tags and text and the
 * customer's tier, inside or outside business hours) and "then" (set the priority or queue, add tags, give
 * it to an agent, add an internal note, resolve or close it, mail the
 * customer, the agent, the team or an address). What they do and when is
 * automation_run.h.
 *
 * Creating or changing a rule is one use case: checked here against the
 * limits below (the table's CHECKs), written with its audit record in one
 * transaction. Refusals come as one sentence per field (sla_admin.h's
 * struct sla_why, which the admin forms of service levels share).
 * Strings live in the arena given.
 */
#ifndef CSDESK_AUTOMATION_RULES_H
#define CSDESK_AUTOMATION_RULES_H

#include <stddef.h>

#include "core/result.h"
#include "domain/sla_admin.h"

struct arena;
struct audit_entry;
struct db;

#define AUTOMATION_POSITION_MAX 10000
#define AUTOMATION_HOURS_MAX 8760		/* a year */
#define AUTOMATION_TEXT_MAX 100			/* "text contains" */
#define AUTOMATION_NOTE_MAX 2000
#define AUTOMATION_SUBJECT_MAX 200
#define AUTOMATION_BODY_MAX 5000
/* A new time rule looks back this many days past its hours: tickets that
 * reached them lately are acted on, not a desk's whole history at once. */
#define AUTOMATION_LOOKBACK_DAYS 30

/* The "when"s, the bases of time rules, statuses set, mail recipients. */
extern const char *const automation_events[];
extern const char *const automation_bases[];
extern const char *const automation_set_statuses[];
extern const char *const automation_mail_to[];
extern const char *const automation_hours[];

/* A rule as the list and the form show it; "" or 0 for a part not set. */
struct automation_rule {
	long long id;
	const char *name;
	int position, active;
	const char *on_event, *time_basis;
	int time_hours;
	int time_business;		/* hours counted in business hours (the queue's calendar) */
	const char *if_status, *if_priority, *if_tier, *if_channel;
	long long if_queue_id;
	const char *if_tag, *if_no_tag, *if_text;
	const char *if_hours;		/* "open", "closed" (business hours), "" any */
	const char *set_status, *set_priority;
	long long set_queue_id;
	const char *add_tags;		/* "a, b" */
	long long assign_to;
	const char *note, *mail_to, *mail_address, *mail_subject, *mail_body;
	long long fired;		/* firings so far */
	long long call_webhook_id;	/* the webhook a firing calls (webhooks.h); 0: none */
};

/* Every rule in position order. CS_OK or the failure. */
enum cs_result automation_rule_list(struct db *db, struct arena *a, struct automation_rule **out,
    size_t *n);

/* One rule. CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result automation_rule_get(struct db *db, struct arena *a, long long id,
    struct automation_rule *x);

/* A rule as an admin types it: the same parts, add_tags as typed. */
struct automation_rule_input {
	const char *name;
	long long position;
	int active;
	const char *on_event, *time_basis;
	long long time_hours;
	int time_business;
	const char *if_status, *if_priority, *if_tier, *if_channel;
	long long if_queue_id;
	const char *if_tag, *if_no_tag, *if_text;
	const char *if_hours;
	const char *set_status, *set_priority;
	long long set_queue_id;
	const char *add_tags;
	long long assign_to;
	const char *note, *mail_to, *mail_address, *mail_subject, *mail_body;
	long long call_webhook_id;
};

/*
 * Checks in without the database: every part from its list or within its
 * limit, a time rule's basis and hours, at least one action, a mail's text
 * and (to an address) its address. CS_OK, or CS_REFUSED with a message per
 * field (named as the input's members). Cannot fail otherwise.
 */
enum cs_result automation_rule_check(const struct automation_rule_input *in,
    struct sla_why *why);

/*
 * Creates a rule (*id set) or changes rule id, after the check and with
 * the queues and agent it names looked up. CS_OK, CS_REFUSED (why),
 * CS_TAKEN (another rule has the name: why at "name"), CS_NOT_FOUND
 * (update: no such rule) or the failure.
 */
enum cs_result automation_rule_create(struct db *db, struct arena *a,
    const struct audit_entry *by, const struct automation_rule_input *in, long long *id,
    struct sla_why *why);
enum cs_result automation_rule_update(struct db *db, struct arena *a,
    const struct audit_entry *by, long long id, const struct automation_rule_input *in,
    struct sla_why *why);

/* The most tickets a dry run lists. */
#define AUTOMATION_DRY_RUN_MAX 50

struct automation_hit {
	long long id;
	const char *number, *subject, *status;
};

/*
 * The open tickets rule id would act on now, newest first, at most
 * AUTOMATION_DRY_RUN_MAX: for an event rule those whose conditions hold;
 * for a time rule those its next run would fire on. Changes nothing.
 * CS_OK, CS_NOT_FOUND or the failure.
 */
enum cs_result automation_rule_dry_run(struct db *db, struct arena *a, long long id,
    struct automation_hit **out, size_t *n);

#endif
