/* tval.c — see tval.h. */
#include "tmpl/tval.h"
#include "core/arena.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct tval *
tval_new(struct arena *a, enum tval_type type)
{
	struct tval *v = arena_zalloc(a, sizeof(*v));

	if (v != NULL)
		v->type = type;
	return v;
}

struct tval *
tval_null(struct arena *a)
{
	return tval_new(a, TVAL_NULL);
}

struct tval *
tval_bool(struct arena *a, int b)
{
	struct tval *v = tval_new(a, TVAL_BOOL);

	if (v != NULL)
		v->u.b = b != 0;
	return v;
}

struct tval *
tval_num(struct arena *a, double n)
{
	struct tval *v = tval_new(a, TVAL_NUM);

	if (v != NULL)
		v->u.num = n;
	return v;
}

struct tval *
tval_int(struct arena *a, long long n)
{
	return tval_num(a, (double)n);
}

struct tval *
tval_strn(struct arena *a, const char *s, size_t len)
{
	struct tval *v;

	if (s == NULL)
		return tval_null(a);
	v = tval_new(a, TVAL_STR);
	if (v != NULL) {
		v->u.str.s = s;
		v->u.str.len = len;
	}
	return v;
}

struct tval *
tval_str(struct arena *a, const char *s)
{
	return tval_strn(a, s, s != NULL ? strlen(s) : 0);
}

struct tval *
tval_strdup(struct arena *a, const char *s)
{
	char *copy;

	if (s == NULL)
		return tval_null(a);
	copy = arena_strdup(a, s);
	if (copy == NULL)
		return NULL;
	return tval_strn(a, copy, strlen(copy));
}

struct tval *
tval_list(struct arena *a)
{
	return tval_new(a, TVAL_LIST);
}

struct tval *
tval_map(struct arena *a)
{
	return tval_new(a, TVAL_MAP);
}

struct tval *
tval_map_sized(struct arena *a, size_t n)
{
	struct tval *v = tval_new(a, TVAL_MAP);
	size_t cap = 4;

	if (v == NULL || n == 0)
		return v;
	/* A power of two, as growing makes it: the index masks with 2 * cap - 1. */
	while (cap < n)
		if ((cap *= 2) > UINT_MAX)
			return NULL;
	if ((v->u.map.pairs = arena_calloc(a, cap, sizeof(struct tval_pair))) == NULL)
		return NULL;
	v->u.map.cap = cap;
	return v;
}

/*
 * Makes room for one more element of size sz in *items (n used, *cap
 * allocated). The old array stays in the arena when it has to move; that is
 * the price of growing in a region, and lists are short.
 */
static int
grow(struct arena *a, void **items, size_t n, size_t *cap, size_t sz)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 4;
	if (ncap > SIZE_MAX / sz)
		return -1;
	p = arena_realloc(a, *items, *cap * sz, ncap * sz);
	if (p == NULL)
		return -1;
	*items = p;
	*cap = ncap;
	return 0;
}

/*
 * A NULL v is stored as null, but the call still reports -1: v is NULL
 * when the constructor that made it ran out of memory, and the caller that
 * checks only the last return value must hear about it.
 */
int
tval_push(struct arena *a, struct tval *list, struct tval *v)
{
	void *items;

	if (list == NULL || list->type != TVAL_LIST)
		return -1;
	items = list->u.list.items;
	if (grow(a, &items, list->u.list.n, &list->u.list.cap, sizeof(struct tval *)) < 0)
		return -1;
	list->u.list.items = items;
	list->u.list.items[list->u.list.n++] = v;
	return v != NULL ? 0 : -1;
}

/* The slot of a map's index that holds the pair for key, or the empty slot
 * where it would go. */
static size_t
index_slot(const struct tval *map, const char *key, size_t keylen, unsigned int hash)
{
	const struct tval_pair *p;
	size_t mask = 2 * map->u.map.cap - 1, s;
	unsigned int k;

	for (s = hash & mask; (k = map->u.map.index[s]) != 0; s = (s + 1) & mask) {
		p = &map->u.map.pairs[k - 1];
		if (p->hash == hash && p->keylen == keylen && memcmp(p->key, key, keylen) == 0)
			break;
	}
	return s;
}

/*
 * Indexes every pair of map anew, in 2 * cap slots (when it passes
 * TVAL_INDEX_MIN pairs, and again each time the pairs grow). Out of memory, the map is left without
 * an index, which only makes it scanned: -1.
 */
static int
index_build(struct arena *a, struct tval *map)
{
	size_t i;

	map->u.map.index = arena_calloc(a, 2 * map->u.map.cap, sizeof(unsigned int));
	if (map->u.map.index == NULL)
		return -1;
	for (i = 0; i < map->u.map.n; i++) {
		const struct tval_pair *p = &map->u.map.pairs[i];

		map->u.map.index[index_slot(map, p->key, p->keylen, p->hash)] = (unsigned int)i + 1;
	}
	return 0;
}

/* Same NULL convention as tval_push. */
int
tval_set(struct arena *a, struct tval *map, const char *key, struct tval *v)
{
	struct tval_pair *p;
	void *pairs;
	size_t len, cap, i;
	unsigned int hash;

	if (map == NULL || map->type != TVAL_MAP || key == NULL)
		return -1;
	len = strlen(key);
	hash = tval_key_hash(key, len);
	p = (struct tval_pair *)tval_find_hash(map, key, len, hash);
	if (p != NULL) {
		p->val = v;
		return v != NULL ? 0 : -1;
	}
	if (map->u.map.n >= UINT_MAX - 1)
		return -1;
	pairs = map->u.map.pairs;
	cap = map->u.map.cap;
	if (grow(a, &pairs, map->u.map.n, &map->u.map.cap, sizeof(struct tval_pair)) < 0)
		return -1;
	map->u.map.pairs = pairs;
	i = map->u.map.n++;
	p = &map->u.map.pairs[i];
	p->key = key;
	p->val = v;
	p->keylen = len;
	p->hash = hash;
	if (map->u.map.n > TVAL_INDEX_MIN) {
		if (map->u.map.index == NULL || map->u.map.cap != cap) {
			if (index_build(a, map) < 0)
				return -1;
		} else {
			map->u.map.index[index_slot(map, key, len, hash)] = (unsigned int)i + 1;
		}
	}
	return v != NULL ? 0 : -1;
}

int
tval_set_str(struct arena *a, struct tval *map, const char *key, const char *s)
{
	return tval_set(a, map, key, tval_str(a, s));
}

int
tval_set_int(struct arena *a, struct tval *map, const char *key, long long n)
{
	return tval_set(a, map, key, tval_int(a, n));
}

int
tval_set_bool(struct arena *a, struct tval *map, const char *key, int b)
{
	return tval_set(a, map, key, tval_bool(a, b));
}

unsigned int
tval_key_hash(const char *key, size_t len)
{
	unsigned int h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 16777619u;
	return h;
}

const struct tval_pair *
tval_find_hash(const struct tval *map, const char *key, size_t keylen, unsigned int hash)
{
	const struct tval_pair *p;
	size_t i;

	if (map == NULL || map->type != TVAL_MAP)
		return NULL;
	/* A key holding a NUL never matches: a stored key's length is its
	 * strlen, and its bytes up to it hold none. */
	if (map->u.map.index != NULL) {
		unsigned int k = map->u.map.index[index_slot(map, key, keylen, hash)];

		return k != 0 ? &map->u.map.pairs[k - 1] : NULL;
	}
	for (i = 0; i < map->u.map.n; i++) {
		p = &map->u.map.pairs[i];
		if (p->hash == hash && p->keylen == keylen && memcmp(p->key, key, keylen) == 0)
			return p;
	}
	return NULL;
}

const struct tval_pair *
tval_find(const struct tval *map, const char *key, size_t keylen)
{
	if (map == NULL || map->type != TVAL_MAP)
		return NULL;
	return tval_find_hash(map, key, keylen, tval_key_hash(key, keylen));
}

struct tval *
tval_getn(const struct tval *map, const char *key, size_t keylen)
{
	const struct tval_pair *p = tval_find(map, key, keylen);

	return p != NULL ? p->val : NULL;
}

struct tval *
tval_get(const struct tval *map, const char *key)
{
	return key != NULL ? tval_getn(map, key, strlen(key)) : NULL;
}

/* As in JavaScript, which is where mustache's notion of falsy comes from. */
int
tval_truthy(const struct tval *v)
{
	if (v == NULL)
		return 0;
	switch (v->type) {
	case TVAL_NULL:
		return 0;
	case TVAL_BOOL:
		return v->u.b;
	case TVAL_NUM:
		return v->u.num != 0 && !isnan(v->u.num);
	case TVAL_STR:
		return v->u.str.len > 0;
	case TVAL_LIST:
		return v->u.list.n > 0;
	case TVAL_MAP:
		return 1;
	}
	return 0;
}

/*
 * As JavaScript prints numbers, since that is what JSON data and the spec
 * expect: whole numbers below 1e21 without a fraction or exponent, others
 * with the fewest digits that read back as the same double (1.21, not
 * 1.2100000000000000). Exponents keep C's form (1e+21, 2.5e-07).
 */
/*
 * Exact integers are most numbers a page shows (ids, counts), and printf
 * is slow at them; below 2^53 every whole double is one.
 */
static int
format_int(double n, char *tmp)
{
	unsigned long long u = (unsigned long long)fabs(n);
	char digits[24];
	int k = 0, len = 0;

	do {
		digits[k++] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (n < 0)
		tmp[len++] = '-';
	while (k > 0)
		tmp[len++] = digits[--k];
	tmp[len] = '\0';
	return len;
}

size_t
tval_format_num(double n, char *dst, size_t dstlen)
{
	char tmp[TVAL_NUM_MAX];
	int len = 0, prec;

	if (n == floor(n) && fabs(n) < 9007199254740992.0 && n != 0)
		len = format_int(n, tmp);
	else if (isnan(n))
		len = snprintf(tmp, sizeof(tmp), "NaN");
	else if (isinf(n))
		len = snprintf(tmp, sizeof(tmp), "%sInfinity", n < 0 ? "-" : "");
	else if (n == 0)
		len = snprintf(tmp, sizeof(tmp), "0");
	else if (n == floor(n) && fabs(n) < 1e21)
		len = snprintf(tmp, sizeof(tmp), "%.0f", n);
	else {
		for (prec = 1; prec <= 17; prec++) {
			len = snprintf(tmp, sizeof(tmp), "%.*g", prec, n);
			if (strtod(tmp, NULL) == n)
				break;
		}
	}
	if (len < 0)
		len = 0;
	if (dstlen == 0)
		return 0;
	if ((size_t)len >= dstlen)
		len = (int)dstlen - 1;
	memcpy(dst, tmp, (size_t)len);
	dst[len] = '\0';
	return (size_t)len;
}
