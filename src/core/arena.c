/* arena.c — see arena.h. */
#include "core/arena.h"
#include "core/mem.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ALIGN 16

struct chunk {
	struct chunk *next;
	size_t size;	/* usable bytes after the header */
	size_t used;
	_Alignas(ALIGN) unsigned char data[];
};

struct arena {
	struct chunk *head;	/* current chunk, newest first */
	struct chunk *first;	/* the chunk kept across resets */
	size_t chunk_size;
	size_t footprint;
	void *last;		/* most recent allocation, for arena_realloc */
};

static struct chunk *
chunk_new(size_t size)
{
	struct chunk *c;

	if (size > SIZE_MAX - sizeof(*c))
		return NULL;
	c = mem_malloc(sizeof(*c) + size);
	if (c == NULL)
		return NULL;
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

struct arena *
arena_new(size_t chunk_size)
{
	struct arena *a;

	if (chunk_size < 1024)
		chunk_size = 1024;
	a = mem_malloc(sizeof(*a));
	if (a == NULL)
		return NULL;
	a->first = a->head = chunk_new(chunk_size);
	if (a->first == NULL) {
		mem_free(a);
		return NULL;
	}
	a->chunk_size = chunk_size;
	a->footprint = chunk_size;
	a->last = NULL;
	return a;
}

void
arena_reset(struct arena *a)
{
	struct chunk *c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL && c != a->first; c = next) {
		next = c->next;
		mem_free(c);
	}
	a->head = a->first;
	a->first->used = 0;
	a->first->next = NULL;
	a->footprint = a->first->size;
	a->last = NULL;
}

void
arena_free(struct arena *a)
{
	if (a == NULL)
		return;
	arena_reset(a);
	mem_free(a->first);
	mem_free(a);
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct chunk *c = a->head;
	size_t need;
	void *p;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ALIGN)
		return NULL;
	need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (c->size - c->used < need) {
		size_t size = need > a->chunk_size ? need : a->chunk_size;

		c = chunk_new(size);
		if (c == NULL)
			return NULL;
		c->next = a->head;
		a->head = c;
		a->footprint += size;
	}
	p = c->data + c->used;
	c->used += need;
	a->last = p;
	return p;
}

void *
arena_zalloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n);

	if (p != NULL)
		memset(p, 0, n);
	return p;
}

void *
arena_calloc(struct arena *a, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		return NULL;
	return arena_zalloc(a, nmemb * size);
}

void *
arena_realloc(struct arena *a, void *p, size_t old_n, size_t new_n)
{
	struct chunk *c = a->head;
	void *q;

	if (p == NULL)
		return arena_alloc(a, new_n);
	if (new_n <= old_n)
		return p;
	/* Grow in place when p is the newest allocation and there is room. */
	if (p == a->last) {
		size_t off = (size_t)((unsigned char *)p - c->data);
		size_t need;

		if (new_n <= SIZE_MAX - ALIGN) {
			need = (new_n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
			if (need <= c->size - off) {
				c->used = off + need;
				return p;
			}
		}
	}
	q = arena_alloc(a, new_n);
	if (q == NULL)
		return NULL;
	memcpy(q, p, old_n);
	return q;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		return NULL;
	p = arena_alloc(a, n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_lld(struct arena *a, long long v)
{
	char digits[24], *p = digits + sizeof(digits);
	/* Through unsigned, so that LLONG_MIN negates. */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	*--p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		*--p = '-';
	return arena_strndup(a, p, (size_t)(digits + sizeof(digits) - 1 - p));
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return NULL;
	p = arena_alloc(a, (size_t)n + 1);
	if (p == NULL)
		return NULL;
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

size_t
arena_footprint(const struct arena *a)
{
	return a->footprint;
}
