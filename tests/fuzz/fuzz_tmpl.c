/*
 * fuzz_tmpl.c — libFuzzer harness for the mustache engine.
 *
 * The input is up to three templates separated by 0xff bytes: "main", "a"
 * and "b" (so partials, parents and recursion get exercised; the context
 * also names "a" and "b" for dynamic names). The set is compiled strict,
 * then non-strict, and every template is rendered against a small fixed
 * context that has a bit of everything: strings that need escaping,
 * numbers, booleans, null, nested maps and a list.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE \
 *       -Isrc tests/fuzz/fuzz_tmpl.c src/tmpl/\*.c src/core/mem.c \
 *       src/core/arena.c src/core/buf.c -o /tmp/fuzz_tmpl
 *   /tmp/fuzz_tmpl -max_total_time=120 -max_len=4096 tests/fuzz/corpus/tmpl
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "tmpl/tmpl.h"
#include "tmpl/tval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SEP 0xff

/* Enough for any sane page; keeps exponential templates quick to reject. */
#define FUZZ_MAX_STEPS 200000

static const char *const names[] = { "main", "a", "b" };

/* Built once and kept for the whole run. */
static struct arena *ctx_arena;
static struct tval *ctx;

static struct tval *
make_context(void)
{
	struct arena *a = ctx_arena;
	struct tval *root, *list, *item, *nested;
	int rc = 0, i;

	root = tval_map(a);
	rc |= tval_set_str(a, root, "name", "<b>\"Tom\" & 'Jerry'</b>");
	rc |= tval_set_str(a, root, "empty", "");
	rc |= tval_set_int(a, root, "n", 42);
	rc |= tval_set(a, root, "pi", tval_num(a, 3.14159));
	rc |= tval_set(a, root, "zero", tval_num(a, 0));
	rc |= tval_set_bool(a, root, "yes", 1);
	rc |= tval_set_bool(a, root, "no", 0);
	rc |= tval_set(a, root, "nothing", tval_null(a));
	rc |= tval_set_str(a, root, "partial", "a");
	rc |= tval_set_str(a, root, "other", "b");
	rc |= tval_set_str(a, root, "self", "main");
	list = tval_list(a);
	for (i = 0; i < 3; i++) {
		item = tval_map(a);
		rc |= tval_set_int(a, item, "i", i);
		rc |= tval_set_str(a, item, "partial", i % 2 ? "b" : "a");
		rc |= tval_push(a, list, item);
	}
	rc |= tval_push(a, list, tval_str(a, "x\ny"));
	rc |= tval_set(a, root, "list", list);
	rc |= tval_set(a, root, "none", tval_list(a));
	nested = tval_map(a);
	rc |= tval_set_str(a, nested, "name", "inner");
	rc |= tval_set(a, nested, "list", list);
	rc |= tval_set(a, root, "nested", nested);
	return rc == 0 ? root : NULL;
}

static void
render_all(const struct tmpl_set *set)
{
	struct buf out;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		buf_init(&out, NULL);
		tmpl_render(set, names[i], ctx, &out);
		buf_release(&out);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tmpl_set *set;
	const uint8_t *sep;
	char err[256];
	size_t i, off = 0, len;

	if (ctx == NULL) {
		ctx_arena = arena_new(4096);
		if (ctx_arena == NULL)
			return 0;
		ctx = make_context();
		if (ctx == NULL)
			return 0;
	}
	set = tmpl_set_new();
	if (set == NULL)
		return 0;
	tmpl_set_max_steps(set, FUZZ_MAX_STEPS);
	/* The last template takes the rest, separators and all. */
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && off <= size; i++) {
		len = size - off;
		if (i + 1 < sizeof(names) / sizeof(names[0])) {
			sep = memchr(data + off, SEP, len);
			if (sep != NULL)
				len = (size_t)(sep - (data + off));
		}
		tmpl_set_add(set, names[i], (const char *)data + off, len);
		off += len + 1;
	}
	if (tmpl_set_compile(set, 1, err, sizeof(err)) == 0)
		render_all(set);
	if (tmpl_set_compile(set, 0, err, sizeof(err)) == 0)
		render_all(set);
	tmpl_set_free(set);
	return 0;
}
