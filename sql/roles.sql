-- roles.sql — the least-privilege database roles of the two programs.
-- `csdesk migrate` runs this after the migrations, every time: it must stay
-- safe to repeat. Grant here exactly what each program needs, table by
-- table, as features add tables.
--
--   csdesk_portal   portal.fcgi (customers): never staff tables; row-level
--                   security limits it to the signed-in customer's rows.
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

-- The console's dashboard shows which migrations are applied.
GRANT SELECT ON schema_migrations TO csdesk_console;
