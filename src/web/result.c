/* result.c — see result.h. */
#include "web/result.h"

static const int statuses[] = {
	[CS_OK] = 200,
	[CS_NOT_FOUND] = 404,
	[CS_REFUSED] = 422,
	[CS_CONFLICT] = 409,
	[CS_TAKEN] = 409,
	[CS_DB_LOST] = 503,
	[CS_FAILED] = 500,
	[CS_LIMITED] = 429,
};
_Static_assert(sizeof(statuses) / sizeof(statuses[0]) == CS_RESULT__MAX,
    "a status per result");

int
web_result_status(enum cs_result r)
{
	if ((unsigned)r >= CS_RESULT__MAX)
		return 500;
	return statuses[r];
}
