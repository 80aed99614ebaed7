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
#include "web/admin_form.h"
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

static int
rule_row(struct arena *a, struct tval *m, const void *row)
{
	const struct escalation_rule *x = row;
	int rc = 0;

	rc |= tval_set_int(a, m, "id", x->id);
	rc |= tval_set_int(a, m, "position", x->position);
	rc |= tval_set_str(a, m, "name", x->name);
	rc |= tval_set_bool(a, m, "active", x->active);
	rc |= tval_set_str(a, m, "on_event", x->on_event);
	if (x->no_update_hours > 0)
		rc |= tval_set_int(a, m, "hours", x->no_update_hours);
	rc |= tval_set_str(a, m, "priority", *x->if_priority ? x->if_priority : "any");
	rc |= tval_set_str(a, m, "tier", *x->if_tier ? x->if_tier : "any");
	rc |= tval_set_str(a, m, "category", *x->category ? x->category : "any");
	rc |= tval_set_str(a, m, "target", *x->if_target ? x->if_target : "any");
	rc |= tval_set_str(a, m, "notify", x->notify);
	rc |= tval_set_bool(a, m, "reassign", x->reassign);
	rc |= tval_set_bool(a, m, "raise", x->raise);
	return rc;
}

int
console_admin_escalation_rules(struct app *app, struct req *r, struct resp *w)
{
	struct escalation_rule *x;
	enum cs_result res;
	size_t n;

	if ((res = escalation_rule_list(&app->db, r->arena, &x, &n)) != CS_OK)
		return web_result_status(res);
	return admin_list_page(app, r, w, "Escalation rules", "console/admin/escalation_rules",
	    "rules", x, n, sizeof(*x), rule_row);
}

/* The selects (when, priority, tier, category, target, notify) and the checkboxes. */
static int
rule_fill(struct app *app, struct req *r, struct admin_form_state *st, struct tval *ctx)
{
	struct field_form *f = &st->f;
	struct db_option *cats;
	struct arena *a = r->arena;
	const char *cat = admin_form_entered(f, "if_category_id");
	enum cs_result res;
	size_t ncats;
	int k, rc = 0;

	if ((res = sla_admin_categories(&app->db, a, &cats, &ncats)) != CS_OK)
		return web_result_status(res);
	rc |= tval_set(a, ctx, "event_options", fields_select(a, sla_admin_events, event_labels, 3,
	    admin_form_entered(f, "on_event")));
	rc |= tval_set(a, ctx, "priority_options", fields_select(a, console_sla_priorities_any,
	    console_sla_priority_labels, CONSOLE_SLA_NPRIORITIES,
	    admin_form_entered(f, "if_priority")));
	rc |= tval_set(a, ctx, "tier_options", fields_select(a, console_sla_tiers_any,
	    console_sla_tier_labels, CONSOLE_SLA_NTIERS, admin_form_entered(f, "if_tier")));
	rc |= tval_set(a, ctx, "category_options", console_tickets_choices(a, cats, ncats,
	    cat != NULL ? web_id(cat) : 0, "Any category"));
	rc |= tval_set(a, ctx, "target_options", fields_select(a, targets_any, target_labels, 4,
	    admin_form_entered(f, "if_target")));
	rc |= tval_set(a, ctx, "notify_options", fields_select(a, sla_admin_notify, notify_labels, 3,
	    admin_form_entered(f, "notify")));
	for (k = RR_ACTIVE; k <= RR_RAISE; k++)
		rc |= tval_set_bool(a, ctx, rule_rules[k].name, admin_form_ticked(f,
		    rule_rules[k].name));
	return rc ? 500 : 0;
}

static int
rule_defaults(struct app *app, struct req *r, struct admin_form_state *st)
{
	(void)app;
	(void)r;
	fields_value(&st->f, "on_event", "breached");
	fields_value(&st->f, "notify", "supervisor");
	fields_value(&st->f, "position", "100");
	fields_value(&st->f, "active", "1");
	return st->f.failed ? -1 : 0;
}

static enum cs_result
rule_load(struct app *app, struct req *r, struct admin_form_state *st)
{
	struct field_form *f = &st->f;
	struct escalation_rule x;
	enum cs_result res;

	if ((res = escalation_rule_get(&app->db, r->arena, st->id, &x)) != CS_OK)
		return res;
	fields_value(f, "name", x.name);
	fields_value(f, "position", arena_printf(r->arena, "%d", x.position));
	fields_value(f, "on_event", x.on_event);
	fields_value(f, "no_update_hours", x.no_update_hours ? arena_printf(r->arena, "%d",
	    x.no_update_hours) : "");
	fields_value(f, "if_priority", x.if_priority);
	fields_value(f, "if_tier", x.if_tier);
	fields_value(f, "if_category_id", x.if_category_id ? arena_printf(r->arena, "%lld",
	    x.if_category_id) : "");
	fields_value(f, "if_target", x.if_target);
	fields_value(f, "notify", x.notify);
	fields_value(f, "active", x.active ? "1" : "");
	fields_value(f, "reassign", x.reassign ? "1" : "");
	fields_value(f, "raise", x.raise ? "1" : "");
	return CS_OK;
}

static enum cs_result
rule_save(struct app *app, struct req *r, struct admin_form_state *st, const char *const *v,
    const long long *nums, const struct audit_entry *by)
{
	struct escalation_rule_input in = { .name = v[RR_NAME], .position = nums[RR_POS],
		.active = *v[RR_ACTIVE] != '\0', .on_event = v[RR_EVENT],
		.no_update_hours = nums[RR_HOURS], .if_priority = v[RR_PRIORITY],
		.if_tier = v[RR_TIER], .if_target = v[RR_TARGET],
		.if_category_id = nums[RR_CATEGORY], .notify = v[RR_NOTIFY],
		.reassign = *v[RR_REASSIGN] != '\0', .raise = *v[RR_RAISE] != '\0' };
	struct sla_why why = { .n = 0 };
	enum cs_result rc;

	st->name = in.name;
	if (st->f.nerrors > 0) {
		/* Every message at once: what the domain says of the rest as well. */
		escalation_rule_check(&in, &why);
		rc = CS_REFUSED;
	} else {
		rc = st->id == 0 ?
		    escalation_rule_create(&app->db, r->arena, by, &in, &st->id, &why) :
		    escalation_rule_update(&app->db, r->arena, by, st->id, &in, &why);
	}
	console_sla_refused(&st->f, &why);
	return rc;
}

static const struct admin_form rule_form = {
	.base = RULES_URL, .template = "console/admin/escalation_rule_form",
	.title_new = "New escalation rule", .title_edit = "Edit escalation rule",
	.saved_before = "The rule ", .saved_after = " was saved.", .rules = rule_rules,
	.nrules = RR__MAX, .defaults = rule_defaults, .load = rule_load, .fill = rule_fill,
	.save = rule_save,
};

int
console_admin_escalation_rule_new_form(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_new(app, r, w, &rule_form);
}

int
console_admin_escalation_rule_edit_form(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_edit(app, r, w, &rule_form);
}

int
console_admin_escalation_rule_create(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_create(app, r, w, &rule_form);
}

int
console_admin_escalation_rule_update(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_update(app, r, w, &rule_form);
}
