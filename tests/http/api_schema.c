/* api_schema.c — see api_schema.h. */
#include "api_schema.h"

#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DATE_TIME "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?" \
	"(Z|[+-][0-9]{2}:[0-9]{2})$"

static int
fail(char *err, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -1;
}

const json_t *
schema_ref(const json_t *doc, const char *ref)
{
	char part[128];
	const json_t *at = doc;
	size_t n;

	if (strncmp(ref, "#/", 2) != 0)
		return NULL;
	for (ref += 2; at != NULL && *ref != '\0'; ref += n + (ref[n] == '/')) {
		n = strcspn(ref, "/");
		if (n >= sizeof(part))
			return NULL;
		memcpy(part, ref, n);
		part[n] = '\0';
		at = json_object_get(at, part);
	}
	return at;
}

static int
matches(const char *pattern, const char *s)
{
	regex_t re;
	int ok;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return -1;
	ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

/* Characters of UTF-8 s. */
static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static int
type_is(const char *type, const json_t *v)
{
	if (strcmp(type, "null") == 0)
		return json_is_null(v);
	if (strcmp(type, "boolean") == 0)
		return json_is_boolean(v);
	if (strcmp(type, "integer") == 0)
		return json_is_integer(v);
	if (strcmp(type, "number") == 0)
		return json_is_number(v);
	if (strcmp(type, "string") == 0)
		return json_is_string(v);
	if (strcmp(type, "array") == 0)
		return json_is_array(v);
	if (strcmp(type, "object") == 0)
		return json_is_object(v);
	return -1;
}

static int
check_type(const json_t *t, const json_t *v, const char *path, char *err, size_t size)
{
	const json_t *e;
	size_t i;

	if (json_is_string(t))
		return type_is(json_string_value(t), v) == 1 ? 0 :
		    fail(err, size, "%s: not of type %s", path, json_string_value(t));
	json_array_foreach(t, i, e)
		if (type_is(json_string_value(e), v) == 1)
			return 0;
	return fail(err, size, "%s: none of its types", path);
}

static int
check_enum(const json_t *list, const json_t *v, const char *path, char *err, size_t size)
{
	const json_t *e;
	size_t i;

	json_array_foreach(list, i, e)
		if (json_equal(e, v))
			return 0;
	return fail(err, size, "%s: not one of its enum", path);
}

static int
check_string(const json_t *schema, const char *s, const char *path, char *err, size_t size)
{
	const json_t *k;

	if ((k = json_object_get(schema, "minLength")) && chars(s) < (size_t)json_integer_value(k))
		return fail(err, size, "%s: shorter than minLength", path);
	if ((k = json_object_get(schema, "maxLength")) && chars(s) > (size_t)json_integer_value(k))
		return fail(err, size, "%s: longer than maxLength", path);
	if ((k = json_object_get(schema, "pattern")) && matches(json_string_value(k), s) != 1)
		return fail(err, size, "%s: \"%s\" does not match %s", path, s, json_string_value(k));
	if ((k = json_object_get(schema, "format")) && strcmp(json_string_value(k), "date-time") == 0 &&
	    matches(DATE_TIME, s) != 1)
		return fail(err, size, "%s: \"%s\" is not a date-time", path, s);
	return 0;
}

static int
check_object(const json_t *doc, const json_t *schema, const json_t *v, const char *path,
    char *err, size_t size)
{
	const json_t *props = json_object_get(schema, "properties"), *req, *extra, *e, *sub;
	char at[512];
	const char *key;
	size_t i;

	req = json_object_get(schema, "required");
	json_array_foreach(req, i, e)
		if (json_object_get(v, json_string_value(e)) == NULL)
			return fail(err, size, "%s: \"%s\" is missing", path, json_string_value(e));
	extra = json_object_get(schema, "additionalProperties");
	json_object_foreach((json_t *)v, key, sub) {
		const json_t *p = props != NULL ? json_object_get(props, key) : NULL;

		snprintf(at, sizeof(at), "%s.%s", path, key);
		if (p == NULL && json_is_false(extra))
			return fail(err, size, "%s: not in the document", at);
		if (p == NULL)
			p = json_is_object(extra) ? extra : NULL;
		if (p != NULL && schema_check(doc, p, sub, at, err, size) < 0)
			return -1;
	}
	return 0;
}

static int
check_array(const json_t *doc, const json_t *schema, const json_t *v, const char *path,
    char *err, size_t size)
{
	const json_t *items = json_object_get(schema, "items"), *k, *e;
	char at[512];
	size_t i;

	if ((k = json_object_get(schema, "minItems")) && json_array_size(v) <
	    (size_t)json_integer_value(k))
		return fail(err, size, "%s: fewer than minItems", path);
	if ((k = json_object_get(schema, "maxItems")) && json_array_size(v) >
	    (size_t)json_integer_value(k))
		return fail(err, size, "%s: more than maxItems", path);
	json_array_foreach(v, i, e) {
		snprintf(at, sizeof(at), "%s[%zu]", path, i);
		if (items != NULL && schema_check(doc, items, e, at, err, size) < 0)
			return -1;
	}
	return 0;
}

/* The keywords judged here, and those that only describe. */
static const char *const known[] = {
	"$ref", "type", "enum", "properties", "required", "additionalProperties", "items",
	"minItems", "maxItems", "minimum", "maximum", "minLength", "maxLength", "pattern",
	"format", "description", "default", "title", NULL
};

int
schema_check(const json_t *doc, const json_t *schema, const json_t *v, const char *path,
    char *err, size_t size)
{
	const json_t *k, *sub;
	const char *key;
	size_t i;

	json_object_foreach((json_t *)schema, key, sub) {
		for (i = 0; known[i] != NULL && strcmp(known[i], key) != 0; i++)
			;
		if (known[i] == NULL)
			return fail(err, size, "%s: the schema uses \"%s\", which this check does not "
			    "know", path, key);
	}
	if ((k = json_object_get(schema, "$ref")) != NULL) {
		const json_t *target = schema_ref(doc, json_string_value(k));

		if (target == NULL)
			return fail(err, size, "%s: %s does not resolve", path, json_string_value(k));
		return schema_check(doc, target, v, path, err, size);
	}
	if ((k = json_object_get(schema, "type")) && check_type(k, v, path, err, size) < 0)
		return -1;
	if ((k = json_object_get(schema, "enum")) && check_enum(k, v, path, err, size) < 0)
		return -1;
	if (json_is_number(v) && (k = json_object_get(schema, "minimum")) &&
	    json_number_value(v) < json_number_value(k))
		return fail(err, size, "%s: below its minimum", path);
	if (json_is_number(v) && (k = json_object_get(schema, "maximum")) &&
	    json_number_value(v) > json_number_value(k))
		return fail(err, size, "%s: above its maximum", path);
	if (json_is_string(v))
		return check_string(schema, json_string_value(v), path, err, size);
	if (json_is_object(v))
		return check_object(doc, schema, v, path, err, size);
	if (json_is_array(v))
		return check_array(doc, schema, v, path, err, size);
	return 0;
}
