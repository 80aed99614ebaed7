/*
 * The unit test runner: every suite that needs neither PostgreSQL nor nginx.
 * Each check_<module>.c exports <module>_suite(); add new ones to the table.
 * Suites are declared weak so that the runner links while a module's suite
 * is being written; a missing suite is reported, not silently skipped.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#define SUITES(X) \
	X(arena) X(buf) X(utf8) X(form) X(multipart) X(cookie) X(router) \
	X(tval) X(tmpl) X(mustache_spec) X(config) X(csrf) X(prefork) X(totp) X(password) X(ticket_rules) \
	/* The ticket page: mentions in internal notes, tags. */ X(mentions) X(ticket_fields) \
	/* Ticket intake: */ X(routing_words) \
	/* Forms and the API's bodies (web/fields.h). */ X(fields_json) \
	/* SLA and escalation. */ X(sla_hours) X(sla_words) \
	/* The interface strings, times in a zone. */ X(i18n) X(zone_time) \
	/* Reports. */ \
	X(report_dates) X(report_export) X(svg_chart) \
	/* Knowledge base. */ \
	X(kb_query) X(kb_snippet) \
	/* Hardening (issue 12): one-line names, CSV cells, CSDESK_DB. */ \
	X(text_check) \
	/* Surveys: comments' sentiment. */ X(sentiment) \
	/* Amounts typed into forms. */ X(money)

#define DECLARE(name) Suite *name##_suite(void) __attribute__((weak));
SUITES(DECLARE)
#undef DECLARE

int
main(void)
{
	struct {
		const char *name;
		Suite *(*make)(void);
	} suites[] = {
#define ENTRY(name) { #name, name##_suite },
		SUITES(ENTRY)
#undef ENTRY
	};
	SRunner *sr = NULL;
	size_t i;
	int failed, missing = 0;

	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (suites[i].make == NULL) {
			fprintf(stderr, "unit: suite %s is not linked in\n", suites[i].name);
			missing++;
			continue;
		}
		if (sr == NULL)
			sr = srunner_create(suites[i].make());
		else
			srunner_add_suite(sr, suites[i].make());
	}
	if (sr == NULL)
		return EXIT_FAILURE;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 && missing == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
