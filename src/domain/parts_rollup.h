/*
 * parts_rollup.h — the daily rollup the field and parts reports read
 * (parts usage per day and customer or technician, technicians' visits
 * per day; migration 055, functions in sql/functions/340_parts_rollup.sql).
 * The batch's step "field-rollup" rolls up the days due; a day whose facts
 * change after it was rolled up is marked dirty by triggers and read from
 * the facts until it is rolled up again. See docs/parts.md.
 */
#ifndef CSDESK_DOMAIN_PARTS_ROLLUP_H
#define CSDESK_DOMAIN_PARTS_ROLLUP_H

#include "core/result.h"

struct db;

/*
 * Days rolled up per run: the history before the rollup existed fills in
 * this many days a run, newest first (30 to 60 ms a day at 2 million
 * usages and 500,000 visits), so a first run does not hold up the batch.
 */
#define PARTS_ROLLUP_STEP 60

/*
 * Rolls up at most limit days due (dirty ones first, then the never rolled
 * up, up to the day before yesterday), in one transaction. *days: days
 * rolled up; *rows: rollup rows written.
 */
enum cs_result parts_rollup_run(struct db *db, int limit, long *days, long *rows);

/*
 * Marks days from to to ("YYYY-MM-DD") to be rolled up again (a replay,
 * after a definition changed or facts were loaded around the triggers);
 * the next runs roll them up, and meanwhile the reports read their facts.
 * *days: days marked. CS_REFUSED with *why for a bad range.
 */
enum cs_result parts_rollup_replay(struct db *db, const char *from, const char *to,
    long *days, const char **why);

#endif
