/*
 * prefork.h — the process model of both FastCGI programs.
 *
 * The master binds the listening socket (or takes fd 0 from systemd or
 * spawn-fcgi), forks N workers and keeps N running: a worker that dies is
 * replaced. On SIGTERM or SIGINT the master passes the signal on; each
 * worker accepts nothing more, finishes the request it is serving, then
 * exits; the master waits (SIGKILL after the grace period) and exits 0.
 * Connections still queued are not taken: with systemd's socket they wait
 * for the next start; on a socket the master bound, they are refused when
 * it closes (nginx answers 502), never cut half-way.
 *
 * A worker accepts one connection at a time. It waits in ppoll() with the
 * termination signals unblocked and handles requests with them blocked, so a
 * request in flight is never cut short; before each accept it looks for a
 * termination signal still pending, which a busy socket would hide.
 */
#ifndef CSDESK_PREFORK_H
#define CSDESK_PREFORK_H

/*
 * Binds addr: a path (unix socket, created with mode, a stale file
 * replaced) or "host:port" / ":port" (TCP). NULL addr: checks that fd 0 is
 * a listening socket and returns 0. Returns the fd, non-blocking, or -1
 * after logging why.
 */
int prefork_listen(const char *addr, unsigned mode);

/*
 * Called in each worker after fork: serve requests on listen_fd until
 * prefork_stopping() turns true. Returns the worker's exit status.
 */
typedef int (*prefork_worker_fn)(int listen_fd, void *arg);

/*
 * Runs the master loop with nworkers workers. Returns when the pool has
 * been shut down: 0, or 1 when it had to kill workers. Unlinks a unix
 * socket path it bound.
 */
int prefork_run(int listen_fd, const char *addr, int nworkers, prefork_worker_fn fn, void *arg);

/*
 * Worker side: waits until listen_fd is readable or a termination signal
 * arrives. Returns 1 (ready to accept), 0 (stop: exit the loop).
 */
int prefork_wait(int listen_fd);

/* Non-zero once the worker was asked to stop. */
int prefork_stopping(void);

#endif
