/*
 * admin_sla.c — the admin pages for service levels: business calendars
 * (time zone, opening hours per weekday with several intervals a day,
 * holidays, or open around the clock), SLA policies (tier × priority
 * [× category] → targets on a calendar, pausing statuses) and escalation
 * rules (condition → actions). Each area is a list, a new form and an edit
 * form; a form that fails comes back with a message next to each field.
 * Routes and access (admin only) are in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/sla_admin.h"
#include "tmpl/tval.h"

#include <stdio.h>
#include <string.h>

#define CALENDARS_URL "/agent/admin/calendars"
#define POLICIES_URL "/agent/admin/sla-policies"
#define RULES_URL "/agent/admin/escalation-rules"

static const char *const day_names[7] = { "Monday", "Tuesday", "Wednesday", "Thursday",
	"Friday", "Saturday", "Sunday" };
static const char *const units[] = { "minutes", "hours", "days", NULL };
static const char *const unit_labels[] = { "minutes", "hours", "business days" };
static const char *const tiers_any[] = { "", "standard", "premium", "vip", NULL };
static const char *const tier_labels[] = { "Any tier", "Standard", "Premium", "VIP" };
static const char *const priorities_any[] = { "", "low", "medium", "high", "urgent",
	"critical", NULL };
static const char *const priority_labels[] = { "Any priority", "Low", "Medium", "High",
	"Urgent", "Critical" };
static const char *const event_labels[] = { "At risk (80 % of a target used)",
	"Breached (a target missed)", "No update for some hours" };
static const char *const notify_labels[] = { "Nobody", "The team's supervisors",
	"Supervisors and managers (admins)" };
static const char *const pausable_labels[] = { "New", "Assigned", "In progress",
	"Waiting for the customer", "Waiting for parts", "Reopened" };

static int
render(struct app *app, struct req *r, struct resp *w, const char *name, struct tval *ctx,
    int status)
{
	w->status = status;
	return app_render(app, r, w, name, ctx);
}

/* A select of ids (first: "", any_label, when any_label is given). */
static struct tval *
id_select(struct arena *a, const struct sla_option *o, size_t n, long long current,
    const char *any_label)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list == NULL;

	if (any_label != NULL) {
		struct tval *m = tval_map(a);

		rc |= tval_set_str(a, m, "value", "");
		rc |= tval_set_str(a, m, "label", any_label);
		rc |= tval_set_bool(a, m, "selected", current == 0);
		rc |= tval_push(a, list, m);
	}
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_str(a, m, "value", arena_printf(a, "%lld", o[i].id));
		rc |= tval_set_str(a, m, "label", o[i].name);
		rc |= tval_set_bool(a, m, "selected", o[i].id == current);
		rc |= tval_push(a, list, m);
	}
	return rc ? NULL : list;
}

static size_t
count(const char *const *list)
{
	size_t n = 0;

	while (list[n] != NULL)
		n++;
	return n;
}

/* The current value of field in f, or NULL. */
static const char *
entered(const struct field_form *f, const char *field)
{
	const struct tval *v = tval_get(f->values, field);

	return v != NULL ? v->u.str.s : NULL;
}

/* ---- calendars ----------------------------------------------------------- */

static const struct field_rule calendar_rules[] = {
	{ "name", "Name", FIELD_TEXT, 1, 1, SLA_NAME_MAX, NULL },
	{ "time_zone", "Time zone", FIELD_TEXT, 1, 1, 64, NULL },
	{ "day_minutes", "Length of a business day", FIELD_INT, 1, 1, 1440, NULL },
	{ "holidays", "Holidays", FIELD_TEXT, 0, 0, 20000, NULL },
};
enum { CR_NAME, CR_ZONE, CR_DAY, CR_HOLIDAYS, CR__MAX };
_Static_assert(sizeof(calendar_rules) / sizeof(calendar_rules[0]) == CR__MAX, "one per field");

int
console_admin_calendars(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Business calendars"), *list;
	struct sla_calendar *c;
	struct arena *a = r->arena;
	size_t n, i;
	int rc = 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if (sla_admin_calendars(&app->db, a, &c, &n) < 0)
		return web_db_error(app);
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_int(a, m, "id", c[i].id);
		rc |= tval_set_str(a, m, "name", c[i].name);
		rc |= tval_set_str(a, m, "zone", c[i].zone);
		rc |= tval_set_str(a, m, "summary", c[i].summary);
		rc |= tval_set_int(a, m, "day_minutes", c[i].day_minutes);
		rc |= tval_push(a, list, m);
	}
	if (rc || tval_set(a, ctx, "calendars", list))
		return 500;
	return app_render(app, r, w, "console/admin/calendars", ctx);
}

static int
calendar_render(struct app *app, struct req *r, struct resp *w, struct field_form *f,
    long long id, int status)
{
	struct tval *ctx = app_page(app, r, id ? "Edit calendar" : "New calendar"), *days;
	struct arena *a = r->arena;
	int k, rc = 0;

	if (ctx == NULL || (days = tval_list(a)) == NULL)
		return 500;
	for (k = 0; k < 7; k++) {
		struct tval *m = tval_map(a);
		const char *field = arena_printf(a, "hours_%d", k + 1);
		const struct tval *err = tval_get(f->errors, field);

		rc |= tval_set_str(a, m, "field", field);
		rc |= tval_set_str(a, m, "day", day_names[k]);
		rc |= tval_set_str(a, m, "value", entered(f, field) ? entered(f, field) : "");
		if (err != NULL)
			rc |= tval_set_str(a, m, "error", err->u.str.s);
		rc |= tval_push(a, days, m);
	}
	rc |= tval_set(a, ctx, "days", days);
	rc |= tval_set_bool(a, ctx, "always_open", entered(f, "always_open") != NULL &&
	    strcmp(entered(f, "always_open"), "1") == 0);
	rc |= tval_set_str(a, ctx, "action", id ? arena_printf(a, CALENDARS_URL "/%lld", id) :
	    CALENDARS_URL "/new");
	rc |= tval_set_bool(a, ctx, "editing", id != 0);
	if (rc || fields_ctx(f, ctx) < 0)
		return 500;
	return render(app, r, w, "console/admin/calendar_form", ctx, status);
}

int
console_admin_calendar_new_form(struct app *app, struct req *r, struct resp *w)
{
	struct field_form f;
	int k;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_value(&f, "time_zone", "UTC");
	fields_value(&f, "day_minutes", "480");
	for (k = 1; k <= 5; k++)
		fields_value(&f, arena_printf(r->arena, "hours_%d", k), "09:00-17:00");
	return f.failed ? 500 : calendar_render(app, r, w, &f, 0, 200);
}

int
console_admin_calendar_edit_form(struct app *app, struct req *r, struct resp *w)
{
	struct sla_calendar c;
	struct field_form f;
	struct buf b;
	long long id = web_path_id(r, "id");
	size_t i;
	int k, found;

	if (id == 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	if ((found = sla_admin_calendar_get(&app->db, r->arena, id, &c)) < 0)
		return web_db_error(app);
	if (!found)
		return 404;
	fields_value(&f, "name", c.name);
	fields_value(&f, "time_zone", c.zone);
	fields_value(&f, "day_minutes", arena_printf(r->arena, "%d", c.day_minutes));
	fields_value(&f, "always_open", c.always_open ? "1" : "");
	for (k = 0; k < 7; k++)
		fields_value(&f, arena_printf(r->arena, "hours_%d", k + 1),
		    sla_intervals_text(r->arena, c.hours[k], c.nhours[k]));
	buf_init(&b, r->arena);
	buf_addstr(&b, "");
	for (i = 0; i < c.nholidays; i++)
		buf_printf(&b, "%s %s\n", c.holidays[i].day, c.holidays[i].name);
	fields_value(&f, "holidays", buf_failed(&b) ? "" : b.buf);
	return f.failed ? 500 : calendar_render(app, r, w, &f, id, 200);
}

/* Checks and saves the calendar form for id (0: new). */
static int
calendar_post(struct app *app, struct req *r, struct resp *w, long long id)
{
	struct sla_holiday *holidays = arena_calloc(r->arena, SLA_HOLIDAYS_MAX, sizeof(*holidays));
	struct sla_calendar c;
	struct audit_entry by;
	struct field_form f;
	const char *v[CR__MAX], *why = NULL;
	long long nums[CR__MAX], saved;
	size_t total = 0;
	int k, zone;

	memset(&c, 0, sizeof(c));
	if (holidays == NULL || fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, calendar_rules, CR__MAX, v, nums);
	c.id = id;
	c.name = v[CR_NAME];
	c.zone = v[CR_ZONE];
	c.day_minutes = (int)nums[CR_DAY];
	c.always_open = req_field(r, "always_open") != NULL;
	fields_value(&f, "always_open", c.always_open ? "1" : "");
	for (k = 0; k < 7; k++) {
		const char *field = arena_printf(r->arena, "hours_%d", k + 1);
		const char *text = fields_trim(r->arena, req_field(r, field) ? req_field(r, field) : "");

		if (text == NULL)
			return 500;
		fields_value(&f, field, text);
		if (strlen(text) > 200)
			fields_error(&f, field, "Too long: at most 200 characters a day.");
		else if (sla_parse_intervals(text, c.hours[k], SLA_INTERVALS_MAX, &c.nhours[k],
		    &why) < 0)
			fields_error(&f, field, arena_printf(r->arena, "%s: %s", day_names[k], why));
		total += c.nhours[k];
	}
	if (!c.always_open && total == 0 && f.nerrors == 0)
		fields_error(&f, "hours_1", "Give opening hours for at least one day, or choose "
		    "\"open around the clock\".");
	if (sla_parse_holidays(r->arena, v[CR_HOLIDAYS], holidays, SLA_HOLIDAYS_MAX,
	    &c.nholidays, &why) < 0)
		fields_error(&f, "holidays", why);
	c.holidays = holidays;
	if (*c.zone != '\0') {
		if ((zone = sla_admin_zone_ok(&app->db, c.zone)) < 0)
			return web_db_error(app);
		if (!zone)
			fields_error(&f, "time_zone", "Unknown time zone: use an IANA name such as "
			    "Europe/Berlin or America/New_York.");
	}
	if (f.failed)
		return 500;
	if (f.nerrors)
		return calendar_render(app, r, w, &f, id, 422);
	web_audit_actor(r, &by);
	saved = sla_admin_calendar_save(&app->db, &by, &c);
	if (saved == SLA_ADMIN_TAKEN) {
		fields_error(&f, "name", "Another calendar has this name.");
		return calendar_render(app, r, w, &f, id, 422);
	}
	if (saved < 0)
		return web_db_error(app);
	web_flash(app, r, w, "The calendar %s was saved.", utf8_short(r->arena, c.name,
	    FLASH_NAME));
	resp_redirect(w, CALENDARS_URL);
	return 0;
}

int
console_admin_calendar_create(struct app *app, struct req *r, struct resp *w)
{
	return calendar_post(app, r, w, 0);
}

int
console_admin_calendar_update(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	struct sla_calendar c;
	int found;

	if (id == 0)
		return 404;
	if ((found = sla_admin_calendar_get(&app->db, r->arena, id, &c)) < 0)
		return web_db_error(app);
	return found ? calendar_post(app, r, w, id) : 404;
}

/* ---- policies -------------------------------------------------------------- */

static const struct field_rule policy_rules[] = {
	{ "name", "Name", FIELD_TEXT, 1, 1, SLA_NAME_MAX, NULL },
	{ "tier", "Customer tier", FIELD_CHOICE, 0, 0, 0, tiers_any },
	{ "priority", "Priority", FIELD_CHOICE, 1, 0, 0, sla_admin_priorities },
	{ "category_id", "Category", FIELD_INT, 0, 0, 1LL << 50, NULL },
	{ "calendar_id", "Calendar", FIELD_INT, 1, 1, 1LL << 50, NULL },
	{ "first_response", "First-response target", FIELD_INT, 1, 1, 100000, NULL },
	{ "first_response_unit", "First-response unit", FIELD_CHOICE, 1, 0, 0, units },
	{ "next_response", "Next-response target", FIELD_INT, 1, 1, 100000, NULL },
	{ "next_response_unit", "Next-response unit", FIELD_CHOICE, 1, 0, 0, units },
	{ "resolution", "Resolution target", FIELD_INT, 1, 1, 100000, NULL },
	{ "resolution_unit", "Resolution unit", FIELD_CHOICE, 1, 0, 0, units },
};
enum { PR_NAME, PR_TIER, PR_PRIORITY, PR_CATEGORY, PR_CALENDAR, PR_FR, PR_FR_UNIT, PR_NR,
	PR_NR_UNIT, PR_RES, PR_RES_UNIT, PR__MAX };
_Static_assert(sizeof(policy_rules) / sizeof(policy_rules[0]) == PR__MAX, "one per field");

static const char *const target_fields[3] = { "first_response", "next_response",
	"resolution" };

int
console_admin_sla_policies(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "SLA policies"), *list;
	struct sla_policy *p;
	struct arena *a = r->arena;
	size_t n, i;
	int rc = 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if (sla_admin_policies(&app->db, a, &p, &n) < 0)
		return web_db_error(app);
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_int(a, m, "id", p[i].id);
		rc |= tval_set_str(a, m, "name", p[i].name);
		rc |= tval_set_bool(a, m, "active", p[i].active);
		rc |= tval_set_str(a, m, "tier", *p[i].tier ? p[i].tier : "any");
		rc |= tval_set_str(a, m, "priority", p[i].priority);
		rc |= tval_set_str(a, m, "category", *p[i].category ? p[i].category : "any");
		rc |= tval_set_str(a, m, "calendar", p[i].calendar);
		rc |= tval_set_str(a, m, "targets", p[i].targets_text);
		rc |= tval_set_str(a, m, "pauses", p[i].pauses_text);
		rc |= tval_push(a, list, m);
	}
	if (rc || tval_set(a, ctx, "policies", list))
		return 500;
	return app_render(app, r, w, "console/admin/sla_policies", ctx);
}

static int
policy_render(struct app *app, struct req *r, struct resp *w, struct field_form *f, long long id,
    const unsigned char *paused, int status)
{
	struct tval *ctx = app_page(app, r, id ? "Edit SLA policy" : "New SLA policy");
	struct sla_option *cats, *cals;
	struct arena *a = r->arena;
	size_t ncats, ncals;
	const char *cat = entered(f, "category_id"), *cal = entered(f, "calendar_id");
	int k, rc = 0;

	if (ctx == NULL)
		return 500;
	if (sla_admin_options(&app->db, a, 0, &cats, &ncats) < 0 ||
	    sla_admin_options(&app->db, a, 1, &cals, &ncals) < 0)
		return web_db_error(app);
	rc |= tval_set(a, ctx, "tier_options", fields_select(a, tiers_any, tier_labels, 4,
	    entered(f, "tier")));
	rc |= tval_set(a, ctx, "priority_options", fields_select(a, priorities_any + 1,
	    priority_labels + 1, 5, entered(f, "priority")));
	rc |= tval_set(a, ctx, "category_options", id_select(a, cats, ncats,
	    cat != NULL ? web_id(cat) : 0, "Any category"));
	rc |= tval_set(a, ctx, "calendar_options", id_select(a, cals, ncals,
	    cal != NULL ? web_id(cal) : 0, NULL));
	for (k = 0; k < 3; k++)
		rc |= tval_set(a, ctx, arena_printf(a, "%s_units", target_fields[k]),
		    fields_select(a, units, unit_labels, 3, entered(f, arena_printf(a, "%s_unit",
		    target_fields[k]))));
	rc |= tval_set(a, ctx, "pause_options", fields_options(a, sla_admin_pausable,
	    pausable_labels, count(sla_admin_pausable), paused));
	rc |= tval_set_bool(a, ctx, "active", entered(f, "active") != NULL &&
	    strcmp(entered(f, "active"), "1") == 0);
	rc |= tval_set_str(a, ctx, "action", id ? arena_printf(a, POLICIES_URL "/%lld", id) :
	    POLICIES_URL "/new");
	if (rc || fields_ctx(f, ctx) < 0)
		return 500;
	return render(app, r, w, "console/admin/sla_policy_form", ctx, status);
}

/* A target in minutes as the form shows it: the largest unit that divides it. */
static void
target_value(struct field_form *f, struct arena *a, const char *field, int minutes,
    int day_minutes)
{
	const char *unit = "minutes";
	int v = minutes;

	if (day_minutes > 0 && day_minutes < 1440 && minutes % day_minutes == 0) {
		unit = "days";
		v = minutes / day_minutes;
	} else if (minutes % 60 == 0) {
		unit = "hours";
		v = minutes / 60;
	}
	fields_value(f, field, arena_printf(a, "%d", v));
	fields_value(f, arena_printf(a, "%s_unit", field), unit);
}

int
console_admin_sla_policy_new_form(struct app *app, struct req *r, struct resp *w)
{
	unsigned char paused[8] = { 0, 0, 0, 1, 0, 0, 0, 0 };
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_value(&f, "priority", "medium");
	fields_value(&f, "active", "1");
	fields_value(&f, "first_response_unit", "hours");
	fields_value(&f, "next_response_unit", "hours");
	fields_value(&f, "resolution_unit", "days");
	return f.failed ? 500 : policy_render(app, r, w, &f, 0, paused, 200);
}

int
console_admin_sla_policy_edit_form(struct app *app, struct req *r, struct resp *w)
{
	unsigned char paused[8] = { 0 };
	struct sla_policy p;
	struct field_form f;
	long long id = web_path_id(r, "id");
	int found, day, k;
	size_t i;

	if (id == 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	if ((found = sla_admin_policy_get(&app->db, r->arena, id, &p)) < 0)
		return web_db_error(app);
	if (!found)
		return 404;
	if ((day = sla_admin_day_minutes(&app->db, p.calendar_id)) < 0)
		return web_db_error(app);
	fields_value(&f, "name", p.name);
	fields_value(&f, "tier", p.tier);
	fields_value(&f, "priority", p.priority);
	fields_value(&f, "category_id", p.category_id ? arena_printf(r->arena, "%lld",
	    p.category_id) : "");
	fields_value(&f, "calendar_id", arena_printf(r->arena, "%lld", p.calendar_id));
	fields_value(&f, "active", p.active ? "1" : "");
	for (k = 0; k < 3; k++)
		target_value(&f, r->arena, target_fields[k], p.minutes[k], day);
	for (i = 0; sla_admin_pausable[i] != NULL; i++)
		for (k = 0; p.pauses[k] != NULL; k++)
			if (strcmp(p.pauses[k], sla_admin_pausable[i]) == 0)
				paused[i] = 1;
	return f.failed ? 500 : policy_render(app, r, w, &f, id, paused, 200);
}

static int
policy_post(struct app *app, struct req *r, struct resp *w, long long id)
{
	unsigned char paused[8] = { 0 };
	const char *chosen[8], *v[PR__MAX];
	struct sla_policy p;
	struct audit_entry by;
	struct field_form f;
	long long nums[PR__MAX], saved;
	size_t nchosen, i, np = 0;
	int k, day = 0;

	memset(&p, 0, sizeof(p));
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, policy_rules, PR__MAX, v, nums);
	p.id = id;
	p.name = v[PR_NAME];
	p.tier = v[PR_TIER];
	p.priority = v[PR_PRIORITY];
	p.category_id = nums[PR_CATEGORY];
	p.calendar_id = nums[PR_CALENDAR];
	p.active = req_field(r, "active") != NULL;
	fields_value(&f, "active", p.active ? "1" : "");
	nchosen = fields_all(r, "pause", chosen, 8);
	for (i = 0; i < nchosen; i++) {
		size_t at;

		for (at = 0; sla_admin_pausable[at] != NULL; at++)
			if (strcmp(chosen[i], sla_admin_pausable[at]) == 0)
				break;
		if (sla_admin_pausable[at] == NULL) {
			fields_error(&f, "pause", "Choose pausing statuses from the list.");
			continue;
		}
		if (!paused[at] && np < 7)
			p.pauses[np++] = sla_admin_pausable[at];
		paused[at] = 1;
	}
	if (p.calendar_id > 0) {
		if ((day = sla_admin_day_minutes(&app->db, p.calendar_id)) < 0)
			return web_db_error(app);
		if (day == 0)
			fields_error(&f, "calendar_id", "Choose a calendar from the list.");
	}
	for (k = 0; k < 3; k++) {
		long long value = nums[PR_FR + 2 * k];
		const char *unit = v[PR_FR_UNIT + 2 * k];
		long long mult = strcmp(unit, "hours") == 0 ? 60 : strcmp(unit, "days") == 0 ? day : 1;

		if (value > 0 && value * mult > 525600)
			fields_error(&f, target_fields[k], "A target may be at most a year.");
		p.minutes[k] = (int)(value * mult);
	}
	if (f.failed)
		return 500;
	if (f.nerrors)
		return policy_render(app, r, w, &f, id, paused, 422);
	web_audit_actor(r, &by);
	saved = sla_admin_policy_save(&app->db, &by, &p);
	if (saved == SLA_ADMIN_TAKEN) {
		fields_error(&f, "name", "Another policy has this name, or covers the same tier, "
		    "priority and category.");
		return policy_render(app, r, w, &f, id, paused, 422);
	}
	if (saved < 0)
		return web_db_error(app);
	web_flash(app, r, w, "The policy %s was saved; open tickets follow it within a minute.",
	    utf8_short(r->arena, p.name, FLASH_NAME));
	resp_redirect(w, POLICIES_URL);
	return 0;
}

int
console_admin_sla_policy_create(struct app *app, struct req *r, struct resp *w)
{
	return policy_post(app, r, w, 0);
}

int
console_admin_sla_policy_update(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	struct sla_policy p;
	int found;

	if (id == 0)
		return 404;
	if ((found = sla_admin_policy_get(&app->db, r->arena, id, &p)) < 0)
		return web_db_error(app);
	return found ? policy_post(app, r, w, id) : 404;
}

/* ---- escalation rules ------------------------------------------------------ */

static const struct field_rule rule_rules[] = {
	{ "name", "Name", FIELD_TEXT, 1, 1, SLA_NAME_MAX, NULL },
	{ "position", "Position", FIELD_INT, 0, 0, 10000, NULL },
	{ "on_event", "When", FIELD_CHOICE, 1, 0, 0, sla_admin_events },
	{ "no_update_hours", "Hours without update", FIELD_INT, 0, 1, 8760, NULL },
	{ "if_priority", "Priority", FIELD_CHOICE, 0, 0, 0, priorities_any },
	{ "if_tier", "Customer tier", FIELD_CHOICE, 0, 0, 0, tiers_any },
	{ "if_category_id", "Category", FIELD_INT, 0, 0, 1LL << 50, NULL },
	{ "notify", "Notify", FIELD_CHOICE, 1, 0, 0, sla_admin_notify },
};
enum { RR_NAME, RR_POS, RR_EVENT, RR_HOURS, RR_PRIORITY, RR_TIER, RR_CATEGORY, RR_NOTIFY,
	RR__MAX };
_Static_assert(sizeof(rule_rules) / sizeof(rule_rules[0]) == RR__MAX, "one per field");

int
console_admin_escalation_rules(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Escalation rules"), *list;
	struct sla_rule *x;
	struct arena *a = r->arena;
	size_t n, i;
	int rc = 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if (sla_admin_rules(&app->db, a, &x, &n) < 0)
		return web_db_error(app);
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_int(a, m, "id", x[i].id);
		rc |= tval_set_int(a, m, "position", x[i].position);
		rc |= tval_set_str(a, m, "name", x[i].name);
		rc |= tval_set_bool(a, m, "active", x[i].active);
		rc |= tval_set_str(a, m, "on_event", x[i].on_event);
		if (x[i].no_update_hours > 0)
			rc |= tval_set_int(a, m, "hours", x[i].no_update_hours);
		rc |= tval_set_str(a, m, "priority", *x[i].if_priority ? x[i].if_priority : "any");
		rc |= tval_set_str(a, m, "tier", *x[i].if_tier ? x[i].if_tier : "any");
		rc |= tval_set_str(a, m, "category", *x[i].category ? x[i].category : "any");
		rc |= tval_set_str(a, m, "notify", x[i].notify);
		rc |= tval_set_bool(a, m, "reassign", x[i].reassign);
		rc |= tval_set_bool(a, m, "raise", x[i].raise);
		rc |= tval_push(a, list, m);
	}
	if (rc || tval_set(a, ctx, "rules", list))
		return 500;
	return app_render(app, r, w, "console/admin/escalation_rules", ctx);
}

static int
rule_render(struct app *app, struct req *r, struct resp *w, struct field_form *f, long long id,
    int status)
{
	struct tval *ctx = app_page(app, r, id ? "Edit escalation rule" : "New escalation rule");
	struct sla_option *cats;
	struct arena *a = r->arena;
	const char *cat = entered(f, "if_category_id");
	size_t ncats;
	int rc = 0;

	if (ctx == NULL)
		return 500;
	if (sla_admin_options(&app->db, a, 0, &cats, &ncats) < 0)
		return web_db_error(app);
	rc |= tval_set(a, ctx, "event_options", fields_select(a, sla_admin_events, event_labels, 3,
	    entered(f, "on_event")));
	rc |= tval_set(a, ctx, "priority_options", fields_select(a, priorities_any, priority_labels,
	    6, entered(f, "if_priority")));
	rc |= tval_set(a, ctx, "tier_options", fields_select(a, tiers_any, tier_labels, 4,
	    entered(f, "if_tier")));
	rc |= tval_set(a, ctx, "category_options", id_select(a, cats, ncats,
	    cat != NULL ? web_id(cat) : 0, "Any category"));
	rc |= tval_set(a, ctx, "notify_options", fields_select(a, sla_admin_notify, notify_labels, 3,
	    entered(f, "notify")));
	rc |= tval_set_bool(a, ctx, "active", entered(f, "active") && *entered(f, "active"));
	rc |= tval_set_bool(a, ctx, "reassign", entered(f, "reassign") &&
	    *entered(f, "reassign"));
	rc |= tval_set_bool(a, ctx, "raise", entered(f, "raise") && *entered(f, "raise"));
	rc |= tval_set_str(a, ctx, "action", id ? arena_printf(a, RULES_URL "/%lld", id) :
	    RULES_URL "/new");
	if (rc || fields_ctx(f, ctx) < 0)
		return 500;
	return render(app, r, w, "console/admin/escalation_rule_form", ctx, status);
}

int
console_admin_escalation_rule_new_form(struct app *app, struct req *r, struct resp *w)
{
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_value(&f, "on_event", "breached");
	fields_value(&f, "notify", "supervisor");
	fields_value(&f, "position", "100");
	fields_value(&f, "active", "1");
	return f.failed ? 500 : rule_render(app, r, w, &f, 0, 200);
}

int
console_admin_escalation_rule_edit_form(struct app *app, struct req *r, struct resp *w)
{
	struct sla_rule x;
	struct field_form f;
	long long id = web_path_id(r, "id");
	int found;

	if (id == 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	if ((found = sla_admin_rule_get(&app->db, r->arena, id, &x)) < 0)
		return web_db_error(app);
	if (!found)
		return 404;
	fields_value(&f, "name", x.name);
	fields_value(&f, "position", arena_printf(r->arena, "%d", x.position));
	fields_value(&f, "on_event", x.on_event);
	fields_value(&f, "no_update_hours", x.no_update_hours ? arena_printf(r->arena, "%d",
	    x.no_update_hours) : "");
	fields_value(&f, "if_priority", x.if_priority);
	fields_value(&f, "if_tier", x.if_tier);
	fields_value(&f, "if_category_id", x.if_category_id ? arena_printf(r->arena, "%lld",
	    x.if_category_id) : "");
	fields_value(&f, "notify", x.notify);
	fields_value(&f, "active", x.active ? "1" : "");
	fields_value(&f, "reassign", x.reassign ? "1" : "");
	fields_value(&f, "raise", x.raise ? "1" : "");
	return f.failed ? 500 : rule_render(app, r, w, &f, id, 200);
}

static int
rule_post(struct app *app, struct req *r, struct resp *w, long long id)
{
	struct sla_rule x;
	struct audit_entry by;
	struct field_form f;
	const char *v[RR__MAX];
	long long nums[RR__MAX], saved;

	memset(&x, 0, sizeof(x));
	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, rule_rules, RR__MAX, v, nums);
	x.id = id;
	x.name = v[RR_NAME];
	x.position = (int)nums[RR_POS];
	x.on_event = v[RR_EVENT];
	x.no_update_hours = (int)nums[RR_HOURS];
	x.if_priority = v[RR_PRIORITY];
	x.if_tier = v[RR_TIER];
	x.if_category_id = nums[RR_CATEGORY];
	x.notify = v[RR_NOTIFY];
	x.active = req_field(r, "active") != NULL;
	x.reassign = req_field(r, "reassign") != NULL;
	x.raise = req_field(r, "raise") != NULL;
	fields_value(&f, "active", x.active ? "1" : "");
	fields_value(&f, "reassign", x.reassign ? "1" : "");
	fields_value(&f, "raise", x.raise ? "1" : "");
	if (strcmp(x.on_event, "no_update") == 0 && x.no_update_hours <= 0 &&
	    tval_get(f.errors, "no_update_hours") == NULL)
		fields_error(&f, "no_update_hours", "Say after how many hours without an update "
		    "(1 to 8760).");
	if (strcmp(x.notify, "none") == 0 && !x.reassign && !x.raise && *x.notify != '\0')
		fields_error(&f, "notify", "Choose at least one action: notify, reassign or raise "
		    "the priority.");
	if (f.failed)
		return 500;
	if (f.nerrors)
		return rule_render(app, r, w, &f, id, 422);
	web_audit_actor(r, &by);
	saved = sla_admin_rule_save(&app->db, &by, &x);
	if (saved == SLA_ADMIN_TAKEN) {
		fields_error(&f, "name", "Another rule has this name.");
		return rule_render(app, r, w, &f, id, 422);
	}
	if (saved < 0)
		return web_db_error(app);
	web_flash(app, r, w, "The rule %s was saved.", utf8_short(r->arena, x.name, FLASH_NAME));
	resp_redirect(w, RULES_URL);
	return 0;
}

int
console_admin_escalation_rule_create(struct app *app, struct req *r, struct resp *w)
{
	return rule_post(app, r, w, 0);
}

int
console_admin_escalation_rule_update(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	struct sla_rule x;
	int found;

	if (id == 0)
		return 404;
	if ((found = sla_admin_rule_get(&app->db, r->arena, id, &x)) < 0)
		return web_db_error(app);
	return found ? rule_post(app, r, w, id) : 404;
}
