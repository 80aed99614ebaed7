/*
 * db_shapes.c — statements made at run time, one per shape of a query,
 * kept for the life of the process; see db.h (db_stmt_shape).
 *
 * A query with optional filters written once as "$n IS NULL OR …" needs a
 * custom plan per execution to fold the absent filters away (a generic plan
 * of it walks the whole table), and planning then costs more than running.
 * Written instead as one statement per combination of filters actually
 * given, each is planned once per connection and its generic plan fits.
 * The combinations met in practice are few; DB_SHAPES_MAX bounds them so a
 * caller trying every combination cannot grow a worker without limit (the
 * caller falls back to its custom-plan statement when NULL comes back).
 */
#include "db/db.h"
#include "core/mem.h"

#include <stdio.h>
#include <string.h>

#define DB_SHAPES_MAX 128

struct shape {
	char name[40];
	char *sql;
	struct db_stmt st;
};

static struct shape shapes[DB_SHAPES_MAX];
static size_t nshapes;

struct db_stmt *
db_stmt_shape_find(const char *name)
{
	size_t i;

	for (i = 0; i < nshapes; i++)
		if (strcmp(shapes[i].name, name) == 0)
			return &shapes[i].st;
	return NULL;
}

struct db_stmt *
db_stmt_shape(const char *name, const char *sql, int nparams)
{
	struct shape *s;
	struct db_stmt *found = db_stmt_shape_find(name);
	size_t len;

	if (found != NULL)
		return found;
	if (nshapes >= DB_SHAPES_MAX || strlen(name) >= sizeof(s->name))
		return NULL;
	s = &shapes[nshapes];
	len = strlen(sql) + 1;
	if ((s->sql = mem_malloc(len)) == NULL)
		return NULL;
	memcpy(s->sql, sql, len);
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->st.name = s->name;
	s->st.sql = s->sql;
	s->st.nparams = nparams;
	s->st.slot = 0;
	nshapes++;
	return &s->st;
}
