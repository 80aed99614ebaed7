/* home.c — GET /agent/: the console dashboard. */
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/system.h"
#include "tmpl/tval.h"

static int
add_row(struct arena *a, struct tval *list, const char *label, const char *value)
{
	struct tval *row = tval_map(a);

	if (row == NULL)
		return -1;
	return tval_set_str(a, row, "label", label) | tval_set_str(a, row, "value", value) |
	    tval_push(a, list, row);
}

int
console_home(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Dashboard"), *sys;
	struct system_status st;
	struct arena *a = r->arena;
	int rc = 0;

	if (ctx == NULL || (sys = tval_list(a)) == NULL)
		return 500;
	if (system_status_read(&app->db, a, &st) < 0)
		return db_lost(&app->db) ? 503 : 500;
	rc |= add_row(a, sys, "Database", st.db_version);
	rc |= add_row(a, sys, "Database name", st.db_name);
	rc |= add_row(a, sys, "Migrations applied", arena_printf(a, "%lld", st.migrations));
	rc |= add_row(a, sys, "Latest migration", st.last_migration);
	rc |= add_row(a, sys, "Workers in this pool", arena_printf(a, "%d", app->cfg.workers));
	rc |= tval_set(a, ctx, "system", sys);
	if (rc)
		return 500;
	return app_render(app, r, w, "console/home", ctx);
}
