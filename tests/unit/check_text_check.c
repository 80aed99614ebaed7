/*
 * Unit tests: what a one-line name may hold and how a stored one is shown
 * (domain/text_check), the CSV field writer's formula guard
 * (domain/ticket_csv) and the shape of CSDESK_DB (core/config).
 */
#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "domain/text_check.h"
#include "domain/ticket_csv.h"

#include <check.h>
#include <string.h>

static const struct {
	const char *s;
	int ok;
} lines[] = {
	{ "Router drops Wi-Fi", 1 }, { "", 1 }, { "naïve café — 東京", 1 },
	{ "مرحبا بالعالم", 1 },			/* right-to-left text is fine... */
	{ "\xe2\x80\xae" "evil", 0 },		/* ...an override of its direction is not */
	{ "a\xe2\x80\xaa" "b", 0 }, { "a\xe2\x80\xad" "b", 0 }, { "a\xe2\x81\xa6" "b", 0 },
	{ "a\xe2\x81\xa9" "b", 0 }, { "a\xe2\x80\x8e" "b", 0 }, { "a\xe2\x80\x8f" "b", 0 },
	{ "a\xd8\x9c" "b", 0 },			/* U+061C ARABIC LETTER MARK */
	{ "\tTab", 0 }, { "CR\r", 0 }, { "L\nF", 0 }, { "NUL\x01", 0 }, { "DEL\x7f", 0 },
	{ "C1\xc2\x9b", 0 }, { "line\xe2\x80\xa8sep", 0 }, { "para\xe2\x80\xa9sep", 0 },
	{ "zero\xe2\x80\x8bwidth space", 1 },	/* invisible, but no direction or control */
	{ "cut \xe2\x80", 1 },			/* not UTF-8: never read past the end */
};

START_TEST(one_line_names)
{
	ck_assert_msg(text_line_ok(lines[_i].s) == lines[_i].ok, "case %d", _i);
}
END_TEST

START_TEST(stored_names_are_neutralised)
{
	char out[64];

	text_line_clean(out, sizeof(out), "report\xe2\x80\xae" "fdp.zip");
	ck_assert_str_eq(out, "reportfdp.zip");
	text_line_clean(out, sizeof(out), "two\tparts\r\n.txt");
	ck_assert_str_eq(out, "two_parts__.txt");
	text_line_clean(out, sizeof(out), "\xe2\x81\xa7" "東京.pdf\xe2\x81\xa9");
	ck_assert_str_eq(out, "東京.pdf");
	/* Cut at a character boundary when the room is short. */
	text_line_clean(out, 5, "ab東京");
	ck_assert_str_eq(out, "ab");
	ck_assert_int_eq(text_is_bidi_control(0x202e), 1);
	ck_assert_int_eq(text_is_bidi_control(0x0627), 0);
}
END_TEST

static const struct {
	const char *in, *out;
} fields[] = {
	{ "plain", "plain" }, { "=1+1", "'=1+1" }, { "+33 1 23", "'+33 1 23" },
	{ "-2", "'-2" }, { "@SUM(A1)", "'@SUM(A1)" },
	{ "\t=cmd", "'\t=cmd" },		/* the TAB the issue found */
	{ "\r=cmd", "\"'\r=cmd\"" },		/* CR: guarded, and quoted as RFC 4180 asks */
	{ "\n=cmd", "\"'\n=cmd\"" },
	{ "\xef\xbc\x9d" "1+1", "'\xef\xbc\x9d" "1+1" },	/* full-width = */
	{ "a \"quote\", comma", "\"a \"\"quote\"\", comma\"" },
	{ "=HYPERLINK(\"x\"), y", "\"'=HYPERLINK(\"\"x\"\"), y\"" },
	{ "mid=dle", "mid=dle" }, { "", "" },
};

START_TEST(csv_fields_guard_every_formula_start)
{
	struct arena *a = arena_new(1024);
	struct buf b;

	buf_init(&b, a);
	ticket_csv_field(&b, fields[_i].in);
	ck_assert(!buf_failed(&b));
	ck_assert_msg(strcmp(b.buf, fields[_i].out) == 0, "case %d: got [%s]", _i, b.buf);
	arena_free(a);
}
END_TEST

START_TEST(csdesk_db_shape)
{
	ck_assert_ptr_null(config_conninfo_refused("dbname=csdesk"));
	ck_assert_ptr_null(config_conninfo_refused("host=/run/postgresql dbname=csdesk user=x"));
	ck_assert_ptr_null(config_conninfo_refused("postgresql://u@h:5432/csdesk"));
	ck_assert_ptr_null(config_conninfo_refused("postgres:///csdesk"));
	ck_assert_ptr_nonnull(config_conninfo_refused("csdesk"));
	ck_assert_ptr_nonnull(config_conninfo_refused("localhost:5432"));
	ck_assert_ptr_nonnull(strstr(config_conninfo_refused("csdesk"), "key=value"));
}
END_TEST

Suite *text_check_suite(void);

Suite *
text_check_suite(void)
{
	Suite *s = suite_create("text_check");
	TCase *tc = tcase_create("text_check");

	tcase_add_loop_test(tc, one_line_names, 0, (int)(sizeof(lines) / sizeof(lines[0])));
	tcase_add_test(tc, stored_names_are_neutralised);
	tcase_add_loop_test(tc, csv_fields_guard_every_formula_start, 0,
	    (int)(sizeof(fields) / sizeof(fields[0])));
	tcase_add_test(tc, csdesk_db_shape);
	suite_add_tcase(s, tc);
	return s;
}
