/*
 * check_tmpl.c — the mustache engine beyond the spec: escaping, the
 * layout-by-inheritance pages are built with, indentation, strict
 * compilation and its messages, compile errors with line numbers, the
 * recursion and work limits, loading a directory, and running out of
 * memory while compiling and rendering.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/mem.h"
#include "tmpl/tmpl.h"
#include "tmpl/tval.h"

Suite *tmpl_suite(void);

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers ---- */

/* A JSON text as a tval in a (the tests' contexts are easier read so). */
static struct tval *
json_to_tval(struct arena *a, json_t *j)
{
	struct tval *v;
	const char *key;
	json_t *item;
	size_t i;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		v = tval_map(a);
		json_object_foreach(j, key, item)
			tval_set(a, v, arena_strdup(a, key), json_to_tval(a, item));
		return v;
	case JSON_ARRAY:
		v = tval_list(a);
		json_array_foreach(j, i, item)
			tval_push(a, v, json_to_tval(a, item));
		return v;
	case JSON_STRING:
		return tval_strn(a, arena_strndup(a, json_string_value(j), json_string_length(j)),
		    json_string_length(j));
	case JSON_INTEGER:
		return tval_int(a, json_integer_value(j));
	case JSON_REAL:
		return tval_num(a, json_real_value(j));
	case JSON_TRUE:
	case JSON_FALSE:
		return tval_bool(a, json_is_true(j));
	default:
		return tval_null(a);
	}
}

static struct tval *
context(struct arena *a, const char *text)
{
	json_error_t jerr;
	json_t *j;
	struct tval *v;

	if (text == NULL)
		return tval_map(a);
	j = json_loads(text, JSON_DECODE_ANY, &jerr);
	ck_assert_msg(j != NULL, "bad test JSON: %s", jerr.text);
	v = json_to_tval(a, j);
	json_decref(j);
	return v;
}

/* A set of name/source pairs (NULL-terminated); compiles unless told not to. */
static struct tmpl_set *
make_set(const char *const *pairs, int strict, char *err, size_t errlen, int *rc)
{
	struct tmpl_set *set = tmpl_set_new();
	size_t i;

	ck_assert_ptr_nonnull(set);
	for (i = 0; pairs[i] != NULL; i += 2)
		ck_assert_int_eq(tmpl_set_add(set, pairs[i], pairs[i + 1], strlen(pairs[i + 1])),
		    0);
	*rc = tmpl_set_compile(set, strict, err, errlen);
	return set;
}

/* ---- rendering ---- */

struct render_case {
	const char *desc;
	const char *tmpls[12];	/* name, source, ...; the first is rendered */
	const char *data;	/* JSON */
	const char *expected;
};

static const struct render_case render_cases[] = {
	{ "all five characters escaped; triple and & leave them",
	    { "t", "{{x}}|{{{x}}}|{{&x}}|{{ x }}" },
	    "{\"x\": \"a&b<c>d\\\"e'f\"}",
	    "a&amp;b&lt;c&gt;d&quot;e&#39;f|a&b<c>d\"e'f|a&b<c>d\"e'f|"
	    "a&amp;b&lt;c&gt;d&quot;e&#39;f" },
	{ "escaping reaches implicit iterators and dotted names",
	    { "t", "{{#l}}{{.}}{{/l}} {{m.k}}" },
	    "{\"l\": [\"<\", \">\"], \"m\": {\"k\": \"'\"}}",
	    "&lt;&gt; &#39;" },
	{ "numbers print as JSON would",
	    { "t", "{{a}} {{b}} {{c}} {{d}} {{e}}" },
	    "{\"a\": 1.0, \"b\": -2.5, \"c\": 1e100, \"d\": 0.1, \"e\": 12345678901}",
	    "1 -2.5 1e+100 0.1 12345678901" },
	{ "booleans print; null, lists and maps do not",
	    { "t", "[{{t}}|{{f}}|{{n}}|{{l}}|{{m}}]" },
	    "{\"t\": true, \"f\": false, \"n\": null, \"l\": [1], \"m\": {}}",
	    "[true|false|||]" },
	{ "zero and the empty string are falsy, as in JavaScript",
	    { "t", "{{#z}}z{{/z}}{{^z}}!z{{/z}} {{#s}}s{{/s}}{{^s}}!s{{/s}} {{#m}}m{{/m}}" },
	    "{\"z\": 0, \"s\": \"\", \"m\": {}}",
	    "!z !s m" },
	{ "a null in an inner context hides the outer name",
	    { "t", "{{#in}}[{{x}}]{{/in}}" },
	    "{\"x\": \"outer\", \"in\": {\"x\": null}}",
	    "[]" },
	{ "a context that is not a map is skipped when looking up names",
	    { "t", "{{#l}}{{.}}{{x}};{{/l}}" },
	    "{\"x\": \"X\", \"l\": [\"a\", 1, null]}",
	    "aX;1X;X;" },
	{ "the layout use case: a page fills the layout's blocks",
	    { "page",
		"{{<layout}}\n"
		"{{$title}}Tickets{{/title}}\n"
		"{{$content}}\n"
		"<h1>{{heading}}</h1>\n"
		"<ul>\n"
		"{{#tickets}}\n"
		"  <li>{{subject}}</li>\n"
		"{{/tickets}}\n"
		"</ul>\n"
		"{{/content}}\n"
		"{{/layout}}\n",
	      "layout",
		"<html>\n"
		"<head><title>{{$title}}csdesk{{/title}}</title></head>\n"
		"<body>\n"
		"  {{$content}}\n"
		"  <p>Nothing here.</p>\n"
		"  {{/content}}\n"
		"</body>\n"
		"</html>\n" },
	    "{\"heading\": \"Open & pending\", \"tickets\": [{\"subject\": \"Printer <on fire>\"},"
	    " {\"subject\": \"VPN\"}]}",
	    "<html>\n"
	    "<head><title>Tickets</title></head>\n"
	    "<body>\n"
	    "  <h1>Open &amp; pending</h1>\n"
	    "  <ul>\n"
	    "    <li>Printer &lt;on fire&gt;</li>\n"
	    "    <li>VPN</li>\n"
	    "  </ul>\n"
	    "</body>\n"
	    "</html>\n" },
	{ "the layout's defaults show where the page overrides nothing",
	    { "page", "{{<layout}}{{/layout}}\n",
	      "layout",
		"<title>{{$title}}default{{/title}}</title>\n"
		"  {{$content}}\n"
		"  <p>Nothing here.</p>\n"
		"  {{/content}}\n" },
	    NULL,
	    "<title>default</title>\n"
	    "  <p>Nothing here.</p>\n" },
	{ "the layout with everything on one line",
	    { "page", "{{<layout}}{{$content}}<b>{{x}}</b>{{/content}}{{/layout}}",
	      "layout",
		"<title>{{$title}}default{{/title}}</title><main>{{$content}}{{/content}}</main>" },
	    "{\"x\": \"hi\"}",
	    "<title>default</title><main><b>hi</b></main>" },
	{ "blocks in a partial of the layout can be filled by the page",
	    { "page", "{{<layout}}{{$title}}Mine{{/title}}{{$content}}x{{/content}}{{/layout}}",
	      "layout", "{{>head}}<main>{{$content}}{{/content}}</main>",
	      "head", "<title>{{$title}}default{{/title}}</title>\n" },
	    NULL,
	    "<title>Mine</title>\n<main>x</main>" },
	{ "three levels: the page beats the section layout beats the base",
	    { "page", "{{<section}}{{$title}}Page{{/title}}{{/section}}",
	      "section", "{{<base}}{{$title}}Section{{/title}}{{$nav}}[S]{{/nav}}{{/base}}",
	      "base", "{{$title}}Base{{/title}}|{{$nav}}[B]{{/nav}}|{{$foot}}F{{/foot}}" },
	    NULL,
	    "Page|[S]|F" },
	{ "a dynamic parent",
	    { "t", "{{<*layout}}{{$b}}X{{/b}}{{/*layout}}", "base", "[{{$b}}{{/b}}]" },
	    "{\"layout\": \"base\"}",
	    "[X]" },
	{ "a block's content is rendered in the parent's context",
	    { "t", "{{<p}}{{$b}}{{name}}{{/b}}{{/p}}", "p", "{{#user}}{{$b}}{{/b}}{{/user}}" },
	    "{\"name\": \"outer\", \"user\": {\"name\": \"inner\"}}",
	    "inner" },
	{ "an indented partial leaves empty lines alone",
	    { "t", "<div>\n  {{>p}}\n</div>\n", "p", "a\n\nb\n{{x}}\n" },
	    "{\"x\": \"1\\n2\"}",
	    "<div>\n  a\n\n  b\n  1\n2\n</div>\n" },
	{ "indentation with CRLF line ends",
	    { "t", "<div>\r\n  {{>p}}\r\n</div>", "p", "a\r\n\r\nb\r\n" },
	    NULL,
	    "<div>\r\n  a\r\n\r\n  b\r\n</div>" },
	{ "indented partials nest",
	    { "t", "  {{>a}}\n", "a", "a\n  {{>b}}\n", "b", "b1\nb2\n" },
	    NULL,
	    "  a\n    b1\n    b2\n" },
	{ "a block in an indented partial adds its own indentation",
	    { "t", "<body>\n  {{>p}}\n</body>\n", "p", "x\n  {{$b}}\n  d\n  {{/b}}\ny\n" },
	    NULL,
	    "<body>\n  x\n    d\n  y\n</body>\n" },
	{ "an inline partial is not indented",
	    { "t", "  x {{>a}}\n", "a", "1\n2" },
	    NULL,
	    "  x 1\n2\n" },
	{ "a missing partial renders nothing when not strict",
	    { "t", "[{{>nope}}][{{<nope}}{{$a}}x{{/a}}{{/nope}}][{{>*nope}}]" },
	    NULL,
	    "[][][]" },
	{ "recursion that the data ends (leaves need their own empty kids)",
	    { "t", "{{>node}}", "node", "{{name}}{{#kids}}({{>node}}){{/kids}}" },
	    "{\"name\": \"a\", \"kids\": [{\"name\": \"b\", \"kids\": [{\"name\": \"c\","
	    " \"kids\": []}]}, {\"name\": \"d\", \"kids\": null}]}",
	    "a(b(c))(d)" },
	{ "a NUL byte in the source is just text",
	    { "t", "a\0b" },
	    NULL,
	    "a" },
	{ "a root context that is a list",
	    { "t", "{{#.}}<{{.}}>{{/.}}" },
	    "[1, \"two\", 3.5]",
	    "<1><two><3.5>" },
	{ "dotted names through lists do not index",
	    { "t", "[{{l.0}}][{{m.a.b}}]" },
	    "{\"l\": [\"x\"], \"m\": {\"a\": {\"b\": \"deep\"}}}",
	    "[][deep]" },
	{ "set delimiters last to the end of the template only",
	    { "t", "{{=<% %>=}}<%x%>{{x}}<%>p%>", "p", "{{x}}<%x%>" },
	    "{\"x\": 1}",
	    "1{{x}}1<%x%>" },
	{ "{{%x}} fills the {names} of a string from the context, all escaped",
	    { "t", "{{#row}}{{%l.at_risk}}{{/row}}|{{%l.none}}|{{#names}}{{%l.dot}}{{/names}}|{{%row.n}}" },
	    "{\"l\": {\"at_risk\": \"<b>{n} of {all.n}</b> at risk, {who}'s\", "
	    "\"none\": \"no {place holder} {x\", \"dot\": \"({.})\"}, "
	    "\"row\": {\"n\": 3, \"who\": \"A&B\"}, \"all\": {\"n\": 12}, "
	    "\"names\": [\"x\", \"<\"]}",
	    "&lt;b&gt;3 of 12&lt;/b&gt; at risk, A&amp;B&#39;s|no {place holder} {x|"
	    "(x)(&lt;)|3" },
	{ "an empty template renders nothing",
	    { "t", "" },
	    NULL,
	    "" },
};

START_TEST(render)
{
	const struct render_case *rc = &render_cases[_i];
	struct tmpl_set *set;
	struct arena *a = arena_new(4096);
	struct buf out;
	char err[256];
	int crc;

	set = make_set(rc->tmpls, 1, err, sizeof(err), &crc);
	if (crc < 0) {
		/* Cases with missing partials are for the non-strict mode. */
		tmpl_set_free(set);
		set = make_set(rc->tmpls, 0, err, sizeof(err), &crc);
	}
	ck_assert_msg(crc == 0, "%s: compile: %s", rc->desc, err);
	buf_init(&out, a);
	ck_assert_int_eq(tmpl_render(set, rc->tmpls[0], context(a, rc->data), &out), 0);
	ck_assert_msg(strcmp(out.buf, rc->expected) == 0, "%s:\nexpected \"%s\"\ngot      \"%s\"",
	    rc->desc, rc->expected, out.buf);
	tmpl_set_free(set);
	arena_free(a);
}
END_TEST

/* ---- compile errors ---- */

struct error_case {
	const char *src;
	const char *err;	/* the whole message, for template "t" */
};

static const struct error_case error_cases[] = {
	{ "{{#a}}x", "t:1: unclosed section 'a'" },
	{ "x\n\n{{^a}}\n{{#b}}{{/b}}\n", "t:3: unclosed section 'a'" },
	{ "a\n{{#a}}\n{{/b}}", "t:3: close tag 'b' does not match 'a' opened on line 2" },
	{ "{{/a}}", "t:1: close tag 'a' without an open tag" },
	{ "{{<p}}{{$a}}{{/p}}{{/a}}", "t:1: close tag 'p' does not match 'a' opened on line 1" },
	{ "{{<*p}}{{/p}}", "t:1: close tag 'p' does not match '*p' opened on line 1" },
	{ "line\n{{name", "t:2: unclosed tag" },
	{ "{{!\n\n}}\n{{{x}}\n", "t:4: unclosed tag" },
	{ "{{=<%%>=}}", "t:1: bad set-delimiter tag '<%%>'" },
	{ "\n{{= a =}}", "t:2: bad set-delimiter tag 'a'" },
	{ "{{=a b c=}}", "t:1: bad set-delimiter tag 'a b c'" },
	{ "{{=a= b=}}", "t:1: bad set-delimiter tag 'a= b'" },
	{ "{{}}", "t:1: empty tag" },
	{ "{{#}}{{/}}", "t:1: empty tag" },
	{ "{{>*}}", "t:1: empty tag" },
	{ "{{a b}}", "t:1: bad name 'a b'" },
	{ "{{a..b}}", "t:1: bad name 'a..b'" },
	{ "{{#.a}}{{/.a}}", "t:1: bad name '.a'" },
	{ "{{>*a.}}", "t:1: bad name 'a.'" },
	{ "{{> my partial }}", "t:1: bad name 'my partial'" },
};

START_TEST(compile_error)
{
	const char *pairs[] = { "t", error_cases[_i].src, NULL };
	struct tmpl_set *set;
	char err[256];
	int rc;

	set = make_set(pairs, 0, err, sizeof(err), &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(err, error_cases[_i].err);
	tmpl_set_free(set);
}
END_TEST

/* Nesting up to the limit compiles; one more does not. */
START_TEST(nesting_limit)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf src;
	char err[256];
	int i, depth;

	for (depth = TMPL_MAX_NESTING; depth <= TMPL_MAX_NESTING + 1; depth++) {
		buf_init(&src, NULL);
		for (i = 0; i < depth; i++)
			buf_printf(&src, "{{#s%d}}\n", i);
		for (i = depth - 1; i >= 0; i--)
			buf_printf(&src, "{{/s%d}}\n", i);
		ck_assert_int_eq(tmpl_set_add(set, "t", src.buf, src.len), 0);
		if (depth == TMPL_MAX_NESTING) {
			ck_assert_int_eq(tmpl_set_compile(set, 1, err, sizeof(err)), 0);
		} else {
			ck_assert_int_eq(tmpl_set_compile(set, 1, err, sizeof(err)), -1);
			ck_assert_str_eq(err, "t:101: nested deeper than 100");
		}
		buf_release(&src);
	}
	tmpl_set_free(set);
}
END_TEST

/* ---- strict compilation ---- */

START_TEST(strict_missing_partial)
{
	const char *pairs[] = {
		"portal/home", "<html>\n<body>\n{{>nav}}\n{{>*dynamic}}\n</body>\n",
		"layout", "ok", NULL,
	};
	const char *parent[] = { "portal/list", "x\n\n\n  {{<page}}{{/page}}", NULL };
	struct tmpl_set *set;
	struct buf out;
	char err[256];
	int rc;

	set = make_set(pairs, 1, err, sizeof(err), &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(err, "portal/home:3: partial 'nav' not found");
	ck_assert_int_eq(tmpl_render(set, "layout", NULL, &out), -1);

	/* Without strict, the same set compiles and the partial is nothing. */
	ck_assert_int_eq(tmpl_set_compile(set, 0, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	buf_init(&out, NULL);
	ck_assert_int_eq(tmpl_render(set, "portal/home", NULL, &out), 0);
	ck_assert_str_eq(out.buf, "<html>\n<body>\n</body>\n");
	buf_release(&out);

	/* Adding the partial makes strict compilation pass. */
	ck_assert_int_eq(tmpl_set_add(set, "nav", "<nav/>\n", 7), 0);
	ck_assert_int_eq(tmpl_set_compile(set, 1, err, sizeof(err)), 0);
	tmpl_set_free(set);

	set = make_set(parent, 1, err, sizeof(err), &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(err, "portal/list:4: parent 'page' not found");
	tmpl_set_free(set);
}
END_TEST

/* ---- limits ---- */

/* Renders the first template of pairs against {"name": "dyn"}. */
static int
render_one(const char *const *pairs, struct buf *out)
{
	struct tmpl_set *set;
	struct arena *a = arena_new(1024);
	char err[256];
	int rc;

	set = make_set(pairs, 0, err, sizeof(err), &rc);
	ck_assert_msg(rc == 0, "compile: %s", err);
	rc = tmpl_render(set, pairs[0], context(a, "{\"name\": \"dyn\"}"), out);
	tmpl_set_free(set);
	arena_free(a);
	return rc;
}

static const char *const recursion_cases[][8] = {
	{ "self", "x{{>self}}", NULL },
	{ "a", "{{>b}}", "b", "{{>a}}", NULL },
	{ "self", "{{<self}}{{/self}}", NULL },
	{ "p", "{{<p}}{{$b}}{{$b}}{{/b}}{{/b}}{{/p}}", NULL },
	{ "dyn", "{{>*name}}", "x", "{{>dyn}}", NULL },
	/* Exponential: the work budget ends it, not the depth. */
	{ "twice", "{{>twice}}{{>twice}}", NULL },
	{ "big", "0123456789abcdef0123456789abcdef{{>big}}{{>big}}{{>big}}", NULL },
};

START_TEST(recursion_limit)
{
	struct buf out;
	time_t start = time(NULL);

	buf_init(&out, NULL);
	buf_addstr(&out, "before|");
	ck_assert_int_eq(render_one(recursion_cases[_i], &out), -1);
	/* A failed render leaves the buffer as it found it. */
	ck_assert_str_eq(out.buf, "before|");
	ck_assert_int_eq(buf_failed(&out), 0);
	buf_release(&out);
	ck_assert(time(NULL) - start < 10);
}
END_TEST

START_TEST(deep_but_finite)
{
	const char *pairs[] = { "d", "{{#a}}{{>d}}{{/a}}x", NULL };
	struct arena *a = arena_new(4096);
	struct tmpl_set *set;
	struct tval *root, *m;
	struct buf out;
	char err[256];
	int i, rc;

	/*
	 * a.a.a... nested TMPL_MAX_RECURSION deep renders; one more does not.
	 * The innermost a is false, or the lookup would find the one outside.
	 */
	for (i = 0; i < 2; i++) {
		int depth = TMPL_MAX_RECURSION + i, k;

		root = m = tval_map(a);
		for (k = 0; k < depth; k++) {
			struct tval *next = tval_map(a);

			tval_set(a, m, "a", next);
			m = next;
		}
		tval_set_bool(a, m, "a", 0);
		set = make_set(pairs, 1, err, sizeof(err), &rc);
		buf_init(&out, NULL);
		rc = tmpl_render(set, "d", root, &out);
		ck_assert_int_eq(rc, i == 0 ? 0 : -1);
		if (rc == 0)
			ck_assert_uint_eq(out.len, (size_t)depth + 1);
		buf_release(&out);
		tmpl_set_free(set);
	}
	arena_free(a);
}
END_TEST

/*
 * Sections nested to the compile limit, recursing through a partial: the
 * render nests too deep long before the partial depth limit, and must end
 * with -1, not with the C stack.
 */
START_TEST(frame_limit)
{
	struct tmpl_set *set = tmpl_set_new();
	struct arena *a = arena_new(1024);
	struct tval *root = tval_map(a);
	struct buf src, out;
	char err[256];
	int i;

	buf_init(&src, NULL);
	for (i = 0; i < TMPL_MAX_NESTING; i++)
		buf_addstr(&src, "{{#a}}");
	buf_addstr(&src, "{{>t}}");
	for (i = 0; i < TMPL_MAX_NESTING; i++)
		buf_addstr(&src, "{{/a}}");
	ck_assert_int_eq(tmpl_set_add(set, "t", src.buf, src.len), 0);
	ck_assert_int_eq(tmpl_set_compile(set, 1, err, sizeof(err)), 0);
	tval_set_bool(a, root, "a", 1);
	buf_init(&out, NULL);
	ck_assert_int_eq(tmpl_render(set, "t", root, &out), -1);
	ck_assert_uint_eq(out.len, 0);
	buf_release(&out);
	buf_release(&src);
	tmpl_set_free(set);
	arena_free(a);
}
END_TEST

START_TEST(work_budget)
{
	const char *pairs[] = { "t", "{{#l}}{{#l}}{{#l}}x{{/l}}{{/l}}{{/l}}", "e", "", NULL };
	struct arena *a = arena_new(4096);
	struct tmpl_set *set;
	struct tval *root = tval_map(a), *l = tval_list(a);
	struct buf out;
	char err[256];
	int i, rc;

	for (i = 0; i < 10; i++)
		tval_push(a, l, tval_int(a, i));
	tval_set(a, root, "l", l);
	set = make_set(pairs, 1, err, sizeof(err), &rc);
	buf_init(&out, NULL);
	ck_assert_int_eq(tmpl_render(set, "t", root, &out), 0);
	ck_assert_uint_eq(out.len, 1000);
	buf_reset(&out);
	tmpl_set_max_steps(set, 500);
	ck_assert_int_eq(tmpl_render(set, "t", root, &out), -1);
	ck_assert_uint_eq(out.len, 0);
	tmpl_set_max_steps(set, 0);
	ck_assert_int_eq(tmpl_render(set, "e", root, &out), 0);
	buf_release(&out);
	tmpl_set_free(set);
	arena_free(a);
}
END_TEST

/* ---- the set ---- */

START_TEST(set_lifecycle)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out;
	char err[64];

	buf_init(&out, NULL);
	ck_assert_int_eq(tmpl_set_add(set, "a", "A{{>b}}", 7), 0);
	ck_assert_int_eq(tmpl_set_add(set, "b", "B", 1), 0);
	ck_assert(tmpl_exists(set, "a"));
	ck_assert(tmpl_exists(set, "b"));
	ck_assert(!tmpl_exists(set, "c"));
	ck_assert(!tmpl_exists(set, ""));
	ck_assert(!tmpl_exists(NULL, "a"));

	/* Not compiled yet: nothing renders. */
	ck_assert_int_eq(tmpl_render(set, "a", NULL, &out), -1);
	ck_assert_int_eq(tmpl_set_compile(set, 1, err, sizeof(err)), 0);
	ck_assert_int_eq(tmpl_render(set, "a", NULL, &out), 0);
	ck_assert_str_eq(out.buf, "AB");
	ck_assert_int_eq(tmpl_render(set, "c", NULL, &out), -1);
	ck_assert_int_eq(tmpl_render(set, NULL, NULL, &out), -1);
	ck_assert_int_eq(tmpl_render(NULL, "a", NULL, &out), -1);
	ck_assert_int_eq(tmpl_render(set, "a", NULL, NULL), -1);

	/* Replacing a template uncompiles the set until compiled again. */
	ck_assert_int_eq(tmpl_set_add(set, "b", "C", 1), 0);
	ck_assert_int_eq(tmpl_render(set, "a", NULL, &out), -1);
	ck_assert_int_eq(tmpl_set_compile(set, 1, err, sizeof(err)), 0);
	buf_reset(&out);
	ck_assert_int_eq(tmpl_render(set, "a", NULL, &out), 0);
	ck_assert_str_eq(out.buf, "AC");

	/* Appends, never overwrites. */
	ck_assert_int_eq(tmpl_render(set, "b", NULL, &out), 0);
	ck_assert_str_eq(out.buf, "ACC");

	ck_assert_int_eq(tmpl_set_add(set, NULL, "x", 1), -1);
	ck_assert_int_eq(tmpl_set_add(set, "n", NULL, 1), -1);
	ck_assert_int_eq(tmpl_set_add(set, "n", NULL, 0), 0);
	ck_assert_int_eq(tmpl_set_compile(NULL, 0, err, sizeof(err)), -1);
	ck_assert_int_eq(tmpl_set_compile(set, 0, NULL, 0), 0);
	buf_release(&out);
	tmpl_set_free(set);
	tmpl_set_free(NULL);
}
END_TEST

/* ---- tmpl_set_add_dir ---- */

static void
write_file(const char *dir, const char *name, const char *content)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(content, f);
	fclose(f);
}

START_TEST(add_dir)
{
	char dir[] = "/tmp/check_tmpl_XXXXXX", path[512], err[512];
	static const char *const files[] = {
		"layout.mustache", "portal/home.mustache", "portal/deep/x.mustache",
		"notes.txt", ".hidden.mustache", "portal/.swp.mustache", "portal/mustache",
	};
	struct tmpl_set *set = tmpl_set_new(), *other;
	struct buf out;
	size_t i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/portal", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/portal/deep", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	write_file(dir, files[0], "<main>{{$content}}{{/content}}</main>\n");
	write_file(dir, files[1],
	    "{{<layout}}{{$content}}{{>portal/deep/x}}{{/content}}{{/layout}}");
	write_file(dir, files[2], "hello {{who}}");
	for (i = 3; i < NELEM(files); i++)
		write_file(dir, files[i], "ignored");

	/* A trailing slash on the directory changes nothing. */
	snprintf(path, sizeof(path), "%s/", dir);
	ck_assert_int_eq(tmpl_set_add_dir(set, path, err, sizeof(err)), 3);
	ck_assert(tmpl_exists(set, "layout"));
	ck_assert(tmpl_exists(set, "portal/home"));
	ck_assert(tmpl_exists(set, "portal/deep/x"));
	ck_assert(!tmpl_exists(set, "notes"));
	ck_assert(!tmpl_exists(set, ".hidden"));
	ck_assert(!tmpl_exists(set, "portal/.swp"));
	ck_assert_int_eq(tmpl_set_compile(set, 1, err, sizeof(err)), 0);
	buf_init(&out, NULL);
	ck_assert_int_eq(tmpl_render(set, "portal/home", NULL, &out), 0);
	ck_assert_str_eq(out.buf, "<main>hello </main>\n");
	buf_release(&out);

	/* Leaving out a directory right under the root: its trees are not there. */
	other = tmpl_set_new();
	ck_assert_int_eq(tmpl_set_add_dir_except(other, dir, "portal", err, sizeof(err)), 1);
	ck_assert(tmpl_exists(other, "layout"));
	ck_assert(!tmpl_exists(other, "portal/home"));
	ck_assert(!tmpl_exists(other, "portal/deep/x"));
	/* Only right under the root: a deeper "deep" is still read. */
	ck_assert_int_eq(tmpl_set_add_dir_except(other, dir, "deep", err, sizeof(err)), 3);
	ck_assert(tmpl_exists(other, "portal/deep/x"));
	tmpl_set_free(other);

	/* A directory that is not there: -1 and its name in the message. */
	snprintf(path, sizeof(path), "%s/none", dir);
	ck_assert_int_eq(tmpl_set_add_dir(set, path, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, path) != NULL && strstr(err, "No such file") != NULL, "%s", err);

	/* A file that cannot be read: the file is named. */
	snprintf(path, sizeof(path), "%s/portal/broken.mustache", dir);
	ck_assert_int_eq(symlink("/nonexistent/target", path), 0);
	ck_assert_int_eq(tmpl_set_add_dir(set, dir, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, path) != NULL, "%s", err);
	unlink(path);

	for (i = 0; i < NELEM(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/portal/deep", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/portal", dir);
	rmdir(path);
	rmdir(dir);
	tmpl_set_free(set);
}
END_TEST

/* ---- running out of memory ---- */

static const char *const oom_pairs[] = {
	"page", "{{<layout}}{{$c}}{{#l}}<{{.}}>{{/l}}{{>p}}{{/c}}{{/layout}}",
	"layout", "<main>\n  {{$c}}{{/c}}\n</main>\n",
	"p", "{{x}}{{x}}{{x}}{{x}}",
	NULL,
};

/*
 * Rendering into an arena buffer with the heap failing after n more
 * allocations: either the render succeeds with the whole page, or it
 * returns -1 with the buffer marked failed. Never a crash.
 */
START_TEST(render_out_of_memory)
{
	struct tmpl_set *set;
	struct arena *a;
	struct tval *root, *l;
	struct buf out, want;
	char err[256];
	long n;
	int i, rc, failures = 0;

	set = make_set(oom_pairs, 1, err, sizeof(err), &rc);
	ck_assert_int_eq(rc, 0);
	a = arena_new(1024);
	root = tval_map(a);
	l = tval_list(a);
	for (i = 0; i < 200; i++)
		tval_push(a, l, tval_int(a, i));
	tval_set(a, root, "l", l);
	tval_set_str(a, root, "x", "&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&");
	buf_init(&want, NULL);
	ck_assert_int_eq(tmpl_render(set, "page", root, &want), 0);

	for (n = 0; n < 16; n++) {
		struct arena *ra = arena_new(1024);

		ck_assert_ptr_nonnull(ra);
		buf_init(&out, ra);
		mem_fail_after(n);
		rc = tmpl_render(set, "page", root, &out);
		mem_fail_after(-1);
		if (rc == 0) {
			ck_assert_str_eq(out.buf, want.buf);
		} else {
			ck_assert_int_eq(rc, -1);
			ck_assert(buf_failed(&out));
			failures++;
		}
		arena_free(ra);
	}
	ck_assert_int_gt(failures, 0);
	buf_release(&want);
	tmpl_set_free(set);
	arena_free(a);
}
END_TEST

/* Building and compiling a set with the heap failing anywhere along the way. */
START_TEST(compile_out_of_memory)
{
	struct tmpl_set *set;
	char err[256];
	long n;
	size_t i;
	int rc, ok = 0, compiling;

	for (n = 0; n < 200 && !ok; n++) {
		mem_fail_after(n);
		compiling = 0;
		set = tmpl_set_new();
		rc = set != NULL ? 0 : -1;
		for (i = 0; rc == 0 && oom_pairs[i] != NULL; i += 2)
			rc = tmpl_set_add(set, oom_pairs[i], oom_pairs[i + 1],
			    strlen(oom_pairs[i + 1]));
		if (rc == 0) {
			compiling = 1;
			rc = tmpl_set_compile(set, 1, err, sizeof(err));
		}
		mem_fail_after(-1);
		if (rc == 0)
			ok = 1;
		else if (compiling)
			ck_assert_msg(strstr(err, "out of memory") != NULL, "n=%ld: %s", n, err);
		tmpl_set_free(set);
	}
	ck_assert(ok);
}
END_TEST

/*
 * The add-dir walk with the heap failing: -1 with a message, or success.
 * Uses the templates directory of this test's own making.
 */
START_TEST(add_dir_out_of_memory)
{
	char dir[] = "/tmp/check_tmpl_XXXXXX", path[512], err[512];
	struct tmpl_set *set;
	long n;
	int rc, ok = 0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_file(dir, "a.mustache", "A");
	write_file(dir, "b.mustache", "B");
	for (n = 0; n < 100 && !ok; n++) {
		set = tmpl_set_new();
		ck_assert_ptr_nonnull(set);
		mem_fail_after(n);
		rc = tmpl_set_add_dir(set, dir, err, sizeof(err));
		mem_fail_after(-1);
		if (rc == 2)
			ok = 1;
		else
			ck_assert_int_eq(rc, -1);
		tmpl_set_free(set);
	}
	ck_assert(ok);
	snprintf(path, sizeof(path), "%s/a.mustache", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/b.mustache", dir);
	unlink(path);
	rmdir(dir);
}
END_TEST

Suite *
tmpl_suite(void)
{
	Suite *s = suite_create("tmpl");
	TCase *tc = tcase_create("tmpl");

	tcase_add_loop_test(tc, render, 0, (int)NELEM(render_cases));
	tcase_add_loop_test(tc, compile_error, 0, (int)NELEM(error_cases));
	tcase_add_test(tc, nesting_limit);
	tcase_add_test(tc, strict_missing_partial);
	tcase_add_loop_test(tc, recursion_limit, 0, (int)NELEM(recursion_cases));
	tcase_add_test(tc, deep_but_finite);
	tcase_add_test(tc, frame_limit);
	tcase_add_test(tc, work_budget);
	tcase_add_test(tc, set_lifecycle);
	tcase_add_test(tc, add_dir);
	tcase_add_test(tc, render_out_of_memory);
	tcase_add_test(tc, compile_out_of_memory);
	tcase_add_test(tc, add_dir_out_of_memory);
	suite_add_tcase(s, tc);
	return s;
}
