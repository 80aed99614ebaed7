/* mail_format.c — see mail_format.h. */
#include "domain/mail_format.h"
#include "core/buf.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* RFC 5322 date, always in English and UTC whatever the locale. */
static void
put_date(struct buf *b, long long us)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
		"Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL) {
		t = 0;
		gmtime_r(&t, &tm);
	}
	buf_printf(b, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
	    months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/*
 * Text that cannot go into a header as it is: bytes outside printable
 * ASCII, or "=?", which a reader would take for the start of an encoded
 * word.
 */
static int
needs_encoding(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e || (p[0] == '=' && p[1] == '?'))
			return 1;
	return 0;
}

/*
 * Bytes of UTF-8 per encoded word: 39 bytes are 52 base64 characters, so
 * a word is 64 characters and "Subject: " plus one stays under 78.
 */
#define WORD_BYTES 39

/*
 * Writes s as RFC 2047 encoded words (UTF-8, base64), folded one word per
 * line; a word never splits a character.
 */
static void
put_encoded(struct buf *b, const char *s)
{
	char b64[sodium_base64_ENCODED_LEN(WORD_BYTES, sodium_base64_VARIANT_ORIGINAL)];
	size_t len = strlen(s), pos = 0, n;

	while (pos < len) {
		n = len - pos < WORD_BYTES ? len - pos : WORD_BYTES;
		/* Back off to a character boundary (keep at least one byte). */
		while (pos + n < len && n > 1 && ((unsigned char)s[pos + n] & 0xc0) == 0x80)
			n--;
		sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)s + pos, n,
		    sodium_base64_VARIANT_ORIGINAL);
		if (pos > 0)
			buf_addstr(b, "\r\n ");
		buf_printf(b, "=?UTF-8?B?%s?=", b64);
		pos += n;
	}
}

/* A header value that is free text (Subject). */
static void
put_text(struct buf *b, const char *s)
{
	if (needs_encoding(s))
		put_encoded(b, s);
	else
		buf_addstr(b, s);
}

/* A display name: as it is, quoted, or encoded, as its characters need. */
static void
put_phrase(struct buf *b, const char *s)
{
	const char *p;
	int plain = 1;

	if (needs_encoding(s)) {
		put_encoded(b, s);
		return;
	}
	for (p = s; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(" !#$%&'*+-/=?^_`{|}~", *p) != NULL))
			plain = 0;
	if (plain) {
		buf_addstr(b, s);
		return;
	}
	buf_addch(b, '"');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_addch(b, '\\');
		buf_addch(b, *p);
	}
	buf_addch(b, '"');
}

/*
 * Quoted-printable (RFC 2045) with CRLF line ends: lines of at most 76
 * characters, '=' and everything outside printable ASCII as =XX, and
 * spaces at a line's end encoded. A leading "." and "From " are encoded
 * too, so no relay or mailbox format can mistake a line for its own.
 */
static void
put_qp(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t col = 0;

	for (; *p != '\0'; p++) {
		unsigned c = *p;
		int eol, literal;

		if (c == '\n' || (c == '\r' && p[1] == '\n')) {
			if (c == '\r')
				p++;
			buf_add(b, "\r\n", 2);
			col = 0;
			continue;
		}
		/* Room for "=XX" and the soft break's "=": 72 + 3 + 1. */
		if (col > 72) {
			buf_add(b, "=\r\n", 3);
			col = 0;
		}
		eol = p[1] == '\0' || p[1] == '\n' || (p[1] == '\r' && p[2] == '\n');
		literal = (c > 32 && c < 127 && c != '=') || ((c == ' ' || c == '\t') && !eol);
		if (col == 0 && (c == '.' ||
		    (c == 'F' && strncmp((const char *)p, "From ", 5) == 0)))
			literal = 0;
		if (literal) {
			buf_addch(b, (int)c);
			col++;
		} else {
			buf_printf(b, "=%02X", c);
			col += 3;
		}
	}
}

static void
put_part(struct buf *b, const char *type, const char *body)
{
	buf_printf(b, "Content-Type: %s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", type);
	put_qp(b, body);
}

static void format(const struct mail_sender *m, const struct mailer_msg *msg, const char *text,
    const char *html, struct buf *out);
static void put_body(struct buf *out, const struct mailer_msg *msg, const char *text,
    const char *html);
static void put_file(struct buf *out, const struct mailer_msg *msg);

/* A Message-ID fit to write between angle brackets: printable, no spaces or brackets. */
static int
id_ok(const char *s)
{
	const char *p;

	if (s == NULL || s[0] == '\0' || strlen(s) > 900 || strchr(s, '@') == NULL)
		return 0;
	for (p = s; *p != '\0'; p++)
		if (*p <= ' ' || *p > '~' || *p == '<' || *p == '>')
			return 0;
	return 1;
}

/*
 * A ticket's thread: In-Reply-To the latest message received, References
 * the first and the latest, and a Reply-To whose token brings an answer
 * back to the ticket whatever the mail program does with the headers.
 */
static void
put_thread(struct buf *b, const struct mail_sender *m, const struct mailer_msg *msg)
{
	const char *addr = msg->reply_addr != NULL && msg->reply_addr[0] != '\0' ?
	    msg->reply_addr : m->addr;
	const char *at = strchr(addr, '@'), *plus;
	int first = id_ok(msg->first_ref), last = id_ok(msg->last_ref);

	if (last)
		buf_printf(b, "In-Reply-To: <%s>\r\n", msg->last_ref);
	if (first && last && strcmp(msg->first_ref, msg->last_ref) != 0)
		buf_printf(b, "References: <%s>\r\n <%s>\r\n", msg->first_ref, msg->last_ref);
	else if (last)
		buf_printf(b, "References: <%s>\r\n", msg->last_ref);
	if (msg->token == NULL || msg->token[0] == '\0' || at == NULL ||
	    strspn(msg->token, "abcdefghijklmnopqrstuvwxyz0123456789") != strlen(msg->token))
		return;
	/* support+old@ would become support+old+token@: the local part before any '+'. */
	plus = memchr(addr, '+', (size_t)(at - addr));
	buf_printf(b, "Reply-To: %.*s+%s%s\r\n", (int)((plus != NULL ? plus : at) - addr), addr,
	    msg->token, at);
}

void
mail_format(const struct mail_sender *sender, const struct mailer_msg *msg, struct buf *out)
{
	struct mail_sender team;
	const struct mail_sender *m = sender;
	const char *text = msg->text, *html = msg->html;
	struct buf t, h;

	/* An agent's reply: from the team's address, with the team's signature. */
	buf_init(&t, NULL);
	buf_init(&h, NULL);
	if (msg->team_addr != NULL && strchr(msg->team_addr, '@') != NULL) {
		team.name = msg->team_name != NULL ? msg->team_name : "";
		team.addr = msg->team_addr;
		team.domain = sender->domain;
		m = &team;
		if (msg->signature != NULL && msg->signature[0] != '\0') {
			buf_printf(&t, "%s\n\n-- \n%s\n", msg->text, msg->signature);
			text = t.buf;
			if (html != NULL) {
				buf_addstr(&h, html);
				buf_addstr(&h, "<p style=\"white-space:pre-line\">-- <br>");
				buf_add_html(&h, msg->signature, strlen(msg->signature));
				buf_addstr(&h, "</p>");
				html = h.buf;
			}
		}
	}
	format(m, msg, text, html, out);
	if (buf_failed(&t) || buf_failed(&h))
		out->failed = 1;
	buf_release(&t);
	buf_release(&h);
}

static void
format(const struct mail_sender *m, const struct mailer_msg *msg, const char *text,
    const char *html, struct buf *out)
{
	buf_addstr(out, "Date: ");
	put_date(out, msg->created_us);
	buf_addstr(out, "\r\nFrom: ");
	if (m->name[0] != '\0') {
		put_phrase(out, m->name);
		buf_printf(out, " <%s>", m->addr);
	} else {
		buf_addstr(out, m->addr);
	}
	buf_printf(out, "\r\nTo: %s\r\nSubject: ", msg->recipient);
	put_text(out, msg->subject);
	buf_printf(out, "\r\nMessage-ID: <csdesk.%lld.%lld@%s>\r\n"
	    "MIME-Version: 1.0\r\n", msg->id, msg->created_us, m->domain);
	put_thread(out, m, msg);
	/* RFC 3834: what a machine sent is marked, so no machine answers it. */
	if (msg->automatic)
		buf_addstr(out, "Auto-Submitted: auto-generated\r\n"
		    "X-Auto-Response-Suppress: All\r\n");
	/* RFC 8058: a mail program offers "unsubscribe" and POSTs to it. The
	 * address is ours (base URL and 32 hex digits): nothing to encode. */
	if (msg->unsubscribe_url != NULL && *msg->unsubscribe_url != '\0')
		buf_printf(out, "List-Unsubscribe: <%s>\r\n"
		    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", msg->unsubscribe_url);
	if (msg->file_b64 != NULL && msg->file_name != NULL && msg->file_type != NULL) {
		buf_printf(out, "Content-Type: multipart/mixed;\r\n"
		    " boundary=\"=_csdesk_mixed_%lld_%lld\"\r\n\r\n"
		    "This is a message in MIME format: a text and a file.\r\n",
		    msg->id, msg->created_us);
		buf_printf(out, "\r\n--=_csdesk_mixed_%lld_%lld\r\n", msg->id, msg->created_us);
		put_body(out, msg, text, html);
		buf_printf(out, "\r\n--=_csdesk_mixed_%lld_%lld\r\n", msg->id, msg->created_us);
		put_file(out, msg);
		buf_printf(out, "\r\n--=_csdesk_mixed_%lld_%lld--\r\n", msg->id, msg->created_us);
		return;
	}
	put_body(out, msg, text, html);
	/* The message ends with a line end, without adding an empty line. */
	if (out->len < 2 || memcmp(out->buf + out->len - 2, "\r\n", 2) != 0)
		buf_addstr(out, "\r\n");
}

/* The text, or the text and its HTML as alternatives: the headers of the part and its body. */
static void
put_body(struct buf *out, const struct mailer_msg *msg, const char *text, const char *html)
{
	if (html == NULL) {
		put_part(out, "text/plain", text);
		return;
	}
	/* "=_" never occurs in quoted-printable text: a safe boundary. */
	buf_printf(out, "Content-Type: multipart/alternative;\r\n"
	    " boundary=\"=_csdesk_%lld_%lld\"\r\n\r\n"
	    "This is a message in MIME format: plain text and HTML.\r\n",
	    msg->id, msg->created_us);
	buf_printf(out, "\r\n--=_csdesk_%lld_%lld\r\n", msg->id, msg->created_us);
	put_part(out, "text/plain", text);
	buf_printf(out, "\r\n--=_csdesk_%lld_%lld\r\n", msg->id, msg->created_us);
	put_part(out, "text/html", html);
	buf_printf(out, "\r\n--=_csdesk_%lld_%lld--\r\n", msg->id, msg->created_us);
}

/*
 * The file as a base64 attachment, in lines of 76 characters (RFC 2045)
 * whatever breaks the stored text had. Base64 has no "=_": the boundary
 * stays safe.
 */
static void
put_file(struct buf *out, const struct mailer_msg *msg)
{
	const char *p;
	size_t col = 0;

	buf_printf(out, "Content-Type: %s; name=\"%s\"\r\n"
	    "Content-Disposition: attachment; filename=\"%s\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n",
	    msg->file_type, msg->file_name, msg->file_name);
	for (p = msg->file_b64; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r')
			continue;
		if (col == 76) {
			buf_addstr(out, "\r\n");
			col = 0;
		}
		buf_addch(out, *p);
		col++;
	}
	buf_addstr(out, "\r\n");
}
