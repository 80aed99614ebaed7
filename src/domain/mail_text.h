/*
 * mail_text.h — the text work of mail intake, pure and without a
 * database: HTML made into plain text, quoted history and signatures cut
 * from a reply, and the ticket tag and reply token found in a subject or
 * an address. Used by mail_parse.h and mail_intake.h; each is fed
 * arbitrary bytes by the fuzz target, so none trusts its input.
 *
 * Every function returns its result in the arena given, NUL-terminated
 * and valid UTF-8 when the input was, or NULL when memory ran out.
 */
#ifndef CSDESK_MAIL_TEXT_H
#define CSDESK_MAIL_TEXT_H

#include <stddef.h>

struct arena;

/*
 * html[0..len) as plain text: tags dropped (script, style and head with
 * their content), line breaks for <br>, paragraphs, list items, rows and
 * headings, the five entities, &nbsp; and numeric references decoded,
 * runs of blank lines folded to one. The result holds no markup that was
 * in the input, so nothing in it is active when shown.
 */
char *mail_text_from_html(struct arena *a, const char *html, size_t len);

/*
 * s made fit to store: invalid UTF-8 sequences and control characters
 * other than newline and tab are dropped (a NUL byte included), CRLF
 * becomes LF, trailing spaces of each line and blank lines at either end
 * are removed.
 */
char *mail_text_clean(struct arena *a, const char *s, size_t len);

/*
 * The new part of a reply: s cut before the quoted history ("On … wrote:",
 * "-----Original Message-----", an Outlook "From: … Sent: …" block, a run
 * of "> " lines at the end) and the signature ("-- " line). A forwarded
 * message ("Forwarded message", "Begin forwarded message") is kept whole:
 * its quoted part is what the sender means to send. Returns s itself when
 * nothing is cut or the cut would leave nothing.
 */
const char *mail_text_trim(struct arena *a, const char *s, int *trimmed);

/*
 * The ticket number in a subject's tag, "[TKT-000123]" (any case, digits
 * only), copied into a as "TKT-000123"; NULL when there is none.
 */
const char *mail_text_ticket_tag(struct arena *a, const char *subject);

/*
 * The token of a reply address "local+TOKEN@domain" (TOKEN: 24 to 64
 * lower-case letters and digits), in a; NULL when the address has none.
 */
const char *mail_text_reply_token(struct arena *a, const char *addr);

/*
 * s made one line of at most max characters (control characters become
 * spaces, runs of spaces one, cut at a character boundary).
 */
char *mail_text_line(struct arena *a, const char *s, size_t max);

#endif
