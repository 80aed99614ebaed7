/*
 * check_mustache_spec.c — the official mustache spec, read straight from
 * the JSON files in tests/mustache-spec/: for every case, its data becomes
 * a tval context, its template and partials a fresh set compiled
 * non-strict (a missing partial renders as nothing, as the spec wants),
 * and the render must equal the expected text byte for byte.
 *
 * One Check test per spec file; a last test prints the total. Lambdas are
 * not supported, so ~lambdas.json is not run. The files are found under
 * $CSDESK_DATADIR, else under the current directory.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "tmpl/tmpl.h"
#include "tmpl/tval.h"

Suite *mustache_spec_suite(void);

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The main template's name: no spec partial is called this. */
#define MAIN "(spec main)"

static const char *const spec_files[] = {
	"comments", "delimiters", "interpolation", "inverted",
	"partials", "sections", "~inheritance", "~dynamic-names",
};

/* A JSON value as a tval in a; NULL when out of memory. */
static struct tval *
from_json(struct arena *a, json_t *j)
{
	struct tval *v;
	const char *key;
	json_t *item;
	size_t i;
	int rc = 0;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		v = tval_map(a);
		if (v == NULL)
			return NULL;
		json_object_foreach(j, key, item)
			rc |= tval_set(a, v, arena_strdup(a, key), from_json(a, item));
		return rc == 0 ? v : NULL;
	case JSON_ARRAY:
		v = tval_list(a);
		if (v == NULL)
			return NULL;
		json_array_foreach(j, i, item)
			rc |= tval_push(a, v, from_json(a, item));
		return rc == 0 ? v : NULL;
	case JSON_STRING:
		return tval_strn(a, arena_strndup(a, json_string_value(j), json_string_length(j)),
		    json_string_length(j));
	case JSON_INTEGER:
		return tval_int(a, json_integer_value(j));
	case JSON_REAL:
		return tval_num(a, json_real_value(j));
	case JSON_TRUE:
		return tval_bool(a, 1);
	case JSON_FALSE:
		return tval_bool(a, 0);
	default:
		return tval_null(a);
	}
}

/* Appends s[0..len) to b with line ends and tabs made visible. */
static void
add_escaped(struct buf *b, const char *s, size_t len)
{
	size_t i;

	buf_addch(b, '"');
	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '\n':
			buf_addstr(b, "\\n");
			break;
		case '\r':
			buf_addstr(b, "\\r");
			break;
		case '\t':
			buf_addstr(b, "\\t");
			break;
		case '"':
			buf_addstr(b, "\\\"");
			break;
		default:
			buf_addch(b, s[i]);
		}
	}
	buf_addch(b, '"');
}

static const char *
str_field(json_t *obj, const char *key, size_t *len)
{
	json_t *v = json_object_get(obj, key);

	*len = json_is_string(v) ? json_string_length(v) : 0;
	return json_is_string(v) ? json_string_value(v) : "";
}

/* Runs one case; on failure describes it in report and returns -1. */
static int
run_case(const char *file, json_t *tc, struct buf *report)
{
	struct tmpl_set *set = NULL;
	struct arena *a = NULL;
	struct tval *data;
	struct buf out;
	const char *name, *tmpl, *expected, *pname;
	char err[256] = "";
	size_t tlen, elen, nlen;
	json_t *partials, *p;
	int rc = -1;

	buf_init(&out, NULL);
	name = str_field(tc, "name", &nlen);
	tmpl = str_field(tc, "template", &tlen);
	expected = str_field(tc, "expected", &elen);
	a = arena_new(4096);
	set = tmpl_set_new();
	if (a == NULL || set == NULL) {
		snprintf(err, sizeof(err), "out of memory");
		goto out;
	}
	data = from_json(a, json_object_get(tc, "data"));
	if (data == NULL || tmpl_set_add(set, MAIN, tmpl, tlen) < 0) {
		snprintf(err, sizeof(err), "out of memory");
		goto out;
	}
	partials = json_object_get(tc, "partials");
	json_object_foreach(partials, pname, p) {
		if (tmpl_set_add(set, pname, json_string_value(p), json_string_length(p)) < 0) {
			snprintf(err, sizeof(err), "out of memory");
			goto out;
		}
	}
	if (tmpl_set_compile(set, 0, err, sizeof(err)) < 0)
		goto out;
	if (tmpl_render(set, MAIN, data, &out) < 0) {
		snprintf(err, sizeof(err), "render failed");
		goto out;
	}
	if (out.len == elen && memcmp(out.buf, expected, elen) == 0)
		rc = 0;
out:
	if (rc < 0) {
		buf_printf(report, "%s: %s%s%s\n  template: ", file, name, err[0] ? ": " : "", err);
		add_escaped(report, tmpl, tlen);
		buf_addstr(report, "\n  expected: ");
		add_escaped(report, expected, elen);
		buf_addstr(report, "\n  got:      ");
		add_escaped(report, out.buf, out.len);
		buf_addch(report, '\n');
	}
	buf_release(&out);
	tmpl_set_free(set);
	arena_free(a);
	return rc;
}

/* Runs every case of one spec file, counting into *passed and *total. */
static void
run_file(const char *file, int *passed, int *total, struct buf *report)
{
	const char *dir = getenv("CSDESK_DATADIR");
	json_error_t jerr;
	json_t *root, *tests, *tc;
	char path[4096];
	size_t i;

	*passed = *total = 0;
	snprintf(path, sizeof(path), "%s%stests/mustache-spec/%s.json", dir ? dir : "",
	    dir ? "/" : "", file);
	root = json_load_file(path, 0, &jerr);
	if (root == NULL) {
		buf_printf(report, "%s: %s\n", path, jerr.text);
		*total = 1;
		return;
	}
	tests = json_object_get(root, "tests");
	json_array_foreach(tests, i, tc) {
		(*total)++;
		if (run_case(file, tc, report) == 0)
			(*passed)++;
	}
	json_decref(root);
}

START_TEST(spec_file)
{
	const char *file = spec_files[_i];
	struct buf report;
	int passed, total;

	buf_init(&report, NULL);
	run_file(file, &passed, &total, &report);
	printf("mustache spec: %s %d/%d\n", file, passed, total);
	if (report.len > 0)
		printf("%s", report.buf);
	fflush(stdout);
	ck_assert_msg(total > 0 && passed == total, "%s: %d of %d failed\n%s", file,
	    total - passed, total, report.buf);
	buf_release(&report);
}
END_TEST

START_TEST(spec_total)
{
	struct buf line, report;
	int passed, total, all_passed = 0, all = 0;
	size_t i;

	buf_init(&line, NULL);
	buf_init(&report, NULL);
	for (i = 0; i < NELEM(spec_files); i++) {
		run_file(spec_files[i], &passed, &total, &report);
		buf_printf(&line, "%s%s %d/%d", i ? ", " : "", spec_files[i], passed, total);
		all_passed += passed;
		all += total;
	}
	printf("mustache spec: %d/%d passed (%s)\n", all_passed, all, line.buf);
	fflush(stdout);
	ck_assert_msg(all > 0 && all_passed == all, "mustache spec: %d of %d failed",
	    all - all_passed, all);
	buf_release(&line);
	buf_release(&report);
}
END_TEST

Suite *
mustache_spec_suite(void)
{
	Suite *s = suite_create("mustache_spec");
	TCase *tc = tcase_create("spec");

	tcase_add_loop_test(tc, spec_file, 0, (int)NELEM(spec_files));
	tcase_add_test(tc, spec_total);
	suite_add_tcase(s, tc);
	return s;
}
