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
	auth_token_redeem(text, bytea), auth_token_issue(text, text, bigint, bytea, integer)
	TO csdesk_portal;
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
GRANT SELECT ON categories, products TO csdesk_portal;
GRANT SELECT, INSERT ON tickets TO csdesk_portal;
GRANT UPDATE (status, updated_at, closed_at, resolved_at, rating, rating_comment,
	reopen_count, version) ON tickets TO csdesk_portal;
GRANT SELECT, INSERT ON ticket_comments, ticket_attachments, ticket_events TO csdesk_portal;

GRANT SELECT, INSERT, UPDATE, DELETE ON categories, products, queues, resolution_codes,
	routing_rules, canned_responses, saved_views, api_keys, ticket_links TO csdesk_console;
GRANT SELECT, INSERT, UPDATE ON tickets, ticket_comments, ticket_attachments TO csdesk_console;
GRANT SELECT, INSERT ON ticket_events TO csdesk_console;
GRANT SELECT ON ticket_counts TO csdesk_console;

-- Knowledge base (011). The portal reads articles and categories (its
-- statements keep to published ones it may show) and writes only through
-- the SECURITY DEFINER functions: votes, view counts, searches.
GRANT SELECT ON kb_categories, kb_articles, kb_images TO csdesk_portal;
GRANT EXECUTE ON FUNCTION kb_ts_config(text), kb_correct(text),
	kb_rate(bigint, text, boolean, smallint, text, boolean),
	kb_add_views(bigint[], bigint[]), kb_search_log(text, text, text, integer),
	kb_search_opened(text, bigint), kb_search_ticket(text, bigint)
	TO csdesk_portal, csdesk_console;
GRANT EXECUTE ON FUNCTION kb_words_of(text, text, text, text[]) TO csdesk_console;
GRANT SELECT, INSERT, UPDATE, DELETE ON kb_categories, kb_articles, kb_images,
	kb_article_tickets TO csdesk_console;
GRANT SELECT, INSERT ON kb_revisions TO csdesk_console;
GRANT SELECT, INSERT ON kb_words TO csdesk_console;
GRANT SELECT ON kb_article_ratings, kb_searches TO csdesk_console;
