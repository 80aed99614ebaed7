/*
 * ticket_csv.h — a ticket list view as CSV (RFC 4180, UTF-8, CRLF, a
 * header line), and the one CSV field writer the other exports (reports,
 * knowledge-base insight) share.
 */
#ifndef CSDESK_TICKET_CSV_H
#define CSDESK_TICKET_CSV_H

#include <stddef.h>

#include "core/result.h"

struct arena;
struct buf;
struct db;
struct tl_filter;

/* Rows in one CSV export at most. */
#define TICKET_CSV_MAX 100000

/*
 * Writes the view f into out, page by page (ticket_list_page), at most
 * TICKET_CSV_MAX rows; *rows tells how many. The cursor in f is ignored.
 * Returns CS_OK, CS_REFUSED (a filter that does not parse: *why) or the
 * failure.
 */
enum cs_result ticket_csv_export(struct db *db, struct arena *a, const struct tl_filter *f,
    struct buf *out, size_t *rows, const char **why);

/*
 * Appends s to out as one CSV field: quoted when it holds '"', ',', CR or
 * LF (quotes doubled), and prefixed with "'" when it starts with = + - @
 * (or their full-width forms), TAB, CR or LF, so spreadsheets do not run it
 * as a formula. Every CSV the programs write goes through here. Cannot
 * fail (out records running out of memory).
 */
void ticket_csv_field(struct buf *out, const char *s);

#endif
