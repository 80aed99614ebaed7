/*
 * qr.h — QR codes as inline SVG, for the otpauth:// URI a staff member
 * scans when enrolling an authenticator app.
 *
 * The SVG is built entirely here, with every piece of text in it
 * XML-escaped, so a template may emit it unescaped ({{{ }}}).
 */
#ifndef CSDESK_QR_H
#define CSDESK_QR_H

struct arena;

/*
 * A standalone <svg> element in the arena that shows text as a QR code
 * (8-bit mode, error correction level M). Units are modules, with a 4-module
 * quiet zone on a white background; the dark modules are one <path>, each
 * row's runs as "M x y h n v1 h-n z". title (NULL: "QR code") becomes the
 * <title> that screen readers announce. Returns NULL when a or text is NULL,
 * text is empty or too long for a QR code, or memory runs out.
 */
char *qr_svg(struct arena *a, const char *text, const char *title);

#endif
