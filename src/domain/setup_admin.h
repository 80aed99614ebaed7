/*
 * setup_admin.h — the short lists routing and the ticket forms draw from:
 * queues (name, team, automatic assignment), categories (name, position),
 * products (SKU, name) and resolution codes (code, label). Each is kept
 * the same way — list, add, change, deactivate — so one set of functions
 * serves all four, driven by a table of statements per kind.
 *
 * A row travels as up to SETUP_FIELDS text values in the kind's column
 * order (setup_admin_columns) plus its active flag; the database checks
 * and casts them. Rows are never deleted (tickets point at them):
 * deactivating hides one from the forms and from routing.
 *
 * Every change runs in one transaction with its audit record. Functions
 * return 0 (or a new id), a negative SETUP_* code, or -1 on a database
 * error (logged). Strings come back in the arena given.
 */
#ifndef CSDESK_SETUP_ADMIN_H
#define CSDESK_SETUP_ADMIN_H

#include <stddef.h>

struct arena;
struct audit_entry;
struct db;

#define SETUP_NOT_FOUND (-2)	/* no such row */
#define SETUP_TAKEN (-3)	/* the name (code, SKU) is in use */
#define SETUP_BAD_REF (-4)	/* the team does not exist */
#define SETUP_BAD_VALUE (-5)	/* a value the table's checks refuse */

enum setup_kind {
	SETUP_QUEUES,
	SETUP_CATEGORIES,
	SETUP_PRODUCTS,
	SETUP_CODES,
	SETUP_KIND__MAX
};

/* Most values of one row (active apart). */
#define SETUP_FIELDS 3

/*
 * The value columns of each kind, in order, NULL after the last:
 * queues name, team_id ("" for none), auto_assign ("t"/"f");
 * categories name, position; products sku, name; codes code, label.
 */
extern const char *const setup_admin_columns[SETUP_KIND__MAX][SETUP_FIELDS + 1];

struct setup_row {
	long long id;
	const char *v[SETUP_FIELDS];	/* "" for NULL */
	int active;
};

/* Every row of kind, active ones first. *rows is an arena array of *n. 0 or -1. */
int setup_admin_list(struct db *db, struct arena *a, enum setup_kind kind,
    struct setup_row **rows, size_t *n);

/* Adds an active row. Returns its id, SETUP_TAKEN, SETUP_BAD_REF, SETUP_BAD_VALUE or -1. */
long long setup_admin_add(struct db *db, const struct audit_entry *by, enum setup_kind kind,
    const char *const v[SETUP_FIELDS]);

/*
 * Changes row id. Returns 0, SETUP_NOT_FOUND, SETUP_TAKEN, SETUP_BAD_REF,
 * SETUP_BAD_VALUE or -1.
 */
int setup_admin_update(struct db *db, const struct audit_entry *by, enum setup_kind kind,
    long long id, const char *const v[SETUP_FIELDS], int active);

#endif
