/*
 * form.h — parsers for what a browser sends: query strings and urlencoded
 * bodies, multipart/form-data bodies with file parts, and Cookie headers.
 *
 * All three are fed untrusted bytes and have fuzz targets under tests/fuzz/.
 * They never read past the input, never trust a length they did not count,
 * and allocate only from the arena they are given. Results point into the
 * arena (file data excepted: it points into the body given); names and
 * values are NUL-terminated. Field names and values never contain NUL
 * bytes (it is a control character, refused as malformed); file data may,
 * hence the lengths.
 *
 * Limits are counted over the whole form: a second parse into the same
 * form (query string, then body) adds to the counts of the first. When a
 * parser fails, f is left as it was before the call.
 */
#ifndef CSDESK_FORM_H
#define CSDESK_FORM_H

#include <stddef.h>

struct arena;

enum form_err {
	FORM_OK = 0,
	FORM_BAD = -1,		/* malformed: answer 400 */
	FORM_TOO_BIG = -2,	/* a limit was exceeded: answer 413 */
	FORM_NOMEM = -3,	/* the arena ran out: answer 500 */
};

/* A short English reason for a form_err, for logs and error pages. */
const char *form_strerror(enum form_err e);

struct form_limits {
	size_t max_fields;	/* fields + files, counted together */
	size_t max_field_size;	/* bytes in one decoded non-file value */
	size_t max_name_size;	/* bytes in one field name */
	size_t max_file_size;	/* bytes in one uploaded file */
	size_t max_files;
};

/* The defaults the programs use unless configured otherwise. */
extern const struct form_limits form_default_limits;

struct form_field {
	const char *name;
	const char *value;
	size_t value_len;
};

struct form_file {
	const char *field;		/* the form field name */
	const char *filename;		/* as the browser sent it, path stripped; may be "" */
	const char *content_type;	/* as sent, or "application/octet-stream" */
	const unsigned char *data;	/* points into the body given to the parser */
	size_t len;
};

struct form {
	struct form_field *fields;
	size_t nfields, capfields;
	struct form_file *files;
	size_t nfiles, capfiles;
};

/* An empty form. Cannot fail. */
void form_init(struct form *f);

/*
 * Parses application/x-www-form-urlencoded data (a query string or a body)
 * and appends its fields to f: '&'-separated (';' is not a separator),
 * '+' is a space, %XX decoded; a bad %-escape is FORM_BAD, a field without
 * '=' has an empty value, empty pieces and pieces with an empty name
 * ("=x") are skipped. Names must be valid UTF-8 without control characters;
 * values must be valid UTF-8 (control characters other than tab, CR and LF
 * are refused). Control characters include C1 (U+0080 to U+009F). Sizes are
 * those of the decoded name and value.
 */
enum form_err form_parse_urlencoded(struct arena *a, const char *data, size_t len,
    const struct form_limits *lim, struct form *f);

/*
 * Parses a multipart/form-data body (RFC 7578) given the request's
 * Content-Type header value (for the boundary) and appends fields and
 * files to f. A part with a filename parameter is a file, even an empty
 * one; but a part with an empty filename and no content is dropped and not
 * counted, as browsers send one for a file input left empty. Other parts
 * are fields, held to the same rules as urlencoded values.
 *
 * FORM_BAD: content_type NULL or not multipart/form-data; boundary
 * missing, empty, over 70 characters or with characters RFC 2046 does not
 * allow; no delimiter line (a preamble before the first one is allowed);
 * a delimiter followed by anything but blanks and CRLF, or "--" for the
 * close delimiter (so "\r\n--boundary" may not appear inside a part, as
 * RFC 2046 requires); no close delimiter (truncated); part header lines
 * not ending in CRLF, not ended by an empty line, more than 8 of them or
 * more than 8 KiB in all; a part without Content-Disposition: form-data
 * with a non-empty name, or with two of them or two name or filename
 * parameters. The part after the delimiter's CRLF starts with its headers
 * and its content starts after their empty line, so data beginning with
 * "--boundary" is content.
 *
 * Header names are case-insensitive; parameter values are tokens or
 * quoted strings, where a backslash escapes only '"' and '\' (old
 * browsers send Windows paths unescaped). A filename keeps only its last
 * path component ('/' or '\'); "." and ".." become ""; it must be valid
 * UTF-8 without control characters. filename* (RFC 5987) is ignored. A
 * file's content_type is the part's Content-Type value as sent.
 */
enum form_err form_parse_multipart(struct arena *a, const char *content_type,
    const char *body, size_t len, const struct form_limits *lim, struct form *f);

/* The first value of field name, or NULL. */
const char *form_get(const struct form *f, const char *name);
/* Same, with the value's length in *len. */
const char *form_getn(const struct form *f, const char *name, size_t *len);

/* The first file uploaded under field name, or NULL. */
const struct form_file *form_file(const struct form *f, const char *name);

struct cookie {
	const char *name;
	const char *value;
};

/*
 * Parses a Cookie request header ("a=1; b=2") into an arena array.
 * Lenient as browsers are: a piece without '=' or with an empty name is
 * skipped, surrounding spaces (and tabs) around names and values and one
 * pair of double quotes around a value are removed, values are not
 * percent-decoded. At most max pairs are kept (further ones are ignored).
 * header may be NULL (no cookies). *out is NULL when no pair was kept.
 * Returns FORM_OK, or FORM_NOMEM (with *out NULL and *n 0).
 */
enum form_err cookie_parse(struct arena *a, const char *header, size_t max,
    struct cookie **out, size_t *n);

/* The value of the first cookie named name, or NULL. */
const char *cookie_get(const struct cookie *c, size_t n, const char *name);

/*
 * Decodes %XX escapes (and '+' as a space when plus_space is set) from
 * s[0..len) into a new arena string; its length goes to *outlen.
 * Returns NULL on a bad escape or out of memory (*outlen set to
 * (size_t)-1 for a bad escape, 0 for no memory).
 */
char *url_decode(struct arena *a, const char *s, size_t len, int plus_space, size_t *outlen);

/*
 * Appends s percent-encoded for a query string value to out: every byte
 * but A-Z a-z 0-9 - . _ ~ becomes %XX (a space too, so that url_decode
 * gives s back with or without plus_space). Failure shows in out (buf.h).
 */
struct buf;
void url_encode(struct buf *out, const char *s);

/*
 * Building blocks shared by the parsers above; handlers do not need them.
 */

/*
 * Non-zero when s[0..len) is valid UTF-8 (no overlong forms, surrogates or
 * code points past U+10FFFF) without control characters (C0, DEL, C1);
 * allow_ws lets tab, CR and LF through.
 */
int form_text_valid(const char *s, size_t len, int allow_ws);

/*
 * Checks a field name: FORM_BAD when empty or not valid text without
 * control characters, FORM_TOO_BIG past lim->max_name_size.
 */
enum form_err form_check_name(const struct form_limits *lim, const char *name, size_t len);

/*
 * Checks name and value, then appends the field to f. name and value must
 * be NUL-terminated at their lengths and live in a (they are not copied).
 * FORM_BAD or FORM_TOO_BIG as for the parsers (value past max_field_size,
 * one field past max_fields), FORM_NOMEM.
 */
enum form_err form_add_field(struct arena *a, struct form *f, const struct form_limits *lim,
    const char *name, size_t name_len, const char *value, size_t value_len);

/*
 * Checks file->field and the file's size, then appends a copy of *file to
 * f (the strings and data it points to are not copied). FORM_TOO_BIG past
 * max_file_size, max_files or max_fields; FORM_BAD for a bad field name;
 * FORM_NOMEM.
 */
enum form_err form_add_file(struct arena *a, struct form *f, const struct form_limits *lim,
    const struct form_file *file);

#endif
