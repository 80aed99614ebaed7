/*
 * utf8.h — counting and cutting UTF-8 text by characters.
 *
 * Every limit a person reads ("at most 30,000 characters") is counted in
 * characters (code points), the same unit as the tables' CHECKs
 * (char_length), whatever layer checks it. The text is assumed valid
 * UTF-8: the request parser refuses anything else before it gets here.
 */
#ifndef CSDESK_UTF8_H
#define CSDESK_UTF8_H

#include <stddef.h>

struct arena;

/* Characters (UTF-8 code points) in s. Cannot fail. */
size_t utf8_chars(const char *s);

/* Characters in s[0..len). Cannot fail. */
size_t utf8_chars_n(const char *s, size_t len);

/* Characters in s, or -1 when s is not valid UTF-8 (strict lead bytes). */
long utf8_chars_checked(const char *s);

/*
 * s cut to at most max characters (at a character boundary, "…" added when
 * cut), for messages that must stay short such as a flash. A copy in a, or
 * s itself when it is short enough (or memory ran out). Never NULL.
 */
const char *utf8_short(struct arena *a, const char *s, size_t max);

#endif
