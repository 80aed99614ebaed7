/*
 * surveys_followups.c — the follow-up list: what a low score or a
 * negative comment opened, for the supervisors of the team that held the
 * ticket (admins see every team's), open or done, and marking one done
 * with a note (GET /agent/surveys/follow-ups, POST …/{id}/done).
 */
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/surveys.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <string.h>

#define FOLLOWUPS_URL "/agent/surveys/follow-ups"
#define FOLLOWUPS_PAGE 50

static const struct field_rule done_rules[] = {
	{ "note", "Note", FIELD_LINES, 0, 0, SURVEY_NOTE_MAX, NULL },
};

/* Whose follow-ups this person works: 0 (every team's) for an admin. */
static long long
for_staff(const struct req *r)
{
	return (r->who.access & ACCESS_ADMIN) ? 0 : r->who.id;
}

static int
row_of(struct arena *a, struct tval *list, const struct survey_followup *f)
{
	const struct survey_kind_def *k = survey_kind_find(f->kind);
	struct tval *row = tval_map(a);

	if (row == NULL)
		return -1;
	return tval_set_int(a, row, "id", f->id) |
	    tval_set_str(a, row, "kind", k != NULL ? k->label : f->kind) |
	    tval_set_int(a, row, "score", f->score) |
	    tval_set_str(a, row, "comment", f->comment) |
	    tval_set_str(a, row, "sentiment", f->sentiment) |
	    tval_set_bool(a, row, "low_score", f->low_score) |
	    tval_set_bool(a, row, "negative_comment", f->negative_comment) |
	    tval_set_str(a, row, "customer", f->customer) |
	    tval_set_str(a, row, "ticket", f->ticket_number) |
	    tval_set_str(a, row, "team", f->team) | tval_set_str(a, row, "agent", f->agent) |
	    tval_set_bool(a, row, "open", strcmp(f->status, "open") == 0) |
	    tval_set_str(a, row, "note", f->note) | tval_set_str(a, row, "done_by", f->done_by) |
	    tval_set_str(a, row, "created_at", f->created_at) | tval_push(a, list, row);
}

int
console_survey_followups(struct app *app, struct req *r, struct resp *w)
{
	const char *status = req_query(r, "status");
	struct tval *ctx = app_page(app, r, "Survey follow-ups"), *list;
	struct arena *a = r->arena;
	struct survey_followup *rows;
	long long before;
	size_t n, i;
	int more, rc = 0, done;
	enum cs_result res;

	done = status != NULL && strcmp(status, "done") == 0;
	if (web_query_key(r, "before", &before) < 0)
		return app_bad_query(app, r, w, "before", NULL, NULL);
	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	res = survey_followups_page(&app->db, a, done ? "done" : "open", for_staff(r), before,
	    FOLLOWUPS_PAGE, &rows, &n, &more);
	if (res != CS_OK)
		return web_result_status(res);
	for (i = 0; i < n; i++)
		rc |= row_of(a, list, &rows[i]);
	rc |= tval_set(a, ctx, "followups", list);
	rc |= tval_set_bool(a, ctx, done ? "showing_done" : "showing_open", 1);
	rc |= tval_set_bool(a, ctx, "pager", more || before > 0);
	if (more)
		rc |= tval_set_str(a, ctx, "next_url", arena_printf(a,
		    FOLLOWUPS_URL "?status=%s&before=%lld", done ? "done" : "open", rows[n - 1].id));
	if (before > 0)
		rc |= tval_set_str(a, ctx, "first_url", done ? FOLLOWUPS_URL "?status=done" :
		    FOLLOWUPS_URL);
	if (rc)
		return 500;
	return app_render(app, r, w, "console/surveys/followups", ctx);
}

int
console_survey_followup_done(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	const char *v[1], *why = NULL;
	struct field_form f;
	enum cs_result rc;

	if (id <= 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, done_rules, 1, v, NULL);
	if (f.failed)
		return 500;
	if (f.nerrors > 0) {
		app_flash(app, r, w, 1, fields_first_error(&f));
		resp_redirect(w, FOLLOWUPS_URL);
		return 0;
	}
	rc = survey_followup_done(&app->db, id, for_staff(r), r->who.id, v[0], &why);
	if (rc == CS_REFUSED) {
		app_flash(app, r, w, 1, why);
		resp_redirect(w, FOLLOWUPS_URL);
		return 0;
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Follow-up marked done.");
	resp_redirect(w, FOLLOWUPS_URL);
	return 0;
}
