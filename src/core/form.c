/*
 * form.c — see form.h. The urlencoded parser, percent-coding, lookups and
 * the checks every parser shares (multipart.c uses them too).
 */
#include "core/form.h"
#include "core/arena.h"
#include "core/buf.h"

#include <stdint.h>
#include <string.h>

const struct form_limits form_default_limits = {
	.max_fields = 256,
	.max_field_size = 64 * 1024,
	.max_name_size = 128,
	.max_file_size = 10 * 1024 * 1024,
	.max_files = 20,
};

/* Indexed by -err; the enum counts down from FORM_OK. */
static const char *const form_err_text[] = {
	"ok",
	"malformed form data",
	"form data too large",
	"out of memory",
};
_Static_assert(sizeof(form_err_text) / sizeof(form_err_text[0]) == 1 - FORM_NOMEM,
    "form_err_text needs one entry per enum form_err");

/* A short English reason for e; never NULL, even for a value out of range. */
const char *
form_strerror(enum form_err e)
{
	int i = -(int)e;

	if (i < 0 || (size_t)i >= sizeof(form_err_text) / sizeof(form_err_text[0]))
		return "unknown form error";
	return form_err_text[i];
}

/* An empty form; the arrays are allocated by the first field or file. */
void
form_init(struct form *f)
{
	memset(f, 0, sizeof(*f));
}

/*
 * Returns non-zero when the bytes are valid UTF-8 free of control
 * characters. The lead byte fixes how many continuation bytes follow and
 * the range of the first of them, which is where overlong forms, UTF-16
 * surrogates and code points past U+10FFFF are told apart.
 */
int
form_text_valid(const char *s, size_t len, int allow_ws)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + len;
	unsigned char c, lo, hi;
	size_t n, i;

	while (p < end) {
		c = *p;
		if (c < 0x80) {
			if ((c < 0x20 || c == 0x7f) &&
			    !(allow_ws && (c == '\t' || c == '\r' || c == '\n')))
				return 0;
			p++;
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			if (c == 0xe0)
				lo = 0xa0;	/* below: overlong */
			else if (c == 0xed)
				hi = 0x9f;	/* above: surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			if (c == 0xf0)
				lo = 0x90;	/* below: overlong */
			else if (c == 0xf4)
				hi = 0x8f;	/* above: past U+10FFFF */
		} else {
			return 0;	/* continuation byte, C0/C1 overlong, F5..FF */
		}
		if ((size_t)(end - p) <= n)
			return 0;
		if (p[1] < lo || p[1] > hi)
			return 0;
		for (i = 2; i <= n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		/* C1 controls, U+0080..U+009F, are C2 80..C2 9F. */
		if (c == 0xc2 && p[1] < 0xa0)
			return 0;
		p += n + 1;
	}
	return 1;
}

/* Field names are looked up with strcmp, so they must be plain text. */
enum form_err
form_check_name(const struct form_limits *lim, const char *name, size_t len)
{
	if (len == 0)
		return FORM_BAD;
	if (len > lim->max_name_size)
		return FORM_TOO_BIG;
	if (!form_text_valid(name, len, 0))
		return FORM_BAD;
	return FORM_OK;
}

/*
 * Doubles an arena array of *cap elements of size bytes. Returns the new
 * array (the old one stays valid, as arena memory is only freed at once),
 * or NULL when out of memory or the size would overflow.
 */
static void *
form_grow(struct arena *a, void *arr, size_t *cap, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 8;
	void *p;

	if (ncap < *cap || ncap > SIZE_MAX / size)
		return NULL;
	p = arena_realloc(a, arr, *cap * size, ncap * size);
	if (p != NULL)
		*cap = ncap;
	return p;
}

/* Appends a checked field; the strings already live in the arena. */
enum form_err
form_add_field(struct arena *a, struct form *f, const struct form_limits *lim,
    const char *name, size_t name_len, const char *value, size_t value_len)
{
	struct form_field *fl;
	enum form_err e;

	e = form_check_name(lim, name, name_len);
	if (e != FORM_OK)
		return e;
	if (value_len > lim->max_field_size)
		return FORM_TOO_BIG;
	if (!form_text_valid(value, value_len, 1))
		return FORM_BAD;
	if (f->nfields + f->nfiles >= lim->max_fields)
		return FORM_TOO_BIG;
	if (f->nfields == f->capfields) {
		fl = form_grow(a, f->fields, &f->capfields, sizeof(*fl));
		if (fl == NULL)
			return FORM_NOMEM;
		f->fields = fl;
	}
	fl = &f->fields[f->nfields++];
	fl->name = name;
	fl->value = value;
	fl->value_len = value_len;
	return FORM_OK;
}

/* Appends a checked file; its data stays where the caller's body is. */
enum form_err
form_add_file(struct arena *a, struct form *f, const struct form_limits *lim,
    const struct form_file *file)
{
	struct form_file *fi;
	enum form_err e;

	e = form_check_name(lim, file->field, strlen(file->field));
	if (e != FORM_OK)
		return e;
	if (file->len > lim->max_file_size)
		return FORM_TOO_BIG;
	if (f->nfiles >= lim->max_files || f->nfields + f->nfiles >= lim->max_fields)
		return FORM_TOO_BIG;
	if (f->nfiles == f->capfiles) {
		fi = form_grow(a, f->files, &f->capfiles, sizeof(*fi));
		if (fi == NULL)
			return FORM_NOMEM;
		f->files = fi;
	}
	f->files[f->nfiles++] = *file;
	return FORM_OK;
}

/* The value of one hex digit, or -1. */
static int
form_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes s[0..len) into out, which has room for cap bytes plus the NUL.
 * Stopping at cap bounds the memory a huge value can make us use; the
 * result is FORM_TOO_BIG then, FORM_BAD for a bad escape.
 */
static enum form_err
form_unescape(const char *s, size_t len, int plus_space, char *out, size_t cap,
    size_t *outlen)
{
	size_t i, n = 0;
	int c, hi, lo;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '%') {
			if (len - i < 3)
				return FORM_BAD;
			hi = form_hexval((unsigned char)s[i + 1]);
			lo = form_hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return FORM_BAD;
			c = hi << 4 | lo;
			i += 2;
		} else if (c == '+' && plus_space) {
			c = ' ';
		}
		if (n == cap)
			return FORM_TOO_BIG;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	*outlen = n;
	return FORM_OK;
}

/*
 * Decodes one urlencoded name or value into a new arena string of at most
 * max bytes: the allocation never exceeds the limit, whatever the input.
 */
static enum form_err
form_decode(struct arena *a, const char *s, size_t len, size_t max, char **out,
    size_t *outlen)
{
	size_t cap = len < max ? len : max;

	if (cap == SIZE_MAX)
		return FORM_TOO_BIG;
	*out = arena_alloc(a, cap + 1);
	if (*out == NULL)
		return FORM_NOMEM;
	return form_unescape(s, len, 1, *out, cap, outlen);
}

/* See form.h; on failure the fields appended so far are taken back. */
enum form_err
form_parse_urlencoded(struct arena *a, const char *data, size_t len,
    const struct form_limits *lim, struct form *f)
{
	size_t nfields = f->nfields;
	const char *p, *end, *amp, *piece_end, *eq, *name_end, *val;
	char *name, *value;
	size_t name_len, value_len;
	enum form_err e = FORM_OK;

	if (len == 0)
		return FORM_OK;
	p = data;
	end = data + len;
	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		piece_end = amp != NULL ? amp : end;
		eq = memchr(p, '=', (size_t)(piece_end - p));
		name_end = eq != NULL ? eq : piece_end;
		val = eq != NULL ? eq + 1 : piece_end;
		if (name_end > p) {
			e = form_decode(a, p, (size_t)(name_end - p), lim->max_name_size,
			    &name, &name_len);
			if (e != FORM_OK)
				goto out;
			e = form_decode(a, val, (size_t)(piece_end - val), lim->max_field_size,
			    &value, &value_len);
			if (e != FORM_OK)
				goto out;
			e = form_add_field(a, f, lim, name, name_len, value, value_len);
			if (e != FORM_OK)
				goto out;
		}
		p = amp != NULL ? amp + 1 : end;
	}
out:
	if (e != FORM_OK)
		f->nfields = nfields;
	return e;
}

/* The first field called name: a linear scan, as forms are small. */
const char *
form_getn(const struct form *f, const char *name, size_t *len)
{
	size_t i;

	for (i = 0; i < f->nfields; i++) {
		if (strcmp(f->fields[i].name, name) == 0) {
			if (len != NULL)
				*len = f->fields[i].value_len;
			return f->fields[i].value;
		}
	}
	return NULL;
}

/* The first value of field name, or NULL. */
const char *
form_get(const struct form *f, const char *name)
{
	return form_getn(f, name, NULL);
}

/* The first file uploaded under field name, or NULL. */
const struct form_file *
form_file(const struct form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nfiles; i++)
		if (strcmp(f->files[i].field, name) == 0)
			return &f->files[i];
	return NULL;
}

/*
 * Decodes into a fresh arena string. Checks the escapes before allocating
 * so that a bad escape is reported as such even when memory is short.
 */
char *
url_decode(struct arena *a, const char *s, size_t len, int plus_space, size_t *outlen)
{
	char *out;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] != '%')
			continue;
		if (len - i < 3 || form_hexval((unsigned char)s[i + 1]) < 0 ||
		    form_hexval((unsigned char)s[i + 2]) < 0) {
			*outlen = (size_t)-1;
			return NULL;
		}
		i += 2;
	}
	*outlen = 0;
	if (len == SIZE_MAX)
		return NULL;
	out = arena_alloc(a, len + 1);
	if (out == NULL)
		return NULL;
	/* Cannot fail now: escapes are good and len bytes always suffice. */
	(void)form_unescape(s, len, plus_space, out, len, outlen);
	return out;
}

/* The RFC 3986 unreserved set, the only bytes that never need escaping. */
static int
form_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

/* Appends s percent-encoded; runs of plain bytes go in one append. */
void
url_encode(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p;
	char esc[3];

	for (; *p != '\0'; p++) {
		if (form_unreserved(*p))
			continue;
		buf_add(out, run, (size_t)(p - run));
		esc[0] = '%';
		esc[1] = hex[*p >> 4];
		esc[2] = hex[*p & 0x0f];
		buf_add(out, esc, sizeof(esc));
		run = p + 1;
	}
	buf_add(out, run, (size_t)(p - run));
}
