/* buf.c — see buf.h. */
#include "core/buf.h"
#include "core/arena.h"
#include "core/mem.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Shared by every empty buffer so that buf is never NULL. Never written. */
static char empty[1];

void
buf_init(struct buf *b, struct arena *a)
{
	b->buf = empty;
	b->len = 0;
	b->cap = 0;
	b->arena = a;
	b->failed = 0;
}

void
buf_release(struct buf *b)
{
	if (b->arena == NULL && b->cap)
		mem_free(b->buf);
	buf_init(b, b->arena);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->cap)
		b->buf[0] = '\0';
}

int
buf_grow(struct buf *b, size_t n)
{
	size_t want, cap;
	char *p;

	if (b->failed)
		return -1;
	if (n > SIZE_MAX - b->len - 1)
		goto fail;
	want = b->len + n + 1;
	if (want <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	if (b->arena)
		p = arena_realloc(b->arena, b->cap ? b->buf : NULL, b->cap, cap);
	else
		p = mem_realloc(b->cap ? b->buf : NULL, cap);
	if (p == NULL)
		goto fail;
	if (b->cap == 0)
		p[0] = '\0';
	b->buf = p;
	b->cap = cap;
	return 0;
fail:
	b->failed = 1;
	return -1;
}

void
buf_add(struct buf *b, const void *data, size_t n)
{
	if (n == 0 || buf_grow(b, n) < 0)
		return;
	memcpy(b->buf + b->len, data, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void
buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addch(struct buf *b, int c)
{
	char ch = (char)c;

	buf_add(b, &ch, 1);
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || buf_grow(b, (size_t)n) < 0)
		return;
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* Which bytes HTML escaping replaces: the index into html_rep, 0 for none. */
static const unsigned char html_class[256] = {
	['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5,
};
static const struct {
	const char *s;
	size_t len;
} html_rep[] = {
	{ "", 0 }, { "&amp;", 5 }, { "&lt;", 4 }, { "&gt;", 4 }, { "&quot;", 6 }, { "&#39;", 5 },
};

/*
 * Runs of bytes that need nothing are copied whole, and the room for the
 * text is made once when it needs no escape (the usual case): a page is
 * mostly escaped values, and a switch and a buf_add per byte were an
 * eighth of a queue page's work.
 */
void
buf_add_html(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, start = 0;
	unsigned char c;

	if (n == 0 || buf_grow(b, n) < 0)
		return;
	for (i = 0; i < n; i++) {
		if ((c = html_class[p[i]]) == 0)
			continue;
		buf_add(b, s + start, i - start);
		buf_add(b, html_rep[c].s, html_rep[c].len);
		start = i + 1;
	}
	buf_add(b, s + start, n - start);
}

void
buf_add_marked_html(struct buf *b, const char *s, char start, char stop)
{
	const char markers[3] = { start, stop, '\0' };
	int open = 0;

	while (*s != '\0') {
		size_t len = strcspn(s, markers);

		buf_add_html(b, s, len);
		s += len;
		if (*s == start && !open) {
			buf_addstr(b, "<mark>");
			open = 1;
		} else if (*s == stop && open) {
			buf_addstr(b, "</mark>");
			open = 0;
		}
		if (*s != '\0')
			s++;
	}
	if (open)
		buf_addstr(b, "</mark>");
}

int
buf_add_fd(struct buf *b, int fd, size_t max)
{
	char chunk[16384];
	size_t got = 0;
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		buf_add(b, chunk, (size_t)n);
		if ((got += (size_t)n) > max)
			return 1;
	}
}

int
buf_write_fd(const struct buf *b, int fd)
{
	size_t off = 0;
	ssize_t w;

	while (off < b->len) {
		w = write(fd, b->buf + off, b->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}
