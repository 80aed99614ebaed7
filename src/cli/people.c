/*
 * people.c — `csdesk user add` (staff) and `csdesk customer add` (a customer
 * account with one portal login). The password is read from standard
 * input: one line, or typed twice without echo at a terminal.
 */
#include "cli/cli.h"
#include "auth/password.h"
#include "db/db.h"
#include "domain/customers.h"
#include "domain/staff.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Reads one line into buf without its newline. 0 or -1. */
static int
read_line(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO), ok;
	size_t n;

	if (tty) {
		fprintf(stderr, "%s", prompt);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	ok = fgets(buf, (int)size, stdin) != NULL;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	if (!ok)
		return -1;
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (n && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return 0;
}

/* The password from stdin, checked for strength, hashed into hash. */
static int
read_password(const char *email, const char *name, char hash[PASSWORD_HASH_MAX])
{
	char pw[PASSWORD_MAX * 4 + 2], again[sizeof(pw)];
	const char *weak;
	int rc;

	if (read_line("Password: ", pw, sizeof(pw)) < 0) {
		fprintf(stderr, "csdesk: no password on standard input\n");
		return -1;
	}
	if (isatty(STDIN_FILENO) && (read_line("Again: ", again, sizeof(again)) < 0 ||
	    strcmp(pw, again) != 0)) {
		fprintf(stderr, "csdesk: the passwords are not the same\n");
		return -1;
	}
	if ((weak = password_weakness(pw, email, name)) != NULL) {
		fprintf(stderr, "csdesk: %s\n", weak);
		return -1;
	}
	rc = password_hash(pw, hash);
	sodium_memzero(pw, sizeof(pw));
	sodium_memzero(again, sizeof(again));
	return rc;
}

/* Non-zero when tier is one an account may have. */
static int
valid_tier(const char *tier)
{
	const char *const *t;

	for (t = customer_tiers; *t != NULL; t++)
		if (strcmp(*t, tier) == 0)
			return 1;
	return 0;
}

int
cli_user(int argc, char **argv)
{
	static const char *const keys[] = { "--role", "--email", "--name" };
	const char *v[3] = { NULL, NULL, NULL };
	char hash[PASSWORD_HASH_MAX];
	struct staff_new in = { 0 };
	const char *why;
	enum cs_result rc;
	struct db db;
	long long id;

	if (argc < 2 || strcmp(argv[1], "add") != 0 || cli_options(argc, argv, 2, keys, v, 3) < 0 ||
	    !v[0] || !v[1] || !v[2]) {
		fprintf(stderr, "usage: csdesk user add --role admin|supervisor|agent|technician"
		    " --email E --name N  (password on standard input; roles may be"
		    " comma-separated)\n");
		return 2;
	}
	if (!staff_roles_ok(v[0]) || strchr(v[1], '@') == NULL) {
		fprintf(stderr, "csdesk: unknown role or bad e-mail address\n");
		return 2;
	}
	if (sodium_init() < 0 || read_password(v[1], v[2], hash) < 0)
		return 1;
	if (cli_connect(&db) < 0)
		return 1;
	in.email = v[1];
	in.name = v[2];
	in.roles = v[0];
	in.password_hash = hash;
	/* No audit row: the command line makes the first admin, before anyone signs in. */
	rc = staff_create(&db, NULL, &in, &id, &why);
	db_close(&db);
	if (rc == CS_TAKEN) {
		fprintf(stderr, "csdesk: a staff member with that e-mail already exists\n");
		return 1;
	}
	if (rc == CS_REFUSED)
		fprintf(stderr, "csdesk: %s\n", why);
	if (rc != CS_OK)
		return 1;
	printf("staff %lld created: %s <%s>, %s\n", id, v[2], v[1], v[0]);
	return 0;
}

int
cli_customer(int argc, char **argv)
{
	static const char *const keys[] = { "--email", "--name", "--tier", "--company" };
	const char *v[4] = { NULL, NULL, "standard", NULL };
	char hash[PASSWORD_HASH_MAX];
	struct customer_new in = { 0 };
	const char *why;
	enum cs_result rc;
	struct db db;
	long long id, uid;

	if (argc < 2 || strcmp(argv[1], "add") != 0 || cli_options(argc, argv, 2, keys, v, 4) < 0 ||
	    !v[0] || !v[1]) {
		fprintf(stderr, "usage: csdesk customer add --email E --name N"
		    " [--tier standard|premium|vip] [--company NAME]  (password on standard input)\n");
		return 2;
	}
	if (!valid_tier(v[2])) {
		fprintf(stderr, "csdesk: --tier is standard, premium or vip\n");
		return 2;
	}
	if (sodium_init() < 0 || read_password(v[0], v[1], hash) < 0)
		return 1;
	if (cli_connect(&db) < 0)
		return 1;
	/* The login is for the person; the account is the company when given. */
	in.account.name = v[3] ? v[3] : v[1];
	in.account.kind = v[3] ? "company" : "person";
	in.account.tier = v[2];
	in.account.language = "en";
	in.login_email = v[0];
	in.login_name = v[1];
	in.password_hash = hash;
	in.verified = 1;
	rc = customer_create(&db, NULL, &in, &id, &uid, &why);
	db_close(&db);
	if (rc == CS_TAKEN) {
		fprintf(stderr, "csdesk: a portal login with that e-mail already exists\n");
		return 1;
	}
	if (rc == CS_REFUSED)
		fprintf(stderr, "csdesk: %s\n", why);
	if (rc != CS_OK)
		return 1;
	printf("customer %lld created (%s) with portal login %lld <%s>\n", id, v[2], uid, v[0]);
	return 0;
}
