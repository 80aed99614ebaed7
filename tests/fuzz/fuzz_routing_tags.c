/*
 * fuzz_routing_tags.c — libFuzzer harness for routing_words_tags and
 * routing_words_language.
 *
 * The input, NUL-terminated, is what an admin typed as tags (and, cut
 * short, as a language). An accepted result must be canonical: tags of
 * a-z 0-9 _ - only, joined by single commas, none empty, at most
 * ROUTING_TAGS_MAX of at most ROUTING_TAG_LEN bytes, and the same again
 * when fed back. With memory running out part-way the answer is NULL,
 * never a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/mem.h"
#include "domain/routing_words.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_check(struct arena *a, const char *out)
{
	size_t i, tags = 0, len = 0;
	const char *again;

	for (i = 0; out[i]; i++) {
		char c = out[i];

		if (c == ',') {
			if (len == 0)
				abort();
			len = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			abort();
		if (len++ == 0)
			tags++;
		if (len > ROUTING_TAG_LEN)
			abort();
	}
	if ((i > 0 && len == 0) || tags > ROUTING_TAGS_MAX)
		abort();
	again = routing_words_tags(a, out);
	if (again == NULL || strcmp(again, out) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new(256);
	char *in = malloc(size + 1);
	const char *out;
	char lang[8];

	if (a == NULL || in == NULL)
		abort();
	memcpy(in, data, size);
	in[size] = '\0';
	if ((out = routing_words_tags(a, in)) != NULL)
		fuzz_check(a, out);
	mem_fail_after((long)(size % 3));
	out = routing_words_tags(a, in);
	mem_fail_after(-1);
	if (out != NULL)
		fuzz_check(a, out);
	memcpy(lang, in, size < 7 ? size + 1 : 7);
	lang[7] = '\0';
	if (routing_words_language(lang) && (strlen(lang) != 2 && strlen(lang) != 5))
		abort();
	free(in);
	arena_free(a);
	return 0;
}
