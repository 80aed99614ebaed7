/* notify.c — see notify.h. */
#include "domain/notify.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/ticket_notify.h"
#include "tmpl/tmpl.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

enum stmt {
	ST_ENQUEUE,
	ST_ENQUEUE_FILE,
	ST__MAX
};

/*
 * No RETURNING on the INSERT: the portal's role may insert into the outbox
 * but not read it.
 */
static struct db_stmt stmts[] = {
	/* A kind the customer may turn off ($8: its token) is not queued to an
	 * address that did turn it off. */
	[ST_ENQUEUE] = DB_STMT("notify_enqueue",
	    "INSERT INTO notifications (kind, recipient, subject, body_text, body_html,"
	    " ticket_id, automatic, unsubscribe_token, unsubscribe_url)"
	    " SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9"
	    " WHERE $8::text IS NULL OR NOT mail_opted_out($2, $1)", 9),
	/* The same message and its file in one statement ($10 name, $11 type,
	 * $12 bytes): no file is kept for a message not queued. */
	[ST_ENQUEUE_FILE] = DB_STMT("notify_enqueue_file",
	    "WITH n AS (INSERT INTO notifications (kind, recipient, subject, body_text, body_html,"
	    " ticket_id, automatic, unsubscribe_token, unsubscribe_url)"
	    " SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9"
	    " WHERE $8::text IS NULL OR NOT mail_opted_out($2, $1) RETURNING id)"
	    " INSERT INTO notification_files (notification_id, filename, content_type, data)"
	    " SELECT id, $10, $11, $12::bytea FROM n", 12),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* Longest kind or template name. */
#define TAG_MAX 64

/* A kind or template name: a lower-case letter, then [a-z0-9_]. */
static int
tag_ok(const char *s)
{
	size_t i;

	if (s == NULL || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		char c = s[i];

		if (i >= TAG_MAX ||
		    !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

/* RFC 5322 atext: what a local part may hold besides dots. */
static int
atext(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

int
notify_address_ok(const char *addr)
{
	const char *at, *p;
	size_t len;

	if (addr == NULL)
		return 0;
	len = strlen(addr);
	at = strchr(addr, '@');
	if (len < 3 || len > NOTIFY_ADDRESS_MAX || at == NULL || at == addr || at[1] == '\0' ||
	    at - addr > 64 || strchr(at + 1, '@') != NULL)
		return 0;
	/* Local part: dot-atom, no leading, trailing or doubled dot. */
	if (addr[0] == '.' || at[-1] == '.')
		return 0;
	for (p = addr; p < at; p++)
		if (!(atext(*p) || (*p == '.' && p[1] != '.')))
			return 0;
	/* Domain: letters, digits, hyphens, dots between labels. */
	if (at[1] == '.' || at[1] == '-' || addr[len - 1] == '.' || addr[len - 1] == '-')
		return 0;
	for (p = at + 1; *p != '\0'; p++) {
		char c = *p;

		if (c == '.' && (p[1] == '.' || p[-1] == '-' || p[1] == '-'))
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.'))
			return 0;
	}
	return 1;
}

/*
 * Makes s[0..len) one line: every control character (CR and LF above all)
 * becomes a space, runs of spaces shrink to one, the ends are trimmed, and
 * at most NOTIFY_SUBJECT_MAX characters are kept (cut at a character
 * boundary). Returns the new string in a, or NULL when out of memory.
 */
static char *
one_line(struct arena *a, const char *s, size_t len)
{
	char *out = arena_alloc(a, len + 1);
	size_t i, n = 0, chars = 0;
	int space = 0;

	if (out == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == ' ') {
			space = n > 0;
			continue;
		}
		/* A UTF-8 lead byte (or ASCII) starts a new character. */
		if ((c & 0xc0) != 0x80) {
			if (chars + space >= NOTIFY_SUBJECT_MAX)
				break;
			chars += (size_t)space + 1;
		}
		if (space)
			out[n++] = ' ';
		space = 0;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return out;
}

/*
 * Undoes, in place, the HTML escaping the engine gave every {{value}}
 * (exactly its five entities), for the plain-text parts: a name such as
 * "O'Brien & Co" must read the same in a subject as it was typed.
 * Returns the new length. Cannot fail.
 */
size_t
notify_unescape(char *s, size_t len)
{
	static const struct {
		const char *entity;
		size_t len;
		char c;
	} map[] = {
		{ "&amp;", 5, '&' }, { "&lt;", 4, '<' }, { "&gt;", 4, '>' },
		{ "&quot;", 6, '"' }, { "&#39;", 5, '\'' },
	};
	size_t i = 0, n = 0, k;

	while (i < len) {
		char c = s[i++];

		if (c == '&')
			for (k = 0; k < sizeof(map) / sizeof(map[0]); k++)
				if (len - (i - 1) >= map[k].len &&
				    memcmp(s + i - 1, map[k].entity, map[k].len) == 0) {
					c = map[k].c;
					i += map[k].len - 1;
					break;
				}
		s[n++] = c;
	}
	s[n] = '\0';
	return n;
}

/*
 * Renders email/<name>/<part> into a (as plain text when plain is set);
 * NULL when it fails.
 */
static char *
render(const struct tmpl_set *set, struct arena *a, const char *name, const char *part,
    int plain, const struct tval *ctx, size_t *len)
{
	char tname[TAG_MAX + 32];
	struct buf b;

	snprintf(tname, sizeof(tname), "email/%s/%s", name, part);
	buf_init(&b, a);
	if (tmpl_render(set, tname, ctx, &b) < 0 || buf_failed(&b)) {
		log_error("notify: template %s did not render", tname);
		return NULL;
	}
	/* An empty buffer points at a shared "": nothing to undo, nor to write. */
	if (plain && b.len > 0)
		b.len = notify_unescape(b.buf, b.len);
	if (len != NULL)
		*len = b.len;
	return b.buf;
}

/*
 * The mail a customer may turn off with one click (RFC 8058): bulk mail,
 * not what answers their own request.
 */
static const char *const optional_kinds[] = { "survey_invitation", NULL };

int
notify_kind_optional(const char *kind)
{
	size_t i;

	for (i = 0; kind != NULL && optional_kinds[i] != NULL; i++)
		if (strcmp(optional_kinds[i], kind) == 0)
			return 1;
	return 0;
}

/*
 * For an optional kind: a new unsubscribe token and its address (the
 * portal's /unsubscribe/<token> on the programs' base URL) into p[0], p[1];
 * both NULL otherwise. CS_OK or CS_FAILED (out of memory).
 */
static enum cs_result
unsubscribe_params(struct arena *a, const char *kind, const char **p)
{
	const struct tmpl_set *set;
	const char *site, *base;
	unsigned char raw[16];
	char *hex;

	p[0] = p[1] = NULL;
	if (!notify_kind_optional(kind))
		return CS_OK;
	if ((hex = arena_alloc(a, 2 * sizeof(raw) + 1)) == NULL)
		return CS_FAILED;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, 2 * sizeof(raw) + 1, raw, sizeof(raw));
	ticket_notify_env(&set, &site, &base);
	p[0] = hex;
	p[1] = arena_printf(a, "%s/unsubscribe/%s", base != NULL ? base : "", hex);
	return p[1] == NULL ? CS_FAILED : CS_OK;
}

enum cs_result
notify_enqueue(struct db *db, const struct tmpl_set *set, struct arena *a, const char *kind,
    const char *recipient, const char *name, const struct tval *ctx)
{
	return notify_enqueue_ticket(db, set, a, kind, recipient, name, ctx, 0, 1);
}

/* A file name and type the MIME headers can carry as they are (the columns' CHECKs). */
static int
file_ok(const struct notify_file *f)
{
	size_t n = f->name != NULL ? strlen(f->name) : 0, slash;

	if (n == 0 || n > 100 || strspn(f->name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-") != n || f->type == NULL || f->len > NOTIFY_FILE_MAX)
		return 0;
	slash = strspn(f->type, "abcdefghijklmnopqrstuvwxyz");
	return slash > 0 && f->type[slash] == '/' && f->type[slash + 1] != '\0' &&
	    strspn(f->type + slash + 1, "abcdefghijklmnopqrstuvwxyz0123456789.+-") ==
	    strlen(f->type + slash + 1);
}

/* The message, and its file when there is one, in the caller's transaction. */
static enum cs_result
enqueue(struct db *db, const struct tmpl_set *set, struct arena *a, const char *kind,
    const char *recipient, const char *name, const struct tval *ctx, long long ticket_id,
    int automatic, const struct notify_file *file)
{
	const char *text, *html = NULL, *params[12];
	int lengths[12] = { 0 }, formats[12] = { 0 };
	PGresult *r;
	char tid[24];
	char tname[TAG_MAX + 32];
	char *raw_subject, *subject;
	size_t subject_len;

	if (!tag_ok(kind) || !tag_ok(name))
		return log_failed("notify: bad kind or template name");
	if (!notify_address_ok(recipient))
		return log_failed("notify: %s: the recipient is not a usable address", kind);
	if (file != NULL && !file_ok(file))
		return log_failed("notify: %s: the attached file's name, type or size", kind);
	raw_subject = render(set, a, name, "subject", 1, ctx, &subject_len);
	text = render(set, a, name, "text", 1, ctx, NULL);
	if (raw_subject == NULL || text == NULL)
		return CS_FAILED;
	snprintf(tname, sizeof(tname), "email/%s/html", name);
	if (tmpl_exists(set, tname) && (html = render(set, a, name, "html", 0, ctx, NULL)) == NULL)
		return CS_FAILED;
	subject = one_line(a, raw_subject, subject_len);
	if (subject == NULL)
		return log_failed("notify: %s: out of memory", kind);
	if (subject[0] == '\0')
		return log_failed("notify: %s: the subject is empty", kind);
	params[0] = kind;
	params[1] = recipient;
	params[2] = subject;
	params[3] = text;
	params[4] = html;
	snprintf(tid, sizeof(tid), "%lld", ticket_id);
	params[5] = ticket_id > 0 ? tid : NULL;
	params[6] = automatic ? "true" : "false";
	if (unsubscribe_params(a, kind, params + 7) != CS_OK)
		return log_failed("notify: %s: out of memory", kind);
	if (file == NULL)
		return db_do(db, &stmts[ST_ENQUEUE], params);
	params[9] = file->name;
	params[10] = file->type;
	/* The bytes go as a binary parameter: no escaping, no text form. */
	params[11] = file->len > 0 ? (const char *)file->data : "";
	lengths[11] = (int)file->len;
	formats[11] = 1;
	if ((r = db_exec_bin(db, &stmts[ST_ENQUEUE_FILE], params, lengths, formats)) == NULL)
		return db_result(db);
	PQclear(r);
	return CS_OK;
}

enum cs_result
notify_enqueue_ticket(struct db *db, const struct tmpl_set *set, struct arena *a,
    const char *kind, const char *recipient, const char *name, const struct tval *ctx,
    long long ticket_id, int automatic)
{
	return enqueue(db, set, a, kind, recipient, name, ctx, ticket_id, automatic, NULL);
}

enum cs_result
notify_enqueue_file(struct db *db, const struct tmpl_set *set, struct arena *a,
    const char *kind, const char *recipient, const char *name, const struct tval *ctx,
    const struct notify_file *file)
{
	return enqueue(db, set, a, kind, recipient, name, ctx, 0, 1, file);
}
