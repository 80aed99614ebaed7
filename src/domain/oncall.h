/*
 * oncall.h — the on-call rota: who takes a team's urgent and critical
 * tickets when nobody of the team is on shift with room (ticket_auto_assign
 * at creation, and the batch's assign step after it: assign_waiting.h).
 *
 * A slot is a team, an agent, a day and hours in the agent's own time
 * zone (ending on the next day when the end hour is not after the start:
 * 18 to 8 is a night). An override is someone standing in: it wins over
 * the regular slots it overlaps. Slots are added and removed, each in one
 * transaction with its audit record; a slot that has ended stays for the
 * record and drops off the page.
 */
#ifndef CSDESK_ONCALL_H
#define CSDESK_ONCALL_H

#include <stddef.h>

#include "core/result.h"
#include "domain/sla_admin.h"

struct arena;
struct audit_entry;
struct db;

/* A note's length in characters (the table's CHECK). */
#define ONCALL_NOTE_MAX 200
/* How far ahead a slot may start, in days. */
#define ONCALL_AHEAD_DAYS 366

struct oncall_slot {
	long long id;
	const char *team, *agent;
	const char *starts, *ends;	/* "Mon 2026-12-07 18:00", in the agent's zone */
	const char *zone;
	int override, now;		/* now: it covers this moment */
	const char *note;
};

/* The slots not yet ended, by team then start. CS_OK or the failure. */
enum cs_result oncall_list(struct db *db, struct arena *a, struct oncall_slot **out, size_t *n);

/* A slot as an admin types it. */
struct oncall_input {
	long long team_id, staff_id;
	const char *day;		/* YYYY-MM-DD, in the agent's zone */
	long long from_hour, to_hour;	/* 0..23 and 1..24; to <= from: the next day */
	int override;
	const char *note;		/* may be empty */
};

/*
 * Checks in without the database: a team and an agent chosen, a real day,
 * hours in range, a note that fits. CS_OK or CS_REFUSED (why filled, one
 * sentence per field at fault: "team_id", "staff_id", "day", "from_hour",
 * "to_hour", "note"; the refusals of the SLA admin pages, sla_admin.h).
 */
enum cs_result oncall_check(const struct oncall_input *in, struct sla_why *why);

/*
 * Adds a slot (*id set) after oncall_check, and its audit record. Returns
 * CS_OK, CS_REFUSED (why: no such team, not an active agent, the slot
 * has already ended or starts more than ONCALL_AHEAD_DAYS ahead) or the
 * failure.
 */
enum cs_result oncall_add(struct db *db, struct arena *a, const struct audit_entry *by,
    const struct oncall_input *in, long long *id, struct sla_why *why);

/* Removes slot id, audited. CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result oncall_remove(struct db *db, struct arena *a, const struct audit_entry *by,
    long long id);

#endif
