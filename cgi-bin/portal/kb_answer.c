/*
 * kb_answer.c — the "this solved it" link of a low-priority automatic
 * answer (kb_auto_answer.h): GET /tickets/solved/{token} asks to confirm
 * (a link a mail scanner follows changes nothing), POST resolves the
 * ticket once and says so. The link is the proof: no sign-in is needed.
 * A link that is no link is 404.
 */
#include "portal/handlers.h"
#include "core/arena.h"
#include "domain/kb_auto_answer.h"
#include "tmpl/tval.h"
#include "web/result.h"

static int
answer_page(struct app *app, struct req *r, struct resp *w, const char *token,
    const char *state, const char *number)
{
	struct tval *ctx = app_page(app, r, "Did an article solve it?");

	if (ctx == NULL || tval_set_str(r->arena, ctx, "token", token) ||
	    tval_set_bool(r->arena, ctx, state, 1) || tval_set_str(r->arena, ctx, "number", number))
		return 500;
	return app_render(app, r, w, "portal/kb_answer", ctx);
}

int
portal_kb_answer_form(struct app *app, struct req *r, struct resp *w)
{
	const char *token = req_param(r, "token");

	if (token == NULL || !kb_auto_answer_token_ok(token))
		return 404;
	return answer_page(app, r, w, token, "ask", "");
}

int
portal_kb_answer_solved(struct app *app, struct req *r, struct resp *w)
{
	static const char *const states[] = { [KB_ANSWER_SOLVED] = "solved",
		[KB_ANSWER_ALREADY] = "already", [KB_ANSWER_CLOSED] = "closed" };
	const char *token = req_param(r, "token"), *number;
	enum kb_auto_answer_outcome outcome;
	enum cs_result rc;

	rc = kb_auto_answer_solve(&app->db, r->arena, token, &outcome, &number);
	if (rc != CS_OK)
		return web_result_status(rc);
	return answer_page(app, r, w, token, states[outcome], number);
}
