/*
 * kb_ticket.c — the knowledge base at work on a ticket: the panel of
 * articles on the ticket page (console_kb_ticket_panel), POST
 * /agent/tickets/{number}/kb-link (an article sent in the ticket) and
 * POST /agent/tickets/{number}/kb-draft (a resolved ticket made into a
 * draft article).
 *
 * The panel shows published articles, internal ones too: those stored for
 * the ticket's subject (kb_suggest.h), or found by what the agent typed
 * (?kbq=). "Use in reply"
 * puts the article's link into the reply box (static/js/kb-panel.js) and
 * records the link; without the script, the page comes back with the
 * link to paste.
 */
#include "console/handlers.h"
#include "core/arena.h"
#include "core/buf.h"
#include "domain/kb_author.h"
#include "domain/kb_query.h"
#include "domain/kb_search.h"
#include "domain/kb_suggest.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define KB_PANEL_ROWS KB_SUGGEST_MAX

int
console_kb_ticket_panel(struct app *app, struct req *r, struct tval *ctx,
    const struct ticket *t, const struct kb_results *stored)
{
	struct arena *a = r->arena;
	const char *typed = req_query(r, "kbq");
	struct kb_search s = { 0 };
	struct kb_results res;
	struct tval *panel = tval_map(a), *list = tval_list(a);
	size_t i;

	if (panel == NULL || list == NULL)
		return -1;
	/* The subject's suggestions are stored for the ticket (kb_suggest.h);
	 * what an agent types is a search like the portal's. */
	if ((typed == NULL || typed[0] == '\0') && stored != NULL) {
		res = *stored;
	} else if (typed == NULL || typed[0] == '\0') {
		if (kb_ticket_suggestions(&app->db, a, t->id, KB_PANEL_ROWS, &res) !=
		    CS_OK)
			return -2;
	} else {
		if ((s.q = kb_query_normalise(a, typed)) == NULL)
			return -1;
		s.aud = KB_STAFF;
		s.limit = KB_PANEL_ROWS;
		if (kb_search_run(&app->db, a, &s, &res) != CS_OK)
			return -2;
	}
	for (i = 0; i < res.n; i++) {
		struct tval *m = tval_map(a);

		tval_set_int(a, m, "id", res.rows[i].id);
		tval_set_str(a, m, "title", res.rows[i].title);
		tval_set_str(a, m, "summary", res.rows[i].summary);
		tval_set_str(a, m, "url", app_url(app, r, arena_printf(a, "/kb/a/%s",
		    res.rows[i].slug)));
		tval_push(a, list, m);
	}
	tval_set_str(a, panel, "q", typed);
	tval_set_str(a, panel, "number", t->number);
	tval_set(a, panel, "articles", list);
	tval_set_bool(a, panel, "has_articles", res.n > 0);
	tval_set_bool(a, panel, "resolved", t->status == TS_RESOLVED || t->status == TS_CLOSED);
	return tval_set(a, ctx, "kb_panel", panel) ? -1 : 0;
}

/* The ticket's number from the path, upper-cased; NULL when malformed. */
static const char *
number_of(struct req *r)
{
	const char *v = req_param(r, "number");
	char *up;
	size_t i;

	if (v == NULL || strlen(v) < 5 || strlen(v) > 16 || (up = arena_strdup(r->arena, v)) == NULL)
		return NULL;
	for (i = 0; up[i]; i++)
		up[i] = (char)toupper((unsigned char)up[i]);
	if (strncmp(up, "TKT-", 4) != 0)
		return NULL;
	for (i = 4; up[i]; i++)
		if (!isdigit((unsigned char)up[i]))
			return NULL;
	return up;
}

enum link_field { LF_ARTICLE, LF_JS, LF__MAX };
static const struct field_rule link_rules[] = {
	[LF_ARTICLE] = { "article", "Article", FIELD_INT, 1, 1, 1LL << 62, NULL },
	[LF_JS] = { "js", "Script", FIELD_TEXT, 0, 0, 0, NULL },
};
_Static_assert(sizeof(link_rules) / sizeof(link_rules[0]) == LF__MAX, "a rule per field");

int
console_kb_ticket_link(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by = { TA_STAFF, r->who.id, 0, 0, 0 };
	const char *number = number_of(r), *vals[LF__MAX];
	long long nums[LF__MAX];
	struct field_form form;
	struct kb_article art;
	struct ticket t;
	enum cs_result rc;
	int got;

	if (number == NULL)
		return 404;
	if (fields_init(&form, r->arena) < 0)
		return 500;
	if (fields_check(&form, r, link_rules, LF__MAX, vals, nums) > 0)
		return 400;
	got = ticket_get(&app->db, r->arena, &by, number, &t);
	if (got == CS_NOT_FOUND)
		return 404;
	if (got != CS_OK)
		return web_db_error(app);
	if ((rc = kb_article_get(&app->db, r->arena, nums[LF_ARTICLE], &art)) != CS_OK)
		return web_result_status(rc);
	if (strcmp(art.status, "published") != 0)
		return 404;
	if ((rc = kb_link_ticket(&app->db, r->who.id, art.id, t.id, NULL)) != CS_OK)
		return web_result_status(rc);
	/* The script asked: it has put the link in the reply box already. */
	if (req_field(r, "js") != NULL) {
		w->status = 204;
		return 0;
	}
	app_flash(app, r, w, 0, arena_printf(r->arena, "Linked. Paste into your reply: [%s](%s)",
	    art.title, app_url(app, r, arena_printf(r->arena, "/kb/a/%s", art.slug))));
	resp_redirect(w, arena_printf(r->arena, "/agent/tickets/%s#kb-panel", t.number));
	return 0;
}

int
console_kb_ticket_draft(struct app *app, struct req *r, struct resp *w)
{
	const char *number = number_of(r), *why = NULL;
	long long id;
	enum cs_result rc;

	/* Takes no fields: the ticket is in the path. */
	if (number == NULL)
		return 404;
	rc = kb_draft_from_ticket(&app->db, r->arena, r->who.id, number, &id, &why);
	if (rc == CS_DB_LOST || rc == CS_FAILED)
		return web_result_status(rc);
	if (rc != CS_OK) {
		app_flash(app, r, w, 1, why);
		resp_redirect(w, arena_printf(r->arena, "/agent/tickets/%s", number));
		return 0;
	}
	app_audit(app, r, "kb.article.from_ticket", "kb_article",
	    arena_printf(r->arena, "%lld", id), number);
	app_flash(app, r, w, 0, "Draft made from the ticket, for staff only: remove what is"
	    " particular to this customer before it goes further.");
	resp_redirect(w, arena_printf(r->arena, "/agent/kb/%lld", id));
	return 0;
}
