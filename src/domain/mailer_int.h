/*
 * mailer_int.h — what the mailer's two halves share: the mailer itself,
 * and the way a message leaves (mailer_transport.c: SMTP through libcurl,
 * or an .eml file in a directory) for the delivery loop (mailer.c), which
 * claims, composes and records. Not for use outside the mailer.
 */
#ifndef CSDESK_MAILER_INT_H
#define CSDESK_MAILER_INT_H

#include <curl/curl.h>
#include <stddef.h>

#include "core/result.h"

struct buf;
struct mailer_config;
struct mailer_msg;

struct mailer {
	char *from_name;	/* display name, may be "" */
	char *from_addr;
	const char *domain;	/* in from_addr: the Message-ID's right side */
	char *dir;
	CURL *curl;		/* NULL: write .eml files */
	char *url_user, *url_password;	/* kept only to keep them out of errors */
	char errbuf[CURL_ERROR_SIZE];
};

/* A NUL-terminated heap copy of s[0..n) (mem_free it), or NULL. */
char *mailer_copy(const char *s, size_t n);

/* Opens m's SMTP handle for cfg->smtp_url (credentials kept out of errors). CS_OK or CS_FAILED (logged). */
enum cs_result mailer_smtp_open(struct mailer *m, const struct mailer_config *cfg);

/* A message kind fit for a file name; anything else is "message". */
const char *mailer_file_kind(const char *kind);

/*
 * Writes data to <m->dir>/<id>-<kind>.eml whole or not at all. CS_OK, or
 * CS_FAILED with err filled.
 */
enum cs_result mailer_eml_write(struct mailer *m, const struct mailer_msg *msg,
    const struct buf *data, char *err, size_t errlen);

/*
 * Sends data over SMTP. CS_OK, or CS_FAILED with a short reason in err (no
 * credentials) and *down set when the server itself is the problem.
 */
enum cs_result mailer_smtp_send(struct mailer *m, const struct mailer_msg *msg,
    const struct buf *data, char *err, size_t errlen, int *down);

#endif
