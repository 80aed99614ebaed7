/*
 * security_admin.h — the admins' view of sign-in throttling, and the
 * site-wide settings they change (settings table).
 *
 * Strings come back in the arena given. Functions that can fail return an
 * enum cs_result (CS_OK, or the failure: logged).
 */
#ifndef CSDESK_SECURITY_ADMIN_H
#define CSDESK_SECURITY_ADMIN_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct audit_entry;
struct db;

/* Most lock-outs listed. */
#define SECURITY_ADMIN_LOCKOUTS_MAX 200

/* An account (e-mail as typed) or a client address that may not sign in now. */
struct security_lockout {
	int address;			/* 0: an account, 1: a client address */
	const char *area;		/* "portal" or "console" */
	const char *who;		/* the e-mail, or the address */
	long long failures;		/* counted by the throttling rule */
	const char *last_failure;	/* UTC "YYYY-MM-DD HH:MM:SS" */
	const char *locked_until;	/* same */
	long long seconds_left;
};

/*
 * Every account and address locked out right now, by the rule throttle.h
 * enforces (the same thresholds; times computed by the database's clock),
 * the longest lock first. CS_OK or the failure.
 */
enum cs_result security_admin_lockouts(struct db *db, struct arena *a,
    struct security_lockout **rows, size_t *n);

/* The yes/no settings admins change, in display order. */
enum security_setting {
	SECURITY_REQUIRE_ADMIN_TOTP,	/* admins must have a second factor to act as admins */
	SECURITY_PUBLIC_REGISTRATION,	/* anyone may register on the portal */
	SECURITY_SETTING__MAX
};

/* The settings table key of each ("require_admin_totp"). */
extern const char *const security_setting_keys[SECURITY_SETTING__MAX];

/* Reads every setting into on[]: 1 yes, 0 no (missing: no). CS_OK or the failure. */
enum cs_result security_admin_settings(struct db *db, int on[SECURITY_SETTING__MAX]);

/*
 * Stores every setting from on[] in one transaction, with one audit record
 * per value that changed (by's actor_kind, actor_id and ip). CS_OK or the
 * failure.
 */
enum cs_result security_admin_settings_save(struct db *db, const struct audit_entry *by,
    const int on[SECURITY_SETTING__MAX]);

struct ops_settings;

/*
 * The settings page as one use case: the security switches (on[]) and
 * the operational settings (ops_settings.h) stored together in one
 * transaction, audited per changed value; nothing is stored when any part
 * is refused. CS_OK, CS_REFUSED (an operational value out of range: why,
 * and *field the form field) or the failure.
 */
enum cs_result security_admin_settings_save_all(struct db *db, const struct audit_entry *by,
    const int on[SECURITY_SETTING__MAX], const struct ops_settings *ops, const char **field,
    const char **why);

/*
 * One setting as the programs obey it: 1 yes, 0 no; fallback when it is
 * missing or cannot be read (the failure is logged). Cannot fail.
 */
int security_setting(struct db *db, enum security_setting s, int fallback);

#endif
