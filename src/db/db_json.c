/*
 * db_json.c — a list read from one JSON column (see db_json_table in
 * db.h). A page that shows several short lists of one object (an SLA
 * panel's clock segments, events and escalations) reads them as
 * json_agg(json_build_array(...)) columns of the object's own row: one
 * statement instead of one per list, which is what a page pays for most.
 */
#include "db/db.h"
#include "core/arena.h"

#include <jansson.h>

/* One cell as text, as PostgreSQL would print it; NULL when out of memory. */
static const char *
cell_text(struct arena *a, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		return arena_strndup(a, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		return arena_lld(a, (long long)json_integer_value(v));
	case JSON_REAL:
		return arena_printf(a, "%g", json_real_value(v));
	case JSON_TRUE:
		return "t";
	case JSON_FALSE:
		return "f";
	default:			/* null; an object or array is not a cell */
		return "";
	}
}

enum cs_result
db_json_table(struct arena *a, const PGresult *r, int row, int col, size_t ncols,
    const char ***cells, size_t *nrows)
{
	json_t *rows, *one;
	const char **out = NULL;
	size_t i, j, n;
	enum cs_result rc = CS_OK;

	*cells = NULL;
	*nrows = 0;
	rows = json_loads(PQgetvalue(r, row, col), 0, NULL);
	if (!json_is_array(rows)) {
		json_decref(rows);
		return CS_FAILED;
	}
	n = json_array_size(rows);
	if (n > 0 && (out = arena_calloc(a, n * ncols, sizeof(*out))) == NULL)
		rc = CS_FAILED;
	for (i = 0; rc == CS_OK && i < n; i++) {
		one = json_array_get(rows, i);
		if (!json_is_array(one) || json_array_size(one) != ncols) {
			rc = CS_FAILED;
			break;
		}
		for (j = 0; j < ncols; j++)
			if ((out[i * ncols + j] = cell_text(a, json_array_get(one, j))) == NULL)
				rc = CS_FAILED;
	}
	json_decref(rows);
	if (rc == CS_OK) {
		*cells = out;
		*nrows = n;
	}
	return rc;
}
