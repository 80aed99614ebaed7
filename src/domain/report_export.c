/* report_export.c — see report_export.h. */
#include "domain/report_export.h"
#include "core/buf.h"
#include "core/log.h"
#include "domain/analytics.h"
#include "domain/report_defs.h"
#include "domain/ticket_csv.h"

#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

static const char *const format_names[RF__MAX] = { "csv", "xlsx", "pdf" };
static const char *const format_types[RF__MAX] = {
	"text/csv; charset=utf-8",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"application/pdf",
};

enum report_format
report_format_parse(const char *name)
{
	int f;

	for (f = 0; name != NULL && f < RF__MAX; f++)
		if (strcmp(name, format_names[f]) == 0)
			return (enum report_format)f;
	return RF__MAX;
}

const char *
report_format_name(enum report_format f)
{
	return f < RF__MAX ? format_names[f] : "";
}

const char *
report_format_type(enum report_format f)
{
	return f < RF__MAX ? format_types[f] : "application/octet-stream";
}

/* The header of metric column i: "CSAT (%)". */
static void
header(struct buf *out, const struct report_def *d, size_t i)
{
	const struct metric_def *m = metric_def(d->metrics[i]);
	const char *u = metric_unit_suffix(m->unit);

	buf_addstr(out, m->label);
	if (*u != '\0')
		buf_printf(out, " (%s)", u);
}

/* Row i of the export: the totals first, then the periods. */
static const struct analytics_row *
row(const struct analytics_table *t, size_t i)
{
	return i < t->ntotals ? &t->totals[i] : &t->rows[i - t->ntotals];
}

static const char *
period(const struct analytics_row *r)
{
	return r->period != NULL ? r->period : "Total";
}

static enum cs_result
csv(const struct report_def *d, const struct analytics_table *t, struct buf *out)
{
	size_t i, m;

	buf_addstr(out, "Period,");
	ticket_csv_field(out, analytics_dim_label(t->f.dim));
	for (m = 0; m < d->nmetrics; m++) {
		struct buf h;

		buf_init(&h, NULL);
		header(&h, d, m);
		buf_addch(out, ',');
		ticket_csv_field(out, h.buf);
		buf_release(&h);
	}
	buf_addstr(out, "\r\n");
	for (i = 0; i < t->ntotals + t->nrows; i++) {
		const struct analytics_row *r = row(t, i);

		buf_addstr(out, period(r));
		buf_addch(out, ',');
		ticket_csv_field(out, r->name);
		for (m = 0; m < d->nmetrics; m++) {
			buf_addch(out, ',');
			if (r->v[d->metrics[m]] != NULL)
				buf_addstr(out, r->v[d->metrics[m]]);
		}
		buf_addstr(out, "\r\n");
	}
	return buf_failed(out) ? CS_FAILED : CS_OK;
}

/* Reads the file at path onto out. 0 or -1. */
static int
slurp(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t n;
	int rc;

	if (f == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(out, chunk, n);
	rc = ferror(f) ? -1 : 0;
	fclose(f);
	return rc;
}

/* How many decimals s has, 0 to 2: the number format its cell gets. */
static size_t
decimals(const char *s)
{
	const char *dot = strchr(s, '.');
	size_t n = dot != NULL ? strlen(dot + 1) : 0;

	return n > 2 ? 2 : n;
}

static enum cs_result
xlsx(const struct report_def *d, const struct analytics_table *t, struct buf *out)
{
	char path[] = "/tmp/csdesk-report-XXXXXX";
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *fmt[3];
	size_t i, m;
	int fd;
	enum cs_result rc = CS_FAILED;

	if ((fd = mkstemp(path)) < 0) {
		log_error("report: xlsx: no temporary file");
		return CS_FAILED;
	}
	close(fd);
	if ((wb = workbook_new(path)) == NULL)
		goto out;
	ws = workbook_add_worksheet(wb, d->title);
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	for (i = 0; i < 3; i++) {
		fmt[i] = workbook_add_format(wb);
		format_set_num_format(fmt[i], i == 0 ? "0" : i == 1 ? "0.0" : "0.00");
	}
	worksheet_write_string(ws, 0, 0, "Period", bold);
	worksheet_write_string(ws, 0, 1, analytics_dim_label(t->f.dim), bold);
	for (m = 0; m < d->nmetrics; m++) {
		struct buf h;

		buf_init(&h, NULL);
		header(&h, d, m);
		worksheet_write_string(ws, 0, (lxw_col_t)(m + 2), h.buf, bold);
		buf_release(&h);
	}
	for (i = 0; i < t->ntotals + t->nrows; i++) {
		const struct analytics_row *r = row(t, i);
		lxw_row_t y = (lxw_row_t)(i + 1);

		worksheet_write_string(ws, y, 0, period(r), NULL);
		worksheet_write_string(ws, y, 1, r->name, NULL);
		for (m = 0; m < d->nmetrics; m++) {
			const char *v = r->v[d->metrics[m]];

			if (v != NULL)
				worksheet_write_number(ws, y, (lxw_col_t)(m + 2), strtod(v, NULL),
				    fmt[decimals(v)]);
		}
	}
	if (workbook_close(wb) != LXW_NO_ERROR) {
		log_error("report: xlsx: the workbook was not written");
		goto out;
	}
	rc = slurp(path, out) == 0 && !buf_failed(out) ? CS_OK : CS_FAILED;
out:
	unlink(path);
	return rc;
}

static cairo_status_t
to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	struct buf *out = closure;

	buf_add(out, data, len);
	return buf_failed(out) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* A4 in points, margins, and the line height of the table. */
#define PDF_W 841.89
#define PDF_H 595.28
#define PDF_MARGIN 36.0
#define PDF_LINE 15.0

/*
 * Writes s at column col of ncols at the line at y; the first two columns
 * are wider, the metrics share what is left of the page's width.
 */
static void
cell(cairo_t *cr, size_t col, size_t ncols, double y, const char *s)
{
	double w = ncols > 2 ? (PDF_W - 2 * PDF_MARGIN - 230) / (double)(ncols - 2) : 80;
	double x = PDF_MARGIN + (col == 0 ? 0 : col == 1 ? 70 : 230 + w * (double)(col - 2));

	cairo_move_to(cr, x, y);
	cairo_show_text(cr, s != NULL ? s : "–");
}

static void
pdf_header(cairo_t *cr, const struct report_def *d, const struct analytics_table *t,
    double *y)
{
	char line[200];
	size_t m;

	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, 14);
	cairo_move_to(cr, PDF_MARGIN, PDF_MARGIN + 10);
	cairo_show_text(cr, d->title);
	cairo_set_font_size(cr, 9);
	snprintf(line, sizeof(line), "%s to %s, by %s, per %s", t->f.from, t->f.to,
	    analytics_dim_label(t->f.dim), analytics_grain_name(t->f.grain));
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_NORMAL);
	cairo_move_to(cr, PDF_MARGIN, PDF_MARGIN + 26);
	cairo_show_text(cr, line);
	*y = PDF_MARGIN + 50;
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cell(cr, 0, d->nmetrics + 2, *y, "Period");
	cell(cr, 1, d->nmetrics + 2, *y, analytics_dim_label(t->f.dim));
	for (m = 0; m < d->nmetrics; m++) {
		struct buf h;

		buf_init(&h, NULL);
		header(&h, d, m);
		cell(cr, m + 2, d->nmetrics + 2, *y, h.buf);
		buf_release(&h);
	}
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_NORMAL);
	*y += PDF_LINE;
}

static enum cs_result
pdf(const struct report_def *d, const struct analytics_table *t, struct buf *out)
{
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, out, PDF_W, PDF_H);
	cairo_t *cr = cairo_create(s);
	cairo_status_t st;
	double y;
	size_t i, m;

	pdf_header(cr, d, t, &y);
	for (i = 0; i < t->ntotals + t->nrows; i++) {
		const struct analytics_row *r = row(t, i);

		if (y > PDF_H - PDF_MARGIN) {
			cairo_show_page(cr);
			pdf_header(cr, d, t, &y);
		}
		cell(cr, 0, d->nmetrics + 2, y, period(r));
		cell(cr, 1, d->nmetrics + 2, y, r->name);
		for (m = 0; m < d->nmetrics; m++)
			cell(cr, m + 2, d->nmetrics + 2, y, r->v[d->metrics[m]]);
		y += PDF_LINE;
	}
	cairo_destroy(cr);
	cairo_surface_finish(s);
	st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS) {
		log_error("report: pdf: %s", cairo_status_to_string(st));
		return CS_FAILED;
	}
	return buf_failed(out) ? CS_FAILED : CS_OK;
}

enum cs_result
report_export(const struct report_def *d, const struct analytics_table *t,
    enum report_format f, struct buf *out)
{
	switch (f) {
	case RF_CSV:
		return csv(d, t, out);
	case RF_XLSX:
		return xlsx(d, t, out);
	case RF_PDF:
		return pdf(d, t, out);
	case RF__MAX:
		break;
	}
	return CS_FAILED;
}
