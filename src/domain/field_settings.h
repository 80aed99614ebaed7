/*
 * field_settings.h — what admins set for field service (docs/field.md):
 * whether a job can be completed without the customer's signature, and
 * the hourly rates a job report charges for labour and travel. The rows
 * are in `settings` from 041 and 042; a change is audited
 * ("field.settings") in its transaction.
 */
#ifndef CSDESK_FIELD_SETTINGS_H
#define CSDESK_FIELD_SETTINGS_H

#include "core/result.h"

struct arena;
struct audit_entry;
struct db;

/* The highest hourly rate a form takes (the report's numeric(12,2) is far beyond). */
#define FIELD_RATE_MAX 100000

struct field_settings {
	int signature_required;	/* completion needs the customer's signature */
	const char *labour_rate;	/* "90.00" an hour */
	const char *travel_rate;	/* "45.00" an hour */
};

/* The settings (defaults where a row is missing). CS_OK or the failure. */
enum cs_result field_settings_load(struct db *db, struct arena *a, struct field_settings *s);

/*
 * Stores them. CS_REFUSED with *why and *field ("labour_rate",
 * "travel_rate") for a rate that is not an amount of 0 … FIELD_RATE_MAX.
 * CS_OK or the failure.
 */
enum cs_result field_settings_save(struct db *db, const struct audit_entry *by,
    const struct field_settings *s, const char **why, const char **field);

#endif
