/* config.c — see config.h. */
#include "core/config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
config_parse_long(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

long long
config_parse_id(const char *s)
{
	long long id;

	if (s == NULL || *s < '0' || *s > '9' || config_parse_long(s, 1, 1LL << 62, &id) < 0)
		return 0;
	return id;
}

const char *
config_conninfo_refused(const char *s)
{
	if (strncmp(s, "postgresql://", 13) == 0 || strncmp(s, "postgres://", 11) == 0 ||
	    strchr(s, '=') != NULL)
		return NULL;
	return "CSDESK_DB must be a libpq connection string: key=value pairs such as"
	    " \"host=/run/postgresql dbname=csdesk user=csdesk\" (a database name alone is"
	    " \"dbname=NAME\"), or a postgresql:// URI";
}

static const char *
env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : fallback;
}

/* A timeout from the environment, when set: 0, or -1 when out of range. */
static int
env_ms(const char *name, int *out)
{
	const char *v = getenv(name);
	long long n;

	if (v == NULL || *v == '\0')
		return 0;
	if (config_parse_long(v, 100, 25000, &n) < 0)
		return -1;
	*out = (int)n;
	return 0;
}

static int
usage(const char *program, const char *why)
{
	fprintf(stderr, "%s.fcgi: %s\n"
	    "usage: %s.fcgi [--listen PATH|HOST:PORT] [--workers N] [--socket-mode OCTAL]\n"
	    "(the database comes from CSDESK_DB; without --listen, fd 0 is the socket)\n",
	    program, why, program);
	return -1;
}

int
config_load(struct config *cfg, const char *program, int argc, char **argv)
{
	const char *why;
	long long n;
	int i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->program = program;
	cfg->workers = 4;
	cfg->socket_mode = 0660;
	cfg->limits = form_default_limits;
	for (i = 1; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0)
			return usage(program, "help");
		if (val == NULL)
			return usage(program, "missing value after an option");
		if (strcmp(opt, "--listen") == 0) {
			cfg->listen = val;
		} else if (strcmp(opt, "--workers") == 0) {
			if (config_parse_long(val, 1, 256, &n) < 0)
				return usage(program, "--workers takes a number from 1 to 256");
			cfg->workers = (int)n;
		} else if (strcmp(opt, "--socket-mode") == 0) {
			char *end;
			unsigned long m;

			errno = 0;
			m = strtoul(val, &end, 8);
			if (errno || *end != '\0' || m > 0777)
				return usage(program, "--socket-mode takes an octal mode such as 0660");
			cfg->socket_mode = (unsigned)m;
		} else {
			return usage(program, "unknown option");
		}
		i++;
	}
	cfg->db = getenv("CSDESK_DB");
	if (cfg->db == NULL || *cfg->db == '\0')
		return usage(program, "CSDESK_DB is not set (a libpq connection string)");
	if ((why = config_conninfo_refused(cfg->db)) != NULL)
		return usage(program, why);
	cfg->datadir = env_or("CSDESK_DATADIR", CSDESK_DATADIR);
	cfg->site_name = env_or("CSDESK_SITE_NAME", "csdesk");
	cfg->support_email = env_or("CSDESK_SUPPORT_EMAIL", "");
	cfg->support_phone = env_or("CSDESK_SUPPORT_PHONE", "");
	cfg->support_hours = env_or("CSDESK_SUPPORT_HOURS", "");
	cfg->base_url = env_or("CSDESK_BASE_URL", "http://127.0.0.1:8080");
	if (strncmp(cfg->base_url, "http://", 7) != 0 && strncmp(cfg->base_url, "https://", 8) != 0)
		return usage(program, "CSDESK_BASE_URL must start with http:// or https://");
	if (cfg->base_url[strlen(cfg->base_url) - 1] == '/')
		return usage(program, "CSDESK_BASE_URL must not end with a slash");
	cfg->max_body = 25u << 20;
	if (getenv("CSDESK_MAX_BODY") != NULL) {
		if (config_parse_long(getenv("CSDESK_MAX_BODY"), 1024, 1LL << 31, &n) < 0)
			return usage(program, "CSDESK_MAX_BODY takes a byte count from 1024 to 2 GiB");
		cfg->max_body = (size_t)n;
	}
	cfg->read_timeout_ms = strcmp(program, "console") == 0 ? 15000 : 5000;
	cfg->write_timeout_ms = 10000;
	cfg->lock_timeout_ms = 3000;
	if (env_ms("CSDESK_READ_TIMEOUT_MS", &cfg->read_timeout_ms) < 0 ||
	    env_ms("CSDESK_WRITE_TIMEOUT_MS", &cfg->write_timeout_ms) < 0 ||
	    env_ms("CSDESK_LOCK_TIMEOUT_MS", &cfg->lock_timeout_ms) < 0)
		return usage(program, "the CSDESK_*_TIMEOUT_MS settings take 100 to 25000 ms");
	return 0;
}
