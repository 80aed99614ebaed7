/*
 * fuzz_mail_in.c — libFuzzer harness for what mail intake does with the
 * bytes an MTA hands over before any database is involved: mail_parse()
 * (GMime, then csdesk's walk of the parts, charset conversion, HTML made
 * text) and the text work that follows (trimming a reply, the ticket tag,
 * the reply token).
 *
 * What comes out is checked against what mail_parse.h promises: every
 * string is there (never NULL) and valid UTF-8, the one-line fields hold
 * no line break, the text no NUL or control character but newline and
 * tab, at most MAIL_FILES_MAX attachments each within the limit. Any broken
 * promise aborts, which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "domain/mail_parse.h"
#include "domain/mail_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
must_text(const char *s, int one_line)
{
	const unsigned char *p;

	if (s == NULL || utf8_chars_checked(s) < 0)
		abort();
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t' && (one_line || *p != '\n')) || *p == 0x7f)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct mail_limits lim = { 4096, "image/*, application/pdf, text/plain" };
	struct arena *a = arena_new(1 << 16);
	struct mail_parsed m;
	const char *tag, *token;
	size_t i;
	int trimmed;

	if (a == NULL)
		return 0;
	if (mail_parse(a, data, size, &lim, &m) != CS_OK)
		abort();
	must_text(m.message_id, 1);
	must_text(m.from_addr, 1);
	must_text(m.from_name, 1);
	must_text(m.subject, 1);
	must_text(m.text, 0);
	must_text(m.left_out, 0);
	must_text(m.bounce_message_id, 1);
	must_text(m.bounce_recipient, 1);
	must_text(m.bounce_status, 1);
	if (m.nrefs > MAIL_REFS_MAX || m.nrcpts > MAIL_RCPTS_MAX || m.nfiles > MAIL_FILES_MAX)
		abort();
	for (i = 0; i < m.nrefs; i++)
		must_text(m.refs[i], 1);
	for (i = 0; i < m.nrcpts; i++)
		must_text(m.rcpts[i], 1);
	for (i = 0; i < m.nfiles; i++) {
		must_text(m.files[i].filename, 1);
		if (m.files[i].len > lim.file_max || m.files[i].data == NULL ||
		    !mail_type_allowed(lim.types, m.files[i].content_type))
			abort();
	}
	must_text(mail_text_trim(a, m.text, &trimmed), 0);
	if ((tag = mail_text_ticket_tag(a, m.subject)) != NULL &&
	    strncmp(tag, "TKT-", 4) != 0)
		abort();
	if ((token = mail_text_reply_token(a, m.from_addr)) != NULL &&
	    strspn(token, "abcdefghijklmnopqrstuvwxyz0123456789") != strlen(token))
		abort();
	arena_free(a);
	return 0;
}
