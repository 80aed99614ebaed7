/*
 * arena.h — a region allocator: many small allocations, freed at once.
 *
 * Each request gets one arena; everything allocated for the request lives
 * there and goes away with arena_reset() after the response is sent. The
 * first chunk is kept across resets, so a worker in steady state does no
 * heap allocation for small requests and its RSS stays flat.
 *
 * Allocations are 16-byte aligned. Functions that allocate return NULL when
 * memory runs out (see mem.h); the arena itself stays usable.
 */
#ifndef CSDESK_ARENA_H
#define CSDESK_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* A new arena whose chunks are at least chunk_size bytes; NULL on failure. */
struct arena *arena_new(size_t chunk_size);

/* Frees the arena and everything in it; NULL is fine. */
void arena_free(struct arena *a);

/* Frees everything allocated so far but keeps the first chunk for reuse. */
void arena_reset(struct arena *a);

/* n bytes of uninitialised memory, or NULL. */
void *arena_alloc(struct arena *a, size_t n);

/* n zeroed bytes, or NULL. */
void *arena_zalloc(struct arena *a, size_t n);

/* nmemb * size zeroed bytes (overflow-checked), or NULL. */
void *arena_calloc(struct arena *a, size_t nmemb, size_t size);

/*
 * Grows the most recent allocation p (of old_n bytes) to new_n bytes in
 * place when possible, else copies. p may be NULL. Returns NULL on failure
 * (p still valid).
 */
void *arena_realloc(struct arena *a, void *p, size_t old_n, size_t new_n);

/* A NUL-terminated copy of s[0..n), or NULL. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* A NUL-terminated copy of s, or NULL. */
char *arena_strdup(struct arena *a, const char *s);

/* A formatted string in the arena, or NULL. */
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/*
 * v in decimal, as arena_printf(a, "%lld", v) writes it, or NULL: ids
 * become text by the hundred on a page (form options, parameters), and
 * printf was most of their cost.
 */
char *arena_lld(struct arena *a, long long v);

/* Bytes currently held from the heap by this arena (for tests and bench). */
size_t arena_footprint(const struct arena *a);

#endif
