/*
 * migrate.h — applies sql/migrations/NNN_name.sql in order, each exactly
 * once, recorded in schema_migrations; then sql/roles.sql (idempotent: it
 * creates the least-privilege roles and grants on what the migrations made).
 */
#ifndef CSDESK_MIGRATE_H
#define CSDESK_MIGRATE_H

#include <stdio.h>

struct db;

/*
 * Applies every migration in dir not yet recorded, each in its own
 * transaction together with its schema_migrations row, under an advisory
 * lock so two hosts migrating at once do not collide. Then runs roles_file
 * when it is not NULL. Prints one line per applied file to report (when
 * not NULL) and sets *applied. Returns 0, or -1 after logging which file failed and why (that
 * file's changes are rolled back; earlier ones stay).
 */
int migrate_run(struct db *db, const char *dir, const char *roles_file, int *applied,
    FILE *report);

/*
 * Runs every NNN_*.sql in dir in order, each in its own transaction, every
 * time (the files must be safe to repeat: demo data). Sets *loaded.
 * Returns 0, or -1 after logging which file failed.
 */
int migrate_scripts(struct db *db, const char *dir, int *loaded, FILE *report);

#endif
