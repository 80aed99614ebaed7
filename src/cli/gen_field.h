/*
 * gen_field.h — technicians and appointments for benchmarks (`csdesk gen
 * --technicians T [--appointments A]`).
 */
#ifndef CSDESK_CLI_GEN_FIELD_H
#define CSDESK_CLI_GEN_FIELD_H

struct db;

#define GEN_TECHNICIANS_MAX 10000LL
#define GEN_APPOINTMENTS_MAX 20000000LL

/*
 * Adds technicians (staff who sign in as tech<run>-<n>@gen.csdesk.test
 * with password_hash's password, working every day 07:00–19:00 UTC, each
 * with a territory and skills), then appointments on the database's
 * tickets: four a day per technician from about a year ago onwards (the
 * past completed, a twenty-fifth cancelled, one in two hundred without a
 * technician), never overlapping (the exclusion constraint holds). Set-based,
 * in batches, each its own transaction; progress on stderr, timing on
 * stdout. 0 or -1 (said on stderr).
 */
int gen_field(struct db *db, long long technicians, long long appointments,
    const char *password_hash);

#endif
