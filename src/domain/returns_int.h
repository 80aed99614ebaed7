/*
 * returns_int.h — what the returns modules share and nobody else needs:
 * who may see a return (the scope every statement carries), the lock a
 * step takes, and the step record (state, return_steps row, event) every
 * use case ends with.
 */
#ifndef CSDESK_RETURNS_INT_H
#define CSDESK_RETURNS_INT_H

#include "domain/returns.h"

/*
 * Who may see return r: staff ($s true), or the customer's account
 * ($c) and either its account admin ($a) or the requester ($u). Row-level
 * security keeps the portal's role to its account as well.
 */
#define RETURN_SCOPE(s, c, a, u) \
	" (" s "::boolean OR (r.customer_id = " c "::bigint AND (" a "::boolean OR" \
	" r.requester_id = " u "::bigint)))"

/* The scope's four parameters, as text in sc (for RETURN_SCOPE). */
struct return_scope {
	char staff[8], customer[24], admin[8], user[24];
};
void returns_scope(const struct return_actor *by, struct return_scope *sc);

/* Times and dates as pages show them (UTC). */
#define RETURN_TS(x) "to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"

/* A return locked for a change. */
struct return_locked {
	long long id;
	const char *number;
	enum return_state state;
};

/*
 * Locks return number (FOR UPDATE) as by may see it, inside the caller's
 * transaction. CS_OK, CS_NOT_FOUND or the failure.
 */
enum cs_result returns_lock(struct db *db, struct arena *a, const struct return_actor *by,
    const char *number, struct return_locked *l);

/*
 * Moves l to state to (to == l->state: the same state again, e.g. a
 * second parcel received), records the step with note and appends the
 * event "return.<to>" with the number, from, to and note. With outcome
 * set, the return's outcome_note becomes note (what a rejected or
 * cancelled customer is told). CS_OK or the failure.
 */
enum cs_result returns_move(struct db *db, const struct return_actor *by,
    struct return_locked *l, enum return_state to, const char *note, int outcome);

/* NULL when photos are acceptable (images, RETURN_PHOTOS_MAX), else why not. */
const char *returns_photos_refused(const struct ticket_file *photos, size_t n);

/* Stores photos with return_id at stage ("request", "warehouse"). CS_OK or the failure. */
enum cs_result returns_photos_store(struct db *db, long long return_id, const char *stage,
    const struct ticket_file *photos, size_t n);

/* Non-zero when s is a date YYYY-MM-DD that exists (1990..2200). Cannot fail. */
int returns_date_ok(const char *s);

/* Non-zero when by is staff holding one of the roles in mask (staff.h bits). */
int returns_has_role(const struct return_actor *by, unsigned mask);

#endif
