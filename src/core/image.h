/*
 * image.h — what kind of picture a file is, from its first bytes, whatever
 * the browser claimed: the types the programs agree to store and serve.
 */
#ifndef CSDESK_IMAGE_H
#define CSDESK_IMAGE_H

#include <stddef.h>

/* "image/png", "image/jpeg", "image/gif", "image/webp", or NULL. Cannot fail. */
const char *image_type_of(const unsigned char *d, size_t n);

/* A photo as a visit keeps one: "image/jpeg", "image/png", "image/webp", or NULL (GIF too). Cannot fail. */
const char *image_photo_type_of(const unsigned char *d, size_t n);

#endif
