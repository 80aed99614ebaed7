/*
 * fuzz_multipart.c — libFuzzer harness for form_parse_multipart.
 *
 * The first line of the input gives the Content-Type: the whole value when
 * it starts with "multipart/", else just the boundary (so the fuzzer finds
 * bodies quickly and still reaches the Content-Type parser). The rest is
 * the body. Each input is parsed into a fresh arena with small limits,
 * then again with memory running out part-way, and the result is checked
 * against what form.h promises.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/form.h"
#include "core/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct form_limits fuzz_limits = {
	.max_fields = 6,
	.max_field_size = 32,
	.max_name_size = 8,
	.max_file_size = 64,
	.max_files = 3,
};

static void
fuzz_check(const struct form *f, const char *body, size_t len)
{
	const struct form_field *fl;
	const struct form_file *fi;
	size_t i, n;

	if (f->nfields + f->nfiles > fuzz_limits.max_fields || f->nfiles > fuzz_limits.max_files)
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
	}
	for (i = 0; i < f->nfiles; i++) {
		fi = &f->files[i];
		n = strlen(fi->field);
		if (n == 0 || n > fuzz_limits.max_name_size || !form_text_valid(fi->field, n, 0))
			abort();
		if (strpbrk(fi->filename, "/\\") != NULL ||
		    !form_text_valid(fi->filename, strlen(fi->filename), 0))
			abort();
		if (fi->content_type == NULL || fi->content_type[0] == '\0')
			abort();
		if (fi->len > fuzz_limits.max_file_size)
			abort();
		/* File data points into the body, never past it. */
		if ((const char *)fi->data < body || fi->len > len ||
		    (size_t)((const char *)fi->data - body) > len - fi->len)
			abort();
		if (fi->filename[0] == '\0' && fi->len == 0)
			abort();
		if (form_file(f, fi->field) == NULL)
			abort();
	}
}

static enum form_err
fuzz_parse(const char *ct, const char *body, size_t len, long fail)
{
	struct arena *a = arena_new(1024);
	struct form f;
	enum form_err e;

	if (a == NULL)
		abort();
	form_init(&f);
	mem_fail_after(fail);
	e = form_parse_multipart(a, ct, body, len, &fuzz_limits, &f);
	mem_fail_after(-1);
	if (e == FORM_OK)
		fuzz_check(&f, body, len);
	else if (f.nfields != 0 || f.nfiles != 0)
		abort();
	arena_free(a);
	return e;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char prefix[] = "multipart/form-data; boundary=";
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t line = nl != NULL ? (size_t)(nl - s) : size;
	const char *body = nl != NULL ? nl + 1 : s + size;
	size_t len = size - (size_t)(body - s);
	char *ct;
	enum form_err e, e2;

	/* Room for the prefix; a NUL in the line just ends the string early. */
	ct = malloc(sizeof(prefix) + line);
	if (ct == NULL)
		abort();
	if (line >= 10 && memcmp(s, "multipart/", 10) == 0) {
		memcpy(ct, s, line);
		ct[line] = '\0';
	} else {
		memcpy(ct, prefix, sizeof(prefix) - 1);
		memcpy(ct + sizeof(prefix) - 1, s, line);
		ct[sizeof(prefix) - 1 + line] = '\0';
	}
	e = fuzz_parse(ct, body, len, -1);
	e2 = fuzz_parse(ct, body, len, (long)(size % 7));
	if (e2 != e && e2 != FORM_NOMEM)
		abort();
	free(ct);
	return 0;
}
