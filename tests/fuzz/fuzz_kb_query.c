/*
 * fuzz_kb_query.c — libFuzzer harness for kb_query_normalise,
 * kb_query_words and kb_accept_languages.
 *
 * The input, NUL-terminated, is both a search box's text and an
 * Accept-Language header. The query must come back valid UTF-8 without
 * control characters, blanks at the ends or double blanks, within
 * KB_QUERY_MAX bytes, and normalising it again must not change it; the
 * languages must have the promised shape, without repeats.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "domain/kb_query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_query(struct arena *a, const char *q)
{
	size_t len = strlen(q), i;

	if (len > KB_QUERY_MAX)
		abort();
	if (len > 0 && (q[0] == ' ' || q[len - 1] == ' '))
		abort();
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)q[i];

		if (c < 0x20 || c == 0x7f)
			abort();
		if (c == ' ' && q[i + 1] == ' ')
			abort();
	}
	if (strcmp(kb_query_normalise(a, q), q) != 0)
		abort();
	if (kb_query_words(q) < 0 || (size_t)kb_query_words(q) > len)
		abort();
}

static void
check_langs(const char *header)
{
	char out[KB_LANGS_MAX][KB_LANG_LEN];
	int n = kb_accept_languages(header, out), i, k;

	if (n < 0 || n > KB_LANGS_MAX)
		abort();
	for (i = 0; i < n; i++) {
		size_t len = strlen(out[i]);

		if (len != 2 && len != 5)
			abort();
		for (k = 0; k < (int)len; k++)
			if (!(k == 2 ? out[i][k] == '-' : (out[i][k] >= 'a' && out[i][k] <= 'z')))
				abort();
		for (k = 0; k < i; k++)
			if (strcmp(out[i], out[k]) == 0)
				abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new(1024);
	char *text = malloc(size + 1);
	const char *q;

	if (a == NULL || text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	q = kb_query_normalise(a, text);
	if (q == NULL)
		abort();
	check_query(a, q);
	check_langs(text);
	free(text);
	arena_free(a);
	return 0;
}
