/*
 * buf.h — a growable byte buffer with strbuf's guarantees.
 *
 * b->buf is never NULL and always NUL-terminated, so it can be handed to
 * anything expecting a C string. Memory comes from an arena (freed with it)
 * or, when the arena is NULL, from the heap (freed by buf_release).
 *
 * Appending never fails loudly: when memory runs out the buffer keeps what
 * it had, sets b->failed and ignores further appends. Check buf_failed()
 * once at the end instead of after every call.
 */
#ifndef CSDESK_BUF_H
#define CSDESK_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct buf {
	char *buf;
	size_t len;
	size_t cap;		/* 0 while buf points at the shared empty string */
	struct arena *arena;	/* NULL: heap */
	int failed;
};

/* Starts an empty buffer; a may be NULL for heap memory. Cannot fail. */
void buf_init(struct buf *b, struct arena *a);

/* Frees heap memory (nothing for arena buffers) and empties the buffer. */
void buf_release(struct buf *b);

/* Makes room for n more bytes. Returns 0, or -1 (and sets failed). */
int buf_grow(struct buf *b, size_t n);

void buf_add(struct buf *b, const void *data, size_t n);
void buf_addstr(struct buf *b, const char *s);
void buf_addch(struct buf *b, int c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Appends s[0..n) with & < > " ' replaced by HTML entities. */
void buf_add_html(struct buf *b, const char *s, size_t n);

/*
 * Appends s escaped as buf_add_html does, with the runs between the marker
 * bytes start and stop (as a text-search headline marks its matches) in
 * <mark>…</mark>; an unpaired marker is dropped, an open mark is closed.
 */
void buf_add_marked_html(struct buf *b, const char *s, char start, char stop);

/*
 * Appends what fd gives until its end, a read interrupted by a signal
 * retried: 0; -1 when a read failed (errno says why); 1 when more than
 * max bytes came (it stops there). Out of memory shows in buf_failed().
 */
int buf_add_fd(struct buf *b, int fd, size_t max);

/* Writes all of b to fd, retrying interrupted and short writes: 0, or -1 (errno). */
int buf_write_fd(const struct buf *b, int fd);

/* Drops the contents but keeps the memory. */
void buf_reset(struct buf *b);

/* Non-zero when an append ran out of memory. */
static inline int
buf_failed(const struct buf *b)
{
	return b->failed;
}

#endif
