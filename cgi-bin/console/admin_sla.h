/*
 * admin_sla.h — what the admin pages for service levels share
 * (admin_calendars.c, admin_sla_policies.c, admin_escalation_rules.c):
 * the "any" choices of tier and priority with their labels and showing a
 * refusal next to its fields; and, for the single-page forms (on-call,
 * escalation levels), the answer to a post. The new/edit forms go
 * through web/admin_form.h.
 */
#ifndef CSDESK_CONSOLE_ADMIN_SLA_H
#define CSDESK_CONSOLE_ADMIN_SLA_H

#include "core/result.h"
#include "web/app.h"

struct field_form;
struct sla_why;
struct tval;

/* "" (any) and each tier or priority, NULL-terminated, and their labels. */
#define CONSOLE_SLA_NTIERS 4
#define CONSOLE_SLA_NPRIORITIES 6
extern const char *const console_sla_tiers_any[CONSOLE_SLA_NTIERS + 1];
extern const char *const console_sla_tier_labels[CONSOLE_SLA_NTIERS];
extern const char *const console_sla_priorities_any[CONSOLE_SLA_NPRIORITIES + 1];
extern const char *const console_sla_priority_labels[CONSOLE_SLA_NPRIORITIES];

/* Puts each message of why next to its field in f. */
void console_sla_refused(struct field_form *f, const struct sla_why *why);

/* Renders template name on ctx with status. */
int console_sla_render(struct app *app, struct req *r, struct resp *w, const char *name,
    struct tval *ctx, int status);

/*
 * A form page: how to show its form again (the entered values and
 * messages in f; id 0 for a new one; extra what the page keeps of its
 * own) and what to say once it is saved.
 */
struct console_sla_page {
	const char *what;	/* "calendar": "The calendar <name> was saved<after>." */
	const char *after;	/* "" or more for the flash, "; …" */
	const char *back;	/* the list to go back to */
	int (*render)(struct app *app, struct req *r, struct resp *w, struct field_form *f,
	    long long id, const void *extra, int status);
};

/*
 * The answer to a posted form once the domain has checked (or saved) it:
 * rc CS_REFUSED or CS_TAKEN shows each message of why at its field with
 * the form again (422); CS_OK flashes that name was saved and goes back
 * to the list; anything else answers its status.
 */
int console_sla_answer(struct app *app, struct req *r, struct resp *w,
    const struct console_sla_page *page, struct field_form *f, long long id, const void *extra,
    enum cs_result rc, const struct sla_why *why, const char *name);

#endif
