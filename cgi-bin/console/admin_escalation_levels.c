/*
 * admin_escalation_levels.c — GET|POST /agent/admin/escalation-levels: the
 * names of the five escalation levels (escalation_levels.h), saved at
 * once; a refused form comes back with a message at each name at fault
 * and what was typed. Routes and access (admin only) are in
 * cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/admin_sla.h"
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/escalation_levels.h"
#include "tmpl/tval.h"
#include "web/result.h"

#define LEVELS_URL "/agent/admin/escalation-levels"

/* Lengths are the domain's to check. */
static const struct field_rule level_rules[ESCALATION_LEVELS] = {
	{ "name_1", "Level 1", FIELD_TEXT, 0, 0, 0, NULL },
	{ "name_2", "Level 2", FIELD_TEXT, 0, 0, 0, NULL },
	{ "name_3", "Level 3", FIELD_TEXT, 0, 0, 0, NULL },
	{ "name_4", "Level 4", FIELD_TEXT, 0, 0, 0, NULL },
	{ "name_5", "Level 5", FIELD_TEXT, 0, 0, 0, NULL },
};

static int
levels_render(struct app *app, struct req *r, struct resp *w, struct field_form *f, int status)
{
	struct tval *ctx = app_page(app, r, "Escalation levels");

	if (ctx == NULL || fields_ctx(f, ctx) < 0)
		return 500;
	return console_sla_render(app, r, w, "console/admin/escalation_levels", ctx, status);
}

int
console_admin_escalation_levels(struct app *app, struct req *r, struct resp *w)
{
	const char *names[ESCALATION_LEVELS];
	struct field_form f;
	enum cs_result res;
	int i;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	if ((res = escalation_levels_get(&app->db, r->arena, names)) != CS_OK)
		return web_result_status(res);
	for (i = 0; i < ESCALATION_LEVELS; i++)
		fields_value(&f, level_rules[i].name, names[i]);
	return f.failed ? 500 : levels_render(app, r, w, &f, 200);
}

int
console_admin_escalation_levels_post(struct app *app, struct req *r, struct resp *w)
{
	struct sla_why why = { .n = 0 };
	const char *v[ESCALATION_LEVELS];
	struct audit_entry by;
	struct field_form f;
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, level_rules, ESCALATION_LEVELS, v, NULL);
	if (f.failed)
		return 500;
	web_audit_actor(r, &by);
	rc = escalation_levels_save(&app->db, r->arena, &by, v, &why);
	if (rc == CS_REFUSED) {
		console_sla_refused(&f, &why);
		return f.failed ? 500 : levels_render(app, r, w, &f, 422);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "The escalation levels were saved.");
	resp_redirect(w, LEVELS_URL);
	return 0;
}
