/*
 * mail_parse.h — one received message (RFC 5322 bytes, as an MTA hands
 * it over) read with GMime 3 into what intake needs: who wrote it and to
 * whom, the Message-IDs it answers, its subject and text in UTF-8, its
 * attachments within the limits, and what marks it as written by a
 * machine (RFC 3834 Auto-Submitted, a mailing list, a bounce).
 *
 * Pure: no database, no files, so the fuzz target runs exactly this. Any
 * bytes at all give a result — a message GMime cannot make sense of is a
 * message with no headers and its bytes as text — so a mail is never lost
 * to the parser; only running out of memory fails.
 */
#ifndef CSDESK_MAIL_PARSE_H
#define CSDESK_MAIL_PARSE_H

#include <stddef.h>

#include "core/result.h"

struct arena;

/* Most Message-IDs of In-Reply-To and References kept (the newest). */
#define MAIL_REFS_MAX 20
/* Most recipients kept (To, Cc, Delivered-To). */
#define MAIL_RCPTS_MAX 50
/* Most attachments kept; more are left out with a note. */
#define MAIL_FILES_MAX 10
/* Bytes of text kept from the message's text part. */
#define MAIL_TEXT_BYTES_MAX (512u << 10)

/* What the attachments may be: from the mail settings. */
struct mail_limits {
	size_t file_max;		/* bytes per attachment */
	const char *types;		/* "image/png, application/pdf, …"; a trailing star: a prefix */
};

struct mail_file {
	const char *filename;
	const char *content_type;	/* "type/subtype", lower case */
	const unsigned char *data;
	size_t len;
};

struct mail_parsed {
	const char *message_id;		/* without <>; "" when none */
	const char **refs;		/* In-Reply-To first, then References newest first */
	size_t nrefs;
	const char *from_addr;		/* lower case; "" when none usable */
	const char *from_name;		/* display name, may be "" */
	const char **rcpts;		/* To, Cc, Delivered-To addresses, lower case */
	size_t nrcpts;
	const char *subject;		/* decoded, one line; "" when none */
	const char *text;		/* text/plain (else HTML made text), cleaned UTF-8 */
	struct mail_file *files;
	size_t nfiles;
	const char *left_out;		/* one line per part left out, "" when none */
	int automatic;			/* Auto-Submitted other than "no", Precedence bulk/junk/list,
					 * X-Autoreply, an empty Return-Path */
	int list;			/* List-Id or List-Unsubscribe */
	int bounce;			/* a delivery status notification */
	const char *bounce_message_id;	/* the bounced message's Message-ID, "" */
	const char *bounce_recipient;	/* its Final-Recipient, "" */
	const char *bounce_status;	/* "5.1.1 …" (Status and Diagnostic-Code), "" */
};

/*
 * Parses raw[0..len) into *out (everything in a) under lim. CS_OK, or
 * CS_FAILED when memory ran out. Call mail_parse_init() once first.
 */
enum cs_result mail_parse(struct arena *a, const unsigned char *raw, size_t len,
    const struct mail_limits *lim, struct mail_parsed *out);

/* Starts GMime, once per process (safe to call again). */
void mail_parse_init(void);

/* Whether content type (lower case) is one of types (struct mail_limits). */
int mail_type_allowed(const char *types, const char *type);

#endif
