/*
 * system.h — facts about the installation that staff may want to see:
 * which PostgreSQL answers and which migrations are applied.
 */
#ifndef CSDESK_SYSTEM_H
#define CSDESK_SYSTEM_H

struct db;
struct arena;

struct system_status {
	const char *db_version;		/* "PostgreSQL 15.x" */
	const char *db_name;
	long long migrations;		/* how many are applied */
	const char *last_migration;	/* the newest, or "" */
};

/* Fills st (strings in the arena). Returns 0, or -1 (logged). */
int system_status_read(struct db *db, struct arena *a, struct system_status *st);

#endif
