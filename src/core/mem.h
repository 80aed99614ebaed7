/*
 * mem.h — the one allocation wrapper.
 *
 * Every heap allocation in csdesk goes through mem_malloc / mem_realloc /
 * mem_free so that tests can make the Nth allocation fail (mem_fail_after)
 * and check that callers recover. Failure is reported as NULL, never abort.
 */
#ifndef CSDESK_MEM_H
#define CSDESK_MEM_H

#include <stddef.h>

/* Returns a new block of n bytes (n == 0 is treated as 1), or NULL. */
void *mem_malloc(size_t n);

/* Like calloc: zeroed memory for nmemb * size bytes; NULL on overflow. */
void *mem_calloc(size_t nmemb, size_t size);

/* Resizes p to n bytes; on failure returns NULL and p is left untouched. */
void *mem_realloc(void *p, size_t n);

/* Frees p; NULL is fine. */
void mem_free(void *p);

/*
 * Test hook: after n more successful allocations, every allocation fails
 * until mem_fail_after(-1) switches the failures off again.
 */
void mem_fail_after(long n);

#endif
