/*
 * routing_words.h — the small words a routing rule is typed with in the
 * admin form: the tags it adds and the language it matches. Pure string
 * work (no database), so the parser has a fuzz target
 * (tests/fuzz/fuzz_routing_tags.c).
 */
#ifndef CSDESK_ROUTING_WORDS_H
#define CSDESK_ROUTING_WORDS_H

struct arena;

/* Tags one rule may add, and the longest tag (bytes). */
#define ROUTING_TAGS_MAX 10
#define ROUTING_TAG_LEN 40
/* The longest tag list as typed: every tag with room for ", " around it. */
#define ROUTING_TAGS_TYPED_MAX 450
_Static_assert(ROUTING_TAGS_TYPED_MAX >= ROUTING_TAGS_MAX * (ROUTING_TAG_LEN + 2),
    "room for every tag");
/* The longest language code as typed (a rule matches "en" or "en-GB"). */
#define ROUTING_LANGUAGE_TYPED_MAX 20

/*
 * Tags as typed ("VIP, returns ,,x") in the stored form: lower-case
 * words of a-z 0-9 _ - joined by single commas ("vip,returns,x"); blanks
 * around a tag and empty tags are dropped, so "" and " , " give "". NULL
 * when in holds anything else, a tag longer than ROUTING_TAG_LEN or more
 * than ROUTING_TAGS_MAX tags — or when a runs out of memory. The result
 * lives in a; it is its own canonical form.
 */
const char *routing_words_tags(struct arena *a, const char *in);

/* Non-zero for a language code a rule can match: "en" or "en-GB". */
int routing_words_language(const char *s);

#endif
