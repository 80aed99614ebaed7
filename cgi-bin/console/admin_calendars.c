/*
 * admin_calendars.c — the admin pages for business calendars: the list,
 * a new form and an edit form (time zone, opening hours per weekday with
 * several intervals a day, holidays, or open around the clock). The
 * domain (sla_calendars.h) parses and checks what was typed; a form that
 * fails comes back with a message next to each field at fault. Routes and
 * access (admin only) are in cgi-bin/console.c.
 */
#include "web/admin_form.h"
#include "console/admin_sla.h"
#include "console/handlers.h"
#include "core/arena.h"
#include "core/buf.h"
#include "domain/audit.h"
#include "domain/sla_calendars.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <string.h>

#define CALENDARS_URL "/agent/admin/calendars"

static const char *const day_names[7] = { "Monday", "Tuesday", "Wednesday", "Thursday",
	"Friday", "Saturday", "Sunday" };

/* Lengths, zone, hours and holidays are the domain's to check (sla_calendars.h). */
static const struct field_rule calendar_rules[] = {
	{ "name", "Name", FIELD_TEXT, 1, 0, 0, NULL },
	{ "time_zone", "Time zone", FIELD_TEXT, 1, 0, 0, NULL },
	{ "day_minutes", "Length of a business day", FIELD_INT, 1, 1, SLA_DAY_MINUTES_MAX, NULL },
	{ "always_open", "Open around the clock", FIELD_TEXT, 0, 0, 0, NULL },
	{ "holidays", "Holidays", FIELD_LINES, 0, 0, 0, NULL },
	{ "hours_1", "Monday", FIELD_TEXT, 0, 0, 0, NULL },
	{ "hours_2", "Tuesday", FIELD_TEXT, 0, 0, 0, NULL },
	{ "hours_3", "Wednesday", FIELD_TEXT, 0, 0, 0, NULL },
	{ "hours_4", "Thursday", FIELD_TEXT, 0, 0, 0, NULL },
	{ "hours_5", "Friday", FIELD_TEXT, 0, 0, 0, NULL },
	{ "hours_6", "Saturday", FIELD_TEXT, 0, 0, 0, NULL },
	{ "hours_7", "Sunday", FIELD_TEXT, 0, 0, 0, NULL },
};
enum { CR_NAME, CR_ZONE, CR_DAY, CR_ALWAYS, CR_HOLIDAYS, CR_HOURS, CR__MAX = CR_HOURS + 7 };
_Static_assert(sizeof(calendar_rules) / sizeof(calendar_rules[0]) == CR__MAX, "one per field");

static int
calendar_row(struct arena *a, struct tval *m, const void *row)
{
	const struct sla_calendar *c = row;

	return tval_set_int(a, m, "id", c->id) | tval_set_str(a, m, "name", c->name) |
	    tval_set_str(a, m, "zone", c->zone) | tval_set_str(a, m, "summary", c->summary) |
	    tval_set_int(a, m, "day_minutes", c->day_minutes);
}

int
console_admin_calendars(struct app *app, struct req *r, struct resp *w)
{
	struct sla_calendar *c;
	enum cs_result res;
	size_t n;

	if ((res = sla_calendar_list(&app->db, r->arena, &c, &n)) != CS_OK)
		return web_result_status(res);
	return admin_list_page(app, r, w, "Business calendars", "console/admin/calendars",
	    "calendars", c, n, sizeof(*c), calendar_row);
}

/* The opening hours, a row per weekday, and the around-the-clock box. */
static int
calendar_fill(struct app *app, struct req *r, struct admin_form_state *st, struct tval *ctx)
{
	struct arena *a = r->arena;
	struct tval *days = tval_list(a);
	int k, rc = days == NULL;

	(void)app;
	for (k = 0; !rc && k < 7; k++) {
		struct tval *m = tval_map(a);
		const char *field = calendar_rules[CR_HOURS + k].name;
		const char *value = admin_form_entered(&st->f, field);
		const struct tval *err = tval_get(st->f.errors, field);

		rc |= tval_set_str(a, m, "field", field);
		rc |= tval_set_str(a, m, "day", day_names[k]);
		rc |= tval_set_str(a, m, "value", value != NULL ? value : "");
		if (err != NULL)
			rc |= tval_set_str(a, m, "error", err->u.str.s);
		rc |= tval_push(a, days, m);
	}
	rc |= tval_set(a, ctx, "days", days);
	rc |= tval_set_bool(a, ctx, "always_open", admin_form_ticked(&st->f, "always_open"));
	return rc ? 500 : 0;
}

static int
calendar_defaults(struct app *app, struct req *r, struct admin_form_state *st)
{
	int k;

	(void)app;
	(void)r;
	fields_value(&st->f, "time_zone", "UTC");
	fields_value(&st->f, "day_minutes", "480");
	for (k = 0; k < 5; k++)
		fields_value(&st->f, calendar_rules[CR_HOURS + k].name, "09:00-17:00");
	return st->f.failed ? -1 : 0;
}

static enum cs_result
calendar_load(struct app *app, struct req *r, struct admin_form_state *st)
{
	struct field_form *f = &st->f;
	struct sla_calendar c;
	struct buf b;
	enum cs_result res;
	size_t i;
	int k;

	if ((res = sla_calendar_get(&app->db, r->arena, st->id, &c)) != CS_OK)
		return res;
	fields_value(f, "name", c.name);
	fields_value(f, "time_zone", c.zone);
	fields_value(f, "day_minutes", arena_printf(r->arena, "%d", c.day_minutes));
	fields_value(f, "always_open", c.always_open ? "1" : "");
	for (k = 0; k < 7; k++)
		fields_value(f, calendar_rules[CR_HOURS + k].name,
		    sla_intervals_text(r->arena, c.week.day[k], c.week.n[k]));
	buf_init(&b, r->arena);
	buf_addstr(&b, "");
	for (i = 0; i < c.nholidays; i++)
		buf_printf(&b, "%s %s\n", c.holidays[i].day, c.holidays[i].name);
	fields_value(f, "holidays", buf_failed(&b) ? "" : b.buf);
	return CS_OK;
}

static enum cs_result
calendar_save(struct app *app, struct req *r, struct admin_form_state *st, const char *const *v,
    const long long *nums, const struct audit_entry *by)
{
	struct sla_calendar_input in = { .name = v[CR_NAME], .zone = v[CR_ZONE],
		.day_minutes = nums[CR_DAY], .always_open = *v[CR_ALWAYS] != '\0',
		.holidays = v[CR_HOLIDAYS] };
	struct sla_calendar c;
	struct sla_why why = { .n = 0 };
	enum cs_result rc;
	int k;

	for (k = 0; k < 7; k++)
		in.hours[k] = v[CR_HOURS + k];
	st->name = in.name;
	if (st->f.nerrors > 0) {
		/* Every message at once: what the domain says of the rest as well. */
		if ((rc = sla_calendar_check(&app->db, r->arena, &in, &c, &why)) == CS_OK)
			rc = CS_REFUSED;
	} else {
		rc = st->id == 0 ? sla_calendar_create(&app->db, r->arena, by, &in, &st->id, &why) :
		    sla_calendar_update(&app->db, r->arena, by, st->id, &in, &why);
	}
	console_sla_refused(&st->f, &why);
	return rc;
}

static const struct admin_form calendar_form = {
	.base = CALENDARS_URL, .template = "console/admin/calendar_form",
	.title_new = "New calendar", .title_edit = "Edit calendar",
	.saved_before = "The calendar ", .saved_after = " was saved.", .rules = calendar_rules,
	.nrules = CR__MAX, .defaults = calendar_defaults, .load = calendar_load,
	.fill = calendar_fill, .save = calendar_save,
};

int
console_admin_calendar_new_form(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_new(app, r, w, &calendar_form);
}

int
console_admin_calendar_edit_form(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_edit(app, r, w, &calendar_form);
}

int
console_admin_calendar_create(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_create(app, r, w, &calendar_form);
}

int
console_admin_calendar_update(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_update(app, r, w, &calendar_form);
}
