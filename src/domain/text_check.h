/*
 * text_check.h — what a one-line name may hold (a ticket's subject, a
 * customer's or a staff member's name, an attachment's file name).
 *
 * Refused: control characters (C0 with TAB, CR and LF, DEL, C1), the line
 * and paragraph separators, and the bidirectional formatting controls
 * (U+061C, U+200E/F, U+202A-202E, U+2066-2069). A TAB or CR is invisible
 * on a page but starts a formula in a spreadsheet; a right-to-left
 * override makes "report\u202Efdp.zip" display as "reportpiz.pdf". The
 * text is assumed valid UTF-8: the request parser refuses anything else.
 */
#ifndef CSDESK_TEXT_CHECK_H
#define CSDESK_TEXT_CHECK_H

#include <stddef.h>

/* What the refusal sentences name: "The subject cannot hold " TEXT_LINE_BANNED "." */
#define TEXT_LINE_BANNED "tabs, line breaks, other control characters or text-direction marks"

/* 1 when s (NULL counts as empty) holds none of the characters above, else 0. */
int text_line_ok(const char *s);

/* 1 when code point c is a bidirectional formatting control, else 0. */
int text_is_bidi_control(unsigned long c);

/*
 * Copies src into dst[0..size) neutralised for display: bidirectional
 * controls dropped, other refused characters written as '_'. The copy is
 * never longer than src; when dst is too small it is cut at a character
 * boundary. Always NUL-terminates (size > 0). Cannot fail.
 */
void text_line_clean(char *dst, size_t size, const char *src);

#endif
