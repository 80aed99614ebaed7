/* csrf.c — see csrf.h. */
#include "auth/csrf.h"
#include "core/arena.h"

#include <sodium.h>
#include <string.h>

char *
csrf_new(struct arena *a)
{
	unsigned char raw[32];
	char *s = arena_alloc(a, CSRF_TOKEN_LEN + 1);

	if (s == NULL)
		return NULL;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(s, CSRF_TOKEN_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return s;
}

int
csrf_well_formed(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != CSRF_TOKEN_LEN)
		return 0;
	for (i = 0; i < CSRF_TOKEN_LEN; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

int
csrf_equal(const char *expected, const char *given)
{
	if (!csrf_well_formed(expected) || !csrf_well_formed(given))
		return 0;
	return sodium_memcmp(expected, given, CSRF_TOKEN_LEN) == 0;
}
