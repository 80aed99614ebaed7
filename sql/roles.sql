-- roles.sql — what each program's database role may do, table by table.
-- `csdesk migrate` runs this after the migrations, every time: it must stay
-- safe to repeat. The roles themselves are made by migration 002 (its
-- row-level security policies name them); they are re-checked here so this
-- file stands on its own.
--
--   csdesk_portal   portal.fcgi (customers): no staff, staff-session,
--                   second-factor or configuration tables; row-level
--                   security limits customer-owned tables to the customer
--                   named by the current transaction (request_customer()).
--   csdesk_console  console.fcgi (staff and the API).
--
-- Passwords are not set here: in production use peer/cert authentication or
-- ALTER ROLE … PASSWORD from your secret store.

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'csdesk_portal') THEN
		CREATE ROLE csdesk_portal LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'csdesk_console') THEN
		CREATE ROLE csdesk_console LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
	END IF;
END
$$;

-- Just-in-time compilation pays off for long analytic queries; every
-- statement of the two programs is short, and a row estimate that crosses
-- jit_above_cost (a table not yet analysed, a generic plan's guess) made a
-- 1 ms search spend 230-310 ms compiling (measured: EXPLAIN ANALYZE's JIT
-- timing). Off for both programs' sessions (docs/operations.md).
ALTER ROLE csdesk_portal SET jit = off;
ALTER ROLE csdesk_console SET jit = off;

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO csdesk_portal, csdesk_console;
-- Functions are executable by everyone unless said otherwise.
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
GRANT EXECUTE ON FUNCTION request_customer(), touch_updated_at() TO csdesk_portal, csdesk_console;

-- The console's dashboard shows which migrations are applied.
GRANT SELECT ON schema_migrations TO csdesk_console;

-- Identity (002).
GRANT EXECUTE ON FUNCTION portal_login_lookup(text), portal_session_lookup(bytea),
	portal_session_start(bigint, bytea, text, boolean, integer, integer, text, inet),
	portal_session_end(bytea), portal_register(text, text, text, text),
	portal_address_is_staff(text),
	auth_token_redeem(text, bytea), auth_token_issue(text, text, bigint, bytea, integer)
	TO csdesk_portal;
-- Sign-in hardening (024): the device-cookie key and the mail limits.
GRANT EXECUTE ON FUNCTION auth_device_secret(text), mail_recent_count(text, text, integer)
	TO csdesk_portal, csdesk_console;
GRANT SELECT, INSERT, UPDATE ON staff_auth_tokens TO csdesk_console;
GRANT SELECT, UPDATE (name, language, phone) ON customers TO csdesk_portal;
GRANT SELECT, UPDATE (name, email, password_hash, language, email_verified_at)
	ON portal_users TO csdesk_portal;
GRANT SELECT, DELETE ON portal_sessions TO csdesk_portal;
GRANT SELECT, INSERT ON login_attempts TO csdesk_portal;
GRANT INSERT ON notifications TO csdesk_portal;
GRANT SELECT ON settings TO csdesk_portal;

GRANT SELECT, INSERT, UPDATE, DELETE ON teams, skills, staff, staff_skills,
	staff_recovery_codes, staff_sessions TO csdesk_console;
GRANT SELECT, INSERT, UPDATE ON customers, portal_users TO csdesk_console;
GRANT SELECT, DELETE ON portal_sessions TO csdesk_console;
GRANT SELECT, INSERT ON login_attempts TO csdesk_console;
GRANT SELECT, INSERT ON notifications TO csdesk_console;
GRANT SELECT, UPDATE ON settings TO csdesk_console;

-- Audit (003). Rows are added by both programs and read by the console
-- only; nobody is granted UPDATE, DELETE or TRUNCATE (and the table's
-- triggers refuse them anyway). The chain trigger runs as the owner.
GRANT INSERT ON audit_log TO csdesk_portal, csdesk_console;
GRANT SELECT ON audit_log TO csdesk_console;
GRANT EXECUTE ON FUNCTION audit_row_digest(bytea, bigint, timestamptz, text, bigint, text, text,
	text, jsonb, inet) TO csdesk_console;

-- Tickets (004). The portal reaches tickets only through row-level
-- security (its customer's, never internal notes); routing and assignment
-- run as the owner through ticket_route / ticket_auto_assign.
GRANT USAGE ON SEQUENCE ticket_number_seq TO csdesk_portal, csdesk_console;
GRANT EXECUTE ON FUNCTION ticket_is_open(text), ticket_route(bigint), ticket_auto_assign(bigint),
	ticket_number_next() TO csdesk_portal, csdesk_console;
GRANT SELECT ON categories, products, product_categories TO csdesk_portal;
GRANT SELECT, INSERT ON tickets TO csdesk_portal;
GRANT UPDATE (status, updated_at, closed_at, resolved_at, rating, rating_comment,
	reopen_count, version) ON tickets TO csdesk_portal;
GRANT SELECT, INSERT ON ticket_comments, ticket_attachments, ticket_events TO csdesk_portal;

GRANT SELECT, INSERT, UPDATE, DELETE ON categories, products, product_categories, queues, resolution_codes,
	routing_rules, canned_responses, saved_views, api_keys, ticket_links TO csdesk_console;
GRANT SELECT, INSERT, UPDATE ON tickets, ticket_comments, ticket_attachments TO csdesk_console;
GRANT SELECT, INSERT ON ticket_events TO csdesk_console;
GRANT SELECT ON ticket_counts TO csdesk_console;

-- Working together on a ticket (006): presence, links, merging.
GRANT SELECT, INSERT, UPDATE, DELETE ON ticket_presence TO csdesk_console;
GRANT EXECUTE ON FUNCTION ticket_merge(bigint, bigint, bigint) TO csdesk_console;

-- Console list indexes and cached choices (008): the trigger function that
-- tells the console's workers their kept lists changed; the priority rank
-- (an index expression: every role that writes tickets evaluates it).
GRANT EXECUTE ON FUNCTION console_choices_changed() TO csdesk_console;
GRANT EXECUTE ON FUNCTION ticket_priority_rank(text) TO csdesk_portal, csdesk_console;
-- SLA and escalation (009). Clocks start and move through SECURITY DEFINER
-- functions and triggers that run as the owner, so the portal touches no
-- SLA table itself; it reads only its own ticket's promise.
GRANT EXECUTE ON FUNCTION sla_ticket_start(bigint), sla_promise_due(bigint)
	TO csdesk_portal, csdesk_console;
GRANT EXECUTE ON FUNCTION sla_due(tickets), sla_colour(tickets),
	add_business_minutes(bigint, timestamptz, double precision),
	business_minutes_between(bigint, timestamptz, timestamptz),
	sla_policy_for(text, text, bigint), sla_queue_recompute(text, text),
	sla_ticket_recompute(bigint, text),
	sla_escalate(bigint, bigint, text, text, timestamptz, bigint, text, text, boolean, boolean),
	sla_recipients(bigint), sla_next_level_agent(bigint, smallint, bigint)
	TO csdesk_console;
GRANT SELECT, INSERT, UPDATE, DELETE ON business_calendars, calendar_hours, calendar_holidays,
	sla_policies, escalation_rules TO csdesk_console;
GRANT SELECT ON ticket_sla_clock, ticket_sla_events, ticket_escalations,
	ticket_response_targets, sla_recompute_queue TO csdesk_console;
-- Ticket notifications, dead letters and service metrics (010). The
-- staff to tell about a ticket are read through ticket_staff_recipients
-- (the portal's role cannot read staff); admins re-queue a message given
-- up; the reports page reads the daily metrics the batch job writes.
GRANT EXECUTE ON FUNCTION ticket_staff_recipients(bigint, boolean) TO csdesk_portal,
	csdesk_console;
GRANT UPDATE (status, attempts, next_attempt_at) ON notifications TO csdesk_console;
GRANT SELECT ON service_metrics_daily TO csdesk_console;
-- Knowledge base (011). The portal reads articles and categories (its
-- statements keep to published ones it may show) and writes only through
-- the SECURITY DEFINER functions: votes, view counts, searches.
GRANT SELECT ON kb_categories, kb_articles, kb_images TO csdesk_portal;
GRANT EXECUTE ON FUNCTION kb_ts_config(text), kb_correct(text),
	kb_rate(bigint, text, boolean, smallint, text, boolean, inet),
	kb_add_views(bigint[], bigint[]), kb_search_log(text, text, text, integer),
	kb_search_opened(text, bigint), kb_search_ticket(text, bigint)
	TO csdesk_portal, csdesk_console;
GRANT EXECUTE ON FUNCTION kb_words_of(text, text, text, text[]) TO csdesk_console;
GRANT SELECT, INSERT, UPDATE, DELETE ON kb_categories, kb_articles, kb_images,
	kb_article_tickets TO csdesk_console;
GRANT SELECT, INSERT ON kb_revisions TO csdesk_console;
GRANT SELECT, INSERT ON kb_words TO csdesk_console;
GRANT SELECT ON kb_article_ratings, kb_searches TO csdesk_console;
-- What search keeps in memory and stores (023).
GRANT SELECT ON kb_state, kb_words TO csdesk_portal, csdesk_console;
GRANT SELECT, INSERT, UPDATE, DELETE ON kb_ticket_suggestions TO csdesk_console;

-- The SLA badge from stored columns (013).
GRANT EXECUTE ON FUNCTION sla_colour_at(timestamptz, timestamptz),
	sla_seconds_left(timestamptz, boolean) TO csdesk_portal, csdesk_console;

-- Domain events (014): both programs append them in the transaction of
-- the change; only the batch job (the owner) reads them and moves the
-- consumers' cursors. The console shows a ticket's events.
GRANT INSERT ON domain_events TO csdesk_portal;
GRANT SELECT, INSERT ON domain_events TO csdesk_console;

-- Idempotency keys and form tokens (028): each program claims and answers
-- its own (statements name the scope and the owner).
GRANT SELECT, INSERT, UPDATE ON idempotency_keys TO csdesk_portal, csdesk_console;
GRANT DELETE ON idempotency_keys TO csdesk_console;

-- Survey answers (031): the console reads them for every satisfaction figure.
GRANT SELECT ON survey_responses TO csdesk_console;

-- Analytics (037). The batch (the owner) writes the rollup and moves the
-- alerts; the console reads the rollup, holders and backlog, lets admins
-- set KPI targets, and lets each person keep their report subscriptions.
-- ticket_holders is written by its trigger (SECURITY DEFINER), so neither
-- program writes it.
GRANT SELECT ON analytics_daily, ticket_holders, kpi_alert_state TO csdesk_console;
GRANT SELECT, UPDATE ON kpi_targets TO csdesk_console;
GRANT SELECT, INSERT, UPDATE, DELETE ON report_subscriptions TO csdesk_console;
GRANT EXECUTE ON FUNCTION ticket_holder_at(bigint, timestamptz),
	report_next_run(text, integer, integer, integer, text, timestamptz) TO csdesk_console;

-- Warranty (034). The portal registers its customer's products and opens
-- claims on them (row-level security keeps it to its own rows); coverage is
-- written only by the SECURITY DEFINER functions of 140_warranty.sql. The
-- console registers for customers, keeps contracts and works the claims.
GRANT SELECT, INSERT ON warranty_registrations TO csdesk_portal;
GRANT SELECT, INSERT ON warranty_claims TO csdesk_portal;
-- Submitting moves the state and fixes the covered share; never the costs.
GRANT UPDATE (state, last_reason, fulfilment, replacement_id, updated_at, labour_covered,
	parts_covered, shipping_covered, override_reason, override_by) ON warranty_claims
	TO csdesk_portal;
GRANT SELECT ON warranty_coverage, service_contracts TO csdesk_portal;
GRANT SELECT, INSERT, UPDATE ON warranty_registrations, warranty_claims, service_contracts,
	warranty_serial_flags TO csdesk_console;
GRANT SELECT, INSERT, UPDATE, DELETE ON service_contract_items TO csdesk_console;
GRANT SELECT ON warranty_coverage TO csdesk_console;
GRANT UPDATE (time_zone) ON customers TO csdesk_console;
GRANT EXECUTE ON FUNCTION warranty_serial_owner(text, bigint) TO csdesk_portal, csdesk_console;
GRANT EXECUTE ON FUNCTION
	warranty_coverage_refresh(bigint[], timestamptz) TO csdesk_console;
GRANT EXECUTE ON FUNCTION warranty_coverage_due(timestamptz, integer) TO csdesk_console;
GRANT EXECUTE ON FUNCTION warranty_coverage_compute(bigint, timestamptz),
	warranty_coverage_rows(bigint[], timestamptz) TO csdesk_portal, csdesk_console;

-- Surveys (036). The portal answers a survey only through the SECURITY
-- DEFINER functions of 160 (it reads no invitation and no answer); the
-- console manages the rules, reads the skips, the invitations without
-- their token hash, and works the follow-ups. The batch (the owner) sends
-- the invitations.
GRANT EXECUTE ON FUNCTION survey_invitation_open(bytea),
	survey_answer_save(bytea, smallint, text, text, integer),
	survey_staff_session(bytea) TO csdesk_portal;
GRANT EXECUTE ON FUNCTION survey_response_rate(timestamptz, timestamptz, bigint, bigint),
	qa_score(timestamptz, timestamptz, bigint, bigint) TO csdesk_console;
GRANT SELECT, INSERT, UPDATE, DELETE ON survey_rules TO csdesk_console;
GRANT SELECT ON survey_skips TO csdesk_console;
GRANT SELECT (id, rule_id, trigger, kind, customer_id, portal_user_id, ticket_id, resolution,
	team_id, agent_id, sent_at, expires_at, answered_at, answer_version)
	ON survey_invitations TO csdesk_console;
GRANT SELECT, UPDATE (status, note, done_by, done_at) ON survey_followups TO csdesk_console;
-- Quality reviews (036): admins keep the scorecards, supervisors draw
-- samples and score them, agents read their own; all in the console.
GRANT SELECT, INSERT, UPDATE ON qa_scorecards, qa_criteria TO csdesk_console;
GRANT SELECT, INSERT, UPDATE ON qa_reviews TO csdesk_console;
GRANT SELECT, INSERT ON qa_review_scores TO csdesk_console;
-- Automation, assignment and escalation (038). The batch (the owner)
-- assigns waiting tickets; ticket_auto_assign reads the on-call rota as
-- the owner. The console's admins keep the rota and name the escalation
-- levels; its pages read both.
GRANT SELECT, INSERT, DELETE ON oncall_shifts TO csdesk_console;
GRANT SELECT, UPDATE (name) ON escalation_levels TO csdesk_console;
GRANT EXECUTE ON FUNCTION oncall_at(bigint, timestamptz), oncall_now(bigint) TO csdesk_console;
-- Triggers and automations: admins keep the rules and look at a dry run;
-- the batch (the owner) fires them.
GRANT SELECT, INSERT, UPDATE ON automation_rules TO csdesk_console;
GRANT SELECT ON automation_firings TO csdesk_console;
-- An automatic answer's link resolves its ticket through kb_auto_answer_solve
-- (as the owner: the link is the proof, not a session).
GRANT EXECUTE ON FUNCTION kb_auto_answer_solve(text) TO csdesk_portal;
-- An agent flags a ticket through ticket_flag (as the owner: it escalates).
GRANT EXECUTE ON FUNCTION ticket_flag(bigint, text, boolean, bigint) TO csdesk_console;
GRANT EXECUTE ON FUNCTION automation_dry_run(bigint, integer),
	automation_holds(automation_rules, tickets, text), automation_open_now(tickets)
	TO csdesk_console;

-- Returns (035). The portal asks for and cancels its customer's returns
-- (row-level security keeps it to them) and reads the policy that fixes a
-- line's window and fee; the console does everything else.
GRANT USAGE ON SEQUENCE return_number_seq TO csdesk_portal, csdesk_console;
GRANT SELECT ON return_policy, return_windows, return_reasons, return_fees
	TO csdesk_portal, csdesk_console;
GRANT SELECT, INSERT ON returns, return_lines, return_photos, return_steps TO csdesk_portal;
GRANT UPDATE (state, outcome_note, updated_at) ON returns TO csdesk_portal;
GRANT SELECT ON return_units TO csdesk_portal;
GRANT SELECT, INSERT, UPDATE ON returns, return_lines, return_units, return_photos,
	return_steps TO csdesk_console;
GRANT UPDATE ON return_policy TO csdesk_console;
GRANT INSERT, UPDATE, DELETE ON return_windows, return_fees TO csdesk_console;
GRANT UPDATE (needs_inspection) ON return_reasons TO csdesk_console;
GRANT EXECUTE ON FUNCTION return_terms(bigint, text, date, date) TO csdesk_portal, csdesk_console;
GRANT EXECUTE ON FUNCTION return_settle_lines(bigint, boolean) TO csdesk_console;
-- Workspace (039): each agent's settings and reply drafts, read and
-- written by the console only.
GRANT SELECT, INSERT, UPDATE ON staff_prefs TO csdesk_console;
GRANT SELECT, INSERT, UPDATE, DELETE ON ticket_drafts TO csdesk_console;

-- E-mail in and out (032). Mail intake and delivery run as the owner (the
-- csdesk command); the console reads the mail log and edits the mail
-- settings; a contact's invitation is redeemed in the portal.
GRANT SELECT ON mail_messages TO csdesk_console;
-- The API makes contacts for people who never registered (contacts.h).
GRANT EXECUTE ON FUNCTION portal_register(text, text, text, text),
	portal_address_is_staff(text), portal_login_lookup(text) TO csdesk_console;
GRANT SELECT, INSERT, UPDATE, DELETE ON mail_addresses, team_mail TO csdesk_console;
-- Field service (041). The console books, dispatches and runs the
-- technician's day; the portal reads its customer's appointments (row-level
-- security keeps it to them).
GRANT SELECT ON appointments TO csdesk_portal;
GRANT SELECT, INSERT, UPDATE ON technicians, technician_certifications, appointments
	TO csdesk_console;
GRANT SELECT, INSERT, UPDATE, DELETE ON technician_skills, technician_time_off TO csdesk_console;
GRANT EXECUTE ON FUNCTION field_at(text, text) TO csdesk_console;

-- Service parts (042). The console keeps the catalogue, stock, transfers,
-- usage and audits (every movement in the transaction of its cause); the
-- portal reads the parts on its customer's job reports (row-level security
-- keeps part_usages to them) and, for the cover on the job's day, the items
-- of its own contracts (policy in 042).
GRANT SELECT ON parts, part_usages, service_contract_items TO csdesk_portal;
GRANT SELECT, INSERT, UPDATE ON parts, stock_locations, stock_levels, stock_transfers,
	part_usages, part_requests, stock_audits, job_charges TO csdesk_console;
GRANT SELECT, INSERT, DELETE ON part_products TO csdesk_console;
GRANT SELECT, INSERT ON stock_movements, stock_audit_lines TO csdesk_console;
GRANT EXECUTE ON FUNCTION parts_technician_name(bigint) TO csdesk_portal, csdesk_console;
-- Field dispatch (043). Supervisors keep certifications (and remove
-- them); the portal offers windows and books, moves and cancels its
-- customer's own visits (the functions act for request_customer() only;
-- row-level security keeps a cancel to the customer's rows).
GRANT DELETE ON technician_certifications TO csdesk_console;
GRANT EXECUTE ON FUNCTION field_skill_valid(bigint, text),
	field_free_technician(timestamptz, timestamptz, text, text, bigint, bigint)
	TO csdesk_console;
GRANT EXECUTE ON FUNCTION field_offered_windows(text, text, date, integer, text),
	field_portal_book(bigint, timestamptz, timestamptz, text, text, text),
	field_portal_move(bigint, timestamptz, timestamptz, text) TO csdesk_portal;
GRANT UPDATE (status, reason, sequence) ON appointments TO csdesk_portal;
-- The agent's workspace, continued (045). The console's lists read SLA due
-- times through sla_due_epoch; the mail consumer (the owner) reads the
-- notification choices through staff_wants_mail.
GRANT EXECUTE ON FUNCTION sla_due_epoch(timestamptz) TO csdesk_console;
-- The ticket page decides on mail to review (045): the decision on the
-- message, and its note made public when accepted.
GRANT UPDATE (review_outcome, reviewed_by, reviewed_at, merge_dismissed_at) ON mail_messages
	TO csdesk_console;
-- One-click unsubscribe (045): whoever queues mail asks whether an address
-- turned a kind off; the portal finds and records an opt-out by its token.
GRANT EXECUTE ON FUNCTION mail_opted_out(text, text) TO csdesk_portal, csdesk_console;
GRANT EXECUTE ON FUNCTION mail_opt_out_find(text), mail_opt_out_record(text) TO csdesk_portal;
-- Ticket types, sub-categories and sites (046). The portal offers the
-- active types and its own customer's sites (row-level security keeps it
-- to them) on the new-request form; the console's admins keep the lists.
GRANT SELECT ON ticket_types TO csdesk_portal;
GRANT SELECT, INSERT, UPDATE ON ticket_types TO csdesk_console;
GRANT SELECT ON customer_sites TO csdesk_portal;
GRANT SELECT, INSERT, UPDATE ON customer_sites TO csdesk_console;
-- The knowledge base's report counts the automatic answers and their use.
GRANT SELECT ON kb_auto_answers TO csdesk_console;
-- Webhooks: the console's admins register them and read the delivery
-- log; the batch (the owner) queues and posts the deliveries.
GRANT SELECT, INSERT, UPDATE, DELETE ON webhooks TO csdesk_console;
GRANT SELECT ON webhook_deliveries TO csdesk_console;
-- Intake speed (044): a ticket is opened by one function that routes,
-- assigns and starts its clock before writing the row (it runs as the
-- owner and checks the portal's customer itself).
GRANT EXECUTE ON FUNCTION ticket_open_row(bigint, bigint, text, text, bigint, bigint, text, text,
	text, text, text, text, bigint, text, bigint, bigint) TO csdesk_portal, csdesk_console;
-- KB search speed (049). A search is one statement: the page function and
-- the candidates it ranks read only what the portal may read, and record
-- the search through kb_search_log.
GRANT EXECUTE ON FUNCTION kb_search_page(text[], text, text, boolean, boolean, integer, bigint,
	text, integer, integer, text, text),
	kb_search_candidates(text[], tsquery, bigint[], text, integer) TO csdesk_portal, csdesk_console;
-- A ticket's KB suggestions (440): found and stored by the event consumer,
-- or by the agent's page when a ticket has none yet (kb_suggest.c).
GRANT EXECUTE ON FUNCTION kb_ticket_suggest(bigint, integer), kb_suggest_ids(text, integer),
	kb_suggest_query(text) TO csdesk_console;
-- Job photos (053). The technician adds and shares them from the console;
-- the portal reads the shared photos of its own visits (row-level security).
GRANT SELECT ON job_photos TO csdesk_portal;
GRANT SELECT, INSERT, UPDATE (caption, shared) ON job_photos TO csdesk_console;

-- A ticket's site after creation (054). A change of site may move a
-- ticket nobody has picked up to the queue a site rule gives it: the
-- console (the ticket page and the API) asks the owner's function.
GRANT EXECUTE ON FUNCTION ticket_site_reroute(bigint, text) TO csdesk_console;
-- Automations counted in business hours wait in automation_waits, which
-- the batch (the owner) keeps; a calendar's change marks them to be
-- counted again through a SECURITY DEFINER trigger, so no role is granted
-- the table.

-- Field and parts rollup (055). The console's reports read the daily
-- rollup and, for the days it does not hold, the facts; the batch (the
-- owner) keeps it, and SECURITY DEFINER triggers mark a corrected day.
GRANT SELECT ON field_rollup_days, parts_usage_daily, technician_daily TO csdesk_console;
GRANT EXECUTE ON FUNCTION parts_usage_facts(date, text), technician_facts(date),
	field_rolled_days(date, date), parts_usage_period(date, date, text),
	technician_period(date, date) TO csdesk_console;

-- Ticket page (056). The customer panel reads the figures the tickets'
-- SECURITY DEFINER triggers keep; the batch (the owner) folds them.
GRANT SELECT ON customer_ticket_figures TO csdesk_console;
-- The SLA panel's lists (062), kept by SECURITY DEFINER triggers.
GRANT SELECT ON ticket_sla_panels TO csdesk_console;
GRANT EXECUTE ON FUNCTION ticket_presence_touch(bigint, bigint, integer, integer)
	TO csdesk_console;

-- Creation cost (057). An SLA clock's thresholds from one walk of the
-- calendar: whoever may add business minutes may add a list of them.
GRANT EXECUTE ON FUNCTION add_business_minutes_list(bigint, timestamptz, double precision[])
	TO csdesk_console;
