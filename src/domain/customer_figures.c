/* customer_figures.c — see customer_figures.h. */
#include "domain/customer_figures.h"
#include "db/db.h"

#define STR(x) #x
#define XSTR(x) STR(x)

#define ROLL_COLS(X) \
	X(RO, folded, "customer_figures_roll_up(" XSTR(CUSTOMER_FIGURES_FOLD_MAX) ")")
enum { DB_COL_ENUM(ROLL_COLS) };

enum stmt { STMT_ROLL_UP, STMT__MAX };

static struct db_stmt stmts[] = {
	[STMT_ROLL_UP] = DB_STMT("customer_figures_roll_up", "SELECT " DB_COLS(ROLL_COLS), 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

enum cs_result
customer_figures_roll_up(struct db *db, long long *folded)
{
	return db_number(db, &stmts[STMT_ROLL_UP], NULL, RO_folded, folded);
}
