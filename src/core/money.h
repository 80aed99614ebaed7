/*
 * money.h — the one rule for an amount typed into a form: prices, costs,
 * rates and thresholds ("150", "12.50", "0.5"). Amounts travel as text to
 * PostgreSQL's numeric, so no float ever rounds a price.
 */
#ifndef CSDESK_CORE_MONEY_H
#define CSDESK_CORE_MONEY_H

/*
 * 1 when s is whole digits, optionally a dot and one or two decimals, and
 * at most max; 0 for anything else (empty, a sign, a comma, spaces, "1.",
 * ".5", three decimals, more than nine whole digits).
 */
int money_ok(const char *s, double max);

#endif
