/*
 * tmpl_compile.c — from tokens to the node array a template renders from.
 *
 * Three passes over the token list:
 *
 * 1. Structure: match open and close tags, enforce the nesting limit, and
 *    work out what each token is part of. Inside a parent tag only its
 *    direct block tags count; everything else there is invisible. A block
 *    inside a parent overrides ("override"); a block anywhere else marks a
 *    place a parent's caller may fill ("site").
 * 2. Standalone lines: a tag alone on its line takes the line's blanks and
 *    line end with it. Parents and blocks follow the ~inheritance spec's
 *    extra rules (a parent's open and close tags, or a block's, can share
 *    one line and still stand alone; a block's content loses the
 *    indentation it had where it was written and gains the indentation of
 *    the place it is rendered).
 * 3. Build: emit nodes, merging adjacent text and marking the first node of
 *    each template line, where indentation goes when the template is
 *    rendered as an indented partial.
 */
#include "tmpl/tmpl.h"
#include "tmpl/tmpl_int.h"
#include "tmpl/tmpl_lex.h"
#include "tmpl/tval.h"
#include "core/arena.h"
#include "core/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define QUOTE_MAX 40

enum role {
	ROLE_NONE,
	ROLE_LIVE,	/* a parent that renders */
	ROLE_DEAD,	/* a parent or block inside an ignored part of a parent */
	ROLE_SITE,	/* a block outside any parent: a default a caller may replace */
	ROLE_OVERRIDE,	/* a block directly inside a parent: replaces that parent's block */
};

struct open_tag {
	uint32_t tok;
	uint8_t invis;		/* its content is ignored */
	const char *strip;	/* indentation stripped from its content's lines */
	size_t striplen;
};

struct compiler {
	struct tmpl_set *set;
	struct tmpl *t;
	int strict;
	char *err;
	size_t errlen;
	struct lexed lx;
	struct tnode *nodes;	/* on the heap while building */
	uint32_t n, cap;
	uint32_t last_text;	/* a text node that may still grow, or UINT32_MAX */
};

static int compile_error(struct compiler *c, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
compile_error(struct compiler *c, uint32_t line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->err == NULL || c->errlen == 0)
		return -1;
	n = snprintf(c->err, c->errlen, "%s:%u: ", c->t->name, (unsigned)line);
	if (n >= 0 && (size_t)n < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int
quote_len(size_t len)
{
	return (int)(len < QUOTE_MAX ? len : QUOTE_MAX);
}

/* ---- pass 1: structure ---- */

/* The blanks that start the line after token i's line: a block's own indentation. */
static void
next_line_blanks(const struct compiler *c, uint32_t i, const char **s, size_t *len)
{
	const struct tok *t = &c->lx.t[i], *f;
	size_t n = 0;

	*s = t->end;
	*len = 0;
	if (t->li + 1 >= c->lx.nlines)
		return;
	f = &c->lx.t[c->lx.lines[t->li + 1].first];
	*s = f->start;
	if (f->kind != TK_TEXT)
		return;
	while (n < f->len && (f->s[n] == ' ' || f->s[n] == '\t'))
		n++;
	*len = n;
}

static int
only_tag_on_line(const struct compiler *c, const struct tok *t)
{
	return c->lx.lines[t->li].nonblank == 1;
}

static int
last_on_line(const struct compiler *c, const struct tok *t)
{
	return t->ord + 1 == c->lx.lines[t->li].nonblank;
}

static int
close_matches(const struct tok *open, const struct tok *close)
{
	const char *s = close->s;
	size_t len = close->len;

	if (open->dyn) {
		if (len == 0 || s[0] != '*')
			return 0;
		s++;
		len--;
		while (len > 0 && (*s == ' ' || *s == '\t')) {
			s++;
			len--;
		}
	}
	return len == open->len && memcmp(s, open->s, len) == 0;
}

static int
structure(struct compiler *c)
{
	struct open_tag stack[TMPL_MAX_NESTING];
	struct open_tag *top;
	struct tok *t, *o;
	int depth = 0, alone;
	uint32_t i;

	for (i = 0; i < c->lx.n; i++) {
		t = &c->lx.t[i];
		top = depth > 0 ? &stack[depth - 1] : NULL;
		t->invis = top != NULL ? top->invis : 0;
		t->cs = top != NULL ? top->strip : "";
		t->cslen = top != NULL ? top->striplen : 0;
		if (t->kind != TK_TAG)
			continue;
		switch (t->sigil) {
		case '#':
		case '^':
		case '<':
		case '$':
			if (depth == TMPL_MAX_NESTING)
				return compile_error(c, t->line, "nested deeper than %d",
				    TMPL_MAX_NESTING);
			stack[depth].tok = i;
			stack[depth].invis = t->invis;
			stack[depth].strip = t->cs;
			stack[depth].striplen = t->cslen;
			if (t->sigil == '<') {
				t->role = t->invis ? ROLE_DEAD : ROLE_LIVE;
				stack[depth].invis = 1;
			} else if (t->sigil == '$') {
				o = top != NULL ? &c->lx.t[top->tok] : NULL;
				if (o != NULL && o->sigil == '<' && o->role == ROLE_LIVE) {
					t->role = ROLE_OVERRIDE;
					t->invis = 0;
					alone = last_on_line(c, t);
				} else if (t->invis) {
					t->role = ROLE_DEAD;
					alone = 0;
				} else {
					t->role = ROLE_SITE;
					alone = only_tag_on_line(c, t);
				}
				stack[depth].invis = t->role == ROLE_DEAD;
				/*
				 * Content that starts on the line after its tag
				 * has an indentation of its own: its first line's.
				 */
				if (alone)
					next_line_blanks(c, i, &stack[depth].strip,
					    &stack[depth].striplen);
				t->bs = stack[depth].strip;
				t->bslen = stack[depth].striplen;
			}
			depth++;
			break;
		case '/':
			if (depth == 0)
				return compile_error(c, t->line, "close tag '%.*s' %s",
				    quote_len(t->len), t->s, "without an open tag");
			o = &c->lx.t[stack[--depth].tok];
			if (!close_matches(o, t))
				return compile_error(c, t->line,
				    "close tag '%.*s' does not match '%s%.*s' opened on line %u",
				    quote_len(t->len), t->s, o->dyn ? "*" : "",
				    quote_len(o->len), o->s, (unsigned)o->line);
			t->match = stack[depth].tok;
			o->match = i;
			t->invis = o->invis;
			t->role = o->role;
			t->cs = o->cs;
			t->cslen = o->cslen;
			break;
		default:
			break;
		}
	}
	if (depth > 0) {
		o = &c->lx.t[stack[depth - 1].tok];
		return compile_error(c, o->line, "unclosed section '%s%.*s'", o->dyn ? "*" : "",
		    quote_len(o->len), o->s);
	}
	return 0;
}

/* ---- pass 2: standalone lines ---- */

/* ws with as much of the surrounding strip as it starts with taken off. */
static void
relative(const char *ws, size_t wslen, const char *strip, size_t striplen, const char **s,
    size_t *len)
{
	size_t p = 0;

	while (p < wslen && p < striplen && ws[p] == strip[p])
		p++;
	*s = ws + p;
	*len = wslen - p;
}

/* The blanks before token i on its line (i must be the first non-blank). */
static void
leading_blanks(const struct compiler *c, uint32_t i, const char **s, size_t *len)
{
	const struct tok *t = &c->lx.t[i];
	const struct tok *f = &c->lx.t[c->lx.lines[t->li].first];

	relative(f->start, (size_t)(t->start - f->start), t->cs, t->cslen, s, len);
}

static void
drop_before(struct compiler *c, uint32_t i)
{
	uint32_t j;

	for (j = c->lx.lines[c->lx.t[i].li].first; j < i; j++)
		if (c->lx.t[j].kind == TK_TEXT)
			c->lx.t[j].drop = 1;
}

/* Drops the blanks after token i and its line end. */
static void
drop_after(struct compiler *c, uint32_t i)
{
	uint32_t j, nl = c->lx.lines[c->lx.t[i].li].nl;

	for (j = i + 1; j < nl; j++)
		if (c->lx.t[j].kind == TK_TEXT)
			c->lx.t[j].drop = 1;
	if (nl < c->lx.n)
		c->lx.t[nl].drop = 1;
}

static void
standalone(struct compiler *c)
{
	struct tok *t, *o, *cl;
	uint32_t i;

	for (i = 0; i < c->lx.n; i++) {
		t = &c->lx.t[i];
		if (t->kind != TK_TAG || t->invis)
			continue;
		switch (t->sigil) {
		case '#':
		case '^':
		case '!':
		case '=':
		case '>':
			if (!only_tag_on_line(c, t))
				break;
			t->alone = 1;
			if (t->sigil == '>')
				leading_blanks(c, i, &t->ind, &t->indlen);
			drop_before(c, i);
			drop_after(c, i);
			break;
		case '<':
			/* Both tags of a parent can share one line and still stand alone. */
			cl = &c->lx.t[t->match];
			if (t->ord != 0 || !last_on_line(c, cl))
				break;
			t->alone = 1;
			leading_blanks(c, i, &t->ind, &t->indlen);
			drop_before(c, i);
			drop_after(c, t->match);
			break;
		case '$':
			cl = &c->lx.t[t->match];
			if (t->role == ROLE_OVERRIDE) {
				/* What is left of it is the parent's and ignored. */
				if (last_on_line(c, t)) {
					t->alone = 1;
					drop_after(c, i);
				}
			} else if (only_tag_on_line(c, t)) {
				/* Content starts next line, indented as its first line. */
				t->alone = 1;
				t->site_bol = 1;
				relative(t->bs, t->bslen, t->cs, t->cslen, &t->ind, &t->indlen);
				drop_before(c, i);
				drop_after(c, i);
			} else if (t->ord == 0 && cl->li == t->li && last_on_line(c, cl)) {
				/*
				 * Open and close tags alone on one line: the blanks
				 * before are the indentation of the content, and the
				 * line end stays.
				 */
				t->site_bol = 1;
				leading_blanks(c, i, &t->ind, &t->indlen);
				drop_before(c, i);
			}
			break;
		case '/':
			o = &c->lx.t[t->match];
			if (o->sigil == '$' && o->role == ROLE_OVERRIDE) {
				if (t->ord == 0)
					drop_before(c, i);
			} else if (o->sigil != '<' && only_tag_on_line(c, t)) {
				t->alone = 1;
				drop_before(c, i);
				drop_after(c, i);
			}
			break;
		default:
			break;
		}
	}
}

/* ---- pass 3: build ---- */

static struct tnode *
new_node(struct compiler *c, enum tnode_type type)
{
	struct tnode *nd;
	void *p;

	if (c->n == c->cap) {
		uint32_t cap = c->cap ? c->cap * 2 : 32;

		p = mem_realloc(c->nodes, (size_t)cap * sizeof(*nd));
		if (p == NULL)
			return NULL;
		c->nodes = p;
		c->cap = cap;
	}
	nd = &c->nodes[c->n++];
	memset(nd, 0, sizeof(*nd));
	nd->type = (uint8_t)type;
	nd->end = c->n;
	c->last_text = UINT32_MAX;
	return nd;
}

/*
 * Text that continues the previous text node in the source joins it, even
 * across line ends: a line start inside a text node always follows a '\n'
 * there, so the renderer can find it again when it has to indent.
 */
static int
add_text(struct compiler *c, const struct tok *t, const char *s, size_t len, int bol)
{
	struct tnode *nd;

	if (c->n > 0 && c->last_text == c->n - 1) {
		nd = &c->nodes[c->n - 1];
		if (nd->s + nd->len == s) {
			nd->len += len;
			return 0;
		}
	}
	nd = new_node(c, TN_TEXT);
	if (nd == NULL)
		return compile_error(c, t->line, "out of memory");
	nd->s = s;
	nd->len = len;
	nd->flags = bol ? TN_BOL : 0;
	c->last_text = c->n - 1;
	return 0;
}

/* Splits a looked-up name at its dots into the arena. */
static int
split_name(struct compiler *c, const struct tok *t, struct tnode *nd)
{
	struct tseg *seg;
	size_t i, start, k, nseg = 1;

	if (t->len == 1 && t->s[0] == '.')
		return 0;
	for (i = 0; i < t->len; i++)
		if (t->s[i] == '.')
			nseg++;
	if (nseg > UINT16_MAX)
		goto bad;
	seg = arena_calloc(c->set->arena, nseg, sizeof(*seg));
	if (seg == NULL)
		return compile_error(c, t->line, "out of memory");
	for (i = 0, start = 0, k = 0; i <= t->len; i++) {
		if (i < t->len && t->s[i] != '.')
			continue;
		if (i == start)
			goto bad;
		seg[k].s = t->s + start;
		seg[k].len = i - start;
		seg[k].hash = tval_key_hash(seg[k].s, seg[k].len);
		k++;
		start = i + 1;
	}
	nd->u.seg = seg;
	nd->nseg = (uint16_t)nseg;
	return 0;
bad:
	return compile_error(c, t->line, "bad name '%.*s'", quote_len(t->len), t->s);
}

/* A partial or parent: resolve a static name now, or split a dynamic one. */
static int
set_target(struct compiler *c, const struct tok *t, struct tnode *nd)
{
	if (t->dyn) {
		nd->flags |= TN_DYNAMIC;
		return split_name(c, t, nd);
	}
	nd->s = t->s;
	nd->len = t->len;
	nd->u.target = tmpl_find(c->set, t->s, t->len);
	if (nd->u.target == NULL && c->strict)
		return compile_error(c, t->line, "%s '%.*s' not found",
		    t->sigil == '>' ? "partial" : "parent", quote_len(t->len), t->s);
	return 0;
}

static int
build(struct compiler *c)
{
	uint32_t stack[TMPL_MAX_NESTING];
	const struct tok *t, *o;
	struct tnode *nd;
	const char *s;
	size_t len, p;
	int depth = 0, pending = 1;
	uint32_t i;

	c->last_text = UINT32_MAX;
	for (i = 0; i < c->lx.n; i++) {
		t = &c->lx.t[i];
		if (t->kind == TK_NL) {
			if (!t->invis && !t->drop && add_text(c, t, t->s, t->len, 0) < 0)
				return -1;
			pending = 1;
			continue;
		}
		if (t->invis || t->drop)
			continue;
		if (t->kind == TK_TEXT) {
			s = t->s;
			len = t->len;
			if (pending && i == c->lx.lines[t->li].first) {
				for (p = 0; p < len && p < t->cslen && s[p] == t->cs[p]; p++)
					;
				s += p;
				len -= p;
			}
			if (len == 0)
				continue;
			if (add_text(c, t, s, len, pending) < 0)
				return -1;
			pending = 0;
			continue;
		}
		nd = NULL;
		switch (t->sigil) {
		case '!':
		case '=':
			continue;
		case '/':
			nd = &c->nodes[stack[--depth]];
			nd->end = c->n;
			c->last_text = UINT32_MAX;
			o = &c->lx.t[t->match];
			/* What follows a parent on its line is not at a line start. */
			if (o->sigil == '<' || o->role == ROLE_OVERRIDE)
				pending = 0;
			continue;
		case 0:
		case '&':
		case '{':
		case '%':
			nd = new_node(c, t->sigil == 0 ? TN_VAR : t->sigil == '%' ? TN_FORMAT : TN_RAW);
			if (nd == NULL)
				break;
			if (split_name(c, t, nd) < 0)
				return -1;
			break;
		case '#':
		case '^':
			nd = new_node(c, t->sigil == '#' ? TN_SECTION : TN_INVERTED);
			if (nd == NULL)
				break;
			if (split_name(c, t, nd) < 0)
				return -1;
			stack[depth++] = c->n - 1;
			break;
		case '>':
		case '<':
			nd = new_node(c, t->sigil == '>' ? TN_PARTIAL : TN_PARENT);
			if (nd == NULL)
				break;
			if (set_target(c, t, nd) < 0)
				return -1;
			if (t->alone) {
				nd->flags |= TN_STANDALONE;
				nd->ind = t->ind;
				nd->indlen = t->indlen;
			}
			if (t->sigil == '<')
				stack[depth++] = c->n - 1;
			break;
		case '$':
			nd = new_node(c, TN_BLOCK);
			if (nd == NULL)
				break;
			nd->s = t->s;
			nd->len = t->len;
			if (t->alone)
				nd->flags |= TN_CONTENT_BOL;
			if (t->site_bol) {
				nd->flags |= TN_SITE_BOL;
				nd->ind = t->ind;
				nd->indlen = t->indlen;
			}
			stack[depth++] = c->n - 1;
			break;
		default:
			continue;
		}
		if (nd == NULL)
			return compile_error(c, t->line, "out of memory");
		if (pending && !t->alone && !t->site_bol && t->role != ROLE_OVERRIDE)
			nd->flags |= TN_BOL;
		pending = 0;
	}
	return 0;
}

int
tmpl_compile_one(struct tmpl_set *set, struct tmpl *t, int strict, char *err, size_t errlen)
{
	struct compiler c;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	c.set = set;
	c.t = t;
	c.strict = strict;
	c.err = err;
	c.errlen = errlen;
	t->nodes = NULL;
	t->n = 0;
	/* Node and name lengths are 32 bits (tmpl_int.h). */
	if (t->len > UINT32_MAX) {
		compile_error(&c, 1, "larger than 4 GB");
		goto out;
	}
	if (tmpl_lex(t->name, t->src, t->len, &c.lx, err, errlen) < 0)
		goto out;
	if (structure(&c) < 0)
		goto out;
	standalone(&c);
	if (build(&c) < 0)
		goto out;
	if (c.n > 0) {
		t->nodes = arena_calloc(set->arena, c.n, sizeof(*t->nodes));
		if (t->nodes == NULL) {
			compile_error(&c, 1, "out of memory");
			goto out;
		}
		memcpy(t->nodes, c.nodes, (size_t)c.n * sizeof(*t->nodes));
		t->n = c.n;
	}
	rc = 0;
out:
	tmpl_lex_release(&c.lx);
	mem_free(c.nodes);
	return rc;
}
