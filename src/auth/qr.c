/* qr.c — see qr.h. */
#include "auth/qr.h"
#include "core/arena.h"
#include "core/buf.h"

#include <limits.h>
#include <qrencode.h>
#include <string.h>

/* Light modules around the symbol, as ISO/IEC 18004 asks for. */
#define QUIET 4

/*
 * Length of the UTF-8 sequence at p that XML 1.0 allows as text (1 to 4),
 * or 0 for a byte that does not start one (bad or overlong encodings,
 * surrogates, U+FFFE, U+FFFF). p points into a NUL-terminated string.
 */
static size_t
xml_char_len(const unsigned char *p)
{
	unsigned char c = p[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f))
			return 0;
		if (c == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

/*
 * Appends s as XML character data: & < > " ' as entities, control
 * characters as spaces and bytes that are not valid UTF-8 as U+FFFD, so the
 * result is well-formed whatever s holds.
 */
static void
add_xml_text(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		size_t n = xml_char_len(p);

		if (n == 0) {
			buf_addstr(b, "\xef\xbf\xbd");
			n = 1;
		} else if (*p < 0x20) {
			buf_addch(b, ' ');
		} else {
			buf_add_html(b, (const char *)p, n);
		}
		p += n;
	}
}

char *
qr_svg(struct arena *a, const char *text, const char *title)
{
	QRcode *qr = NULL;
	struct buf b;
	char *svg = NULL;
	size_t len;
	int x, y, w, size;

	if (a == NULL || text == NULL || (len = strlen(text)) == 0 || len > INT_MAX)
		goto out;
	/* 8-bit mode, the smallest version (0: any) that holds the text. */
	qr = QRcode_encodeData((int)len, (const unsigned char *)text, 0, QR_ECLEVEL_M);
	if (qr == NULL)
		goto out;
	w = qr->width;
	size = w + 2 * QUIET;
	buf_init(&b, a);
	buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	    "role=\"img\" shape-rendering=\"crispEdges\"><title>", size, size);
	add_xml_text(&b, title != NULL ? title : "QR code");
	buf_printf(&b, "</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"", size, size);
	for (y = 0; y < w; y++) {
		const unsigned char *row = qr->data + (size_t)y * (size_t)w;

		for (x = 0; x < w; x++) {
			int start = x;

			/* Bit 0 of each module byte is set for a dark module. */
			if (!(row[x] & 1))
				continue;
			while (x + 1 < w && (row[x + 1] & 1))
				x++;
			buf_printf(&b, "M%d %dh%dv1h-%dz", start + QUIET, y + QUIET,
			    x + 1 - start, x + 1 - start);
		}
	}
	buf_addstr(&b, "\"/></svg>");
	if (!buf_failed(&b))
		svg = b.buf;
out:
	if (qr != NULL)
		QRcode_free(qr);
	return svg;
}
