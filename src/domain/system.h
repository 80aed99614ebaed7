/*
 * system.h — facts about the installation: which PostgreSQL answers,
 * which migrations are applied, and which time zones it knows.
 */
#ifndef CSDESK_SYSTEM_H
#define CSDESK_SYSTEM_H

#include "core/result.h"

struct db;
struct arena;

struct system_status {
	const char *db_version;		/* "PostgreSQL 15.x" */
	const char *db_name;
	long long migrations;		/* how many are applied */
	const char *last_migration;	/* the newest, or "" */
};

/* Fills st (strings in the arena). CS_OK or the failure (logged). */
enum cs_result system_status_read(struct db *db, struct arena *a, struct system_status *st);

/* Longest time zone name asked about (the longest IANA name is about 32). */
#define SYSTEM_ZONE_MAX 64

/*
 * Whether PostgreSQL knows the IANA time zone called zone
 * (pg_timezone_names): CS_OK, CS_NOT_FOUND (also for "" or a name over
 * SYSTEM_ZONE_MAX characters) or the failure.
 */
enum cs_result system_zone_known(struct db *db, const char *zone);

#endif
