/*
 * admin_automation.c — the admin pages of triggers and automations
 * (automation_rules.h): the ordered list, a new and an edit form
 * ("when", "if", "then"), and a rule's dry run (the open tickets it would
 * act on now). A refused form comes back with a message at each field
 * at fault and what was typed. Routes and access (admin only) are in
 * cgi-bin/console.c.
 */
#include "web/admin_form.h"
#include "console/admin_sla.h"
#include "console/handlers.h"
#include "console/tickets.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/automation_rules.h"
#include "domain/webhooks.h"
#include "domain/ticket_choices.h"
#include "domain/ticket_rules.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <string.h>

#define RULES_URL "/agent/admin/automations"

/* Choices with "" first (any, none); their labels in the same order. */
static const char *const events_list[] = { "created", "customer_replied", "status_changed",
	"priority_changed", "updated", "sla_at_risk", "sla_breached", "time", NULL };
static const char *const event_labels[] = { "A ticket is created", "The customer replies",
	"The status changes", "The priority changes", "A ticket changes in any way",
	"An SLA target is at risk (80 % used)", "An SLA target is breached",
	"Time passes (checked by the batch)" };
static const char *const bases_list[] = { "status", "updated", "created", NULL };
static const char *const basis_labels[] = { "the last status change", "the last update",
	"creation" };
static const char *const statuses_any[] = { "", "new", "assigned", "in_progress",
	"pending_customer", "pending_parts", "resolved", "closed", "reopened", "cancelled", NULL };
static const char *const status_labels[] = { "Any status", "New", "Assigned", "In progress",
	"Pending customer", "Pending parts", "Resolved", "Closed", "Reopened", "Cancelled" };
static const char *const channels_any[] = { "", "portal", "email", "phone", "chat", "social",
	"api", NULL };
static const char *const channel_labels[] = { "Any channel", "Portal", "E-mail", "Phone",
	"Chat", "Social", "API" };
static const char *const set_statuses[] = { "", "resolved", "closed", NULL };
static const char *const set_status_labels[] = { "Leave it", "Resolved", "Closed" };
static const char *const hours_any[] = { "", "open", "closed", NULL };
static const char *const hours_labels[] = { "Any time", "Inside business hours",
	"Outside business hours" };
static const char *const mail_list[] = { "", "customer", "assignee", "team", "address", NULL };
static const char *const mail_labels[] = { "No mail", "The customer (requester)",
	"The ticket's agent", "The ticket's team", "An address" };
#define N(list) (sizeof(list) / sizeof(list[0]) - 1)

static const struct field_rule rule_rules[] = {
	{ "name", "Name", FIELD_TEXT, 0, 0, 0, NULL },
	{ "position", "Position", FIELD_INT, 0, -1, 1LL << 30, NULL },
	{ "on_event", "When", FIELD_CHOICE, 1, 0, 0, events_list },
	{ "time_basis", "Counted from", FIELD_CHOICE, 0, 0, 0, bases_list },
	{ "time_hours", "Hours", FIELD_INT, 0, -1, 1LL << 30, NULL },
	{ "if_status", "Status", FIELD_CHOICE, 0, 0, 0, statuses_any },
	{ "if_priority", "Priority", FIELD_CHOICE, 0, 0, 0, console_sla_priorities_any },
	{ "if_tier", "Customer tier", FIELD_CHOICE, 0, 0, 0, console_sla_tiers_any },
	{ "if_channel", "Channel", FIELD_CHOICE, 0, 0, 0, channels_any },
	{ "if_queue_id", "Queue", FIELD_INT, 0, 0, 1LL << 50, NULL },
	{ "if_tag", "Has tag", FIELD_TEXT, 0, 0, 0, NULL },
	{ "if_no_tag", "Has not tag", FIELD_TEXT, 0, 0, 0, NULL },
	{ "if_text", "Text contains", FIELD_TEXT, 0, 0, 0, NULL },
	{ "if_hours", "Business hours", FIELD_CHOICE, 0, 0, 0, hours_any },
	{ "set_status", "Set status", FIELD_CHOICE, 0, 0, 0, set_statuses },
	{ "set_priority", "Set priority", FIELD_CHOICE, 0, 0, 0, console_sla_priorities_any },
	{ "set_queue_id", "Move to queue", FIELD_INT, 0, 0, 1LL << 50, NULL },
	{ "add_tags", "Add tags", FIELD_TEXT, 0, 0, 0, NULL },
	{ "assign_to", "Give to", FIELD_INT, 0, 0, 1LL << 50, NULL },
	{ "note", "Internal note", FIELD_LINES, 0, 0, 0, NULL },
	{ "mail_to", "Mail", FIELD_CHOICE, 0, 0, 0, mail_list },
	{ "mail_address", "Address", FIELD_TEXT, 0, 0, 0, NULL },
	{ "mail_subject", "Subject", FIELD_TEXT, 0, 0, 0, NULL },
	{ "mail_body", "Text", FIELD_LINES, 0, 0, 0, NULL },
	{ "active", "Active", FIELD_TEXT, 0, 0, 0, NULL },
	{ "time_business", "Business hours only", FIELD_TEXT, 0, 0, 1, NULL },
	{ "call_webhook_id", "Call a webhook", FIELD_INT, 0, 0, 1LL << 50, NULL },
};
enum { AR_NAME, AR_POS, AR_EVENT, AR_BASIS, AR_HOURS, AR_STATUS, AR_PRIORITY, AR_TIER,
	AR_CHANNEL, AR_QUEUE, AR_TAG, AR_NO_TAG, AR_TEXT, AR_HOURS_IN, AR_SET_STATUS, AR_SET_PRIORITY,
	AR_SET_QUEUE, AR_ADD_TAGS, AR_ASSIGN, AR_NOTE, AR_MAIL_TO, AR_ADDRESS, AR_SUBJECT,
	AR_BODY, AR_ACTIVE, AR_BUSINESS, AR_WEBHOOK, AR__MAX };
_Static_assert(sizeof(rule_rules) / sizeof(rule_rules[0]) == AR__MAX, "one rule per field");

static int
rule_row(struct arena *a, struct tval *m, const void *row)
{
	const struct automation_rule *x = row;
	int rc = 0;

	rc |= tval_set_int(a, m, "id", x->id);
	rc |= tval_set_int(a, m, "position", x->position);
	rc |= tval_set_str(a, m, "name", x->name);
	rc |= tval_set_bool(a, m, "active", x->active);
	rc |= tval_set_str(a, m, "on_event", x->on_event);
	if (x->time_hours > 0)
		rc |= tval_set_str(a, m, "time", arena_printf(a, "%d %sh after %s",
		    x->time_hours, x->time_business ? "business " : "", x->time_basis));
	rc |= tval_set_int(a, m, "fired", x->fired);
	return rc;
}

int
console_admin_automations(struct app *app, struct req *r, struct resp *w)
{
	struct automation_rule *x;
	enum cs_result res;
	size_t n;

	if ((res = automation_rule_list(&app->db, r->arena, &x, &n)) != CS_OK)
		return web_result_status(res);
	return admin_list_page(app, r, w, "Triggers and automations", "console/admin/automations",
	    "rules", x, n, sizeof(*x), rule_row);
}

/* The webhooks a rule may call, "None" first. NULL with *dberr on failure. */
static struct tval *
webhook_select(struct app *app, struct arena *a, const struct field_form *f, int *dberr)
{
	struct webhook *w;
	struct db_option *o;
	size_t n, i;
	const char *v = admin_form_entered(f, "call_webhook_id");

	*dberr = webhook_list(&app->db, a, &w, &n) != CS_OK;
	if (*dberr || (o = arena_calloc(a, n + 1, sizeof(*o))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		o[i].id = w[i].id;
		o[i].name = w[i].active ? w[i].name : arena_printf(a, "%s (off)", w[i].name);
	}
	return console_tickets_choices(a, o, n, v != NULL ? web_id(v) : 0, "None");
}

/* A select of ids from opts with a first entry for none. */
static struct tval *
id_select(struct arena *a, const struct field_form *f, const char *field,
    const struct db_option *opts, size_t n, const char *none)
{
	const char *v = admin_form_entered(f, field);

	return console_tickets_choices(a, opts, n, v != NULL ? web_id(v) : 0, none);
}

/* A select of words: values and labels with "" first. */
static int
word_select(struct arena *a, struct tval *ctx, const struct field_form *f, const char *field,
    const char *const *values, const char *const *labels, size_t n)
{
	return tval_set(a, ctx, arena_printf(a, "%s_options", field), fields_select(a, values,
	    labels, n, admin_form_entered(f, field)));
}

/* The selects, the checkboxes and, when editing, the rule's id (for its dry run). */
static int
rule_fill(struct app *app, struct req *r, struct admin_form_state *st, struct tval *ctx)
{
	const struct field_form *f = &st->f;
	struct arena *a = r->arena;
	struct ticket_choices c;
	enum cs_result res;
	int rc = 0, dberr = 0;

	if ((res = ticket_choices_get(&app->db, a, &c)) != CS_OK)
		return web_result_status(res);
	rc |= word_select(a, ctx, f, "on_event", events_list, event_labels, N(events_list));
	rc |= word_select(a, ctx, f, "time_basis", bases_list, basis_labels, N(bases_list));
	rc |= word_select(a, ctx, f, "if_status", statuses_any, status_labels, N(statuses_any));
	rc |= word_select(a, ctx, f, "if_priority", console_sla_priorities_any,
	    console_sla_priority_labels, CONSOLE_SLA_NPRIORITIES);
	rc |= word_select(a, ctx, f, "if_tier", console_sla_tiers_any, console_sla_tier_labels,
	    CONSOLE_SLA_NTIERS);
	rc |= word_select(a, ctx, f, "if_channel", channels_any, channel_labels, N(channels_any));
	rc |= word_select(a, ctx, f, "if_hours", hours_any, hours_labels, N(hours_any));
	rc |= word_select(a, ctx, f, "set_status", set_statuses, set_status_labels,
	    N(set_statuses));
	rc |= word_select(a, ctx, f, "set_priority", console_sla_priorities_any,
	    console_sla_priority_labels, CONSOLE_SLA_NPRIORITIES);
	rc |= word_select(a, ctx, f, "mail_to", mail_list, mail_labels, N(mail_list));
	rc |= tval_set(a, ctx, "if_queue_options", id_select(a, f, "if_queue_id", c.queues,
	    c.nqueues, "Any queue"));
	rc |= tval_set(a, ctx, "set_queue_options", id_select(a, f, "set_queue_id", c.queues,
	    c.nqueues, "Leave it"));
	rc |= tval_set(a, ctx, "assign_options", id_select(a, f, "assign_to", c.agents,
	    c.nagents, "Leave it"));
	rc |= tval_set_bool(a, ctx, "active", admin_form_ticked(f, "active"));
	rc |= tval_set_bool(a, ctx, "business", admin_form_ticked(f, "time_business"));
	rc |= tval_set(a, ctx, "webhook_options", webhook_select(app, a, f, &dberr));
	if (dberr)
		return web_db_error(app);
	if (st->id)
		rc |= tval_set_int(a, ctx, "id", st->id);
	return rc ? 500 : 0;
}

static int
rule_defaults(struct app *app, struct req *r, struct admin_form_state *st)
{
	(void)app;
	(void)r;
	fields_value(&st->f, "on_event", "created");
	fields_value(&st->f, "position", "100");
	fields_value(&st->f, "active", "1");
	return st->f.failed ? -1 : 0;
}

/* An id as a form value, "" for none. */
static const char *
id_value(struct arena *a, long long id)
{
	return id > 0 ? arena_printf(a, "%lld", id) : "";
}

static enum cs_result
rule_load(struct app *app, struct req *r, struct admin_form_state *st)
{
	struct automation_rule x;
	struct arena *a = r->arena;
	struct field_form *f = &st->f;
	enum cs_result res;

	if ((res = automation_rule_get(&app->db, a, st->id, &x)) != CS_OK)
		return res;
	fields_value(f, "name", x.name);
	fields_value(f, "position", arena_printf(a, "%d", x.position));
	fields_value(f, "on_event", x.on_event);
	fields_value(f, "time_basis", x.time_basis);
	fields_value(f, "time_hours", x.time_hours ? arena_printf(a, "%d", x.time_hours) : "");
	fields_value(f, "if_status", x.if_status);
	fields_value(f, "if_priority", x.if_priority);
	fields_value(f, "if_tier", x.if_tier);
	fields_value(f, "if_channel", x.if_channel);
	fields_value(f, "if_queue_id", id_value(a, x.if_queue_id));
	fields_value(f, "if_tag", x.if_tag);
	fields_value(f, "if_no_tag", x.if_no_tag);
	fields_value(f, "if_text", x.if_text);
	fields_value(f, "if_hours", x.if_hours);
	fields_value(f, "set_status", x.set_status);
	fields_value(f, "set_priority", x.set_priority);
	fields_value(f, "set_queue_id", id_value(a, x.set_queue_id));
	fields_value(f, "add_tags", x.add_tags);
	fields_value(f, "assign_to", id_value(a, x.assign_to));
	fields_value(f, "note", x.note);
	fields_value(f, "mail_to", x.mail_to);
	fields_value(f, "mail_address", x.mail_address);
	fields_value(f, "mail_subject", x.mail_subject);
	fields_value(f, "mail_body", x.mail_body);
	fields_value(f, "active", x.active ? "1" : "");
	fields_value(f, "time_business", x.time_business ? "1" : "");
	fields_value(f, "call_webhook_id", id_value(a, x.call_webhook_id));
	return CS_OK;
}

static enum cs_result
rule_save(struct app *app, struct req *r, struct admin_form_state *st, const char *const *v,
    const long long *nums, const struct audit_entry *by)
{
	struct automation_rule_input in = { .name = v[AR_NAME], .position = nums[AR_POS],
		.active = *v[AR_ACTIVE] != '\0', .on_event = v[AR_EVENT],
		.time_basis = v[AR_BASIS], .time_hours = nums[AR_HOURS],
		.time_business = *v[AR_BUSINESS] != '\0', .call_webhook_id = nums[AR_WEBHOOK],
		.if_status = v[AR_STATUS], .if_priority = v[AR_PRIORITY], .if_tier = v[AR_TIER],
		.if_channel = v[AR_CHANNEL], .if_queue_id = nums[AR_QUEUE], .if_tag = v[AR_TAG],
		.if_no_tag = v[AR_NO_TAG], .if_text = v[AR_TEXT], .if_hours = v[AR_HOURS_IN],
		.set_status = v[AR_SET_STATUS],
		.set_priority = v[AR_SET_PRIORITY], .set_queue_id = nums[AR_SET_QUEUE],
		.add_tags = v[AR_ADD_TAGS], .assign_to = nums[AR_ASSIGN], .note = v[AR_NOTE],
		.mail_to = v[AR_MAIL_TO], .mail_address = v[AR_ADDRESS],
		.mail_subject = v[AR_SUBJECT], .mail_body = v[AR_BODY] };
	struct sla_why why = { .n = 0 };
	enum cs_result rc;

	st->name = in.name;
	if (st->f.nerrors > 0) {
		/* Every message at once: what the domain says of the rest as well. */
		automation_rule_check(&in, &why);
		rc = CS_REFUSED;
	} else {
		rc = st->id == 0 ?
		    automation_rule_create(&app->db, r->arena, by, &in, &st->id, &why) :
		    automation_rule_update(&app->db, r->arena, by, st->id, &in, &why);
	}
	console_sla_refused(&st->f, &why);
	return rc;
}

static const struct admin_form rule_form = {
	.base = RULES_URL, .template = "console/admin/automation_form", .title_new = "New rule",
	.title_edit = "Edit rule", .saved_before = "The rule ", .saved_after = " was saved.",
	.rules = rule_rules, .nrules = AR__MAX, .defaults = rule_defaults, .load = rule_load,
	.fill = rule_fill, .save = rule_save,
};

int
console_admin_automation_new_form(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_new(app, r, w, &rule_form);
}

int
console_admin_automation_edit_form(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_edit(app, r, w, &rule_form);
}

int
console_admin_automation_create(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_create(app, r, w, &rule_form);
}

int
console_admin_automation_update(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_update(app, r, w, &rule_form);
}

int
console_admin_automation_dry_run(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Dry run"), *list;
	long long id = web_path_id(r, "id");
	struct automation_hit *h;
	struct automation_rule x;
	struct arena *a = r->arena;
	enum cs_result res;
	size_t n, i;
	int rc = 0;

	if (id == 0)
		return 404;
	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if ((res = automation_rule_get(&app->db, a, id, &x)) != CS_OK ||
	    (res = automation_rule_dry_run(&app->db, a, id, &h, &n)) != CS_OK)
		return web_result_status(res);
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_str(a, m, "number", h[i].number);
		rc |= tval_set_str(a, m, "subject", h[i].subject);
		rc |= tval_set_str(a, m, "status", h[i].status);
		rc |= tval_push(a, list, m);
	}
	rc |= tval_set(a, ctx, "hits", list);
	rc |= tval_set_int(a, ctx, "id", id);
	rc |= tval_set_str(a, ctx, "name", x.name);
	rc |= tval_set_bool(a, ctx, "time", strcmp(x.on_event, "time") == 0);
	rc |= tval_set_bool(a, ctx, "full", n >= AUTOMATION_DRY_RUN_MAX);
	rc |= tval_set_int(a, ctx, "max", AUTOMATION_DRY_RUN_MAX);
	if (rc)
		return 500;
	return app_render(app, r, w, "console/admin/automation_dry_run", ctx);
}
