/*
 * ticket_mail_review.c — mail that needs an agent's eye, on the ticket
 * page (mail_review.h): the panel (read in the page's pipeline by
 * ticket_sheet_open), POST /agent/tickets/{number}/mail-review (accept or
 * dismiss a non-party's message) and POST
 * /agent/tickets/{number}/merge-suggestion (dismiss a suggested merge;
 * the merge itself is the merge form's, ticket_collab.c). Routes and
 * access (staff) are in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "console/ticket_page.h"
#include "core/arena.h"
#include "core/zone_time.h"
#include "domain/mail_review.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <string.h>

int
console_ticket_mail_panel(struct req *r, struct tval *ctx, const struct mail_review_item *m,
    size_t n)
{
	struct arena *a = r->arena;
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL, reviews = 0, merges = 0;

	for (i = 0; i < n && !rc; i++) {
		struct tval *it = tval_map(a);

		rc |= tval_set_int(a, it, "id", m[i].id);
		rc |= tval_set_str(a, it, "from", m[i].from_addr);
		rc |= tval_set_str(a, it, "subject", m[i].subject);
		rc |= tval_set_str(a, it, "at", zone_time_text(a, m[i].received_at,
		    r->who.time_zone));
		rc |= tval_set_bool(a, it, "review", m[i].review);
		if (*m[i].merge_number != '\0') {
			rc |= tval_set_str(a, it, "merge_number", m[i].merge_number);
			rc |= tval_set_str(a, it, "merge_subject", m[i].merge_subject);
			merges++;
		}
		reviews += m[i].review;
		rc |= tval_push(a, list, it);
	}
	if (rc || n == 0)
		return rc;
	rc |= tval_set(a, ctx, "mail_review", list);
	rc |= tval_set_int(a, ctx, "mail_reviews", reviews);
	return rc | tval_set_int(a, ctx, "mail_merges", merges);
}

static const char *const decisions[] = { "accept", "dismiss", NULL };
static const struct field_rule review_rules[] = {
	{ "mail", "Message", FIELD_INT, 1, 1, 1LL << 62, NULL },
	{ "decision", "Decision", FIELD_CHOICE, 1, 0, 0, decisions },
};
enum { RV_MAIL, RV_DECISION, RV__MAX };

/*
 * Both forms: the message (and, for a review, the decision), then the use
 * case; merge 1 is the suggestion's dismissal. The page again with why
 * when refused, else back to the ticket with what happened.
 */
static int
decide(struct app *app, struct req *r, struct resp *w, int merge)
{
	struct field_form f;
	struct ticket t;
	const char *val[RV__MAX], *done;
	long long num[RV__MAX];
	enum cs_result res;
	int rc, accept = 0;

	if ((rc = console_ticket_load(app, r, &t)) != 0)
		return rc;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, review_rules, merge ? 1 : RV__MAX, val, num);
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return console_ticket_refused(app, r, w, 422, "That message is not one of this "
		    "ticket's, or no decision was chosen.");
	if (merge) {
		res = mail_review_merge_dismiss(&app->db, r->who.id, t.id, num[RV_MAIL]);
		done = "Merge suggestion dismissed.";
	} else {
		accept = strcmp(val[RV_DECISION], "accept") == 0;
		res = mail_review_decide(&app->db, r->who.id, t.id, num[RV_MAIL], accept);
		done = accept ? "Message accepted: the customer now sees it." :
		    "Message dismissed: it stays an internal note.";
	}
	if (res == CS_CONFLICT || res == CS_NOT_FOUND)
		return console_ticket_refused(app, r, w, 409, "That was decided already, perhaps "
		    "by a colleague: the page shows it as it is now.");
	if (res != CS_OK)
		return web_result_status(res);
	resp_redirect(w, console_ticket_url(r->arena, t.number));
	app_flash(app, r, w, 0, done);
	return 0;
}

int
console_ticket_mail_review(struct app *app, struct req *r, struct resp *w)
{
	return decide(app, r, w, 0);
}

int
console_ticket_merge_suggestion(struct app *app, struct req *r, struct resp *w)
{
	return decide(app, r, w, 1);
}
