/* tmpl_lex.c — see tmpl_lex.h. */
#include "tmpl/tmpl_lex.h"
#include "core/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Longest name quoted back in an error message. */
#define QUOTE_MAX 40

struct lexer {
	const char *name;
	const char *src, *end;
	const char *open, *close;	/* the current delimiters */
	size_t olen, clen;
	uint32_t line;
	int need_line;			/* the next token starts a line */
	struct lexed *lx;
	char *err;
	size_t errlen;
};

static int lex_error(struct lexer *l, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
lex_error(struct lexer *l, uint32_t line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->err == NULL || l->errlen == 0)
		return -1;
	n = snprintf(l->err, l->errlen, "%s:%u: ", l->name, (unsigned)line);
	if (n >= 0 && (size_t)n < l->errlen) {
		va_start(ap, fmt);
		vsnprintf(l->err + n, l->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static struct tok *
push(struct lexer *l, enum tok_kind kind, const char *start, const char *end)
{
	struct lexed *lx = l->lx;
	struct tline *ln;
	struct tok *t;
	void *p;

	if (lx->n == lx->cap) {
		uint32_t cap = lx->cap ? lx->cap * 2 : 64;

		if (cap < lx->cap)
			return NULL;
		p = mem_realloc(lx->t, (size_t)cap * sizeof(*t));
		if (p == NULL)
			return NULL;
		lx->t = p;
		lx->cap = cap;
	}
	if (l->need_line) {
		if (lx->nlines == lx->linescap) {
			uint32_t cap = lx->linescap ? lx->linescap * 2 : 16;

			p = mem_realloc(lx->lines, (size_t)cap * sizeof(*ln));
			if (p == NULL)
				return NULL;
			lx->lines = p;
			lx->linescap = cap;
		}
		ln = &lx->lines[lx->nlines++];
		ln->first = lx->n;
		ln->nl = UINT32_MAX;
		ln->nonblank = 0;
		l->need_line = 0;
	}
	ln = &lx->lines[lx->nlines - 1];
	t = &lx->t[lx->n];
	memset(t, 0, sizeof(*t));
	t->kind = (uint8_t)kind;
	t->start = start;
	t->end = end;
	t->s = start;
	t->len = (size_t)(end - start);
	t->line = l->line;
	t->li = lx->nlines - 1;
	t->match = UINT32_MAX;
	if (kind == TK_NL) {
		ln->nl = lx->n;
		l->need_line = 1;
	}
	lx->n++;
	return t;
}

/* Once a token's kind and blankness are known, it takes its place in the line. */
static void
place(struct lexer *l, struct tok *t)
{
	struct tline *ln = &l->lx->lines[t->li];

	if (t->kind == TK_TAG || (t->kind == TK_TEXT && !t->blank))
		t->ord = ln->nonblank++;
}

/* Adds src[p..end) as text and line-end tokens. */
static int
lex_text(struct lexer *l, const char *p, const char *end)
{
	const char *q, *nl;
	struct tok *t;
	size_t i;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		q = nl != NULL ? nl : end;
		/* A "\r\n" line end takes the '\r' with it. */
		if (nl != NULL && q > p && q[-1] == '\r')
			q--;
		if (q > p) {
			t = push(l, TK_TEXT, p, q);
			if (t == NULL)
				return lex_error(l, l->line, "out of memory");
			t->blank = 1;
			for (i = 0; i < t->len; i++)
				if (!is_blank(t->s[i]))
					t->blank = 0;
			place(l, t);
		}
		if (nl == NULL)
			break;
		if (push(l, TK_NL, q, nl + 1) == NULL)
			return lex_error(l, l->line, "out of memory");
		l->line++;
		p = nl + 1;
	}
	return 0;
}

/* The first c at or after body that the close delimiter follows. */
static const char *
find_close_after(struct lexer *l, const char *body, char c)
{
	const char *p = body, *r;

	while (p < l->end) {
		r = memmem(p, (size_t)(l->end - p), l->close, l->clen);
		if (r == NULL)
			return NULL;
		if (r > body && r[-1] == c)
			return r - 1;
		p = r + 1;
	}
	return NULL;
}

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_space((*s)[*len - 1]))
		(*len)--;
}

/* "{{=<% %>=}}": two delimiters without blanks or '=', split by blanks. */
static int
set_delimiters(struct lexer *l, const struct tok *t)
{
	const char *s = t->s, *e = t->s + t->len, *a, *b;
	size_t alen, blen, i;

	a = s;
	while (s < e && !is_space(*s))
		s++;
	alen = (size_t)(s - a);
	while (s < e && is_space(*s))
		s++;
	b = s;
	blen = (size_t)(e - s);
	if (alen == 0 || blen == 0)
		goto bad;
	for (i = 0; i < alen; i++)
		if (a[i] == '=')
			goto bad;
	for (i = 0; i < blen; i++)
		if (b[i] == '=' || is_space(b[i]) || b[i] == '\0')
			goto bad;
	for (i = 0; i < alen; i++)
		if (a[i] == '\0')
			goto bad;
	l->open = a;
	l->olen = alen;
	l->close = b;
	l->clen = blen;
	return 0;
bad:
	return lex_error(l, t->line, "bad set-delimiter tag '%.*s'",
	    (int)(t->len < QUOTE_MAX ? t->len : QUOTE_MAX), t->s);
}

static int
check_name(struct lexer *l, const struct tok *t)
{
	size_t i;

	if (t->len == 0)
		return lex_error(l, t->line, "empty tag");
	for (i = 0; i < t->len; i++)
		if (is_space(t->s[i]) || t->s[i] == '\0')
			return lex_error(l, t->line, "bad name '%.*s'",
			    (int)(t->len < QUOTE_MAX ? t->len : QUOTE_MAX), t->s);
	return 0;
}

/* Lexes the tag whose open delimiter starts at q; *next is where text resumes. */
static int
lex_tag(struct lexer *l, const char *q, const char **next)
{
	const char *c = q + l->olen, *body, *close;
	char sigil = 0;
	struct tok *t;
	uint32_t line = l->line;
	const char *p;

	if (c >= l->end)
		return lex_error(l, line, "unclosed tag");
	if (strchr("&#^/!><$%", *c) != NULL && *c != '\0') {
		sigil = *c;
		body = c + 1;
		close = memmem(body, (size_t)(l->end - body), l->close, l->clen);
	} else if (*c == '{' || *c == '=') {
		sigil = *c;
		body = c + 1;
		close = find_close_after(l, body, sigil == '{' ? '}' : '=');
	} else {
		body = c;
		close = memmem(body, (size_t)(l->end - body), l->close, l->clen);
	}
	if (close == NULL)
		return lex_error(l, line, "unclosed tag");
	*next = close + l->clen + (sigil == '{' || sigil == '=' ? 1 : 0);
	t = push(l, TK_TAG, q, *next);
	if (t == NULL)
		return lex_error(l, line, "out of memory");
	t->sigil = sigil;
	t->s = body;
	t->len = (size_t)(close - body);
	trim(&t->s, &t->len);
	place(l, t);
	for (p = q; p < *next; p++)
		if (*p == '\n')
			l->line++;
	switch (sigil) {
	case '!':
		return 0;
	case '=':
		return set_delimiters(l, t);
	case '>':
	case '<':
		if (t->len > 0 && t->s[0] == '*') {
			t->dyn = 1;
			t->s++;
			t->len--;
			trim(&t->s, &t->len);
		}
		break;
	default:
		break;
	}
	return check_name(l, t);
}

int
tmpl_lex(const char *name, const char *src, size_t len, struct lexed *lx, char *err,
    size_t errlen)
{
	struct lexer l;
	const char *p, *q, *next = NULL;

	memset(&l, 0, sizeof(l));
	l.name = name;
	l.src = src;
	l.end = src + len;
	l.open = "{{";
	l.olen = 2;
	l.close = "}}";
	l.clen = 2;
	l.line = 1;
	l.need_line = 1;
	l.lx = lx;
	l.err = err;
	l.errlen = errlen;
	if (len >= UINT32_MAX / 4)
		return lex_error(&l, 1, "template too large");
	p = src;
	while (p < l.end) {
		q = memmem(p, (size_t)(l.end - p), l.open, l.olen);
		if (lex_text(&l, p, q != NULL ? q : l.end) < 0)
			return -1;
		if (q == NULL)
			break;
		if (lex_tag(&l, q, &next) < 0)
			return -1;
		p = next;
	}
	if (lx->nlines > 0 && lx->lines[lx->nlines - 1].nl == UINT32_MAX)
		lx->lines[lx->nlines - 1].nl = lx->n;
	return 0;
}

void
tmpl_lex_release(struct lexed *lx)
{
	mem_free(lx->t);
	mem_free(lx->lines);
	memset(lx, 0, sizeof(*lx));
}
