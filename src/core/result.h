/*
 * result.h — the one vocabulary of domain outcomes.
 *
 * Every domain function that can fail for more than one reason returns an
 * enum cs_result, never a bare number. CS_OK is 0, so `if (rc != CS_OK)`
 * reads the same everywhere. A function that returns CS_REFUSED also hands
 * back a sentence for the person (its `why` out-parameter, in the arena).
 *
 *   CS_OK         done
 *   CS_NOT_FOUND  no such thing, or not one the actor may see (the same answer)
 *   CS_REFUSED    a rule or a limit says no; *why says which, for the person
 *   CS_CONFLICT   the thing changed since it was read (stale form, version)
 *   CS_TAKEN      a unique name, number or slot is already in use
 *   CS_DB_LOST    the database went away, or is too busy (a statement or
 *                 lock timeout): try again later (503 with Retry-After)
 *   CS_FAILED     anything else: logged where it happened (500)
 *   CS_LIMITED    too many, too fast: a rate or a quota says "not now"; *why
 *                 says which and when to try again (429 with Retry-After)
 *
 * (CS_LIMITED comes last so the values before it keep their numbers.)
 * Only CS_DB_LOST and CS_FAILED leave the caller's transaction unusable;
 * the others change nothing and leave it open for a page that explains.
 * Handlers turn a result into an HTTP status in one place (web/result.h).
 */
#ifndef CSDESK_RESULT_H
#define CSDESK_RESULT_H

enum cs_result {
	CS_OK = 0,
	CS_NOT_FOUND,
	CS_REFUSED,
	CS_CONFLICT,
	CS_TAKEN,
	CS_DB_LOST,
	CS_FAILED,
	CS_LIMITED,
	CS_RESULT__MAX
};

/* A short lower-case name ("not_found") for logs and tests. Never NULL. */
const char *cs_result_str(enum cs_result r);

#endif
