/* svg_chart.c — see svg_chart.h. */
#include "web/svg_chart.h"
#include "core/buf.h"

#include <math.h>
#include <string.h>

/* The drawing area inside the viewBox: room on the left for the scale. */
#define W 600.0
#define H 240.0
#define LEFT 48.0
#define TOP 12.0
#define PLOT_W (W - LEFT - 8.0)
#define PLOT_H (H - TOP - 36.0)

/* Colours that stay apart for the common colour blindnesses (Okabe–Ito). */
static const char *const palette[] = {
	"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000",
};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

static void
text(struct buf *out, const char *s)
{
	buf_add_html(out, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

static double
value(const struct svg_chart *c, size_t s, size_t i)
{
	return c->series[s].v[i];
}

/* The largest value drawn (a stacked bar's total), at least 1. */
static double
scale_max(const struct svg_chart *c)
{
	double m = c->max > 0 ? c->max : 0;
	size_t s, i;

	for (i = 0; c->max <= 0 && i < c->nlabels; i++) {
		double sum = 0;

		for (s = 0; s < c->nseries; s++) {
			double v = value(c, s, i);

			if (isnan(v) || v < 0)
				continue;
			if (c->kind == SVG_STACKED)
				sum += v;
			else if (v > m)
				m = v;
		}
		if (sum > m)
			m = sum;
	}
	return m > 0 ? m : 1;
}

static double
y_of(double v, double max)
{
	return TOP + PLOT_H - (v < 0 ? 0 : v) / max * PLOT_H;
}

/* The axis, three scale lines and every nth label under the plot. */
static void
axes(struct buf *out, const struct svg_chart *c, double max)
{
	size_t i, every = c->nlabels / 12 + 1;
	int k;

	for (k = 0; k <= 2; k++) {
		double v = max * k / 2, y = y_of(v, max);

		buf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"#ccc\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
		    "font-size=\"11\">%.1f</text>", LEFT, y, LEFT + PLOT_W, y, LEFT - 4, y + 4, v);
	}
	for (i = 0; i < c->nlabels; i += every) {
		double x = LEFT + PLOT_W * ((double)i + 0.5) / (double)c->nlabels;

		buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
		    "font-size=\"11\">", x, TOP + PLOT_H + 16);
		text(out, c->labels[i]);
		buf_addstr(out, "</text>");
	}
}

static void
draw_line(struct buf *out, const struct svg_chart *c, double max)
{
	size_t s, i;

	for (s = 0; s < c->nseries; s++) {
		int pen = 0;

		buf_printf(out, "<path fill=\"none\" stroke-width=\"2\" stroke=\"%s\" d=\"",
		    palette[s % NPALETTE]);
		for (i = 0; i < c->nlabels; i++) {
			double v = value(c, s, i);

			if (isnan(v)) {
				pen = 0;
				continue;
			}
			buf_printf(out, "%c%.1f %.1f ", pen ? 'L' : 'M',
			    LEFT + PLOT_W * ((double)i + 0.5) / (double)c->nlabels, y_of(v, max));
			pen = 1;
		}
		buf_addstr(out, "\"/>");
	}
}

static void
draw_bars(struct buf *out, const struct svg_chart *c, double max)
{
	double slot = PLOT_W / (double)c->nlabels;
	size_t s, i;

	for (i = 0; i < c->nlabels; i++) {
		double base = 0;

		for (s = 0; s < c->nseries; s++) {
			double v = value(c, s, i), x, w, top, bottom;

			if (isnan(v) || v <= 0)
				continue;
			if (c->kind == SVG_STACKED) {
				w = slot * 0.7;
				x = LEFT + slot * (double)i + slot * 0.15;
				bottom = y_of(base, max);
				base += v;
				top = y_of(base, max);
			} else {
				w = slot * 0.8 / (double)c->nseries;
				x = LEFT + slot * (double)i + slot * 0.1 + w * (double)s;
				bottom = y_of(0, max);
				top = y_of(v, max);
			}
			buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			    "fill=\"%s\"/>", x, top, w, bottom - top, palette[s % NPALETTE]);
		}
	}
}

static void
draw_gauge(struct buf *out, const struct svg_chart *c)
{
	double v = value(c, 0, 0), max = c->max > 0 ? c->max : 100, f, a, x, y;

	f = isnan(v) ? 0 : (v < 0 ? 0 : v > max ? 1 : v / max);
	a = M_PI * (1 - f);
	x = 300 + 150 * cos(a);
	y = 200 - 150 * sin(a);
	buf_addstr(out, "<path d=\"M150 200 A150 150 0 0 1 450 200\" fill=\"none\" "
	    "stroke=\"#ddd\" stroke-width=\"28\"/>");
	if (f > 0)
		buf_printf(out, "<path d=\"M150 200 A150 150 0 0 1 %.1f %.1f\" fill=\"none\" "
		    "stroke=\"%s\" stroke-width=\"28\"/>", x, y, palette[0]);
	buf_addstr(out, "<text x=\"300\" y=\"190\" text-anchor=\"middle\" font-size=\"36\">");
	if (isnan(v))
		buf_addstr(out, "–");
	else
		buf_printf(out, "%.1f", v);
	text(out, c->unit);
	buf_addstr(out, "</text>");
}

static void
draw_heatmap(struct buf *out, const struct svg_chart *c, double max)
{
	double cw = PLOT_W / (double)c->nlabels, ch = PLOT_H / (double)c->nseries;
	size_t s, i;

	for (s = 0; s < c->nseries; s++) {
		buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">",
		    LEFT - 4, TOP + ch * ((double)s + 0.5) + 4);
		text(out, c->series[s].name);
		buf_addstr(out, "</text>");
		for (i = 0; i < c->nlabels; i++) {
			double v = value(c, s, i);

			buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			    "fill=\"%s\" fill-opacity=\"%.2f\"/>", LEFT + cw * (double)i,
			    TOP + ch * (double)s, cw, ch, palette[0],
			    isnan(v) || v <= 0 ? 0.03 : 0.1 + 0.9 * v / max);
		}
	}
}

/* The numbers behind the chart, as a table a screen reader can walk. */
static void
data_table(struct buf *out, const struct svg_chart *c)
{
	size_t s, i;

	buf_addstr(out, "<details class=\"chart-data\"><summary>Data: ");
	text(out, c->title);
	buf_addstr(out, "</summary><table><thead><tr><th scope=\"col\"></th>");
	for (s = 0; s < c->nseries; s++) {
		buf_addstr(out, "<th scope=\"col\">");
		text(out, c->series[s].name);
		buf_addstr(out, "</th>");
	}
	buf_addstr(out, "</tr></thead><tbody>");
	for (i = 0; i < c->nlabels; i++) {
		buf_addstr(out, "<tr><th scope=\"row\">");
		text(out, c->labels[i]);
		buf_addstr(out, "</th>");
		for (s = 0; s < c->nseries; s++) {
			double v = value(c, s, i);

			buf_addstr(out, "<td>");
			if (isnan(v))
				buf_addstr(out, "–");
			else {
				buf_printf(out, "%.1f", v);
				text(out, c->unit);
			}
			buf_addstr(out, "</td>");
		}
		buf_addstr(out, "</tr>");
	}
	buf_addstr(out, "</tbody></table></details>");
}

static int
drawable(const struct svg_chart *c)
{
	size_t s;

	if (c->kind >= SVG__MAX || c->id == NULL || *c->id == '\0' || c->title == NULL ||
	    c->nlabels == 0 || c->nlabels > SVG_MAX_LABELS || c->nseries == 0 ||
	    c->nseries > SVG_MAX_SERIES || c->labels == NULL || c->series == NULL)
		return 0;
	if (c->kind == SVG_GAUGE && (c->nseries != 1 || c->nlabels != 1))
		return 0;
	for (s = 0; s < c->nseries; s++)
		if (c->series[s].v == NULL)
			return 0;
	/* Ids go into attributes unescaped: letters, digits, - and _ only. */
	for (s = 0; c->id[s] != '\0'; s++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_",
		    c->id[s]) == NULL)
			return 0;
	return 1;
}

int
svg_chart(struct buf *out, const struct svg_chart *c)
{
	double max;
	size_t s;

	if (!drawable(c))
		return -1;
	max = scale_max(c);
	buf_printf(out, "<figure class=\"chart chart-%s\"><svg role=\"img\" viewBox=\"0 0 %d %d\" "
	    "aria-labelledby=\"%s-t %s-d\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"%s-t\">",
	    c->kind == SVG_GAUGE ? "gauge" : "plot", (int)W, (int)H, c->id, c->id, c->id);
	text(out, c->title);
	buf_printf(out, "</title><desc id=\"%s-d\">", c->id);
	text(out, c->desc);
	buf_addstr(out, "</desc>");
	switch (c->kind) {
	case SVG_LINE:
		axes(out, c, max);
		draw_line(out, c, max);
		break;
	case SVG_BAR:
	case SVG_STACKED:
		axes(out, c, max);
		draw_bars(out, c, max);
		break;
	case SVG_GAUGE:
		draw_gauge(out, c);
		break;
	case SVG_HEATMAP:
		draw_heatmap(out, c, max);
		break;
	case SVG__MAX:
		break;
	}
	buf_addstr(out, "</svg>");
	/* The legend in words, with the colour each series is drawn in. */
	if (c->nseries > 1 && c->kind != SVG_HEATMAP) {
		buf_addstr(out, "<figcaption class=\"legend\">");
		for (s = 0; s < c->nseries; s++) {
			buf_printf(out, "<span><span class=\"swatch\" style=\"background:%s\"></span>",
			    palette[s % NPALETTE]);
			text(out, c->series[s].name);
			buf_addstr(out, "</span> ");
		}
		buf_addstr(out, "</figcaption>");
	}
	data_table(out, c);
	buf_addstr(out, "</figure>");
	return 0;
}
