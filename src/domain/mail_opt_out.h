/*
 * mail_opt_out.h — one-click unsubscribe (RFC 8058) from the mail a
 * customer may turn off (notify.h's optional kinds): each such message
 * carries a token in its List-Unsubscribe address; the portal's
 * /unsubscribe/<token> finds what it stops and records the opt-out, after
 * which that kind is not queued to that address again. The token is the
 * only key (the person need not sign in): 32 random hex digits.
 */
#ifndef CSDESK_MAIL_OPT_OUT_H
#define CSDESK_MAIL_OPT_OUT_H

#include "core/result.h"

struct arena;
struct db;

/* Whether token has the shape of one (32 lower-case hex digits). Cannot fail. */
int mail_opt_out_token_ok(const char *token);

/*
 * What token stops: the address and the mail's kind (in a), and whether
 * it is stopped already. CS_OK, CS_NOT_FOUND (no such token) or the
 * failure.
 */
enum cs_result mail_opt_out_find(struct db *db, struct arena *a, const char *token,
    const char **address, const char **kind, int *done);

/*
 * Records the opt-out of token's address from its kind (again changes
 * nothing). CS_OK, CS_NOT_FOUND (no such token) or the failure.
 */
enum cs_result mail_opt_out_record(struct db *db, const char *token);

/* The words for a kind a customer may turn off ("survey invitations"). Cannot fail. */
const char *mail_opt_out_kind_words(const char *kind);

#endif
