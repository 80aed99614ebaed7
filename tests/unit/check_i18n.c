/*
 * The interface strings (web/i18n.h): every {{l.key}} a template uses is
 * in every catalogue; a catalogue that lacks a key of English (half a
 * language) or has a bad line stops start-up; an unknown language reads
 * English, an unknown key nothing.
 */
#include "web/i18n.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[4096];

static void
setup(void)
{
	const char *data = getenv("CSDESK_DATADIR");
	char err[256];

	snprintf(dir, sizeof(dir), "%s/templates", data != NULL ? data : ".");
	{
		char loc[4200];

		snprintf(loc, sizeof(loc), "%s/locale", dir);
		ck_assert_msg(i18n_load(loc, err, sizeof(err)) == 0, "load: %s", err);
	}
}

/* Checks each {{l.key}} of the file at path against every catalogue; counts keys seen. */
static void
check_file(const char *path, int *seen)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	int ln = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		const char *p = line;

		ln++;
		while ((p = strstr(p, "{{l.")) != NULL) {
			const char *const *code;
			char key[128];
			size_t n = strcspn(p + 4, "}");

			ck_assert_uint_lt(n, sizeof(key));
			memcpy(key, p + 4, n);
			key[n] = '\0';
			for (code = i18n_languages(); *code != NULL; code++)
				ck_assert_msg(i18n_text(*code, key) != NULL,
				    "%s:%d: \"%s\" is not in %s.strings", path, ln, key, *code);
			(*seen)++;
			p += 4 + n;
		}
	}
	fclose(f);
}

static void
walk(const char *d, int *seen)
{
	DIR *dp = opendir(d);
	struct dirent *e;

	ck_assert_ptr_nonnull(dp);
	while ((e = readdir(dp)) != NULL) {
		char path[4600];
		struct stat st;
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", d, e->d_name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			walk(path, seen);
		else if (len > 9 && strcmp(e->d_name + len - 9, ".mustache") == 0)
			check_file(path, seen);
	}
	closedir(dp);
}

START_TEST(every_key_the_templates_use_is_in_every_catalogue)
{
	int seen = 0;

	walk(dir, &seen);
	/* The settings page, the ticket's navigation and the shortcuts at least. */
	ck_assert_int_ge(seen, 40);
}
END_TEST

START_TEST(an_unknown_language_reads_english_and_an_unknown_key_nothing)
{
	ck_assert_str_eq(i18n_languages()[0], "en");
	ck_assert_ptr_nonnull(i18n_catalogue("xx"));
	ck_assert_str_eq(i18n_text("xx", "ticket_next"), "Next ticket");
	ck_assert_str_eq(i18n_text(NULL, "language_name"), "English");
	ck_assert_ptr_null(i18n_text("en", "no_such_key"));
}
END_TEST

START_TEST(a_catalogue_without_english_or_with_a_bad_line_stops_start_up)
{
	char tmp[] = "/tmp/i18n-XXXXXX", path[64], err[256];
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(tmp));
	ck_assert_int_eq(i18n_load(tmp, err, sizeof(err)), -1);
	snprintf(path, sizeof(path), "%s/en.strings", tmp);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("# a comment\nticket_next = Next ticket\nno equals sign here\n", f);
	fclose(f);
	ck_assert_int_eq(i18n_load(tmp, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "without") != NULL, "%s", err);
	f = fopen(path, "w");
	fputs("ticket_next = Next ticket\nticket_prev = Previous ticket\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/fr.strings", tmp);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("ticket_next = Ticket suivant\n", f);
	fclose(f);
	ck_assert_int_eq(i18n_load(tmp, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "fr.strings lacks \"ticket_prev\"") != NULL, "%s", err);
	remove(path);
	snprintf(path, sizeof(path), "%s/en.strings", tmp);
	remove(path);
	rmdir(tmp);
	/* Back to the real ones for the other tests. */
	setup();
}
END_TEST

Suite *i18n_suite(void);

Suite *
i18n_suite(void)
{
	Suite *s = suite_create("i18n");
	TCase *tc = tcase_create("catalogues");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, every_key_the_templates_use_is_in_every_catalogue);
	tcase_add_test(tc, an_unknown_language_reads_english_and_an_unknown_key_nothing);
	tcase_add_test(tc, a_catalogue_without_english_or_with_a_bad_line_stops_start_up);
	suite_add_tcase(s, tc);
	return s;
}
