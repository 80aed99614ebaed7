/*
 * The interface strings (web/i18n.h): every {{l.key}} a template uses is
 * in every catalogue; a catalogue that lacks a key of English (half a
 * language) or has a bad line stops start-up; an unknown language reads
 * English, an unknown key nothing; a sentence with a value ({{%l.key}})
 * renders in the order its translation gives, and a translation must keep
 * English's {placeholders}.
 */
#include "web/i18n.h"
#include "core/arena.h"
#include "core/buf.h"
#include "tmpl/tmpl.h"
#include "tmpl/tval.h"

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

/* Checks each {{l.key}} and {{%l.key}} of the file at path against every catalogue; counts keys seen. */
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
		while ((p = strstr(p, "{{")) != NULL) {
			const char *const *code;
			char key[128];
			size_t n;

			p += 2 + (p[2] == '%');		/* the name, after a format's % */
			if (strncmp(p, "l.", 2) != 0)
				continue;
			p += 2;
			n = strcspn(p, "}");
			ck_assert_uint_lt(n, sizeof(key));
			memcpy(key, p, n);
			key[n] = '\0';
			for (code = i18n_languages(); *code != NULL; code++)
				ck_assert_msg(i18n_text(*code, key) != NULL,
				    "%s:%d: \"%s\" is not in %s.strings", path, ln, key, *code);
			(*seen)++;
			p += n;
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
	/* Every console and portal page: a few thousand uses. */
	ck_assert_int_ge(seen, 2000);
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

/* Writes text to dir/name. */
static void
put(const char *dir_, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir_, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* tmpl_src rendered with code's catalogue as "l" and count = 3. */
static void
render(const char *code, const char *tmpl_src, struct buf *out)
{
	struct tmpl_set *set = tmpl_set_new();
	struct arena *a = arena_new(1024);
	struct tval *ctx = tval_map(a), *row = tval_map(a);
	char err[256];

	ck_assert_int_eq(tmpl_set_add(set, "t", tmpl_src, strlen(tmpl_src)), 0);
	ck_assert_int_eq(tmpl_set_compile(set, 1, err, sizeof(err)), 0);
	tval_set(a, ctx, "l", i18n_catalogue(code));
	tval_set_int(a, row, "count", 3);
	tval_set(a, ctx, "row", row);
	buf_init(out, NULL);
	ck_assert_int_eq(tmpl_render(set, "t", ctx, out), 0);
	tmpl_set_free(set);
	arena_free(a);
}

START_TEST(a_sentence_with_a_value_is_ordered_by_its_translation)
{
	char tmp[] = "/tmp/i18n-XXXXXX", err[256];
	struct buf out;

	ck_assert_ptr_nonnull(mkdtemp(tmp));
	put(tmp, "en.strings", "at_risk = {count} tickets at risk\nx = <{count}>\n");
	put(tmp, "fr.strings", "at_risk = À risque : {count} tickets\nx = <{count}>\n");
	ck_assert_msg(i18n_load(tmp, err, sizeof(err)) == 0, "%s", err);
	render("en", "{{#row}}{{%l.at_risk}}{{/row}}|{{%l.x}}|{{l.x}}", &out);
	ck_assert_str_eq(out.buf, "3 tickets at risk|&lt;&gt;|&lt;{count}&gt;");
	buf_release(&out);
	render("fr", "{{#row}}{{%l.at_risk}}{{/row}}", &out);
	ck_assert_str_eq(out.buf, "À risque : 3 tickets");
	buf_release(&out);

	/* A translation that drops a value, or names one English has not, stops start-up. */
	put(tmp, "fr.strings", "at_risk = Des tickets à risque\nx = <{count}>\n");
	ck_assert_int_eq(i18n_load(tmp, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "\"at_risk\" lacks {count}") != NULL, "%s", err);
	put(tmp, "fr.strings", "at_risk = {count} tickets at risk\nx = <{count}> {n}\n");
	ck_assert_int_eq(i18n_load(tmp, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "\"x\" has {n}, which English has not") != NULL, "%s", err);
	snprintf(err, sizeof(err), "%s/fr.strings", tmp);
	remove(err);
	snprintf(err, sizeof(err), "%s/en.strings", tmp);
	remove(err);
	rmdir(tmp);
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
	tcase_add_test(tc, a_sentence_with_a_value_is_ordered_by_its_translation);
	suite_add_tcase(s, tc);
	return s;
}
