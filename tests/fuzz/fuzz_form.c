/*
 * fuzz_form.c — libFuzzer harness for form_parse_urlencoded, url_decode
 * and url_encode.
 *
 * Each input is parsed into a fresh arena with small limits, so that the
 * limit paths are as reachable as the happy ones, then again with memory
 * running out part-way. What comes out is checked against what form.h
 * promises; any broken promise aborts, which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/form.h"
#include "core/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct form_limits fuzz_limits = {
	.max_fields = 8,
	.max_field_size = 64,
	.max_name_size = 16,
	.max_file_size = 0,
	.max_files = 0,
};

/* Every field must be within the limits and be the text form.h promises. */
static void
fuzz_check(const struct form *f)
{
	const struct form_field *fl;
	size_t i, n;

	if (f->nfields > fuzz_limits.max_fields || f->nfiles != 0)
		abort();
	for (i = 0; i < f->nfields; i++) {
		fl = &f->fields[i];
		n = strlen(fl->name);
		if (n == 0 || n > fuzz_limits.max_name_size || !form_text_valid(fl->name, n, 0))
			abort();
		if (fl->value_len > fuzz_limits.max_field_size || fl->value[fl->value_len] != '\0')
			abort();
		if (!form_text_valid(fl->value, fl->value_len, 1))
			abort();
		if (form_get(f, fl->name) == NULL)
			abort();
	}
}

/* Parses in a fresh arena; fail >= 0 makes allocations fail after that many. */
static enum form_err
fuzz_parse(const char *s, size_t n, long fail)
{
	struct arena *a = arena_new(1024);
	struct form f;
	enum form_err e;

	if (a == NULL)
		abort();
	form_init(&f);
	mem_fail_after(fail);
	e = form_parse_urlencoded(a, s, n, &fuzz_limits, &f);
	mem_fail_after(-1);
	if (e == FORM_OK)
		fuzz_check(&f);
	else if (f.nfields != 0)
		abort();
	arena_free(a);
	return e;
}

/* Decoding the input must not overrun; encoding then decoding gives it back. */
static void
fuzz_coding(const char *s, size_t n)
{
	struct arena *a = arena_new(1024);
	struct buf b;
	char *dec, *str;
	size_t len, slen;
	int plus;

	if (a == NULL)
		abort();
	dec = url_decode(a, s, n, (int)(n & 1), &len);
	if (dec == NULL ? len != (size_t)-1 : len > n || dec[len] != '\0')
		abort();

	/* url_encode takes a C string: the input up to its first NUL. */
	str = arena_strndup(a, s, n);
	if (str == NULL)
		abort();
	slen = strlen(str);
	buf_init(&b, a);
	url_encode(&b, str);
	if (buf_failed(&b))
		abort();
	for (plus = 0; plus <= 1; plus++) {
		dec = url_decode(a, b.buf, b.len, plus, &len);
		if (dec == NULL || len != slen || memcmp(dec, str, slen) != 0)
			abort();
	}
	arena_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	enum form_err e, e2;

	e = fuzz_parse(s, size, -1);
	/* Memory running out may only turn the result into FORM_NOMEM. */
	e2 = fuzz_parse(s, size, (long)(size % 5));
	if (e2 != e && e2 != FORM_NOMEM)
		abort();
	fuzz_coding(s, size);
	return 0;
}
