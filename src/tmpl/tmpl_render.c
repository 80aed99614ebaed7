/*
 * tmpl_render.c — walks compiled nodes against a context; see tmpl.h.
 *
 * Nothing here allocates: the context stack, the indentation of nested
 * partials and the chain of block overrides are linked lists of structs
 * on the C stack, one link per nested call. The depth of those calls is
 * bounded (MAX_FRAMES, TMPL_MAX_RECURSION), and so is the total work
 * (max_steps: nodes visited plus output written), because templates can
 * recurse and lists multiply.
 */
#include "tmpl/tmpl.h"
#include "tmpl/tmpl_int.h"
#include "tmpl/tval.h"
#include "core/buf.h"

#include <string.h>

/*
 * Render calls nested inside each other (a section, a partial, a block):
 * deeper than any real page goes, shallow enough for the C stack.
 */
#define MAX_FRAMES 1024

/* The context stack: the innermost value first. */
struct frame {
	const struct tval *v;
	const struct frame *up;
};

/* Indentation, outermost part last in the chain and first on the line. */
struct indent {
	const char *s;
	size_t len;
	const struct indent *up;
};

/* The parents being rendered, innermost first; each has overriding blocks. */
struct scope {
	const struct tmpl *t;
	uint32_t parent;	/* index of the TN_PARENT node in t */
	const struct scope *up;
};

struct render {
	const struct tmpl_set *set;
	struct buf *out;
	unsigned long steps, max_steps;
	size_t mark;		/* out->len when steps was last counted */
	int depth;		/* partials, parents, blocks */
	int frames;		/* every nested render_nodes call */
	int skip;		/* drop the next indentation if nothing came out since */
	size_t skip_mark;	/* out->len when skip was set */
};

static int render_nodes(struct render *r, const struct tmpl *t, uint32_t begin, uint32_t end,
    const struct frame *fr, const struct indent *ind, const struct scope *sc);

/*
 * A dotted name: the first part is looked up from the innermost context
 * out, the rest only inside what the first part found, so that a.b never
 * finds some other context's b. "." is the innermost context itself.
 */
static const struct tval *
lookup(const struct frame *fr, const struct tseg *seg, uint16_t nseg)
{
	const struct tval_pair *p = NULL;
	const struct tval *v;
	uint16_t k;

	if (nseg == 0)
		return fr->v;
	for (; fr != NULL; fr = fr->up) {
		p = tval_find_hash(fr->v, seg[0].s, seg[0].len, seg[0].hash);
		if (p != NULL)
			break;
	}
	if (p == NULL)
		return NULL;
	v = p->val;
	for (k = 1; k < nseg && v != NULL; k++) {
		p = tval_find_hash(v, seg[k].s, seg[k].len, seg[k].hash);
		v = p != NULL ? p->val : NULL;
	}
	return v;
}

static void
emit_value(struct buf *out, const struct tval *v, int escape)
{
	char num[TVAL_NUM_MAX];
	size_t n;

	if (v == NULL)
		return;
	switch (v->type) {
	case TVAL_STR:
		if (escape)
			buf_add_html(out, v->u.str.s, v->u.str.len);
		else
			buf_add(out, v->u.str.s, v->u.str.len);
		break;
	case TVAL_NUM:
		n = tval_format_num(v->u.num, num, sizeof(num));
		buf_add(out, num, n);
		break;
	case TVAL_BOOL:
		buf_addstr(out, v->u.b ? "true" : "false");
		break;
	default:
		/* null renders as nothing; lists and maps have no text form. */
		break;
	}
}

/* Parts a placeholder's name may have: a.b.c, as in a tag. */
#define FORMAT_SEGS 8

/*
 * The name of a placeholder starting at p (just after its '{'): letters,
 * digits, '_' and at most FORMAT_SEGS - 1 dots, then '}'. Its length, or
 * 0 when p does not start one (the '{' is then text).
 */
static size_t
placeholder_len(const char *p, const char *end)
{
	const char *q = p;
	int dots = 0;

	while (q < end && (*q == '_' || *q == '.' || (*q >= 'a' && *q <= 'z') ||
	    (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')))
		dots += *q++ == '.';
	return q < end && *q == '}' && dots < FORMAT_SEGS ? (size_t)(q - p) : 0;
}

/* s[0..n) split at its dots, as split_name does for a tag; "." is 0 parts. */
static uint16_t
placeholder_segs(const char *s, size_t n, struct tseg *seg)
{
	uint16_t nseg = 0;
	size_t i, start = 0;

	if (n == 1 && s[0] == '.')
		return 0;
	for (i = 0; i <= n; i++)
		if (i == n || s[i] == '.') {
			seg[nseg].s = s + start;
			seg[nseg].len = i - start;
			seg[nseg++].hash = tval_key_hash(s + start, i - start);
			start = i + 1;
		}
	return nseg;
}

/*
 * {{%name}}: the value is a string with {placeholders}, each a name
 * looked up from the context where the tag is, as a tag would; text and
 * values alike are escaped. So the words around a value are one string
 * a translator can order ("{count} tickets at risk"): the interface
 * strings (web/i18n.h). A value that is not a string renders as {{name}}.
 */
static void
emit_format(struct buf *out, const struct frame *fr, const struct tval *v)
{
	struct tseg seg[FORMAT_SEGS];
	const char *p, *end, *text;
	size_t n;

	if (v == NULL || v->type != TVAL_STR) {
		emit_value(out, v, 1);
		return;
	}
	p = text = v->u.str.s;
	end = p + v->u.str.len;
	while (p < end && (p = memchr(p, '{', (size_t)(end - p))) != NULL) {
		if ((n = placeholder_len(p + 1, end)) == 0) {
			p++;
			continue;
		}
		buf_add_html(out, text, (size_t)(p - text));
		emit_value(out, lookup(fr, seg, placeholder_segs(p + 1, n, seg)), 1);
		p = text = p + n + 2;
	}
	buf_add_html(out, text, (size_t)(end - text));
}

static void
emit_indent(struct buf *out, const struct indent *ind)
{
	if (ind == NULL)
		return;
	emit_indent(out, ind->up);
	buf_add(out, ind->s, ind->len);
}

/*
 * Text under indentation: every line start after a '\n' inside the text
 * gets it too, unless the line is empty.
 */
static void
emit_text_indented(struct buf *out, const char *s, size_t len, const struct indent *ind)
{
	const char *p = s, *end = s + len, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		buf_add(out, p, (size_t)(nl + 1 - p));
		p = nl + 1;
		if (p == end)
			return;
		if (*p != '\n' && !(*p == '\r' && p + 1 < end && p[1] == '\n'))
			emit_indent(out, ind);
	}
	buf_add(out, p, (size_t)(end - p));
}

/* Whether a line's indentation goes out now; see render_block. */
static int
indent_due(struct render *r)
{
	if (!r->skip)
		return 1;
	r->skip = 0;
	return r->out->len != r->skip_mark;
}

/* The template a partial or parent node names, or NULL for nothing. */
static const struct tmpl *
resolve(const struct render *r, const struct tnode *nd, const struct frame *fr)
{
	const struct tval *v;

	if (!(nd->flags & TN_DYNAMIC))
		return nd->u.target;
	v = lookup(fr, nd->u.seg, nd->nseg);
	if (v == NULL || v->type != TVAL_STR)
		return NULL;
	return tmpl_find(r->set, v->u.str.s, v->u.str.len);
}

static int
render_section(struct render *r, const struct tmpl *t, uint32_t i, const struct frame *fr,
    const struct indent *ind, const struct scope *sc)
{
	const struct tnode *nd = &t->nodes[i];
	const struct tval *v = lookup(fr, nd->u.seg, nd->nseg);
	struct frame f;
	size_t k;

	if (v != NULL && v->type == TVAL_LIST) {
		for (k = 0; k < v->u.list.n; k++) {
			f.v = v->u.list.items[k];
			f.up = fr;
			if (render_nodes(r, t, i + 1, nd->end, &f, ind, sc) < 0)
				return -1;
		}
		return 0;
	}
	if (!tval_truthy(v))
		return 0;
	f.v = v;
	f.up = fr;
	return render_nodes(r, t, i + 1, nd->end, &f, ind, sc);
}

/*
 * Partials and parents alike: standing alone on its line, the included
 * template is indented like the tag; inline, it is not indented at all,
 * because only the lines of the including template were.
 */
static int
render_include(struct render *r, const struct tmpl *t, uint32_t i, const struct frame *fr,
    const struct indent *ind, const struct scope *sc)
{
	const struct tnode *nd = &t->nodes[i];
	const struct tmpl *target = resolve(r, nd, fr);
	const struct indent *pi = NULL;
	struct indent ni;
	struct scope ns;
	int rc;

	if (target == NULL || target->n == 0)
		return 0;
	if (r->depth >= TMPL_MAX_RECURSION)
		return -1;
	if (nd->flags & TN_STANDALONE) {
		pi = ind;
		if (nd->indlen > 0) {
			ni.s = nd->ind;
			ni.len = nd->indlen;
			ni.up = ind;
			pi = &ni;
		}
	}
	if (nd->type == TN_PARENT) {
		ns.t = t;
		ns.parent = i;
		ns.up = sc;
		sc = &ns;
	}
	r->depth++;
	rc = render_nodes(r, target, 0, target->n, fr, pi, sc);
	r->depth--;
	return rc;
}

/*
 * The override for block site: the outermost caller's wins, which is the
 * last one found walking from the innermost parent out.
 */
static const struct tnode *
find_override(const struct scope *sc, const struct tnode *site, const struct tmpl **owner)
{
	const struct tnode *found = NULL, *p, *b;
	uint32_t j;

	for (; sc != NULL; sc = sc->up) {
		p = &sc->t->nodes[sc->parent];
		for (j = sc->parent + 1; j < p->end; j = b->end) {
			b = &sc->t->nodes[j];
			if (b->len == site->len && memcmp(b->s, site->s, b->len) == 0) {
				found = b;
				*owner = sc->t;
			}
		}
	}
	return found;
}

/*
 * A block renders its override or its default in the current context.
 * Its content lost its own indentation at compile time; here it gains the
 * indentation of the site. When the site owns its line but the content
 * began mid-line, the content's first line needs that indentation put in
 * front; when the site is mid-line but the content began a line, the
 * first indentation must be left out.
 */
static int
render_block(struct render *r, const struct tmpl *t, uint32_t i, const struct frame *fr,
    const struct indent *ind, const struct scope *sc)
{
	const struct tnode *nd = &t->nodes[i], *b;
	const struct tmpl *owner = t;
	const struct indent *pi = ind;
	struct indent ni;
	uint32_t begin, end;
	int rc;

	b = find_override(sc, nd, &owner);
	if (b == NULL)
		b = nd;
	begin = (uint32_t)(b - owner->nodes) + 1;
	end = b->end;
	if (begin >= end)
		return 0;
	if (r->depth >= TMPL_MAX_RECURSION)
		return -1;
	if (nd->flags & TN_SITE_BOL) {
		if (nd->indlen > 0) {
			ni.s = nd->ind;
			ni.len = nd->indlen;
			ni.up = ind;
			pi = &ni;
		}
		if (!(b->flags & TN_CONTENT_BOL))
			emit_indent(r->out, pi);
	} else if (b->flags & TN_CONTENT_BOL) {
		r->skip = 1;
		r->skip_mark = r->out->len;
	}
	r->depth++;
	rc = render_nodes(r, owner, begin, end, fr, pi, sc);
	r->depth--;
	r->skip = 0;
	return rc;
}

static int
render_nodes(struct render *r, const struct tmpl *t, uint32_t begin, uint32_t end,
    const struct frame *fr, const struct indent *ind, const struct scope *sc)
{
	const struct tnode *nd;
	uint32_t i = begin;
	int rc = 0;

	if (r->frames >= MAX_FRAMES)
		return -1;
	r->frames++;
	while (i < end) {
		nd = &t->nodes[i];
		/* Work is nodes visited and output written, 16 bytes a unit. */
		r->steps += 1 + ((r->out->len - r->mark) >> 4);
		r->mark = r->out->len;
		if (r->steps > r->max_steps || buf_failed(r->out)) {
			rc = -1;
			break;
		}
		if ((nd->flags & TN_BOL) && ind != NULL && indent_due(r))
			emit_indent(r->out, ind);
		switch (nd->type) {
		case TN_TEXT:
			if (ind == NULL)
				buf_add(r->out, nd->s, nd->len);
			else
				emit_text_indented(r->out, nd->s, nd->len, ind);
			break;
		case TN_VAR:
		case TN_RAW:
			emit_value(r->out, lookup(fr, nd->u.seg, nd->nseg), nd->type == TN_VAR);
			break;
		case TN_FORMAT:
			emit_format(r->out, fr, lookup(fr, nd->u.seg, nd->nseg));
			break;
		case TN_SECTION:
			rc = render_section(r, t, i, fr, ind, sc);
			break;
		case TN_INVERTED:
			if (!tval_truthy(lookup(fr, nd->u.seg, nd->nseg)))
				rc = render_nodes(r, t, i + 1, nd->end, fr, ind, sc);
			break;
		case TN_PARTIAL:
		case TN_PARENT:
			rc = render_include(r, t, i, fr, ind, sc);
			break;
		case TN_BLOCK:
			rc = render_block(r, t, i, fr, ind, sc);
			break;
		default:
			break;
		}
		if (rc < 0)
			break;
		i = nd->end;
	}
	r->frames--;
	return rc;
}

int
tmpl_render(const struct tmpl_set *set, const char *name, const struct tval *ctx,
    struct buf *out)
{
	const struct tmpl *t;
	struct render r;
	struct frame root;
	size_t start;

	if (set == NULL || name == NULL || out == NULL || set->arena == NULL)
		return -1;
	t = tmpl_find(set, name, strlen(name));
	if (t == NULL)
		return -1;
	memset(&r, 0, sizeof(r));
	r.set = set;
	r.out = out;
	r.max_steps = set->max_steps;
	root.v = ctx;
	root.up = NULL;
	start = out->len;
	r.mark = start;
	if (render_nodes(&r, t, 0, t->n, &root, NULL, NULL) == 0 && !buf_failed(out))
		return 0;
	if (!buf_failed(out) && out->cap > 0) {
		out->len = start;
		out->buf[start] = '\0';
	}
	return -1;
}
