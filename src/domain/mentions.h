/*
 * mentions.h — finding @mentions of colleagues in an internal note.
 *
 * A mention is '@' followed by a staff member's handle: the local part of
 * their e-mail address (bea for bea@acme.test), compared without regard
 * to case. The '@' must begin the text or follow a character that cannot
 * be part of a handle, so a mail address written in a note
 * (bea@acme.test) mentions nobody. A handle is 1 to MENTION_HANDLE_MAX
 * characters of letters, digits and . _ % + -; dots and hyphens at its end
 * are punctuation ("ask @bea." mentions bea).
 *
 * This module only reads text: which handles name someone, and telling
 * them, is ticket_collab.h's work. It touches no database, so it is fuzzed
 * on its own (tests/fuzz/fuzz_mentions.c).
 */
#ifndef CSDESK_MENTIONS_H
#define CSDESK_MENTIONS_H

#include <stddef.h>

struct arena;

/* Longest handle, in bytes (an e-mail local part's limit, RFC 5321). */
#define MENTION_HANDLE_MAX 64

/* Most handles taken from one text; more are ignored. */
#define MENTIONS_MAX 20

/* Non-zero when c may appear in a handle. Cannot fail. */
int mention_char(unsigned char c);

/*
 * The distinct handles mentioned in text[0..len), lower-cased, in the
 * order they first appear, at most max of them, into out (copies in a).
 * Returns how many; when memory runs out, the ones found so far.
 */
size_t mentions_parse(struct arena *a, const char *text, size_t len, const char **out,
    size_t max);

#endif
