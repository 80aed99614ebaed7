/*
 * handlers.h — the agent console's page handlers, one file per area under
 * cgi-bin/console/. The route table is in cgi-bin/console.c.
 */
#ifndef CSDESK_CONSOLE_HANDLERS_H
#define CSDESK_CONSOLE_HANDLERS_H

#include "web/app.h"

/* home.c */
int console_home(struct app *app, struct req *r, struct resp *w);

/* login.c */
int console_login_form(struct app *app, struct req *r, struct resp *w);
int console_login(struct app *app, struct req *r, struct resp *w);
int console_login_link_ask(struct app *app, struct req *r, struct resp *w);
int console_login_link_form(struct app *app, struct req *r, struct resp *w);
int console_login_link_use(struct app *app, struct req *r, struct resp *w);
int console_logout(struct app *app, struct req *r, struct resp *w);

/* account.c */
int console_account(struct app *app, struct req *r, struct resp *w);
int console_account_password(struct app *app, struct req *r, struct resp *w);
int console_totp_form(struct app *app, struct req *r, struct resp *w);
int console_totp_enable(struct app *app, struct req *r, struct resp *w);
int console_totp_disable(struct app *app, struct req *r, struct resp *w);

/* Admin pages under /agent/admin/ (admins only). admin_staff.c: */
int console_admin_home(struct app *app, struct req *r, struct resp *w);
int console_admin_staff_list(struct app *app, struct req *r, struct resp *w);
int console_admin_staff_new_form(struct app *app, struct req *r, struct resp *w);
int console_admin_staff_create(struct app *app, struct req *r, struct resp *w);
int console_admin_staff_edit_form(struct app *app, struct req *r, struct resp *w);
int console_admin_staff_update(struct app *app, struct req *r, struct resp *w);
/* admin_teams.c */
int console_admin_teams(struct app *app, struct req *r, struct resp *w);
int console_admin_teams_post(struct app *app, struct req *r, struct resp *w);
int console_admin_skills(struct app *app, struct req *r, struct resp *w);
int console_admin_skills_post(struct app *app, struct req *r, struct resp *w);
/* admin_customers.c */
int console_admin_customer_list(struct app *app, struct req *r, struct resp *w);
int console_admin_customer_new_form(struct app *app, struct req *r, struct resp *w);
int console_admin_customer_create(struct app *app, struct req *r, struct resp *w);
int console_admin_customer_edit_form(struct app *app, struct req *r, struct resp *w);
int console_admin_customer_update(struct app *app, struct req *r, struct resp *w);
int console_admin_customer_user(struct app *app, struct req *r, struct resp *w);
/* admin_security.c */
int console_admin_lockouts(struct app *app, struct req *r, struct resp *w);
int console_admin_mail(struct app *app, struct req *r, struct resp *w);
int console_admin_audit(struct app *app, struct req *r, struct resp *w);
int console_admin_settings(struct app *app, struct req *r, struct resp *w);
int console_admin_settings_save(struct app *app, struct req *r, struct resp *w);

/* Tickets (staff). tickets.c: the list views, bulk actions, CSV export. */
int console_tickets(struct app *app, struct req *r, struct resp *w);
int console_tickets_csv(struct app *app, struct req *r, struct resp *w);
int console_tickets_bulk(struct app *app, struct req *r, struct resp *w);
/* ticket_page.c: one ticket's page and its attachments (side panels in
 * ticket_panels.c); ticket_reply.c: replies and notes; ticket_workflow.c:
 * the status and assignment forms. */
int console_ticket(struct app *app, struct req *r, struct resp *w);
int console_ticket_attachment(struct app *app, struct req *r, struct resp *w);
int console_ticket_reply(struct app *app, struct req *r, struct resp *w);
int console_ticket_status(struct app *app, struct req *r, struct resp *w);
int console_ticket_assign(struct app *app, struct req *r, struct resp *w);
/* ticket_collab.c: the ticket page's fields, links, merge and presence. */
int console_ticket_fields(struct app *app, struct req *r, struct resp *w);
int console_ticket_link(struct app *app, struct req *r, struct resp *w);
int console_ticket_unlink(struct app *app, struct req *r, struct resp *w);
int console_ticket_merge(struct app *app, struct req *r, struct resp *w);
int console_ticket_presence(struct app *app, struct req *r, struct resp *w);
/* admin_mail_in.c, admin_mail_log.c: e-mail addresses, settings and the mail log (admins). */
int console_admin_mail_in(struct app *app, struct req *r, struct resp *w);
int console_admin_mail_address_add(struct app *app, struct req *r, struct resp *w);
int console_admin_mail_address_delete(struct app *app, struct req *r, struct resp *w);
int console_admin_mail_team(struct app *app, struct req *r, struct resp *w);
int console_admin_mail_settings(struct app *app, struct req *r, struct resp *w);
int console_admin_mail_log(struct app *app, struct req *r, struct resp *w);
int console_admin_mail_message(struct app *app, struct req *r, struct resp *w);

/* The workspace: settings.c, ticket_next.c, ticket_live.c. */
int console_settings(struct app *app, struct req *r, struct resp *w);
int console_settings_save(struct app *app, struct req *r, struct resp *w);
int console_shortcuts(struct app *app, struct req *r, struct resp *w);
int console_ticket_next(struct app *app, struct req *r, struct resp *w);
int console_ticket_prev(struct app *app, struct req *r, struct resp *w);
/* ticket_mail_review.c — mail to review and a suggested merge, on the ticket page. */
int console_ticket_mail_review(struct app *app, struct req *r, struct resp *w);
int console_ticket_merge_suggestion(struct app *app, struct req *r, struct resp *w);
struct mail_review_item;
/* The panel's context from the n messages read with the page. 0 or -1. */
int console_ticket_mail_panel(struct req *r, struct tval *ctx, const struct mail_review_item *m,
    size_t n);
int console_live_queue(struct app *app, struct req *r, struct resp *w);
int console_live_ticket(struct app *app, struct req *r, struct resp *w);
int console_ticket_draft(struct app *app, struct req *r, struct resp *w);
int console_ticket_draft_save(struct app *app, struct req *r, struct resp *w);
int console_ticket_preview(struct app *app, struct req *r, struct resp *w);
/* admin_canned.c: canned responses (admins). */
int console_admin_canned(struct app *app, struct req *r, struct resp *w);
int console_admin_canned_create(struct app *app, struct req *r, struct resp *w);
int console_admin_canned_edit(struct app *app, struct req *r, struct resp *w);
int console_admin_canned_update(struct app *app, struct req *r, struct resp *w);
int console_admin_canned_delete(struct app *app, struct req *r, struct resp *w);

/* Ticket intake and queue organisation. quick_create.c: a ticket taken on
 * the phone or at the desk, finding or creating the customer. */
int console_ticket_new_form(struct app *app, struct req *r, struct resp *w);
int console_ticket_new(struct app *app, struct req *r, struct resp *w);
/* saved_views.c: an agent's saved list views. */
int console_views(struct app *app, struct req *r, struct resp *w);
int console_view_create(struct app *app, struct req *r, struct resp *w);
int console_view_open(struct app *app, struct req *r, struct resp *w);
int console_view_update(struct app *app, struct req *r, struct resp *w);
int console_view_delete(struct app *app, struct req *r, struct resp *w);
/* admin_routing.c: routing rules, in order. */
int console_admin_routing(struct app *app, struct req *r, struct resp *w);
int console_admin_rule_new_form(struct app *app, struct req *r, struct resp *w);
int console_admin_rule_create(struct app *app, struct req *r, struct resp *w);
int console_admin_rule_edit_form(struct app *app, struct req *r, struct resp *w);
int console_admin_rule_update(struct app *app, struct req *r, struct resp *w);
int console_admin_rule_delete(struct app *app, struct req *r, struct resp *w);
int console_admin_rule_move(struct app *app, struct req *r, struct resp *w);
/* admin_setup.c: queues, categories, product categories, resolution codes. */
int console_admin_queues(struct app *app, struct req *r, struct resp *w);
int console_admin_queues_post(struct app *app, struct req *r, struct resp *w);
int console_admin_categories(struct app *app, struct req *r, struct resp *w);
int console_admin_categories_post(struct app *app, struct req *r, struct resp *w);
int console_admin_product_categories(struct app *app, struct req *r, struct resp *w);
int console_admin_product_categories_post(struct app *app, struct req *r, struct resp *w);
int console_admin_types(struct app *app, struct req *r, struct resp *w);
int console_admin_types_post(struct app *app, struct req *r, struct resp *w);
/* admin_products.c: the product catalogue with warranty terms and a picture. */
int console_admin_products(struct app *app, struct req *r, struct resp *w);
int console_admin_products_post(struct app *app, struct req *r, struct resp *w);
int console_admin_product(struct app *app, struct req *r, struct resp *w);
int console_admin_product_post(struct app *app, struct req *r, struct resp *w);
int console_admin_product_image(struct app *app, struct req *r, struct resp *w);
int console_admin_codes(struct app *app, struct req *r, struct resp *w);
int console_admin_codes_post(struct app *app, struct req *r, struct resp *w);
/* SLA and escalation. ticket_sla.c: an agent escalates a ticket by hand. */
int console_ticket_escalate(struct app *app, struct req *r, struct resp *w);
/* admin_calendars.c, admin_sla_policies.c, admin_escalation_rules.c (admins). */
int console_admin_calendars(struct app *app, struct req *r, struct resp *w);
int console_admin_calendar_new_form(struct app *app, struct req *r, struct resp *w);
int console_admin_calendar_create(struct app *app, struct req *r, struct resp *w);
int console_admin_calendar_edit_form(struct app *app, struct req *r, struct resp *w);
int console_admin_calendar_update(struct app *app, struct req *r, struct resp *w);
int console_admin_sla_policies(struct app *app, struct req *r, struct resp *w);
int console_admin_sla_policy_new_form(struct app *app, struct req *r, struct resp *w);
int console_admin_sla_policy_create(struct app *app, struct req *r, struct resp *w);
int console_admin_sla_policy_edit_form(struct app *app, struct req *r, struct resp *w);
int console_admin_sla_policy_update(struct app *app, struct req *r, struct resp *w);
int console_admin_escalation_rules(struct app *app, struct req *r, struct resp *w);
int console_admin_escalation_rule_new_form(struct app *app, struct req *r, struct resp *w);
int console_admin_escalation_rule_create(struct app *app, struct req *r, struct resp *w);
int console_admin_escalation_rule_edit_form(struct app *app, struct req *r, struct resp *w);
int console_admin_escalation_rule_update(struct app *app, struct req *r, struct resp *w);
/* Who can take a ticket: load, shift, skills (assign_candidates.c). */
int console_ticket_agents(struct app *app, struct req *r, struct resp *w);
/* A flag on a ticket, with its escalation path (ticket_sla.c). */
int console_ticket_flag(struct app *app, struct req *r, struct resp *w);
/* Triggers and automations (admin_automation.c). */
int console_admin_automations(struct app *app, struct req *r, struct resp *w);
int console_admin_automation_new_form(struct app *app, struct req *r, struct resp *w);
int console_admin_automation_create(struct app *app, struct req *r, struct resp *w);
int console_admin_automation_edit_form(struct app *app, struct req *r, struct resp *w);
int console_admin_automation_update(struct app *app, struct req *r, struct resp *w);
int console_admin_automation_dry_run(struct app *app, struct req *r, struct resp *w);
/* The names of the five escalation levels (admin_escalation_levels.c). */
int console_admin_escalation_levels(struct app *app, struct req *r, struct resp *w);
int console_admin_escalation_levels_post(struct app *app, struct req *r, struct resp *w);
/* A customer's preferred agent and time zone (admin_customer_routing.c). */
int console_admin_customer_routing(struct app *app, struct req *r, struct resp *w);
int console_admin_customer_routing_post(struct app *app, struct req *r, struct resp *w);
/* Webhooks (admin_webhooks.c). */
int console_admin_webhooks(struct app *app, struct req *r, struct resp *w);
int console_admin_webhook_create(struct app *app, struct req *r, struct resp *w);
int console_admin_webhook_active(struct app *app, struct req *r, struct resp *w);
int console_admin_webhook_delete(struct app *app, struct req *r, struct resp *w);
int console_admin_webhook_log(struct app *app, struct req *r, struct resp *w);
/* A customer's sites (admin_customer_sites.c). */
int console_admin_customer_sites(struct app *app, struct req *r, struct resp *w);
int console_admin_customer_sites_post(struct app *app, struct req *r, struct resp *w);
/* The on-call rota (admin_oncall.c). */
int console_admin_oncall(struct app *app, struct req *r, struct resp *w);
int console_admin_oncall_add(struct app *app, struct req *r, struct resp *w);
int console_admin_oncall_remove(struct app *app, struct req *r, struct resp *w);

/* Reports and given-up mail. reports.c: the daily metrics; admin_ops.c: re-queue. */
int console_reports(struct app *app, struct req *r, struct resp *w);
int console_reports_csv(struct app *app, struct req *r, struct resp *w);
/* Analytics: reports, exports, metric definitions (reports_analytics.c). */
int console_analytics(struct app *app, struct req *r, struct resp *w);
int console_analytics_export(struct app *app, struct req *r, struct resp *w);
int console_metrics(struct app *app, struct req *r, struct resp *w);
/* Dashboards (home.c) and analytics administration (admin_analytics.c). */
int console_dashboard_manager(struct app *app, struct req *r, struct resp *w);
int console_tv(struct app *app, struct req *r, struct resp *w);
int console_admin_system(struct app *app, struct req *r, struct resp *w);
int console_admin_kpis(struct app *app, struct req *r, struct resp *w);
int console_admin_kpis_save(struct app *app, struct req *r, struct resp *w);
int console_admin_kpis_cost(struct app *app, struct req *r, struct resp *w);
int console_subscriptions(struct app *app, struct req *r, struct resp *w);
int console_subscriptions_create(struct app *app, struct req *r, struct resp *w);
int console_subscriptions_delete(struct app *app, struct req *r, struct resp *w);
int console_admin_mail_requeue(struct app *app, struct req *r, struct resp *w);

/* Knowledge base. kb.c: the list and the editor. */
int console_kb_list(struct app *app, struct req *r, struct resp *w);
int console_kb_new_form(struct app *app, struct req *r, struct resp *w);
int console_kb_create(struct app *app, struct req *r, struct resp *w);
int console_kb_edit_form(struct app *app, struct req *r, struct resp *w);
int console_kb_save(struct app *app, struct req *r, struct resp *w);
/* kb_article.c: status, revisions, images, translations. */
int console_kb_status(struct app *app, struct req *r, struct resp *w);
int console_kb_revision(struct app *app, struct req *r, struct resp *w);
int console_kb_restore(struct app *app, struct req *r, struct resp *w);
int console_kb_image_upload(struct app *app, struct req *r, struct resp *w);
int console_kb_image(struct app *app, struct req *r, struct resp *w);
int console_kb_translate(struct app *app, struct req *r, struct resp *w);
/* Returns: the queue and asking (returns_queue.c), one return
 * (returns_detail.c), the warehouse (returns_warehouse.c), the report
 * (returns_report_page.c) and the policy (returns_admin.c). */
int console_returns(struct app *app, struct req *r, struct resp *w);
int console_return_new(struct app *app, struct req *r, struct resp *w);
int console_return_create(struct app *app, struct req *r, struct resp *w);
int console_return(struct app *app, struct req *r, struct resp *w);
int console_return_step(struct app *app, struct req *r, struct resp *w);
int console_return_settle(struct app *app, struct req *r, struct resp *w);
int console_return_authorisation(struct app *app, struct req *r, struct resp *w);
int console_return_photo(struct app *app, struct req *r, struct resp *w);
int console_returns_warehouse(struct app *app, struct req *r, struct resp *w);
/* Field service: the technician's day (field_day.c). */
int console_field_day(struct app *app, struct req *r, struct resp *w);
int console_field_check_in(struct app *app, struct req *r, struct resp *w);
int console_field_check_out(struct app *app, struct req *r, struct resp *w);
int console_field_sign(struct app *app, struct req *r, struct resp *w);
int console_field_complete(struct app *app, struct req *r, struct resp *w);
int console_field_calendar(struct app *app, struct req *r, struct resp *w);
/* Service parts on a job, the job report (parts_job.c), the reports (parts_reports.c). */
int console_parts_job(struct app *app, struct req *r, struct resp *w);
int console_parts_job_use(struct app *app, struct req *r, struct resp *w);
int console_parts_job_request(struct app *app, struct req *r, struct resp *w);
int console_parts_job_return(struct app *app, struct req *r, struct resp *w);
int console_parts_job_report(struct app *app, struct req *r, struct resp *w);
/* Photos of a visit (field_photos.c). */
int console_field_photos(struct app *app, struct req *r, struct resp *w);
int console_field_photos_add(struct app *app, struct req *r, struct resp *w);
int console_field_photo(struct app *app, struct req *r, struct resp *w);
int console_field_photo_update(struct app *app, struct req *r, struct resp *w);
int console_parts_van(struct app *app, struct req *r, struct resp *w);
int console_parts_van_audit(struct app *app, struct req *r, struct resp *w);
int console_parts_reports(struct app *app, struct req *r, struct resp *w);
int console_parts_reports_csv(struct app *app, struct req *r, struct resp *w);
/* Parts catalogue (parts_admin.c), stock (parts_stock.c), transfers (parts_transfers.c). */
int console_parts_admin(struct app *app, struct req *r, struct resp *w);
int console_parts_admin_new(struct app *app, struct req *r, struct resp *w);
int console_parts_admin_edit(struct app *app, struct req *r, struct resp *w);
int console_parts_admin_save(struct app *app, struct req *r, struct resp *w);
int console_parts_stock(struct app *app, struct req *r, struct resp *w);
int console_parts_stock_add(struct app *app, struct req *r, struct resp *w);
int console_parts_location(struct app *app, struct req *r, struct resp *w);
int console_parts_movements(struct app *app, struct req *r, struct resp *w);
int console_parts_location_rule(struct app *app, struct req *r, struct resp *w);
int console_parts_location_receive(struct app *app, struct req *r, struct resp *w);
int console_parts_location_move(struct app *app, struct req *r, struct resp *w);
int console_parts_location_audit(struct app *app, struct req *r, struct resp *w);
int console_parts_transfers(struct app *app, struct req *r, struct resp *w);
int console_parts_transfer_approve(struct app *app, struct req *r, struct resp *w);
int console_parts_transfer_reject(struct app *app, struct req *r, struct resp *w);
int console_parts_transfer_receive(struct app *app, struct req *r, struct resp *w);
/* Field service: scheduling and dispatch (field_dispatch.c). */
int console_field_book_form(struct app *app, struct req *r, struct resp *w);
int console_field_book(struct app *app, struct req *r, struct resp *w);
int console_field_appointment(struct app *app, struct req *r, struct resp *w);
int console_field_assign(struct app *app, struct req *r, struct resp *w);
int console_field_reschedule(struct app *app, struct req *r, struct resp *w);
int console_field_cancel(struct app *app, struct req *r, struct resp *w);
/* Field service: technicians' profiles (field_technicians.c). */
int console_field_technicians(struct app *app, struct req *r, struct resp *w);
int console_field_settings(struct app *app, struct req *r, struct resp *w);
int console_field_technician(struct app *app, struct req *r, struct resp *w);
int console_field_technician_save(struct app *app, struct req *r, struct resp *w);
int console_field_cert_add(struct app *app, struct req *r, struct resp *w);
int console_field_cert_remove(struct app *app, struct req *r, struct resp *w);
int console_field_off_add(struct app *app, struct req *r, struct resp *w);
int console_field_off_remove(struct app *app, struct req *r, struct resp *w);
/* Field service: the dispatch board (field_board.c). */
int console_field_board(struct app *app, struct req *r, struct resp *w);
int console_field_board_assign(struct app *app, struct req *r, struct resp *w);
int console_return_warehouse(struct app *app, struct req *r, struct resp *w);
int console_return_receive(struct app *app, struct req *r, struct resp *w);
int console_return_inspect(struct app *app, struct req *r, struct resp *w);
int console_return_disposition(struct app *app, struct req *r, struct resp *w);
int console_returns_report(struct app *app, struct req *r, struct resp *w);
int console_returns_report_csv(struct app *app, struct req *r, struct resp *w);
int console_admin_returns(struct app *app, struct req *r, struct resp *w);
int console_admin_returns_save(struct app *app, struct req *r, struct resp *w);
int console_admin_returns_fee(struct app *app, struct req *r, struct resp *w);
int console_admin_returns_fee_delete(struct app *app, struct req *r, struct resp *w);
/* kb_categories.c: the category tree. */
int console_kb_categories(struct app *app, struct req *r, struct resp *w);
int console_kb_category_create(struct app *app, struct req *r, struct resp *w);
int console_kb_category_update(struct app *app, struct req *r, struct resp *w);
/* kb_insight.c: reports and their CSV. */
int console_kb_insight(struct app *app, struct req *r, struct resp *w);
int console_kb_insight_csv(struct app *app, struct req *r, struct resp *w);
/* kb_ticket.c: on a ticket. */
int console_kb_ticket_link(struct app *app, struct req *r, struct resp *w);
int console_kb_ticket_draft(struct app *app, struct req *r, struct resp *w);
struct ticket;
struct tval;
struct kb_results;
/* Adds the articles panel (kb_panel) to a ticket page's ctx: the stored
 * suggestions when given (the page read them with the ticket), else found
 * now; 0, -1 (no memory) or -2 (database). */
int console_kb_ticket_panel(struct app *app, struct req *r, struct tval *ctx,
    const struct ticket *t, const struct kb_results *stored);

/* warranty_claims.c — warranty claims, and the ticket page's warranty panel. */
int console_claims(struct app *app, struct req *r, struct resp *w);
int console_claim(struct app *app, struct req *r, struct resp *w);
int console_claim_costs(struct app *app, struct req *r, struct resp *w);
int console_claim_move(struct app *app, struct req *r, struct resp *w);
int console_warranty_flag_review(struct app *app, struct req *r, struct resp *w);
int console_warranty_settings(struct app *app, struct req *r, struct resp *w);
int console_ticket_claim_form(struct app *app, struct req *r, struct resp *w);
int console_ticket_claim(struct app *app, struct req *r, struct resp *w);
/* warranty_customers.c — a customer's products and contracts. */
int console_customer_products(struct app *app, struct req *r, struct resp *w);
int console_customer_register(struct app *app, struct req *r, struct resp *w);
int console_customer_contract(struct app *app, struct req *r, struct resp *w);
int console_registration_proof(struct app *app, struct req *r, struct resp *w);
/* warranty_reports.c — claims by product and period, renewals due; CSV. */
int console_warranty_reports(struct app *app, struct req *r, struct resp *w);
int console_warranty_claims_csv(struct app *app, struct req *r, struct resp *w);
int console_warranty_renewals_csv(struct app *app, struct req *r, struct resp *w);
struct ticket;
/* Who acts on warranty pages: staff, a supervisor when they (or an admin) may review. */
struct warranty_actor;
struct warranty_actor console_warranty_actor(const struct req *r);
/* Adds the warranty panel (warranty) to a ticket page's ctx, from what the
 * page's pipeline read (ticket_sheet.h): 0 or -1 (no memory). */
struct warranty_ticket_panel;
int console_warranty_ticket_panel(struct req *r, struct tval *ctx, const struct ticket *t,
    const struct warranty_ticket_panel *p);
/* Adds the appointment panel (field) to a ticket page's ctx, from the
 * pipeline's rows: 0 or -1 (no memory). */
struct field_appointment;
int console_field_ticket_panel(struct req *r, struct tval *ctx, const struct ticket *t,
    const struct field_appointment *rows, size_t n);

/* surveys_admin.c, surveys_followups.c — survey rules, skips and follow-ups. */
int console_admin_surveys(struct app *app, struct req *r, struct resp *w);
int console_admin_survey_rule_create(struct app *app, struct req *r, struct resp *w);
int console_admin_survey_rule_toggle(struct app *app, struct req *r, struct resp *w);
int console_admin_survey_rule_delete(struct app *app, struct req *r, struct resp *w);
int console_admin_survey_throttle(struct app *app, struct req *r, struct resp *w);
int console_admin_survey_skips(struct app *app, struct req *r, struct resp *w);
int console_survey_followups(struct app *app, struct req *r, struct resp *w);
int console_survey_followup_done(struct app *app, struct req *r, struct resp *w);

/* qa_admin.c, qa.c — quality reviews: scorecards, samples, scores, one's own. */
int console_admin_qa(struct app *app, struct req *r, struct resp *w);
int console_admin_qa_create(struct app *app, struct req *r, struct resp *w);
int console_admin_qa_active(struct app *app, struct req *r, struct resp *w);
int console_qa(struct app *app, struct req *r, struct resp *w);
int console_qa_sample(struct app *app, struct req *r, struct resp *w);
int console_qa_review(struct app *app, struct req *r, struct resp *w);
int console_qa_review_score(struct app *app, struct req *r, struct resp *w);
int console_qa_mine(struct app *app, struct req *r, struct resp *w);

#endif
