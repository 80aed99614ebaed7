/*
 * ops_settings.h — the settings of the batch job's ticket work, kept in the
 * settings table and changed on the admins' settings page:
 *
 *   auto_close_days     a resolved ticket the customer neither confirms nor
 *                       reopens is closed after this many days (1 … 365)
 *   metrics_time_zone   the IANA zone whose calendar days the daily service
 *                       metrics count ("UTC", "Europe/Paris")
 *   customer_files_per_day, customer_file_mb_per_day
 *                       the attachment quota of a customer's account over
 *                       24 hours (customer_limits.h counts it)
 *
 * Functions return an enum cs_result (failures logged).
 */
#ifndef CSDESK_OPS_SETTINGS_H
#define CSDESK_OPS_SETTINGS_H

#include <stddef.h>

#include "core/result.h"
#include "domain/customer_limits.h"

struct arena;
struct audit_entry;
struct db;

#define OPS_AUTO_CLOSE_DAYS_DEFAULT 7
#define OPS_AUTO_CLOSE_DAYS_MIN 1
#define OPS_AUTO_CLOSE_DAYS_MAX 365
#define OPS_ZONE_DEFAULT "UTC"
/* Longest zone name accepted (SYSTEM_ZONE_MAX: the longest IANA name is about 32). */
#define OPS_ZONE_MAX 64

struct ops_settings {
	int auto_close_days;
	const char *time_zone;		/* in the arena given, or the default */
	int files_per_day;		/* 0 … CUSTOMER_FILES_PER_DAY_MAX */
	int file_mb_per_day;		/* 0 … CUSTOMER_FILE_MB_PER_DAY_MAX */
};

/*
 * Reads the settings; a missing or unusable stored value reads as its
 * default, so the batch job never stops over a bad row. CS_OK or the
 * failure.
 */
enum cs_result ops_settings_load(struct db *db, struct arena *a, struct ops_settings *s);

/*
 * Stores the settings in one transaction (joining the caller's), with an
 * audit record per value that changed (by's actor and address). The
 * caller checked the zone (system_zone_known). CS_OK, CS_REFUSED (a value
 * out of its range, with why, and *field the form field it belongs to)
 * or the failure.
 */
enum cs_result ops_settings_save(struct db *db, const struct audit_entry *by,
    const struct ops_settings *s, const char **field, const char **why);

#endif
