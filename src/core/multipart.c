/*
 * multipart.c — multipart/form-data bodies (RFC 7578 on RFC 2046 §5.1).
 *
 * One pass over the body: each search for the next delimiter starts where
 * the previous one ended, so the work is linear in the body whatever it
 * holds. Part headers are read only within a fixed window, and nothing in
 * a part is copied but its field name, filename, Content-Type and (for
 * fields) its value; file data stays in the body.
 */
#include "core/form.h"
#include "core/arena.h"

#include <string.h>

#define MP_BOUNDARY_MAX	70	/* RFC 2046 */
#define MP_HEADER_BYTES	8192	/* one part's header block, blank line included */
#define MP_HEADERS_MAX	8	/* browsers send two */

static const char mp_octet_stream[] = "application/octet-stream";

/* What the headers of one part said. */
struct mp_part {
	char *name;		/* NULL until Content-Disposition names it */
	size_t name_len;
	char *filename;		/* NULL: not a file */
	char *content_type;	/* NULL: not sent */
	int has_disposition;
};

/* One parameter of a header value, as it appears in the input. */
struct mp_param {
	const char *name;
	size_t name_len;
	const char *value;	/* without the quotes, escapes still in place */
	size_t value_len;
	int quoted;
};

static int
mp_is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 7230 tchar: what header names, parameter names and types are made of. */
static int
mp_is_tchar(unsigned char c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 2046 bchars, less the space (which may not end a boundary anyway). */
static int
mp_is_bchar(unsigned char c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

/*
 * Compares s[0..n) with a lower-case literal, ignoring ASCII case. Not
 * strncasecmp: that one follows the locale, and s need not be a string.
 */
static int
mp_ieq(const char *s, size_t n, const char *lit)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (lit[i] == '\0' || c != (unsigned char)lit[i])
			return 0;
	}
	return lit[n] == '\0';
}

static const char *
mp_skip_ows(const char *p, const char *end)
{
	while (p < end && mp_is_ows(*p))
		p++;
	return p;
}

/*
 * Reads the next "; name=value" of a header value from *pp up to end.
 * Returns 1 with *prm filled and *pp moved past it, 0 when only blanks
 * (or a last ';') are left, -1 when malformed. Inside quotes a backslash
 * escapes only '"' and '\\'; any other backslash is kept, as old browsers
 * send Windows paths with bare backslashes.
 */
static int
mp_next_param(const char **pp, const char *end, struct mp_param *prm)
{
	const char *p = mp_skip_ows(*pp, end);

	if (p == end)
		return 0;
	if (*p != ';')
		return -1;
	p = mp_skip_ows(p + 1, end);
	if (p == end) {
		*pp = p;
		return 0;
	}
	prm->name = p;
	while (p < end && mp_is_tchar((unsigned char)*p))
		p++;
	prm->name_len = (size_t)(p - prm->name);
	if (prm->name_len == 0 || p == end || *p != '=')
		return -1;
	p++;
	if (p < end && *p == '"') {
		prm->quoted = 1;
		prm->value = ++p;
		for (;;) {
			if (p == end)
				return -1;
			if (*p == '"')
				break;
			if (*p == '\\' && end - p >= 2 && (p[1] == '"' || p[1] == '\\'))
				p += 2;
			else
				p++;
		}
		prm->value_len = (size_t)(p - prm->value);
		p++;
	} else {
		prm->quoted = 0;
		prm->value = p;
		while (p < end && *p != ';' && !mp_is_ows(*p) && *p != '"' &&
		    (unsigned char)*p > 0x20 && *p != 0x7f)
			p++;
		prm->value_len = (size_t)(p - prm->value);
	}
	*pp = p;
	return 1;
}

/* Writes a parameter's value with its escapes undone; returns the length. */
static size_t
mp_unquote(const struct mp_param *prm, char *out)
{
	const char *p = prm->value, *end = prm->value + prm->value_len;
	size_t n = 0;

	while (p < end) {
		if (prm->quoted && *p == '\\' && end - p >= 2 && (p[1] == '"' || p[1] == '\\'))
			p++;
		out[n++] = *p++;
	}
	out[n] = '\0';
	return n;
}

/* A parameter's value as a new arena string, or NULL out of memory. */
static char *
mp_param_dup(struct arena *a, const struct mp_param *prm, size_t *len)
{
	char *s = arena_alloc(a, prm->value_len + 1);

	if (s != NULL)
		*len = mp_unquote(prm, s);
	return s;
}

/*
 * Finds the boundary in a Content-Type value and writes it to out, which
 * has room for MP_BOUNDARY_MAX bytes. Returns its length, or 0 when the
 * type is not multipart/form-data or the boundary is missing, repeated or
 * not one RFC 2046 allows.
 */
static size_t
mp_boundary(const char *ct, char *out)
{
	char tmp[MP_BOUNDARY_MAX + 1];
	const char *p, *end, *type;
	struct mp_param prm;
	size_t n = 0, i;
	int r, seen = 0;

	for (p = ct; *p != '\0'; p++)
		if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f)
			return 0;
	end = p;
	p = mp_skip_ows(ct, end);
	type = p;
	while (p < end && (mp_is_tchar((unsigned char)*p) || *p == '/'))
		p++;
	if (!mp_ieq(type, (size_t)(p - type), "multipart/form-data"))
		return 0;
	while ((r = mp_next_param(&p, end, &prm)) == 1) {
		if (!mp_ieq(prm.name, prm.name_len, "boundary"))
			continue;
		/* Escapes only shorten it, so the raw length bounds tmp. */
		if (seen++ || prm.value_len > MP_BOUNDARY_MAX)
			return 0;
		n = mp_unquote(&prm, tmp);
		memcpy(out, tmp, n);
	}
	if (r < 0 || n == 0 || out[n - 1] == ' ')
		return 0;
	for (i = 0; i < n; i++)
		if (!mp_is_bchar((unsigned char)out[i]))
			return 0;
	return n;
}

/*
 * Keeps the last component of a path a browser may send as the filename,
 * so that nothing later mistakes it for a path of ours.
 */
static void
mp_strip_path(char *name, size_t *len)
{
	size_t i, start = 0;

	for (i = 0; i < *len; i++)
		if (name[i] == '/' || name[i] == '\\')
			start = i + 1;
	memmove(name, name + start, *len - start + 1);
	*len -= start;
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		name[0] = '\0';
		*len = 0;
	}
}

/* Reads "form-data; name=...; filename=..." into part. */
static enum form_err
mp_disposition(struct arena *a, const char *v, size_t vlen, struct mp_part *part)
{
	const char *p = v, *end = v + vlen;
	struct mp_param prm;
	size_t len;
	int r;

	while (p < end && mp_is_tchar((unsigned char)*p))
		p++;
	if (!mp_ieq(v, (size_t)(p - v), "form-data"))
		return FORM_BAD;
	while ((r = mp_next_param(&p, end, &prm)) == 1) {
		if (mp_ieq(prm.name, prm.name_len, "name")) {
			if (part->name != NULL)
				return FORM_BAD;
			part->name = mp_param_dup(a, &prm, &part->name_len);
			if (part->name == NULL)
				return FORM_NOMEM;
		} else if (mp_ieq(prm.name, prm.name_len, "filename")) {
			if (part->filename != NULL)
				return FORM_BAD;
			part->filename = mp_param_dup(a, &prm, &len);
			if (part->filename == NULL)
				return FORM_NOMEM;
			mp_strip_path(part->filename, &len);
			if (!form_text_valid(part->filename, len, 0))
				return FORM_BAD;
		}
	}
	if (r < 0 || part->name == NULL || part->name_len == 0)
		return FORM_BAD;
	return FORM_OK;
}

/* Reads one header line (CRLF removed) into part; others are ignored. */
static enum form_err
mp_header(struct arena *a, const char *line, size_t len, struct mp_part *part)
{
	const char *colon, *v, *end = line + len;
	size_t i, name_len;

	colon = memchr(line, ':', len);
	if (colon == NULL || colon == line)
		return FORM_BAD;
	name_len = (size_t)(colon - line);
	for (i = 0; i < name_len; i++)
		if (!mp_is_tchar((unsigned char)line[i]))
			return FORM_BAD;
	v = mp_skip_ows(colon + 1, end);
	while (end > v && mp_is_ows(end[-1]))
		end--;
	for (i = 0; v + i < end; i++)
		if (((unsigned char)v[i] < 0x20 && v[i] != '\t') || v[i] == 0x7f)
			return FORM_BAD;
	if (mp_ieq(line, name_len, "content-disposition")) {
		if (part->has_disposition)
			return FORM_BAD;
		part->has_disposition = 1;
		return mp_disposition(a, v, (size_t)(end - v), part);
	}
	if (mp_ieq(line, name_len, "content-type")) {
		if (part->content_type != NULL || !form_text_valid(v, (size_t)(end - v), 0))
			return FORM_BAD;
		part->content_type = arena_strndup(a, v, (size_t)(end - v));
		if (part->content_type == NULL)
			return FORM_NOMEM;
	}
	return FORM_OK;
}

/*
 * Reads a part's header block starting at *pos, up to and including the
 * empty line, never looking further than MP_HEADER_BYTES ahead. Moves *pos
 * to the first byte of the content.
 */
static enum form_err
mp_headers(struct arena *a, const char *body, size_t len, size_t *pos,
    struct mp_part *part)
{
	size_t at = *pos, used, room, llen, nheaders = 0;
	const char *line, *nl;
	enum form_err e;

	memset(part, 0, sizeof(*part));
	for (;;) {
		used = at - *pos;
		room = len - at;
		if (room > MP_HEADER_BYTES - used)
			room = MP_HEADER_BYTES - used;
		line = body + at;
		nl = memchr(line, '\n', room);
		if (nl == NULL)
			return FORM_BAD;	/* truncated, or headers too long */
		llen = (size_t)(nl - line);
		if (llen == 0 || line[llen - 1] != '\r')
			return FORM_BAD;
		llen--;
		at += llen + 2;
		if (llen == 0)
			break;
		if (++nheaders > MP_HEADERS_MAX)
			return FORM_BAD;
		e = mp_header(a, line, llen, part);
		if (e != FORM_OK)
			return e;
	}
	if (!part->has_disposition)
		return FORM_BAD;
	*pos = at;
	return FORM_OK;
}

/* Adds a part's content to f as a file or a field, as its headers said. */
static enum form_err
mp_store(struct arena *a, struct form *f, const struct form_limits *lim,
    const struct mp_part *part, const char *data, size_t len)
{
	struct form_file file;
	enum form_err e;
	char *value;

	if (part->filename != NULL) {
		e = form_check_name(lim, part->name, part->name_len);
		if (e != FORM_OK)
			return e;
		if (part->filename[0] == '\0' && len == 0)
			return FORM_OK;	/* a file input left empty */
		file.field = part->name;
		file.filename = part->filename;
		file.content_type = part->content_type != NULL && part->content_type[0] != '\0' ?
		    part->content_type : mp_octet_stream;
		file.data = (const unsigned char *)data;
		file.len = len;
		return form_add_file(a, f, lim, &file);
	}
	/* Check the size before copying, so a huge part costs no memory. */
	if (len > lim->max_field_size)
		return FORM_TOO_BIG;
	value = arena_strndup(a, data, len);
	if (value == NULL)
		return FORM_NOMEM;
	return form_add_field(a, f, lim, part->name, part->name_len, value, len);
}

/* See form.h; on failure the fields and files appended so far are taken back. */
enum form_err
form_parse_multipart(struct arena *a, const char *content_type, const char *body,
    size_t len, const struct form_limits *lim, struct form *f)
{
	char delim[4 + MP_BOUNDARY_MAX] = "\r\n--";
	size_t nfields = f->nfields, nfiles = f->nfiles;
	size_t dlen, pos;
	const char *d;
	struct mp_part part;
	enum form_err e = FORM_BAD;

	if (content_type == NULL)
		goto out;
	dlen = mp_boundary(content_type, delim + 4);
	if (dlen == 0)
		goto out;
	dlen += 4;
	if (len == 0)
		goto out;

	/* Without a preamble the first delimiter has no CRLF before it. */
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
		pos = dlen - 2;
	} else {
		d = memmem(body, len, delim, dlen);
		if (d == NULL)
			goto out;
		pos = (size_t)(d - body) + dlen;
	}
	for (;;) {
		/* Just past a delimiter: "--" closes, else padding and CRLF. */
		if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
			break;
		while (pos < len && mp_is_ows(body[pos]))
			pos++;
		if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n') {
			e = FORM_BAD;
			goto out;
		}
		pos += 2;
		e = mp_headers(a, body, len, &pos, &part);
		if (e != FORM_OK)
			goto out;
		d = memmem(body + pos, len - pos, delim, dlen);
		if (d == NULL) {
			e = FORM_BAD;
			goto out;
		}
		e = mp_store(a, f, lim, &part, body + pos, (size_t)(d - body) - pos);
		if (e != FORM_OK)
			goto out;
		pos = (size_t)(d - body) + dlen;
	}
	e = FORM_OK;
out:
	if (e != FORM_OK) {
		f->nfields = nfields;
		f->nfiles = nfiles;
	}
	return e;
}
