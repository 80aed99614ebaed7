/*
 * throttle.h — slowing down password guessing so that an attacker slows
 * themselves, not the person they attack. The state is in PostgreSQL, so
 * it holds across workers and hosts.
 *
 * Failures of the last 15 minutes are counted in three ways for a client
 * the account does not know (no valid device cookie, auth/device.h):
 *   - per pair (account, address), since the pair's last success: from
 *     THROTTLE_PAIR_FREE failures on;
 *   - per address, over every account: from THROTTLE_ADDRESS_FREE;
 *   - per account, over every address (a spread-out attack): from
 *     THROTTLE_ACCOUNT_FREE.
 * Each failure past the threshold makes that client wait twice as long as
 * the one before, from 30 seconds up to 15 minutes: a wait always ends.
 *
 * A known device (a valid device cookie for this account, set at an
 * earlier successful sign-in) is judged by its own failures only
 * (THROTTLE_DEVICE_FREE since its last success), so a correct password
 * from the owner's usual browser is never refused because someone else
 * is guessing. A new device under attack has the sign-in link by e-mail.
 *
 * The account is the e-mail as typed, so an unknown address is throttled
 * exactly like a real one and the answer reveals nothing.
 */
#ifndef CSDESK_THROTTLE_H
#define CSDESK_THROTTLE_H

struct db;

#define THROTTLE_PAIR_FREE 5
#define THROTTLE_ADDRESS_FREE 30
#define THROTTLE_ACCOUNT_FREE 50
#define THROTTLE_DEVICE_FREE 10

/*
 * Who is trying: area ("portal", "console"), who (an e-mail), ip (the
 * client's address), device (the id of a valid device cookie for who, or
 * NULL for an unknown client).
 */
struct throttle_key {
	const char *area, *who, *ip, *device;
};

/* Seconds until k may try again: 0 when it may try now, -1 on a database error. */
int throttle_wait(struct db *db, const struct throttle_key *k);

/* Records an attempt of k. 0 or -1. */
int throttle_record(struct db *db, const struct throttle_key *k, int success);

#endif
