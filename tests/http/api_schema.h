/*
 * api_schema.h — a small JSON Schema validator (the part of draft 2020-12
 * that static/api/openapi.json uses), so the API tests can check that
 * what the API answers is what its OpenAPI document says.
 *
 * It knows: $ref (to #/…), type (one or a list; "integer" is a JSON
 * integer, "number" any number), enum, properties, required,
 * additionalProperties, items, minItems/maxItems, minimum/maximum,
 * minLength/maxLength (characters), pattern (POSIX extended), format
 * "date-time", and the annotations description, default, title. Any other
 * keyword fails the check: a schema it cannot judge is not passed as true.
 */
#ifndef CSDESK_TEST_API_SCHEMA_H
#define CSDESK_TEST_API_SCHEMA_H

#include <stddef.h>

#include <jansson.h>

/*
 * Whether v is valid against schema, whose $refs resolve in doc. Returns
 * 0, or -1 with a sentence naming the place (path) and the rule in err.
 */
int schema_check(const json_t *doc, const json_t *schema, const json_t *v, const char *path,
    char *err, size_t size);

/* The value a "#/a/b" reference names in doc, or NULL. */
const json_t *schema_ref(const json_t *doc, const char *ref);

#endif
