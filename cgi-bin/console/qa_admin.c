/*
 * qa_admin.c — the admins' scorecards for quality reviews: the list with
 * a form to make one (criteria as "name | weight" lines), and retiring or
 * reusing one (GET/POST /agent/admin/qa…). qa.h checks and audits.
 */
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/qa.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <string.h>

#define QA_ADMIN_URL "/agent/admin/qa"

static const struct field_rule card_rules[] = {
	{ "name", "Name", FIELD_TEXT, 1, 1, QA_NAME_MAX, NULL },
	{ "criteria", "Criteria", FIELD_LINES, 1, 1, 20000, NULL },
};
enum { C_NAME, C_CRITERIA, C__MAX };
_Static_assert(sizeof(card_rules) / sizeof(card_rules[0]) == C__MAX, "one rule per field");

static int
cards_render(struct app *app, struct req *r, struct resp *w, struct field_form *f, int status)
{
	struct tval *ctx = app_page(app, r, "Quality scorecards"), *list;
	struct arena *a = r->arena;
	struct qa_scorecard *cards;
	size_t n, i;
	int rc = 0;
	enum cs_result res;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if ((res = qa_scorecards_list(&app->db, a, 0, &cards, &n)) != CS_OK)
		return web_result_status(res);
	for (i = 0; i < n; i++) {
		struct tval *row = tval_map(a);

		rc |= tval_set_int(a, row, "id", cards[i].id);
		rc |= tval_set_str(a, row, "name", cards[i].name);
		rc |= tval_set_bool(a, row, "active", cards[i].active);
		rc |= tval_set_int(a, row, "criteria", cards[i].criteria);
		rc |= tval_set_int(a, row, "weight", cards[i].total_weight);
		rc |= tval_set_int(a, row, "reviews", cards[i].reviews);
		rc |= tval_push(a, list, row);
	}
	rc |= tval_set(a, ctx, "scorecards", list) | fields_ctx(f, ctx);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/admin/qa", ctx);
}

int
console_admin_qa(struct app *app, struct req *r, struct resp *w)
{
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	return cards_render(app, r, w, &f, 200);
}

int
console_admin_qa_create(struct app *app, struct req *r, struct resp *w)
{
	const char *v[C__MAX], *why = NULL, *field = NULL;
	struct audit_entry by;
	struct field_form f;
	long long id;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	if (fields_check(&f, r, card_rules, C__MAX, v, NULL) > 0 || f.failed)
		return f.failed ? 500 : cards_render(app, r, w, &f, 422);
	web_audit_actor(r, &by);
	rc = qa_scorecard_create(&app->db, r->arena, &by, v[C_NAME], v[C_CRITERIA], &id, &why,
	    &field);
	if (rc == CS_REFUSED || rc == CS_TAKEN) {
		fields_error(&f, field, why);
		return cards_render(app, r, w, &f, 422);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Scorecard “%s” made.", utf8_short(r->arena, v[C_NAME], FLASH_NAME));
	resp_redirect(w, QA_ADMIN_URL);
	return 0;
}

int
console_admin_qa_active(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	const char *on = req_field(r, "active");
	int active = on != NULL && strcmp(on, "1") == 0;
	struct audit_entry by;
	enum cs_result rc;

	if (id <= 0)
		return 404;
	web_audit_actor(r, &by);
	if ((rc = qa_scorecard_set_active(&app->db, &by, id, active)) != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Scorecard %s.", active ? "in use again" : "retired");
	resp_redirect(w, QA_ADMIN_URL);
	return 0;
}
