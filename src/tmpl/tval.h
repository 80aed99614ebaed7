/*
 * tval.h — the value tree a template is rendered against.
 *
 * A context is built per request in the request's arena: null, bool,
 * number, string, list and map (string keys, insertion order kept). Nothing
 * here is freed on its own; the arena takes it all at once.
 *
 * Constructors return NULL when the arena is out of memory; the *_set and
 * *_push functions return 0 or -1 and accept a NULL value (stored as null),
 * so a context can be filled without checking every call and checked once.
 * A NULL value still makes them return -1, because a NULL value is what a
 * constructor that ran out of memory hands over: OR the results together
 * and check once. For a deliberate null, pass tval_null().
 */
#ifndef CSDESK_TVAL_H
#define CSDESK_TVAL_H

#include <stddef.h>

struct arena;

enum tval_type {
	TVAL_NULL,
	TVAL_BOOL,
	TVAL_NUM,
	TVAL_STR,
	TVAL_LIST,
	TVAL_MAP,
};

struct tval;

struct tval_pair {
	const char *key;
	struct tval *val;
	/* The key's length and hash (tval_key_hash), so a lookup compares
	 * two numbers for most keys instead of their bytes: a page looks up
	 * thousands of names, most of them in maps that do not hold them. */
	size_t keylen;
	unsigned int hash;
};

struct tval {
	enum tval_type type;
	union {
		int b;
		double num;
		struct {
			const char *s;	/* not copied: must outlive the render */
			size_t len;
		} str;
		struct {
			struct tval **items;
			size_t n, cap;
		} list;
		struct {
			struct tval_pair *pairs;
			size_t n, cap;
			/* A map of more than TVAL_INDEX_MIN pairs: 2 * cap slots,
			 * each 0 or a pair's position + 1, placed by its hash, so
			 * a lookup probes a slot or two instead of scanning.
			 * NULL for small maps. */
			unsigned int *index;
		} map;
	} u;
};

/* Pairs a map holds before it is indexed (see map.index). */
#define TVAL_INDEX_MIN 16

struct tval *tval_null(struct arena *a);
struct tval *tval_bool(struct arena *a, int b);
struct tval *tval_num(struct arena *a, double n);
struct tval *tval_int(struct arena *a, long long n);
/* Points at s (no copy); s must live as long as the arena. NULL s: null. */
struct tval *tval_str(struct arena *a, const char *s);
struct tval *tval_strn(struct arena *a, const char *s, size_t len);
/* Copies s into the arena first. */
struct tval *tval_strdup(struct arena *a, const char *s);
struct tval *tval_list(struct arena *a);
struct tval *tval_map(struct arena *a);
/*
 * A map with room for n pairs (rounded up to a power of two, as a map
 * grows): setting up to n keys neither moves its
 * pairs nor leaves old copies in the arena (a map grown one key at a
 * time to thousands keeps every smaller array it had). NULL when out of
 * memory.
 */
struct tval *tval_map_sized(struct arena *a, size_t n);

/* The hash a map keeps for the len bytes of key (FNV-1a). */
unsigned int tval_key_hash(const char *key, size_t len);

/* Appends v to list; returns 0 or -1. */
int tval_push(struct arena *a, struct tval *list, struct tval *v);

/* Sets key (not copied) in map, replacing an existing entry; 0 or -1. */
int tval_set(struct arena *a, struct tval *map, const char *key, struct tval *v);

/* Shorthands for tval_set with a new scalar. */
int tval_set_str(struct arena *a, struct tval *map, const char *key, const char *s);
int tval_set_int(struct arena *a, struct tval *map, const char *key, long long n);
int tval_set_bool(struct arena *a, struct tval *map, const char *key, int b);

/* The value under key in map, or NULL (also when map is not a map). */
struct tval *tval_get(const struct tval *map, const char *key);
struct tval *tval_getn(const struct tval *map, const char *key, size_t keylen);

/*
 * The pair under key[0..keylen) in map, or NULL (also when map is not a
 * map). Unlike tval_getn it tells a key holding null from a missing key,
 * which the renderer needs: a null found in an inner context hides the
 * same name in outer ones.
 */
const struct tval_pair *tval_find(const struct tval *map, const char *key, size_t keylen);

/* tval_find with the key's tval_key_hash already worked out (the template
 * engine hashes each name once, when it compiles). */
const struct tval_pair *tval_find_hash(const struct tval *map, const char *key, size_t keylen,
    unsigned int hash);

/*
 * Mustache truthiness, as in JavaScript: false for NULL, null, false, 0,
 * NaN, the empty string and the empty list; true for everything else,
 * including an empty map.
 */
int tval_truthy(const struct tval *v);

/* Room tval_format_num needs for any number, NUL included. */
#define TVAL_NUM_MAX 32

/*
 * Writes n as text into dst[0..dstlen) the way JSON data is expected to
 * read back: whole numbers without a fraction ("85"), others with the
 * fewest digits that round-trip ("1.21"). Returns the length written,
 * truncated to dstlen - 1; dst is always NUL-terminated when dstlen > 0.
 * Cannot fail.
 */
size_t tval_format_num(double n, char *dst, size_t dstlen);

#endif
