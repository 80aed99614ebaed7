/*
 * check_report_export.c — a grid exported as CSV, XLSX and PDF, and the
 * process that asked for the XLSX and PDF left without their libraries
 * (they are opened only by the short-lived process that makes the file).
 */
#include "core/buf.h"
#include "domain/report_export.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

Suite *report_export_suite(void);

static const char *const cols[] = { "Queue", "Tickets" };
static const unsigned char numeric[] = { 0, 1 };
static const char *const cells[] = { "Billing", "12", "Returns", NULL };
static const struct report_grid grid = {
	.title = "Tickets by queue", .subtitle = "1–7 March", .ncols = 2, .nrows = 2,
	.cols = cols, .numeric = numeric, .cells = cells,
};

/* Whether this process maps a file whose path holds name. */
static int
maps(const char *name)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096];
	int found = 0;

	ck_assert_ptr_nonnull(f);
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, name) != NULL;
	fclose(f);
	return found;
}

START_TEST(formats)
{
	struct buf out;

	buf_init(&out, NULL);
	ck_assert_int_eq(report_grid_export(&grid, RF_CSV, &out), CS_OK);
	ck_assert_str_eq(out.buf, "Queue,Tickets\r\nBilling,12\r\nReturns,\r\n");
	buf_reset(&out);
	ck_assert_int_eq(report_grid_export(&grid, RF_XLSX, &out), CS_OK);
	ck_assert_uint_gt(out.len, 1000);
	ck_assert_int_eq(memcmp(out.buf, "PK\3\4", 4), 0);
	buf_reset(&out);
	ck_assert_int_eq(report_grid_export(&grid, RF_PDF, &out), CS_OK);
	ck_assert_uint_gt(out.len, 1000);
	ck_assert_int_eq(memcmp(out.buf, "%PDF-", 5), 0);
	ck_assert_ptr_nonnull(strstr(out.buf + out.len - 8, "%%EOF"));
	buf_release(&out);
	/* The libraries stayed in the process that made the files. */
	ck_assert(!maps("libcairo"));
	ck_assert(!maps("libxlsxwriter"));
	ck_assert(!maps("libfontconfig"));
}
END_TEST

Suite *
report_export_suite(void)
{
	Suite *s = suite_create("report_export");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, formats);
	suite_add_tcase(s, tc);
	return s;
}
