/* fixtures.c — see fixtures.h. */
#include "fixtures.h"
#include "harness.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/tickets.h"

#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* A fresh address: the name's first word, a counter, the process id. */
static void
fresh_email(const char *name, char *out, size_t size)
{
	static unsigned serial;
	char word[24];
	size_t k = 0;

	for (; *name != '\0' && k + 1 < sizeof(word); name++) {
		if (isalnum((unsigned char)*name))
			word[k++] = (char)tolower((unsigned char)*name);
		else if (k > 0)
			break;
	}
	word[k] = '\0';
	snprintf(out, size, "%s.%u.%d@fixture.test", k ? word : "fx", ++serial, (int)getpid());
}

/* s in single quotes for sh, into out. */
static void
sh_quote(const char *s, char *out, size_t size)
{
	size_t k = 0;

	ck_assert_uint_gt(size, 2);
	out[k++] = '\'';
	for (; *s != '\0'; s++) {
		ck_assert_uint_lt(k + 6, size);
		if (*s == '\'') {
			memcpy(out + k, "'\\''", 4);
			k += 4;
		} else {
			out[k++] = *s;
		}
	}
	out[k++] = '\'';
	out[k] = '\0';
}

/*
 * Runs `csdesk ARGS` on conninfo with the fixture password on standard
 * input; its first line of output into line. Fails the test unless it
 * exits with 0.
 */
static void
csdesk(const char *conninfo, const char *args, char *line, size_t size)
{
	char cmd[2048], db[1024];
	FILE *f;
	int st;

	sh_quote(conninfo, db, sizeof(db));
	snprintf(cmd, sizeof(cmd), "echo '" FX_PASSWORD "' | CSDESK_DB=%s '%s/csdesk' %s",
	    db, th_build_dir(), args);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	line[0] = '\0';
	if (fgets(line, (int)size, f) == NULL)
		line[0] = '\0';
	while (fgetc(f) != EOF)
		;
	st = pclose(f);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "csdesk %s: %s", args, line);
}

void
fx_staff(const char *conninfo, const char *name, const char *roles, struct fx_person *out)
{
	char args[512], qname[256], line[512];

	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", name);
	fresh_email(name, out->email, sizeof(out->email));
	sh_quote(name, qname, sizeof(qname));
	snprintf(args, sizeof(args), "user add --role %s --email %s --name %s", roles, out->email,
	    qname);
	csdesk(conninfo, args, line, sizeof(line));
	ck_assert_msg(sscanf(line, "staff %lld created", &out->id) == 1, "user add: %s", line);
}

void
fx_customer(const char *conninfo, const char *name, const char *company, const char *tier,
    struct fx_person *out)
{
	char args[768], qname[256], qcompany[256], line[512], tier_seen[16];

	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", name);
	fresh_email(name, out->email, sizeof(out->email));
	sh_quote(name, qname, sizeof(qname));
	sh_quote(company ? company : "", qcompany, sizeof(qcompany));
	snprintf(args, sizeof(args), "customer add --email %s --name %s --tier %s%s%s",
	    out->email, qname, tier, company ? " --company " : "", company ? qcompany : "");
	csdesk(conninfo, args, line, sizeof(line));
	ck_assert_msg(sscanf(line, "customer %lld created (%15[a-z]) with portal login %lld",
	    &out->customer_id, tier_seen, &out->id) == 3, "customer add: %s", line);
}

void
fx_ticket(const char *conninfo, const struct fx_person *customer, const char *subject,
    struct fx_ticket *out)
{
	struct ticket_actor_ref by = { TA_CUSTOMER, customer->id, customer->customer_id, 1, 0 };
	struct ticket_new t = { 0 };
	struct arena *a = arena_new(4096);
	struct ticket_opened op;
	const char *why = NULL;
	struct db d;

	memset(out, 0, sizeof(*out));
	ck_assert_ptr_nonnull(a);
	ck_assert_int_gt(customer->customer_id, 0);
	ck_assert_int_eq(db_open(&d, conninfo, "test-fixture"), 0);
	t.customer_id = customer->customer_id;
	t.requester_id = customer->id;
	t.channel = "portal";
	t.subject = subject;
	t.description = "Details of the problem.";
	ck_assert_msg(ticket_open(&d, a, &by, &t, &op, &why) == CS_OK, "ticket: %s",
	    why ? why : "error");
	out->id = op.id;
	snprintf(out->number, sizeof(out->number), "%s", op.number);
	db_close(&d);
	arena_free(a);
}

long long
fx_phone_ticket(struct db *db, struct arena *a, const char *customer, const char *priority)
{
	static struct db_stmt st = DB_STMT("fx_customer_by_name",
	    "SELECT id FROM customers WHERE name = $1", 1);
	struct ticket_actor_ref by = { TA_SYSTEM, 0, 0, 0, 0 };
	struct ticket_new t = { 0 };
	struct ticket_opened op;
	const char *why = NULL, *p[] = { customer };
	PGresult *r = db_exec(db, &st, p);
	int rc;

	ck_assert_msg(r != NULL && PQntuples(r) == 1, "no customer named %s", customer);
	t.customer_id = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	t.channel = "phone";
	t.subject = "Line is down";
	t.description = "Nothing works since this morning.";
	t.priority = priority;
	rc = ticket_open(db, a, &by, &t, &op, &why);
	ck_assert_msg(rc == CS_OK, "create: %d %s", rc, why != NULL ? why : "");
	return op.id;
}
