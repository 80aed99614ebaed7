/*
 * assign_candidates.c — GET /agent/tickets/{number}/agents: who could take
 * the ticket (assign_candidates.h), each with open load and capacity,
 * shift and whether on shift or on call now, level, skills, and a button
 * that gives them the ticket through the assignment form's own route.
 */
#include "console/handlers.h"
#include "console/ticket_page.h"
#include "core/arena.h"
#include "domain/assign_candidates.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"
#include "web/result.h"

int
console_ticket_agents(struct app *app, struct req *r, struct resp *w)
{
	struct assign_candidate *c;
	struct tval *ctx, *list;
	struct arena *a = r->arena;
	struct ticket t;
	enum cs_result res;
	size_t n, i;
	int rc;

	if ((rc = console_ticket_load(app, r, &t)) != 0)
		return rc;
	if ((ctx = app_page(app, r, arena_printf(a, "Who can take %s", t.number))) == NULL ||
	    (list = tval_list(a)) == NULL)
		return 500;
	if ((res = assign_candidates(&app->db, a, t.id, &c, &n)) != CS_OK)
		return web_result_status(res);
	rc = 0;
	for (i = 0; i < n && !rc; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_int(a, m, "id", c[i].id);
		rc |= tval_set_str(a, m, "name", c[i].name);
		rc |= tval_set_str(a, m, "team", c[i].team);
		rc |= tval_set_str(a, m, "level", c[i].level);
		rc |= tval_set_str(a, m, "load", arena_printf(a, "%lld / %lld", c[i].open,
		    c[i].capacity));
		rc |= tval_set_bool(a, m, "full", c[i].open >= c[i].capacity);
		rc |= tval_set_bool(a, m, "on_shift", c[i].on_shift);
		rc |= tval_set_bool(a, m, "on_call", c[i].on_call);
		rc |= tval_set_bool(a, m, "has_skill", c[i].has_skill);
		rc |= tval_set_bool(a, m, "speaks", c[i].speaks);
		rc |= tval_set_bool(a, m, "same_team", c[i].same_team);
		rc |= tval_set_bool(a, m, "current", c[i].id == t.assignee_id);
		rc |= tval_set_str(a, m, "shift", c[i].shift);
		rc |= tval_set_str(a, m, "skills", c[i].skills);
		rc |= tval_push(a, list, m);
	}
	if (rc || tval_set(a, ctx, "agents", list) || tval_set_str(a, ctx, "number", t.number) ||
	    tval_set_str(a, ctx, "subject", t.subject) ||
	    tval_set_str(a, ctx, "queue", t.queue != NULL ? t.queue : ""))
		return 500;
	return app_render(app, r, w, "console/ticket_agents", ctx);
}
