/* utf8.c — see utf8.h. */
#include "core/utf8.h"
#include "core/arena.h"

/* A byte that starts a character: anything but a continuation byte 10xxxxxx. */
static int
starts_char(unsigned char c)
{
	return (c & 0xc0) != 0x80;
}

size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += starts_char((unsigned char)*s);
	return n;
}

size_t
utf8_chars_n(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += starts_char((unsigned char)s[i]);
	return n;
}

long
utf8_chars_checked(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	long n = 0;

	while (*p) {
		int len = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 :
		    (*p >> 3) == 30 ? 4 : 0;
		int i;

		if (len == 0)
			return -1;
		for (i = 1; i < len; i++)
			if ((p[i] & 0xc0) != 0x80)
				return -1;
		p += len;
		n++;
	}
	return n;
}

const char *
utf8_short(struct arena *a, const char *s, size_t max)
{
	size_t chars = 0, i;

	for (i = 0; s[i]; i++) {
		if (starts_char((unsigned char)s[i]) && chars++ == max) {
			const char *cut = arena_printf(a, "%.*s…", (int)i, s);

			return cut ? cut : s;
		}
	}
	return s;
}
