/* routing_words.c — see routing_words.h. */
#include "domain/routing_words.h"
#include "core/arena.h"
#include "core/buf.h"

#include <string.h>

static int
tag_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

const char *
routing_words_tags(struct arena *a, const char *in)
{
	struct buf b;
	size_t count = 0;

	buf_init(&b, a);
	buf_addstr(&b, "");
	while (*in) {
		size_t len = strcspn(in, ","), s = 0, e = len, k;

		while (s < e && (in[s] == ' ' || in[s] == '\t'))
			s++;
		while (e > s && (in[e - 1] == ' ' || in[e - 1] == '\t'))
			e--;
		if (e > s) {
			if (e - s > ROUTING_TAG_LEN || ++count > ROUTING_TAGS_MAX)
				return NULL;
			if (b.len)
				buf_addch(&b, ',');
			for (k = s; k < e; k++) {
				char c = in[k];

				if (c >= 'A' && c <= 'Z')
					c = (char)(c - 'A' + 'a');
				if (!tag_char(c))
					return NULL;
				buf_addch(&b, c);
			}
		}
		in += len + (in[len] == ',');
	}
	return buf_failed(&b) ? NULL : b.buf;
}

int
routing_words_language(const char *s)
{
	size_t n = strlen(s);

	if (n != 2 && n != 5)
		return 0;
	if (s[0] < 'a' || s[0] > 'z' || s[1] < 'a' || s[1] > 'z')
		return 0;
	return n == 2 || (s[2] == '-' && s[3] >= 'A' && s[3] <= 'Z' && s[4] >= 'A' &&
	    s[4] <= 'Z');
}
