/*
 * mailer_config.c — the mailer's settings from the environment (see
 * mailer.h). Apart from mailer.c so that a program that only shows them
 * (the console's mail outbox page) does not link libcurl: a console worker
 * then never maps it and the TLS, SSH, RTMP and IDN libraries it brings.
 */
#include "domain/mailer.h"
#include "core/arena.h"

#include <stdlib.h>
#include <string.h>

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

enum cs_result
mailer_config_env(struct mailer_config *cfg, struct arena *a, const char *datadir)
{
	const char *tls = env("CSDESK_SMTP_STARTTLS");

	memset(cfg, 0, sizeof(*cfg));
	cfg->smtp_url = env("CSDESK_SMTP_URL");
	cfg->from = env("CSDESK_MAIL_FROM");
	if (cfg->from == NULL)
		cfg->from = "csdesk@localhost";
	cfg->dir = env("CSDESK_MAIL_DIR");
	if (cfg->dir == NULL && (cfg->dir = arena_printf(a, "%s/var/mail", datadir)) == NULL)
		return CS_FAILED;
	cfg->starttls = tls != NULL && strcmp(tls, "0") != 0;
	return CS_OK;
}
