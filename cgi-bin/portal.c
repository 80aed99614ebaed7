/*
 * portal.fcgi — the customer self-service portal: every URL nginx does not
 * send to the console. The route table below is the map of the portal;
 * each handler lives in cgi-bin/portal/<area>.c.
 */
#include "portal/handlers.h"
#include "auth/session.h"

static const struct route routes[] = {
	{ HTTP_GET, "/", portal_home, ACCESS_PUBLIC, 0 },
	{ HTTP_GET, "/login", portal_login_form, ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/login", portal_login, ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/login/link", portal_login_link_ask, ACCESS_PUBLIC, 0 },
	{ HTTP_GET, "/login/link", portal_login_link_form, ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/login/link/use", portal_login_link_use, ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/logout", portal_logout, ACCESS_CUSTOMER, 0 },
	{ HTTP_GET, "/register", portal_register_form, ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/register", portal_register, ACCESS_PUBLIC, 0 },
	{ HTTP_GET, "/verify", portal_verify, ACCESS_PUBLIC, 0 },
	{ HTTP_GET, "/password/forgot", portal_forgot_form, ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/password/forgot", portal_forgot, ACCESS_PUBLIC, 0 },
	{ HTTP_GET, "/password/reset", portal_reset_form, ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/password/reset", portal_reset, ACCESS_PUBLIC, 0 },
	{ HTTP_GET, "/account", portal_account, ACCESS_CUSTOMER, 0 },
	{ HTTP_POST, "/account/password", portal_account_password, ACCESS_CUSTOMER, 0 },
	{ HTTP_POST, "/account/email", portal_account_email, ACCESS_CUSTOMER, 0 },
	{ HTTP_POST, "/account/sessions/end-others", portal_sessions_end_others, ACCESS_CUSTOMER, 0 },
	{ HTTP_POST, "/account/sessions/{id}/end", portal_session_end, ACCESS_CUSTOMER, 0 },
	{ HTTP_GET, "/tickets", portal_tickets, ACCESS_CUSTOMER, 0 },
	{ HTTP_GET, "/tickets/new", portal_ticket_new, ACCESS_CUSTOMER, 0 },
	{ HTTP_POST, "/tickets", portal_ticket_create, ACCESS_CUSTOMER, 0 },
	/* An automatic answer's "this solved it" link (kb_answer.c). */
	{ HTTP_GET, "/tickets/solved/{token}", portal_kb_answer_form, ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/tickets/solved/{token}", portal_kb_answer_solved, ACCESS_PUBLIC, 0 },
	/* One-click unsubscribe (unsubscribe.c): a mail program's POST has no
	 * CSRF token, the address's own token is the proof (RFC 8058). */
	{ HTTP_GET, "/unsubscribe/{token}", portal_unsubscribe_form, ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/unsubscribe/{token}", portal_unsubscribe, ACCESS_PUBLIC, 1 },
	{ HTTP_GET, "/tickets/{number}", portal_ticket, ACCESS_CUSTOMER, 0 },
	{ HTTP_POST, "/tickets/{number}/replies", portal_ticket_reply, ACCESS_CUSTOMER, 0 },
	{ HTTP_POST, "/tickets/{number}/confirm", portal_ticket_confirm, ACCESS_CUSTOMER, 0 },
	{ HTTP_POST, "/tickets/{number}/reopen", portal_ticket_reopen, ACCESS_CUSTOMER, 0 },
	{ HTTP_GET, "/tickets/{number}/attachments/{id}", portal_ticket_attachment,
	    ACCESS_CUSTOMER, 0 },
	/* Products and warranty (warranty.c). */
	{ HTTP_GET, "/products", portal_products, ACCESS_CUSTOMER, 0 },
	{ HTTP_POST, "/products", portal_product_register, ACCESS_CUSTOMER, 0 },
	{ HTTP_GET, "/products/new", portal_product_new, ACCESS_CUSTOMER, 0 },
	{ HTTP_GET, "/products/{id}", portal_product, ACCESS_CUSTOMER, 0 },
	{ HTTP_POST, "/products/{id}/claims", portal_product_claim, ACCESS_CUSTOMER, 0 },
	{ HTTP_GET, "/catalogue/{id}/image", portal_catalogue_image, ACCESS_CUSTOMER, 0 },
	{ HTTP_GET, "/healthz", app_healthz, ACCESS_PUBLIC, 0 },
	/* Surveys (survey.c): a link from an e-mail, no sign-in. */
	{ HTTP_GET, "/survey/answer", portal_survey_form, ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/survey/answer", portal_survey_answer, ACCESS_PUBLIC, 0 },
	/* Technician visits (field_visits.c). */
	{ HTTP_GET, "/visits", portal_visits, ACCESS_CUSTOMER, 0 },
	/* A completed visit's job report (visit_report.c). */
	{ HTTP_GET, "/visits/{id}/report", portal_visit_report, ACCESS_CUSTOMER, 0 },
	/* A photo the technician shared (visit_report.c). */
	{ HTTP_GET, "/visits/{id}/photos/{photo}", portal_visit_photo, ACCESS_CUSTOMER, 0 },
	/* Booking, moving and cancelling their own visits (visits_book.c); /visits/book
	 * before /visits/{id}. */
	{ HTTP_GET, "/visits/book", portal_visit_book_form, ACCESS_CUSTOMER, 0 },
	{ HTTP_POST, "/visits/book", portal_visit_book, ACCESS_CUSTOMER, 0 },
	{ HTTP_GET, "/visits/{id}", portal_visit, ACCESS_CUSTOMER, 0 },
	{ HTTP_POST, "/visits/{id}/reschedule", portal_visit_reschedule, ACCESS_CUSTOMER, 0 },
	{ HTTP_POST, "/visits/{id}/cancel", portal_visit_cancel, ACCESS_CUSTOMER, 0 },
	/* Returns (returns.c): /returns/new before /returns/{number}. */
	{ HTTP_GET, "/returns", portal_returns, ACCESS_CUSTOMER, 0 },
	{ HTTP_GET, "/returns/new", portal_return_new, ACCESS_CUSTOMER, 0 },
	{ HTTP_POST, "/returns/new", portal_return_create, ACCESS_CUSTOMER, 0 },
	{ HTTP_GET, "/returns/{number}", portal_return, ACCESS_CUSTOMER, 0 },
	{ HTTP_POST, "/returns/{number}/cancel", portal_return_cancel, ACCESS_CUSTOMER, 0 },
	{ HTTP_GET, "/returns/{number}/authorisation", portal_return_authorisation,
	    ACCESS_CUSTOMER, 0 },
	{ HTTP_GET, "/returns/{number}/photos/{id}", portal_return_photo, ACCESS_CUSTOMER, 0 },
	/* Knowledge base (kb.c): literal paths before /kb/{slug}. */
	{ HTTP_GET, "/kb", portal_kb, ACCESS_PUBLIC, 0 },
	{ HTTP_GET, "/kb/search", portal_kb_search, ACCESS_PUBLIC, 0 },
	{ HTTP_GET, "/kb/suggest", portal_kb_suggest, ACCESS_PUBLIC, 0 },
	{ HTTP_GET, "/kb/a/{slug}", portal_kb_article, ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/kb/a/{slug}/rate", portal_kb_rate, ACCESS_PUBLIC, 0 },
	{ HTTP_GET, "/kb/images/{id}", portal_kb_image, ACCESS_PUBLIC, 0 },
	{ HTTP_GET, "/kb/{slug}", portal_kb_category, ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/tickets/new", portal_ticket_new_check, ACCESS_CUSTOMER, 0 },
};

static const struct app_def portal = {
	.program = "portal",
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.home_path = "/",
	.login_path = "/login",
	.csrf_cookie = "csdesk_csrf",
	.body_class = "portal",
	.other_area = "console",
	.session_cookie = "csdesk_session",
	.lookup_session = session_customer_lookup,
	.customer_scoped = 1,
	.after_request = portal_kb_after_request,
};

int
main(int argc, char **argv)
{
	return app_main(&portal, argc, argv);
}
