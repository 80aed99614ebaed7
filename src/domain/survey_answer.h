/*
 * survey_answer.h — a customer answering a survey through the link in its
 * invitation, without signing in (the portal's /survey/answer pages).
 *
 * The link carries a token of 32 random bytes (base64url, 43 characters);
 * only its BLAKE2b hash is stored, and the portal reaches the invitation
 * through the SECURITY DEFINER functions of sql/functions/160_surveys.sql.
 * The link works for SURVEY_LINK_DAYS days: the first answer is recorded,
 * sending the same form again says "already answered" (the answer
 * stands), and the page then shows the answer to change until the link
 * expires. A browser signed in to the console is refused: staff do not
 * answer for customers.
 *
 * An answer (first or changed) appends "survey.answered" (aggregate
 * "survey", the invitation) with the response, kind, score and sentiment;
 * the surveys' consumer opens a follow-up from it when the score is low or
 * the comment negative (survey_consumers.h).
 */
#ifndef CSDESK_SURVEY_ANSWER_H
#define CSDESK_SURVEY_ANSWER_H

#include "core/result.h"

struct arena;
struct db;
struct survey_kind_def;

#define SURVEY_COMMENT_MAX 4000

/* An invitation as its answer page shows it. */
struct survey_view {
	long long id;
	const struct survey_kind_def *kind;
	int expired;
	const char *expires_on;		/* "20 December 2026" (UTC) */
	int version;			/* answers given so far: the form sends it back */
	int score;			/* the answer, when version > 0 */
	const char *comment;		/* "" when none */
	const char *ticket_number;	/* "" for a periodic survey */
};

/*
 * The invitation of token. staff_token is the console session cookie this
 * browser sent (NULL: none). CS_OK; CS_NOT_FOUND (no such link);
 * CS_REFUSED (the browser is signed in to the console: *why); or the
 * failure.
 */
enum cs_result survey_open(struct db *db, struct arena *a, const char *token,
    const char *staff_token, struct survey_view *v, const char **why);

struct survey_answer_in {
	const char *token;
	const char *staff_token;	/* as for survey_open */
	int score;
	const char *comment;		/* may be NULL or "" */
	int seen_version;		/* the version the form was made from */
};

enum survey_outcome {
	SURVEY_ANSWERED,		/* the first answer */
	SURVEY_CHANGED,			/* a later one */
	SURVEY_REPLAY,			/* the form was used already; nothing changed */
	SURVEY_EXPIRED,			/* the link no longer works */
};

/*
 * Records the answer of in, in a transaction of its own with its event.
 * *outcome says what happened. CS_OK (answered or changed); CS_CONFLICT
 * (a replay: "already answered"); CS_REFUSED (a score outside the kind's
 * scale, a comment over SURVEY_COMMENT_MAX characters: *why, and *field
 * "score" or "comment"; a staff browser, an expired link: *why, *field
 * NULL); CS_NOT_FOUND (no such link); or the failure.
 */
enum cs_result survey_answer(struct db *db, struct arena *a, const struct survey_answer_in *in,
    enum survey_outcome *outcome, const char **why, const char **field);

#endif
