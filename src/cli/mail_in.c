/*
 * mail_in.c — `csdesk mail-in [--recipient ADDR]`: one message on standard
 * input, as an MTA pipe delivers it (a Postfix transport or an aliases
 * entry: docs/operations.md), stored and filed through mail_intake.h.
 * `csdesk mail-in --reprocess ID` files a stored message again.
 * `csdesk mail-in --dir DIR` takes every file in DIR (a spool or a
 * Maildir's new/ that the MTA delivers to), in name order, on one
 * process and one database connection: what a message costs is then the
 * message's own work, not a process, a connection and statements prepared
 * for each. A file is removed once its message is stored; a database that
 * goes away stops the run (exit 75) and leaves the rest for the next one.
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

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EX_USAGE 64
#define EX_DATAERR 65
#define EX_TEMPFAIL 75

static int
usage(void)
{
	fprintf(stderr, "usage: csdesk mail-in [--recipient ADDR]  (one message on standard input)\n"
	    "       csdesk mail-in --dir DIR [--recipient ADDR]  (every file in DIR)\n"
	    "       csdesk mail-in --reprocess ID\n");
	return EX_USAGE;
}

/* All of in, at most MAIL_MESSAGE_MAX bytes; NULL when larger or out of memory. */
static unsigned char *
read_message(FILE *in, size_t *len, int *too_big)
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
		got = fread(buf + n, 1, cap - n, in);
		n += got;
		if (got == 0) {
			if (ferror(in))
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

/*
 * Stores and files every file in dir on db (recipient for all, may be
 * NULL), removing each once stored. The exit status: 0 all taken, 75 the
 * database went away or a message failed (the rest stay for the next
 * run), 65 a file too large was left.
 */
static int
mail_in_dir(struct db *db, struct arena *a, const char *dir, const char *recipient)
{
	struct dirent **names = NULL;
	int i, n, status = 0, stored = 0;

	if ((n = scandir(dir, &names, NULL, alphasort)) < 0) {
		perror(dir);
		return EX_TEMPFAIL;
	}
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char *path = name[0] != '.' ? arena_printf(a, "%s/%s", dir, name) : NULL;
		unsigned char *raw = NULL;
		struct mail_outcome out;
		size_t len = 0;
		int too_big = 0;
		FILE *f;
		enum cs_result rc;

		if (path == NULL || (f = fopen(path, "rb")) == NULL)
			goto next;
		raw = read_message(f, &len, &too_big);
		fclose(f);
		if (raw == NULL) {
			fprintf(stderr, "csdesk: mail-in: %s: %s\n", path, too_big ?
			    "the message is larger than csdesk takes; left there" : "cannot read it");
			status = status ? status : too_big ? EX_DATAERR : EX_TEMPFAIL;
			goto next;
		}
		rc = mail_intake(db, a, raw, len, recipient, &out);
		free(raw);
		if (rc == CS_DB_LOST) {
			status = status_of(rc);
			break;
		}
		if (rc != CS_OK) {
			fprintf(stderr, "csdesk: mail-in: %s: %s; left there\n", path, cs_result_str(rc));
			status = EX_TEMPFAIL;
			goto next;
		}
		say(&out);
		stored++;
		if (unlink(path) < 0)
			perror(path);
next:
		arena_reset(a);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	fprintf(stderr, "csdesk: mail-in: %d message(s) taken from %s\n", stored, dir);
	return status;
}

int
cli_mail_in(int argc, char **argv)
{
	static const char *const keys[] = { "--recipient", "--reprocess", "--dir" };
	const char *v[3] = { NULL, NULL, NULL };
	struct mail_outcome out;
	struct arena *a;
	unsigned char *raw = NULL;
	long long id = 0;
	size_t len = 0;
	int status, too_big;
	struct db db;
	enum cs_result rc;

	if (cli_options(argc, argv, 1, keys, v, 3) < 0 || (v[1] != NULL && v[2] != NULL))
		return usage();
	if (v[1] != NULL && config_parse_long(v[1], 1, 1LL << 62, &id) < 0)
		return usage();
	if (id == 0 && v[2] == NULL && (raw = read_message(stdin, &len, &too_big)) == NULL) {
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
	if (v[2] != NULL) {
		status = mail_in_dir(&db, a, v[2], v[0]);
		db_close(&db);
		arena_free(a);
		return status;
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
