/*
 * fuzz_api_body.c — libFuzzer harness for the JSON API's request bodies:
 * api_body_parse() (jansson, with the API's flags and size limit) and then
 * fields_check_json() against each of the API's member tables
 * (web/api_body.h), the path every POST and PATCH under /api/v1/ takes,
 * with a PATCH's unknown members found and its "tags" array joined.
 *
 * What comes out is checked against what fields.h promises, the same as a
 * posted form gives a handler: a value is never NULL, is "" or checked
 * (within its length, one line where it must be, one of its choices, no
 * control characters), and a refusal carries a message. Any broken promise
 * aborts, which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/form.h"
#include "core/utf8.h"
#include "web/api_body.h"
#include "web/fields.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* vals[i] must be what rules[i] lets through. */
static void
fuzz_check_value(const struct field_rule *rule, const char *v)
{
	size_t i, len = strlen(v);

	if (*v == '\0')
		return;
	if (!form_text_valid(v, len, rule->kind == FIELD_LINES))
		abort();
	if (rule->max > 0 && utf8_chars(v) > (size_t)rule->max)
		abort();
	if (rule->kind != FIELD_LINES && (v[0] == ' ' || v[len - 1] == ' '))
		abort();
	if (rule->kind == FIELD_CHOICE) {
		for (i = 0; rule->choices[i] != NULL; i++)
			if (strcmp(rule->choices[i], v) == 0)
				break;
		if (rule->choices[i] == NULL)
			abort();
	}
}

static void
fuzz_members(struct arena *a, const json_t *o, const struct field_rule *rules, size_t n)
{
	const char *vals[16];
	struct field_form f;
	size_t i;
	int bad;

	if (n > 16 || fields_init(&f, a) < 0)
		abort();
	bad = fields_check_json(&f, o, rules, n, vals, NULL);
	if (f.failed)
		abort();
	if (bad != f.nerrors || (bad > 0) != (fields_first_error(&f) != NULL))
		abort();
	for (i = 0; i < n; i++) {
		if (vals[i] == NULL)
			abort();
		fuzz_check_value(&rules[i], vals[i]);
		/* Without a message, every required member has its value. */
		if (bad == 0 && rules[i].required && *vals[i] == '\0')
			abort();
	}
}

/*
 * An unknown member named is one of o's and no rule's; a PATCH's "tags"
 * array joined (api_body_tags) is one string of tags, each one non-empty
 * and without blanks (anything else is refused).
 */
static void
fuzz_tags(json_t *o)
{
	const char *s, *v;
	size_t i;
	int oom;

	/* An unknown member is one of o's, and no rule's. */
	if ((s = api_body_unknown(o, api_update_rules, API_U__MAX)) != NULL) {
		if (json_object_get(o, s) == NULL)
			abort();
		for (i = 0; i < API_U__MAX; i++)
			if (strcmp(api_update_rules[i].name, s) == 0)
				abort();
	}
	if (api_body_tags(o, "tags", &oom) < 0 || oom)
		return;
	v = json_string_value(json_object_get(o, "tags"));
	for (s = v; s != NULL && *s != '\0'; s++)
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
		    (*s == ',' && (s == v || s[1] == '\0' || s[1] == ',')))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new(1024);
	const char *why = NULL;
	int status = 0;
	json_t *o;

	if (a == NULL)
		abort();
	o = api_body_parse(a, (const char *)data, size, &status, &why);
	if (o == NULL) {
		if (why == NULL || (status != 400 && status != 413))
			abort();
	} else {
		if (!json_is_object(o))
			abort();
		fuzz_members(a, o, api_create_rules, API_C__MAX);
		fuzz_tags(o);
		fuzz_members(a, o, api_update_rules, API_U__MAX);
		fuzz_members(a, o, api_comment_rules, API_M__MAX);
		json_decref(o);
	}
	arena_free(a);
	return 0;
}
