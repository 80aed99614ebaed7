/*
 * qa.h — quality reviews: scorecards (criteria with weights) that admins
 * define, samples of settled tickets that supervisors draw (random, one
 * per agent per week, or chosen by number), the supervisor's scores, and
 * each agent's own reviews. See docs/surveys.md ("Quality reviews").
 *
 * A criterion is scored 0 (not met) to QA_POINTS_MAX (fully met); a
 * review's score is Σ(weight × points ÷ QA_POINTS_MAX) ÷ Σ weight × 100,
 * stored when it is scored, so a scorecard is never edited once made
 * (admins retire it and make another). A review is of the agent who
 * resolved the ticket (the last move to resolved in its history, else
 * its assignee) and that agent's team then.
 *
 * Functions return CS_OK or what went wrong; strings come back in the
 * arena. Scorecard changes are audited (admin_audit).
 */
#ifndef CSDESK_QA_H
#define CSDESK_QA_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct audit_entry;
struct db;

#define QA_NAME_MAX 100
#define QA_CRITERION_MAX 200
#define QA_CRITERIA_MAX 50
#define QA_WEIGHT_MAX 100
#define QA_POINTS_MAX 4
#define QA_COMMENT_MAX 4000
#define QA_SAMPLE_MAX 50

struct qa_criterion {
	long long id;
	const char *name;
	int weight;
	int points;			/* a review's: -1 when not scored */
};

struct qa_scorecard {
	long long id;
	const char *name;
	int active;
	int criteria, total_weight;
	long long reviews;
};

/* Every scorecard (active_only: those in use), by name. CS_OK or the failure. */
enum cs_result qa_scorecards_list(struct db *db, struct arena *a, int active_only,
    struct qa_scorecard **out, size_t *n);

/*
 * Makes a scorecard called name from text: one criterion per line,
 * "name | weight" (weight 1 … QA_WEIGHT_MAX). CS_OK (*id set);
 * CS_REFUSED (a name empty or too long, no criterion, a line without a
 * weight, too many: *why and *field "name" or "criteria"); CS_TAKEN (the
 * name is in use); or the failure.
 */
enum cs_result qa_scorecard_create(struct db *db, struct arena *a, const struct audit_entry *by,
    const char *name, const char *text, long long *id, const char **why, const char **field);

/* Puts a scorecard in use or retires it. CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result qa_scorecard_set_active(struct db *db, const struct audit_entry *by, long long id,
    int active);

enum qa_sample {
	QA_SAMPLE_RANDOM,	/* count tickets settled in the last 7 days */
	QA_SAMPLE_WEEKLY,	/* count per agent among those settled in one week */
	QA_SAMPLE_CHOSEN,	/* the ticket numbered number */
	QA_SAMPLE__MAX
};

struct qa_sample_in {
	enum qa_sample kind;
	long long scorecard_id;
	int count;			/* random, weekly: 1 … QA_SAMPLE_MAX */
	const char *week;		/* weekly: a day of the week, "YYYY-MM-DD" */
	const char *number;		/* chosen: a ticket number */
};

/*
 * Draws a sample: a pending review per ticket not yet reviewed with that
 * scorecard. *made says how many. CS_OK; CS_REFUSED (a retired or unknown
 * scorecard, a count out of range, a week not a date, a ticket not
 * settled or without an agent, already sampled: *why and *field
 * "scorecard_id", "count", "week" or "number"); CS_NOT_FOUND (no such
 * ticket); or the failure.
 */
enum cs_result qa_sample_draw(struct db *db, const struct qa_sample_in *in, long *made,
    const char **why, const char **field);

struct qa_review {
	long long id;
	const char *scorecard, *ticket_number, *ticket_subject, *agent, *team, *sample;
	const char *status, *reviewer, *comment, *created_at, *reviewed_at;
	double score;			/* done: 0 … 100 */
	struct qa_criterion *criteria;	/* qa_review_get only */
	size_t ncriteria;
};

/*
 * A page of reviews in status ("pending" or "done"), newest first: id <
 * before (0: from the newest), at most limit. agent_id > 0: only that
 * agent's. CS_OK or the failure.
 */
enum cs_result qa_reviews_page(struct db *db, struct arena *a, const char *status,
    long long agent_id, long long before, int limit, struct qa_review **out, size_t *n,
    int *more);

/*
 * One review with its criteria (and points, when done). agent_id > 0:
 * only when it is that agent's (else CS_NOT_FOUND). CS_OK, CS_NOT_FOUND
 * or the failure.
 */
enum cs_result qa_review_get(struct db *db, struct arena *a, long long id, long long agent_id,
    struct qa_review *r);

/*
 * Scores pending review id by reviewer: points[i] (0 … QA_POINTS_MAX) for
 * the i-th of its n criteria, in their order, and a comment (may be "").
 * CS_OK; CS_REFUSED (a criterion without points, a comment too long, a
 * review already scored, one's own ticket: *why); CS_NOT_FOUND; or the
 * failure.
 */
enum cs_result qa_review_score(struct db *db, struct arena *a, long long id,
    long long reviewer, const int *points, size_t n, const char *comment, const char **why);

#endif
