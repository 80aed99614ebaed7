/*
 * mail_in.c — `csdesk mail-in [--recipient ADDR]`: one message on standard
 * input, as an MTA pipe delivers it (a Postfix transport or an aliases
 * entry: docs/operations.md), stored and filed through mail_intake.h.
 * `csdesk mail-in --reprocess ID` files a stored message again.
 *
 * Exit status, as sendmail's sysexits the MTA understands:
 *   0   stored (and filed, or stored before: a retry is never stored twice)
 *   75  EX_TEMPFAIL: the database cannot be reached, or the sender is over
 *       its rate; the MTA keeps the message and delivers it again later
 *   65  EX_DATAERR: larger than MAIL_MESSAGE_MAX; the MTA bounces it
 *   64  EX_USAGE
 * The outcome is printed on one line (the mail log shows it too).
 */
#include "cli/cli.h"
#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"
#include "domain/mail_intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EX_USAGE 64
#define EX_DATAERR 65
#define EX_TEMPFAIL 75

static int
usage(void)
{
	fprintf(stderr, "usage: csdesk mail-in [--recipient ADDR]  (one message on standard input)\n"
	    "       csdesk mail-in --reprocess ID\n");
	return EX_USAGE;
}

/* Standard input, at most MAIL_MESSAGE_MAX bytes; NULL when larger or out of memory. */
static unsigned char *
read_message(size_t *len, int *too_big)
{
	size_t cap = 1 << 16, n = 0;
	unsigned char *buf = malloc(cap), *grown;

	*too_big = 0;
	while (buf != NULL) {
		size_t got;

		if (n == cap) {
			if (cap > MAIL_MESSAGE_MAX) {
				*too_big = 1;
				break;
			}
			cap *= 2;
			if ((grown = realloc(buf, cap)) == NULL)
				break;
			buf = grown;
		}
		got = fread(buf + n, 1, cap - n, stdin);
		n += got;
		if (got == 0) {
			if (ferror(stdin))
				break;
			if (n > MAIL_MESSAGE_MAX) {
				*too_big = 1;
				break;
			}
			*len = n;
			return buf;
		}
	}
	free(buf);
	return NULL;
}

/* What a result means to the MTA. */
static int
status_of(enum cs_result rc)
{
	if (rc == CS_OK)
		return 0;
	fprintf(stderr, "csdesk: mail-in: %s; the MTA should try again later\n", cs_result_str(rc));
	return EX_TEMPFAIL;
}

static void
say(const struct mail_outcome *o)
{
	if (o->duplicate)
		printf("message %lld: stored before; nothing done\n", o->id);
	else
		printf("message %lld: %s%s%s: %s\n", o->id, o->status, o->ticket[0] ? " " : "",
		    o->ticket, o->why);
}

int
cli_mail_in(int argc, char **argv)
{
	static const char *const keys[] = { "--recipient", "--reprocess" };
	const char *v[2] = { NULL, NULL };
	struct mail_outcome out;
	struct arena *a;
	unsigned char *raw = NULL;
	long long id = 0;
	size_t len = 0;
	int status, too_big;
	struct db db;
	enum cs_result rc;

	if (cli_options(argc, argv, 1, keys, v, 2) < 0)
		return usage();
	if (v[1] != NULL && config_parse_long(v[1], 1, 1LL << 62, &id) < 0)
		return usage();
	if (id == 0 && (raw = read_message(&len, &too_big)) == NULL) {
		fprintf(stderr, "csdesk: mail-in: %s\n", too_big ?
		    "the message is larger than csdesk takes" : "cannot read standard input");
		return too_big ? EX_DATAERR : EX_TEMPFAIL;
	}
	if ((a = arena_new(1 << 20)) == NULL) {
		free(raw);
		return EX_TEMPFAIL;
	}
	if (cli_connect(&db) < 0) {
		/* Not reachable now: the MTA keeps the message and tries again. */
		free(raw);
		arena_free(a);
		return EX_TEMPFAIL;
	}
	rc = id > 0 ? mail_reprocess(&db, a, id, &out) :
	    mail_intake(&db, a, raw, len, v[0], &out);
	if (rc == CS_NOT_FOUND) {
		fprintf(stderr, "csdesk: mail-in: no stored message %lld\n", id);
		status = 1;
	} else if ((status = status_of(rc)) == 0) {
		say(&out);
	}
	db_close(&db);
	arena_free(a);
	free(raw);
	return status;
}
