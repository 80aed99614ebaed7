/* db_bytes.c — a bytea column as bytes; see db.h. */
#include "db/db.h"
#include "core/arena.h"

#include <string.h>

enum cs_result
db_bytes(struct arena *a, const PGresult *r, int row, int col, const void **data,
    size_t *size)
{
	unsigned char *raw;
	char *copy = NULL;
	size_t len = 0;

	*data = NULL;
	*size = 0;
	raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, row, col), &len);
	if (raw != NULL && (copy = arena_alloc(a, len ? len : 1)) != NULL) {
		memcpy(copy, raw, len);
		*data = copy;
		*size = len;
	}
	PQfreemem(raw);
	return copy != NULL ? CS_OK : CS_FAILED;
}
