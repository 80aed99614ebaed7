/* prefork.c — see prefork.h. */
#include "core/prefork.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How long in-flight requests may take to finish after SIGTERM. */
#define DRAIN_SECONDS 30
#define BACKLOG 1024

static volatile sig_atomic_t stop_requested;
static sigset_t wait_mask;	/* the worker's mask while idle in ppoll */

static void
on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

int
prefork_stopping(void)
{
	return stop_requested;
}

static int
set_nonblocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return log_fail("prefork: fcntl: %s", strerror(errno));
	return 0;
}

static int
listen_unix(const char *path, unsigned mode)
{
	struct sockaddr_un sa;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return log_fail("prefork: socket path too long: %s", path);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return log_fail("prefork: socket: %s", strerror(errno));
	unlink(path);	/* a stale socket from a previous run */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(path, mode) < 0 ||
	    listen(fd, BACKLOG) < 0) {
		log_error("prefork: cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int
listen_tcp(const char *addr)
{
	struct addrinfo hints, *ai = NULL;
	const char *colon = strrchr(addr, ':');
	char host[256];
	size_t hlen = (size_t)(colon - addr);
	int fd = -1, one = 1, rc;

	if (hlen >= sizeof(host))
		return log_fail("prefork: bad address %s", addr);
	memcpy(host, addr, hlen);
	host[hlen] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	rc = getaddrinfo(hlen ? host : NULL, colon + 1, &hints, &ai);
	if (rc != 0)
		return log_fail("prefork: %s: %s", addr, gai_strerror(rc));
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, BACKLOG) < 0) {
		log_error("prefork: cannot listen on %s: %s", addr, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

int
prefork_listen(const char *addr, unsigned mode)
{
	int fd, type = 0, acc = 0;
	socklen_t len = sizeof(type);

	if (addr == NULL) {
		/* Inherited from systemd or spawn-fcgi. */
		if (getsockopt(0, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_STREAM)
			return log_fail("prefork: no --listen given and fd 0 is not a stream socket");
		len = sizeof(acc);
		if (getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len) < 0 || !acc)
			return log_fail("prefork: fd 0 is a socket but not listening");
		fd = 0;
	} else if (strchr(addr, '/') == NULL && strchr(addr, ':') != NULL) {
		fd = listen_tcp(addr);
	} else {
		fd = listen_unix(addr, mode);
	}
	if (fd < 0)
		return -1;
	/* Non-blocking: when several idle workers wake for one connection,
	 * the losers get EAGAIN from accept instead of blocking in it. */
	if (set_nonblocking(fd) < 0)
		return -1;
	return fd;
}

struct pool {
	pid_t *pids;
	time_t *started;
	int n;
	int listen_fd;
	prefork_worker_fn fn;
	void *arg;
};

static pid_t
spawn(struct pool *p, int slot, const sigset_t *master_mask)
{
	pid_t pid = fork();

	if (pid < 0) {
		log_error("prefork: fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		struct sigaction sa;
		sigset_t block;

		/* Die with the master, whatever kills it. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() == 1)
			_exit(0);
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_stop;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		sa.sa_handler = SIG_DFL;
		sigaction(SIGCHLD, &sa, NULL);
		sa.sa_handler = SIG_IGN;
		sigaction(SIGPIPE, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		/* Termination signals stay blocked except inside ppoll. */
		sigemptyset(&block);
		sigaddset(&block, SIGTERM);
		sigaddset(&block, SIGINT);
		sigprocmask(SIG_SETMASK, &block, NULL);
		wait_mask = *master_mask;
		sigdelset(&wait_mask, SIGTERM);
		sigdelset(&wait_mask, SIGINT);
		sigdelset(&wait_mask, SIGCHLD);
		sigdelset(&wait_mask, SIGHUP);
		_exit(p->fn(p->listen_fd, p->arg));
	}
	p->pids[slot] = pid;
	p->started[slot] = time(NULL);
	return pid;
}

/*
 * True when a termination signal waits, blocked. ppoll() that finds the
 * socket ready returns at once and puts the old mask back without running
 * the handler, so under load a SIGTERM that came during a request would
 * stay pending for ever while the worker goes on accepting.
 */
static int
stop_pending(void)
{
	sigset_t set;

	if (sigpending(&set) < 0)
		return 0;
	return sigismember(&set, SIGTERM) == 1 || sigismember(&set, SIGINT) == 1;
}

int
prefork_wait(int listen_fd)
{
	struct pollfd pfd = { .fd = listen_fd, .events = POLLIN };

	for (;;) {
		if (stop_requested || stop_pending()) {
			stop_requested = 1;
			return 0;
		}
		if (ppoll(&pfd, 1, NULL, &wait_mask) > 0) {
			/* The signal may have come while ppoll returned the socket. */
			if (stop_pending())
				continue;
			return 1;
		}
		if (errno != EINTR && errno != EAGAIN) {
			log_error("prefork: poll: %s", strerror(errno));
			return 0;
		}
	}
}

static void
signal_all(struct pool *p, int sig)
{
	int i;

	for (i = 0; i < p->n; i++)
		if (p->pids[i] > 0)
			kill(p->pids[i], sig);
}

static int
alive(const struct pool *p)
{
	int i, n = 0;

	for (i = 0; i < p->n; i++)
		n += p->pids[i] > 0;
	return n;
}

/* Reaps dead workers; returns how many died, marking their slots free. */
static int
reap(struct pool *p)
{
	pid_t pid;
	int status, i, died = 0;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < p->n; i++) {
			if (p->pids[i] != pid)
				continue;
			p->pids[i] = 0;
			died++;
			if (WIFSIGNALED(status))
				log_warn("prefork: worker %d killed by signal %d", (int)pid,
				    WTERMSIG(status));
			else if (WEXITSTATUS(status) != 0)
				log_warn("prefork: worker %d exited with %d", (int)pid,
				    WEXITSTATUS(status));
		}
	}
	return died;
}

static int
drain(struct pool *p)
{
	struct timespec ts = { .tv_sec = 1, .tv_nsec = 0 };
	sigset_t chld;
	time_t deadline = time(NULL) + DRAIN_SECONDS;
	int killed = 0;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	signal_all(p, SIGTERM);
	while (reap(p), alive(p) > 0) {
		if (time(NULL) >= deadline) {
			log_warn("prefork: %d worker(s) still busy after %ds, killing", alive(p),
			    DRAIN_SECONDS);
			signal_all(p, SIGKILL);
			killed = 1;
			deadline = time(NULL) + 5;
		}
		sigtimedwait(&chld, NULL, &ts);
	}
	return killed;
}

int
prefork_run(int listen_fd, const char *addr, int nworkers, prefork_worker_fn fn, void *arg)
{
	struct pool p = { 0 };
	sigset_t mask, old;
	siginfo_t si;
	int i, rc = 0;

	p.pids = calloc((size_t)nworkers, sizeof(*p.pids));
	p.started = calloc((size_t)nworkers, sizeof(*p.started));
	if (p.pids == NULL || p.started == NULL) {
		free(p.pids);
		free(p.started);
		return log_fail("prefork: out of memory");
	}
	p.n = nworkers;
	p.listen_fd = listen_fd;
	p.fn = fn;
	p.arg = arg;

	/* The master takes its signals synchronously with sigwaitinfo. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &old);
	signal(SIGPIPE, SIG_IGN);

	for (i = 0; i < nworkers; i++)
		spawn(&p, i, &old);
	log_info("prefork: %d workers serving on %s", nworkers, addr ? addr : "fd 0");
	for (;;) {
		struct timespec tick = { .tv_sec = 1, .tv_nsec = 0 };
		int sig = sigtimedwait(&mask, &si, &tick);

		if (sig == SIGTERM || sig == SIGINT) {
			log_info("prefork: stopping; waiting for requests in flight");
			/* New connections are refused at once rather than queued
			 * for workers that will not take them; and a pool started
			 * meanwhile on the same path keeps its socket. */
			if (addr != NULL && strchr(addr, '/') != NULL)
				unlink(addr);
			rc = drain(&p);
			break;
		}
		reap(&p);
		for (i = 0; i < nworkers; i++) {
			if (p.pids[i] != 0)
				continue;
			/* A worker that dies right after starting would otherwise
			 * make us fork in a tight loop: wait a second first. */
			if (time(NULL) - p.started[i] < 1)
				continue;
			if (spawn(&p, i, &old) > 0)
				log_info("prefork: restarted worker in slot %d", i);
		}
	}
	free(p.pids);
	free(p.started);
	log_info("prefork: stopped");
	return rc;
}
