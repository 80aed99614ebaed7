/*
 * config.h — run-time settings of the FastCGI programs, from the command
 * line and the environment, read once before the workers fork.
 *
 *   --listen ADDR     unix socket path, or host:port; without it, fd 0 is
 *                     the listening socket (systemd socket activation,
 *                     spawn-fcgi)
 *   --workers N       worker processes (default 4)
 *   --socket-mode M   octal mode of a unix socket (default 0660)
 *
 *   CSDESK_DB             libpq connection string (required)
 *   CSDESK_DATADIR        where templates/ and static/ live
 *   CSDESK_SITE_NAME      product name shown in pages (default "csdesk")
 *   CSDESK_SUPPORT_EMAIL, CSDESK_SUPPORT_PHONE, CSDESK_SUPPORT_HOURS
 *                         contact details shown on the portal home
 *   CSDESK_MAX_BODY       largest request body accepted, bytes (default 25 MiB)
 *   CSDESK_BASE_URL       the site's address for links in e-mail
 *                         (default http://127.0.0.1:8080)
 *   CSDESK_READ_TIMEOUT_MS   longest statement of a GET page, ms (portal 5000,
 *                            console 15000: its reports read more)
 *   CSDESK_WRITE_TIMEOUT_MS  longest statement of a POST, ms (default 10000)
 *   CSDESK_LOCK_TIMEOUT_MS   longest wait for a row or table lock, ms
 *                            (default 3000)
 * The timeouts range from 100 to 25000 ms: a request must end well within
 * the 30 s a stopping worker is given and nginx's 60 s.
 */
#ifndef CSDESK_CONFIG_H
#define CSDESK_CONFIG_H

#include <stddef.h>

#include "core/form.h"

struct config {
	const char *program;	/* "portal" or "console" */
	const char *listen;	/* NULL: inherit fd 0 */
	int workers;
	unsigned socket_mode;
	const char *db;
	const char *datadir;
	const char *site_name;
	const char *support_email;
	const char *support_phone;
	const char *support_hours;
	const char *base_url;		/* no trailing slash */
	size_t max_body;
	int read_timeout_ms, write_timeout_ms, lock_timeout_ms;
	struct form_limits limits;
};

/*
 * Fills cfg from argv and the environment. Returns 0, or -1 after printing
 * what is wrong (unknown option, bad number, missing CSDESK_DB) to stderr.
 * Strings point into argv / the environment.
 */
int config_load(struct config *cfg, const char *program, int argc, char **argv);

/*
 * Parses a decimal integer in [min, max] from the whole of s. Returns 0 and
 * sets *out, or -1 (empty, junk, out of range). Never atoi.
 */
int config_parse_long(const char *s, long long min, long long max, long long *out);

/*
 * A positive id written as digits only ("12"; not "+12", " 12" or "-1"),
 * at most 2^62. The id, or 0 when s is not one (NULL too). Cannot fail.
 */
long long config_parse_id(const char *s);

/*
 * NULL when s has the shape of a libpq connection string (key=value pairs
 * or a postgresql:// URI), else a sentence saying what was expected. libpq
 * takes a bare word such as "csdesk" for a database name and then fails
 * with a message about that database, which misleads. Cannot fail.
 */
const char *config_conninfo_refused(const char *s);

#endif
