/* sql.c — see sql.h. */
#include "sql.h"
#include "core/arena.h"
#include "db/db.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *
th_value(struct db *db, const char *sql)
{
	PGresult *r;
	char *s;

	ck_assert_int_eq(db_send_begin(db), 0);	/* inside the caller's transaction, if any */
	r = PQexec(db->conn, sql);
	ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK,
	    "%s: %s", sql, PQresultErrorMessage(r));
	s = strdup(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 ?
	    PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	ck_assert_ptr_nonnull(s);
	return s;
}

/* th_value on fmt formatted with ap. */
static char *
valuev(struct db *db, const char *fmt, va_list ap)
{
	char sql[4096];
	int n = vsnprintf(sql, sizeof(sql), fmt, ap);

	ck_assert_msg(n >= 0 && (size_t)n < sizeof(sql), "test SQL longer than %zu bytes",
	    sizeof(sql));
	return th_value(db, sql);
}

char *
th_valuef(struct db *db, const char *fmt, ...)
{
	va_list ap;
	char *v;

	va_start(ap, fmt);
	v = valuev(db, fmt, ap);
	va_end(ap);
	return v;
}

const char *
th_arena_valuef(struct db *db, struct arena *a, const char *fmt, ...)
{
	const char *copy;
	va_list ap;
	char *v;

	va_start(ap, fmt);
	v = valuev(db, fmt, ap);
	va_end(ap);
	copy = arena_strdup(a, v);
	free(v);
	ck_assert_ptr_nonnull(copy);
	return copy;
}
