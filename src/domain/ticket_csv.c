/* ticket_csv.c — see ticket_csv.h. */
#include "domain/ticket_csv.h"
#include "core/arena.h"
#include "core/buf.h"
#include "domain/ticket_list.h"

#include <string.h>

/* Rows read per page of the export. */
#define EXPORT_PAGE 1000

/*
 * Whether a spreadsheet would read s as a formula: it starts with = + - @,
 * their full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20), or a TAB, CR or
 * LF that the application skips before looking for one.
 */
static int
csv_formula_start(const char *s)
{
	static const char *const wide[] = { "\xef\xbc\x9d", "\xef\xbc\x8b", "\xef\xbc\x8d",
		"\xef\xbc\xa0" };
	size_t i;

	if (*s != '\0' && strchr("=+-@\t\r\n", *s) != NULL)
		return 1;
	for (i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (strncmp(s, wide[i], 3) == 0)
			return 1;
	return 0;
}

void
ticket_csv_field(struct buf *out, const char *s)
{
	int quote = strpbrk(s, "\",\r\n") != NULL;

	if (quote)
		buf_addch(out, '"');
	if (csv_formula_start(s))
		buf_addch(out, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_addch(out, '"');
		buf_addch(out, *s);
	}
	if (quote)
		buf_addch(out, '"');
}

/* The fields of a line, the header's names and a row's values alike. */
static void
csv_line(struct buf *out, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			buf_addch(out, ',');
		ticket_csv_field(out, v[i]);
	}
	buf_addstr(out, "\r\n");
}

#define NCOLS 11

/* Writes the rows of page, up to TICKET_CSV_MAX in all; *rows counts them. */
static void
csv_rows(struct buf *out, const struct tl_page *page, size_t *rows)
{
	size_t k;

	for (k = 0; k < page->n && *rows < TICKET_CSV_MAX; k++, (*rows)++) {
		const struct tl_row *r = &page->rows[k];
		const char *v[NCOLS] = { r->number, r->subject, r->customer, r->status, r->priority,
			r->channel, r->queue, r->team, r->assignee, r->created_at, r->updated_at };

		csv_line(out, v, NCOLS);
	}
}

enum cs_result
ticket_csv_export(struct db *db, struct arena *a, const struct tl_filter *f, struct buf *out,
    size_t *rows, const char **why)
{
	static const char *const head[NCOLS] = { "number", "subject", "customer", "status",
		"priority", "channel", "queue", "team", "assignee", "created_at", "updated_at" };
	struct tl_filter at = *f;

	*rows = 0;
	at.after = NULL;
	at.after_id = 0;
	csv_line(out, head, NCOLS);
	while (*rows < TICKET_CSV_MAX) {
		struct arena *pa = arena_new(64 * 1024);
		struct tl_page page;
		enum cs_result rc;

		if (pa == NULL)
			return CS_FAILED;
		if ((rc = ticket_list_page(db, pa, &at, EXPORT_PAGE, &page, why)) != CS_OK) {
			arena_free(pa);
			return rc;
		}
		csv_rows(out, &page, rows);
		/* The next page's cursor must outlive this page's arena. */
		at.after = page.next_after != NULL ? arena_strdup(a, page.next_after) : NULL;
		at.after_id = page.next_id;
		arena_free(pa);
		if (buf_failed(out))
			return CS_FAILED;
		if (page.next_after == NULL)
			break;
		if (at.after == NULL)
			return CS_FAILED;
	}
	return CS_OK;
}
