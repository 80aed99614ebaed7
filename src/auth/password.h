/*
 * password.h — password rules, Argon2id hashing and verification.
 *
 * Hashes are libsodium's crypto_pwhash_str (Argon2id, "$argon2id$…").
 * Verifying for an account that does not exist still costs one hash
 * (against a dummy), so timing does not tell whether an account exists.
 * At most PASSWORD_PARALLEL hashes run at once on a host (a worker waits
 * for a slot), so memory use stays predictable under a login storm.
 */
#ifndef CSDESK_PASSWORD_H
#define CSDESK_PASSWORD_H

#include <sodium.h>

#define PASSWORD_MIN 12
#define PASSWORD_MAX 128
#define PASSWORD_HASH_MAX crypto_pwhash_STRBYTES

/* Prepares the dummy hash. Call once before the first verify; 0 or -1. */
int password_init(void);

/*
 * Why pw is not acceptable as a new password, or NULL when it is: length
 * 12..128 (in characters), not the e-mail or name, and not a dictionary
 * word or common password (cracklib).
 */
const char *password_weakness(const char *pw, const char *email, const char *name);

/* Hashes pw into out. Returns 0, or -1 (out of memory: try later). */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);

/*
 * 1 when pw matches stored, 0 otherwise. stored NULL (no such account)
 * is checked against the dummy hash and gives 0. *rehash (may be NULL) is
 * set when the hash was made with other parameters than today's.
 */
int password_verify(const char *stored, const char *pw, int *rehash);

#endif
