/* sql.c — see sql.h. */
#include "sql.h"
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

char *
th_valuef(struct db *db, const char *fmt, ...)
{
	char sql[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	ck_assert_msg(n >= 0 && (size_t)n < sizeof(sql), "test SQL longer than %zu bytes",
	    sizeof(sql));
	return th_value(db, sql);
}
