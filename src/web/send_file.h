/*
 * send_file.h — answering a request with stored bytes (a ticket's file, a
 * job photo, a product picture): one place that sets the type, the
 * Content-Disposition with a name a header can carry, nosniff and the
 * caching, so every download says the same and escapes its name alike.
 */
#ifndef CSDESK_WEB_SEND_FILE_H
#define CSDESK_WEB_SEND_FILE_H

#include <stddef.h>

struct arena;
struct req;
struct resp;

struct web_file {
	const char *type;		/* Content-Type; NULL or "": application/octet-stream */
	const void *data;
	size_t len;
	const char *disposition;	/* "attachment", "inline", or NULL: no header */
	const char *filename;		/* as stored; NULL or "": "attachment" */
	const char *cache;		/* Cache-Control, or NULL: none */
};

/*
 * Puts f in w with status 200: 0, or 500 when out of memory. The name goes
 * in `filename="…"` as printable ASCII (a quote, backslash, semicolon,
 * slash or any other byte becomes "_"); when that changed it, the whole
 * name follows as `filename*=UTF-8''…` (RFC 6266) so a browser keeps it.
 */
int web_send_file(struct req *r, struct resp *w, const struct web_file *f);

/* The header-safe ASCII form of name (as web_send_file writes it). */
const char *web_header_filename(struct arena *a, const char *name);

#endif
