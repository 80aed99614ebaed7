/* identity.c — see identity.h. */
#include "identity.h"
#include "../lib/dispatch.h"
#include "domain/customers.h"
#include "domain/staff.h"

#include <check.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *
sql_owner(const char *conninfo, const char *sql, const char *param)
{
	PGconn *c = PQconnectdb(conninfo);
	const char *p[] = { param };
	PGresult *r;
	char *v;

	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
	r = PQexecParams(c, sql, param ? 1 : 0, NULL, param ? p : NULL, NULL, NULL, 0);
	ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK,
	    "%s: %s", sql, PQerrorMessage(c));
	v = strdup(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 ?
	    PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	PQfinish(c);
	return v;
}

long long
sql_owner_ll(const char *conninfo, const char *sql, const char *param)
{
	char *v = sql_owner(conninfo, sql, param);
	long long n = strtoll(v, NULL, 10);

	free(v);
	return n;
}

void
sql_owner_is(const char *conninfo, const char *sql, const char *param, const char *want)
{
	char *v = sql_owner(conninfo, sql, param);

	ck_assert_msg(strcmp(v, want) == 0, "%s: got \"%s\", want \"%s\"", sql, v, want);
	free(v);
}

char *
mail_text(const char *conninfo, const char *recipient, const char *kind)
{
	const char *p[] = { recipient, kind };
	PGresult *r;
	PGconn *c;
	char *v = NULL;

	/* The mail that follows from events is made by the batch's dispatcher. */
	th_dispatch(conninfo);
	c = PQconnectdb(conninfo);
	r = PQexecParams(c, "SELECT body_text FROM notifications WHERE recipient = $1 AND kind = $2"
	    " ORDER BY id DESC LIMIT 1", 2, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		v = strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	PQfinish(c);
	return v;
}

char *
link_path(const char *text, const char *marker)
{
	const char *p = text ? strstr(text, marker) : NULL;
	size_t n;

	if (p == NULL)
		return NULL;
	n = strcspn(p, " \r\n\t<>\"");
	return strndup(p, n);
}

long long
staff_fixture(struct db *d, const char *email, const char *name, const char *hash,
    const char *roles)
{
	struct staff_new in = { .name = name, .email = email, .roles = roles,
		.password_hash = hash };
	const char *why;
	long long id;

	ck_assert_str_eq(cs_result_str(staff_create(d, NULL, &in, &id, &why)), "ok");
	return id;
}

long long
customer_fixture(struct db *d, const char *name, const char *kind, const char *tier,
    const char *language, const char *email, const char *user_name, const char *hash,
    int verified, long long *user_id)
{
	struct customer_new in = { .account = { .name = name, .kind = kind, .tier = tier,
		.language = language }, .login_email = email, .login_name = user_name,
		.password_hash = hash, .verified = verified };
	const char *why;
	long long id;

	ck_assert_str_eq(cs_result_str(customer_create(d, NULL, &in, &id, user_id, &why)), "ok");
	return id;
}
