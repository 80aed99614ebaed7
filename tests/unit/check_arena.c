/* Unit tests: the arena and the buffer (src/core/arena.c, buf.c). */
#include "core/arena.h"
#include "core/buf.h"
#include "core/mem.h"

#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

START_TEST(arena_allocations_are_aligned_and_distinct)
{
	struct arena *a = arena_new(1024);
	char *p[100];
	int i;

	for (i = 0; i < 100; i++) {
		p[i] = arena_alloc(a, (size_t)i * 7 + 1);
		ck_assert_ptr_nonnull(p[i]);
		ck_assert_uint_eq((uintptr_t)p[i] % 16, 0);
		memset(p[i], i, (size_t)i * 7 + 1);
	}
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(p[i][(size_t)i * 7], (char)i);
	arena_free(a);
}
END_TEST

START_TEST(arena_reset_keeps_first_chunk_only)
{
	struct arena *a = arena_new(4096);
	size_t first = arena_footprint(a);
	int round, i;

	for (round = 0; round < 1000; round++) {
		for (i = 0; i < 50; i++)
			ck_assert_ptr_nonnull(arena_alloc(a, 1000));
		ck_assert_uint_gt(arena_footprint(a), first);
		arena_reset(a);
		/* What a worker holds between requests does not grow. */
		ck_assert_uint_eq(arena_footprint(a), first);
	}
	arena_free(a);
}
END_TEST

START_TEST(arena_big_allocation_gets_own_chunk)
{
	struct arena *a = arena_new(1024);
	char *big = arena_alloc(a, 1 << 20);

	ck_assert_ptr_nonnull(big);
	memset(big, 1, 1 << 20);
	ck_assert_ptr_null(arena_alloc(a, SIZE_MAX - 4));
	ck_assert_ptr_null(arena_calloc(a, SIZE_MAX / 2, 4));
	arena_free(a);
}
END_TEST

START_TEST(arena_realloc_grows_in_place_and_copies)
{
	struct arena *a = arena_new(1024);
	char *p = arena_alloc(a, 10), *q, *r;

	memcpy(p, "123456789", 10);
	q = arena_realloc(a, p, 10, 100);
	ck_assert_ptr_eq(p, q);
	r = arena_alloc(a, 8);
	ck_assert_ptr_nonnull(r);
	q = arena_realloc(a, p, 100, 200);
	ck_assert_ptr_ne(p, q);
	ck_assert_str_eq(q, "123456789");
	arena_free(a);
}
END_TEST

START_TEST(arena_strings)
{
	struct arena *a = arena_new(1024);

	ck_assert_str_eq(arena_strdup(a, "hello"), "hello");
	ck_assert_str_eq(arena_strndup(a, "hello", 3), "hel");
	ck_assert_str_eq(arena_printf(a, "%s-%d", "x", 42), "x-42");
	arena_free(a);
}
END_TEST

/* arena_lld writes what printf's %lld does, at both ends of the range. */
START_TEST(arena_lld_is_printf)
{
	static const long long v[] = { 0, 1, -1, 9, 10, -10, 123456789, 9007199254740993LL,
		LLONG_MAX, LLONG_MIN, LLONG_MIN + 1 };
	struct arena *a = arena_new(1024);
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		ck_assert_str_eq(arena_lld(a, v[i]), arena_printf(a, "%lld", v[i]));
	arena_free(a);
}
END_TEST

START_TEST(arena_out_of_memory_is_null_not_crash)
{
	struct arena *a = arena_new(1024);

	mem_fail_after(0);
	ck_assert_ptr_null(arena_alloc(a, 1 << 16));
	ck_assert_ptr_nonnull(arena_alloc(a, 16));	/* the first chunk still serves */
	mem_fail_after(-1);
	ck_assert_ptr_nonnull(arena_alloc(a, 1 << 16));
	arena_free(a);
	mem_fail_after(0);
	ck_assert_ptr_null(arena_new(1024));
	mem_fail_after(-1);
}
END_TEST

START_TEST(buf_is_never_null_and_terminated)
{
	struct buf b;

	buf_init(&b, NULL);
	ck_assert_ptr_nonnull(b.buf);
	ck_assert_str_eq(b.buf, "");
	buf_addstr(&b, "abc");
	buf_addch(&b, 'd');
	buf_printf(&b, "%d", 12345);
	ck_assert_str_eq(b.buf, "abcd12345");
	ck_assert_uint_eq(b.len, 9);
	buf_reset(&b);
	ck_assert_str_eq(b.buf, "");
	buf_release(&b);
	ck_assert_str_eq(b.buf, "");
}
END_TEST

START_TEST(buf_grows_in_arena)
{
	struct arena *a = arena_new(1024);
	struct buf b;
	int i;

	buf_init(&b, a);
	for (i = 0; i < 10000; i++)
		buf_addstr(&b, "0123456789");
	ck_assert_uint_eq(b.len, 100000);
	ck_assert_int_eq(b.buf[b.len], '\0');
	ck_assert(!buf_failed(&b));
	arena_free(a);
}
END_TEST

START_TEST(buf_escapes_html)
{
	struct buf b;

	buf_init(&b, NULL);
	buf_add_html(&b, "<a href=\"x\">Tom & Jerry's</a>", 29);
	ck_assert_str_eq(b.buf, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
	buf_release(&b);
}
END_TEST

/* Every other byte, high ones and NUL included, goes through as it is. */
START_TEST(buf_escapes_only_five_bytes)
{
	unsigned char all[256];
	struct buf b;
	size_t i, k = 0;

	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	buf_init(&b, NULL);
	buf_add_html(&b, (const char *)all, sizeof(all));
	for (i = 0; i < 256; i++) {
		const char *rep = i == '&' ? "&amp;" : i == '<' ? "&lt;" : i == '>' ? "&gt;" :
		    i == '"' ? "&quot;" : i == '\'' ? "&#39;" : NULL;

		if (rep != NULL) {
			ck_assert_int_eq(memcmp(b.buf + k, rep, strlen(rep)), 0);
			k += strlen(rep);
		} else {
			ck_assert_int_eq((unsigned char)b.buf[k], i);
			k++;
		}
	}
	ck_assert_uint_eq(b.len, k);
	buf_release(&b);
}
END_TEST

/* Search snippets: matches marked, everything else escaped, markers unpaired or
 * left open never leave a tag open or a marker byte in the page. */
START_TEST(buf_marks_matches)
{
	struct buf b;

	buf_init(&b, NULL);
	buf_add_marked_html(&b, "a <b> \x02printer\x03 & \x03x \x02open", '\x02', '\x03');
	ck_assert_str_eq(b.buf, "a &lt;b&gt; <mark>printer</mark> &amp; x <mark>open</mark>");
	buf_release(&b);
}
END_TEST

/* A file's bytes through a pipe: written whole, read to the end, or
 * stopped past a limit; 100,000 bytes, more than a pipe holds at once. */
START_TEST(buf_writes_and_reads_a_descriptor)
{
	struct buf in, out;
	int p[2];
	size_t i;

	buf_init(&in, NULL);
	for (i = 0; i < 100000; i++)
		buf_addch(&in, 'a' + (int)(i % 26));
	ck_assert_int_eq(pipe(p), 0);
	if (fork() == 0) {
		close(p[0]);
		_exit(buf_write_fd(&in, p[1]) == 0 ? 0 : 1);
	}
	close(p[1]);
	buf_init(&out, NULL);
	buf_addstr(&out, ">");
	ck_assert_int_eq(buf_add_fd(&out, p[0], 1000000), 0);
	close(p[0]);
	ck_assert_uint_eq(out.len, in.len + 1);
	ck_assert_int_eq(memcmp(out.buf + 1, in.buf, in.len), 0);
	ck_assert_int_eq(out.buf[out.len], '\0');

	ck_assert_int_eq(pipe(p), 0);
	if (fork() == 0) {
		close(p[0]);
		_exit(buf_write_fd(&in, p[1]) == 0 ? 0 : 1);
	}
	close(p[1]);
	buf_reset(&out);
	ck_assert_int_eq(buf_add_fd(&out, p[0], 5000), 1);
	ck_assert_uint_gt(out.len, 5000);
	ck_assert_uint_lt(out.len, in.len);
	close(p[0]);
	ck_assert_int_eq(buf_add_fd(&out, -1, 10), -1);
	buf_release(&in);
	buf_release(&out);
}
END_TEST

START_TEST(buf_failure_is_sticky)
{
	struct buf b;

	buf_init(&b, NULL);
	buf_addstr(&b, "kept");
	mem_fail_after(0);
	buf_add(&b, "x", 200);
	mem_fail_after(-1);
	ck_assert(buf_failed(&b));
	buf_addstr(&b, "ignored");
	ck_assert_str_eq(b.buf, "kept");
	buf_release(&b);
}
END_TEST

Suite *arena_suite(void);
Suite *buf_suite(void);

Suite *
arena_suite(void)
{
	Suite *s = suite_create("arena");
	TCase *tc = tcase_create("arena");

	tcase_add_test(tc, arena_allocations_are_aligned_and_distinct);
	tcase_add_test(tc, arena_reset_keeps_first_chunk_only);
	tcase_add_test(tc, arena_big_allocation_gets_own_chunk);
	tcase_add_test(tc, arena_realloc_grows_in_place_and_copies);
	tcase_add_test(tc, arena_strings);
	tcase_add_test(tc, arena_lld_is_printf);
	tcase_add_test(tc, arena_out_of_memory_is_null_not_crash);
	suite_add_tcase(s, tc);
	return s;
}

Suite *
buf_suite(void)
{
	Suite *s = suite_create("buf");
	TCase *tc = tcase_create("buf");

	tcase_add_test(tc, buf_is_never_null_and_terminated);
	tcase_add_test(tc, buf_grows_in_arena);
	tcase_add_test(tc, buf_writes_and_reads_a_descriptor);
	tcase_add_test(tc, buf_escapes_html);
	tcase_add_test(tc, buf_escapes_only_five_bytes);
	tcase_add_test(tc, buf_marks_matches);
	tcase_add_test(tc, buf_failure_is_sticky);
	suite_add_tcase(s, tc);
	return s;
}
