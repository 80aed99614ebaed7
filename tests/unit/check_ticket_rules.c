/*
 * The ticket workflow table (domain/ticket_rules.h), case by case for
 * staff, customers and the system; the names and labels; the attachment
 * allow-list (domain/tickets.h); and markdown rendered without script.
 */
#include "core/arena.h"
#include "domain/ticket_rules.h"
#include "domain/tickets.h"
#include "web/markdown.h"

#include <check.h>
#include <string.h>

static const struct {
	enum ticket_actor actor;
	enum ticket_status from, to;
	int allowed;
} moves[] = {
	/* Staff: forward through the work, never back to new, nothing after cancel. */
	{ TA_STAFF, TS_NEW, TS_ASSIGNED, 1 },
	{ TA_STAFF, TS_NEW, TS_RESOLVED, 1 },
	{ TA_STAFF, TS_NEW, TS_CLOSED, 0 },
	{ TA_STAFF, TS_ASSIGNED, TS_IN_PROGRESS, 1 },
	{ TA_STAFF, TS_ASSIGNED, TS_NEW, 0 },
	{ TA_STAFF, TS_IN_PROGRESS, TS_PENDING_CUSTOMER, 1 },
	{ TA_STAFF, TS_IN_PROGRESS, TS_PENDING_PARTS, 1 },
	{ TA_STAFF, TS_IN_PROGRESS, TS_CLOSED, 0 },
	{ TA_STAFF, TS_PENDING_CUSTOMER, TS_IN_PROGRESS, 1 },
	{ TA_STAFF, TS_PENDING_PARTS, TS_RESOLVED, 1 },
	{ TA_STAFF, TS_RESOLVED, TS_CLOSED, 1 },
	{ TA_STAFF, TS_RESOLVED, TS_REOPENED, 1 },
	{ TA_STAFF, TS_RESOLVED, TS_IN_PROGRESS, 0 },
	{ TA_STAFF, TS_CLOSED, TS_REOPENED, 1 },
	{ TA_STAFF, TS_CLOSED, TS_IN_PROGRESS, 0 },
	{ TA_STAFF, TS_REOPENED, TS_IN_PROGRESS, 1 },
	{ TA_STAFF, TS_REOPENED, TS_RESOLVED, 1 },
	{ TA_STAFF, TS_CANCELLED, TS_REOPENED, 0 },
	{ TA_STAFF, TS_CANCELLED, TS_NEW, 0 },
	{ TA_STAFF, TS_IN_PROGRESS, TS_IN_PROGRESS, 0 },
	/* Customers only confirm and reopen. */
	{ TA_CUSTOMER, TS_RESOLVED, TS_CLOSED, 1 },
	{ TA_CUSTOMER, TS_RESOLVED, TS_REOPENED, 1 },
	{ TA_CUSTOMER, TS_CLOSED, TS_REOPENED, 1 },
	{ TA_CUSTOMER, TS_NEW, TS_CLOSED, 0 },
	{ TA_CUSTOMER, TS_ASSIGNED, TS_CANCELLED, 0 },
	{ TA_CUSTOMER, TS_IN_PROGRESS, TS_RESOLVED, 0 },
	{ TA_CUSTOMER, TS_PENDING_CUSTOMER, TS_IN_PROGRESS, 0 },
	{ TA_CUSTOMER, TS_CANCELLED, TS_REOPENED, 0 },
	/* The system assigns and closes after the waiting period. */
	{ TA_SYSTEM, TS_NEW, TS_ASSIGNED, 1 },
	{ TA_SYSTEM, TS_RESOLVED, TS_CLOSED, 1 },
	{ TA_SYSTEM, TS_PENDING_CUSTOMER, TS_RESOLVED, 1 },
	{ TA_SYSTEM, TS_IN_PROGRESS, TS_RESOLVED, 0 },
	{ TA_SYSTEM, TS_ASSIGNED, TS_IN_PROGRESS, 0 },
	{ TA_SYSTEM, TS_CLOSED, TS_REOPENED, 0 },
	/* Out of range is never allowed. */
	{ TA_STAFF, TS__MAX, TS_NEW, 0 },
	{ TA_STAFF, TS_NEW, TS__MAX, 0 },
};

START_TEST(transition_table)
{
	int i = _i;

	ck_assert_msg(ticket_transition_allowed(moves[i].actor, moves[i].from, moves[i].to) ==
	    moves[i].allowed, "case %d: %s -> %s by %d", i, ticket_status_name(moves[i].from),
	    ticket_status_name(moves[i].to), (int)moves[i].actor);
}
END_TEST

/* ticket_transitions lists exactly what ticket_transition_allowed allows. */
START_TEST(transitions_agree)
{
	enum ticket_actor actors[] = { TA_STAFF, TA_CUSTOMER, TA_SYSTEM };
	enum ticket_status out[TS__MAX];
	size_t a;
	int from, to, n, k;

	for (a = 0; a < sizeof(actors) / sizeof(actors[0]); a++)
		for (from = 0; from < TS__MAX; from++) {
			n = ticket_transitions(actors[a], (enum ticket_status)from, out);
			for (to = 0, k = 0; to < TS__MAX; to++) {
				int allowed = ticket_transition_allowed(actors[a],
				    (enum ticket_status)from, (enum ticket_status)to);

				if (allowed) {
					ck_assert_int_lt(k, n);
					ck_assert_int_eq(out[k++], to);
				}
				/* Nobody moves a ticket to where it is, or back to new. */
				if (to == from || to == TS_NEW)
					ck_assert_int_eq(allowed, 0);
			}
			ck_assert_int_eq(k, n);
		}
}
END_TEST

START_TEST(names_and_labels)
{
	int s;

	for (s = 0; s < TS__MAX; s++) {
		const char *name = ticket_status_name((enum ticket_status)s);

		ck_assert_int_eq(ticket_status_parse(name), s);
		ck_assert_ptr_nonnull(ticket_status_label((enum ticket_status)s, 0));
		ck_assert_ptr_nonnull(ticket_status_label((enum ticket_status)s, 1));
	}
	ck_assert_int_eq(ticket_status_parse("nonsense"), TS__MAX);
	ck_assert_int_eq(ticket_status_parse(NULL), TS__MAX);
	ck_assert_str_eq(ticket_status_label(TS_PENDING_CUSTOMER, 1), "Waiting for you");
	ck_assert_int_eq(ticket_status_open(TS_REOPENED), 1);
	ck_assert_int_eq(ticket_status_open(TS_PENDING_PARTS), 1);
	ck_assert_int_eq(ticket_status_open(TS_RESOLVED), 0);
	ck_assert_int_eq(ticket_status_open(TS_CANCELLED), 0);
	ck_assert_int_eq(ticket_word_valid(ticket_channels, "walk-in"), 1);
	ck_assert_int_eq(ticket_word_valid(ticket_channels, "pigeon"), 0);
	ck_assert_int_eq(ticket_word_valid(ticket_priorities, "critical"), 1);
	ck_assert_int_eq(ticket_word_valid(ticket_urgencies, NULL), 0);
}
END_TEST

START_TEST(attachment_types)
{
	static const struct {
		const char *name;
		const char *data;
		int ok;
	} cases[] = {
		{ "photo.JPG", "\xff\xd8\xff", 1 }, { "report.pdf", "%PDF-1.7", 1 },
		{ "data.csv", "a,b\n1,2\n", 1 }, { "logs.zip", "PK\x03\x04", 1 },
		{ "letter.docx", "PK\x03\x04", 1 }, { "notes.txt", "hello", 1 },
		{ "setup.exe", "MZ\x90", 0 }, { "run.sh", "echo", 0 }, { "page.html", "<p>", 0 },
		{ "image.svg", "<svg", 0 }, { "fake.pdf", "MZ\x90", 0 }, { "elf.txt", "\x7f" "ELF", 0 },
		{ "script.txt", "#!/bin/sh", 0 }, { "noext", "x", 0 }, { ".png", "x", 0 },
		{ "", "x", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ticket_file f = { cases[i].name, "application/octet-stream",
			(const unsigned char *)cases[i].data, strlen(cases[i].data) };

		ck_assert_msg((ticket_file_refused(&f) == NULL) == cases[i].ok, "%s", cases[i].name);
	}
	{
		struct ticket_file big = { "big.txt", "text/plain", (const unsigned char *)"x",
			TICKET_FILE_MAX + 1 };
		struct ticket_file empty = { "e.txt", "text/plain", (const unsigned char *)"", 0 };

		ck_assert_ptr_nonnull(ticket_file_refused(&big));
		ck_assert_ptr_nonnull(ticket_file_refused(&empty));
	}
	ck_assert_str_eq(ticket_file_type("a.PNG"), "image/png");
	ck_assert_str_eq(ticket_download_type("image/png"), "image/png");
	ck_assert_str_eq(ticket_download_type("text/html"), "application/octet-stream");
	ck_assert_str_eq(ticket_download_type(NULL), "application/octet-stream");
}
END_TEST

START_TEST(markdown_safe)
{
	struct arena *a = arena_new(4096);
	const char *h;

	h = md_html(a, "Hello **world**\n\n<script>alert(1)</script>\n\n"
	    "[x](javascript:alert(2)) <img src=x onerror=alert(3)>\n\n"
	    "![i](data:text/html;base64,PHNjcmlwdD4=) [ok](https://example.test/)");
	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_nonnull(strstr(h, "<strong>world</strong>"));
	ck_assert_ptr_null(strstr(h, "<script"));
	ck_assert_ptr_null(strstr(h, "javascript:"));
	ck_assert_ptr_null(strstr(h, "onerror"));
	ck_assert_ptr_null(strstr(h, "data:text/html"));
	ck_assert_ptr_nonnull(strstr(h, "href=\"https://example.test/\""));
	ck_assert_str_eq(md_html(a, NULL), "");
	arena_free(a);
}
END_TEST

Suite *ticket_rules_suite(void);

Suite *
ticket_rules_suite(void)
{
	Suite *s = suite_create("ticket_rules");
	TCase *tc = tcase_create("ticket_rules");

	tcase_add_loop_test(tc, transition_table, 0, (int)(sizeof(moves) / sizeof(moves[0])));
	tcase_add_test(tc, transitions_agree);
	tcase_add_test(tc, names_and_labels);
	tcase_add_test(tc, attachment_types);
	tcase_add_test(tc, markdown_safe);
	suite_add_tcase(s, tc);
	return s;
}
