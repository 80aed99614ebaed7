/* smtp_sink.c — see smtp_sink.h. */
#include "smtp_sink.h"
#include "harness.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define PYTHON "/usr/bin/python3"

static pid_t smtp_pid;

int
th_free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

int
th_port_open(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

int
th_smtp_start(const char *maildir, const char *log)
{
	char listen[32];
	int port = th_free_port(), i;

	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	smtp_pid = fork();
	ck_assert_int_ge(smtp_pid, 0);
	if (smtp_pid == 0) {
		FILE *f = freopen(log, "a", stderr);

		(void)f;
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		execl(PYTHON, PYTHON, "-m", "aiosmtpd", "-n", "-l", listen,
		    "-c", "aiosmtpd.handlers.Mailbox", maildir, (char *)NULL);
		fprintf(stderr, "exec %s: %s\n", PYTHON, strerror(errno));
		_exit(127);
	}
	for (i = 0; i < 200 && !th_port_open(port); i++)
		usleep(50000);
	ck_assert_msg(th_port_open(port), "aiosmtpd did not start; see %s", log);
	return port;
}

void
th_smtp_stop(void)
{
	int status;

	if (smtp_pid <= 0)
		return;
	kill(smtp_pid, SIGTERM);
	waitpid(smtp_pid, &status, 0);
	smtp_pid = 0;
}

char *
th_maildump(const char *pattern)
{
	return th_maildump_files(pattern, "");
}

char *
th_maildump_files(const char *pattern, const char *dir)
{
	char out[256];
	FILE *f;
	char *text;
	long n;

	snprintf(out, sizeof(out), "/tmp/csdesk-maildump-%d.txt", (int)getpid());
	if (th_sh("MAILDUMP_FILES='%s' " PYTHON " '%s/tests/lib/maildump.py' %s > '%s' 2>&1", dir,
	    th_datadir(), pattern, out) != 0)
		return NULL;
	if ((f = fopen(out, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	if (text != NULL && fread(text, 1, (size_t)n, f) != (size_t)n) {
		free(text);
		text = NULL;
	}
	fclose(f);
	remove(out);
	return text;
}
