/*
 * fuzz_mentions.c — libFuzzer harness for mentions_parse.
 *
 * Each input is parsed into a fresh arena, then again with memory running
 * out part-way. What comes out is checked against what mentions.h
 * promises: at most max handles, each 1..MENTION_HANDLE_MAX handle
 * characters, lower-cased, distinct, and each written in the input after
 * an '@' that does not follow a handle character. Any broken promise
 * aborts, which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/mem.h"
#include "domain/mentions.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether handle h is written at text[i] (case-insensitively), after a valid '@'. */
static int
written_at(const char *text, size_t len, size_t i, const char *h)
{
	size_t k, n = strlen(h);

	if (text[i] != '@' || (i > 0 && mention_char((unsigned char)text[i - 1])))
		return 0;
	if (i + 1 + n > len)
		return 0;
	for (k = 0; k < n; k++) {
		char c = text[i + 1 + k];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != h[k])
			return 0;
	}
	return 1;
}

static void
check(const char *text, size_t len, const char **out, size_t n, size_t max)
{
	size_t i, j, k;

	if (n > max)
		abort();
	for (i = 0; i < n; i++) {
		size_t hl = strlen(out[i]);
		int found = 0;

		if (hl == 0 || hl > MENTION_HANDLE_MAX)
			abort();
		for (k = 0; k < hl; k++)
			if (!mention_char((unsigned char)out[i][k]) ||
			    (out[i][k] >= 'A' && out[i][k] <= 'Z'))
				abort();
		if (out[i][hl - 1] == '.' || out[i][hl - 1] == '-')
			abort();
		for (j = 0; j < i; j++)
			if (strcmp(out[i], out[j]) == 0)
				abort();
		for (k = 0; k < len && !found; k++)
			found = written_at(text, len, k, out[i]);
		if (!found)
			abort();
	}
}

static void
parse(const char *text, size_t len, size_t max, long fail)
{
	const char *out[MENTIONS_MAX];
	struct arena *a = arena_new(256);
	size_t n;

	if (a == NULL)
		return;
	if (fail >= 0)
		mem_fail_after(fail);
	n = mentions_parse(a, text, len, out, max);
	mem_fail_after(-1);
	check(text, len, out, n, max);
	arena_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	parse(text, size, MENTIONS_MAX, -1);
	parse(text, size, 2, -1);
	parse(text, size, MENTIONS_MAX, (long)(size % 7));
	free(text);
	return 0;
}
