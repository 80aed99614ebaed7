/* throttle.c — see throttle.h. */
#include "auth/throttle.h"
#include "core/config.h"
#include "db/db.h"

#include <stdio.h>

/*
 * One statement for both counts, each an index range scan on
 * login_attempts (area, who, at) or (area, ip, at). The wait is computed
 * in SQL so that every host applies the same clock.
 */
static struct db_stmt st_wait = DB_STMT("throttle_wait",
    "WITH acc AS ("
    "  SELECT count(*) AS n, max(at) AS last FROM login_attempts"
    "  WHERE area = $1 AND who = lower($2) AND NOT success AND at > now() - interval '15 minutes'"
    "   AND at > coalesce((SELECT max(at) FROM login_attempts"
    "    WHERE area = $1 AND who = lower($2) AND success), '-infinity')),"
    " addr AS ("
    "  SELECT count(*) AS n, max(at) AS last FROM login_attempts"
    "  WHERE area = $1 AND ip = $3::inet AND NOT success AND at > now() - interval '15 minutes')"
    " SELECT greatest("
    "  CASE WHEN acc.n >= $4 THEN extract(epoch FROM acc.last + least("
    "   interval '30 seconds' * power(2, acc.n - $4), interval '15 minutes') - now()) END,"
    "  CASE WHEN addr.n >= $5 THEN extract(epoch FROM addr.last + least("
    "   interval '30 seconds' * power(2, addr.n - $5), interval '15 minutes') - now()) END,"
    "  0)::integer"
    " FROM acc, addr", 5);
static struct db_stmt st_record = DB_STMT("throttle_record",
    "INSERT INTO login_attempts (area, who, ip, success) VALUES ($1, lower($2), $3::inet, $4)", 4);

int
throttle_wait(struct db *db, const char *area, const char *who, const char *ip)
{
	char acc[8], addr[8];
	const char *p[] = { area, who, ip, acc, addr };
	PGresult *r;
	long long wait = 0;

	snprintf(acc, sizeof(acc), "%d", THROTTLE_ACCOUNT_FREE);
	snprintf(addr, sizeof(addr), "%d", THROTTLE_ADDRESS_FREE);
	r = db_exec(db, &st_wait, p);
	if (r == NULL)
		return -1;
	if (PQntuples(r) == 1)
		config_parse_long(PQgetvalue(r, 0, 0), 0, 3600, &wait);
	PQclear(r);
	return (int)wait;
}

int
throttle_record(struct db *db, const char *area, const char *who, const char *ip, int success)
{
	const char *p[] = { area, who, ip, success ? "t" : "f" };

	return db_run(db, &st_record, p);
}
