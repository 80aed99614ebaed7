/*
 * kb_snippet.c — a search result's snippet, made by the worker (see
 * kb_search.h). PostgreSQL's ts_headline parsed and stemmed the whole text
 * of every result shown, most of what a search page cost the database;
 * here the search statement says once which word forms match the query
 * (the word list keeps each word's stem: 049) and the text is only cut
 * into words and compared. The passages are chosen as ts_headline chose
 * them with the options the page used (MaxWords=28, MinWords=12,
 * MaxFragments=2): each centred on a match, in the order of the text.
 */
#include "domain/kb_search.h"
#include "core/arena.h"
#include "core/buf.h"

#include <string.h>

#define PASSAGES 2
/* A mark this long or longer is not a word of the list (30) nor a plausible query word. */
#define MARK_MAX 64

struct word {
	size_t start, end;	/* bytes of the text */
	int marked;
};

/* The length of the UTF-8 sequence starting with c (1 for a stray byte). */
static size_t
seq_len(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

/*
 * Whether the character at s (of n bytes) is part of a word: ASCII letters
 * and digits, and any other character but Latin-1's signs, the general
 * punctuation block (dashes, quotes, the ellipsis, spaces) and CJK
 * punctuation, which separate words as PostgreSQL's parser does.
 */
static int
word_char(const unsigned char *s, size_t n)
{
	unsigned cp;

	if (n == 1)
		return (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
		    (s[0] >= '0' && s[0] <= '9') || s[0] >= 0x80;
	cp = n == 2 ? (unsigned)(s[0] & 0x1f) << 6 | (s[1] & 0x3f) :
	    n == 3 ? (unsigned)(s[0] & 0x0f) << 12 | (unsigned)(s[1] & 0x3f) << 6 | (s[2] & 0x3f) :
	    (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3f) << 12 |
	    (unsigned)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
	return !((cp >= 0x80 && cp <= 0xbf) || cp == 0xd7 || cp == 0xf7 ||
	    (cp >= 0x2000 && cp <= 0x206f) || (cp >= 0x3000 && cp <= 0x303f));
}

/* The next word of text from *at: 1 and its bytes, or 0 at the end. */
static int
next_word(const char *text, size_t len, size_t *at, size_t *start, size_t *end)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i = *at, n;

	for (; i < len; i += n) {
		n = seq_len(t[i]);
		if (i + n > len)
			n = len - i;
		if (word_char(t + i, n))
			break;
	}
	if (i >= len)
		return 0;
	*start = i;
	for (; i < len; i += n) {
		n = seq_len(t[i]);
		if (i + n > len)
			n = len - i;
		if (!word_char(t + i, n))
			break;
	}
	*end = *at = i;
	return 1;
}

/*
 * The forms to mark, and what lets most words be passed over without
 * comparing: the bytes marks start with and their lengths.
 */
struct marks {
	const char *list;	/* blank-separated */
	unsigned char first[256];
	unsigned long long lens;	/* bit k: a mark of k bytes (k < MARK_MAX) */
};

static void
marks_init(struct marks *mk, const char *list)
{
	const char *m = list ? list : "";

	memset(mk, 0, sizeof(*mk));
	mk->list = m;
	while (*m != '\0') {
		size_t k = strcspn(m, " ");

		if (k > 0 && k < MARK_MAX) {
			mk->first[(unsigned char)m[0]] = 1;
			mk->lens |= 1ull << k;
		}
		m += k;
		while (*m == ' ')
			m++;
	}
}

/* Whether text[start, end) lower-cased (ASCII) is one of the marks. */
static int
is_marked(const char *text, size_t start, size_t end, const struct marks *mk)
{
	char low[MARK_MAX];
	size_t n = end - start, i;
	const char *m = mk->list;

	if (n >= MARK_MAX || !(mk->lens & 1ull << n))
		return 0;
	for (i = 0; i < n; i++) {
		char c = text[start + i];

		low[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	if (!mk->first[(unsigned char)low[0]])
		return 0;
	while (*m != '\0') {
		size_t k = strcspn(m, " ");

		if (k == n && memcmp(m, low, n) == 0)
			return 1;
		m += k;
		while (*m == ' ')
			m++;
	}
	return 0;
}

/* A passage of KB_SNIPPET_WORDS words centred on word m, starting at or after from. */
static void
centre(size_t m, size_t from, size_t n, size_t *first, size_t *last)
{
	size_t s = m > from + (KB_SNIPPET_WORDS - 1) / 2 ? m - (KB_SNIPPET_WORDS - 1) / 2 : from;
	size_t e = s + KB_SNIPPET_WORDS < n ? s + KB_SNIPPET_WORDS : n;

	/* Near the end: as many words before as there is room for. */
	if (e - s < KB_SNIPPET_WORDS)
		s = e > from + KB_SNIPPET_WORDS ? e - KB_SNIPPET_WORDS : from;
	*first = s;
	*last = e;
}

/*
 * Words first to last (exclusive) of the n of text, as HTML, marked words
 * in <mark>; at either end of the text, what stands before the first word
 * (but blanks) or after the last too.
 */
static void
add_passage(struct buf *b, const char *text, const struct word *w, size_t n, size_t first,
    size_t last)
{
	size_t i, at = first == 0 ? 0 : w[first].start;

	while (at < w[first].start && (text[at] == ' ' || text[at] == '\n' || text[at] == '\t'))
		at++;

	for (i = first; i < last; i++) {
		buf_add_html(b, text + at, w[i].start - at);
		if (w[i].marked)
			buf_addstr(b, "<mark>");
		buf_add_html(b, text + w[i].start, w[i].end - w[i].start);
		if (w[i].marked)
			buf_addstr(b, "</mark>");
		at = w[i].end;
	}
	if (last == n)
		buf_add_html(b, text + at, strlen(text + at));
}

const char *
kb_snippet_make(struct arena *a, const char *text, const char *marks)
{
	size_t len = text ? strlen(text) : 0, at = 0, n = 0, i, s, e, p;
	size_t first[PASSAGES], last[PASSAGES], np = 0, from = 0;
	struct word *w;
	struct marks mk;
	struct buf b;

	buf_init(&b, a);
	marks_init(&mk, marks);
	while (next_word(text, len, &at, &s, &e))
		n++;
	if (n == 0)
		return b.buf;	/* "": never NULL */
	if ((w = arena_calloc(a, n, sizeof(*w))) == NULL)
		return NULL;
	for (at = 0, i = 0; i < n && next_word(text, len, &at, &w[i].start, &w[i].end); i++)
		w[i].marked = is_marked(text, w[i].start, w[i].end, &mk);
	for (i = 0; i < n && np < PASSAGES; i++) {
		if (!w[i].marked || i < from)
			continue;
		centre(i, from, n, &first[np], &last[np]);
		from = last[np++];
	}
	if (np == 0) {
		first[0] = 0;
		last[0] = n < KB_SNIPPET_MIN_WORDS ? n : KB_SNIPPET_MIN_WORDS;
		np = 1;
	}
	for (p = 0; p < np; p++) {
		if (p > 0)
			buf_addstr(&b, " … ");
		add_passage(&b, text, w, n, first[p], last[p]);
	}
	return buf_failed(&b) ? NULL : b.buf;
}
