/*
 * returns_policy.h — the return policy admins edit: the amount under which
 * a return is approved at once, the window of days from delivery (per
 * product category, with a default), where customers ship to, which
 * reasons need inspection, and the restocking fees per reason from a
 * number of days since delivery (fixed or a percentage).
 *
 * A line takes the policy as it stands when it is asked for (its window
 * and fee are copied onto it: sql/functions/150_returns.sql), so an edit
 * changes new returns only. Every change is audited (admin_audit) in its
 * transaction. Functions return CS_OK or what went wrong; CS_REFUSED comes
 * with *why and the form's *field. Strings live in the arena.
 */
#ifndef CSDESK_RETURNS_POLICY_H
#define CSDESK_RETURNS_POLICY_H

#include <stddef.h>

#include "core/result.h"
#include "domain/returns.h"

struct arena;
struct audit_entry;
struct db;

struct return_window_row {
	long long category_id;
	const char *category;
	int days;			/* -1: the default applies */
};

struct return_fee_row {
	long long id;
	const char *reason, *kind, *amount;	/* kind "fixed" or "percent" */
	int from_days;
};

struct return_policy_view {
	const char *auto_approve_max;	/* money; "0.00": never */
	int default_window_days;
	const char *ship_to;
	struct return_window_row *windows;	/* every active category, by name */
	size_t nwindows;
	int needs_inspection[RETURN_REASONS];	/* in return_reason_names order */
	struct return_fee_row *fees;		/* by reason, then from_days */
	size_t nfees;
};

/* The whole policy. CS_OK or the failure. */
enum cs_result returns_policy_get(struct db *db, struct arena *a, struct return_policy_view *v);

struct return_policy_input {
	const char *auto_approve_max;	/* an amount (money_ok) */
	int default_window_days;	/* 0..RETURN_WINDOW_MAX */
	const char *ship_to;		/* 1..RETURN_SHIP_TO_MAX characters */
	const long long *category_ids;	/* windows: these categories … */
	const int *days;		/* … get these days (-1: the default) */
	size_t nwindows;
	int needs_inspection[RETURN_REASONS];
};

/* Saves the policy but its fees. CS_OK, CS_REFUSED (*why, *field) or the failure. */
enum cs_result returns_policy_save(struct db *db, const struct audit_entry *by,
    const struct return_policy_input *in, const char **why, const char **field);

/*
 * Adds a fee: reason, from_days (0..RETURN_WINDOW_MAX) after delivery,
 * kind "fixed" (amount) or "percent" (amount at most 100). CS_OK,
 * CS_REFUSED (*why, *field; also a fee for that reason and day exists) or
 * the failure.
 */
enum cs_result returns_fee_add(struct db *db, const struct audit_entry *by, const char *reason,
    int from_days, const char *kind, const char *amount, const char **why, const char **field);

/* Removes fee id. CS_OK, CS_NOT_FOUND or the failure. */
enum cs_result returns_fee_delete(struct db *db, const struct audit_entry *by, long long id);

#endif
