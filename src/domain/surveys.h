/*
 * surveys.h — what admins and supervisors do with surveys in the console:
 * the rules that say which survey (CSAT, NPS or CES) follows which event,
 * the throttle (at most one survey per customer per N days), the surveys
 * not sent and why, and the follow-ups a low score or a negative comment
 * opened. Sending is the batch's (survey_consumers.h), answering the
 * customer's (survey_answer.h). See docs/surveys.md.
 *
 * Functions return CS_OK or what went wrong; strings come back in the
 * arena. Rule changes are audited (admin_audit) in their transaction.
 */
#ifndef CSDESK_SURVEYS_H
#define CSDESK_SURVEYS_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct audit_entry;
struct db;

/* A survey kind: its name in the tables, its scale and its question. */
enum survey_kind {
	SURVEY_CSAT,
	SURVEY_NPS,
	SURVEY_CES,
	SURVEY_KIND__MAX
};

struct survey_kind_def {
	const char *name;		/* "csat", "nps", "ces" */
	const char *label;		/* "CSAT (1–5)" */
	int min, max;
	int low;			/* a score at or below this opens a follow-up */
	const char *question;		/* as the customer reads it */
	const char *min_label, *max_label;	/* what the ends of the scale mean */
};

/* The definition of kind name, or NULL when there is none. */
const struct survey_kind_def *survey_kind_find(const char *name);
const struct survey_kind_def *survey_kind_get(enum survey_kind k);

/*
 * The events a rule can follow. Each is matched to a domain event by the
 * surveys' consumer (survey_consumers.c); "periodic" is asked by the
 * batch every every_days days per customer. A feature that adds an event
 * (a field visit completed, a return closed) adds a row here and its
 * match there.
 */
struct survey_trigger {
	const char *name;		/* survey_rules.trigger */
	const char *label;		/* "Ticket resolved" */
};

/* The triggers in order, *n how many. Cannot fail. */
const struct survey_trigger *survey_triggers(size_t *n);

/* The trigger called name, or NULL. */
const struct survey_trigger *survey_trigger_find(const char *name);

#define SURVEY_PERIODIC "periodic"
#define SURVEY_EVERY_DAYS_MAX 3650
#define SURVEY_MIN_DAYS_MAX 365
/* How long a survey link works. */
#define SURVEY_LINK_DAYS 14

struct survey_rule {
	long long id;
	const char *trigger, *kind;
	int every_days;			/* periodic only; else 0 */
	int active;
	long long sent, answered;	/* its invitations so far, and those answered */
};

/* Every rule, by trigger and kind. CS_OK or the failure. */
enum cs_result survey_rules_list(struct db *db, struct arena *a, struct survey_rule **out,
    size_t *n);

struct survey_rule_input {
	const char *trigger, *kind;
	int every_days;			/* periodic only */
};

/*
 * Adds a rule (*id set). CS_OK; CS_REFUSED (an unknown trigger or kind, a
 * periodic rule without a number of days or another with one: *why and
 * *field "trigger", "kind" or "every_days"); CS_TAKEN (a rule for that
 * event and kind exists); or the failure.
 */
enum cs_result survey_rule_create(struct db *db, const struct audit_entry *by,
    const struct survey_rule_input *in, long long *id, const char **why, const char **field);

/* Turns rule id on or off. CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result survey_rule_set_active(struct db *db, const struct audit_entry *by, long long id,
    int active);

/* Deletes rule id (its invitations stay). CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result survey_rule_delete(struct db *db, const struct audit_entry *by, long long id);

/* The throttle in days (0: none), from settings. CS_OK or the failure. */
enum cs_result survey_min_days(struct db *db, int *days);

/* Sets it. CS_OK, CS_REFUSED (not 0 … SURVEY_MIN_DAYS_MAX: *why) or the failure. */
enum cs_result survey_min_days_set(struct db *db, const struct audit_entry *by, int days,
    const char **why);

/* A survey not sent. */
struct survey_skip {
	long long id;
	const char *trigger, *kind, *reason;	/* reason: a sentence (survey_skip_words) */
	const char *customer, *ticket_number;	/* ticket "": none */
	const char *at;				/* "2026-01-31 14:05" UTC */
};

/* The sentence for a skip's reason code (survey_skips.reason). Cannot fail. */
const char *survey_skip_words(const char *reason);

/*
 * A page of skips, newest first: those with id < before (0: from the
 * newest), at most limit; *more when there are older ones.
 */
enum cs_result survey_skips_page(struct db *db, struct arena *a, long long before, int limit,
    struct survey_skip **out, size_t *n, int *more);

/* A follow-up opened by an answer. */
struct survey_followup {
	long long id;
	const char *kind;
	int score;
	const char *comment, *sentiment;
	int low_score, negative_comment;
	const char *customer, *ticket_number, *team, *agent;	/* "" when none */
	const char *status, *note, *done_by, *created_at;
};

#define SURVEY_NOTE_MAX 2000

/*
 * A page of follow-ups with status "open" or "done", newest first: id <
 * before (0: from the newest), at most limit. for_staff > 0 keeps those
 * of that staff member's team and those without a team (a supervisor's
 * list); 0: all (an admin's).
 */
enum cs_result survey_followups_page(struct db *db, struct arena *a, const char *status,
    long long for_staff, long long before, int limit, struct survey_followup **out, size_t *n,
    int *more);

/*
 * Marks follow-up id done by staff_id with note (may be ""); for_staff as
 * for the page. CS_OK, CS_NOT_FOUND (no such open follow-up: already done,
 * or another team's), CS_REFUSED (a note too long: *why) or the failure.
 */
enum cs_result survey_followup_done(struct db *db, long long id, long long for_staff,
    long long staff_id, const char *note, const char **why);

#endif
