/* throttle.c — see throttle.h. */
#include "auth/throttle.h"
#include "core/config.h"
#include "db/db.h"

#include <stdio.h>

/*
 * The wait after n failures, the last at `last`, for threshold t: none
 * below t, else last + 30 s × 2^(n − t) (the exponent capped so the
 * interval cannot overflow), at most 15 minutes, minus now.
 */
#define WAIT(n, last, t) \
	"CASE WHEN " n " >= " t " THEN extract(epoch FROM " last " + least(interval '30 seconds'" \
	" * power(2, least(" n " - " t ", 20)), interval '15 minutes') - now()) END"

/*
 * One statement for every count, each an index range scan on
 * login_attempts: (area, who, ip, at), (area, ip, at), (area, who, at) and
 * (area, device, at). With a device ($4 not NULL) only the device's own
 * failures count; without one, attempts from known devices are left out
 * of the others' counts, and the owner's success on a known device does
 * not forgive an unknown client at the same address. The wait is computed
 * in SQL so that every host applies the same clock.
 */
static struct db_stmt st_wait = DB_STMT("throttle_wait",
    "WITH pair AS ("
    "  SELECT count(*) AS n, max(at) AS last FROM login_attempts"
    "  WHERE $4::text IS NULL AND area = $1 AND who = lower($2) AND ip = $3::inet"
    "   AND device IS NULL AND NOT success AND at > now() - interval '15 minutes'"
    "   AND at > coalesce((SELECT max(at) FROM login_attempts WHERE area = $1"
    "    AND who = lower($2) AND ip = $3::inet AND device IS NULL AND success),"
    "    '-infinity')),"
    " addr AS ("
    "  SELECT count(*) AS n, max(at) AS last FROM login_attempts"
    "  WHERE $4::text IS NULL AND area = $1 AND ip = $3::inet AND device IS NULL"
    "   AND NOT success AND at > now() - interval '15 minutes'),"
    " acc AS ("
    "  SELECT count(*) AS n, max(at) AS last FROM login_attempts"
    "  WHERE $4::text IS NULL AND area = $1 AND who = lower($2) AND device IS NULL"
    "   AND NOT success AND at > now() - interval '15 minutes'),"
    " dev AS ("
    "  SELECT count(*) AS n, max(at) AS last FROM login_attempts"
    "  WHERE area = $1 AND device = $4 AND NOT success AND at > now() - interval '15 minutes'"
    "   AND at > coalesce((SELECT max(at) FROM login_attempts WHERE area = $1"
    "    AND device = $4 AND success), '-infinity'))"
    " SELECT ceil(greatest(" WAIT("pair.n", "pair.last", "$5::integer") ","
    "  " WAIT("addr.n", "addr.last", "$6::integer") ","
    "  " WAIT("acc.n", "acc.last", "$7::integer") ","
    "  " WAIT("dev.n", "dev.last", "$8::integer") ", 0))::integer"
    " FROM pair, addr, acc, dev", 8);
static struct db_stmt st_record = DB_STMT("throttle_record",
    "INSERT INTO login_attempts (area, who, ip, device, success)"
    " VALUES ($1, lower($2), $3::inet, $4, $5)", 5);

int
throttle_wait(struct db *db, const struct throttle_key *k)
{
	char pair[8], addr[8], acc[8], dev[8];
	const char *p[] = { k->area, k->who, k->ip, k->device, pair, addr, acc, dev };
	PGresult *r;
	long long wait = 0;

	snprintf(pair, sizeof(pair), "%d", THROTTLE_PAIR_FREE);
	snprintf(addr, sizeof(addr), "%d", THROTTLE_ADDRESS_FREE);
	snprintf(acc, sizeof(acc), "%d", THROTTLE_ACCOUNT_FREE);
	snprintf(dev, sizeof(dev), "%d", THROTTLE_DEVICE_FREE);
	r = db_exec(db, &st_wait, p);
	if (r == NULL)
		return -1;
	if (PQntuples(r) == 1)
		config_parse_long(PQgetvalue(r, 0, 0), 0, 3600, &wait);
	PQclear(r);
	return (int)wait;
}

int
throttle_record(struct db *db, const struct throttle_key *k, int success)
{
	const char *p[] = { k->area, k->who, k->ip, k->device, success ? "t" : "f" };

	return db_run(db, &st_record, p);
}
