/*
 * smtp_sink.h — a real SMTP server for a test (aiosmtpd into a Maildir),
 * and what an independent reader (tests/lib/maildump.py, Python's e-mail
 * package) makes of the messages it received.
 */
#ifndef CSDESK_TEST_SMTP_SINK_H
#define CSDESK_TEST_SMTP_SINK_H

/*
 * Starts aiosmtpd on a free port, storing into the Maildir maildir (made
 * by it), logging into log; returns the port. It dies with the test's
 * process even when an assertion ends it. Aborts the test when it does
 * not start.
 */
int th_smtp_start(const char *maildir, const char *log);

/* Stops the server th_smtp_start started (if any). */
void th_smtp_stop(void);

/*
 * maildump.py over the files matching the shell pattern: malloc'd text
 * (see maildump.py for its lines), NULL when it failed.
 */
char *th_maildump(const char *pattern);

/* th_maildump that also writes each attachment into the directory dir. */
char *th_maildump_files(const char *pattern, const char *dir);

/* A TCP port on 127.0.0.1 nobody listens on now. */
int th_free_port(void);

/* Whether something accepts connections on 127.0.0.1:port. */
int th_port_open(int port);

#endif
