/*
 * qa.c — quality reviews in the console: supervisors draw samples and
 * score them (GET/POST /agent/qa…); every agent reads their own reviews
 * (GET /agent/qa/mine, /agent/qa/{id} when it is theirs and scored).
 */
#include "console/handlers.h"
#include "console/tickets.h"
#include "core/arena.h"
#include "domain/qa.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QA_URL "/agent/qa"
#define QA_PAGE 50

static const char *const sample_values[] = { "random", "weekly", "chosen", NULL };

static const struct field_rule sample_rules[] = {
	{ "sample", "Sample", FIELD_CHOICE, 1, 0, 0, sample_values },
	{ "scorecard_id", "Scorecard", FIELD_INT, 1, 1, 1LL << 62, NULL },
	{ "count", "How many", FIELD_INT, 0, 0, QA_SAMPLE_MAX, NULL },
	{ "week", "Week of", FIELD_TEXT, 0, 0, 10, NULL },
	{ "number", "Ticket number", FIELD_TEXT, 0, 0, 40, NULL },
};
enum { S_SAMPLE, S_CARD, S_COUNT, S_WEEK, S_NUMBER, S__MAX };
_Static_assert(sizeof(sample_rules) / sizeof(sample_rules[0]) == S__MAX, "one rule per field");

static int
supervises(const struct req *r)
{
	return (r->who.access & (ACCESS_SUPERVISOR | ACCESS_ADMIN)) != 0;
}

/* A review as the templates show it; NULL when out of memory. */
static struct tval *
review_map(struct arena *a, const struct qa_review *v)
{
	struct tval *row = tval_map(a);

	if (row == NULL)
		return NULL;
	return tval_set_int(a, row, "id", v->id) | tval_set_str(a, row, "scorecard", v->scorecard) |
	    tval_set_str(a, row, "ticket", v->ticket_number) |
	    tval_set_str(a, row, "subject", v->ticket_subject) |
	    tval_set_str(a, row, "agent", v->agent) | tval_set_str(a, row, "team", v->team) |
	    tval_set_str(a, row, "sample", v->sample) |
	    tval_set_str(a, row, "reviewer", v->reviewer) |
	    tval_set_str(a, row, "created_at", v->created_at) |
	    tval_set_str(a, row, "reviewed_at", v->reviewed_at) |
	    tval_set_str(a, row, "score", arena_printf(a, "%.1f", v->score)) ? NULL : row;
}

static int
review_row(struct arena *a, struct tval *list, const struct qa_review *v)
{
	struct tval *row = review_map(a, v);

	return row == NULL ? -1 : tval_push(a, list, row);
}

/*
 * The list of reviews in status (agent_id > 0: theirs) with its pager,
 * into ctx. 0, 400 (a "before" that is no position) or another status.
 */
static int
list_into(struct app *app, struct req *r, struct tval *ctx, const char *status,
    long long agent_id, const char *base)
{
	struct arena *a = r->arena;
	struct tval *list = tval_list(a);
	struct qa_review *rows;
	long long before;
	size_t n, i;
	int more, rc = list == NULL;
	enum cs_result res;

	if (web_query_key(r, "before", &before) < 0)
		return 400;	/* the callers name it (app_bad_query) */
	res = qa_reviews_page(&app->db, a, status, agent_id, before, QA_PAGE, &rows, &n, &more);
	if (res != CS_OK)
		return web_result_status(res);
	for (i = 0; !rc && i < n; i++)
		rc |= review_row(a, list, &rows[i]);
	rc |= tval_set(a, ctx, "reviews", list);
	rc |= tval_set_bool(a, ctx, "pager", more || before > 0);
	if (more)
		rc |= tval_set_str(a, ctx, "next_url", arena_printf(a, "%s%sbefore=%lld", base,
		    strchr(base, '?') ? "&" : "?", rows[n - 1].id));
	if (before > 0)
		rc |= tval_set_str(a, ctx, "first_url", base);
	return rc ? 500 : 0;
}

/* The supervisors' page: pending (or done) reviews and the sample form f. */
static int
qa_render(struct app *app, struct req *r, struct resp *w, struct field_form *f, int status)
{
	const char *show = req_query(r, "status");
	int done = show != NULL && strcmp(show, "done") == 0, rc;
	struct tval *ctx = app_page(app, r, "Quality reviews"), *cards;
	struct arena *a = r->arena;
	struct qa_scorecard *rows;
	size_t n, i;
	enum cs_result res;

	if (ctx == NULL || (cards = tval_list(a)) == NULL)
		return 500;
	if ((rc = list_into(app, r, ctx, done ? "done" : "pending", 0,
	    done ? QA_URL "?status=done" : QA_URL)) != 0)
		return rc == 400 ? app_bad_query(app, r, w, "before", NULL, NULL) : rc;
	if ((res = qa_scorecards_list(&app->db, a, 1, &rows, &n)) != CS_OK)
		return web_result_status(res);
	for (i = 0; i < n; i++) {
		const char *id = arena_printf(a, "%lld", rows[i].id), *cur = req_field(r,
		    "scorecard_id");

		rc |= console_tickets_option(a, cards, id, rows[i].name, cur != NULL && id != NULL &&
		    strcmp(cur, id) == 0);
	}
	rc |= tval_set(a, ctx, "scorecard_options", cards);
	rc |= tval_set(a, ctx, "sample_options", fields_select(a, sample_values,
	    (const char *const[]){ "At random, settled in the last 7 days",
	    "Per agent, settled in one week", "Chosen by ticket number" }, 3,
	    req_field(r, "sample")));
	rc |= tval_set_bool(a, ctx, done ? "showing_done" : "showing_pending", 1);
	rc |= fields_ctx(f, ctx);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/qa/list", ctx);
}

int
console_qa(struct app *app, struct req *r, struct resp *w)
{
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_value(&f, "count", "1");
	return qa_render(app, r, w, &f, 200);
}

int
console_qa_sample(struct app *app, struct req *r, struct resp *w)
{
	const char *v[S__MAX], *why = NULL, *field = NULL;
	long long nums[S__MAX];
	struct qa_sample_in in;
	struct field_form f;
	long made = 0;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	if (fields_check(&f, r, sample_rules, S__MAX, v, nums) > 0 || f.failed)
		return f.failed ? 500 : qa_render(app, r, w, &f, 422);
	memset(&in, 0, sizeof(in));
	in.kind = strcmp(v[S_SAMPLE], "random") == 0 ? QA_SAMPLE_RANDOM :
	    strcmp(v[S_SAMPLE], "weekly") == 0 ? QA_SAMPLE_WEEKLY : QA_SAMPLE_CHOSEN;
	in.scorecard_id = nums[S_CARD];
	in.count = (int)nums[S_COUNT];
	in.week = v[S_WEEK];
	in.number = v[S_NUMBER];
	rc = qa_sample_draw(&app->db, &in, &made, &why, &field);
	if (rc == CS_REFUSED) {
		fields_error(&f, field, why);
		return qa_render(app, r, w, &f, 422);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "%ld ticket%s to review.", made, made == 1 ? "" : "s");
	resp_redirect(w, QA_URL);
	return 0;
}

/*
 * One review: the scoring form (pending, for supervisors; a refused one
 * with the points and comment typed) or what it says (done: also for the
 * agent it reviews, and nobody else below supervisor).
 */
static int
review_render(struct app *app, struct req *r, struct resp *w, long long id, const char *error,
    const int *typed, const char *typed_comment, int status)
{
	long long mine = supervises(r) ? 0 : r->who.id;
	struct tval *ctx, *list;
	struct arena *a = r->arena;
	struct qa_review v;
	enum cs_result res;
	size_t i;
	int rc = 0, pending;

	if ((res = qa_review_get(&app->db, a, id, mine, &v)) != CS_OK)
		return web_result_status(res);
	pending = strcmp(v.status, "pending") == 0;
	if (pending && mine > 0)
		return 404;
	if ((ctx = app_page(app, r, "Quality review")) == NULL || (list = tval_list(a)) == NULL)
		return 500;
	rc |= tval_set(a, ctx, "review", review_map(a, &v));
	for (i = 0; i < v.ncriteria; i++) {
		struct tval *c = tval_map(a), *scale = tval_list(a);
		int p, chosen = typed != NULL ? typed[i] : v.criteria[i].points;

		for (p = 0; p <= QA_POINTS_MAX; p++) {
			struct tval *o = tval_map(a);

			rc |= o == NULL || tval_set_int(a, o, "value", p) ||
			    tval_set_bool(a, o, "checked", p == chosen) || tval_push(a, scale, o);
		}
		rc |= c == NULL || tval_set_int(a, c, "id", v.criteria[i].id) ||
		    tval_set_int(a, c, "n", (long long)i) ||
		    tval_set_str(a, c, "name", v.criteria[i].name) ||
		    tval_set_int(a, c, "weight", v.criteria[i].weight) ||
		    tval_set_int(a, c, "points", v.criteria[i].points) ||
		    tval_set(a, c, "scale", scale) || tval_push(a, list, c);
	}
	rc |= tval_set(a, ctx, "criteria", list);
	rc |= tval_set_bool(a, ctx, "pending", pending);
	rc |= tval_set_str(a, ctx, "comment", typed_comment != NULL ? typed_comment : v.comment);
	if (error != NULL)
		rc |= tval_set_str(a, ctx, "error", error);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/qa/review", ctx);
}

int
console_qa_review(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");

	return id > 0 ? review_render(app, r, w, id, NULL, NULL, NULL, 200) : 404;
}

int
console_qa_review_score(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	int points[QA_CRITERIA_MAX];
	const char *comment = req_field(r, "comment"), *why = NULL;
	size_t n;
	enum cs_result rc;

	if (id <= 0)
		return 404;
	for (n = 0; n < QA_CRITERIA_MAX; n++)
		points[n] = -1;
	for (n = 0; n < QA_CRITERIA_MAX; n++) {
		char name[16];
		const char *v;
		char *end;
		long p;

		snprintf(name, sizeof(name), "c%zu", n);
		if ((v = req_field(r, name)) == NULL)
			break;
		p = strtol(v, &end, 10);
		points[n] = *v != '\0' && *end == '\0' && p >= 0 && p <= QA_POINTS_MAX ? (int)p : -1;
	}
	rc = qa_review_score(&app->db, r->arena, id, r->who.id, points, n, comment, &why);
	if (rc == CS_REFUSED)
		return review_render(app, r, w, id, why, points, comment, 422);
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Review saved.");
	resp_redirect(w, QA_URL);
	return 0;
}

int
console_qa_mine(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "My quality reviews");
	int rc;

	if (ctx == NULL)
		return 500;
	if ((rc = list_into(app, r, ctx, "done", r->who.id, QA_URL "/mine")) != 0)
		return rc == 400 ? app_bad_query(app, r, w, "before", NULL, NULL) : rc;
	return app_render(app, r, w, "console/qa/mine", ctx);
}
