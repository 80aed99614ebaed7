/*
 * The HTTP test runner: suites that drive the real programs through a real
 * nginx (tests/lib/harness.h). Each check_<area>.c exports <area>_suite().
 */
#include <check.h>
#include <curl/curl.h>
#include <stdlib.h>

#define SUITES(X) X(http_platform) X(http_resilience) X(http_drain) X(http_identity) X(http_admin) X(http_tickets) X(http_console_tickets) X(http_api) X(http_api_openapi) X(http_api_fields) X(http_abuse) \
	/* Sign-in and API key hardening. */ X(http_hardening_auth) \
	/* The agent's ticket page. */ X(http_ticket_page) \
	/* The agent's workspace. */ X(http_workspace) X(http_workspace_flow) \
	/* Named 400s for mistyped addresses. */ X(http_bad_query) \
	/* Mail to review on the ticket page. */ X(http_mail_review) \
	/* Ticket intake: */ X(http_intake) \
	/* SLA and escalation. */ X(http_sla) \
	/* Reports and given-up mail. */ \
	X(http_reports) X(http_analytics) \
	/* Knowledge base. */ \
	X(http_kb) \
	/* Hardening (issue 12). */ \
	X(http_hardening) \
	/* E-mail admin pages and the mail log. */ X(http_mail_admin) \
	/* Warranty: products, cover, claims. */ X(http_warranty) \
	/* Surveys and quality reviews (issue 18). */ X(http_surveys) \
	/* Automation, assignment and escalation (issue 15). */ X(http_automation) \
	/* Returns (RMA). */ X(http_returns) \
	/* Field service. */ X(http_field) X(http_dispatch) X(http_field_photos) \
	/* Service parts. */ X(http_parts) \
	/* Ticket types, sub-categories, sites (issue 15). */ X(http_types_sites) \
	/* A ticket's site through every channel (issue 15). */ X(http_site)

#define DECLARE(name) Suite *name##_suite(void);
SUITES(DECLARE)
#undef DECLARE

int
main(void)
{
	SRunner *sr = srunner_create(NULL);
	int failed;

	curl_global_init(CURL_GLOBAL_ALL);
#define ADD(name) srunner_add_suite(sr, name##_suite());
	SUITES(ADD)
#undef ADD
	/* Stacks are started once per test case in unchecked fixtures, which
	 * run in this process: no fork, so they are shared by its tests. */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	curl_global_cleanup();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
