/*
 * cli.h — the csdesk subcommands. Each takes its own argv (argv[0] is the
 * subcommand's name) and returns the process exit status: 0 success,
 * 1 failure, 2 bad usage.
 */
#ifndef CSDESK_CLI_H
#define CSDESK_CLI_H

struct db;

int cli_migrate(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_batch(int argc, char **argv);
int cli_audit(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_customer(int argc, char **argv);
int cli_gen(int argc, char **argv);
int cli_ticket(int argc, char **argv);
int cli_mail_in(int argc, char **argv);
int cli_lmtp(int argc, char **argv);

/* Connects to CSDESK_DB. Returns 0, or -1 after saying why on stderr. */
int cli_connect(struct db *db);

/*
 * Reads "--key value" pairs from argv[first..argc) into vals[k] for the
 * n keys. Returns 0, or -1 on an unknown key or a key without a value.
 */
int cli_options(int argc, char **argv, int first, const char *const *keys, const char **vals,
    int n);

/* CSDESK_DATADIR, or the directory the program was built from. */
const char *cli_datadir(void);

#endif
