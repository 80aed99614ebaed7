/*
 * escalation_flags.h — flags an agent sets on a ticket (VIP, legal, media
 * attention, outage), each with its own escalation path
 * (escalation_flags in 038): setting one jumps the ticket to an agent at
 * the path's level (of the five: escalation_levels) and tells whom the
 * path names, the new agent and the one it was taken from
 * (templates/email/sla_escalated); clearing it de-escalates and gives the
 * ticket back. The rules are ticket_flag() in
 * sql/functions/180_automation.sql.
 */
#ifndef CSDESK_ESCALATION_FLAGS_H
#define CSDESK_ESCALATION_FLAGS_H

#include "core/result.h"

struct arena;
struct db;
struct tmpl_set;
struct tval;

/* The flags, NULL-terminated, and how people read them. */
#define ESCALATION_NFLAGS 4
extern const char *const escalation_flag_names[ESCALATION_NFLAGS + 1];
extern const char *const escalation_flag_labels[ESCALATION_NFLAGS];

/*
 * Sets (on) or clears flag on ticket_id for staff member staff_id, in one
 * transaction with its escalation and mail (rendered from set with ctx,
 * which carries site.name; link_base is the console's address). *changed:
 * whether anything changed (not when the flag was already so). CS_OK,
 * CS_REFUSED (not a flag: *why) or the failure.
 */
enum cs_result escalation_flag_set(struct db *db, const struct tmpl_set *set, struct arena *a,
    struct tval *ctx, const char *link_base, long long staff_id, long long ticket_id,
    const char *flag, int on, int *changed, const char **why);

#endif
