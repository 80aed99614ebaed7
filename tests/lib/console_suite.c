/* console_suite.c — see console_suite.h. */
#include "console_suite.h"
#include "harness.h"
#include "core/arena.h"
#include "db/db.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

/* A test's page needs a few KB; the arena grows past it when one needs more. */
#define TEST_ARENA 4096

void
console_suite_create(const char *name, const char *fixture, char **conninfo, char **as_console)
{
	*conninfo = th_db_create_fixture(name, fixture);
	*as_console = th_db_as(*conninfo, "csdesk_console");
}

void
console_suite_drop(char *conninfo, char *as_console)
{
	th_db_drop(conninfo);
	free(as_console);
	free(conninfo);
}

void
console_suite_open(const char *name, const char *conninfo, const char *as_console,
    struct db *owner, struct db *console, struct arena **arena)
{
	char app[64];

	snprintf(app, sizeof(app), "t-%s-owner", name);
	ck_assert_int_eq(db_open(owner, conninfo, app), 0);
	snprintf(app, sizeof(app), "t-%s-console", name);
	ck_assert_int_eq(db_open(console, as_console, app), 0);
	*arena = arena_new(TEST_ARENA);
	ck_assert_ptr_nonnull(*arena);
}

void
console_suite_close(struct db *owner, struct db *console, struct arena *arena)
{
	arena_free(arena);
	db_close(console);
	db_close(owner);
}
