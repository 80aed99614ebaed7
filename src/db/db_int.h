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
 * The BEGIN a pending transaction still owes (db->begin_pending), prepared
 * on this connection: a pipeline sends it before its first statement and
 * clears begin_pending. NULL when nothing is owed (or it cannot be
 * prepared: noted).
 */
struct db_stmt *db_owed_begin_(struct db *db);

/* Fills up to max rows of res into an arena array (db_rows). */
enum cs_result db_fill_rows_(struct arena *a, const PGresult *res, int max, size_t elem_size,
    db_fill_fn fill, void **out, size_t *n);

#endif
