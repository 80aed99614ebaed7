/*
 * svg_chart.h — charts drawn by the server as inline SVG: line, bar,
 * stacked bar, gauge and heat map. No script, no external file: a chart
 * is a <figure> holding the <svg> (role="img", with a <title> and a
 * <desc> it is labelled by) and, behind a <details>, the table of the
 * numbers it draws, so a screen reader or a printout has the data.
 *
 * Every text (title, labels, series names) is escaped; numbers are
 * written with printf's "%.1f", so no locale or data can inject markup.
 * A value that is NaN is "not measured": no point, no bar, "–" in the
 * table.
 */
#ifndef CSDESK_SVG_CHART_H
#define CSDESK_SVG_CHART_H

#include <stddef.h>

struct buf;

enum svg_kind {
	SVG_LINE,	/* one line per series over the labels */
	SVG_BAR,	/* one bar per label per series, side by side */
	SVG_STACKED,	/* the series stacked in one bar per label */
	SVG_GAUGE,	/* one value on an arc from 0 to max (series 0, value 0) */
	SVG_HEATMAP,	/* a row per series, a cell per label, darker is more */
	SVG__MAX
};

/* Most labels and series a chart draws; more is refused (too dense to read). */
#define SVG_MAX_LABELS 400
#define SVG_MAX_SERIES 24

struct svg_series {
	const char *name;
	const double *v;	/* one per label; NaN: not measured */
};

struct svg_chart {
	enum svg_kind kind;
	const char *id;		/* unique on the page: ids of title and desc */
	const char *title;	/* what the chart shows, short */
	const char *desc;	/* the text alternative: what it says, in a sentence */
	const char *unit;	/* written after values in the table ("%", "min"), may be "" */
	const char *const *labels;	/* x axis (heat map: columns) */
	size_t nlabels;
	const struct svg_series *series;	/* heat map: rows */
	size_t nseries;
	double max;		/* gauge: full scale; others: 0 to fit the data */
};

/*
 * Appends chart c to out. 0, or -1 when c is not drawable (unknown kind,
 * too many labels or series, a gauge without one value, no id or title);
 * out is left as it was then. Check buf_failed(out) for memory.
 */
int svg_chart(struct buf *out, const struct svg_chart *c);

#endif
