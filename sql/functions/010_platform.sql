-- 010_platform.sql — helpers every other file relies on.

-- Sets updated_at on every UPDATE of a table that has the column; tables
-- attach it with CREATE TRIGGER … BEFORE UPDATE … EXECUTE FUNCTION.
CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.updated_at := now();
	RETURN NEW;
END
$$;

-- The customer the current transaction acts for, or NULL.
CREATE OR REPLACE FUNCTION request_customer() RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT nullif(current_setting('csdesk.customer_id', true), '')::bigint
$$;
