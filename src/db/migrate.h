/*
 * migrate.h — brings a database to the program's schema, in three steps:
 *
 *   1. sql/migrations/NNN_name.sql in order, each exactly once, recorded in
 *      schema_migrations: schema changes (tables, columns, indexes, domains,
 *      data moves). A landed migration is never edited.
 *   2. sql/functions/NNN_concern.sql, every time, all in one transaction:
 *      the current body of every stored function, trigger and view, written
 *      to be repeated (CREATE OR REPLACE). A function changed there is live
 *      after the next migrate; one removed needs a migration that drops it.
 *   3. sql/roles.sql, every time (idempotent): the least-privilege roles and
 *      the grants on what the first two made.
 */
#ifndef CSDESK_MIGRATE_H
#define CSDESK_MIGRATE_H

#include <stdio.h>

struct db;

/*
 * Applies every migration in dir not yet recorded, each in its own
 * transaction together with its schema_migrations row, under an advisory
 * lock so two hosts migrating at once do not collide. Then, when not NULL,
 * every NNN_*.sql of functions_dir in name order in one transaction (under
 * the same lock), then roles_file. Prints one line per applied file to
 * report (when not NULL) and sets *applied (migrations only). Returns 0, or
 * -1 after logging which file failed and why (that file's changes are
 * rolled back, with the whole functions step when it was one of those;
 * earlier migrations stay).
 */
int migrate_run(struct db *db, const char *dir, const char *functions_dir,
    const char *roles_file, int *applied, FILE *report);

/*
 * Runs every NNN_*.sql in dir in order, each in its own transaction, every
 * time (the files must be safe to repeat: demo data). Sets *loaded.
 * Returns 0, or -1 after logging which file failed.
 */
int migrate_scripts(struct db *db, const char *dir, int *loaded, FILE *report);

#endif
