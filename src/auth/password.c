/* password.c — see password.h. */
#include "auth/password.h"
#include "core/utf8.h"
#include "core/log.h"

#include <stddef.h>

#include <crack.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <unistd.h>

/* Argon2id at libsodium's interactive level: 64 MiB, about 0.1 s. */
#define OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE
/* Hashes running at once on this host: PASSWORD_PARALLEL × 64 MiB at most. */
#define PASSWORD_PARALLEL 4

static char dummy[PASSWORD_HASH_MAX];

int
password_init(void)
{
	char pw[33];
	unsigned char raw[16];

	if (dummy[0] != '\0')
		return 0;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(pw, sizeof(pw), raw, sizeof(raw));
	return password_hash(pw, dummy);
}

/* Non-zero when needle[0..n) occurs in hay, ignoring ASCII case. */
static int
contains_ci(const char *hay, const char *needle, size_t n)
{
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

const char *
password_weakness(const char *pw, const char *email, const char *name)
{
	long n = utf8_chars_checked(pw);
	const char *why, *dict;
	char path[512];
	size_t local;

	if (n < 0)
		return "The password contains characters we cannot read.";
	if (n < PASSWORD_MIN)
		return "Use at least 12 characters.";
	if (n > PASSWORD_MAX)
		return "Use at most 128 characters.";
	if (email != NULL && *email != '\0') {
		local = strcspn(email, "@");
		if (strcasecmp(pw, email) == 0 || (local >= 4 && contains_ci(pw, email, local)))
			return "Do not build your password from your e-mail address.";
	}
	if (name != NULL && *name != '\0') {
		char squeezed[256];
		size_t i, k = 0;

		/* "Ann Smith" must not appear in it, with or without the space. */
		for (i = 0; name[i] && k < sizeof(squeezed) - 1; i++)
			if (name[i] != ' ')
				squeezed[k++] = name[i];
		if (strcasecmp(pw, name) == 0 || (k >= 4 && contains_ci(pw, squeezed, k)))
			return "Do not build your password from your name.";
	}
	/* cracklib exits the process when its dictionary is missing: look first. */
	dict = GetDefaultCracklibDict();
	snprintf(path, sizeof(path), "%s.pwd", dict);
	if (access(path, R_OK) != 0) {
		log_warn("password: no cracklib dictionary at %s; strength check limited", dict);
		return NULL;
	}
	why = FascistCheckUser(pw, dict, "csdesk", name);
	if (why != NULL)
		return "This password is too easy to guess (it is a common password, a "
		    "dictionary word or too simple). Try a few unrelated words together.";
	return NULL;
}

/*
 * Takes one of the host's hash slots: a lock on one of PASSWORD_PARALLEL
 * files. The kernel drops the lock if the worker dies, so a slot is never
 * lost. Returns the fd holding it, or -1 (then the hash runs anyway).
 */
static int
slot_acquire(void)
{
	const char *dir = getenv("CSDESK_RUNDIR");
	char path[512];
	int i, fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	for (i = 0; i < PASSWORD_PARALLEL * 2; i++) {
		int slot = (i + (int)getpid()) % PASSWORD_PARALLEL;
		int blocking = i >= PASSWORD_PARALLEL;

		snprintf(path, sizeof(path), "%s/csdesk-pwhash.%d", dir, slot);
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
		if (fd < 0)
			return -1;
		if (flock(fd, blocking ? LOCK_EX : LOCK_EX | LOCK_NB) == 0)
			return fd;
		close(fd);
	}
	return -1;
}

static void
slot_release(int fd)
{
	if (fd >= 0)
		close(fd);
}

int
password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	int fd = slot_acquire(), rc;

	rc = crypto_pwhash_str(out, pw, strlen(pw), OPSLIMIT, MEMLIMIT);
	slot_release(fd);
	if (rc != 0)
		return log_fail("password: hashing failed (out of memory)");
	return 0;
}

int
password_verify(const char *stored, const char *pw, int *rehash)
{
	int fd, ok;

	if (rehash != NULL)
		*rehash = 0;
	if (pw == NULL)
		pw = "";
	if (stored == NULL || strncmp(stored, "$argon2", 7) != 0) {
		if (dummy[0] == '\0')
			password_init();
		fd = slot_acquire();
		/* The answer is "no" either way; only the time spent matters. */
		if (crypto_pwhash_str_verify(dummy, pw, strlen(pw)) == 0)
			log_warn("password: the dummy hash matched");
		slot_release(fd);
		return 0;
	}
	fd = slot_acquire();
	ok = crypto_pwhash_str_verify(stored, pw, strlen(pw)) == 0;
	slot_release(fd);
	if (ok && rehash != NULL)
		*rehash = crypto_pwhash_str_needs_rehash(stored, OPSLIMIT, MEMLIMIT) != 0;
	return ok;
}
