/* text_check.c — see text_check.h. */
#include "domain/text_check.h"

#include <string.h>

/*
 * The code point at s and its length in bytes (*len). A byte that does not
 * start a complete sequence counts as one character U+FFFD, so a string
 * that is not valid UTF-8 is never read past its end.
 */
static unsigned long
decode(const unsigned char *s, size_t *len)
{
	size_t n = s[0] < 0x80 ? 1 : (s[0] >> 5) == 6 ? 2 : (s[0] >> 4) == 14 ? 3 :
	    (s[0] >> 3) == 30 ? 4 : 0;
	unsigned long c;
	size_t i;

	*len = 1;
	if (n == 1)
		return s[0];
	if (n == 0)
		return 0xfffd;
	c = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0xfffd;
		c = (c << 6) | (s[i] & 0x3f);
	}
	*len = n;
	return c;
}

int
text_is_bidi_control(unsigned long c)
{
	return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069);
}

/* A control character, or a line or paragraph separator. */
static int
is_control(unsigned long c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
}

int
text_line_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	size_t len;

	for (; *p; p += len) {
		unsigned long c = decode(p, &len);

		if (is_control(c) || text_is_bidi_control(c))
			return 0;
	}
	return 1;
}

void
text_line_clean(char *dst, size_t size, const char *src)
{
	const unsigned char *p = (const unsigned char *)src;
	size_t len, n = 0;

	if (size == 0)
		return;
	for (; *p; p += len) {
		unsigned long c = decode(p, &len);

		if (text_is_bidi_control(c))
			continue;
		if (is_control(c)) {
			if (n + 1 >= size)
				break;
			dst[n++] = '_';
			continue;
		}
		if (n + len >= size)
			break;
		memcpy(dst + n, p, len);
		n += len;
	}
	dst[n] = '\0';
}
