/* metric_defs.c — see metric_defs.h. */
#include "domain/metric_defs.h"

#include <stdlib.h>
#include <string.h>

#define METRIC_DEF_(id_, label_, unit_, good_, sql_, def_) \
	[METRIC_##id_] = { #id_, label_, unit_, good_, sql_, def_ },
static const struct metric_def defs[] = {
	METRIC_LIST(METRIC_DEF_)
};
#undef METRIC_DEF_
_Static_assert(sizeof(defs) / sizeof(defs[0]) == METRIC__MAX, "one definition per metric");

static const char *const suffixes[MU__MAX] = {
	[MU_COUNT] = "", [MU_PERCENT] = "%", [MU_MINUTES] = "min", [MU_SCORE] = "",
	[MU_MONEY] = "",
};

const struct metric_def *
metric_def(enum metric_id m)
{
	return m < METRIC__MAX ? &defs[m] : NULL;
}

enum metric_id
metric_parse(const char *id)
{
	int m;

	for (m = 0; id != NULL && m < METRIC__MAX; m++)
		if (strcmp(id, defs[m].id) == 0)
			return (enum metric_id)m;
	return METRIC__MAX;
}

const char *
metric_unit_suffix(enum metric_unit u)
{
	return u < MU__MAX ? suffixes[u] : "";
}

const char *
metric_standing(enum metric_good good, const char *value, double target, double alert)
{
	char *end;
	double v;

	if (value == NULL || *value == '\0')
		return "none";
	v = strtod(value, &end);
	if (*end != '\0')
		return "none";
	if (good == MG_LOWER) {
		v = -v;
		target = -target;
		alert = -alert;
	}
	if (v >= target)
		return "good";
	return v < alert ? "alert" : "watch";
}
