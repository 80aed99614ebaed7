/*
 * The database test runner: suites that need PostgreSQL but no web server.
 * Each check_<area>.c exports <area>_suite() and makes its own database.
 */
#include <check.h>
#include <stdlib.h>

#define SUITES(X) X(db) X(migrate) X(events) X(cli_ticket) X(audit) X(notify) X(tickets) X(gen) \
	/* Working together on tickets. */ X(ticket_collab) \
	/* Ticket intake: */ X(intake) \
	/* console list views and their indexes */ X(ticket_lists) \
	/* SLA and escalation. */ X(sla) X(sla_admin) X(sla_state) X(sla_panel) \
	/* Ticket mail, auto-close and metrics. */ \
	X(ticket_notify) X(metrics) \
	/* Ticket use cases and their events. */ X(ticket_usecases) \
	/* The agent's notification choices. */ X(workspace_mail) \
	/* Knowledge base. */ \
	X(kb) X(kb_speed) \
	/* Hardening (issue 12). */ \
	X(hardening) \
	/* Warranty: registrations, coverage, contracts, claims. */ X(warranty) X(warranty_data) \
	X(limits) \
	/* Analytics (issue 18). */ X(analytics) X(report_schedule) X(analytics_more) \
	X(report_lists) \
	/* E-mail in and out. */ X(mail) X(mail_out) \
	/* Surveys and quality reviews (issue 18). */ X(surveys) X(qa) \
	/* Automation, assignment and escalation (issue 15). */ X(automation) X(automation_rules) \
	/* A time rule's dry run and tick agree. */ X(automation_due) \
	/* Returns (RMA). */ X(returns) X(returns_data) \
	/* Field service. */ X(field) X(field_dispatch) X(field_photos) \
	/* Service parts. */ X(parts) X(parts_rollup) \
	/* Ticket types, sub-categories, sites (issue 15). */ X(types_sites) \
	/* Webhooks (issue 15). */ X(webhooks) \
	/* A ticket's site after creation; business-hours waits (issue 15). */ X(site_more) \
	/* Creation at speed: one INSERT, idempotency in the use case; a mail spool. */ \
	X(intake_speed) X(mail_spool) \
	/* Creation from many connections: one lock order (issue 11). */ X(create_race) \
	/* The ticket page's customer figures, kept at write time (issue 11). */ \
	X(customer_figures) X(ticket_sheet) \
	/* What a creation costs: one walk of the calendar (issue 11). */ X(create_cost) \
	/* Sign-in, sign-up and account changes as use cases. */ X(auth_cases)

#define DECLARE(name) Suite *name##_suite(void);
SUITES(DECLARE)
#undef DECLARE

int
main(void)
{
	SRunner *sr = srunner_create(NULL);
	int failed;

#define ADD(name) srunner_add_suite(sr, name##_suite());
	SUITES(ADD)
#undef ADD
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
