/*
 * handlers.h — the customer portal's page handlers, one file per area
 * under cgi-bin/portal/. The route table is in cgi-bin/portal.c.
 */
#ifndef CSDESK_PORTAL_HANDLERS_H
#define CSDESK_PORTAL_HANDLERS_H

#include "core/result.h"
#include "web/app.h"

/* home.c */
int portal_home(struct app *app, struct req *r, struct resp *w);

/* login.c */
int portal_login_form(struct app *app, struct req *r, struct resp *w);
int portal_login(struct app *app, struct req *r, struct resp *w);
int portal_login_link_ask(struct app *app, struct req *r, struct resp *w);
int portal_login_link_form(struct app *app, struct req *r, struct resp *w);
int portal_login_link_use(struct app *app, struct req *r, struct resp *w);
int portal_logout(struct app *app, struct req *r, struct resp *w);

/* register.c */
int portal_register_form(struct app *app, struct req *r, struct resp *w);
int portal_register(struct app *app, struct req *r, struct resp *w);
int portal_verify(struct app *app, struct req *r, struct resp *w);
/* Whether self-registration is open (settings). */
int portal_registration_open(struct app *app);
/*
 * Issues a single-use link (purpose "verify_email", "reset_password" or
 * "signin_link") for the user with that e-mail (or, email NULL, that id)
 * and queues the mail, in the caller's transaction. CS_OK sent,
 * CS_NOT_FOUND no such active user, CS_REFUSED the address had its share
 * of such mail (a link asked for by e-mail only), or the failure.
 */
enum cs_result portal_send_link(struct app *app, struct req *r, const char *purpose, const char *email,
    long long user_id);
/*
 * A link asked for by typing an address (reset, sign-in): sends it when
 * there is such an account and the address has not had its share, and
 * answers with said and a redirect to the sign-in page in every case, so
 * the answer tells nothing. 0, or 503.
 */
int portal_mail_link(struct app *app, struct req *r, struct resp *w, const char *purpose,
    const char *email, const char *said);

/* password.c */
int portal_forgot_form(struct app *app, struct req *r, struct resp *w);
int portal_forgot(struct app *app, struct req *r, struct resp *w);
int portal_reset_form(struct app *app, struct req *r, struct resp *w);
int portal_reset(struct app *app, struct req *r, struct resp *w);
/* Queues the "your password was changed" mail to the user's address. */
int portal_announce_password(struct app *app, struct req *r, long long user_id);

/* account.c */
int portal_account(struct app *app, struct req *r, struct resp *w);
int portal_account_password(struct app *app, struct req *r, struct resp *w);
int portal_account_email(struct app *app, struct req *r, struct resp *w);
int portal_session_end(struct app *app, struct req *r, struct resp *w);
int portal_sessions_end_others(struct app *app, struct req *r, struct resp *w);

/* tickets.c */
int portal_tickets(struct app *app, struct req *r, struct resp *w);
int portal_ticket_new(struct app *app, struct req *r, struct resp *w);
int portal_ticket_create(struct app *app, struct req *r, struct resp *w);
int portal_ticket_new_check(struct app *app, struct req *r, struct resp *w);
int portal_ticket(struct app *app, struct req *r, struct resp *w);
int portal_ticket_reply(struct app *app, struct req *r, struct resp *w);
int portal_ticket_confirm(struct app *app, struct req *r, struct resp *w);
int portal_ticket_reopen(struct app *app, struct req *r, struct resp *w);
int portal_ticket_attachment(struct app *app, struct req *r, struct resp *w);

/* warranty.c — my products, registering one, claiming warranty. */
int portal_products(struct app *app, struct req *r, struct resp *w);
int portal_product_new(struct app *app, struct req *r, struct resp *w);
int portal_product_register(struct app *app, struct req *r, struct resp *w);
int portal_product(struct app *app, struct req *r, struct resp *w);
int portal_product_claim(struct app *app, struct req *r, struct resp *w);
int portal_catalogue_image(struct app *app, struct req *r, struct resp *w);
/* survey.c — answering a survey from its link, without signing in. */
int portal_survey_form(struct app *app, struct req *r, struct resp *w);
int portal_survey_answer(struct app *app, struct req *r, struct resp *w);

/* field_visits.c — the customer's technician visits. */
int portal_visits(struct app *app, struct req *r, struct resp *w);
/* visit_report.c — a completed visit's job report. */
int portal_visit_report(struct app *app, struct req *r, struct resp *w);
int portal_visit_photo(struct app *app, struct req *r, struct resp *w);
/* visits_book.c — the customer books, moves and cancels their own visits. */
int portal_visit_book_form(struct app *app, struct req *r, struct resp *w);
int portal_visit_book(struct app *app, struct req *r, struct resp *w);
int portal_visit(struct app *app, struct req *r, struct resp *w);
int portal_visit_reschedule(struct app *app, struct req *r, struct resp *w);
int portal_visit_cancel(struct app *app, struct req *r, struct resp *w);

/* returns.c — returns (RMA). */
int portal_returns(struct app *app, struct req *r, struct resp *w);
int portal_return_new(struct app *app, struct req *r, struct resp *w);
int portal_return_create(struct app *app, struct req *r, struct resp *w);
int portal_return(struct app *app, struct req *r, struct resp *w);
int portal_return_cancel(struct app *app, struct req *r, struct resp *w);
int portal_return_authorisation(struct app *app, struct req *r, struct resp *w);
int portal_return_photo(struct app *app, struct req *r, struct resp *w);

/* kb.c — the knowledge base. */
int portal_kb(struct app *app, struct req *r, struct resp *w);
int portal_kb_search(struct app *app, struct req *r, struct resp *w);
int portal_kb_suggest(struct app *app, struct req *r, struct resp *w);
int portal_kb_category(struct app *app, struct req *r, struct resp *w);
int portal_kb_article(struct app *app, struct req *r, struct resp *w);
int portal_kb_rate(struct app *app, struct req *r, struct resp *w);
int portal_kb_image(struct app *app, struct req *r, struct resp *w);
/*
 * The new-ticket form's suggestions: adds kb_token (the form's search
 * token, kept from the posted form) and, for a subject, the matching
 * articles (kb_suggestions) to ctx, and records the search. 0 or -1.
 */
int portal_kb_ticket_form(struct app *app, struct req *r, struct tval *ctx, const char *subject);
/* The portal's after-request work: flushes counted article views. */
void portal_kb_after_request(struct app *app, int stopping);

/* kb_answer.c: an automatic answer's "this solved it" link. */
int portal_kb_answer_form(struct app *app, struct req *r, struct resp *w);
/* unsubscribe.c — one-click unsubscribe (RFC 8058). */
int portal_unsubscribe_form(struct app *app, struct req *r, struct resp *w);
int portal_unsubscribe(struct app *app, struct req *r, struct resp *w);
int portal_kb_answer_solved(struct app *app, struct req *r, struct resp *w);

#endif
