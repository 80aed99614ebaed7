/*
 * kb_auto_answer.h — low-priority automatic answers: when a new
 * low-priority ticket's subject finds published articles with all of its
 * words, the acknowledgement its requester gets (ticket_created) carries
 * the best three with a "this solved it" link; the link, used once,
 * resolves the ticket and counts as a self-service deflection
 * (kb_auto_answers).
 *
 * The offer is made as the mail consumer writes the acknowledgement
 * (ticket_notify.h), so it costs ticket creation nothing; the link's
 * secret is 32 random hex digits, of which only the SHA-256 is stored.
 */
#ifndef CSDESK_KB_AUTO_ANSWER_H
#define CSDESK_KB_AUTO_ANSWER_H

#include "core/result.h"

struct arena;
struct db;
struct tval;

/* How many articles an answer carries at most. */
#define KB_AUTO_ANSWER_ARTICLES 3

/*
 * Inside the caller's transaction: offers an answer for ticket_id when it
 * is open and low priority, has an active requester, and its subject
 * finds articles with every word; at most once per ticket. The offer is
 * recorded and set on the acknowledgement's ctx: "kb_answer" (true),
 * "kb_articles" ({title, summary, link}) and "solved_link", links under
 * base_url. *offered: 1 when it was. CS_OK or the failure.
 */
enum cs_result kb_auto_answer_offer(struct db *db, struct arena *a, const char *base_url,
    long long ticket_id, struct tval *ctx, int *offered);

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
