/*
 * lmtp.c — `csdesk lmtp --listen ADDR`: an LMTP server (RFC 2033) for
 * sites whose MTA delivers over LMTP, with mail-in's guarantees: each
 * message is stored once (mail_intake.h) before its recipients are told
 * 250, and a database that cannot be reached answers 451 (the MTA keeps
 * the message and tries again).
 *
 * ADDR is host:port (127.0.0.1:2424) or a unix socket path (/run/csdesk/
 * lmtp.sock). Under systemd socket activation (csdesk-lmtp.socket) the
 * listening socket comes as LISTEN_FDS and ADDR is ignored. Each
 * connection is served by a child process with its own database
 * connection, opened when a message has arrived.
 */
#include "cli/cli.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/mail_intake.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* Recipients one transaction takes (RFC 5321 asks for at least 100). */
#define LMTP_RCPTS_MAX 100
/* Longest command line, with its CRLF (RFC 5321: 512; generous for parameters). */
#define LMTP_LINE_MAX 2048
/* Seconds a client may stay silent before the session ends. */
#define LMTP_IDLE_SECONDS 300

struct session {
	FILE *in, *out;
	char *rcpts[LMTP_RCPTS_MAX];
	int nrcpts;
	int have_from;
	/* Opened at the first message and kept for the session (an MTA sends
	 * many messages on one connection); closed when it was lost. */
	struct db db;
	int connected;
};

static void
reply(struct session *s, const char *line)
{
	fputs(line, s->out);
	fputs("\r\n", s->out);
	fflush(s->out);
}

/* One line into buf without its CRLF; -1 at the end or when too long. */
static int
read_line(struct session *s, char *buf, size_t size, size_t *len)
{
	if (fgets(buf, (int)size, s->in) == NULL)
		return -1;
	*len = strlen(buf);
	if (*len == 0 || buf[*len - 1] != '\n')
		return -1;
	while (*len > 0 && (buf[*len - 1] == '\n' || buf[*len - 1] == '\r'))
		buf[--*len] = '\0';
	return 0;
}

static void
reset(struct session *s)
{
	int i;

	for (i = 0; i < s->nrcpts; i++)
		free(s->rcpts[i]);
	s->nrcpts = 0;
	s->have_from = 0;
}

/* The address inside "<…>" after the command, lower case; NULL when none. */
static char *
path_of(const char *arg)
{
	const char *lt = strchr(arg, '<'), *gt = lt != NULL ? strchr(lt, '>') : NULL;
	char *a, *p;

	if (lt == NULL || gt == NULL || gt - lt - 1 > 254)
		return NULL;
	if ((a = strndup(lt + 1, (size_t)(gt - lt - 1))) == NULL)
		return NULL;
	for (p = a; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return a;
}

/*
 * The message after DATA, dot-stuffing undone, into a malloc'd buffer.
 * NULL with *too_big when it passed MAIL_MESSAGE_MAX (the rest is read
 * and dropped), NULL alone when the connection ended.
 */
static unsigned char *
read_data(struct session *s, size_t *len, int *too_big)
{
	size_t cap = 1 << 16, n = 0;
	unsigned char *buf = malloc(cap), *grown;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t got;

	*too_big = 0;
	while (buf != NULL && (got = getline(&line, &lcap, s->in)) > 0) {
		const char *p = line;
		size_t k = (size_t)got;

		if ((k == 3 && strcmp(line, ".\r\n") == 0) || (k == 2 && strcmp(line, ".\n") == 0)) {
			free(line);
			if (*too_big) {
				free(buf);
				return NULL;
			}
			*len = n;
			return buf;
		}
		if (line[0] == '.') {
			p++;
			k--;
		}
		if (*too_big || n + k > MAIL_MESSAGE_MAX) {
			*too_big = 1;
			continue;
		}
		while (n + k > cap) {
			cap *= 2;
			if ((grown = realloc(buf, cap)) == NULL) {
				free(buf);
				free(line);
				return NULL;
			}
			buf = grown;
		}
		memcpy(buf + n, p, k);
		n += k;
	}
	free(line);
	free(buf);
	*too_big = 0;
	return NULL;
}

/* Stores the message for each recipient and answers once per recipient. */
static void
deliver(struct session *s, const unsigned char *raw, size_t len)
{
	struct mail_outcome out;
	struct arena *a = arena_new(1 << 20);
	int i;

	if (!s->connected && a != NULL)
		s->connected = cli_connect(&s->db) == 0;
	for (i = 0; i < s->nrcpts; i++) {
		enum cs_result rc = s->connected && a != NULL ?
		    mail_intake(&s->db, a, raw, len, s->rcpts[i], &out) : CS_DB_LOST;

		if (rc == CS_OK)
			reply(s, "250 2.0.0 stored");
		else if (rc == CS_LIMITED)
			reply(s, "451 4.7.1 too many messages from this sender now, try again later");
		else
			reply(s, "451 4.3.0 the help desk cannot store mail now, try again later");
		if (a != NULL)
			arena_reset(a);
	}
	/* A lost connection is opened afresh for the next message. */
	if (s->connected && db_lost(&s->db)) {
		db_close(&s->db);
		s->connected = 0;
	}
	arena_free(a);
}

static void
data(struct session *s)
{
	unsigned char *raw;
	size_t len = 0;
	int too_big, i;

	if (!s->have_from || s->nrcpts == 0) {
		reply(s, "503 5.5.1 MAIL and RCPT first");
		return;
	}
	reply(s, "354 go ahead, end with <CRLF>.<CRLF>");
	raw = read_data(s, &len, &too_big);
	if (raw == NULL && too_big)
		for (i = 0; i < s->nrcpts; i++)
			reply(s, "552 5.3.4 message too big for the help desk");
	else if (raw != NULL)
		deliver(s, raw, len);
	free(raw);
	reset(s);
}

/* One LMTP session on in/out, until QUIT or the connection ends. */
static void
session(FILE *in, FILE *out)
{
	struct session s = { .in = in, .out = out };
	char line[LMTP_LINE_MAX], host[256];
	size_t len;

	if (gethostname(host, sizeof(host)) < 0)
		snprintf(host, sizeof(host), "csdesk");
	host[sizeof(host) - 1] = '\0';
	fprintf(out, "220 %s LMTP csdesk ready\r\n", host);
	fflush(out);
	while (read_line(&s, line, sizeof(line), &len) == 0) {
		if (strncasecmp(line, "LHLO", 4) == 0) {
			fprintf(out, "250-%s\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n"
			    "250 SIZE %u\r\n", host, MAIL_MESSAGE_MAX);
			fflush(out);
		} else if (strncasecmp(line, "MAIL FROM:", 10) == 0) {
			reset(&s);
			s.have_from = 1;
			reply(&s, "250 2.1.0 sender ok");
		} else if (strncasecmp(line, "RCPT TO:", 8) == 0) {
			char *to = path_of(line + 8);

			if (!s.have_from) {
				free(to);
				reply(&s, "503 5.5.1 MAIL first");
			} else if (to == NULL) {
				reply(&s, "501 5.1.3 bad recipient address");
			} else if (s.nrcpts >= LMTP_RCPTS_MAX) {
				free(to);
				reply(&s, "452 4.5.3 too many recipients");
			} else {
				s.rcpts[s.nrcpts++] = to;
				reply(&s, "250 2.1.5 recipient ok");
			}
		} else if (strcasecmp(line, "DATA") == 0) {
			data(&s);
		} else if (strcasecmp(line, "RSET") == 0) {
			reset(&s);
			reply(&s, "250 2.0.0 ok");
		} else if (strcasecmp(line, "NOOP") == 0) {
			reply(&s, "250 2.0.0 ok");
		} else if (strcasecmp(line, "QUIT") == 0) {
			reply(&s, "221 2.0.0 bye");
			break;
		} else if (strncasecmp(line, "VRFY", 4) == 0) {
			reply(&s, "252 2.5.0 cannot verify, will accept");
		} else {
			reply(&s, "500 5.5.2 unknown command");
		}
	}
	reset(&s);
	if (s.connected)
		db_close(&s.db);
}

/* The listening socket: systemd's, or one bound to addr. -1 after saying why. */
static int
listener(const char *addr)
{
	const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID"), *colon;
	int fd;

	if (fds != NULL && pid != NULL && atol(pid) == (long)getpid() && atoi(fds) >= 1)
		return 3;
	colon = strrchr(addr, ':');
	if (addr[0] == '/') {
		struct sockaddr_un su = { .sun_family = AF_UNIX };

		size_t n = strlen(addr);

		if (n >= sizeof(su.sun_path))
			return -1;
		memcpy(su.sun_path, addr, n + 1);
		unlink(addr);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&su, sizeof(su)) < 0 ||
		    chmod(addr, 0660) < 0 || listen(fd, 64) < 0)
			goto fail;
		return fd;
	}
	if (colon != NULL) {
		struct sockaddr_in si = { .sin_family = AF_INET };
		char host[64];
		long port = strtol(colon + 1, NULL, 10);
		int one = 1;

		snprintf(host, sizeof(host), "%.*s", (int)(colon - addr), addr);
		if (port < 1 || port > 65535 || inet_pton(AF_INET, host, &si.sin_addr) != 1)
			return -1;
		si.sin_port = htons((unsigned short)port);
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
		    bind(fd, (struct sockaddr *)&si, sizeof(si)) < 0 || listen(fd, 64) < 0)
			goto fail;
		return fd;
	}
	return -1;
fail:
	fprintf(stderr, "csdesk: lmtp: %s: %s\n", addr, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Serves connection c in a child of its own. */
static void
serve(int c)
{
	struct timeval idle = { .tv_sec = LMTP_IDLE_SECONDS };
	FILE *in, *out;
	int one = 1;
	pid_t pid = fork();

	if (pid != 0) {
		if (pid < 0)
			log_error("lmtp: fork: %s", strerror(errno));
		close(c);
		return;
	}
	signal(SIGCHLD, SIG_DFL);
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof(idle));
	/*
	 * Each reply leaves in one write and at once. Without this, Nagle's
	 * algorithm held the second of a message's per-recipient replies until
	 * the MTA acknowledged the first, which it delays (40 ms on Linux): 43 ms
	 * more for every message to two or more recipients. Fails on a unix
	 * socket, which has no such delay.
	 */
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	in = fdopen(c, "r");
	out = fdopen(dup(c), "w");
	if (in != NULL && out != NULL)
		session(in, out);
	_exit(0);
}

/*
 * Sessions are waited for, not left to the kernel (SIG_IGN): so their CPU
 * counts in the server's (its rusage, what the bench reads).
 */
static void
reap(int sig)
{
	int saved = errno;

	(void)sig;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	errno = saved;
}

int
cli_lmtp(int argc, char **argv)
{
	static const char *const keys[] = { "--listen" };
	const char *v[1] = { NULL };
	int fd;

	if (cli_options(argc, argv, 1, keys, v, 1) < 0 || v[0] == NULL) {
		fprintf(stderr, "usage: csdesk lmtp --listen HOST:PORT|/path/to/socket\n");
		return 2;
	}
	if ((fd = listener(v[0])) < 0) {
		fprintf(stderr, "csdesk: lmtp: cannot listen on %s\n", v[0]);
		return 1;
	}
	signal(SIGCHLD, reap);
	signal(SIGPIPE, SIG_IGN);
	log_info("lmtp: listening");
	for (;;) {
		int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE)
				continue;
			log_error("lmtp: accept: %s", strerror(errno));
			return 1;
		}
		serve(c);
	}
}
