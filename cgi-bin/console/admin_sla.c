/* admin_sla.c — see admin_sla.h. */
#include "console/admin_sla.h"
#include "domain/sla_admin.h"
#include "tmpl/tval.h"
#include "web/fields.h"

const char *const console_sla_tiers_any[CONSOLE_SLA_NTIERS + 1] = { "", "standard", "premium",
	"vip", NULL };
const char *const console_sla_tier_labels[CONSOLE_SLA_NTIERS] = { "Any tier", "Standard",
	"Premium", "VIP" };
const char *const console_sla_priorities_any[CONSOLE_SLA_NPRIORITIES + 1] = { "", "low",
	"medium", "high", "urgent", "critical", NULL };
const char *const console_sla_priority_labels[CONSOLE_SLA_NPRIORITIES] = { "Any priority",
	"Low", "Medium", "High", "Urgent", "Critical" };

const char *
console_sla_entered(const struct field_form *f, const char *field)
{
	const struct tval *v = tval_get(f->values, field);

	return v != NULL ? v->u.str.s : NULL;
}

int
console_sla_ticked(const struct field_form *f, const char *field)
{
	const char *v = console_sla_entered(f, field);

	return v != NULL && *v != '\0';
}

void
console_sla_refused(struct field_form *f, const struct sla_why *why)
{
	size_t i;

	for (i = 0; i < why->n; i++)
		fields_error(f, why->at[i].field, why->at[i].text);
}

int
console_sla_render(struct app *app, struct req *r, struct resp *w, const char *name,
    struct tval *ctx, int status)
{
	w->status = status;
	return app_render(app, r, w, name, ctx);
}
