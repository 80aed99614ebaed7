/*
 * csrf.h — tokens that prove a form was served by us.
 *
 * Until a visitor has a session, the token is a double-submit cookie: a
 * random value in an HttpOnly cookie that every form repeats in the hidden
 * field csrf_token. A cross-site page can make the browser send the cookie
 * but cannot read it to fill the field.
 */
#ifndef CSDESK_CSRF_H
#define CSDESK_CSRF_H

#include <stddef.h>

struct arena;

/* Length of a token: 32 random bytes in unpadded base64url. */
#define CSRF_TOKEN_LEN 43

/* A new random token in the arena, or NULL when out of memory. */
char *csrf_new(struct arena *a);

/* Non-zero when s looks like a token we issued (length and alphabet). */
int csrf_well_formed(const char *s);

/* Non-zero when both are well formed and equal, compared in constant time. */
int csrf_equal(const char *expected, const char *given);

#endif
