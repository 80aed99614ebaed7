/*
 * check_multipart.c — form_parse_multipart: what browsers and curl send,
 * what RFC 2046 allows around it (preamble, padding, epilogue), and the
 * ways a body can be malformed, truncated or too big.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/form.h"
#include "core/mem.h"

Suite *multipart_suite(void);

#define S(x) x, sizeof(x) - 1
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define CRLF "\r\n"
#define BND "XyZ"
#define CT "multipart/form-data; boundary=" BND
#define DL "--" BND
#define END DL "--" CRLF
#define CD(n) "Content-Disposition: form-data; name=\"" n "\"" CRLF
#define FIELD(n, v) DL CRLF CD(n) CRLF v CRLF
#define FILEP(n, fn, ct, data) DL CRLF \
	"Content-Disposition: form-data; name=\"" n "\"; filename=\"" fn "\"" CRLF \
	"Content-Type: " ct CRLF CRLF data CRLF
#define B71 "12345678901234567890123456789012345678901234567890123456789012345678901"
#define B70 "1234567890123456789012345678901234567890123456789012345678901234567890"

static const struct form_limits lim_small = {
	.max_fields = 3,
	.max_field_size = 4,
	.max_name_size = 3,
	.max_file_size = 5,
	.max_files = 2,
};

/* Room for many parts, for the out-of-memory test. */
static const struct form_limits lim_many = {
	.max_fields = 100,
	.max_field_size = 100,
	.max_name_size = 10,
	.max_file_size = 100,
	.max_files = 100,
};

/* Room for files without the field count getting in the way. */
static const struct form_limits lim_files = {
	.max_fields = 10,
	.max_field_size = 4,
	.max_name_size = 3,
	.max_file_size = 5,
	.max_files = 2,
};

struct want_field {
	const char *name;
	const char *value;
	size_t len;
};

struct want_file {
	const char *field;
	const char *filename;
	const char *type;
	const char *data;
	size_t len;
};

struct mp_case {
	const char *ctype;
	const char *body;
	size_t len;
	const struct form_limits *lim;	/* NULL: the defaults */
	enum form_err err;
	size_t nfields;
	struct want_field f[3];
	size_t nfiles;
	struct want_file file[2];
};

#define NOF 0, { { 0 } }

static const struct mp_case mp_cases[] = {
	/* What browsers send. */
	{ CT, S(FIELD("a", "hello") END), NULL, FORM_OK, 1, { { "a", S("hello") } }, NOF },
	{ CT, S(FIELD("t", "Title") FILEP("up", "a.txt", "text/plain", "file\r\ndata") END),
	    NULL, FORM_OK, 1, { { "t", S("Title") } },
	    1, { { "up", "a.txt", "text/plain", S("file\r\ndata") } } },
	{ CT, S(DL CRLF "Content-Disposition: form-data; name=\"f\"; filename=\"b.bin\"" CRLF
	    CRLF "\x01\x02" CRLF END), NULL, FORM_OK, NOF,
	    1, { { "f", "b.bin", "application/octet-stream", S("\x01\x02") } } },
	{ CT, S(FIELD("a", "") END), NULL, FORM_OK, 1, { { "a", S("") } }, NOF },
	{ CT, S(END), NULL, FORM_OK, NOF, NOF },
	{ CT, S(DL "--"), NULL, FORM_OK, NOF, NOF },
	{ CT, S(FIELD("a", "1") FIELD("a", "2") END), NULL, FORM_OK, 2,
	    { { "a", S("1") }, { "a", S("2") } }, NOF },
	{ CT, S(FIELD("\xc3\xa9", "\xe2\x82\xac") END), NULL, FORM_OK, 1,
	    { { "\xc3\xa9", S("\xe2\x82\xac") } }, NOF },

	/* CRLF inside and at the end of a value belongs to the value. */
	{ CT, S(FIELD("a", "line1\r\nline2\r\n") END), NULL, FORM_OK, 1,
	    { { "a", S("line1\r\nline2\r\n") } }, NOF },
	{ CT, S(FIELD("a", "\r\n") END), NULL, FORM_OK, 1, { { "a", S("\r\n") } }, NOF },
	{ CT, S(FIELD("a", "tab\there\n") END), NULL, FORM_OK, 1,
	    { { "a", S("tab\there\n") } }, NOF },

	/* Boundaries: quoted or not, among other parameters, any case. */
	{ "multipart/form-data; boundary=\"" BND "\"", S(FIELD("a", "1") END), NULL, FORM_OK, 1,
	    { { "a", S("1") } }, NOF },
	{ "Multipart/Form-Data; charset=UTF-8; BOUNDARY=" BND ";", S(FIELD("a", "1") END),
	    NULL, FORM_OK, 1, { { "a", S("1") } }, NOF },
	{ "  multipart/form-data ;boundary=" BND "  ", S(FIELD("a", "1") END), NULL, FORM_OK,
	    1, { { "a", S("1") } }, NOF },
	{ "multipart/form-data; boundary=\"a b'()+_,-./:=?\"",
	    S("--a b'()+_,-./:=?" CRLF CD("a") CRLF "1" CRLF "--a b'()+_,-./:=?--"),
	    NULL, FORM_OK, 1, { { "a", S("1") } }, NOF },
	{ "multipart/form-data; boundary=" B70, S("--" B70 CRLF CD("a") CRLF "1" CRLF
	    "--" B70 "--"), NULL, FORM_OK, 1, { { "a", S("1") } }, NOF },
	{ "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
	    S("------WebKitFormBoundary7MA4YWxkTrZu0gW" CRLF CD("a") CRLF "1" CRLF
	    "------WebKitFormBoundary7MA4YWxkTrZu0gW--" CRLF), NULL, FORM_OK, 1,
	    { { "a", S("1") } }, NOF },

	/* Preamble, transport padding, epilogue. */
	{ CT, S("This is a preamble." CRLF "junk--" BND "junk" CRLF FIELD("a", "1") END),
	    NULL, FORM_OK, 1, { { "a", S("1") } }, NOF },
	{ CT, S(CRLF FIELD("a", "1") END), NULL, FORM_OK, 1, { { "a", S("1") } }, NOF },
	{ CT, S("-" BND CRLF CD("a") CRLF "1" CRLF END), NULL, FORM_OK, NOF, NOF },
	{ CT, S(DL " \t " CRLF CD("a") CRLF "1" CRLF DL "\t" CRLF CD("b") CRLF "2" CRLF END),
	    NULL, FORM_OK, 2, { { "a", S("1") }, { "b", S("2") } }, NOF },
	{ CT, S(FIELD("a", "1") END "epilogue" CRLF DL CRLF "whatever"), NULL, FORM_OK, 1,
	    { { "a", S("1") } }, NOF },

	/* Headers: names in any case, parameters tokens or quoted. */
	{ CT, S(DL CRLF "content-disposition: FORM-DATA; NAME=a" CRLF CRLF "1" CRLF END),
	    NULL, FORM_OK, 1, { { "a", S("1") } }, NOF },
	{ CT, S(DL CRLF "CONTENT-DISPOSITION:form-data;name=a;" CRLF CRLF "1" CRLF END),
	    NULL, FORM_OK, 1, { { "a", S("1") } }, NOF },
	{ CT, S(DL CRLF "Content-Disposition: form-data; name=\"a\\\"b\"" CRLF CRLF "1" CRLF END),
	    NULL, FORM_OK, 1, { { "a\"b", S("1") } }, NOF },
	{ CT, S(DL CRLF "Content-Disposition: form-data; name=\"a\\\\b\"" CRLF CRLF "1" CRLF END),
	    NULL, FORM_OK, 1, { { "a\\b", S("1") } }, NOF },
	{ CT, S(DL CRLF "Content-Disposition: form-data; name=\"a;b=c\"" CRLF CRLF "1" CRLF END),
	    NULL, FORM_OK, 1, { { "a;b=c", S("1") } }, NOF },
	{ CT, S(DL CRLF "X-Other: ignored" CRLF CD("a") "Content-Type: text/plain; charset=utf-8"
	    CRLF "Content-Transfer-Encoding: 8bit" CRLF CRLF "1" CRLF END), NULL, FORM_OK, 1,
	    { { "a", S("1") } }, NOF },
	{ CT, S(DL CRLF "Content-Disposition: form-data; name=\"f\"; filename=\"a.txt\"; "
	    "filename*=UTF-8''%C3%A9.txt" CRLF "Content-Type: text/plain  " CRLF CRLF "x" CRLF END),
	    NULL, FORM_OK, NOF, 1, { { "f", "a.txt", "text/plain", S("x") } } },
	{ CT, S(DL CRLF CD("a") "X-1: 1" CRLF "X-2: 2" CRLF "X-3: 3" CRLF "X-4: 4" CRLF
	    "X-5: 5" CRLF "X-6: 6" CRLF "X-7: 7" CRLF CRLF "1" CRLF END), NULL, FORM_OK, 1,
	    { { "a", S("1") } }, NOF },

	/* Filenames lose their directories. */
	{ CT, S(FILEP("f", "C:\\dir\\a.txt", "text/plain", "x") END), NULL, FORM_OK, NOF,
	    1, { { "f", "a.txt", "text/plain", S("x") } } },
	{ CT, S(FILEP("f", "C:\\\\dir\\\\a.txt", "text/plain", "x") END), NULL, FORM_OK, NOF,
	    1, { { "f", "a.txt", "text/plain", S("x") } } },
	{ CT, S(FILEP("f", "/x/a.txt", "text/plain", "x") END), NULL, FORM_OK, NOF,
	    1, { { "f", "a.txt", "text/plain", S("x") } } },
	{ CT, S(FILEP("f", "../../etc/passwd", "text/plain", "x") END), NULL, FORM_OK, NOF,
	    1, { { "f", "passwd", "text/plain", S("x") } } },
	{ CT, S(FILEP("f", "a/..", "text/plain", "x") END), NULL, FORM_OK, NOF,
	    1, { { "f", "", "text/plain", S("x") } } },
	{ CT, S(FILEP("f", "\xc3\xa9t\xc3\xa9.txt", "text/plain", "x") END), NULL, FORM_OK, NOF,
	    1, { { "f", "\xc3\xa9t\xc3\xa9.txt", "text/plain", S("x") } } },

	/* An empty file input is dropped; an empty file is not. */
	{ CT, S(FIELD("a", "1") FILEP("f", "", "application/octet-stream", "") END), NULL,
	    FORM_OK, 1, { { "a", S("1") } }, NOF },
	{ CT, S(FILEP("f", "", "text/plain", "x") END), NULL, FORM_OK, NOF,
	    1, { { "f", "", "text/plain", S("x") } } },
	{ CT, S(FILEP("f", "e.txt", "text/plain", "") END), NULL, FORM_OK, NOF,
	    1, { { "f", "e.txt", "text/plain", S("") } } },

	/* File data is anything but CRLF and the delimiter. */
	{ CT, S(FILEP("f", "b", "x/y", "--" BND CRLF "a--" BND "--\n--" BND "\r--" BND) END),
	    NULL, FORM_OK, NOF,
	    1, { { "f", "b", "x/y", S("--" BND CRLF "a--" BND "--\n--" BND "\r--" BND) } } },
	{ CT, S(FILEP("f", "b", "x/y", "\r\n--XyY\r\n-XyZ\r\n--Xy\r\n-") END),
	    NULL, FORM_OK, NOF,
	    1, { { "f", "b", "x/y", S("\r\n--XyY\r\n-XyZ\r\n--Xy\r\n-") } } },
	{ CT, S(FILEP("f", "nul", "x/y", "\0\0\xff\xfe\x00\r\n\r\n\x7f") END), NULL, FORM_OK,
	    NOF, 1, { { "f", "nul", "x/y", S("\0\0\xff\xfe\x00\r\n\r\n\x7f") } } },

	/* Content types that are no good. */
	{ "text/plain; boundary=" BND, S(FIELD("a", "1") END), NULL, FORM_BAD, NOF, NOF },
	{ "multipart/mixed; boundary=" BND, S(FIELD("a", "1") END), NULL, FORM_BAD, NOF, NOF },
	{ "multipart/form-datax; boundary=" BND, S(FIELD("a", "1") END), NULL, FORM_BAD, NOF, NOF },
	{ "multipart/form-data", S(FIELD("a", "1") END), NULL, FORM_BAD, NOF, NOF },
	{ "multipart/form-data; charset=utf-8", S(FIELD("a", "1") END), NULL, FORM_BAD, NOF, NOF },
	{ "multipart/form-data; boundary=", S(FIELD("a", "1") END), NULL, FORM_BAD, NOF, NOF },
	{ "multipart/form-data; boundary=\"\"", S(FIELD("a", "1") END), NULL, FORM_BAD, NOF, NOF },
	{ "multipart/form-data; boundary=\"" BND, S(FIELD("a", "1") END), NULL, FORM_BAD, NOF,
	    NOF },
	{ "multipart/form-data; boundary=" BND "; boundary=" BND, S(FIELD("a", "1") END), NULL,
	    FORM_BAD, NOF, NOF },
	{ "multipart/form-data; boundary=" B71, S("--" B71 CRLF CD("a") CRLF "1" CRLF
	    "--" B71 "--"), NULL, FORM_BAD, NOF, NOF },
	{ "multipart/form-data; boundary=\"a \"", S("--a " CRLF CD("a") CRLF "1" CRLF "--a --"),
	    NULL, FORM_BAD, NOF, NOF },
	{ "multipart/form-data; boundary=a[b", S("--a[b" CRLF CD("a") CRLF "1" CRLF "--a[b--"),
	    NULL, FORM_BAD, NOF, NOF },
	{ "multipart/form-data; boundary=" BND "\r\n", S(FIELD("a", "1") END), NULL, FORM_BAD,
	    NOF, NOF },
	{ "multipart/form-data; boundary " BND, S(FIELD("a", "1") END), NULL, FORM_BAD, NOF, NOF },
	{ "multipart/form-data boundary=" BND, S(FIELD("a", "1") END), NULL, FORM_BAD, NOF, NOF },

	/* No delimiter, or no close delimiter. */
	{ CT, S(""), NULL, FORM_BAD, NOF, NOF },
	{ CT, S("hello"), NULL, FORM_BAD, NOF, NOF },
	{ CT, S("no delimiter" CRLF "-" BND CRLF), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL "-"), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF CD("a") CRLF "1"), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF CD("a") CRLF "1" CRLF), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(FIELD("a", "1") DL), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(FIELD("a", "1") DL CRLF), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(FIELD("a", "1") DL "-"), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(FIELD("a", "1") DL "x" CRLF CD("b") CRLF "2" CRLF END), NULL, FORM_BAD,
	    NOF, NOF },
	{ CT, S(FIELD("a", "1") DL " x" CRLF CD("b") CRLF "2" CRLF END), NULL, FORM_BAD,
	    NOF, NOF },
	{ CT, S(FILEP("f", "b", "x/y", "abc\r\n--" BND "junk") END), NULL, FORM_BAD, NOF, NOF },

	/* Part headers that are no good. */
	{ CT, S(DL CRLF CD("a")), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF "Content-Disposition: form-data; name=\"a\""), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF CD("a") "1" CRLF END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF "Content-Disposition: form-data; name=\"a\"\n\n1" CRLF END), NULL,
	    FORM_BAD, NOF, NOF },
	{ CT, S(DL "\n" CD("a") CRLF "1" CRLF END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF CRLF "1" CRLF END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF "Content-Type: text/plain" CRLF CRLF "1" CRLF END), NULL, FORM_BAD,
	    NOF, NOF },
	{ CT, S(DL CRLF "Content-Disposition: attachment; name=\"a\"" CRLF CRLF "1" CRLF END),
	    NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF "Content-Disposition: form-data" CRLF CRLF "1" CRLF END), NULL,
	    FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF "Content-Disposition: form-data; filename=\"a\"" CRLF CRLF "1" CRLF END),
	    NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF "Content-Disposition: form-data; name=\"\"" CRLF CRLF "1" CRLF END),
	    NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF "Content-Disposition: form-data; name=" CRLF CRLF "1" CRLF END),
	    NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF "Content-Disposition: form-data; name=\"a" CRLF CRLF "1" CRLF END),
	    NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF "Content-Disposition: form-data; name" CRLF CRLF "1" CRLF END),
	    NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF "Content-Disposition: form-data name=a" CRLF CRLF "1" CRLF END),
	    NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF "Content-Disposition: form-data; name=\"a\"x" CRLF CRLF "1" CRLF END),
	    NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF CD("a") CD("b") CRLF "1" CRLF END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF "Content-Disposition: form-data; name=a; name=b" CRLF CRLF "1" CRLF END),
	    NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF "Content-Disposition: form-data; name=a; filename=b; filename=c" CRLF
	    CRLF "1" CRLF END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF CD("a") "Content-Type: a" CRLF "content-type: b" CRLF CRLF "1" CRLF END),
	    NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF CD("a") "no colon" CRLF CRLF "1" CRLF END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF CD("a") ": no name" CRLF CRLF "1" CRLF END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF CD("a") "X-Bad Name: 1" CRLF CRLF "1" CRLF END), NULL, FORM_BAD,
	    NOF, NOF },
	{ CT, S(DL CRLF CD("a") "X-Folded: 1" CRLF " 2" CRLF CRLF "1" CRLF END), NULL, FORM_BAD,
	    NOF, NOF },
	{ CT, S(DL CRLF CD("a") "X-Ctl: 1\x01" CRLF CRLF "1" CRLF END), NULL, FORM_BAD,
	    NOF, NOF },
	{ CT, S(DL CRLF CD("a") "X-Cr: 1\r2" CRLF CRLF "1" CRLF END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF CD("a") "X-1: 1" CRLF "X-2: 2" CRLF "X-3: 3" CRLF "X-4: 4" CRLF
	    "X-5: 5" CRLF "X-6: 6" CRLF "X-7: 7" CRLF "X-8: 8" CRLF CRLF "1" CRLF END), NULL,
	    FORM_BAD, NOF, NOF },

	/* Names, filenames and values held to the text rules. */
	{ CT, S(FIELD("\xff", "1") END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(FIELD("a\tb", "1") END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(FIELD("a", "\xc0\x80") END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(FIELD("a", "\xed\xa0\x80") END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(FIELD("a", "\xf4\x90\x80\x80") END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(FIELD("a", "x\0y") END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(FIELD("a", "\x1b[31m") END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(FIELD("a", "\xc2\x85") END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(FILEP("\xff", "a", "x/y", "1") END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(FILEP("f", "a\xff", "x/y", "1") END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(FILEP("f", "a\xc2\x80", "x/y", "1") END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(FILEP("f", "a", "x/\xff", "1") END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S(FIELD("a", "1") FIELD("b", "\xff") END), NULL, FORM_BAD, NOF, NOF },
	{ CT, S("\x89PNG\r\n\x1a\n" CRLF DL CRLF "\x00\xff" CRLF "\xfe\xfd" CRLF CRLF DL "--"),
	    NULL, FORM_BAD, NOF, NOF },
	{ CT, S(DL CRLF "\x00\xff: \xfe" CRLF CD("a") CRLF "1" CRLF END), NULL, FORM_BAD,
	    NOF, NOF },

	/* Limits: at each one, then one past it. */
	{ CT, S(FIELD("a", "1") FIELD("b", "2") FIELD("c", "3") END), &lim_small, FORM_OK, 3,
	    { { "a", S("1") }, { "b", S("2") }, { "c", S("3") } }, NOF },
	{ CT, S(FIELD("a", "1") FIELD("b", "2") FIELD("c", "3") FIELD("d", "4") END),
	    &lim_small, FORM_TOO_BIG, NOF, NOF },
	{ CT, S(FIELD("a", "1") FILEP("f", "x", "x/y", "1") FIELD("b", "2") END), &lim_small,
	    FORM_OK, 2, { { "a", S("1") }, { "b", S("2") } },
	    1, { { "f", "x", "x/y", S("1") } } },
	{ CT, S(FIELD("a", "1") FILEP("f", "x", "x/y", "1") FIELD("b", "2")
	    FILEP("g", "y", "x/y", "2") END), &lim_small, FORM_TOO_BIG, NOF, NOF },
	{ CT, S(FIELD("a", "1") FIELD("b", "2") FIELD("c", "3")
	    FILEP("f", "", "x/y", "") FILEP("g", "", "x/y", "") FILEP("h", "", "x/y", "") END),
	    &lim_small, FORM_OK, 3, { { "a", S("1") }, { "b", S("2") }, { "c", S("3") } }, NOF },
	{ CT, S(FILEP("f", "x", "x/y", "1") FILEP("g", "y", "x/y", "2") END), &lim_files,
	    FORM_OK, NOF, 2, { { "f", "x", "x/y", S("1") }, { "g", "y", "x/y", S("2") } } },
	{ CT, S(FILEP("f", "x", "x/y", "1") FILEP("g", "y", "x/y", "2")
	    FILEP("h", "z", "x/y", "3") END), &lim_files, FORM_TOO_BIG, NOF, NOF },
	{ CT, S(FIELD("a", "abcd") END), &lim_small, FORM_OK, 1, { { "a", S("abcd") } }, NOF },
	{ CT, S(FIELD("a", "abcde") END), &lim_small, FORM_TOO_BIG, NOF, NOF },
	{ CT, S(FIELD("a", "\xe2\x82\xac\x31") END), &lim_small, FORM_OK, 1,
	    { { "a", S("\xe2\x82\xac\x31") } }, NOF },
	{ CT, S(FIELD("a", "\r\n\r\n") END), &lim_small, FORM_OK, 1, { { "a", S("\r\n\r\n") } },
	    NOF },
	{ CT, S(FIELD("a", "\r\n\r\n\r") END), &lim_small, FORM_TOO_BIG, NOF, NOF },
	{ CT, S(FIELD("abc", "1") END), &lim_small, FORM_OK, 1, { { "abc", S("1") } }, NOF },
	{ CT, S(FIELD("abcd", "1") END), &lim_small, FORM_TOO_BIG, NOF, NOF },
	{ CT, S(FILEP("abc", "x", "x/y", "1") END), &lim_small, FORM_OK, NOF,
	    1, { { "abc", "x", "x/y", S("1") } } },
	{ CT, S(FILEP("abcd", "x", "x/y", "1") END), &lim_small, FORM_TOO_BIG, NOF, NOF },
	{ CT, S(FILEP("f", "x", "x/y", "12345") END), &lim_small, FORM_OK, NOF,
	    1, { { "f", "x", "x/y", S("12345") } } },
	{ CT, S(FILEP("f", "x", "x/y", "123456") END), &lim_small, FORM_TOO_BIG, NOF, NOF },
	{ CT, S(FILEP("f", "x", "x/y", "\r\n\r\n\0") END), &lim_small, FORM_OK, NOF,
	    1, { { "f", "x", "x/y", S("\r\n\r\n\0") } } },
};

START_TEST(test_multipart_table)
{
	const struct mp_case *c = &mp_cases[_i];
	struct arena *a = arena_new(1024);
	const struct form_file *fi;
	struct form f;
	enum form_err e;
	size_t i;

	ck_assert_ptr_nonnull(a);
	form_init(&f);
	e = form_parse_multipart(a, c->ctype, c->body, c->len,
	    c->lim ? c->lim : &form_default_limits, &f);
	ck_assert_msg(e == c->err, "case %d: got %s, want %s", _i, form_strerror(e),
	    form_strerror(c->err));
	if (e != FORM_OK) {
		ck_assert_uint_eq(f.nfields, 0);
		ck_assert_uint_eq(f.nfiles, 0);
		arena_free(a);
		return;
	}
	ck_assert_msg(f.nfields == c->nfields, "case %d: %zu fields", _i, f.nfields);
	ck_assert_msg(f.nfiles == c->nfiles, "case %d: %zu files", _i, f.nfiles);
	for (i = 0; i < c->nfields; i++) {
		ck_assert_str_eq(f.fields[i].name, c->f[i].name);
		ck_assert_uint_eq(f.fields[i].value_len, c->f[i].len);
		ck_assert_mem_eq(f.fields[i].value, c->f[i].value, c->f[i].len);
		ck_assert_int_eq(f.fields[i].value[c->f[i].len], '\0');
		/* Field values are copies, not pointers into the body. */
		ck_assert(f.fields[i].value < c->body || f.fields[i].value >= c->body + c->len);
	}
	for (i = 0; i < c->nfiles; i++) {
		fi = &f.files[i];
		ck_assert_str_eq(fi->field, c->file[i].field);
		ck_assert_str_eq(fi->filename, c->file[i].filename);
		ck_assert_str_eq(fi->content_type, c->file[i].type);
		ck_assert_uint_eq(fi->len, c->file[i].len);
		ck_assert_mem_eq(fi->data, c->file[i].data, c->file[i].len);
		/* File data is not copied: it points into the body. */
		ck_assert((const char *)fi->data >= c->body);
		ck_assert((const char *)fi->data + fi->len <= c->body + c->len);
		ck_assert_ptr_eq(form_file(&f, fi->field), fi);
	}
	arena_free(a);
}
END_TEST

START_TEST(test_multipart_null_content_type)
{
	struct arena *a = arena_new(1024);
	struct form f;

	form_init(&f);
	ck_assert_int_eq(form_parse_multipart(a, NULL, S(FIELD("a", "1") END),
	    &form_default_limits, &f), FORM_BAD);
	ck_assert_int_eq(form_parse_multipart(a, CT, NULL, 0, &form_default_limits, &f),
	    FORM_BAD);
	arena_free(a);
}
END_TEST

/* Appending to a form holding a query string; a failure takes nothing back but its own. */
START_TEST(test_multipart_appends)
{
	struct arena *a = arena_new(1024);
	struct form f;

	form_init(&f);
	ck_assert_int_eq(form_parse_urlencoded(a, S("q=1&r=2"), &lim_small, &f), FORM_OK);
	ck_assert_int_eq(form_parse_multipart(a, CT, S(FIELD("a", "1") FILEP("f", "x", "x/y", "1")
	    END), &lim_small, &f), FORM_TOO_BIG);
	ck_assert_uint_eq(f.nfields, 2);
	ck_assert_uint_eq(f.nfiles, 0);
	ck_assert_int_eq(form_parse_multipart(a, CT,
	    S(FILEP("f", "x", "x/y", "1") FIELD("b", "\xff") END), &lim_small, &f), FORM_BAD);
	ck_assert_uint_eq(f.nfields, 2);
	ck_assert_uint_eq(f.nfiles, 0);
	ck_assert_int_eq(form_parse_multipart(a, CT, S(FILEP("f", "x", "x/y", "1") END),
	    &lim_small, &f), FORM_OK);
	ck_assert_uint_eq(f.nfiles, 1);
	ck_assert_str_eq(form_get(&f, "r"), "2");
	ck_assert_ptr_nonnull(form_file(&f, "f"));
	ck_assert_ptr_null(form_file(&f, "q"));
	arena_free(a);
}
END_TEST

/*
 * A part whose header block (from after the delimiter line to the end of
 * the empty line) is n bytes, padded out with an X-Pad header.
 */
static void
add_part_with_headers(struct buf *b, size_t n)
{
	size_t start;

	buf_addstr(b, DL CRLF);
	start = b->len;
	buf_addstr(b, CD("a") "X-Pad: ");
	while (b->len - start < n - 4)
		buf_addch(b, 'p');
	buf_addstr(b, CRLF CRLF "1" CRLF END);
}

START_TEST(test_multipart_header_size)
{
	struct arena *a = arena_new(1 << 15);
	struct form f;
	struct buf b;

	buf_init(&b, a);
	add_part_with_headers(&b, 8192);
	form_init(&f);
	ck_assert_int_eq(form_parse_multipart(a, CT, b.buf, b.len, &form_default_limits, &f),
	    FORM_OK);
	ck_assert_str_eq(form_get(&f, "a"), "1");
	buf_reset(&b);
	add_part_with_headers(&b, 8193);
	form_init(&f);
	ck_assert_int_eq(form_parse_multipart(a, CT, b.buf, b.len, &form_default_limits, &f),
	    FORM_BAD);
	arena_free(a);
}
END_TEST

/* The default limits through multipart: file size and number of files. */
START_TEST(test_multipart_default_limits)
{
	const struct form_limits *lim = &form_default_limits;
	struct arena *a = arena_new(1 << 16);
	struct form f;
	struct buf b;
	size_t i, big = 10 * 1024 * 1024;

	buf_init(&b, NULL);
	buf_addstr(&b, DL CRLF "Content-Disposition: form-data; name=\"f\"; filename=\"a\""
	    CRLF CRLF);
	for (i = 0; i < big; i++)
		buf_addch(&b, (char)(i * 7));
	buf_addstr(&b, CRLF END);
	ck_assert(!buf_failed(&b));
	form_init(&f);
	ck_assert_int_eq(form_parse_multipart(a, CT, b.buf, b.len, lim, &f), FORM_OK);
	ck_assert_uint_eq(f.files[0].len, big);
	buf_release(&b);

	buf_addstr(&b, DL CRLF "Content-Disposition: form-data; name=\"f\"; filename=\"a\""
	    CRLF CRLF);
	for (i = 0; i <= big; i++)
		buf_addch(&b, 'x');
	buf_addstr(&b, CRLF END);
	form_init(&f);
	ck_assert_int_eq(form_parse_multipart(a, CT, b.buf, b.len, lim, &f), FORM_TOO_BIG);
	buf_release(&b);

	for (i = 0; i < 21; i++)
		buf_printf(&b, DL CRLF "Content-Disposition: form-data; name=\"f%zu\"; "
		    "filename=\"a\"" CRLF CRLF "x" CRLF, i);
	buf_addstr(&b, END);
	form_init(&f);
	ck_assert_int_eq(form_parse_multipart(a, CT, b.buf, b.len, lim, &f), FORM_TOO_BIG);
	/* Without the close delimiter the 21st part never ends: malformed, not counted. */
	ck_assert_int_eq(form_parse_multipart(a, CT, b.buf, b.len - sizeof(END) + 1, lim, &f),
	    FORM_BAD);
	/* Cut after the 20th part: then the close delimiter is what is missing. */
	b.len = (size_t)(strstr(b.buf, DL CRLF "Content-Disposition: form-data; name=\"f20\"")
	    - b.buf);
	buf_addstr(&b, END);
	ck_assert_int_eq(form_parse_multipart(a, CT, b.buf, b.len, lim, &f), FORM_OK);
	ck_assert_uint_eq(f.nfiles, 20);
	buf_release(&b);
	arena_free(a);
}
END_TEST

/*
 * A body built to make a naive search rescan: megabytes of almost-
 * delimiters. Linear parsing takes milliseconds; a quadratic one would
 * not finish before the test's timeout.
 */
START_TEST(test_multipart_linear)
{
	struct arena *a = arena_new(1024);
	struct form f;
	struct buf b;
	size_t i;
	clock_t t0;

	buf_init(&b, NULL);
	buf_addstr(&b, DL CRLF "Content-Disposition: form-data; name=\"f\"; filename=\"a\""
	    CRLF CRLF);
	for (i = 0; i < 250000; i++)
		buf_addstr(&b, "\r\n--XyY");
	buf_addstr(&b, CRLF END);
	for (i = 0; i < 1000; i++)
		buf_addstr(&b, "\r\n--XyZ--");
	ck_assert(!buf_failed(&b));
	form_init(&f);
	t0 = clock();
	ck_assert_int_eq(form_parse_multipart(a, CT, b.buf, b.len, &form_default_limits, &f),
	    FORM_OK);
	ck_assert_uint_eq(f.files[0].len, 250000 * 7);
	ck_assert_msg(clock() - t0 < 2 * CLOCKS_PER_SEC, "parsing took too long");
	buf_release(&b);
	arena_free(a);
}
END_TEST

/* Each allocation failing in turn gives FORM_NOMEM and an untouched form. */
START_TEST(test_multipart_nomem)
{
	struct arena *a;
	struct form f;
	struct buf b;
	enum form_err e = FORM_BAD;
	size_t i;
	long k;
	int saw_nomem = 0;

	buf_init(&b, NULL);
	for (i = 0; i < 40; i++) {
		buf_printf(&b, DL CRLF CD("field%zu") "Content-Type: text/plain" CRLF CRLF, i);
		buf_addstr(&b, "a value long enough to fill the arena's chunks quickly" CRLF);
		buf_printf(&b, FILEP("file%zu", "name%zu.txt", "text/plain", "data"), i, i);
	}
	buf_addstr(&b, END);
	ck_assert(!buf_failed(&b));
	for (k = 0; k < 1000; k++) {
		a = arena_new(1024);
		ck_assert_ptr_nonnull(a);
		form_init(&f);
		mem_fail_after(k);
		e = form_parse_multipart(a, CT, b.buf, b.len, &lim_many, &f);
		mem_fail_after(-1);
		arena_free(a);
		ck_assert_msg(e == FORM_OK || e == FORM_NOMEM, "k=%ld: %s", k, form_strerror(e));
		if (e == FORM_OK)
			break;
		ck_assert_uint_eq(f.nfields, 0);
		ck_assert_uint_eq(f.nfiles, 0);
		saw_nomem = 1;
	}
	ck_assert(saw_nomem);
	ck_assert_int_eq(e, FORM_OK);
	buf_release(&b);
}
END_TEST

Suite *
multipart_suite(void)
{
	Suite *s = suite_create("multipart");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_multipart_table, 0, (int)NELEM(mp_cases));
	tcase_add_test(tc, test_multipart_null_content_type);
	tcase_add_test(tc, test_multipart_appends);
	tcase_add_test(tc, test_multipart_header_size);
	tcase_add_test(tc, test_multipart_nomem);
	suite_add_tcase(s, tc);

	tc = tcase_create("large");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_multipart_default_limits);
	tcase_add_test(tc, test_multipart_linear);
	suite_add_tcase(s, tc);
	return s;
}
