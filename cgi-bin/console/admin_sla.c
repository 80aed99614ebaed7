/* admin_sla.c — see admin_sla.h. */
#include "console/admin_sla.h"
#include "domain/sla_admin.h"
#include "tmpl/tval.h"
#include "web/fields.h"
#include "web/result.h"

const char *const console_sla_tiers_any[CONSOLE_SLA_NTIERS + 1] = { "", "standard", "premium",
	"vip", NULL };
const char *const console_sla_tier_labels[CONSOLE_SLA_NTIERS] = { "Any tier", "Standard",
	"Premium", "VIP" };
const char *const console_sla_priorities_any[CONSOLE_SLA_NPRIORITIES + 1] = { "", "low",
	"medium", "high", "urgent", "critical", NULL };
const char *const console_sla_priority_labels[CONSOLE_SLA_NPRIORITIES] = { "Any priority",
	"Low", "Medium", "High", "Urgent", "Critical" };

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

int
console_sla_answer(struct app *app, struct req *r, struct resp *w,
    const struct console_sla_page *page, struct field_form *f, long long id, const void *extra,
    enum cs_result rc, const struct sla_why *why, const char *name)
{
	if (rc == CS_REFUSED || rc == CS_TAKEN) {
		console_sla_refused(f, why);
		return f->failed ? 500 : page->render(app, r, w, f, id, extra, 422);
	}
	if (rc != CS_OK)
		return web_result_status(rc);
	web_flash(app, r, w, "The %s %s was saved%s.", page->what, utf8_short(r->arena, name,
	    FLASH_NAME), page->after);
	resp_redirect(w, page->back);
	return 0;
}
