/*
 * admin_escalation_rules.c — the admin pages for escalation rules: the
 * list, a new form and an edit form (when: at risk, breached or no update
 * for some hours, optionally only for one target, a priority, tier or
 * category; then:
 * notify, reassign, raise the priority). The domain
 * (escalation_rules.h) checks them; a form that fails comes back with a
 * message next to each field at fault. Routes and access (admin only) are
 * in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/admin_sla.h"
#include "console/handlers.h"
#include "console/tickets.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/escalation_rules.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <string.h>

#define RULES_URL "/agent/admin/escalation-rules"

static const char *const event_labels[] = { "At risk (80 % of a target used)",
	"Breached (a target missed)", "No update for some hours" };
/* "" first: any target. */
static const char *const targets_any[] = { "", "first_response", "next_response", "resolution",
	NULL };
static const char *const target_labels[] = { "Any target", "First response", "Next response",
	"Resolution" };
static const char *const notify_labels[] = { "Nobody", "The team's supervisors",
	"Supervisors and managers (admins)" };

static const struct field_rule rule_rules[] = {
	{ "name", "Name", FIELD_TEXT, 1, 0, 0, NULL },
	{ "position", "Position", FIELD_INT, 0, 0, ESCALATION_POSITION_MAX, NULL },
	{ "on_event", "When", FIELD_CHOICE, 1, 0, 0, sla_admin_events },
	{ "no_update_hours", "Hours without update", FIELD_INT, 0, 1,
	  ESCALATION_NO_UPDATE_HOURS_MAX, NULL },
	{ "if_priority", "Priority", FIELD_CHOICE, 0, 0, 0, console_sla_priorities_any },
	{ "if_tier", "Customer tier", FIELD_CHOICE, 0, 0, 0, console_sla_tiers_any },
	{ "if_category_id", "Category", FIELD_INT, 0, 0, 1LL << 50, NULL },
	{ "if_target", "Target", FIELD_CHOICE, 0, 0, 0, targets_any },
	{ "notify", "Notify", FIELD_CHOICE, 1, 0, 0, sla_admin_notify },
	/* Checkboxes: whether the rule is on, and two actions. */
	{ "active", "Active", FIELD_TEXT, 0, 0, 0, NULL },
	{ "reassign", "Reassign", FIELD_TEXT, 0, 0, 0, NULL },
	{ "raise", "Raise the priority", FIELD_TEXT, 0, 0, 0, NULL },
};
enum { RR_NAME, RR_POS, RR_EVENT, RR_HOURS, RR_PRIORITY, RR_TIER, RR_CATEGORY, RR_TARGET,
	RR_NOTIFY,
	RR_ACTIVE, RR_REASSIGN, RR_RAISE, RR__MAX };
_Static_assert(sizeof(rule_rules) / sizeof(rule_rules[0]) == RR__MAX, "one per field");

int
console_admin_escalation_rules(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Escalation rules"), *list;
	struct escalation_rule *x;
	struct arena *a = r->arena;
	enum cs_result res;
	size_t n, i;
	int rc = 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if ((res = escalation_rule_list(&app->db, a, &x, &n)) != CS_OK)
		return web_result_status(res);
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
		rc |= tval_set_str(a, m, "target", *x[i].if_target ? x[i].if_target : "any");
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
    const void *extra, int status)
{
	struct tval *ctx = app_page(app, r, id ? "Edit escalation rule" : "New escalation rule");
	struct db_option *cats;
	struct arena *a = r->arena;
	const char *cat = console_sla_entered(f, "if_category_id");
	enum cs_result res;
	size_t ncats;
	int k, rc = 0;

	(void)extra;
	if (ctx == NULL)
		return 500;
	if ((res = sla_admin_categories(&app->db, a, &cats, &ncats)) != CS_OK)
		return web_result_status(res);
	rc |= tval_set(a, ctx, "event_options", fields_select(a, sla_admin_events, event_labels, 3,
	    console_sla_entered(f, "on_event")));
	rc |= tval_set(a, ctx, "priority_options", fields_select(a, console_sla_priorities_any,
	    console_sla_priority_labels, CONSOLE_SLA_NPRIORITIES,
	    console_sla_entered(f, "if_priority")));
	rc |= tval_set(a, ctx, "tier_options", fields_select(a, console_sla_tiers_any,
	    console_sla_tier_labels, CONSOLE_SLA_NTIERS, console_sla_entered(f, "if_tier")));
	rc |= tval_set(a, ctx, "category_options", console_tickets_choices(a, cats, ncats,
	    cat != NULL ? web_id(cat) : 0, "Any category"));
	rc |= tval_set(a, ctx, "target_options", fields_select(a, targets_any, target_labels, 4,
	    console_sla_entered(f, "if_target")));
	rc |= tval_set(a, ctx, "notify_options", fields_select(a, sla_admin_notify, notify_labels, 3,
	    console_sla_entered(f, "notify")));
	for (k = RR_ACTIVE; k <= RR_RAISE; k++)
		rc |= tval_set_bool(a, ctx, rule_rules[k].name, console_sla_ticked(f,
		    rule_rules[k].name));
	rc |= tval_set_str(a, ctx, "action", id ? arena_printf(a, RULES_URL "/%lld", id) :
	    RULES_URL "/new");
	if (rc || fields_ctx(f, ctx) < 0)
		return 500;
	return console_sla_render(app, r, w, "console/admin/escalation_rule_form", ctx, status);
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
	return f.failed ? 500 : rule_render(app, r, w, &f, 0, NULL, 200);
}

int
console_admin_escalation_rule_edit_form(struct app *app, struct req *r, struct resp *w)
{
	struct escalation_rule x;
	struct field_form f;
	long long id = web_path_id(r, "id");
	enum cs_result res;

	if (id == 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	if ((res = escalation_rule_get(&app->db, r->arena, id, &x)) != CS_OK)
		return web_result_status(res);
	fields_value(&f, "name", x.name);
	fields_value(&f, "position", arena_printf(r->arena, "%d", x.position));
	fields_value(&f, "on_event", x.on_event);
	fields_value(&f, "no_update_hours", x.no_update_hours ? arena_printf(r->arena, "%d",
	    x.no_update_hours) : "");
	fields_value(&f, "if_priority", x.if_priority);
	fields_value(&f, "if_tier", x.if_tier);
	fields_value(&f, "if_category_id", x.if_category_id ? arena_printf(r->arena, "%lld",
	    x.if_category_id) : "");
	fields_value(&f, "if_target", x.if_target);
	fields_value(&f, "notify", x.notify);
	fields_value(&f, "active", x.active ? "1" : "");
	fields_value(&f, "reassign", x.reassign ? "1" : "");
	fields_value(&f, "raise", x.raise ? "1" : "");
	return f.failed ? 500 : rule_render(app, r, w, &f, id, NULL, 200);
}

static const struct console_sla_page rule_page = { "rule", "", RULES_URL, rule_render };

static int
rule_post(struct app *app, struct req *r, struct resp *w, long long id)
{
	struct escalation_rule_input in;
	struct sla_why why = { .n = 0 };
	struct audit_entry by;
	struct field_form f;
	const char *v[RR__MAX];
	long long nums[RR__MAX];
	enum cs_result rc;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, rule_rules, RR__MAX, v, nums);
	in = (struct escalation_rule_input){ .name = v[RR_NAME], .position = nums[RR_POS],
		.active = *v[RR_ACTIVE] != '\0', .on_event = v[RR_EVENT],
		.no_update_hours = nums[RR_HOURS], .if_priority = v[RR_PRIORITY],
		.if_tier = v[RR_TIER], .if_target = v[RR_TARGET], .if_category_id = nums[RR_CATEGORY], .notify = v[RR_NOTIFY],
		.reassign = *v[RR_REASSIGN] != '\0', .raise = *v[RR_RAISE] != '\0' };
	if (f.failed)
		return 500;
	if (f.nerrors > 0) {
		/* Every message at once: what the domain says of the rest as well. */
		escalation_rule_check(&in, &why);
		rc = CS_REFUSED;
	} else {
		web_audit_actor(r, &by);
		rc = id == 0 ? escalation_rule_create(&app->db, r->arena, &by, &in, &id, &why) :
		    escalation_rule_update(&app->db, r->arena, &by, id, &in, &why);
	}
	return console_sla_answer(app, r, w, &rule_page, &f, id, NULL, rc, &why, in.name);
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
	struct escalation_rule x;
	enum cs_result res;

	if (id == 0)
		return 404;
	if ((res = escalation_rule_get(&app->db, r->arena, id, &x)) != CS_OK)
		return web_result_status(res);
	return rule_post(app, r, w, id);
}
