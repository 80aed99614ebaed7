/*
 * kb_auto_answer.h — low-priority automatic answers: when a new
 * low-priority ticket's subject finds published articles with all of its
 * words, its requester is mailed the best three with a "this solved it"
 * link (templates/email/kb_auto_answer); the link, used once, resolves the
 * ticket and counts as a self-service deflection (kb_auto_answers).
 *
 * The offer is made by the triggers' consumer on "ticket.created"
 * (automation_run.h), so it costs ticket creation nothing; the link's
 * secret is 32 random hex digits, of which only the SHA-256 is stored.
 */
#ifndef CSDESK_KB_AUTO_ANSWER_H
#define CSDESK_KB_AUTO_ANSWER_H

#include "core/result.h"

struct arena;
struct automation_env;
struct db;

/* How many articles an answer carries at most. */
#define KB_AUTO_ANSWER_ARTICLES 3

/*
 * Inside the caller's transaction: offers an answer for ticket_id when it
 * is open and low priority, has a requester, and its subject finds
 * articles with every word; at most once per ticket. *sent: 1 when a mail
 * was queued. CS_OK or the failure.
 */
enum cs_result kb_auto_answer_offer(struct db *db, struct arena *a,
    const struct automation_env *env, long long ticket_id, int *sent);

enum kb_auto_answer_outcome {
	KB_ANSWER_SOLVED,	/* the ticket is resolved now */
	KB_ANSWER_ALREADY,	/* the link had been used */
	KB_ANSWER_CLOSED,	/* resolved or closed meanwhile: nothing done */
};

/*
 * The link with token was followed and confirmed: resolves the ticket
 * (kb_auto_answer_solve in SQL). *number is the ticket's (in a). CS_OK
 * with *outcome, CS_NOT_FOUND (no such link, or not the shape of one) or
 * the failure.
 */
enum cs_result kb_auto_answer_solve(struct db *db, struct arena *a, const char *token,
    enum kb_auto_answer_outcome *outcome, const char **number);

/* 1 when token has the shape of a link's secret (32 lower-case hex digits). */
int kb_auto_answer_token_ok(const char *token);

#endif
