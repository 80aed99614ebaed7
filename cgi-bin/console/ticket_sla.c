/*
 * ticket_sla.c — service levels on the console's ticket page: the panel
 * that answers "why did this breach?" (policy, calendar, targets, the
 * clock's running and paused spans, the moments 80 % and 100 % were
 * crossed, escalations) and POST /agent/tickets/{number}/escalate, an
 * agent's own escalation with a reason.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "console/ticket_page.h"
#include "console/ticket_sla.h"
#include "console/tickets.h"
#include "core/arena.h"
#include "domain/escalation_flags.h"
#include "domain/sla.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"

#include <ctype.h>
#include <string.h>

/* A target's state: its outcome once decided, else where its clock stands. */
static const char *
stage_label(const char *stage, const char *outcome, int open)
{
	if (strcmp(outcome, "met") == 0)
		return "met";
	if (strcmp(outcome, "missed") == 0)
		return "missed";
	if (!open)
		return "not measured";
	if (strcmp(stage, "at_risk") == 0)
		return "at risk (80 % used)";
	if (strcmp(stage, "breached") == 0)
		return "breached";
	return "on track";
}

/*
 * "pending_customer, pending_parts" as "Waiting for customer, Waiting for
 * parts": each item between ", " that is a status name, by its label; the
 * rest as it is.
 */
static const char *
status_words(struct arena *a, const char *names)
{
	const char *p = names, *sep;
	struct buf b;

	buf_init(&b, a);
	while (*p != '\0') {
		size_t n = (sep = strstr(p, ", ")) != NULL ? (size_t)(sep - p) : strlen(p);
		char *one = arena_printf(a, "%.*s", (int)n, p);
		enum ticket_status s = one != NULL ? ticket_status_parse(one) : TS__MAX;

		buf_printf(&b, "%s%s", b.len > 0 ? ", " : "",
		    s < TS__MAX ? ticket_status_label(s, 0) : one != NULL ? one : "");
		p += n + (sep != NULL ? 2 : 0);
	}
	return buf_failed(&b) ? names : b.buf;
}

/*
 * ", due Tue 2026-12-08 14:00 (Europe/Paris)": the next target still to
 * meet, in the reader's time zone (sla_view's viewer_zone); "" for none.
 */
static const char *
next_due(struct arena *a, const struct sla_view *v)
{
	int k;

	const char *s;

	for (k = 0; k < 3; k++)
		if (*v->targets[k].due_at != '\0' && *v->targets[k].outcome == '\0')
			return (s = arena_printf(a, ", %s %s (%s)", strcmp(v->colour, "red") == 0 ?
			    "was due" : "due", v->targets[k].due_at, v->viewer_zone)) != NULL ? s : "";
	return "";
}

/* The folded panel's one line. */
static const char *
summary(struct arena *a, const struct sla_view *v, int open)
{
	static const struct {
		const char *colour, *words;
	} colours[] = { { "green", "on track" }, { "amber", "at risk" }, { "red", "breached" },
		{ "paused", "clock stopped" } };
	const char *res = v->targets[2].outcome;
	size_t i;

	if (!v->has_policy)
		return "no policy";
	if (!open)
		return *res != '\0' ? arena_printf(a, "resolution target %s", res) :
		    "closed, not measured";
	for (i = 0; i < sizeof(colours) / sizeof(colours[0]); i++)
		if (strcmp(v->colour, colours[i].colour) == 0)
			return *v->left != '\0' ? arena_printf(a, "%s, %s%s", colours[i].words,
			    v->left, next_due(a, v)) : colours[i].words;
	return "running";
}

static int
targets_ctx(struct arena *a, struct tval *panel, const struct sla_view *v, int open)
{
	struct tval *list = tval_list(a);
	int k, rc = list == NULL;

	for (k = 0; k < 3 && !rc; k++) {
		const struct sla_target *t = &v->targets[k];
		struct tval *m = tval_map(a);

		rc |= tval_set_str(a, m, "label", t->label);
		rc |= tval_set_str(a, m, "target", t->target);
		rc |= tval_set_str(a, m, "due_at", t->due_at);
		rc |= tval_set_str(a, m, "warn_at", t->warn_at);
		rc |= tval_set_str(a, m, "stage", t->stage);
		rc |= tval_set_str(a, m, "stage_label", stage_label(t->stage, t->outcome, open));
		rc |= tval_set_str(a, m, "outcome", t->outcome);
		rc |= tval_push(a, list, m);
	}
	return rc | tval_set(a, panel, "targets", list);
}

static int
history_ctx(struct arena *a, struct tval *panel, const struct sla_view *v, int open)
{
	struct tval *segs = tval_list(a), *evs = tval_list(a), *escs = tval_list(a);
	size_t i;
	int rc = segs == NULL || evs == NULL || escs == NULL;

	for (i = 0; i < v->nsegments && !rc; i++) {
		struct tval *m = tval_map(a);

		const char *state = v->segments[i].state;

		rc |= tval_set_str(a, m, "state", strcmp(state, "running") == 0 ? "running" :
		    strcmp(state, "paused") == 0 ? "stopped" : state);
		rc |= tval_set_str(a, m, "from", v->segments[i].from);
		/* An open span of a ticket that no longer needs work ended with it. */
		rc |= tval_set_str(a, m, "to", *v->segments[i].to == '\0' && !open ?
		    "when the ticket was closed" : v->segments[i].to);
		rc |= tval_set_str(a, m, "reason", status_words(a, v->segments[i].reason));
		rc |= tval_push(a, segs, m);
	}
	for (i = 0; i < v->nevents && !rc; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_str(a, m, "target", v->events[i].target);
		rc |= tval_set_str(a, m, "kind", v->events[i].kind);
		rc |= tval_set_str(a, m, "at", v->events[i].at);
		rc |= tval_set_str(a, m, "due_at", v->events[i].due_at);
		rc |= tval_set_str(a, m, "detail", v->events[i].detail);
		rc |= tval_push(a, evs, m);
	}
	for (i = 0; i < v->nescalations && !rc; i++) {
		const struct sla_escalation *e = &v->escalations[i];
		struct tval *m = tval_map(a);

		rc |= tval_set_str(a, m, "trigger", e->trigger);
		rc |= tval_set_str(a, m, "target", e->target);
		rc |= tval_set_str(a, m, "by", e->by);
		rc |= tval_set_str(a, m, "reason", e->reason);
		rc |= tval_set_str(a, m, "from_agent", e->from_agent);
		rc |= tval_set_str(a, m, "to_agent", e->to_agent);
		rc |= tval_set_str(a, m, "old_priority", e->old_priority);
		rc |= tval_set_str(a, m, "new_priority", e->new_priority);
		rc |= tval_set_str(a, m, "created_at", e->created_at);
		rc |= tval_set_str(a, m, "deescalated_at", e->deescalated_at);
		rc |= tval_push(a, escs, m);
	}
	rc |= tval_set(a, panel, "segments", segs);
	rc |= tval_set(a, panel, "events", evs);
	rc |= tval_set(a, panel, "escalations", escs);
	return rc;
}

/* The flags, each {name, label, on}, for the panel's buttons. */
static int
flags_ctx(struct arena *a, struct tval *panel, const char *set)
{
	struct tval *list = tval_list(a);
	size_t n = strlen(set);
	int k, rc = list == NULL;

	for (k = 0; k < ESCALATION_NFLAGS && !rc; k++) {
		const char *name = escalation_flag_names[k], *at = strstr(set, name);
		size_t len = strlen(name);
		struct tval *m = tval_map(a);

		rc |= tval_set_str(a, m, "name", name);
		rc |= tval_set_str(a, m, "label", escalation_flag_labels[k]);
		rc |= tval_set_bool(a, m, "on", at != NULL && (at == set || at[-1] == ',') &&
		    (at + len == set + n || at[len] == ','));
		rc |= tval_push(a, list, m);
	}
	return rc | tval_set(a, panel, "flags", list);
}

int
console_ticket_sla_panel(struct arena *a, struct tval *ctx, const struct sla_view *v, int open)
{
	struct tval *panel;
	int rc;

	if ((panel = tval_map(a)) == NULL)
		return -1;
	rc = tval_set_bool(a, panel, "has_policy", v->has_policy);
	rc |= tval_set_str(a, panel, "policy", v->policy);
	rc |= tval_set_str(a, panel, "calendar", v->calendar);
	rc |= tval_set_str(a, panel, "zone", v->zone);
	rc |= tval_set_str(a, panel, "viewer_zone", v->viewer_zone);
	rc |= tval_set_str(a, panel, "hours", v->hours);
	rc |= tval_set_str(a, panel, "pauses", status_words(a, v->pauses));
	rc |= tval_set_str(a, panel, "summary", summary(a, v, open));
	rc |= tval_set_str(a, panel, "paused_minutes", v->paused_minutes);
	if (*v->colour != '\0' && open) {
		rc |= tval_set_str(a, panel, "sla", v->colour);
		rc |= tval_set_str(a, panel, "sla_words", console_sla_words(v->colour));
		rc |= tval_set_str(a, panel, "sla_left", v->left);
	}
	rc |= targets_ctx(a, panel, v, open);
	rc |= history_ctx(a, panel, v, open);
	rc |= flags_ctx(a, panel, v->flags != NULL ? v->flags : "");
	return rc | tval_set(a, ctx, "sla_panel", panel);
}

/* The {number} path parameter, upper-cased, when it looks like one; else NULL. */
static const char *
path_number(const struct req *r)
{
	const char *v = req_param(r, "number");
	char *up;
	size_t i;

	if (v == NULL || strlen(v) < 5 || strlen(v) > 16 || (up = arena_strdup(r->arena, v)) == NULL)
		return NULL;
	for (i = 0; up[i]; i++)
		up[i] = (char)toupper((unsigned char)up[i]);
	if (strncmp(up, "TKT-", 4) != 0 || up[4] == '\0')
		return NULL;
	for (i = 4; up[i]; i++)
		if (!isdigit((unsigned char)up[i]))
			return NULL;
	return up;
}

int
console_ticket_escalate(struct app *app, struct req *r, struct resp *w)
{
	struct ticket_actor_ref by = { TA_STAFF, r->who.id, 0, 0, 0 };
	struct ticket t;
	const char *number = path_number(r), *why = NULL;
	const char *reason = fields_trim(r->arena, req_field(r, "reason") != NULL ?
	    req_field(r, "reason") : "");
	struct tval *ctx;
	enum cs_result res;
	int rc;

	if (number == NULL)
		return 404;
	rc = ticket_get(&app->db, r->arena, &by, number, &t);
	if (rc == CS_NOT_FOUND)
		return 404;
	if (rc != CS_OK)
		return web_db_error(app);
	if (reason == NULL || (ctx = app_page(app, r, t.number)) == NULL)
		return 500;
	res = sla_escalate_manual(&app->db, app->tmpl, r->arena, ctx, app->cfg.base_url,
	    r->who.id, t.id, reason, &why);
	if (res == CS_REFUSED)
		return console_ticket_refused(app, r, w, 422, why);
	if (res == CS_NOT_FOUND)
		return 404;
	if (res != CS_OK)
		return web_db_error(app);
	app_audit(app, r, "ticket.escalate", "ticket", t.number, NULL);
	resp_redirect(w, arena_printf(r->arena, "/agent/tickets/%s", t.number));
	app_flash(app, r, w, 0, "Escalated: the supervisors have been told.");
	return 0;
}

/* POST /agent/tickets/{number}/flags: flag=NAME and on=1 (set) or on=0 (clear). */
int
console_ticket_flag(struct app *app, struct req *r, struct resp *w)
{
	const char *flag = req_field(r, "flag"), *on = req_field(r, "on"), *why = NULL;
	struct tval *ctx;
	struct ticket t;
	enum cs_result res;
	int rc, set = on != NULL && strcmp(on, "1") == 0, changed;

	if ((rc = console_ticket_load(app, r, &t)) != 0)
		return rc;
	if ((ctx = app_page(app, r, t.number)) == NULL)
		return 500;
	res = escalation_flag_set(&app->db, app->tmpl, r->arena, ctx, app->cfg.base_url,
	    r->who.id, t.id, flag, set, &changed, &why);
	if (res == CS_REFUSED)
		return console_ticket_refused(app, r, w, 422, why);
	if (res == CS_NOT_FOUND)
		return 404;
	if (res != CS_OK)
		return web_db_error(app);
	if (changed)
		app_audit(app, r, set ? "ticket.flag" : "ticket.unflag", "ticket", t.number, NULL);
	resp_redirect(w, arena_printf(r->arena, "/agent/tickets/%s", t.number));
	app_flash(app, r, w, 0, !changed ? "Nothing changed." : set ?
	    "Flagged and escalated along its path." : "Flag cleared: de-escalated.");
	return 0;
}
