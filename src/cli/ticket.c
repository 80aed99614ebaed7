/*
 * ticket.c — `csdesk ticket open --email E --subject S [--channel C]
 * [--priority P]`: opens a ticket for the customer whose portal login is
 * E, with the description read from standard input — for scripts and
 * integrations on the server (a phone system, a monitoring alert).
 *
 * It goes through ticket_open(), the use case every channel uses, as the
 * system: routing, assignment, the SLA clock, the history and the
 * ticket.created event happen exactly as for the portal, the console and
 * the API, and the confirmation mail follows from the event when the
 * batch's dispatcher runs. Prints the new ticket's number.
 */
#include "cli/cli.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/intake.h"
#include "domain/ticket_rules.h"
#include "domain/tickets.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The most standard input read: the longest description in UTF-8, and one byte to tell. */
#define DESCRIPTION_BYTES_MAX (TICKET_DESCRIPTION_MAX * 4 + 1)

static int
usage(void)
{
	fprintf(stderr, "usage: csdesk ticket open --email E --subject S [--channel C]"
	    " [--priority P]  (the description on standard input)\n");
	return 2;
}

/* All of standard input into the arena, NUL-terminated; NULL when too long or no memory. */
static char *
read_all(struct arena *a, size_t *len)
{
	char *buf = arena_alloc(a, DESCRIPTION_BYTES_MAX + 1);

	if (buf == NULL)
		return NULL;
	*len = fread(buf, 1, DESCRIPTION_BYTES_MAX, stdin);
	if (*len == DESCRIPTION_BYTES_MAX)
		return NULL;
	buf[*len] = '\0';
	return buf;
}

/* The requester: the active portal login with that exact address. */
static enum cs_result
requester(struct db *db, struct arena *a, const char *email, struct intake_match *out)
{
	struct intake_match *m;
	size_t n, i;
	enum cs_result rc = intake_find(db, a, email, &m, &n);

	if (rc != CS_OK)
		return rc;
	for (i = 0; i < n; i++) {
		if (m[i].user_id > 0 && strcasecmp(m[i].email, email) == 0) {
			*out = m[i];
			return CS_OK;
		}
	}
	return CS_NOT_FOUND;
}

static int
open_ticket(const char *email, const char *subject, const char *channel, const char *priority)
{
	struct ticket_actor_ref system = { .kind = TA_SYSTEM };
	struct ticket_new t = { 0 };
	struct ticket_opened out;
	struct intake_match who;
	struct arena *a = arena_new(1 << 16);
	const char *why = NULL;
	enum cs_result rc;
	struct db db;
	size_t len;
	int status = 1;

	if (a == NULL)
		return 1;
	if ((t.description = read_all(a, &len)) == NULL) {
		fprintf(stderr, "csdesk: the description on standard input is too long\n");
		goto out;
	}
	if (cli_connect(&db) < 0)
		goto out;
	rc = requester(&db, a, email, &who);
	if (rc == CS_NOT_FOUND) {
		fprintf(stderr, "csdesk: no customer has an active portal login with that e-mail\n");
		goto close;
	}
	if (rc != CS_OK)
		goto failed;
	t.customer_id = who.customer_id;
	t.requester_id = who.user_id;
	t.channel = channel;
	t.priority = priority;
	t.subject = subject;
	rc = ticket_open(&db, a, &system, &t, &out, &why);
	if (rc == CS_REFUSED) {
		fprintf(stderr, "csdesk: %s\n", why);
		goto close;
	}
	if (rc != CS_OK)
		goto failed;
	printf("%s\n", out.number);
	status = 0;
	goto close;
failed:
	fprintf(stderr, "csdesk: opening the ticket failed: %s (see above)\n", cs_result_str(rc));
close:
	db_close(&db);
out:
	arena_free(a);
	return status;
}

int
cli_ticket(int argc, char **argv)
{
	static const char *const keys[] = { "--email", "--subject", "--channel", "--priority" };
	const char *v[4] = { NULL, NULL, "phone", NULL };

	if (argc < 2 || strcmp(argv[1], "open") != 0 || cli_options(argc, argv, 2, keys, v, 4) < 0 ||
	    v[0] == NULL || v[1] == NULL)
		return usage();
	return open_ticket(v[0], v[1], v[2], v[3]);
}
