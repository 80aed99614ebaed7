/*
 * settings.c — an agent's personal settings (staff_prefs.h): GET and POST
 * /agent/settings (theme, time zone, keyboard shortcuts, what happens
 * after an action on a ticket), and GET /agent/shortcuts, the list of
 * keyboard shortcuts that the "?" overlay also shows. Routes and access
 * (staff) are in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "console/tickets.h"
#include "core/arena.h"
#include "domain/staff_prefs.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <string.h>

static const char *const theme_labels[] = { "Follow the system", "Light", "Dark", NULL };
static const char *const after_labels[] = { "Stay on the ticket",
	"Open the next ticket of the view", NULL };
static const char *const on_off[] = { "on", "off", NULL };

static const struct field_rule settings_rules[] = {
	{ "theme", "Theme", FIELD_CHOICE, 1, 0, 0, staff_pref_themes },
	{ "time_zone", "Time zone", FIELD_TEXT, 1, 1, STAFF_PREF_ZONE_MAX, NULL },
	{ "shortcuts", "Keyboard shortcuts", FIELD_CHOICE, 1, 0, 0, on_off },
	{ "after_action", "After an action", FIELD_CHOICE, 1, 0, 0, staff_pref_afters },
};
enum { P_THEME, P_ZONE, P_SHORTCUTS, P_AFTER, P__MAX };
_Static_assert(sizeof(settings_rules) / sizeof(settings_rules[0]) == P__MAX,
    "one rule per field");

/* {value, label, selected} for each word. NULL: out of memory. */
static struct tval *
choices(struct arena *a, const char *const *words, const char *const *labels, const char *cur)
{
	struct tval *list = tval_list(a);
	int i, rc = list == NULL;

	for (i = 0; !rc && words[i] != NULL; i++)
		rc |= console_tickets_option(a, list, words[i], labels[i],
		    strcmp(words[i], cur) == 0);
	return rc ? NULL : list;
}

static int
settings_page(struct app *app, struct req *r, struct resp *w, const struct staff_prefs *p,
    struct tval *errors, int status)
{
	struct tval *ctx = app_page(app, r, "Your settings");
	struct arena *a = r->arena;
	int rc;

	if (ctx == NULL)
		return 500;
	rc = tval_set(a, ctx, "theme_options", choices(a, staff_pref_themes, theme_labels,
	    p->theme));
	rc |= tval_set(a, ctx, "after_options", choices(a, staff_pref_afters, after_labels,
	    p->after_action));
	rc |= tval_set_bool(a, ctx, "shortcuts_on", p->shortcuts);
	rc |= tval_set_str(a, ctx, "time_zone", p->time_zone);
	if (errors != NULL)
		rc |= tval_set(a, ctx, "e", errors);
	if (rc)
		return 500;
	w->status = status;
	return app_render(app, r, w, "console/settings", ctx);
}

int
console_settings(struct app *app, struct req *r, struct resp *w)
{
	struct staff_prefs p;
	enum cs_result rc = staff_prefs_get(&app->db, r->arena, r->who.id, &p);

	if (rc != CS_OK)
		return web_result_status(rc);
	return settings_page(app, r, w, &p, NULL, 200);
}

int
console_settings_save(struct app *app, struct req *r, struct resp *w)
{
	struct field_form f;
	struct staff_prefs p;
	const char *val[P__MAX], *why, *field;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, settings_rules, P__MAX, val, NULL);
	if (f.failed)
		return 500;
	staff_prefs_default(&p);
	/* What was chosen comes back, even when refused. */
	if (*val[P_THEME] != '\0')
		p.theme = val[P_THEME];
	if (*val[P_AFTER] != '\0')
		p.after_action = val[P_AFTER];
	p.time_zone = val[P_ZONE];
	p.shortcuts = strcmp(val[P_SHORTCUTS], "off") != 0;
	if (f.nerrors > 0)
		return settings_page(app, r, w, &p, f.errors, 422);
	rc = staff_prefs_save(&app->db, r->who.id, &p, &why, &field);
	if (rc == CS_REFUSED) {
		if (tval_set_str(r->arena, f.errors, field, why))
			return 500;
		return settings_page(app, r, w, &p, f.errors, 422);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	resp_redirect(w, "/agent/settings");
	app_flash(app, r, w, 0, "Settings saved.");
	return 0;
}

int
console_shortcuts(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Keyboard shortcuts");

	return ctx == NULL ? 500 : app_render(app, r, w, "console/shortcuts", ctx);
}
