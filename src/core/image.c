/* image.c — see image.h. */
#include "core/image.h"

#include <string.h>

const char *
image_type_of(const unsigned char *d, size_t n)
{
	if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 3 && memcmp(d, "\xff\xd8\xff", 3) == 0)
		return "image/jpeg";
	if (n >= 6 && (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0))
		return "image/gif";
	if (n >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
		return "image/webp";
	return NULL;
}

const char *
image_photo_type_of(const unsigned char *d, size_t n)
{
	const char *t = image_type_of(d, n);

	/* GIF is an image the knowledge base takes, not a photo. */
	return t != NULL && strcmp(t, "image/gif") != 0 ? t : NULL;
}
