/*
 * admin_sla_policies.c — the admin pages for SLA policies: the list, a
 * new form and an edit form (tier × priority [× category] → three targets
 * on a calendar, typed in minutes, hours or business days, and the
 * statuses that stop the clock). The domain (sla_policies.h) checks the
 * targets and the rest; a form that fails comes back with a message next
 * to each field at fault. Routes and access (admin only) are in
 * cgi-bin/console.c.
 */
#include "web/admin_form.h"
#include "console/admin_sla.h"
#include "console/handlers.h"
#include "console/tickets.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/sla_calendars.h"
#include "domain/sla_policies.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <string.h>

#define POLICIES_URL "/agent/admin/sla-policies"

static const char *const unit_labels[] = { "minutes", "hours", "business days" };
static const char *const pausable_labels[] = { "New", "Assigned", "In progress",
	"Waiting for the customer", "Waiting for parts", "Reopened" };

static const struct field_rule policy_rules[] = {
	{ "name", "Name", FIELD_TEXT, 1, 0, 0, NULL },
	{ "active", "Active", FIELD_TEXT, 0, 0, 0, NULL },
	{ "tier", "Customer tier", FIELD_CHOICE, 0, 0, 0, console_sla_tiers_any },
	{ "priority", "Priority", FIELD_CHOICE, 1, 0, 0, sla_admin_priorities },
	{ "category_id", "Category", FIELD_INT, 0, 0, 1LL << 50, NULL },
	{ "calendar_id", "Calendar", FIELD_INT, 1, 1, 1LL << 50, NULL },
	{ "first_response", "First-response target", FIELD_INT, 1, 1, SLA_TARGET_VALUE_MAX, NULL },
	{ "first_response_unit", "First-response unit", FIELD_CHOICE, 1, 0, 0, sla_policy_units },
	{ "next_response", "Next-response target", FIELD_INT, 1, 1, SLA_TARGET_VALUE_MAX, NULL },
	{ "next_response_unit", "Next-response unit", FIELD_CHOICE, 1, 0, 0, sla_policy_units },
	{ "resolution", "Resolution target", FIELD_INT, 1, 1, SLA_TARGET_VALUE_MAX, NULL },
	{ "resolution_unit", "Resolution unit", FIELD_CHOICE, 1, 0, 0, sla_policy_units },
};
/* Each target is a number and its unit, in the order of enum sla_target_kind. */
enum { PR_NAME, PR_ACTIVE, PR_TIER, PR_PRIORITY, PR_CATEGORY, PR_CALENDAR, PR_TARGETS,
	PR__MAX = PR_TARGETS + 2 * SLA_TARGET__MAX };
_Static_assert(sizeof(policy_rules) / sizeof(policy_rules[0]) == PR__MAX, "one per field");

/* The pausing statuses, one checkbox each. */
#define NPAUSABLE (sizeof(pausable_labels) / sizeof(pausable_labels[0]))

static int
policy_row(struct arena *a, struct tval *m, const void *row)
{
	const struct sla_policy *p = row;
	int rc = 0;

	rc |= tval_set_int(a, m, "id", p->id);
	rc |= tval_set_str(a, m, "name", p->name);
	rc |= tval_set_bool(a, m, "active", p->active);
	rc |= tval_set_str(a, m, "tier", *p->tier ? p->tier : "any");
	rc |= tval_set_str(a, m, "priority", p->priority);
	rc |= tval_set_str(a, m, "category", *p->category ? p->category : "any");
	rc |= tval_set_str(a, m, "calendar", p->calendar);
	rc |= tval_set_str(a, m, "targets", p->targets_text);
	rc |= tval_set_str(a, m, "pauses", p->pauses_text);
	return rc;
}

int
console_admin_sla_policies(struct app *app, struct req *r, struct resp *w)
{
	struct sla_policy *p;
	enum cs_result res;
	size_t n;

	if ((res = sla_policy_list(&app->db, r->arena, &p, &n)) != CS_OK)
		return web_result_status(res);
	return admin_list_page(app, r, w, "SLA policies", "console/admin/sla_policies",
	    "policies", p, n, sizeof(*p), policy_row);
}

/* The selects, the pausing statuses (st->extra: one tick per sla_admin_pausable), active. */
static int
policy_fill(struct app *app, struct req *r, struct admin_form_state *st, struct tval *ctx)
{
	const unsigned char *paused = st->extra;
	struct field_form *f = &st->f;
	struct db_option *cats, *cals;
	struct arena *a = r->arena;
	size_t ncats, ncals;
	const char *cat = admin_form_entered(f, "category_id");
	const char *cal = admin_form_entered(f, "calendar_id");
	enum cs_result res;
	int k, rc = 0;

	if ((res = sla_admin_categories(&app->db, a, &cats, &ncats)) != CS_OK ||
	    (res = sla_calendar_options(&app->db, a, &cals, &ncals)) != CS_OK)
		return web_result_status(res);
	rc |= tval_set(a, ctx, "tier_options", fields_select(a, console_sla_tiers_any,
	    console_sla_tier_labels, CONSOLE_SLA_NTIERS, admin_form_entered(f, "tier")));
	rc |= tval_set(a, ctx, "priority_options", fields_select(a, console_sla_priorities_any + 1,
	    console_sla_priority_labels + 1, CONSOLE_SLA_NPRIORITIES - 1,
	    admin_form_entered(f, "priority")));
	rc |= tval_set(a, ctx, "category_options", console_tickets_choices(a, cats, ncats,
	    cat != NULL ? web_id(cat) : 0, "Any category"));
	rc |= tval_set(a, ctx, "calendar_options", console_tickets_choices(a, cals, ncals,
	    cal != NULL ? web_id(cal) : 0, NULL));
	for (k = 0; k < SLA_TARGET__MAX; k++) {
		const char *field = policy_rules[PR_TARGETS + 2 * k].name;
		const char *unit = policy_rules[PR_TARGETS + 2 * k + 1].name;

		rc |= tval_set(a, ctx, arena_printf(a, "%s_units", field), fields_select(a,
		    sla_policy_units, unit_labels, 3, admin_form_entered(f, unit)));
	}
	rc |= tval_set(a, ctx, "pause_options", fields_options(a, sla_admin_pausable,
	    pausable_labels, NPAUSABLE, paused));
	rc |= tval_set_bool(a, ctx, "active", admin_form_ticked(f, "active"));
	return rc ? 500 : 0;
}

/* st->extra ticked for each status of statuses[0..n) that is pausable; -1 out of memory. */
static int
tick_pauses(struct req *r, struct admin_form_state *st, const char *const *statuses, size_t n)
{
	unsigned char *paused = arena_zalloc(r->arena, NPAUSABLE);
	size_t i, k;

	if (paused == NULL)
		return -1;
	for (k = 0; k < NPAUSABLE; k++)
		for (i = 0; i < n; i++)
			if (strcmp(statuses[i], sla_admin_pausable[k]) == 0)
				paused[k] = 1;
	st->extra = paused;
	return 0;
}

static int
policy_defaults(struct app *app, struct req *r, struct admin_form_state *st)
{
	static const char *const waiting[] = { "pending_customer" };

	(void)app;
	fields_value(&st->f, "priority", "medium");
	fields_value(&st->f, "active", "1");
	fields_value(&st->f, "first_response_unit", "hours");
	fields_value(&st->f, "next_response_unit", "hours");
	fields_value(&st->f, "resolution_unit", "days");
	return st->f.failed ? -1 : tick_pauses(r, st, waiting, 1);
}

static enum cs_result
policy_load(struct app *app, struct req *r, struct admin_form_state *st)
{
	struct field_form *f = &st->f;
	struct sla_policy p;
	long long value;
	enum cs_result res;
	const char *unit;
	int k;

	if ((res = sla_policy_get(&app->db, r->arena, st->id, &p)) != CS_OK)
		return res;
	fields_value(f, "name", p.name);
	fields_value(f, "tier", p.tier);
	fields_value(f, "priority", p.priority);
	fields_value(f, "category_id", p.category_id ? arena_printf(r->arena, "%lld",
	    p.category_id) : "");
	fields_value(f, "calendar_id", arena_printf(r->arena, "%lld", p.calendar_id));
	fields_value(f, "active", p.active ? "1" : "");
	for (k = 0; k < SLA_TARGET__MAX; k++) {
		sla_policy_target_typed(p.minutes[k], p.day_minutes, &value, &unit);
		fields_value(f, policy_rules[PR_TARGETS + 2 * k].name, arena_printf(r->arena,
		    "%lld", value));
		fields_value(f, policy_rules[PR_TARGETS + 2 * k + 1].name, unit);
	}
	if (tick_pauses(r, st, p.pauses, p.npauses) < 0)
		f->failed = 1;
	return CS_OK;
}

static enum cs_result
policy_save(struct app *app, struct req *r, struct admin_form_state *st, const char *const *v,
    const long long *nums, const struct audit_entry *by)
{
	const char **chosen = arena_alloc(r->arena, 2 * NPAUSABLE * sizeof(*chosen));
	struct sla_policy_input in;
	struct sla_policy p;
	struct sla_why why = { .n = 0 };
	enum cs_result rc;
	int k;

	if (chosen == NULL)
		return CS_FAILED;
	memset(&in, 0, sizeof(in));
	in.name = v[PR_NAME];
	in.tier = v[PR_TIER];
	in.priority = v[PR_PRIORITY];
	in.category_id = nums[PR_CATEGORY];
	in.calendar_id = nums[PR_CALENDAR];
	for (k = 0; k < SLA_TARGET__MAX; k++) {
		in.targets[k].value = nums[PR_TARGETS + 2 * k];
		in.targets[k].unit = v[PR_TARGETS + 2 * k + 1];
	}
	in.active = *v[PR_ACTIVE] != '\0';
	in.npauses = fields_all(r, "pause", chosen, 2 * NPAUSABLE);
	in.pauses = chosen;
	if (tick_pauses(r, st, chosen, in.npauses) < 0)
		return CS_FAILED;
	st->name = in.name;
	if (st->f.nerrors > 0) {
		/* Every message at once: what the domain says of the rest as well. */
		if ((rc = sla_policy_check(&app->db, r->arena, &in, &p, &why)) == CS_OK)
			rc = CS_REFUSED;
	} else {
		rc = st->id == 0 ? sla_policy_create(&app->db, r->arena, by, &in, &st->id, &why) :
		    sla_policy_update(&app->db, r->arena, by, st->id, &in, &why);
	}
	console_sla_refused(&st->f, &why);
	return rc;
}

static const struct admin_form policy_form = {
	.base = POLICIES_URL, .template = "console/admin/sla_policy_form",
	.title_new = "New SLA policy", .title_edit = "Edit SLA policy",
	.saved_before = "The policy ",
	.saved_after = " was saved; open tickets follow it within a minute.",
	.rules = policy_rules, .nrules = PR__MAX, .defaults = policy_defaults,
	.load = policy_load, .fill = policy_fill, .save = policy_save,
};

int
console_admin_sla_policy_new_form(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_new(app, r, w, &policy_form);
}

int
console_admin_sla_policy_edit_form(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_edit(app, r, w, &policy_form);
}

int
console_admin_sla_policy_create(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_create(app, r, w, &policy_form);
}

int
console_admin_sla_policy_update(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_update(app, r, w, &policy_form);
}
