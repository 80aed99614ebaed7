/*
 * sql.h — test-only SQL on a connection the test owns: fixed test text
 * (set-up, checks over the whole table), never a value from outside the
 * test. Values a test got from the program still travel as parameters
 * through db_exec; these are for the rest.
 */
#ifndef CSDESK_TEST_SQL_H
#define CSDESK_TEST_SQL_H

struct arena;
struct db;

/*
 * Runs sql (one or more statements) on db and returns column 0 of row 0
 * of the last result, malloc'd ("" when it has no rows). A failure fails
 * the test with the SQL and the server's message.
 */
char *th_value(struct db *db, const char *sql);

/* th_value on printf-formatted text (numbers and names the test made). */
char *th_valuef(struct db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* th_valuef's value as a copy in a (gone with the test's arena; nothing to free). */
const char *th_arena_valuef(struct db *db, struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Fails the test unless th_valuef(db, fmt, …) is want, naming both. A macro,
 * so that a failure names the test's line. Needs <check.h> and <string.h>.
 */
#define TH_EXPECT_VALUE(db, want, ...) do { \
	char *got_ = th_valuef((db), __VA_ARGS__); \
	ck_assert_msg(strcmp(got_, (want)) == 0, "got '%s', want '%s'", got_, (want)); \
	free(got_); \
} while (0)

#endif
