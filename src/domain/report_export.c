/* report_export.c — see report_export.h. */
#include "domain/report_export.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"
#include "domain/analytics.h"
#include "domain/report_defs.h"
#include "domain/ticket_csv.h"

#include <cairo-pdf.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xlsxwriter.h>

/*
 * libcairo (PDF) and libxlsxwriter (XLSX) are not linked: linked, every
 * console worker mapped them and the nineteen libraries they bring (X11,
 * xcb, fontconfig, freetype, pixman, minizip ...), 400 KB of each worker's
 * resident memory for the rare request that exports. Only the short-lived
 * process that makes a file opens them (in_child). The sonames are those
 * of the headers compiled against (Debian 12: libcairo2, libxlsxwriter4);
 * the export tests open both.
 */
#define PDF_SONAME "libcairo.so.2"
#define XLSX_SONAME "libxlsxwriter.so.4"

/* The functions used, each called through its library's table. */
#define PDF_FNS(X) \
	X(cairo_create) X(cairo_destroy) X(cairo_move_to) X(cairo_pdf_surface_create_for_stream) \
	X(cairo_select_font_face) X(cairo_set_font_size) X(cairo_show_page) X(cairo_show_text) \
	X(cairo_status_to_string) X(cairo_surface_destroy) X(cairo_surface_finish) \
	X(cairo_surface_status) X(cairo_text_extents)
#define XLSX_FNS(X) \
	X(format_set_bold) X(format_set_num_format) X(workbook_add_format) \
	X(workbook_add_worksheet) X(workbook_close) X(workbook_new) X(worksheet_write_number) \
	X(worksheet_write_string)

#define FN_PTR(f) __typeof__(f) *f;
static struct {
	void *handle;
	PDF_FNS(FN_PTR)
} pdf_lib;
static struct {
	void *handle;
	XLSX_FNS(FN_PTR)
} xlsx_lib;

/* A function's name and where its address goes. */
struct lib_fn {
	const char *name;
	void *slot;
};
#define PDF_FN(f) { #f, &pdf_lib.f },
#define XLSX_FN(f) { #f, &xlsx_lib.f },
static const struct lib_fn pdf_fns[] = { PDF_FNS(PDF_FN) };
static const struct lib_fn xlsx_fns[] = { XLSX_FNS(XLSX_FN) };

/* dlsym's answer is copied into a function pointer of the same size. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)), "function and object pointers");

/*
 * Opens soname into *handle and fills the n slots of fns, unless done
 * already: 0, or -1 (logged) when the library or one of its functions is
 * missing; a later call tries again.
 */
static int
lib_open(const char *soname, void **handle, const struct lib_fn *fns, size_t n)
{
	void *h, *sym;
	size_t i;

	if (*handle != NULL)
		return 0;
	if ((h = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		log_error("report: %s", dlerror());
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((sym = dlsym(h, fns[i].name)) == NULL) {
			log_error("report: %s has no %s", soname, fns[i].name);
			dlclose(h);
			return -1;
		}
		memcpy(fns[i].slot, &sym, sizeof(sym));
	}
	*handle = h;
	return 0;
}

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

/* Writes a cell of column c for CSV: a number as it is, text as a field. */
static void
csv_cell(struct buf *out, const struct report_grid *g, size_t c, const char *v)
{
	if (v == NULL)
		return;
	if (g->numeric[c])
		buf_addstr(out, v);
	else
		ticket_csv_field(out, v);
}

static enum cs_result
csv(const struct report_grid *g, struct buf *out)
{
	size_t i, c;

	for (c = 0; c < g->ncols; c++) {
		if (c > 0)
			buf_addch(out, ',');
		ticket_csv_field(out, g->cols[c]);
	}
	buf_addstr(out, "\r\n");
	for (i = 0; i < g->nrows; i++) {
		for (c = 0; c < g->ncols; c++) {
			if (c > 0)
				buf_addch(out, ',');
			csv_cell(out, g, c, g->cells[i * g->ncols + c]);
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
xlsx(const struct report_grid *g, struct buf *out)
{
	char path[] = "/tmp/csdesk-report-XXXXXX", sheet[32];
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *fmt[3];
	size_t i, c;
	int fd;
	enum cs_result rc = CS_FAILED;

	if ((fd = mkstemp(path)) < 0) {
		log_error("report: xlsx: no temporary file");
		return CS_FAILED;
	}
	close(fd);
	if ((wb = xlsx_lib.workbook_new(path)) == NULL)
		goto out;
	/* A sheet's name is at most 31 characters, without []:*?/\. */
	snprintf(sheet, sizeof(sheet), "%.31s", g->title);
	for (i = 0; sheet[i] != '\0'; i++)
		if (strchr("[]:*?/\\", sheet[i]) != NULL)
			sheet[i] = ' ';
	ws = xlsx_lib.workbook_add_worksheet(wb, sheet);
	bold = xlsx_lib.workbook_add_format(wb);
	xlsx_lib.format_set_bold(bold);
	for (i = 0; i < 3; i++) {
		fmt[i] = xlsx_lib.workbook_add_format(wb);
		xlsx_lib.format_set_num_format(fmt[i], i == 0 ? "0" : i == 1 ? "0.0" : "0.00");
	}
	for (c = 0; c < g->ncols; c++)
		xlsx_lib.worksheet_write_string(ws, 0, (lxw_col_t)c, g->cols[c], bold);
	for (i = 0; i < g->nrows; i++) {
		lxw_row_t y = (lxw_row_t)(i + 1);

		for (c = 0; c < g->ncols; c++) {
			const char *v = g->cells[i * g->ncols + c];

			if (v == NULL)
				continue;
			if (g->numeric[c])
				xlsx_lib.worksheet_write_number(ws, y, (lxw_col_t)c,
				    strtod(v, NULL), fmt[decimals(v)]);
			else
				xlsx_lib.worksheet_write_string(ws, y, (lxw_col_t)c, v, NULL);
		}
	}
	if (xlsx_lib.workbook_close(wb) != LXW_NO_ERROR) {
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
 * Writes s at column col of g on the line at y. A text column is twice
 * as wide as a numeric one; together they fill the page's width.
 */
static void
cell(cairo_t *cr, const struct report_grid *g, size_t col, double y, const char *s)
{
	double units = 0, at = 0, unit;
	size_t c;

	for (c = 0; c < g->ncols; c++) {
		if (c == col)
			at = units;
		units += g->numeric[c] ? 1 : 2;
	}
	unit = (PDF_W - 2 * PDF_MARGIN) / (units > 0 ? units : 1);
	pdf_lib.cairo_move_to(cr, PDF_MARGIN + at * unit, y);
	pdf_lib.cairo_show_text(cr, s != NULL ? s : "–");
}

/*
 * A column's heading, in a smaller type when it is wider than its column
 * (an overview of a dozen metrics): never over the next one's.
 */
static void
heading(cairo_t *cr, const struct report_grid *g, size_t col, double y)
{
	double units = 0, width;
	cairo_text_extents_t e;
	size_t c;

	for (c = 0; c < g->ncols; c++)
		units += g->numeric[c] ? 1 : 2;
	width = (PDF_W - 2 * PDF_MARGIN) / (units > 0 ? units : 1) * (g->numeric[col] ? 1 : 2) - 4;
	pdf_lib.cairo_set_font_size(cr, 9);
	pdf_lib.cairo_text_extents(cr, g->cols[col] != NULL ? g->cols[col] : "", &e);
	if (e.x_advance > width && width > 0)
		pdf_lib.cairo_set_font_size(cr,
		    9 * width / e.x_advance < 4 ? 4 : 9 * width / e.x_advance);
	cell(cr, g, col, y, g->cols[col]);
	pdf_lib.cairo_set_font_size(cr, 9);
}

static void
pdf_header(cairo_t *cr, const struct report_grid *g, double *y)
{
	size_t c;

	pdf_lib.cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_BOLD);
	pdf_lib.cairo_set_font_size(cr, 14);
	pdf_lib.cairo_move_to(cr, PDF_MARGIN, PDF_MARGIN + 10);
	pdf_lib.cairo_show_text(cr, g->title);
	pdf_lib.cairo_set_font_size(cr, 9);
	pdf_lib.cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_NORMAL);
	pdf_lib.cairo_move_to(cr, PDF_MARGIN, PDF_MARGIN + 26);
	pdf_lib.cairo_show_text(cr, g->subtitle);
	*y = PDF_MARGIN + 50;
	pdf_lib.cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_BOLD);
	for (c = 0; c < g->ncols; c++)
		heading(cr, g, c, *y);
	pdf_lib.cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_NORMAL);
	*y += PDF_LINE;
}

static enum cs_result
pdf(const struct report_grid *g, struct buf *out)
{
	cairo_surface_t *s = pdf_lib.cairo_pdf_surface_create_for_stream(to_buf, out, PDF_W,
	    PDF_H);
	cairo_t *cr = pdf_lib.cairo_create(s);
	cairo_status_t st;
	double y;
	size_t i, c;

	pdf_header(cr, g, &y);
	for (i = 0; i < g->nrows; i++) {
		if (y > PDF_H - PDF_MARGIN) {
			pdf_lib.cairo_show_page(cr);
			pdf_header(cr, g, &y);
		}
		for (c = 0; c < g->ncols; c++)
			cell(cr, g, c, y, g->cells[i * g->ncols + c]);
		y += PDF_LINE;
	}
	pdf_lib.cairo_destroy(cr);
	pdf_lib.cairo_surface_finish(s);
	st = pdf_lib.cairo_surface_status(s);
	pdf_lib.cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS) {
		log_error("report: pdf: %s", pdf_lib.cairo_status_to_string(st));
		return CS_FAILED;
	}
	return buf_failed(out) ? CS_FAILED : CS_OK;
}

/* The PDF or XLSX of g into out, with its library opened. */
static enum cs_result
draw(const struct report_grid *g, enum report_format f, struct buf *out)
{
	if (f == RF_XLSX)
		return lib_open(XLSX_SONAME, &xlsx_lib.handle, xlsx_fns,
		    sizeof(xlsx_fns) / sizeof(xlsx_fns[0])) < 0 ? CS_FAILED : xlsx(g, out);
	return lib_open(PDF_SONAME, &pdf_lib.handle, pdf_fns,
	    sizeof(pdf_fns) / sizeof(pdf_fns[0])) < 0 ? CS_FAILED : pdf(g, out);
}

/*
 * Makes the PDF or XLSX in a child process and reads it back into out.
 * Laying out text loads fontconfig's configuration and caches, the fonts,
 * and much of cairo, freetype and pixman: 6.8 MB of resident memory that a
 * worker kept for good after its first export. The child opens the
 * library, writes the file into a pipe and exits; the worker stays as it
 * was. CS_OK, or CS_FAILED (logged).
 */
static enum cs_result
in_child(const struct report_grid *g, enum report_format f, struct buf *out)
{
	enum cs_result rc = CS_OK;
	struct buf file;
	int p[2], st = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return log_failed("report: pipe: %s", strerror(errno));
	if ((pid = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		return log_failed("report: fork: %s", strerror(errno));
	}
	if (pid == 0) {
		close(p[0]);
		buf_init(&file, NULL);
		_exit(draw(g, f, &file) == CS_OK && !buf_failed(&file) &&
		    buf_write_fd(&file, p[1]) == 0 ? 0 : 1);
	}
	close(p[1]);
	if (buf_add_fd(out, p[0], SIZE_MAX) < 0)
		rc = log_failed("report: %s: reading the file: %s", format_names[f],
		    strerror(errno));
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		rc = log_failed("report: %s: the process making it failed", format_names[f]);
	return rc == CS_OK && !buf_failed(out) ? CS_OK : CS_FAILED;
}

enum cs_result
report_grid_export(const struct report_grid *g, enum report_format f, struct buf *out)
{
	switch (f) {
	case RF_CSV:
		return csv(g, out);
	case RF_XLSX:
	case RF_PDF:
		return in_child(g, f, out);
	case RF__MAX:
		break;
	}
	return CS_FAILED;
}

/* Row i of the analytics export: the totals first, then the periods. */
static const struct analytics_row *
row(const struct analytics_table *t, size_t i)
{
	return i < t->ntotals ? &t->totals[i] : &t->rows[i - t->ntotals];
}

enum cs_result
report_export(const struct report_def *d, const struct analytics_table *t,
    enum report_format f, struct buf *out)
{
	size_t ncols = d->nmetrics + 2, nrows = t->ntotals + t->nrows, i, m;
	const char **cols = mem_calloc(ncols, sizeof(*cols));
	const char **cells = mem_calloc(nrows * ncols + 1, sizeof(*cells));
	unsigned char *numeric = mem_calloc(ncols, 1);
	struct buf heads, sub;
	struct report_grid g;
	enum cs_result rc = CS_FAILED;

	buf_init(&heads, NULL);
	buf_init(&sub, NULL);
	if (cols == NULL || cells == NULL || numeric == NULL)
		goto out;
	cols[0] = "Period";
	cols[1] = analytics_dim_label(t->f.dim);
	/* The headings, "CSAT (%)", NUL-separated in one buffer, pointed at once it is whole. */
	for (m = 0; m < d->nmetrics; m++) {
		const struct metric_def *md = metric_def(d->metrics[m]);
		const char *u = metric_unit_suffix(md->unit);

		buf_addstr(&heads, md->label);
		if (*u != '\0')
			buf_printf(&heads, " (%s)", u);
		buf_add(&heads, "", 1);
		numeric[m + 2] = 1;
	}
	buf_printf(&sub, "%s to %s, by %s, per %s", t->f.from, t->f.to,
	    analytics_dim_label(t->f.dim), analytics_grain_name(t->f.grain));
	if (buf_failed(&heads) || buf_failed(&sub))
		goto out;
	for (m = 0, i = 0; m < d->nmetrics; m++, i += strlen(heads.buf + i) + 1)
		cols[m + 2] = heads.buf + i;
	for (i = 0; i < nrows; i++) {
		const struct analytics_row *r = row(t, i);

		cells[i * ncols] = r->period != NULL ? r->period : "Total";
		cells[i * ncols + 1] = r->name;
		for (m = 0; m < d->nmetrics; m++)
			cells[i * ncols + m + 2] = r->v[d->metrics[m]];
	}
	g = (struct report_grid){ d->title, sub.buf, ncols, nrows, cols, numeric, cells };
	rc = report_grid_export(&g, f, out);
out:
	if (rc != CS_OK && (cols == NULL || cells == NULL || numeric == NULL ||
	    buf_failed(&heads) || buf_failed(&sub)))
		log_error("report: export: out of memory");
	buf_release(&heads);
	buf_release(&sub);
	mem_free(cols);
	mem_free(cells);
	mem_free(numeric);
	return rc;
}
