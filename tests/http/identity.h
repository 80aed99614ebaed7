/*
 * identity.h — what the HTTP suites read and make beside the browser
 * (tests/lib/http_client.h, included here): the mail csdesk queued (from
 * the outbox table), values read as the database owner, and people made
 * through the domain.
 */
#ifndef CSDESK_TEST_IDENTITY_H
#define CSDESK_TEST_IDENTITY_H

#include "../lib/http_client.h"

struct db;

/* The newest queued mail to recipient of kind: its text body (malloc'd) or NULL. */
char *mail_text(const char *conninfo, const char *recipient, const char *kind);

/* The first URL in text that starts with prefix (malloc'd), path part only. */
char *link_path(const char *text, const char *marker);

/* Runs one SQL statement as the database owner; returns the first value
 * of the first row (malloc'd, "" when none) — for checks and time travel. */
char *sql_owner(const char *conninfo, const char *sql, const char *param);

/* sql_owner's value as a number (0 for none). */
long long sql_owner_ll(const char *conninfo, const char *sql, const char *param);

/* Asserts sql_owner's value is want. */
void sql_owner_is(const char *conninfo, const char *sql, const char *param, const char *want);

/*
 * Fixtures: a staff member or a customer account with its first portal
 * login, made through the domain with no audit row (like the command
 * line). Each asserts it worked and returns the new id.
 */
long long staff_fixture(struct db *d, const char *email, const char *name, const char *hash,
    const char *roles);
long long customer_fixture(struct db *d, const char *name, const char *kind, const char *tier,
    const char *language, const char *email, const char *user_name, const char *hash,
    int verified, long long *user_id);

#endif
