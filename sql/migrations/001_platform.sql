-- 001_platform.sql — what every later migration relies on.

-- All times are timestamptz, and sessions of this database speak UTC;
-- calendars carry their own IANA zone where local time matters.
DO $$
BEGIN
	EXECUTE format('ALTER DATABASE %I SET timezone TO %L', current_database(), 'UTC');
END
$$;

-- Sets updated_at on every UPDATE of a table that has the column; tables
-- attach it with CREATE TRIGGER … BEFORE UPDATE … EXECUTE FUNCTION.
CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.updated_at := now();
	RETURN NEW;
END
$$;
