/*
 * returns_fx.h — what the returns suites (check_returns.c,
 * check_returns_data.c) share: a database of their own with two customers
 * (Ann of Alpha, Eve of Beta), a supervisor (Sue), an agent (Alex) and a
 * warehouse man (Will); a kettle in a category with a 30-day window and a
 * router under the default 60; a 15 % fee for "not needed", 25 fixed for a
 * wrong item, auto-approval up to 15; and the steps a test takes, each
 * asserting that it went.
 */
#ifndef CSDESK_TEST_RETURNS_FX_H
#define CSDESK_TEST_RETURNS_FX_H

#include <stddef.h>

#include "db/db.h"
#include "domain/returns.h"

struct arena;

extern char *rt_conninfo, *rt_as_portal;
extern struct db rt_owner;
extern struct arena *rt_arena;
extern long long rt_kettle, rt_router;
extern struct return_actor rt_ann, rt_eve, rt_sue, rt_alex, rt_will;
/* Delivery dates: 10 and 40 days ago, YYYY-MM-DD (UTC). */
extern char rt_recent[16], rt_long_ago[16];

/* The suite's database, named name, with the fixture; and its end. */
void rt_suite_setup(const char *name);
void rt_suite_teardown(void);
/* Per test: the owner's connection, an arena, the ids. */
void rt_setup(void);
void rt_teardown(void);

/* The first column of the first row of printf-made SQL, as a number. */
long long rt_value_ll(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A line of product: qty units of order, delivered, at price, for reason (a return). */
struct return_line_input rt_line(long long product, int qty, const char *order,
    const char *delivered, const char *price, const char *reason);
/* Asks for lines as Ann; the RMA number (in rt_arena). */
const char *rt_ask(const struct return_line_input *lines, size_t n);
void rt_step(const struct return_actor *by, const char *number, enum return_step s);
/* Will receives n units of the first line. */
void rt_receive(const char *number, int n);
struct return_sheet rt_sheet(const char *number);
/*
 * Every unit of number given v[i]: which 0 the condition, 1 the
 * disposition, 2 the outcome.
 */
struct return_unit_input *rt_units(const char *number, int which, const char *const *v);
/* Approved (Sue), authorised (Alex), n units received (Will). */
void rt_to_received(const char *number, int n);

#endif
