/*
 * auth_origin.h — the request as the sign-in and account use cases
 * (domain/auth_cases.h) need it: the client's address, the program, who
 * is signed in, and the site's context and address for the mail they
 * queue.
 */
#ifndef CSDESK_WEB_AUTH_ORIGIN_H
#define CSDESK_WEB_AUTH_ORIGIN_H

#include "domain/auth_cases.h"

struct app;
struct req;
struct throttle_key;

/* Fills o from the request. 0, or -1 when out of memory (answer 500). */
int auth_origin_of(struct app *app, struct req *r, struct auth_origin *o);

/*
 * Fills s for a sign-in with a password from this request: k, the e-mail
 * typed, the person proved (id; 0: refused), the browser's session and
 * User-Agent, action "login.success" and, when rehash says the stored
 * hash is due for today's cost, pw hashed again into fresh (made here,
 * before the use case's transaction: Argon2id is slow).
 */
void sign_in_of(struct req *r, struct sign_in *s, const struct throttle_key *k,
    const char *email, long long id, const char *pw, int rehash, char *fresh);

#endif
