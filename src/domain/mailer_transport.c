/*
 * mailer_transport.c — how a composed message leaves: over SMTP through
 * libcurl (the URL's credentials never reach an error text), or as an
 * .eml file written whole under a directory (development, tests, and
 * sites whose MTA picks files up). See mailer_int.h.
 */
#include "domain/mailer.h"
#include "domain/mailer_int.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"
#include "domain/notify.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *
mailer_copy(const char *s, size_t n)
{
	char *d = mem_malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* Hands the message in data to libcurl as it asks for it. */
struct reader {
	const char *p;
	size_t len, pos;
};

static size_t
read_message(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct reader *r = arg;
	size_t n = size * nmemb;

	if (n > r->len - r->pos)
		n = r->len - r->pos;
	memcpy(dst, r->p + r->pos, n);
	r->pos += n;
	return n;
}

/*
 * Checks url (scheme smtp or smtps, parseable) and keeps its user name and
 * password, which decide on STARTTLS and must never reach an error text.
 */
static enum cs_result
inspect_url(struct mailer *m, const char *url, int *has_user)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *user = NULL, *pass = NULL;
	CURLUcode uc;
	enum cs_result rc = CS_FAILED;

	*has_user = 0;
	if (u == NULL)
		return log_failed("mailer: out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "smtp") != 0 && strcmp(scheme, "smtps") != 0)) {
		log_error("mailer: CSDESK_SMTP_URL must look like smtp://host:port or"
		    " smtps://user:password@host:465");
		goto out;
	}
	uc = curl_url_get(u, CURLUPART_USER, &user, CURLU_URLDECODE);
	if (uc != CURLUE_OK && uc != CURLUE_NO_USER)
		goto bad;
	uc = curl_url_get(u, CURLUPART_PASSWORD, &pass, CURLU_URLDECODE);
	if (uc != CURLUE_OK && uc != CURLUE_NO_PASSWORD)
		goto bad;
	m->url_user = mailer_copy(user ? user : "", user ? strlen(user) : 0);
	m->url_password = mailer_copy(pass ? pass : "", pass ? strlen(pass) : 0);
	if (m->url_user == NULL || m->url_password == NULL)
		goto bad;
	*has_user = user != NULL && *user != '\0';
	rc = CS_OK;
	goto out;
bad:
	log_error("mailer: cannot read the user name of CSDESK_SMTP_URL");
out:
	curl_free(scheme);
	curl_free(user);
	curl_free(pass);
	curl_url_cleanup(u);
	return rc;
}

/* Sets opt on m->curl unless an earlier setting failed. */
#define SETOPT(cc, m, opt, val) do {						\
		if ((cc) == CURLE_OK)						\
			(cc) = curl_easy_setopt((m)->curl, (opt), (val));	\
	} while (0)

enum cs_result
mailer_smtp_open(struct mailer *m, const struct mailer_config *cfg)
{
	char from[NOTIFY_ADDRESS_MAX + 3];
	CURLcode cc;
	int has_user;

	if (inspect_url(m, cfg->smtp_url, &has_user) != CS_OK)
		return CS_FAILED;
	cc = curl_global_init(CURL_GLOBAL_DEFAULT);
	if (cc != CURLE_OK)
		return log_failed("mailer: libcurl: %s", curl_easy_strerror(cc));
	m->curl = curl_easy_init();
	if (m->curl == NULL) {
		curl_global_cleanup();
		return log_failed("mailer: libcurl: cannot make a handle");
	}
	snprintf(from, sizeof(from), "<%s>", m->from_addr);
	SETOPT(cc, m, CURLOPT_URL, cfg->smtp_url);
	SETOPT(cc, m, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	SETOPT(cc, m, CURLOPT_MAIL_FROM, from);
	SETOPT(cc, m, CURLOPT_UPLOAD, 1L);
	SETOPT(cc, m, CURLOPT_READFUNCTION, read_message);
	SETOPT(cc, m, CURLOPT_CONNECTTIMEOUT, (long)MAILER_CONNECT_TIMEOUT);
	SETOPT(cc, m, CURLOPT_TIMEOUT, (long)MAILER_SEND_TIMEOUT);
	SETOPT(cc, m, CURLOPT_NOSIGNAL, 1L);
	SETOPT(cc, m, CURLOPT_ERRORBUFFER, m->errbuf);
	/* Never send a password in the clear. */
	SETOPT(cc, m, CURLOPT_USE_SSL,
	    (long)(has_user || cfg->starttls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
	if (cc != CURLE_OK)
		return log_failed("mailer: libcurl: %s", curl_easy_strerror(cc));
	return CS_OK;
}

/* A kind fit for a file name; anything else is written as "message". */
const char *
mailer_file_kind(const char *kind)
{
	const char *p;

	if (kind[0] == '\0' || strlen(kind) > 64)
		return "message";
	for (p = kind; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return "message";
	return kind;
}

/* mkdir -p with mode 0750 for what it makes. CS_OK or CS_FAILED (errno set). */
static enum cs_result
make_dirs(const char *dir)
{
	char path[4096];
	size_t i, len = strlen(dir);

	if (len == 0 || len >= sizeof(path))
		return CS_FAILED;
	memcpy(path, dir, len + 1);
	for (i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0750) < 0 && errno != EEXIST)
			return CS_FAILED;
		path[i] = dir[i];
	}
	return CS_OK;
}

/*
 * Writes data to <dir>/<id>-<kind>.eml: a temporary file, flushed to disk,
 * then renamed over the name, so a reader never sees half a message and a
 * second run writes the same file again. CS_OK, or CS_FAILED with err filled.
 */
enum cs_result
mailer_eml_write(struct mailer *m, const struct mailer_msg *msg, const struct buf *data, char *err,
    size_t errlen)
{
	char path[4096], tmp[4200];
	const char *what = "mkdir";
	int fd = -1, dfd, n;

	n = snprintf(path, sizeof(path), "%s/%lld-%s.eml", m->dir, msg->id, mailer_file_kind(msg->kind));
	if (n < 0 || (size_t)n >= sizeof(path)) {
		snprintf(err, errlen, "eml: the mail directory's path is too long");
		return CS_FAILED;
	}
	snprintf(tmp, sizeof(tmp), "%s/.%lld.%ld.tmp", m->dir, msg->id, (long)getpid());
	if (make_dirs(m->dir) != CS_OK)
		goto fail;
	what = "create";
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0)
		goto fail;
	/* Whatever the umask says: readable by the group (the mail reader). */
	what = "chmod";
	if (fchmod(fd, 0640) < 0)
		goto fail;
	what = "write";
	if (buf_write_fd(data, fd) < 0)
		goto fail;
	if (fsync(fd) < 0)
		goto fail;
	what = "close";
	n = close(fd);
	fd = -1;
	if (n < 0)
		goto fail;
	what = "rename";
	if (rename(tmp, path) < 0)
		goto fail;
	/* The new name is durable once the directory is. */
	dfd = open(m->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		if (fsync(dfd) < 0) {
			/* The file is there; at worst a power cut sends it again. */
		}
		close(dfd);
	}
	return CS_OK;
fail:
	snprintf(err, errlen, "eml: %s: %s", what, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return CS_FAILED;
}

/*
 * Failures that say the server (or our way to it) is unusable, not this
 * message: the rest of the batch is not tried against it.
 */
static int
server_down(CURLcode cc)
{
	switch (cc) {
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_USE_SSL_FAILED:
	case CURLE_LOGIN_DENIED:
		return 1;
	default:
		return 0;
	}
}

/*
 * Sends data over SMTP. CS_OK, or CS_FAILED with a short reason in err (no
 * credentials) and *down set when the server itself is the problem.
 */
enum cs_result
mailer_smtp_send(struct mailer *m, const struct mailer_msg *msg, const struct buf *data, char *err,
    size_t errlen, int *down)
{
	char rcpt_addr[NOTIFY_ADDRESS_MAX + 3];
	struct reader rd = { data->buf, data->len, 0 };
	struct curl_slist *rcpt;
	const char *why;
	CURLcode cc = CURLE_OK, unset;
	long reply = 0;

	*down = 0;
	snprintf(rcpt_addr, sizeof(rcpt_addr), "<%s>", msg->recipient);
	rcpt = curl_slist_append(NULL, rcpt_addr);
	if (rcpt == NULL) {
		snprintf(err, errlen, "smtp: out of memory");
		return CS_FAILED;
	}
	m->errbuf[0] = '\0';
	SETOPT(cc, m, CURLOPT_MAIL_RCPT, rcpt);
	SETOPT(cc, m, CURLOPT_READDATA, &rd);
	SETOPT(cc, m, CURLOPT_INFILESIZE_LARGE, (curl_off_t)data->len);
	if (cc == CURLE_OK)
		cc = curl_easy_perform(m->curl);
	if (cc != CURLE_OK &&
	    curl_easy_getinfo(m->curl, CURLINFO_RESPONSE_CODE, &reply) != CURLE_OK)
		reply = 0;
	/* The handle must not keep pointers to what goes away here. */
	unset = curl_easy_setopt(m->curl, CURLOPT_MAIL_RCPT, (struct curl_slist *)NULL);
	if (unset == CURLE_OK)
		unset = curl_easy_setopt(m->curl, CURLOPT_READDATA, (void *)NULL);
	curl_slist_free_all(rcpt);
	if (unset != CURLE_OK)
		log_warn("mailer: libcurl: %s", curl_easy_strerror(unset));
	if (cc == CURLE_OK)
		return CS_OK;
	*down = server_down(cc);
	/* curl's own words are the most useful, unless they quote the URL. */
	why = m->errbuf[0] != '\0' ? m->errbuf : curl_easy_strerror(cc);
	if ((m->url_user[0] != '\0' && strstr(why, m->url_user) != NULL) ||
	    (m->url_password[0] != '\0' && strstr(why, m->url_password) != NULL))
		why = curl_easy_strerror(cc);
	if (reply > 0)
		snprintf(err, errlen, "smtp: %.160s (server replied %ld)", why, reply);
	else
		snprintf(err, errlen, "smtp: %.160s", why);
	return CS_FAILED;
}
