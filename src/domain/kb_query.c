/* kb_query.c — see kb_query.h. */
#include "domain/kb_query.h"
#include "core/arena.h"

#include <stdlib.h>
#include <string.h>

/* The length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and past U+10FFFF are not characters. */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

const char *
kb_query_normalise(struct arena *a, const char *in)
{
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	char *out = arena_alloc(a, KB_QUERY_MAX + 1);
	size_t len = 0, n;
	int blank = 0;

	if (out == NULL)
		return NULL;
	while (*s != '\0') {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' ||
		    *s == '\v') {
			blank = len > 0;
			s++;
			continue;
		}
		if (*s < 0x20 || *s == 0x7f || (n = utf8_len(s)) == 0) {
			s++;
			continue;
		}
		if (len + blank + n > KB_QUERY_MAX)
			break;
		if (blank)
			out[len++] = ' ';
		blank = 0;
		memcpy(out + len, s, n);
		len += n;
		s += n;
	}
	out[len] = '\0';
	return out;
}

int
kb_query_words(const char *q)
{
	int n = 0, in = 0;

	for (; q != NULL && *q != '\0'; q++) {
		if (*q == ' ')
			in = 0;
		else if (!in)
			in = 1, n++;
	}
	return n;
}

/*
 * A trigram packed: up to three characters' bytes, hashed when they do not
 * fit (multibyte letters), as pg_trgm hashes them. A collision can only make
 * two words look a little more alike.
 */
static unsigned
trigram(const unsigned char *s, size_t n)
{
	unsigned h = 2166136261u;
	size_t i;

	if (n == 3)
		return (unsigned)s[0] << 16 | (unsigned)s[1] << 8 | s[2];
	for (i = 0; i < n; i++)
		h = (h ^ s[i]) * 16777619u;
	return h | 0x80000000u;	/* never equal to a packed one (< 2^24) */
}

static int
cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

int
kb_query_trigrams(const char *word, unsigned out[KB_TRGM_MAX])
{
	/* The padded word, and where each of its characters starts. */
	unsigned char pad[2 + KB_WORD_MAX * 4 + 1 + 1];
	size_t start[2 + KB_WORD_MAX + 1 + 1], len = 0, nc = 0, k;
	const unsigned char *w = (const unsigned char *)word;
	int n = 0, i, j;

	pad[len] = ' ', start[nc++] = len++;
	pad[len] = ' ', start[nc++] = len++;
	while (*w != '\0' && nc < 2 + KB_WORD_MAX) {
		size_t cl = utf8_len(w);

		if (cl == 0)
			cl = 1;
		start[nc++] = len;
		for (k = 0; k < cl && w[k] != '\0'; k++)
			pad[len++] = w[k];
		w += k;
	}
	pad[len] = ' ', start[nc++] = len++;
	start[nc] = len;
	for (k = 0; k + 2 < nc; k++)
		out[n++] = trigram(pad + start[k], start[k + 3] - start[k]);
	qsort(out, (size_t)n, sizeof(out[0]), cmp_unsigned);
	for (i = j = 0; i < n; i++)
		if (j == 0 || out[j - 1] != out[i])
			out[j++] = out[i];
	return j;
}

double
kb_query_similarity(const unsigned *a, int na, const unsigned *b, int nb)
{
	int i = 0, j = 0, common = 0;

	while (i < na && j < nb) {
		if (a[i] == b[j])
			common++, i++, j++;
		else if (a[i] < b[j])
			i++;
		else
			j++;
	}
	return na + nb - common > 0 ? (double)common / (na + nb - common) : 0;
}

static int
lower_alpha(int c)
{
	return c >= 'a' && c <= 'z';
}

/*
 * Reads one tag at s into tag when it has the shape ll or ll-cc (any
 * case); returns 1 when it does, 0 when not.
 */
static int
lang_tag(const char *s, size_t n, char tag[KB_LANG_LEN])
{
	size_t i;

	if (n != 2 && n != 5)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (i == 2) {
			if (c != '-' && c != '_')
				return 0;
			tag[i] = '-';
			continue;
		}
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!lower_alpha(c))
			return 0;
		tag[i] = c;
	}
	tag[n] = '\0';
	return 1;
}

/*
 * q as thousandths (q=0.8 → 800). A malformed q reads as 0, "not
 * acceptable": the tag is left out, as RFC 9110 lets a recipient do.
 */
static int
qvalue(const char *s, size_t n)
{
	int v = 0, scale = 100;
	size_t i;

	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	if (n < 2 || (s[0] != 'q' && s[0] != 'Q') || s[1] != '=')
		return 0;
	s += 2, n -= 2;
	if (n == 0 || (s[0] != '0' && s[0] != '1'))
		return 0;
	v = (s[0] - '0') * 1000;
	if (n == 1)
		return v;
	if (s[1] != '.')
		return 0;
	for (i = 2; i < n && i < 5; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v += (s[i] - '0') * scale;
		scale /= 10;
	}
	if (i < n)
		return 0;
	return v > 1000 ? 0 : v;
}

int
kb_accept_languages(const char *header, char out[KB_LANGS_MAX][KB_LANG_LEN])
{
	/* Up to 16 candidates, then the best KB_LANGS_MAX of them. */
	char tags[16][KB_LANG_LEN];
	int qs[16], ncand = 0, nout = 0, i, k;
	const char *p = header;

	while (p != NULL && *p != '\0' && ncand < 16) {
		const char *end = strchr(p, ','), *semi, *t;
		size_t len = end ? (size_t)(end - p) : strlen(p), tl;
		int q = 1000;

		semi = memchr(p, ';', len);
		t = p;
		tl = semi ? (size_t)(semi - p) : len;
		while (tl > 0 && (*t == ' ' || *t == '\t'))
			t++, tl--;
		while (tl > 0 && (t[tl - 1] == ' ' || t[tl - 1] == '\t'))
			tl--;
		if (semi != NULL)
			q = qvalue(semi + 1, len - (size_t)(semi + 1 - p));
		if (q > 0 && lang_tag(t, tl, tags[ncand]))
			qs[ncand++] = q;
		p = end ? end + 1 : NULL;
	}
	/* Highest q first; equal q keep their order (a stable selection). */
	while (nout < KB_LANGS_MAX) {
		int best = -1, dup;

		for (i = 0; i < ncand; i++)
			if (qs[i] > 0 && (best < 0 || qs[i] > qs[best]))
				best = i;
		if (best < 0)
			break;
		qs[best] = 0;
		for (k = 0, dup = 0; k < nout; k++)
			dup |= strcmp(out[k], tags[best]) == 0;
		if (!dup)
			memcpy(out[nout++], tags[best], KB_LANG_LEN);
		if (tags[best][2] == '-' && nout < KB_LANGS_MAX) {
			char primary[KB_LANG_LEN] = { tags[best][0], tags[best][1], '\0' };

			for (k = 0, dup = 0; k < nout; k++)
				dup |= strcmp(out[k], primary) == 0;
			for (k = 0; k < ncand; k++)
				dup |= qs[k] > 0 && strcmp(tags[k], primary) == 0;
			if (!dup)
				memcpy(out[nout++], primary, KB_LANG_LEN);
		}
	}
	return nout;
}
