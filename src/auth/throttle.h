/*
 * throttle.h — slowing down password guessing, per account and per client
 * address, with the state in PostgreSQL so it holds across workers and
 * hosts.
 *
 * The rule: count the failed sign-ins of the last 15 minutes since the
 * last success. From THROTTLE_ACCOUNT_FREE failures for an account (or
 * THROTTLE_ADDRESS_FREE for an address) each further failure locks it for
 * twice as long as the one before, starting at 30 seconds and never more
 * than 15 minutes: a lock-out always ends. The account is the e-mail as
 * typed, so an unknown address is throttled exactly like a real one and
 * the answer reveals nothing.
 */
#ifndef CSDESK_THROTTLE_H
#define CSDESK_THROTTLE_H

struct db;

#define THROTTLE_ACCOUNT_FREE 5
#define THROTTLE_ADDRESS_FREE 30

/*
 * Seconds until area ("portal", "console") may try again for who (an
 * e-mail) from ip: 0 when it may try now, -1 on a database error.
 */
int throttle_wait(struct db *db, const char *area, const char *who, const char *ip);

/* Records an attempt. 0 or -1. */
int throttle_record(struct db *db, const char *area, const char *who, const char *ip,
    int success);

#endif
