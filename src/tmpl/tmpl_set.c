/* tmpl_set.c — a named collection of templates; see tmpl.h. */
#include "tmpl/tmpl.h"
#include "tmpl/tmpl_int.h"
#include "core/arena.h"
#include "core/mem.h"

#include <stdio.h>
#include <string.h>

/* Compiled nodes come in many small pieces; this keeps them in few chunks. */
#define COMPILE_CHUNK (64 * 1024)

struct tmpl_set *
tmpl_set_new(void)
{
	struct tmpl_set *set = mem_calloc(1, sizeof(*set));

	if (set != NULL)
		set->max_steps = TMPL_DEFAULT_MAX_STEPS;
	return set;
}

static void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	mem_free(t->name);
	mem_free(t->src);
	mem_free(t);
}

/* Drops the compiled trees; the set must be compiled again before rendering. */
static void
uncompile(struct tmpl_set *set)
{
	size_t i;

	arena_free(set->arena);
	set->arena = NULL;
	for (i = 0; i < set->n; i++) {
		set->v[i]->nodes = NULL;
		set->v[i]->n = 0;
	}
}

void
tmpl_set_free(struct tmpl_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	arena_free(set->arena);
	for (i = 0; i < set->n; i++)
		tmpl_free(set->v[i]);
	mem_free(set->v);
	mem_free(set);
}

static int
name_cmp(const struct tmpl *t, const char *name, size_t len)
{
	size_t n = t->namelen < len ? t->namelen : len;
	int c = memcmp(t->name, name, n);

	if (c != 0)
		return c;
	return t->namelen < len ? -1 : t->namelen > len ? 1 : 0;
}

/* Where name is, or would go, in the sorted array; *found says which. */
static size_t
position(const struct tmpl_set *set, const char *name, size_t len, int *found)
{
	size_t lo = 0, hi = set->n, mid;
	int c;

	*found = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = name_cmp(set->v[mid], name, len);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct tmpl *
tmpl_find(const struct tmpl_set *set, const char *name, size_t len)
{
	size_t i;
	int found;

	i = position(set, name, len, &found);
	return found ? set->v[i] : NULL;
}

int
tmpl_exists(const struct tmpl_set *set, const char *name)
{
	if (set == NULL || name == NULL)
		return 0;
	return tmpl_find(set, name, strlen(name)) != NULL;
}

int
tmpl_set_add(struct tmpl_set *set, const char *name, const char *src, size_t len)
{
	struct tmpl *t = NULL;
	char *copy;
	size_t i, namelen;
	void *p;
	int found;

	if (set == NULL || name == NULL || (src == NULL && len > 0) || len == SIZE_MAX)
		return -1;
	copy = mem_malloc(len + 1);
	if (copy == NULL)
		return -1;
	if (len > 0)
		memcpy(copy, src, len);
	copy[len] = '\0';
	namelen = strlen(name);
	i = position(set, name, namelen, &found);
	if (found) {
		uncompile(set);
		mem_free(set->v[i]->src);
		set->v[i]->src = copy;
		set->v[i]->len = len;
		return 0;
	}
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 16;

		p = mem_realloc(set->v, cap * sizeof(*set->v));
		if (p == NULL)
			goto fail;
		set->v = p;
		set->cap = cap;
	}
	t = mem_calloc(1, sizeof(*t));
	if (t == NULL)
		goto fail;
	t->name = mem_malloc(namelen + 1);
	if (t->name == NULL)
		goto fail;
	memcpy(t->name, name, namelen + 1);
	t->namelen = namelen;
	t->src = copy;
	t->len = len;
	uncompile(set);
	memmove(&set->v[i + 1], &set->v[i], (set->n - i) * sizeof(*set->v));
	set->v[i] = t;
	set->n++;
	return 0;
fail:
	if (t != NULL)
		mem_free(t->name);
	mem_free(t);
	mem_free(copy);
	return -1;
}

int
tmpl_set_compile(struct tmpl_set *set, int strict, char *err, size_t errlen)
{
	size_t i;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (set == NULL)
		return -1;
	uncompile(set);
	set->arena = arena_new(COMPILE_CHUNK);
	if (set->arena == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < set->n; i++) {
		if (tmpl_compile_one(set, set->v[i], strict, err, errlen) < 0) {
			uncompile(set);
			return -1;
		}
	}
	return 0;
}

void
tmpl_set_max_steps(struct tmpl_set *set, unsigned long steps)
{
	if (set != NULL)
		set->max_steps = steps;
}
