/* money.c — see money.h. */
#include "core/money.h"

#include <stdlib.h>
#include <string.h>

/* Nine whole digits: far beyond any max we pass, and within a double's exact range. */
#define MONEY_WHOLE_MAX 9

int
money_ok(const char *s, double max)
{
	size_t whole, frac;

	if (s == NULL)
		return 0;
	whole = strspn(s, "0123456789");
	if (whole == 0 || whole > MONEY_WHOLE_MAX)
		return 0;
	if (s[whole] == '.') {
		frac = strspn(s + whole + 1, "0123456789");
		if (frac == 0 || frac > 2 || s[whole + 1 + frac] != '\0')
			return 0;
	} else if (s[whole] != '\0') {
		return 0;
	}
	return strtod(s, NULL) <= max;
}
