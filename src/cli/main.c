/*
 * csdesk — the administration command. It reads the database from
 * CSDESK_DB (a libpq connection string) and the SQL files from
 * CSDESK_DATADIR (default: where it was built from).
 *
 *   csdesk migrate     apply new sql/migrations/NNN_*.sql, then every
 *                      sql/functions/NNN_*.sql, then sql/roles.sql
 *   csdesk demo        load the demo data in sql/demo/ (safe to repeat)
 *   csdesk user add    a staff member (password on standard input)
 *   csdesk customer add  a customer account with one portal login
 *   csdesk ticket open a ticket for a customer (description on standard input)
 *   csdesk mail-in     one received message on standard input (mail_intake.h)
 *   csdesk lmtp        the same over LMTP (--listen, or a systemd socket)
 *   csdesk gen         bulk data for benchmarks (--tickets N)
 *
 * Each subcommand lives in its own file in src/cli/; this file only finds
 * the one asked for.
 */
#include "cli/cli.h"
#include "core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "migrate", cli_migrate, "apply new migrations and the role grants" },
	{ "demo", cli_demo, "load the demo data (safe to repeat)" },
	{ "batch", cli_batch, "deliver mail, tidy up (every minute; --loop SECONDS; --events; --dispatch)" },
	{ "audit", cli_audit, "audit verify: check the audit log's hash chain" },
	{ "user", cli_user, "user add --role R --email E --name N: a staff member" },
	{ "customer", cli_customer, "customer add --email E --name N [--tier T]: a customer" },
	{ "ticket", cli_ticket, "ticket open --email E --subject S: a ticket (description on stdin)" },
	{ "mail-in", cli_mail_in, "one message on stdin (an MTA pipe); exit 75: try again" },
	{ "lmtp", cli_lmtp, "lmtp --listen HOST:PORT|PATH: mail-in over LMTP" },
	{ "gen", cli_gen, "gen --tickets N [--customers M] [--comments C]: benchmark data" },
};

static int
usage(FILE *to)
{
	size_t i;

	fprintf(to, "usage: csdesk <command> [options]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(to, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(to, "\nThe database comes from CSDESK_DB (a libpq connection string).\n");
	return to == stderr ? 2 : 0;
}

int
main(int argc, char **argv)
{
	size_t i;

	log_init("csdesk");
	if (argc < 2)
		return usage(stderr);
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0)
		return usage(stdout);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "csdesk: unknown command '%s'\n", argv[1]);
	return usage(stderr);
}
