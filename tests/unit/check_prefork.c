/*
 * Unit tests: the prefork pool (src/core/prefork.c) with a tiny line
 * protocol instead of FastCGI — a request in flight survives SIGTERM, the
 * queue behind it is not taken, and a worker killed with SIGKILL is
 * replaced.
 */
#include "../lib/harness.h"
#include "core/prefork.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char sock[108];

/* Answers "done" to each line; "slow" takes 700 ms first. */
static int
line_worker(int fd, void *arg)
{
	(void)arg;
	while (prefork_wait(fd)) {
		char line[64];
		ssize_t n;
		int c = accept(fd, NULL, NULL);

		if (c < 0)
			continue;	/* another worker took it */
		n = read(c, line, sizeof(line) - 1);
		if (n > 0) {
			line[n] = '\0';
			if (strncmp(line, "slow", 4) == 0)
				usleep(700000);
			if (write(c, "done\n", 5) < 0) {
				/* the client went away */
			}
		}
		close(c);
	}
	return 0;
}

static pid_t
start_pool(int workers)
{
	pid_t pid;
	int fd;

	snprintf(sock, sizeof(sock), "/tmp/csdesk-prefork-%d.sock", (int)getpid());
	fd = prefork_listen(sock, 0600);
	ck_assert_int_ge(fd, 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(prefork_run(fd, sock, workers, line_worker, NULL));
	close(fd);
	return pid;
}

static int
connect_pool(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static int
ask(const char *what)
{
	char reply[16] = "";
	int fd = connect_pool();
	ssize_t n;

	ck_assert_int_eq(write(fd, what, strlen(what)), (ssize_t)strlen(what));
	n = read(fd, reply, sizeof(reply) - 1);
	close(fd);
	return n == 5 && strcmp(reply, "done\n") == 0;
}

START_TEST(sigterm_lets_request_in_flight_finish)
{
	pid_t master = start_pool(2);
	char reply[16] = "";
	int fd, status;
	time_t t0;

	ck_assert(ask("fast\n"));
	fd = connect_pool();
	ck_assert_int_eq(write(fd, "slow\n", 5), 5);
	usleep(150000);		/* the worker is now inside the request */
	t0 = time(NULL);
	ck_assert_int_eq(kill(master, SIGTERM), 0);
	ck_assert_int_eq(read(fd, reply, sizeof(reply) - 1), 5);
	ck_assert_str_eq(reply, "done\n");
	close(fd);
	ck_assert_int_eq(waitpid(master, &status, 0), master);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_int_le(time(NULL) - t0, 5);
	/* The socket is gone with the pool. */
	ck_assert_int_ne(access(sock, F_OK), 0);
}
END_TEST

/*
 * Under load: more slow requests queued than there are workers. On SIGTERM
 * the two in flight are answered, the queued ones are never taken (the
 * client sees the connection closed without a byte), and the pool is gone
 * soon after the requests in flight, not after the whole queue.
 */
START_TEST(sigterm_under_load_stops_accepting)
{
	enum { QUEUED = 12 };
	pid_t master = start_pool(2);
	int fds[QUEUED], i, answered = 0, refused = 0, status;
	struct timespec t0, t1;

	ck_assert(ask("fast\n"));
	for (i = 0; i < QUEUED; i++) {
		fds[i] = connect_pool();
		ck_assert_int_eq(write(fds[i], "slow\n", 5), 5);
	}
	usleep(200000);		/* two workers are inside a request each */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(kill(master, SIGTERM), 0);
	for (i = 0; i < QUEUED; i++) {
		char reply[16] = "";
		ssize_t n = read(fds[i], reply, sizeof(reply) - 1);

		if (n == 5 && strcmp(reply, "done\n") == 0)
			answered++;
		else if (n <= 0)
			refused++;
		close(fds[i]);
	}
	ck_assert_int_eq(waitpid(master, &status, 0), master);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);	/* no worker had to be killed */
	ck_assert_int_eq(answered + refused, QUEUED);	/* none cut half-way */
	ck_assert_int_eq(answered, 2);
	/* One slow request (0.7 s) per worker, not six of them. */
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 3);
}
END_TEST

START_TEST(killed_worker_is_replaced)
{
	pid_t master = start_pool(3), before[8], after[8];
	int n = 0, i, status;

	for (i = 0; i < 50 && n < 3; i++) {
		usleep(20000);
		n = th_children(master, before, 8);
	}
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(kill(before[1], SIGKILL), 0);
	for (i = 0; i < 20; i++)
		ck_assert(ask("fast\n"));
	for (i = 0; i < 40; i++) {
		usleep(100000);
		n = th_children(master, after, 8);
		if (n == 3 && after[0] != before[1] && after[1] != before[1] && after[2] != before[1])
			break;
	}
	ck_assert_int_eq(n, 3);
	for (i = 0; i < 3; i++)
		ck_assert_int_ne(after[i], before[1]);
	ck_assert(ask("fast\n"));
	kill(master, SIGTERM);
	ck_assert_int_eq(waitpid(master, &status, 0), master);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

START_TEST(inherits_listening_socket_on_fd0)
{
	pid_t pid;
	int fd, status;

	snprintf(sock, sizeof(sock), "/tmp/csdesk-prefork-fd0-%d.sock", (int)getpid());
	fd = prefork_listen(sock, 0600);
	ck_assert_int_ge(fd, 0);
	pid = fork();
	if (pid == 0) {
		/* As systemd and spawn-fcgi hand it over: the socket is fd 0. */
		dup2(fd, 0);
		_exit(prefork_listen(NULL, 0) == 0 ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	/* A terminal or a file on fd 0 is refused. */
	pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		dup2(devnull, 0);
		_exit(prefork_listen(NULL, 0) == -1 ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	close(fd);
	unlink(sock);
}
END_TEST

START_TEST(listen_refuses_bad_addresses)
{
	ck_assert_int_eq(prefork_listen("/nonexistent-dir/x.sock", 0600), -1);
	ck_assert_int_eq(prefork_listen("999.1.1.1:80", 0600), -1);
}
END_TEST

Suite *prefork_suite(void);

Suite *
prefork_suite(void)
{
	Suite *s = suite_create("prefork");
	TCase *tc = tcase_create("pool");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, sigterm_lets_request_in_flight_finish);
	tcase_add_test(tc, sigterm_under_load_stops_accepting);
	tcase_add_test(tc, killed_worker_is_replaced);
	tcase_add_test(tc, inherits_listening_socket_on_fd0);
	tcase_add_test(tc, listen_refuses_bad_addresses);
	suite_add_tcase(s, tc);
	return s;
}
