/*
 * admin_analytics.c — what admins set for the dashboards: the KPI
 * targets and alert lines (GET/POST /agent/admin/kpis, kpi.h), the hourly
 * cost cost per resolution prices work at (POST /agent/admin/kpis/cost), and the
 * facts about the installation that used to sit on everyone's dashboard
 * (GET /agent/admin/system). Routes and access in cgi-bin/console.c.
 */
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/kpi.h"
#include "domain/ops_settings.h"
#include "domain/system.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

#include <string.h>

#define KPIS_URL "/agent/admin/kpis"

static int
add_row(struct arena *a, struct tval *list, const char *label, const char *value)
{
	struct tval *row = tval_map(a);

	if (row == NULL)
		return -1;
	return tval_set_str(a, row, "label", label) | tval_set_str(a, row, "value", value) |
	    tval_push(a, list, row);
}

int
console_admin_system(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "System"), *sys;
	struct system_status st;
	struct arena *a = r->arena;
	enum cs_result got;
	int rc = 0;

	if (ctx == NULL || (sys = tval_list(a)) == NULL)
		return 500;
	if ((got = system_status_read(&app->db, a, &st)) != CS_OK)
		return web_result_status(got);
	rc |= add_row(a, sys, "Database", st.db_version);
	rc |= add_row(a, sys, "Database name", st.db_name);
	rc |= add_row(a, sys, "Migrations applied", arena_printf(a, "%lld", st.migrations));
	rc |= add_row(a, sys, "Latest migration", st.last_migration);
	rc |= add_row(a, sys, "Workers in this pool", arena_printf(a, "%d", app->cfg.workers));
	rc |= tval_set(a, ctx, "system", sys);
	if (rc)
		return 500;
	return app_render(app, r, w, "console/admin/system", ctx);
}

/* The id a refused hourly cost is rendered under (no metric is called that). */
#define COST_FORM "hourly_cost"

/*
 * The KPI page; a refused change (metric bad, why) keeps what was typed
 * in that KPI's row (or the hourly cost's form) with the message there.
 */
static int
kpis_render(struct app *app, struct req *r, struct resp *w, const char *bad, const char *why,
    int status)
{
	struct tval *ctx = app_page(app, r, "KPI targets"), *list;
	struct arena *a = r->arena;
	struct ops_settings s;
	struct kpi_tile *t;
	const char *cost;
	size_t n, i;
	enum cs_result got;
	int rc = 0, cost_bad = bad != NULL && strcmp(bad, COST_FORM) == 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if ((got = ops_settings_load(&app->db, a, &s)) != CS_OK ||
	    (got = kpi_tiles(&app->db, a, s.time_zone, &t, &n)) != CS_OK ||
	    (got = kpi_hourly_cost(&app->db, a, &cost)) != CS_OK)
		return web_result_status(got);
	if (cost_bad)
		cost = req_field(r, "hourly_cost");
	rc |= tval_set_str(a, ctx, "hourly_cost", cost != NULL ? cost : "");
	rc |= tval_set(a, ctx, "cost_error", tval_str(a, cost_bad ? why : NULL));
	for (i = 0; i < n; i++) {
		const struct metric_def *d = metric_def(t[i].metric);
		int here = bad != NULL && strcmp(bad, d->id) == 0;
		const char *target = here ? req_field(r, "target") : t[i].target;
		const char *alert = here ? req_field(r, "alert") : t[i].alert;
		struct tval *o = tval_map(a);

		rc |= tval_set_str(a, o, "id", d->id);
		rc |= tval_set_str(a, o, "label", d->label);
		rc |= tval_set_str(a, o, "unit", metric_unit_suffix(d->unit));
		rc |= tval_set_str(a, o, "good", d->good == MG_LOWER ? "lower" : "higher");
		rc |= tval_set_str(a, o, "value", t[i].value != NULL ? t[i].value : "–");
		rc |= tval_set_str(a, o, "target", target != NULL ? target : "");
		rc |= tval_set_str(a, o, "alert", alert != NULL ? alert : "");
		rc |= tval_set(a, o, "error", tval_str(a, here ? why : NULL));
		rc |= tval_push(a, list, o);
	}
	rc |= tval_set(a, ctx, "kpis", list);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/admin/kpis", ctx);
}

int
console_admin_kpis(struct app *app, struct req *r, struct resp *w)
{
	return kpis_render(app, r, w, NULL, NULL, 200);
}

static const struct field_rule kpi_rules[] = {
	{ "metric", "KPI", FIELD_TEXT, 1, 1, 40, NULL },
	{ "target", "Target", FIELD_TEXT, 1, 1, 20, NULL },
	{ "alert", "Alert line", FIELD_TEXT, 1, 1, 20, NULL },
};
enum { K_METRIC, K_TARGET, K_ALERT, K__MAX };
_Static_assert(sizeof(kpi_rules) / sizeof(kpi_rules[0]) == K__MAX, "one rule per field");

int
console_admin_kpis_save(struct app *app, struct req *r, struct resp *w)
{
	struct audit_entry by;
	struct field_form f;
	const char *v[K__MAX], *why;
	long long nums[K__MAX];
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, kpi_rules, K__MAX, v, nums);
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return *v[K_METRIC] == '\0' ? 400 :
		    kpis_render(app, r, w, v[K_METRIC], fields_first_error(&f), 422);
	web_audit_actor(r, &by);
	rc = kpi_target_set(&app->db, &by, v[K_METRIC], v[K_TARGET], v[K_ALERT], &why);
	if (rc == CS_REFUSED)
		return kpis_render(app, r, w, v[K_METRIC], why, 422);
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "%s: target %s, alert line %s.",
	    metric_def(metric_parse(v[K_METRIC]))->label, v[K_TARGET], v[K_ALERT]);
	resp_redirect(w, KPIS_URL);
	return 0;
}

static const struct field_rule cost_rules[] = {
	{ "hourly_cost", "Hourly cost", FIELD_TEXT, 0, 0, 20, NULL },
};

int
console_admin_kpis_cost(struct app *app, struct req *r, struct resp *w)
{
	struct audit_entry by;
	struct field_form f;
	const char *v[1], *why;
	long long nums[1];
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, cost_rules, 1, v, nums);
	if (f.failed)
		return 500;
	if (f.nerrors > 0)
		return kpis_render(app, r, w, COST_FORM, fields_first_error(&f), 422);
	web_audit_actor(r, &by);
	rc = kpi_hourly_cost_set(&app->db, &by, v[0] != NULL ? v[0] : "", &why);
	if (rc == CS_REFUSED)
		return kpis_render(app, r, w, COST_FORM, why, 422);
	if (rc != CS_OK)
		return web_result_status(rc);
	if (v[0] != NULL && *v[0] != '\0')
		web_flash(app, r, w, "Hourly cost: %s.", v[0]);
	else
		web_flash(app, r, w, "Hourly cost unset: cost per resolution is not measured.");
	resp_redirect(w, KPIS_URL);
	return 0;
}
