/*
 * settings.c — an agent's personal settings (staff_prefs.h): GET and POST
 * /agent/settings (theme, language, time zone, keyboard shortcuts, what
 * happens after an action on a ticket, which events mail the agent), and
 * GET /agent/shortcuts, the list of
 * keyboard shortcuts that the "?" overlay also shows. Routes and access
 * (staff) are in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "console/tickets.h"
#include "core/arena.h"
#include "domain/staff_prefs.h"
#include "web/i18n.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <string.h>

/* The catalogue keys of the choices' labels, in the order of their words. */
static const char *const theme_labels[] = { "settings_theme_system", "settings_theme_light",
	"settings_theme_dark", NULL };
static const char *const after_labels[] = { "settings_after_stay", "settings_after_next",
	NULL };
static const char *const on_off[] = { "on", "off", NULL };
static const char *const checked[] = { "1", NULL };

static const struct field_rule settings_rules[] = {
	{ "theme", "Theme", FIELD_CHOICE, 1, 0, 0, staff_pref_themes },
	{ "time_zone", "Time zone", FIELD_TEXT, 1, 1, STAFF_PREF_ZONE_MAX, NULL },
	{ "shortcuts", "Keyboard shortcuts", FIELD_CHOICE, 1, 0, 0, on_off },
	{ "after_action", "After an action", FIELD_CHOICE, 1, 0, 0, staff_pref_afters },
	/* Checked against the catalogues by staff_prefs_save. */
	{ "language", "Language", FIELD_TEXT, 0, 0, 8, NULL },
	{ "mail_assigned", "Assigned to me", FIELD_CHOICE, 0, 0, 0, checked },
	{ "mail_replied", "A customer replied", FIELD_CHOICE, 0, 0, 0, checked },
	{ "mail_at_risk", "At risk", FIELD_CHOICE, 0, 0, 0, checked },
};
enum { P_THEME, P_ZONE, P_SHORTCUTS, P_AFTER, P_LANGUAGE, P_MAIL_ASSIGNED, P_MAIL_REPLIED,
	P_MAIL_AT_RISK, P__MAX };
_Static_assert(sizeof(settings_rules) / sizeof(settings_rules[0]) == P__MAX,
    "one rule per field");

/*
 * {value, label, selected} for each word; the label is the catalogue's
 * text of labels[i] in language lang, or, with labels NULL, the name of
 * the language the word is the code of. NULL: out of memory.
 */
static struct tval *
choices(struct arena *a, const char *lang, const char *const *words, const char *const *labels,
    const char *cur)
{
	struct tval *list = tval_list(a);
	int i, rc = list == NULL;

	for (i = 0; !rc && words[i] != NULL; i++) {
		const char *label = labels != NULL ? i18n_text(lang, labels[i]) :
		    i18n_text(words[i], "language_name");

		rc |= console_tickets_option(a, list, words[i], label != NULL ? label : words[i],
		    strcmp(words[i], cur) == 0);
	}
	return rc ? NULL : list;
}

static int
settings_page(struct app *app, struct req *r, struct resp *w, const struct staff_prefs *p,
    struct tval *errors, int status)
{
	const char *lang = r->who.language;
	struct tval *ctx = app_page(app, r, i18n_text(lang, "settings_title"));
	struct arena *a = r->arena;
	int rc;

	if (ctx == NULL)
		return 500;
	rc = tval_set(a, ctx, "theme_options", choices(a, lang, staff_pref_themes, theme_labels,
	    p->theme));
	rc |= tval_set(a, ctx, "after_options", choices(a, lang, staff_pref_afters, after_labels,
	    p->after_action));
	rc |= tval_set(a, ctx, "language_options", choices(a, lang, i18n_languages(), NULL,
	    p->language));
	rc |= tval_set_bool(a, ctx, "mail_assigned", p->mail_assigned);
	rc |= tval_set_bool(a, ctx, "mail_replied", p->mail_replied);
	rc |= tval_set_bool(a, ctx, "mail_at_risk", p->mail_at_risk);
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
	if (*val[P_LANGUAGE] != '\0')
		p.language = val[P_LANGUAGE];
	p.mail_assigned = *val[P_MAIL_ASSIGNED] != '\0';
	p.mail_replied = *val[P_MAIL_REPLIED] != '\0';
	p.mail_at_risk = *val[P_MAIL_AT_RISK] != '\0';
	if (f.nerrors > 0)
		return settings_page(app, r, w, &p, f.errors, 422);
	rc = staff_prefs_save(&app->db, r->who.id, &p, i18n_languages(), &why, &field);
	if (rc == CS_REFUSED) {
		if (tval_set_str(r->arena, f.errors, field, why))
			return 500;
		return settings_page(app, r, w, &p, f.errors, 422);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	resp_redirect(w, "/agent/settings");
	app_flash(app, r, w, 0, i18n_text(p.language, "settings_saved"));
	return 0;
}

int
console_shortcuts(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Keyboard shortcuts");

	return ctx == NULL ? 500 : app_render(app, r, w, "console/shortcuts", ctx);
}
