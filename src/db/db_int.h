/*
 * db_int.h — what db.c shares with db_pipe.c, not for use outside src/db:
 * noting a failure, preparing a statement on this connection, reading one
 * pipelined statement's results, rows into an arena array. See db.c.
 */
#ifndef CSDESK_DB_INT_H
#define CSDESK_DB_INT_H

#include "db/db.h"

/* Keeps the failure's SQLSTATE in db, marks a lost connection or a timeout, logs it. */
void db_note_failure_(struct db *db, const PGresult *res, const char *what);

/* Prepares st on this connection unless it already is. 0 or -1 (noted). */
int db_prepare_(struct db *db, struct db_stmt *st);

/*
 * Reads the results of one pipelined statement up to its end, keeping a
 * good one in *keep when keep is not NULL. 0, or -1 when it failed (the
 * first failure noted unless logged).
 */
int db_pipeline_results_(struct db *db, struct db_stmt *st, PGresult **keep, int logged);

/*
 * What a pending transaction owes before its first statement: BEGIN, and
 * db_begin_with's statement. db_owed_ prepares them, puts them in owed
 * and clears the debt (the caller sends them): how many (0 to
 * DB_OWED_MAX), or -1 when one cannot be prepared (noted).
 * db_owed_send_ sends them in pipeline mode: 0 or -1.
 */
#define DB_OWED_MAX 2
int db_owed_(struct db *db, struct db_stmt *owed[DB_OWED_MAX]);
int db_owed_send_(struct db *db, struct db_stmt *const owed[], int n);

/* Fills up to max rows of res into an arena array (db_rows). */
enum cs_result db_fill_rows_(struct arena *a, const PGresult *res, int max, size_t elem_size,
    db_fill_fn fill, void **out, size_t *n);

#endif
