/* health.c — GET /healthz for load balancers and monitoring; see app.h. */
#include "web/app.h"

static struct db_stmt st_ping = DB_STMT("health_ping", "SELECT 1", 0);

int
app_healthz(struct app *app, struct req *r, struct resp *w)
{
	PGresult *res;

	(void)r;
	w->content_type = "text/plain; charset=utf-8";
	resp_header(w, "Cache-Control", "no-store");
	res = db_ensure(&app->db) == 0 ? db_exec(&app->db, &st_ping, NULL) : NULL;
	if (res == NULL) {
		w->status = 503;
		buf_addstr(&w->body, "database unreachable\n");
		/* Reconnect on the next request instead of reusing a dead link. */
		app->db.lost = 1;
		return 0;
	}
	PQclear(res);
	buf_addstr(&w->body, "ok\n");
	return 0;
}
