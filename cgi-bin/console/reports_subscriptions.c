/*
 * reports_subscriptions.c — a supervisor's or admin's own report
 * subscriptions (report_schedule.h): GET /agent/analytics/subscriptions
 * lists them with a form (filled from the report the person came from),
 * POST adds one, POST …/{id}/delete ends one (only their own: another's
 * id is 404). Routes and access in cgi-bin/console.c.
 */
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/analytics.h"
#include "domain/report_defs.h"
#include "domain/report_schedule.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <string.h>

#define SUBS_URL "/agent/analytics/subscriptions"

static const char *const frequencies[] = { "daily", "weekly", "monthly", NULL };
static const char *const frequency_labels[] = { "Every day", "Every week", "Every month" };
static const char *const attachments[] = { "xlsx", "pdf", NULL };
static const char *const attachment_labels[] = { "XLSX (spreadsheet)", "PDF" };
static const char *const weekdays[] = { "1", "2", "3", "4", "5", "6", "7" };
static const char *const weekday_labels[] = { "Monday", "Tuesday", "Wednesday", "Thursday",
	"Friday", "Saturday", "Sunday" };

static const struct field_rule sub_rules[] = {
	{ "report", "Report", FIELD_TEXT, 1, 1, 40, NULL },
	{ "by", "By", FIELD_TEXT, 1, 1, 20, NULL },
	{ "grain", "Per", FIELD_TEXT, 1, 1, 10, NULL },
	{ "frequency", "How often", FIELD_CHOICE, 1, 0, 0, frequencies },
	{ "weekday", "Day of the week", FIELD_INT, 0, 1, 7, NULL },
	{ "monthday", "Day of the month", FIELD_INT, 0, 1, 28, NULL },
	{ "hour", "Hour", FIELD_INT, 1, 0, 23, NULL },
	{ "time_zone", "Time zone", FIELD_TEXT, 1, 1, 64, NULL },
	{ "attachment", "Attached file", FIELD_CHOICE, 1, 0, 0, attachments },
};
enum { S_REPORT, S_BY, S_GRAIN, S_FREQ, S_WEEKDAY, S_MONTHDAY, S_HOUR, S_ZONE, S_ATTACH,
	S__MAX };
_Static_assert(sizeof(sub_rules) / sizeof(sub_rules[0]) == S__MAX, "one rule per field");

/* A select's options from values/labels with current selected. */
static struct tval *
choices(struct arena *a, const char *const *values, const char *const *labels, size_t n,
    const char *current)
{
	return fields_select(a, values, labels, n, current != NULL ? current : "");
}

/* The report, dimension and grain selects, current from the form or the query. */
static int
filter_selects(struct arena *a, struct req *r, struct tval *ctx)
{
	const char *rv[REPORT__MAX], *rl[REPORT__MAX], *dv[AD__MAX], *dl[AD__MAX], *gv[AG__MAX];
	const char *report = req_field(r, "report"), *by = req_field(r, "by");
	const char *grain = req_field(r, "grain");
	int i;

	if (report == NULL)
		report = req_query(r, "report");
	if (by == NULL)
		by = req_query(r, "by");
	if (grain == NULL)
		grain = req_query(r, "grain");
	for (i = 0; i < REPORT__MAX; i++) {
		rv[i] = report_def((enum report_id)i)->id;
		rl[i] = report_def((enum report_id)i)->title;
	}
	for (i = 0; i < AD__MAX; i++) {
		dv[i] = analytics_dim_name((enum analytics_dim)i);
		dl[i] = analytics_dim_label((enum analytics_dim)i);
	}
	for (i = 0; i < AG__MAX; i++)
		gv[i] = analytics_grain_name((enum analytics_grain)i);
	return tval_set(a, ctx, "report_options", choices(a, rv, rl, REPORT__MAX, report)) |
	    tval_set(a, ctx, "by_options", choices(a, dv, dl, AD__MAX, by)) |
	    tval_set(a, ctx, "grain_options", choices(a, gv, NULL, AG__MAX, grain)) |
	    tval_set(a, ctx, "frequency_options", choices(a, frequencies, frequency_labels, 3,
	    req_field(r, "frequency") != NULL ? req_field(r, "frequency") : "weekly")) |
	    tval_set(a, ctx, "weekday_options", choices(a, weekdays, weekday_labels, 7,
	    req_field(r, "weekday") != NULL ? req_field(r, "weekday") : "1")) |
	    tval_set(a, ctx, "attachment_options", choices(a, attachments, attachment_labels, 2,
	    req_field(r, "attachment") != NULL ? req_field(r, "attachment") : "xlsx"));
}

static int
render(struct app *app, struct req *r, struct resp *w, struct field_form *f, int status)
{
	struct tval *ctx = app_page(app, r, "Mailed reports"), *list;
	struct arena *a = r->arena;
	struct report_sub *s;
	size_t n, i;
	enum cs_result got;
	int rc = 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if ((got = report_subs_list(&app->db, a, r->who.id, &s, &n)) != CS_OK)
		return web_result_status(got);
	for (i = 0; i < n; i++) {
		const struct report_def *d = report_def(report_parse(s[i].report));
		struct tval *o = tval_map(a);
		const char *when = strcmp(s[i].frequency, "weekly") == 0 ?
		    arena_printf(a, "every %s", weekday_labels[(s[i].weekday + 6) % 7]) :
		    strcmp(s[i].frequency, "monthly") == 0 ?
		    arena_printf(a, "on day %d of each month", s[i].monthday) : "every day";

		rc |= tval_set_int(a, o, "id", s[i].id);
		rc |= tval_set_str(a, o, "title", d != NULL ? d->title : s[i].report);
		rc |= tval_set_str(a, o, "by", analytics_dim_label(analytics_dim_parse(s[i].dim)));
		rc |= tval_set_str(a, o, "when", arena_printf(a, "%s at %02d:00 (%s)", when,
		    s[i].hour, s[i].time_zone));
		rc |= tval_set_str(a, o, "next_run", s[i].next_run);
		rc |= tval_set_bool(a, o, "skip_empty", s[i].skip_empty);
		rc |= tval_set_bool(a, o, "alerts", s[i].alerts);
		rc |= tval_set_str(a, o, "attachment", strcmp(s[i].attachment, "pdf") == 0 ?
		    "PDF" : "XLSX");
		rc |= tval_push(a, list, o);
	}
	rc |= tval_set(a, ctx, "subscriptions", list);
	rc |= filter_selects(a, r, ctx);
	if (req_field(r, "time_zone") == NULL)
		fields_value(f, "time_zone", "UTC");
	if (req_field(r, "hour") == NULL)
		fields_value(f, "hour", "8");
	rc |= fields_ctx(f, ctx);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/analytics/subscriptions", ctx);
}

int
console_subscriptions(struct app *app, struct req *r, struct resp *w)
{
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	return render(app, r, w, &f, 200);
}

int
console_subscriptions_create(struct app *app, struct req *r, struct resp *w)
{
	struct field_form f;
	struct report_sub_input in;
	const char *v[S__MAX], *why, *field;
	const char *skip = req_field(r, "skip_empty"), *alerts = req_field(r, "alerts");
	long long nums[S__MAX], id;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, sub_rules, S__MAX, v, nums);
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return render(app, r, w, &f, 422);
	memset(&in, 0, sizeof(in));
	in.report = v[S_REPORT];
	in.dim = v[S_BY];
	in.grain = v[S_GRAIN];
	in.frequency = v[S_FREQ];
	in.weekday = (int)nums[S_WEEKDAY];
	in.monthday = (int)nums[S_MONTHDAY];
	in.hour = (int)nums[S_HOUR];
	in.time_zone = v[S_ZONE];
	in.attachment = v[S_ATTACH];
	in.skip_empty = skip != NULL && strcmp(skip, "yes") == 0;
	in.alerts = alerts != NULL && strcmp(alerts, "yes") == 0;
	rc = report_subscribe(&app->db, r->who.id, &in, &id, &why, &field);
	if (rc == CS_REFUSED) {
		fields_error(&f, field, why);
		return render(app, r, w, &f, 422);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Subscribed: the report comes by mail on the schedule you chose.");
	resp_redirect(w, SUBS_URL);
	return 0;
}

int
console_subscriptions_delete(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	enum cs_result rc;

	if (id <= 0)
		return 404;
	if ((rc = report_unsubscribe(&app->db, r->who.id, id)) != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Subscription ended.");
	resp_redirect(w, SUBS_URL);
	return 0;
}
