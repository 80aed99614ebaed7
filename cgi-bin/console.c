/*
 * console.fcgi — the staff console (/agent/…) and, later, the API
 * (/api/…). The route table below is the map of the console; each handler
 * lives in cgi-bin/console/<area>.c.
 */
#include "console/handlers.h"
#include "console/api.h"
#include "console/api_routes.h"
#include "auth/session.h"
#include "core/arena.h"
#include "domain/api_keys.h"
#include "domain/security_admin.h"

#include <string.h>

static const struct route routes[] = {
	/* Warehouse staff sign in to the console for returns alone (home.c
	 * sends them to the warehouse's page). */
	{ HTTP_GET, "/agent/", console_home, ACCESS_STAFF | ACCESS_WAREHOUSE, 0 },
	{ HTTP_GET, "/agent/login", console_login_form, ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/agent/login", console_login, ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/agent/login/link", console_login_link_ask, ACCESS_PUBLIC, 0 },
	{ HTTP_GET, "/agent/login/link", console_login_link_form, ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/agent/login/link/use", console_login_link_use, ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/agent/logout", console_logout, ACCESS_STAFF | ACCESS_WAREHOUSE, 0 },
	{ HTTP_GET, "/agent/account", console_account, ACCESS_STAFF | ACCESS_WAREHOUSE, 0 },
	{ HTTP_POST, "/agent/account/password", console_account_password,
		ACCESS_STAFF | ACCESS_WAREHOUSE, 0 },
	{ HTTP_GET, "/agent/account/2fa", console_totp_form, ACCESS_STAFF | ACCESS_WAREHOUSE, 0 },
	{ HTTP_POST, "/agent/account/2fa", console_totp_enable, ACCESS_STAFF | ACCESS_WAREHOUSE,
		0 },
	{ HTTP_POST, "/agent/account/2fa/disable", console_totp_disable,
		ACCESS_STAFF | ACCESS_WAREHOUSE, 0 },
	/* The agent's workspace: settings, shortcuts, next ticket, live (settings.c, ticket_next.c, ticket_live.c). */
	{ HTTP_GET, "/agent/settings", console_settings, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/settings", console_settings_save, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/shortcuts", console_shortcuts, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/next", console_ticket_next, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/prev", console_ticket_prev, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/live", console_live_queue, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/healthz", app_healthz, ACCESS_PUBLIC, 0 },
	/* nginx routes this one here: the console pool's own health check. */
	{ HTTP_GET, "/healthz/console", app_healthz, ACCESS_PUBLIC, 0 },
	/* Ticket intake and queue organisation: quick create for phone and
	 * walk-in (before /agent/tickets/{number}, which would take "new"),
	 * saved views, routing rules and the lists routing needs
	 * (quick_create.c, saved_views.c, admin_routing.c, admin_setup.c). */
	{ HTTP_GET, "/agent/tickets/new", console_ticket_new_form, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/tickets/new", console_ticket_new, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/views", console_views, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/views", console_view_create, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/views/{id}", console_view_open, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/views/{id}", console_view_update, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/views/{id}/delete", console_view_delete, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/admin/routing", console_admin_routing, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/routing/new", console_admin_rule_new_form, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/routing/new", console_admin_rule_create, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/routing/{id}", console_admin_rule_edit_form, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/routing/{id}", console_admin_rule_update, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/routing/{id}/delete", console_admin_rule_delete, ACCESS_ADMIN,
		0 },
	{ HTTP_POST, "/agent/admin/routing/{id}/move", console_admin_rule_move, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/queues", console_admin_queues, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/queues", console_admin_queues_post, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/categories", console_admin_categories, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/categories", console_admin_categories_post, ACCESS_ADMIN, 0 },
	/* The product catalogue (admin_products.c) and its categories (admin_setup.c). */
	{ HTTP_GET, "/agent/admin/products", console_admin_products, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/products", console_admin_products_post, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/products/{id}", console_admin_product, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/products/{id}", console_admin_product_post, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/products/{id}/image", console_admin_product_image, ACCESS_ADMIN,
		0 },
	{ HTTP_GET, "/agent/admin/product-categories", console_admin_product_categories,
		ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/product-categories", console_admin_product_categories_post,
		ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/resolution-codes", console_admin_codes, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/resolution-codes", console_admin_codes_post, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/ticket-types", console_admin_types, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/ticket-types", console_admin_types_post, ACCESS_ADMIN, 0 },
	/* Ticket lists, bulk actions and CSV (tickets.c). */
	{ HTTP_GET, "/agent/tickets", console_tickets, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/tickets.csv", console_tickets_csv, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/tickets/bulk", console_tickets_bulk, ACCESS_STAFF, 0 },
	/* One ticket: its page and files (ticket_page.c), replies
	 * (ticket_reply.c), status and assignment (ticket_workflow.c). */
	{ HTTP_GET, "/agent/tickets/{number}", console_ticket, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/tickets/{number}/attachments/{id}", console_ticket_attachment,
		ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/tickets/{number}/replies", console_ticket_reply, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/tickets/{number}/live", console_live_ticket, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/tickets/{number}/preview", console_ticket_preview, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/tickets/{number}/draft", console_ticket_draft, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/tickets/{number}/draft", console_ticket_draft_save, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/tickets/{number}/status", console_ticket_status, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/tickets/{number}/assign", console_ticket_assign, ACCESS_STAFF, 0 },
	/* The ticket page's collaboration forms (ticket_collab.c) and canned
	 * responses (admin_canned.c). */
	{ HTTP_POST, "/agent/tickets/{number}/fields", console_ticket_fields, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/tickets/{number}/links", console_ticket_link, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/tickets/{number}/links/{id}/delete", console_ticket_unlink,
		ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/tickets/{number}/merge", console_ticket_merge, ACCESS_STAFF, 0 },
	/* Mail to review, a suggested merge (ticket_mail_review.c). */
	{ HTTP_POST, "/agent/tickets/{number}/mail-review", console_ticket_mail_review,
		ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/tickets/{number}/merge-suggestion", console_ticket_merge_suggestion,
		ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/tickets/{number}/presence", console_ticket_presence, ACCESS_STAFF,
		0 },
	{ HTTP_GET, "/agent/admin/canned", console_admin_canned, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/canned", console_admin_canned_create, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/canned/{id}", console_admin_canned_edit, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/canned/{id}", console_admin_canned_update, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/canned/{id}/delete", console_admin_canned_delete,
		ACCESS_ADMIN, 0 },
	/* SLA and escalation (ticket_sla.c; admin pages in admin_calendars.c,
	 * admin_sla_policies.c and admin_escalation_rules.c). */
	{ HTTP_POST, "/agent/tickets/{number}/flags", console_ticket_flag, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/tickets/{number}/agents", console_ticket_agents, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/tickets/{number}/escalate", console_ticket_escalate, ACCESS_STAFF,
		0 },
	{ HTTP_GET, "/agent/admin/calendars", console_admin_calendars, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/calendars/new", console_admin_calendar_new_form, ACCESS_ADMIN,
		0 },
	{ HTTP_POST, "/agent/admin/calendars/new", console_admin_calendar_create, ACCESS_ADMIN,
		0 },
	{ HTTP_GET, "/agent/admin/calendars/{id}", console_admin_calendar_edit_form,
		ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/calendars/{id}", console_admin_calendar_update, ACCESS_ADMIN,
		0 },
	{ HTTP_GET, "/agent/admin/sla-policies", console_admin_sla_policies, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/sla-policies/new", console_admin_sla_policy_new_form,
		ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/sla-policies/new", console_admin_sla_policy_create,
		ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/sla-policies/{id}", console_admin_sla_policy_edit_form,
		ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/sla-policies/{id}", console_admin_sla_policy_update,
		ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/escalation-rules", console_admin_escalation_rules,
		ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/escalation-rules/new", console_admin_escalation_rule_new_form,
		ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/escalation-rules/new", console_admin_escalation_rule_create,
		ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/escalation-rules/{id}",
		console_admin_escalation_rule_edit_form, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/escalation-rules/{id}", console_admin_escalation_rule_update,
		ACCESS_ADMIN, 0 },
	/* Triggers and automations (admin_automation.c). */
	{ HTTP_GET, "/agent/admin/automations", console_admin_automations, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/automations/new", console_admin_automation_new_form,
		ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/automations/new", console_admin_automation_create,
		ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/automations/{id}", console_admin_automation_edit_form,
		ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/automations/{id}", console_admin_automation_update,
		ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/automations/{id}/dry-run", console_admin_automation_dry_run,
		ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/escalation-levels", console_admin_escalation_levels,
		ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/escalation-levels", console_admin_escalation_levels_post,
		ACCESS_ADMIN, 0 },
	/* Webhooks (admin_webhooks.c). */
	{ HTTP_GET, "/agent/admin/webhooks", console_admin_webhooks, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/webhooks", console_admin_webhook_create, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/webhooks/{id}", console_admin_webhook_log, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/webhooks/{id}/active", console_admin_webhook_active,
		ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/webhooks/{id}/delete", console_admin_webhook_delete,
		ACCESS_ADMIN, 0 },
	/* A customer's sites (admin_customer_sites.c). */
	{ HTTP_GET, "/agent/admin/customers/{id}/sites", console_admin_customer_sites,
		ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/customers/{id}/sites", console_admin_customer_sites_post,
		ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/customers/{id}/sites/{site}",
		console_admin_customer_sites_post, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/customers/{id}/routing", console_admin_customer_routing,
		ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/customers/{id}/routing", console_admin_customer_routing_post,
		ACCESS_ADMIN, 0 },
	/* The on-call rota (admin_oncall.c). */
	{ HTTP_GET, "/agent/admin/oncall", console_admin_oncall, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/oncall", console_admin_oncall_add, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/oncall/{id}/delete", console_admin_oncall_remove, ACCESS_ADMIN,
		0 },
	/* Administration (admin_staff.c, admin_customers.c, admin_security.c). */
	{ HTTP_GET, "/agent/admin/", console_admin_home, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/staff", console_admin_staff_list, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/staff/new", console_admin_staff_new_form, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/staff/new", console_admin_staff_create, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/staff/{id}", console_admin_staff_edit_form, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/staff/{id}", console_admin_staff_update, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/teams", console_admin_teams, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/teams", console_admin_teams_post, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/skills", console_admin_skills, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/skills", console_admin_skills_post, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/customers", console_admin_customer_list, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/customers/new", console_admin_customer_new_form, ACCESS_ADMIN,
		0 },
	{ HTTP_POST, "/agent/admin/customers/new", console_admin_customer_create, ACCESS_ADMIN,
		0 },
	{ HTTP_GET, "/agent/admin/customers/{id}", console_admin_customer_edit_form, ACCESS_ADMIN,
		0 },
	{ HTTP_POST, "/agent/admin/customers/{id}", console_admin_customer_update, ACCESS_ADMIN,
		0 },
	{ HTTP_POST, "/agent/admin/customers/{id}/users/{user_id}", console_admin_customer_user,
		ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/lockouts", console_admin_lockouts, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/mail", console_admin_mail, ACCESS_ADMIN, 0 },
	/* E-mail in: addresses, team addresses, settings, the log (admin_mail_*.c). */
	{ HTTP_GET, "/agent/admin/mail-in", console_admin_mail_in, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/mail-in/addresses", console_admin_mail_address_add,
	    ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/mail-in/addresses/{id}/delete",
	    console_admin_mail_address_delete, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/mail-in/teams", console_admin_mail_team, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/mail-in/settings", console_admin_mail_settings, ACCESS_ADMIN,
	    0 },
	{ HTTP_GET, "/agent/admin/mail-log", console_admin_mail_log, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/mail-log/{id}", console_admin_mail_message, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/audit", console_admin_audit, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/settings", console_admin_settings, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/settings", console_admin_settings_save, ACCESS_ADMIN, 0 },
	/* Surveys (surveys_admin.c, surveys_followups.c). */
	{ HTTP_GET, "/agent/admin/surveys", console_admin_surveys, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/surveys/rules", console_admin_survey_rule_create, ACCESS_ADMIN,
		0 },
	{ HTTP_POST, "/agent/admin/surveys/rules/{id}/active", console_admin_survey_rule_toggle,
		ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/surveys/rules/{id}/delete", console_admin_survey_rule_delete,
		ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/surveys/throttle", console_admin_survey_throttle, ACCESS_ADMIN,
		0 },
	{ HTTP_GET, "/agent/admin/surveys/skips", console_admin_survey_skips, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/surveys/follow-ups", console_survey_followups,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/surveys/follow-ups/{id}/done", console_survey_followup_done,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	/* Quality reviews (qa_admin.c, qa.c): /agent/qa/mine before /agent/qa/{id}. */
	{ HTTP_GET, "/agent/admin/qa", console_admin_qa, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/qa", console_admin_qa_create, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/qa/{id}/active", console_admin_qa_active, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/qa", console_qa, ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/qa/samples", console_qa_sample, ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/qa/mine", console_qa_mine, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/qa/{id}", console_qa_review, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/qa/{id}", console_qa_review_score, ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	/* API keys (admin_api_keys.c). */
	{ HTTP_GET, "/agent/admin/api-keys", console_admin_api_keys, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/api-keys", console_admin_api_key_create, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/api-keys/{id}/revoke", console_admin_api_key_revoke,
		ACCESS_ADMIN, 0 },
	/* Reports and given-up mail (reports.c, admin_ops.c). */
	{ HTTP_GET, "/agent/reports", console_reports, ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/reports.csv", console_reports_csv, ACCESS_SUPERVISOR | ACCESS_ADMIN,
		0 },
	{ HTTP_POST, "/agent/admin/mail/{id}/requeue", console_admin_mail_requeue, ACCESS_ADMIN,
		0 },
	/* Analytics (reports_analytics.c). */
	{ HTTP_GET, "/agent/analytics", console_analytics, ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/analytics/export", console_analytics_export,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/metrics", console_metrics, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/analytics/subscriptions", console_subscriptions,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/analytics/subscriptions", console_subscriptions_create,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/analytics/subscriptions/{id}/delete", console_subscriptions_delete,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/dashboard/manager", console_dashboard_manager,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/tv", console_tv, ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/system", console_admin_system, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/kpis", console_admin_kpis, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/kpis", console_admin_kpis_save, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/kpis/cost", console_admin_kpis_cost, ACCESS_ADMIN, 0 },
	/* Knowledge base (kb.c, kb_categories.c, kb_insight.c, kb_ticket.c). */
	{ HTTP_GET, "/agent/kb", console_kb_list, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/kb/new", console_kb_new_form, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/kb/new", console_kb_create, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/kb/categories", console_kb_categories, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/kb/categories", console_kb_category_create, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/kb/categories/{id}", console_kb_category_update, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/kb/insight", console_kb_insight, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/kb/insight/{name}", console_kb_insight_csv, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/kb/images/{id}", console_kb_image, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/kb/{id}", console_kb_edit_form, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/kb/{id}", console_kb_save, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/kb/{id}/status", console_kb_status, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/kb/{id}/images", console_kb_image_upload, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/kb/{id}/translations", console_kb_translate, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/kb/{id}/revisions/{rev}", console_kb_revision, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/kb/{id}/revisions/{rev}/restore", console_kb_restore, ACCESS_STAFF,
		0 },
	{ HTTP_POST, "/agent/tickets/{number}/kb-link", console_kb_ticket_link, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/tickets/{number}/kb-draft", console_kb_ticket_draft, ACCESS_STAFF,
		0 },
	/* Warranty claims (warranty_claims.c) and products of a customer (warranty_customers.c). */
	{ HTTP_GET, "/agent/claims", console_claims, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/claims/{id}", console_claim, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/claims/{id}/costs", console_claim_costs, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/claims/{id}/move", console_claim_move, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/warranty-flags/{id}/review", console_warranty_flag_review,
		ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/admin/warranty-settings", console_warranty_settings, ACCESS_ADMIN,
		0 },
	{ HTTP_GET, "/agent/tickets/{number}/claim", console_ticket_claim_form, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/tickets/{number}/claim", console_ticket_claim, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/customers/{id}/products", console_customer_products, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/customers/{id}/products", console_customer_register, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/customers/{id}/contracts", console_customer_contract, ACCESS_STAFF,
		0 },
	{ HTTP_GET, "/agent/registrations/{id}/proof", console_registration_proof, ACCESS_STAFF,
		0 },
	{ HTTP_GET, "/agent/reports/warranty", console_warranty_reports,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/reports/warranty/claims.csv", console_warranty_claims_csv,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/reports/warranty/renewals.csv", console_warranty_renewals_csv,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	/* Returns (returns_queue.c, returns_detail.c, returns_warehouse.c,
	 * returns_report_page.c, returns_admin.c): literal paths before
	 * /agent/returns/{number}. The domain checks roles per step again. */
	{ HTTP_GET, "/agent/returns", console_returns, ACCESS_STAFF | ACCESS_WAREHOUSE, 0 },
	{ HTTP_GET, "/agent/returns/new", console_return_new, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/returns/new", console_return_create, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/returns/warehouse", console_returns_warehouse,
		ACCESS_WAREHOUSE | ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/returns/report", console_returns_report,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/returns/report.csv", console_returns_report_csv,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/returns/{number}", console_return, ACCESS_STAFF | ACCESS_WAREHOUSE,
		0 },
	{ HTTP_POST, "/agent/returns/{number}/step", console_return_step, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/returns/{number}/settle", console_return_settle,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/returns/{number}/authorisation", console_return_authorisation,
		ACCESS_STAFF | ACCESS_WAREHOUSE, 0 },
	{ HTTP_GET, "/agent/returns/{number}/photos/{id}", console_return_photo,
		ACCESS_STAFF | ACCESS_WAREHOUSE, 0 },
	{ HTTP_GET, "/agent/returns/{number}/warehouse", console_return_warehouse,
		ACCESS_WAREHOUSE | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/returns/{number}/receive", console_return_receive,
		ACCESS_WAREHOUSE | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/returns/{number}/inspect", console_return_inspect,
		ACCESS_WAREHOUSE | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/returns/{number}/disposition", console_return_disposition,
		ACCESS_WAREHOUSE | ACCESS_ADMIN, 0 },
	/* Field service: the technician's day (field_day.c); the domain keeps
	 * each job to the technician assigned. */
	{ HTTP_GET, "/agent/field/day", console_field_day, ACCESS_TECHNICIAN, 0 },
	{ HTTP_POST, "/agent/field/jobs/{id}/check-in", console_field_check_in, ACCESS_TECHNICIAN,
		0 },
	{ HTTP_POST, "/agent/field/jobs/{id}/check-out", console_field_check_out,
		ACCESS_TECHNICIAN, 0 },
	{ HTTP_POST, "/agent/field/jobs/{id}/sign", console_field_sign, ACCESS_TECHNICIAN, 0 },
	{ HTTP_POST, "/agent/field/jobs/{id}/complete", console_field_complete, ACCESS_TECHNICIAN,
		0 },
	/* A technician's calendar feed: the secret in the URL is the access. */
	{ HTTP_GET, "/agent/field/calendar/{token}", console_field_calendar, ACCESS_PUBLIC, 0 },
	/* Service parts on a job and the job report (parts_job.c); the
	 * technician's pages check the job is theirs. */
	{ HTTP_GET, "/agent/field/jobs/{id}/parts", console_parts_job, ACCESS_TECHNICIAN, 0 },
	{ HTTP_POST, "/agent/field/jobs/{id}/parts", console_parts_job_use, ACCESS_TECHNICIAN, 0 },
	{ HTTP_POST, "/agent/field/jobs/{id}/parts/request", console_parts_job_request,
		ACCESS_TECHNICIAN, 0 },
	{ HTTP_POST, "/agent/field/jobs/{id}/parts/{usage}/return", console_parts_job_return,
		ACCESS_TECHNICIAN, 0 },
	{ HTTP_GET, "/agent/field/jobs/{id}/report", console_parts_job_report, ACCESS_STAFF, 0 },
	/* Photos of a visit (field_photos.c): staff who may see it; the technician adds. */
	{ HTTP_GET, "/agent/field/jobs/{id}/photos", console_field_photos, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/field/jobs/{id}/photos", console_field_photos_add, ACCESS_TECHNICIAN,
		0 },
	{ HTTP_GET, "/agent/field/jobs/{id}/photos/{photo}", console_field_photo, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/field/jobs/{id}/photos/{photo}", console_field_photo_update,
		ACCESS_TECHNICIAN, 0 },
	/* The technician's van and its counts (parts_van.c). */
	{ HTTP_GET, "/agent/field/van", console_parts_van, ACCESS_TECHNICIAN, 0 },
	{ HTTP_POST, "/agent/field/van/audit", console_parts_van_audit, ACCESS_TECHNICIAN, 0 },
	/* The parts catalogue (parts_admin.c), stock locations (parts_stock.c)
	 * and transfers (parts_transfers.c). */
	{ HTTP_GET, "/agent/admin/parts", console_parts_admin, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/parts/new", console_parts_admin_new, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/parts/new", console_parts_admin_save, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/parts/{id}", console_parts_admin_edit, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/parts/{id}", console_parts_admin_save, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/stock", console_parts_stock, ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/stock", console_parts_stock_add, ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/stock/parts/{id}/movements", console_parts_movements,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/stock/locations/{id}", console_parts_location,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/stock/locations/{id}/rule", console_parts_location_rule,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/stock/locations/{id}/receive", console_parts_location_receive,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/stock/locations/{id}/move", console_parts_location_move,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/stock/locations/{id}/audit", console_parts_location_audit,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/stock/transfers", console_parts_transfers,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/stock/transfers/{id}/approve", console_parts_transfer_approve,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/stock/transfers/{id}/reject", console_parts_transfer_reject,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/stock/transfers/{id}/receive", console_parts_transfer_receive,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	/* Field service and parts reports (parts_reports.c). */
	{ HTTP_GET, "/agent/reports/field", console_parts_reports, ACCESS_SUPERVISOR | ACCESS_ADMIN,
		0 },
	{ HTTP_GET, "/agent/reports/field.csv", console_parts_reports_csv,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	/* Scheduling and dispatch (field_dispatch.c). */
	{ HTTP_GET, "/agent/tickets/{number}/appointments/new", console_field_book_form,
		ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/tickets/{number}/appointments/new", console_field_book, ACCESS_STAFF,
		0 },
	{ HTTP_GET, "/agent/field/appointments/{id}", console_field_appointment, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/field/appointments/{id}/assign", console_field_assign, ACCESS_STAFF,
		0 },
	{ HTTP_POST, "/agent/field/appointments/{id}/reschedule", console_field_reschedule,
		ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/field/appointments/{id}/cancel", console_field_cancel, ACCESS_STAFF,
		0 },
	/* Technicians' profiles and the dispatch board (field_technicians.c, field_board.c). */
	{ HTTP_GET, "/agent/field/technicians", console_field_technicians,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	/* The field service settings, under the technicians' list for admins. */
	{ HTTP_POST, "/agent/admin/field-settings", console_field_settings, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/field/technicians/{id}", console_field_technician,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/field/technicians/{id}", console_field_technician_save,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/field/technicians/{id}/certifications", console_field_cert_add,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/field/technicians/{id}/certifications/{item}/delete",
		console_field_cert_remove, ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/field/technicians/{id}/time-off", console_field_off_add,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/field/technicians/{id}/time-off/{item}/delete",
		console_field_off_remove, ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/field/board", console_field_board, ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/field/board/assign", console_field_board_assign,
		ACCESS_SUPERVISOR | ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/returns", console_admin_returns, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/returns", console_admin_returns_save, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/returns/fees", console_admin_returns_fee, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/returns/fees/{id}/delete", console_admin_returns_fee_delete,
		ACCESS_ADMIN, 0 },
	/* The JSON API (api_routes.h): a key, never a cookie, so no CSRF token. */
#define API_ROUTE(method, pattern, handler, access) { method, pattern, handler, access, 1 },
	CONSOLE_API_ROUTES(API_ROUTE)
#undef API_ROUTE
};

/*
 * A staff session, with one rule on top: when the settings require a
 * second factor for admins, an admin without one keeps their other roles
 * but not admin until they enrol.
 */
static int
lookup(struct db *db, struct arena *a, const char *token, struct principal *who,
    const char **csrf)
{
	int found = session_staff_lookup(db, a, token, who, csrf);

	if (found == 1 && (who->access & ACCESS_ADMIN) && !who->totp_enabled &&
	    security_setting(db, SECURITY_REQUIRE_ADMIN_TOTP, 0))
		who->access &= ~(unsigned)ACCESS_ADMIN;
	return found;
}

/*
 * An API key → an integration agent that may make the requests its scope
 * names (the API's routes above ask for those bits), whatever roles its
 * maker holds. api_key_authenticate refuses the key of a maker who is no
 * longer an active admin, an expired one and a revoked one.
 */
static int
api_lookup(struct db *db, struct arena *a, const char *key, const char *ip,
    struct principal *who)
{
	struct api_key_auth k;
	enum cs_result rc = api_key_authenticate(db, a, key, ip, &k);

	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? 0 : -1;
	memset(who, 0, sizeof(*who));
	who->kind = WHO_STAFF;
	who->id = k.staff_id;
	/* Not a session: the key, which owns its Idempotency-Keys. */
	who->session_id = k.id;
	/* An integration agent, whatever roles its maker holds. */
	who->access = ACCESS_AGENT;
	if (k.scopes & API_SCOPE_TICKETS_READ)
		who->access |= ACCESS_API_TICKETS_READ;
	if (k.scopes & API_SCOPE_TICKETS_WRITE)
		who->access |= ACCESS_API_TICKETS_WRITE;
	if (k.scopes & API_SCOPE_COMMENTS_WRITE)
		who->access |= ACCESS_API_COMMENTS_WRITE;
	who->roles = "agent";
	who->name = arena_printf(a, "API key %s", k.name ? k.name : "");
	return who->name ? 1 : -1;
}

static const struct app_def console = {
	.program = "console",
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.home_path = "/agent/",
	.login_path = "/agent/login",
	.csrf_cookie = "csdesk_console_csrf",
	.body_class = "console",
	.other_area = "portal",
	.session_cookie = "csdesk_staff",
	.lookup_session = lookup,
	.api_prefix = "/api/",
	.lookup_api_key = api_lookup,
};

int
main(int argc, char **argv)
{
	return app_main(&console, argc, argv);
}
