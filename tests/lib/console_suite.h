/*
 * console_suite.h — the frame of a db suite that acts as the console
 * does: one database per suite, migrated and given the suite's fixture,
 * and for every test a connection as the owner (to arrange and to check),
 * one as csdesk_console (to act, under the console's grants) and an arena.
 * Each test runs in its own process, so the connections are per test.
 */
#ifndef CSDESK_TEST_CONSOLE_SUITE_H
#define CSDESK_TEST_CONSOLE_SUITE_H

struct arena;
struct db;

/* The database "name" with fixture (SQL) run as the owner: *conninfo as the
 * owner and *as_console as csdesk_console, both malloc'd. Asserts. */
void console_suite_create(const char *name, const char *fixture, char **conninfo,
    char **as_console);

/* Drops the database and frees both strings. */
void console_suite_drop(char *conninfo, char *as_console);

/* A test's connections (application name "t-<name>-owner" and "…-console") and arena. */
void console_suite_open(const char *name, const char *conninfo, const char *as_console,
    struct db *owner, struct db *console, struct arena **arena);

/* Closes what console_suite_open opened. */
void console_suite_close(struct db *owner, struct db *console, struct arena *arena);

#endif
