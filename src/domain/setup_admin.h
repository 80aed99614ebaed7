/*
 * setup_admin.h — the short lists routing and the ticket forms draw from:
 * queues (name, team, automatic assignment), categories (name, position),
 * product categories (name), resolution codes (code, label) and ticket
 * types (code, label, position: 046). Products
 * themselves, with their warranty terms, are product_catalogue.h. Each is kept
 * the same way — list, add, change, deactivate — so one set of functions
 * serves all four, driven by a table of statements per kind.
 *
 * A row travels as up to SETUP_FIELDS text values in the kind's column
 * order (setup_admin_columns) plus its active flag; the database checks
 * and casts them. Rows are never deleted (tickets point at them):
 * deactivating hides one from the forms and from routing.
 *
 * Every change runs in one transaction with its audit record. Functions
 * return an enum cs_result; CS_REFUSED comes with a sentence in *why.
 * Strings come back in the arena given.
 */
#ifndef CSDESK_SETUP_ADMIN_H
#define CSDESK_SETUP_ADMIN_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct audit_entry;
struct db;


enum setup_kind {
	SETUP_QUEUES,
	SETUP_CATEGORIES,
	SETUP_PRODUCT_CATEGORIES,
	SETUP_CODES,
	SETUP_TYPES,
	SETUP_KIND__MAX
};

/* Most values of one row (active apart). */
#define SETUP_FIELDS 6

/*
 * The value columns of each kind, in order, NULL after the last:
 * queues name, team_id ("" for none), auto_assign ("t"/"f"), required_skill_id
 * ("" for none), required_skill_level (1..5), calendar_id ("" for none);
 * categories name, position, parent_id ("" for none); product categories
 * name; codes code, label;
 * ticket types code, label, position.
 */
extern const char *const setup_admin_columns[SETUP_KIND__MAX][SETUP_FIELDS + 1];

/* Limits, in characters, as the tables' CHECKs have them. */
#define SETUP_NAME_MAX 100		/* queue and category names, code labels */
#define SETUP_CODE_MAX 40
#define SETUP_POSITION_MAX 10000

/* The longest value of each column (0: not text), in setup_admin_columns order. */
extern const int setup_admin_max[SETUP_KIND__MAX][SETUP_FIELDS];

struct setup_row {
	long long id;
	const char *v[SETUP_FIELDS];	/* "" for NULL */
	int active;
};

/* Every row of kind, active ones first. *rows is an arena array of *n. CS_OK or the failure. */
enum cs_result setup_admin_list(struct db *db, struct arena *a, enum setup_kind kind,
    struct setup_row **rows, size_t *n);

/*
 * Adds an active row and sets *id. CS_OK, CS_TAKEN (the name, code or SKU
 * is in use), CS_REFUSED (the team vanished, or a value the table's checks
 * refuse) or the failure.
 */
enum cs_result setup_admin_add(struct db *db, const struct audit_entry *by, enum setup_kind kind,
    const char *const v[SETUP_FIELDS], long long *id, const char **why);

/* Changes row id. CS_OK, CS_NOT_FOUND, CS_TAKEN, CS_REFUSED or the failure. */
enum cs_result setup_admin_update(struct db *db, const struct audit_entry *by,
    enum setup_kind kind, long long id, const char *const v[SETUP_FIELDS], int active,
    const char **why);

#endif
