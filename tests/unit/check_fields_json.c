/*
 * check_fields_json.c — fields_check_json, the declared-fields validator
 * over a JSON object (the API's bodies): a table of bodies with the values
 * and the first message each must give.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "web/fields.h"

Suite *fields_json_suite(void);

static const char *const colours[] = { "red", "green", NULL };

static const struct field_rule rules[] = {
	{ "name", "\"name\"", FIELD_TEXT, 1, 0, 5, NULL },
	{ "note", "\"note\"", FIELD_LINES, 0, 0, 0, NULL },
	{ "colour", "\"colour\"", FIELD_CHOICE, 0, 0, 0, colours },
	{ "count", "\"count\"", FIELD_INT, 0, 1, 10, NULL },
};
enum { NAME, NOTE, COLOUR, COUNT, N__MAX };

static const struct {
	const char *json;
	const char *name, *note, *colour;	/* the values given back */
	long long count;
	const char *error;			/* the first message, or NULL */
} cases[] = {
	{ "{\"name\": \" Ann \", \"note\": \" two\\nlines \", \"colour\": \"red\", \"count\": 3}",
	  "Ann", " two\nlines ", "red", 3, NULL },
	{ "{\"name\": \"Ann\", \"note\": null}", "Ann", "", "", 0, NULL },
	{ "{}", "", "", "", 0, "\"name\" is required." },
	{ "{\"name\": 7}", "", "", "", 0, "\"name\" must be a string." },
	{ "{\"name\": \"Annabel\"}", "", "", "", 0,
	  "\"name\" must be at most 5 characters long." },
	{ "{\"name\": \"Ann\", \"colour\": \"blue\"}", "Ann", "", "", 0,
	  "\"colour\" must be one of red, green." },
	{ "{\"name\": \"Ann\", \"count\": \"3\"}", "Ann", "", "", 0,
	  "\"count\" must be a whole number." },
	{ "{\"name\": \"Ann\", \"count\": 11}", "Ann", "", "", 0,
	  "\"count\" must be a whole number from 1 to 10." },
	{ "{\"name\": \"Ann\", \"count\": 10}", "Ann", "", "", 10, NULL },
	/* Found by tests/fuzz/fuzz_api_body.c: what a form's parser refuses. */
	{ "{\"name\": \"Ann\", \"note\": \"\\u001b[31mred\"}", "Ann", "", "", 0,
	  "\"note\" must not hold control characters." },
	{ "{\"name\": \"A\x7fn\"}", "", "", "", 0,
	  "\"name\" must not hold control characters." },
	{ "{\"name\": \"Ann\", \"note\": \"tab\\there\\r\\n\"}", "Ann", "tab\there\r\n", "", 0,
	  NULL },
};

START_TEST(members_are_checked_against_the_rules)
{
	struct arena *a = arena_new(4096);
	struct field_form f;
	const char *v[N__MAX], *first;
	long long n[N__MAX];
	json_error_t err;
	json_t *o = json_loads(cases[_i].json, 0, &err);

	ck_assert_ptr_nonnull(a);
	ck_assert_msg(o != NULL, "case %d: %s", _i, err.text);
	ck_assert_int_eq(fields_init(&f, a), 0);
	fields_check_json(&f, o, rules, N__MAX, v, n);
	/* The values outlive the object. */
	json_decref(o);
	ck_assert_int_eq(f.failed, 0);
	ck_assert_str_eq(v[NAME], cases[_i].name);
	ck_assert_str_eq(v[NOTE], cases[_i].note);
	ck_assert_str_eq(v[COLOUR], cases[_i].colour);
	ck_assert_int_eq(n[COUNT], cases[_i].count);
	first = fields_first_error(&f);
	if (cases[_i].error == NULL)
		ck_assert_msg(first == NULL, "case %d: %s", _i, first);
	else
		ck_assert_msg(first != NULL && strcmp(first, cases[_i].error) == 0,
		    "case %d: got %s", _i, first != NULL ? first : "(none)");
	arena_free(a);
}
END_TEST

Suite *
fields_json_suite(void)
{
	Suite *s = suite_create("fields_json");
	TCase *tc = tcase_create("fields_json");

	tcase_add_loop_test(tc, members_are_checked_against_the_rules, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	suite_add_tcase(s, tc);
	return s;
}
