/*
 * fuzz_image.c — libFuzzer harness for the picture sniffers of
 * core/image.h (image_type_of, image_photo_type_of), fed the untrusted
 * first bytes of every upload: a knowledge-base image, a visit's photo.
 *
 * Whatever the bytes, the answer must be one of the types the header
 * promises, a photo never a GIF, and each type must be backed by its
 * magic bytes within the input (no read past n: ASan watches the copy).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
starts(const unsigned char *d, size_t n, const char *magic, size_t len)
{
	return n >= len && memcmp(d, magic, len) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact copy, so reading one byte past the input is caught. */
	unsigned char *d = malloc(size ? size : 1);
	const char *t, *p;

	if (d == NULL)
		return 0;
	memcpy(d, data, size);
	t = image_type_of(d, size);
	p = image_photo_type_of(d, size);
	if (t == NULL) {
		if (p != NULL)
			abort();
	} else if (strcmp(t, "image/png") == 0) {
		if (!starts(d, size, "\x89PNG\r\n\x1a\n", 8))
			abort();
	} else if (strcmp(t, "image/jpeg") == 0) {
		if (!starts(d, size, "\xff\xd8\xff", 3))
			abort();
	} else if (strcmp(t, "image/gif") == 0) {
		if (!starts(d, size, "GIF87a", 6) && !starts(d, size, "GIF89a", 6))
			abort();
		if (p != NULL)
			abort();
	} else if (strcmp(t, "image/webp") == 0) {
		if (!starts(d, size, "RIFF", 4) || size < 12 || memcmp(d + 8, "WEBP", 4) != 0)
			abort();
	} else
		abort();
	if (p != NULL && strcmp(p, t) != 0)
		abort();
	free(d);
	return 0;
}
