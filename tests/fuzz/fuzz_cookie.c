/*
 * fuzz_cookie.c — libFuzzer harness for cookie_parse and cookie_get.
 *
 * The input, NUL-terminated, is the Cookie header. It is parsed into a
 * fresh arena with a small cap on pairs, then again with memory running
 * out part-way; the pairs must be what form.h promises.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/form.h"
#include "core/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_COOKIES 4

static void
fuzz_check(const struct cookie *c, size_t n)
{
	size_t i, len;

	if (n > FUZZ_MAX_COOKIES || (n == 0) != (c == NULL))
		abort();
	for (i = 0; i < n; i++) {
		len = strlen(c[i].name);
		if (len == 0 || strchr(c[i].name, ';') != NULL || strchr(c[i].name, '=') != NULL)
			abort();
		/* Blanks around a name are trimmed. */
		if (c[i].name[0] == ' ' || c[i].name[0] == '\t' ||
		    c[i].name[len - 1] == ' ' || c[i].name[len - 1] == '\t')
			abort();
		if (strchr(c[i].value, ';') != NULL)
			abort();
	}
	if (n > 0 && cookie_get(c, n, c[0].name) != c[0].value)
		abort();
}

static enum form_err
fuzz_parse(const char *header, long fail)
{
	struct arena *a = arena_new(1024);
	struct cookie *c;
	size_t n;
	enum form_err e;

	if (a == NULL)
		abort();
	mem_fail_after(fail);
	e = cookie_parse(a, header, FUZZ_MAX_COOKIES, &c, &n);
	mem_fail_after(-1);
	if (e == FORM_OK)
		fuzz_check(c, n);
	else if (e != FORM_NOMEM || c != NULL || n != 0)
		abort();
	arena_free(a);
	return e;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *header = malloc(size + 1);

	if (header == NULL)
		abort();
	memcpy(header, data, size);
	header[size] = '\0';
	if (fuzz_parse(header, -1) != FORM_OK)
		abort();
	(void)fuzz_parse(header, (long)(size % 3));
	free(header);
	return 0;
}
