/*
 * log.h — one line per event on standard error (the journal under systemd,
 * a file under `make run`). Lines carry the program name and pid; request
 * lines also carry the request id. Never pass passwords, tokens or SQL
 * parameter values to these functions.
 */
#ifndef CSDESK_LOG_H
#define CSDESK_LOG_H

#include "core/result.h"

/* Sets the program name printed at the start of every line. */
void log_init(const char *program);

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* log_error, then returns -1, for `return log_fail("…")`. */
int log_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* log_error, then returns CS_FAILED, for `return log_failed("…")` in a domain function. */
enum cs_result log_failed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
