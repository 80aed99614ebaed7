/* mail_text.c — see mail_text.h. */
#include "domain/mail_text.h"
#include "core/arena.h"
#include "core/buf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Appends code point c as UTF-8 (anything invalid as U+FFFD). */
static void
put_utf8(struct buf *b, unsigned long c)
{
	if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		c = 0xfffd;
	if (c < 0x80) {
		buf_addch(b, (int)c);
	} else if (c < 0x800) {
		buf_addch(b, (int)(0xc0 | (c >> 6)));
		buf_addch(b, (int)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		buf_addch(b, (int)(0xe0 | (c >> 12)));
		buf_addch(b, (int)(0x80 | ((c >> 6) & 0x3f)));
		buf_addch(b, (int)(0x80 | (c & 0x3f)));
	} else {
		buf_addch(b, (int)(0xf0 | (c >> 18)));
		buf_addch(b, (int)(0x80 | ((c >> 12) & 0x3f)));
		buf_addch(b, (int)(0x80 | ((c >> 6) & 0x3f)));
		buf_addch(b, (int)(0x80 | (c & 0x3f)));
	}
}

/* Decodes the entity at s[0..len) (s[0] == '&'); returns bytes used, 0 if none. */
static size_t
entity(struct buf *b, const char *s, size_t len)
{
	static const struct {
		const char *name;
		unsigned long c;
	} named[] = {
		{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
		{ "nbsp", ' ' }, { "copy", 0xa9 }, { "hellip", 0x2026 }, { "mdash", 0x2014 },
		{ "ndash", 0x2013 }, { "euro", 0x20ac },
	};
	size_t i, n;

	for (n = 1; n < len && n < 12 && s[n] != ';'; n++)
		;
	if (n >= len || s[n] != ';' || n < 2)
		return 0;
	if (s[1] == '#') {
		char num[12];
		unsigned long c;
		char *end;
		int hex = s[2] == 'x' || s[2] == 'X';

		memcpy(num, s + 2 + hex, n - 2 - (size_t)hex);
		num[n - 2 - (size_t)hex] = '\0';
		if (num[0] == '\0')
			return 0;
		c = strtoul(num, &end, hex ? 16 : 10);
		if (*end != '\0')
			return 0;
		put_utf8(b, c);
		return n + 1;
	}
	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (strlen(named[i].name) == n - 1 && strncmp(s + 1, named[i].name, n - 1) == 0) {
			put_utf8(b, named[i].c);
			return n + 1;
		}
	return 0;
}

/* Whether the tag at s (after '<' and an optional '/') is name. */
static int
tag_is(const char *s, size_t len, const char *name)
{
	size_t n = strlen(name);

	return len > n && strncasecmp(s, name, n) == 0 &&
	    !isalnum((unsigned char)s[n]);
}

/* Tags that end a line of text. */
static int
block_tag(const char *s, size_t len)
{
	static const char *const blocks[] = { "br", "p", "div", "li", "tr", "h1", "h2", "h3",
		"h4", "h5", "h6", "blockquote", "table", "ul", "ol", "hr", "pre" };
	size_t i;

	for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
		if (tag_is(s, len, blocks[i]))
			return 1;
	return 0;
}

char *
mail_text_from_html(struct arena *a, const char *html, size_t len)
{
	struct buf b;
	size_t i = 0;

	buf_init(&b, a);
	while (i < len) {
		char c = html[i];

		if (c == '<') {
			const char *t = html + i + 1;
			size_t rest = len - i - 1, end;
			const char *skip_to = NULL;
			int closing = rest > 0 && t[0] == '/';

			if (rest >= 3 && strncmp(t, "!--", 3) == 0) {
				const char *e = memmem(t, rest, "-->", 3);

				i = e != NULL ? (size_t)(e - html) + 3 : len;
				continue;
			}
			if (!closing && (tag_is(t, rest, "script") || tag_is(t, rest, "style") ||
			    tag_is(t, rest, "head") || tag_is(t, rest, "title")))
				skip_to = tag_is(t, rest, "script") ? "</script" :
				    tag_is(t, rest, "style") ? "</style" :
				    tag_is(t, rest, "head") ? "</head" : "</title";
			if (block_tag(t + closing, rest - (size_t)closing))
				buf_addch(&b, '\n');
			if (tag_is(t + closing, rest - (size_t)closing, "p") ||
			    tag_is(t + closing, rest - (size_t)closing, "div"))
				buf_addch(&b, '\n');
			for (end = i + 1; end < len && html[end] != '>'; end++)
				;
			i = end + 1;
			if (skip_to != NULL) {
				size_t k = i, sl = strlen(skip_to);

				while (k + sl <= len && strncasecmp(html + k, skip_to, sl) != 0)
					k++;
				for (i = k; i < len && html[i] != '>'; i++)
					;
				i++;
			}
			continue;
		}
		if (c == '&') {
			size_t used = entity(&b, html + i, len - i);

			if (used > 0) {
				i += used;
				continue;
			}
		}
		/* Whitespace in HTML is one space; lines come from the tags. */
		if (c == '\n' || c == '\r' || c == '\t')
			c = ' ';
		if (c == ' ' && (b.len == 0 || b.buf[b.len - 1] == ' ' || b.buf[b.len - 1] == '\n')) {
			i++;
			continue;
		}
		buf_addch(&b, c);
		i++;
	}
	if (buf_failed(&b))
		return NULL;
	return mail_text_clean(a, b.buf, b.len);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 when invalid. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	size_t need, k;
	unsigned long c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 4, c = s[0] & 0x07;
	else
		return 0;
	if (need > n)
		return 0;
	for (k = 1; k < need; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[k] & 0x3f);
	}
	if ((need == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (need == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	return need;
}

char *
mail_text_clean(struct arena *a, const char *s, size_t len)
{
	char *out = arena_alloc(a, len + 1);
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n = 0, start;

	if (out == NULL)
		return NULL;
	while (i < len) {
		size_t k = utf8_seq(p + i, len - i);

		if (k == 0) {
			i++;
			continue;
		}
		if (k == 1) {
			unsigned char c = p[i];

			if (c == '\r' && i + 1 < len && p[i + 1] == '\n') {
				i++;
				continue;
			}
			if (c == '\r')
				c = '\n';
			if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
				i++;
				continue;
			}
			if (c == '\n')
				while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t'))
					n--;
			/* At most one blank line in a row. */
			if (c == '\n' && n >= 2 && out[n - 1] == '\n' && out[n - 2] == '\n') {
				i++;
				continue;
			}
			out[n++] = (char)c;
			i++;
			continue;
		}
		memcpy(out + n, p + i, k);
		n += k;
		i += k;
	}
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' ' || out[n - 1] == '\t'))
		n--;
	out[n] = '\0';
	for (start = 0; out[start] == '\n' || out[start] == ' '; start++)
		;
	return out + start;
}

/* Whether the line at s (up to its end) is an attribution: "On … wrote:". */
static int
attribution(const char *s, size_t len)
{
	static const char *const ends[] = { "wrote:", "schrieb:", "a écrit :", "a écrit:",
		"escribió:", "ha scritto:" };
	size_t i, n;

	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		n = strlen(ends[i]);
		if (len >= n && memcmp(s + len - n, ends[i], n) == 0 && len < 300 &&
		    (strncmp(s, "On ", 3) == 0 || strncmp(s, "Am ", 3) == 0 ||
		    strncmp(s, "Le ", 3) == 0 || strncmp(s, "El ", 3) == 0 ||
		    strncmp(s, "Il ", 3) == 0 || (len > 0 && s[0] != '>')))
			return 1;
	}
	return 0;
}

/* Whether the line at s starts an Outlook header block: "From: …" then "Sent: …". */
static int
outlook_block(const char *s, size_t len)
{
	const char *next = memchr(s, '\n', strlen(s));

	(void)len;
	if (strncmp(s, "From: ", 6) != 0 && strncmp(s, "Von: ", 5) != 0)
		return 0;
	if (next == NULL)
		return 0;
	next++;
	return strncmp(next, "Sent: ", 6) == 0 || strncmp(next, "Gesendet: ", 10) == 0 ||
	    strncmp(next, "Date: ", 6) == 0;
}

const char *
mail_text_trim(struct arena *a, const char *s, int *trimmed)
{
	const char *p = s, *cut = NULL, *quote_run = NULL;

	*trimmed = 0;
	/* A forward: the quoted part is what the sender means to send. */
	if (strstr(s, "Forwarded message") != NULL || strstr(s, "Begin forwarded message") != NULL)
		return s;
	while (*p != '\0') {
		const char *eol = strchr(p, '\n');
		size_t len = eol != NULL ? (size_t)(eol - p) : strlen(p);

		if ((len == 3 && strncmp(p, "-- ", 3) == 0) ||
		    strncmp(p, "-----Original Message-----", 26) == 0 ||
		    strncmp(p, "________________________________", 32) == 0 ||
		    attribution(p, len) || outlook_block(p, len)) {
			cut = p;
			break;
		}
		if (p[0] == '>') {
			if (quote_run == NULL)
				quote_run = p;
		} else if (len > 0) {
			quote_run = NULL;
		}
		if (eol == NULL)
			break;
		p = eol + 1;
	}
	if (cut == NULL)
		cut = quote_run;
	if (cut == NULL || cut == s)
		return s;
	{
		char *out = mail_text_clean(a, s, (size_t)(cut - s));

		if (out == NULL || out[0] == '\0')
			return s;
		*trimmed = 1;
		return out;
	}
}

const char *
mail_text_ticket_tag(struct arena *a, const char *subject)
{
	const char *p = subject;

	while ((p = strchr(p, '[')) != NULL) {
		size_t d = 0;

		p++;
		if (strncasecmp(p, "TKT-", 4) != 0)
			continue;
		while (isdigit((unsigned char)p[4 + d]) && d < 12)
			d++;
		if (d > 0 && p[4 + d] == ']') {
			char *out = arena_strndup(a, p, 4 + d);

			if (out != NULL)
				memcpy(out, "TKT-", 4);
			return out;
		}
	}
	return NULL;
}

const char *
mail_text_reply_token(struct arena *a, const char *addr)
{
	const char *plus = strchr(addr, '+'), *at = strchr(addr, '@'), *p;

	if (plus == NULL || at == NULL || at < plus)
		return NULL;
	if (at - plus - 1 < 24 || at - plus - 1 > 64)
		return NULL;
	for (p = plus + 1; p < at; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
			return NULL;
	return arena_strndup(a, plus + 1, (size_t)(at - plus - 1));
}

char *
mail_text_line(struct arena *a, const char *s, size_t max)
{
	char *c = mail_text_clean(a, s, strlen(s));
	size_t i, n = 0, chars = 0;
	int space = 0;

	if (c == NULL)
		return NULL;
	for (i = 0; c[i] != '\0'; i++) {
		unsigned char ch = (unsigned char)c[i];

		if (ch == '\n' || ch == '\t' || ch == ' ') {
			space = n > 0;
			continue;
		}
		if ((ch & 0xc0) != 0x80) {
			if (chars + (size_t)space >= max)
				break;
			chars += (size_t)space + 1;
		}
		if (space)
			c[n++] = ' ';
		space = 0;
		c[n++] = (char)ch;
	}
	c[n] = '\0';
	return c;
}
