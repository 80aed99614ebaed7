/*
 * signin.h — what the portal's and the console's sign-in pages share:
 * the throttle key of a request (with its device cookie, when the cookie
 * is valid for the account typed), the device cookie set after a
 * successful sign-in, the answer to a throttled client, and the
 * throttled re-check of the current password on account pages.
 */
#ifndef CSDESK_WEB_SIGNIN_H
#define CSDESK_WEB_SIGNIN_H

#include "auth/throttle.h"

struct app;
struct req;
struct resp;

/*
 * Fills k for a sign-in as who from this request: the program's area, the
 * client's address and, when the request carries a device cookie valid
 * for who, the device. Returns 0, or -1 on a database error.
 */
int signin_key(struct app *app, struct req *r, const char *who, struct throttle_key *k);

/* Sets a fresh device cookie for who, after a successful sign-in (best effort). */
void signin_remember_device(struct app *app, struct req *r, struct resp *w, const char *who);

/*
 * The sentence for a client that must wait `wait` seconds, and a
 * Retry-After header on w. The sentence is in the request's arena.
 */
const char *signin_wait_message(struct req *r, struct resp *w, int wait);

/*
 * The page a mailed sign-in link opens (template name): a button that
 * spends it, not the sign-in itself, so a mail scanner that follows links
 * does not spend it. Never cached; the token in its URL is not sent on as
 * a referrer. error may be NULL. Returns what app_render returns.
 */
int signin_link_page(struct app *app, struct req *r, struct resp *w, int status,
    const char *name, const char *token, const char *error);

/*
 * Re-checks the signed-in person's current password pw against hash
 * (NULL when none could be read), throttled like sign-in for their
 * address from this client. Returns 0 when right; 422 when wrong and 429
 * when the client must wait first (Retry-After set on w), each with a
 * sentence in *why; 503 when the throttle could not be read or written.
 */
int signin_recheck(struct app *app, struct req *r, struct resp *w, const char *hash,
    const char *pw, const char **why);

#endif
