/* result.c — see result.h. */
#include "core/result.h"

static const char *const names[] = {
	[CS_OK] = "ok",
	[CS_NOT_FOUND] = "not_found",
	[CS_REFUSED] = "refused",
	[CS_CONFLICT] = "conflict",
	[CS_TAKEN] = "taken",
	[CS_DB_LOST] = "db_lost",
	[CS_FAILED] = "failed",
	[CS_LIMITED] = "limited",
};
_Static_assert(sizeof(names) / sizeof(names[0]) == CS_RESULT__MAX, "a name per result");

const char *
cs_result_str(enum cs_result r)
{
	if ((unsigned)r >= CS_RESULT__MAX)
		return "invalid";
	return names[r];
}
