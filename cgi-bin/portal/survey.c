/*
 * survey.c — answering a survey from the link in its invitation, without
 * signing in: GET /survey/answer?token=… shows the question (and, once
 * answered, the answer to change until the link expires); POST
 * /survey/answer records it. The token travels in the query and then in
 * the form, never in the path the program logs. survey_answer.h has the
 * rules: a form sent twice is "already answered" (409), an expired link
 * 410, an unknown one 404, a browser signed in to the console 403.
 */
#include "portal/handlers.h"
#include "core/arena.h"
#include "domain/survey_answer.h"
#include "domain/surveys.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <string.h>

/* The console's session cookie (console.c): its holder is staff. */
#define STAFF_COOKIE "csdesk_staff"

static const struct field_rule answer_rules[] = {
	{ "token", "Link", FIELD_TEXT, 1, 1, 64, NULL },
	{ "score", "Score", FIELD_INT, 1, 0, 10, NULL },
	{ "comment", "Comment", FIELD_LINES, 0, 0, SURVEY_COMMENT_MAX, NULL },
	{ "version", "Form", FIELD_INT, 0, 0, 1000000, NULL },
};
enum { A_TOKEN, A_SCORE, A_COMMENT, A_VERSION, A__MAX };
_Static_assert(sizeof(answer_rules) / sizeof(answer_rules[0]) == A__MAX, "one rule per field");

static const char *
staff_token(struct req *r)
{
	return req_cookie(r, r->https ? "__Host-" STAFF_COOKIE : STAFF_COOKIE);
}

/* The scale as radio buttons, the one chosen (0 … 10, -1: none) checked. */
static struct tval *
scale(struct arena *a, const struct survey_kind_def *k, int chosen)
{
	struct tval *list = tval_list(a);
	int i, bad = list == NULL;

	for (i = k->min; !bad && i <= k->max; i++) {
		struct tval *o = tval_map(a);

		bad |= o == NULL || tval_set_int(a, o, "value", i) ||
		    tval_set_bool(a, o, "checked", i == chosen) ||
		    (i == k->min && tval_set_str(a, o, "end", k->min_label)) ||
		    (i == k->max && tval_set_str(a, o, "end", k->max_label)) ||
		    tval_push(a, list, o);
	}
	return bad ? NULL : list;
}

/*
 * The survey page in state ("form", "thanks", "answered", "closed") for
 * v, with f's values and messages; message a line above it.
 */
static int
page(struct app *app, struct req *r, struct resp *w, int status, const char *state,
    const char *token, const struct survey_view *v, struct field_form *f, int chosen,
    const char *message)
{
	struct tval *ctx = app_page(app, r, "One question");
	struct arena *a = r->arena;
	int rc;

	if (ctx == NULL)
		return 500;
	rc = tval_set_bool(a, ctx, state, 1) | tval_set_str(a, ctx, "token", token);
	if (message != NULL)
		rc |= tval_set_str(a, ctx, "message", message);
	if (v != NULL && v->kind != NULL) {
		rc |= tval_set_str(a, ctx, "question", v->kind->question);
		rc |= tval_set(a, ctx, "scale", scale(a, v->kind, chosen));
		rc |= tval_set_int(a, ctx, "version", v->version);
		rc |= tval_set_str(a, ctx, "expires_on", v->expires_on);
		rc |= tval_set_int(a, ctx, "score", v->score);
		if (v->ticket_number[0] != '\0')
			rc |= tval_set_str(a, ctx, "ticket_number", v->ticket_number);
		rc |= tval_set_int(a, ctx, "comment_max", SURVEY_COMMENT_MAX);
	}
	if (f != NULL)
		rc |= fields_ctx(f, ctx);
	if (rc)
		return 500;
	w->status = status;
	resp_header(w, "Cache-Control", "no-store");
	/* The token is in this page's address: do not hand it to other sites. */
	resp_header(w, "Referrer-Policy", "no-referrer");
	return app_render(app, r, w, "portal/survey", ctx);
}

/* The page for a failed open: 404, 403 (staff) or the failure's status. */
static int
refused(struct app *app, struct req *r, struct resp *w, enum cs_result rc, const char *why)
{
	if (rc == CS_REFUSED)
		return page(app, r, w, 403, "closed", "", NULL, NULL, -1, why);
	if (rc == CS_NOT_FOUND)
		return page(app, r, w, 404, "closed", "", NULL, NULL, -1,
		    "This survey link is not valid. Please use the link in your e-mail as it is.");
	return web_result_status(rc);
}

int
portal_survey_form(struct app *app, struct req *r, struct resp *w)
{
	const char *token = req_query(r, "token"), *why = NULL;
	struct survey_view v;
	struct field_form f;
	enum cs_result rc;

	rc = survey_open(&app->db, r->arena, token, staff_token(r), &v, &why);
	if (rc != CS_OK)
		return refused(app, r, w, rc, why);
	if (v.expired)
		return page(app, r, w, 410, "closed", "", &v, NULL, -1,
		    "This survey has closed: its link worked for 14 days. Thank you all the same.");
	if (fields_init(&f, r->arena) < 0)
		return 500;
	if (v.version > 0)
		fields_value(&f, "comment", v.comment);
	return page(app, r, w, 200, v.version > 0 ? "answered" : "form", token, &v, &f,
	    v.version > 0 ? v.score : -1, NULL);
}

int
portal_survey_answer(struct app *app, struct req *r, struct resp *w)
{
	const char *vals[A__MAX], *why = NULL, *field = NULL;
	long long nums[A__MAX];
	struct survey_answer_in in;
	struct survey_view v;
	struct field_form f;
	enum survey_outcome outcome;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, answer_rules, A__MAX, vals, nums);
	if (f.failed)
		return 500;
	rc = survey_open(&app->db, r->arena, vals[A_TOKEN], staff_token(r), &v, &why);
	if (rc != CS_OK)
		return refused(app, r, w, rc, why);
	if (f.nerrors > 0)
		return page(app, r, w, 422, v.version > 0 ? "answered" : "form", vals[A_TOKEN], &v,
		    &f, -1, NULL);
	memset(&in, 0, sizeof(in));
	in.token = vals[A_TOKEN];
	in.staff_token = staff_token(r);
	in.score = (int)nums[A_SCORE];
	in.comment = vals[A_COMMENT];
	in.seen_version = (int)nums[A_VERSION];
	rc = survey_answer(&app->db, r->arena, &in, &outcome, &why, &field);
	if (rc == CS_OK)
		return page(app, r, w, 200, "thanks", "", &v, NULL, -1,
		    outcome == SURVEY_CHANGED ? "Your answer is changed. Thank you." :
		    "Thank you for your answer.");
	if (rc == CS_CONFLICT)
		return page(app, r, w, 409, "closed", "", &v, NULL, -1, why);
	if (rc == CS_REFUSED && outcome == SURVEY_EXPIRED)
		return page(app, r, w, 410, "closed", "", &v, NULL, -1, why);
	if (rc == CS_REFUSED && field == NULL)
		return page(app, r, w, 403, "closed", "", NULL, NULL, -1, why);
	if (rc == CS_REFUSED) {
		fields_error(&f, field, why);
		return page(app, r, w, 422, v.version > 0 ? "answered" : "form", vals[A_TOKEN], &v,
		    &f, (int)nums[A_SCORE], NULL);
	}
	return refused(app, r, w, rc, why);
}
