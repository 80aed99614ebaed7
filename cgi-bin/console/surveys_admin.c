/*
 * surveys_admin.c — the admins' survey pages: the rules (which survey
 * follows which event, periodic NPS), the throttle, and the surveys not
 * sent with why (GET/POST /agent/admin/surveys…). surveys.h checks and
 * audits the changes. Routes and access (admin only) are in
 * cgi-bin/console.c.
 */
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/surveys.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <stdio.h>
#include <string.h>

#define SURVEYS_URL "/agent/admin/surveys"
#define SKIPS_PAGE 50

static const char *const kind_values[] = { "csat", "nps", "ces", NULL };

static const struct field_rule rule_rules[] = {
	{ "trigger", "Event", FIELD_TEXT, 1, 1, 60, NULL },
	{ "kind", "Survey", FIELD_CHOICE, 1, 0, 0, kind_values },
	{ "every_days", "Every (days)", FIELD_INT, 0, 0, SURVEY_EVERY_DAYS_MAX, NULL },
};
enum { R_TRIGGER, R_KIND, R_DAYS, R__MAX };
_Static_assert(sizeof(rule_rules) / sizeof(rule_rules[0]) == R__MAX, "one rule per field");

static const struct field_rule days_rules[] = {
	{ "min_days", "Days between surveys", FIELD_INT, 1, 0, SURVEY_MIN_DAYS_MAX, NULL },
};

/* The event and kind selects, current chosen. */
static int
choices(struct arena *a, struct tval *ctx, const char *trigger, const char *kind)
{
	const char *tv[16], *tl[16], *kl[SURVEY_KIND__MAX];
	const struct survey_trigger *t;
	size_t n, i;

	t = survey_triggers(&n);
	if (n > 16)
		n = 16;
	for (i = 0; i < n; i++) {
		tv[i] = t[i].name;
		tl[i] = t[i].label;
	}
	for (i = 0; i < SURVEY_KIND__MAX; i++)
		kl[i] = survey_kind_get((enum survey_kind)i)->label;
	return tval_set(a, ctx, "trigger_options", fields_select(a, tv, tl, n, trigger)) |
	    tval_set(a, ctx, "kind_options", fields_select(a, kind_values, kl, SURVEY_KIND__MAX,
	    kind));
}

static const char *
trigger_label(const char *name)
{
	const struct survey_trigger *t = survey_trigger_find(name);

	return t != NULL ? t->label : name;
}

/* The rules page with the new-rule form f and the throttle form g. */
static int
rules_render(struct app *app, struct req *r, struct resp *w, struct field_form *f,
    struct field_form *g, int status)
{
	struct tval *ctx = app_page(app, r, "Surveys"), *list;
	struct arena *a = r->arena;
	struct survey_rule *rules;
	size_t n, i;
	int rc = 0, days;
	enum cs_result res;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if ((res = survey_rules_list(&app->db, a, &rules, &n)) != CS_OK ||
	    (res = survey_min_days(&app->db, &days)) != CS_OK)
		return web_result_status(res);
	for (i = 0; i < n; i++) {
		const struct survey_kind_def *k = survey_kind_find(rules[i].kind);
		struct tval *row = tval_map(a);

		rc |= tval_set_int(a, row, "id", rules[i].id);
		rc |= tval_set_str(a, row, "event", trigger_label(rules[i].trigger));
		rc |= tval_set_str(a, row, "kind", k != NULL ? k->label : rules[i].kind);
		if (rules[i].every_days > 0)
			rc |= tval_set_int(a, row, "every_days", rules[i].every_days);
		rc |= tval_set_bool(a, row, "active", rules[i].active);
		rc |= tval_set_int(a, row, "sent", rules[i].sent);
		rc |= tval_set_int(a, row, "answered", rules[i].answered);
		rc |= tval_push(a, list, row);
	}
	/* The throttle's form shows the setting unless it comes back refused. */
	if (tval_get(g->values, "min_days") == NULL)
		fields_value(g, "min_days", arena_printf(a, "%d", days));
	rc |= tval_set(a, ctx, "rules", list);
	rc |= choices(a, ctx, req_field(r, "trigger"), req_field(r, "kind"));
	rc |= fields_ctx(f, ctx);
	{
		struct tval *gv = tval_map(a);

		rc |= gv == NULL || tval_set(a, gv, "f", g->values) || tval_set(a, gv, "e", g->errors) ||
		    tval_set(a, ctx, "throttle", gv);
	}
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/admin/surveys", ctx);
}

int
console_admin_surveys(struct app *app, struct req *r, struct resp *w)
{
	struct field_form f, g;

	if (fields_init(&f, r->arena) < 0 || fields_init(&g, r->arena) < 0)
		return 500;
	return rules_render(app, r, w, &f, &g, 200);
}

int
console_admin_survey_rule_create(struct app *app, struct req *r, struct resp *w)
{
	const char *v[R__MAX], *why, *field;
	long long nums[R__MAX], id;
	struct survey_rule_input in;
	struct audit_entry by;
	struct field_form f, g;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0 || fields_init(&g, r->arena) < 0)
		return 500;
	if (fields_check(&f, r, rule_rules, R__MAX, v, nums) > 0 || f.failed)
		return f.failed ? 500 : rules_render(app, r, w, &f, &g, 422);
	in.trigger = v[R_TRIGGER];
	in.kind = v[R_KIND];
	in.every_days = (int)nums[R_DAYS];
	web_audit_actor(r, &by);
	rc = survey_rule_create(&app->db, &by, &in, &id, &why, &field);
	if (rc == CS_TAKEN) {
		rc = CS_REFUSED;
		field = "kind";
		why = "There is already a rule for that survey after that event.";
	}
	if (rc == CS_REFUSED) {
		fields_error(&f, field, why);
		return rules_render(app, r, w, &f, &g, 422);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Survey rule added.");
	resp_redirect(w, SURVEYS_URL);
	return 0;
}

int
console_admin_survey_rule_toggle(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	const char *on = req_field(r, "active");
	struct audit_entry by;
	enum cs_result rc;

	if (id <= 0)
		return 404;
	web_audit_actor(r, &by);
	rc = survey_rule_set_active(&app->db, &by, id, on != NULL && strcmp(on, "1") == 0);
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Survey rule %s.", on != NULL && strcmp(on, "1") == 0 ?
	    "turned on" : "turned off");
	resp_redirect(w, SURVEYS_URL);
	return 0;
}

int
console_admin_survey_rule_delete(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	struct audit_entry by;
	enum cs_result rc;

	if (id <= 0)
		return 404;
	web_audit_actor(r, &by);
	if ((rc = survey_rule_delete(&app->db, &by, id)) != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "Survey rule deleted.");
	resp_redirect(w, SURVEYS_URL);
	return 0;
}

int
console_admin_survey_throttle(struct app *app, struct req *r, struct resp *w)
{
	const char *v[1], *why;
	long long nums[1];
	struct audit_entry by;
	struct field_form f, g;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0 || fields_init(&g, r->arena) < 0)
		return 500;
	if (fields_check(&g, r, days_rules, 1, v, nums) > 0 || g.failed)
		return g.failed ? 500 : rules_render(app, r, w, &f, &g, 422);
	web_audit_actor(r, &by);
	rc = survey_min_days_set(&app->db, &by, (int)nums[0], &why);
	if (rc == CS_REFUSED) {
		fields_error(&g, "min_days", why);
		return rules_render(app, r, w, &f, &g, 422);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "At most one survey per customer every %lld days.", nums[0]);
	resp_redirect(w, SURVEYS_URL);
	return 0;
}

int
console_admin_survey_skips(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Surveys not sent"), *list;
	struct arena *a = r->arena;
	struct survey_skip *rows;
	long long before;
	size_t n, i;
	int more, rc = 0;
	enum cs_result res;

	if (web_query_key(r, "before", &before) < 0)
		return app_bad_query(app, r, w, "before", NULL, NULL);
	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	res = survey_skips_page(&app->db, a, before, SKIPS_PAGE, &rows, &n, &more);
	if (res != CS_OK)
		return web_result_status(res);
	for (i = 0; i < n; i++) {
		const struct survey_kind_def *k = survey_kind_find(rows[i].kind);
		struct tval *row = tval_map(a);

		rc |= tval_set_str(a, row, "at", rows[i].at);
		rc |= tval_set_str(a, row, "event", trigger_label(rows[i].trigger));
		rc |= tval_set_str(a, row, "kind", k != NULL ? k->label : rows[i].kind);
		rc |= tval_set_str(a, row, "customer", rows[i].customer);
		rc |= tval_set_str(a, row, "ticket", rows[i].ticket_number);
		rc |= tval_set_str(a, row, "reason", rows[i].reason);
		rc |= tval_push(a, list, row);
	}
	rc |= tval_set(a, ctx, "skips", list);
	rc |= tval_set_bool(a, ctx, "pager", more || before > 0);
	if (more)
		rc |= tval_set_str(a, ctx, "next_url", arena_printf(a, SURVEYS_URL "/skips?before=%lld",
		    rows[n - 1].id));
	if (before > 0)
		rc |= tval_set_str(a, ctx, "first_url", SURVEYS_URL "/skips");
	if (rc)
		return 500;
	return app_render(app, r, w, "console/admin/survey_skips", ctx);
}
