/* mail_parse.c — see mail_parse.h. GMime does the MIME; this walks what it finds. */
#include "domain/mail_parse.h"
#include "core/arena.h"
#include "core/buf.h"
#include "domain/mail_text.h"

#include <gmime/gmime.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Deepest nesting of multiparts and attached messages followed. */
#define DEPTH_MAX 12

/* What a walk collects before it becomes a struct mail_parsed. */
struct walk {
	struct arena *a;
	const struct mail_limits *lim;
	struct mail_parsed *out;
	const char *plain, *html;	/* the first text/plain and text/html bodies */
	struct buf left_out;
	int failed;
};

static GMimeParserOptions *options;

void
mail_parse_init(void)
{
	static const char *fallback[] = { "utf-8", "iso-8859-1", NULL };

	if (options != NULL)
		return;
	g_mime_init();
	options = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(options, fallback);
	g_mime_parser_options_set_rfc2047_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
}

int
mail_type_allowed(const char *types, const char *type)
{
	const char *p = types;

	while (p != NULL && *p != '\0') {
		size_t n;

		while (*p == ' ' || *p == ',')
			p++;
		n = strcspn(p, ", ");
		if (n > 0 && p[n - 1] == '*') {
			if (strncasecmp(type, p, n - 1) == 0)
				return 1;
		} else if (n > 0 && strlen(type) == n && strncasecmp(type, p, n) == 0) {
			return 1;
		}
		p += n;
	}
	return 0;
}

/* A copy of s (one line, at most max characters) in a; "" for NULL. */
static const char *
line(struct walk *w, const char *s, size_t max)
{
	char *c;

	if (s == NULL)
		return "";
	if ((c = mail_text_line(w->a, s, max)) == NULL) {
		w->failed = 1;
		return "";
	}
	return c;
}

/* A lower-case copy of an address. */
static const char *
address(struct walk *w, const char *s)
{
	char *c = (char *)line(w, s, 254);
	char *p;

	for (p = c; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return c;
}

/* The decoded content of part as bytes in a; *len its length. */
static unsigned char *
content(struct walk *w, GMimePart *part, size_t *len)
{
	GMimeDataWrapper *dw = g_mime_part_get_content(part);
	GMimeStream *mem;
	GByteArray *ba;
	unsigned char *data = NULL;

	*len = 0;
	if (dw == NULL)
		return (unsigned char *)"";
	mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(dw, mem);
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	if ((data = arena_alloc(w->a, ba->len + 1)) == NULL) {
		w->failed = 1;
	} else {
		/* An empty part has no buffer at all (found by the fuzzer). */
		if (ba->len > 0)
			memcpy(data, ba->data, ba->len);
		data[ba->len] = '\0';
		*len = ba->len;
	}
	g_object_unref(mem);
	return data;
}

/*
 * The text of a text part in UTF-8, cleaned, in a. Decoded here rather
 * than by g_mime_text_part_get_text, which stops at a NUL byte: the text
 * after one is kept. A charset iconv does not know is read as ISO-8859-1
 * (every byte is a character there), so nothing is lost to it.
 */
static const char *
text_of(struct walk *w, GMimePart *part, int html)
{
	const char *charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part),
	    "charset");
	unsigned char *data;
	char *conv = NULL, *out;
	size_t len, i, n = 0;

	if ((data = content(w, part, &len)) == NULL)
		return "";
	for (i = 0; i < len; i++)
		if (data[i] != '\0')
			data[n++] = data[i];
	len = n > MAIL_TEXT_BYTES_MAX ? MAIL_TEXT_BYTES_MAX : n;
	if (charset != NULL && strcasecmp(charset, "utf-8") != 0 &&
	    strcasecmp(charset, "us-ascii") != 0) {
		gsize written = 0;

		conv = g_convert((const char *)data, (gssize)len, "UTF-8", charset, NULL, &written,
		    NULL);
		if (conv == NULL)
			conv = g_convert((const char *)data, (gssize)len, "UTF-8", "ISO-8859-1",
			    NULL, &written, NULL);
		if (conv != NULL) {
			data = (unsigned char *)conv;
			len = written;
		}
	}
	out = html ? mail_text_from_html(w->a, (const char *)data, len) :
	    mail_text_clean(w->a, (const char *)data, len);
	g_free(conv);
	if (out == NULL)
		w->failed = 1;
	return out != NULL ? out : "";
}

/* "3.1 MB", "12 kB": for the notes a person reads. */
static void
put_size(struct buf *b, size_t n)
{
	if (n >= 1u << 20)
		buf_printf(b, "%.1f MB", (double)n / (1u << 20));
	else
		buf_printf(b, "%zu kB", (n + 1023) / 1024);
}

/* Keeps an attachment, or says in left_out why it was not kept. */
static void
attach(struct walk *w, const char *filename, const char *type, unsigned char *data, size_t len)
{
	struct mail_parsed *o = w->out;
	const char *why = NULL;

	if (filename == NULL || filename[0] == '\0')
		filename = strcmp(type, "message/rfc822") == 0 ? "message.eml" : "attachment";
	filename = line(w, filename, 255);
	if (filename[0] == '\0')
		filename = "attachment";
	if (!mail_type_allowed(w->lim->types, type))
		why = "that type is not accepted";
	else if (len > w->lim->file_max)
		why = "it is larger than the limit";
	else if (o->nfiles >= MAIL_FILES_MAX)
		why = "the message has more attachments than a ticket takes";
	if (why != NULL) {
		buf_printf(&w->left_out, "%s%s (%s, ", w->left_out.len > 0 ? "\n" : "",
		    filename, type);
		put_size(&w->left_out, len);
		buf_printf(&w->left_out, ") was left out: %s.", why);
		return;
	}
	o->files[o->nfiles].filename = filename;
	o->files[o->nfiles].content_type = type;
	o->files[o->nfiles].data = data;
	o->files[o->nfiles].len = len;
	o->nfiles++;
}

/* The value of "Name: value" in text (a delivery-status or header block), one line. */
static const char *
field(struct walk *w, const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p = text;

	while (p != NULL && *p != '\0') {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1, *e = strchr(v, '\n');
			char *c = arena_strndup(w->a, v, e != NULL ? (size_t)(e - v) : strlen(v));

			if (c == NULL) {
				w->failed = 1;
				return "";
			}
			return line(w, c, 300);
		}
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return "";
}

/* Reads a delivery-status part: who could not be reached, and why. */
static void
delivery_status(struct walk *w, const char *text)
{
	const char *rcpt = field(w, text, "Final-Recipient"), *status = field(w, text, "Status");
	const char *diag = field(w, text, "Diagnostic-Code"), *semi = strchr(rcpt, ';');

	w->out->bounce = 1;
	/* "rfc822; pat@example.com" */
	if (semi != NULL)
		rcpt = semi + 1;
	while (*rcpt == ' ')
		rcpt++;
	w->out->bounce_recipient = address(w, rcpt);
	w->out->bounce_status = line(w, arena_printf(w->a, "%s%s%s", status,
	    diag[0] != '\0' ? " " : "", diag), 300);
}

/* The Message-ID in a header block, without <>. */
static const char *
header_message_id(struct walk *w, const char *text)
{
	const char *v = field(w, text, "Message-ID");
	size_t n;

	while (*v == ' ' || *v == '<')
		v++;
	n = strcspn(v, "> ");
	return line(w, arena_strndup(w->a, v, n), 998);
}

static void walk(struct walk *w, GMimeObject *obj, int depth, int in_report);

/* An attached message: a forward, or (in a report) the bounced one. */
static void
message_part(struct walk *w, GMimeMessagePart *mp, int in_report)
{
	GMimeMessage *m = g_mime_message_part_get_message(mp);
	GMimeStream *mem;
	GByteArray *ba;
	unsigned char *data;

	if (m == NULL)
		return;
	if (in_report) {
		const char *id = g_mime_message_get_message_id(m);

		w->out->bounce_message_id = line(w, id, 998);
		return;
	}
	/* A forwarded message stays an attachment, exactly as it came. */
	mem = g_mime_stream_mem_new();
	g_mime_object_write_to_stream(GMIME_OBJECT(m), NULL, mem);
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	if ((data = arena_alloc(w->a, ba->len + 1)) == NULL) {
		w->failed = 1;
	} else {
		if (ba->len > 0)
			memcpy(data, ba->data, ba->len);
		attach(w, g_mime_message_get_subject(m) != NULL ?
		    arena_printf(w->a, "%s.eml", g_mime_message_get_subject(m)) : NULL,
		    "message/rfc822", data, ba->len);
	}
	g_object_unref(mem);
}

static void
leaf(struct walk *w, GMimePart *part, int in_report)
{
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
	const char *filename = g_mime_part_get_filename(part);
	int is_attachment = g_mime_part_is_attachment(part) || filename != NULL;
	char *mt = g_mime_content_type_get_mime_type(ct);
	const char *type = address(w, mt != NULL ? mt : "application/octet-stream");
	unsigned char *data;
	size_t len;

	g_free(mt);
	if (GMIME_IS_TEXT_PART(part) && !is_attachment &&
	    g_mime_content_type_is_type(ct, "text", "plain")) {
		if (w->plain == NULL)
			w->plain = text_of(w, part, 0);
		return;
	}
	if (GMIME_IS_TEXT_PART(part) && !is_attachment &&
	    g_mime_content_type_is_type(ct, "text", "html")) {
		if (w->html == NULL)
			w->html = text_of(w, part, 1);
		return;
	}
	data = content(w, part, &len);
	if (data == NULL)
		return;
	if (in_report && (strcmp(type, "message/delivery-status") == 0 ||
	    strcmp(type, "message/global-delivery-status") == 0)) {
		delivery_status(w, mail_text_clean(w->a, (const char *)data, len));
		return;
	}
	if (in_report && (strcmp(type, "text/rfc822-headers") == 0 ||
	    strcmp(type, "message/rfc822-headers") == 0)) {
		w->out->bounce_message_id = header_message_id(w,
		    mail_text_clean(w->a, (const char *)data, len));
		return;
	}
	/* An inline image is kept like any attachment: the text cannot show it. */
	attach(w, filename, type, data, len);
}

/* multipart/alternative: the plain text when there is one, else the richest part. */
static void
alternative(struct walk *w, GMimeMultipart *mp, int depth, int in_report)
{
	int i, n = g_mime_multipart_get_count(mp), pick = n - 1;

	for (i = 0; i < n; i++) {
		GMimeObject *o = g_mime_multipart_get_part(mp, i);

		if (GMIME_IS_TEXT_PART(o) &&
		    g_mime_content_type_is_type(g_mime_object_get_content_type(o), "text", "plain")) {
			pick = i;
			break;
		}
	}
	if (pick >= 0)
		walk(w, g_mime_multipart_get_part(mp, pick), depth + 1, in_report);
}

static void
walk(struct walk *w, GMimeObject *obj, int depth, int in_report)
{
	if (obj == NULL || w->failed)
		return;
	if (depth > DEPTH_MAX) {
		buf_printf(&w->left_out, "%sParts nested deeper than %d levels were left out.",
		    w->left_out.len > 0 ? "\n" : "", DEPTH_MAX);
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeContentType *ct = g_mime_object_get_content_type(obj);
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int i, n = g_mime_multipart_get_count(mp);

		if (g_mime_content_type_is_type(ct, "multipart", "alternative")) {
			alternative(w, mp, depth, in_report);
			return;
		}
		if (g_mime_content_type_is_type(ct, "multipart", "report")) {
			const char *rt = g_mime_content_type_get_parameter(ct, "report-type");

			if (rt != NULL && strncasecmp(rt, "delivery-status", 15) == 0) {
				w->out->bounce = 1;
				in_report = 1;
			}
		}
		for (i = 0; i < n; i++)
			walk(w, g_mime_multipart_get_part(mp, i), depth + 1, in_report);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		message_part(w, GMIME_MESSAGE_PART(obj), in_report);
	} else if (GMIME_IS_PART(obj)) {
		leaf(w, GMIME_PART(obj), in_report);
	}
}

/* Appends the Message-IDs of header name to out->refs, newest first. */
static void
references(struct walk *w, GMimeMessage *m, const char *name)
{
	const char *v = g_mime_object_get_header(GMIME_OBJECT(m), name);
	GMimeReferences *refs;
	int i, n;

	if (v == NULL)
		return;
	if ((refs = g_mime_references_parse(options, v)) == NULL)
		return;
	n = g_mime_references_length(refs);
	for (i = n - 1; i >= 0 && w->out->nrefs < MAIL_REFS_MAX; i--) {
		const char *id = line(w, g_mime_references_get_message_id(refs, i), 998);

		if (id[0] != '\0')
			w->out->refs[w->out->nrefs++] = id;
	}
	g_mime_references_free(refs);
}

/* Adds the mailboxes of list to out->rcpts. */
static void
recipients(struct walk *w, InternetAddressList *list)
{
	int i, n = list != NULL ? internet_address_list_length(list) : 0;

	for (i = 0; i < n && w->out->nrcpts < MAIL_RCPTS_MAX; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			w->out->rcpts[w->out->nrcpts++] = address(w,
			    internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)));
		else if (INTERNET_ADDRESS_IS_GROUP(ia))
			recipients(w, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)));
	}
}

/* A header's value, or "". */
static const char *
header(GMimeMessage *m, const char *name)
{
	const char *v = g_mime_object_get_header(GMIME_OBJECT(m), name);

	return v != NULL ? v : "";
}

/* The headers: who, to whom, what it answers, and whether a machine wrote it. */
static void
headers(struct walk *w, GMimeMessage *m)
{
	struct mail_parsed *o = w->out;
	InternetAddressList *from = g_mime_message_get_from(m), *all;
	const char *auto_sub = header(m, "Auto-Submitted"), *prec = header(m, "Precedence");
	const char *delivered = header(m, "Delivered-To");

	o->message_id = line(w, g_mime_message_get_message_id(m), 998);
	references(w, m, "In-Reply-To");
	references(w, m, "References");
	o->subject = line(w, g_mime_message_get_subject(m), 300);
	if (from != NULL && internet_address_list_length(from) > 0) {
		InternetAddress *ia = internet_address_list_get_address(from, 0);

		if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			o->from_addr = address(w,
			    internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)));
		o->from_name = line(w, internet_address_get_name(ia), 200);
	}
	all = g_mime_message_get_all_recipients(m);
	recipients(w, all);
	if (all != NULL)
		g_object_unref(all);
	if (delivered[0] != '\0' && o->nrcpts < MAIL_RCPTS_MAX)
		o->rcpts[o->nrcpts++] = address(w, delivered);
	while (*auto_sub == ' ')
		auto_sub++;
	while (*prec == ' ')
		prec++;
	o->automatic = (auto_sub[0] != '\0' && strncasecmp(auto_sub, "no", 2) != 0) ||
	    strncasecmp(prec, "bulk", 4) == 0 || strncasecmp(prec, "junk", 4) == 0 ||
	    strncasecmp(prec, "list", 4) == 0 || header(m, "X-Autoreply")[0] != '\0' ||
	    header(m, "X-Autorespond")[0] != '\0' ||
	    strstr(header(m, "Return-Path"), "<>") != NULL;
	o->list = header(m, "List-Id")[0] != '\0' || header(m, "List-Unsubscribe")[0] != '\0' ||
	    header(m, "List-Post")[0] != '\0';
}

enum cs_result
mail_parse(struct arena *a, const unsigned char *raw, size_t len, const struct mail_limits *lim,
    struct mail_parsed *out)
{
	struct walk w = { .a = a, .lim = lim, .out = out };
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *m;

	mail_parse_init();
	memset(out, 0, sizeof(*out));
	out->message_id = out->from_addr = out->from_name = out->subject = out->text = "";
	out->bounce_message_id = out->bounce_recipient = out->bounce_status = "";
	out->refs = arena_calloc(a, MAIL_REFS_MAX, sizeof(*out->refs));
	out->rcpts = arena_calloc(a, MAIL_RCPTS_MAX, sizeof(*out->rcpts));
	out->files = arena_calloc(a, MAIL_FILES_MAX, sizeof(*out->files));
	if (out->refs == NULL || out->rcpts == NULL || out->files == NULL)
		return CS_FAILED;
	buf_init(&w.left_out, a);
	stream = g_mime_stream_mem_new_with_buffer((const char *)raw, len);
	parser = g_mime_parser_new_with_stream(stream);
	g_object_unref(stream);
	m = g_mime_parser_construct_message(parser, options);
	g_object_unref(parser);
	if (m != NULL) {
		headers(&w, m);
		walk(&w, g_mime_message_get_mime_part(m), 0, 0);
		g_object_unref(m);
	}
	if (w.plain != NULL && w.plain[0] != '\0')
		out->text = w.plain;
	else if (w.html != NULL)
		out->text = w.html;
	else if (m == NULL && (out->text = mail_text_clean(a, (const char *)raw,
	    len < MAIL_TEXT_BYTES_MAX ? len : MAIL_TEXT_BYTES_MAX)) == NULL)
		return CS_FAILED;
	out->left_out = w.left_out.buf;
	return w.failed || buf_failed(&w.left_out) ? CS_FAILED : CS_OK;
}
