-- 002_identity.sql — people, sign-in, sessions, throttling, mail outbox,
-- settings. The security model behind it (docs/security.md):
--
--   * the portal's role (csdesk_portal) sees customer-owned rows only of
--     the customer its current transaction names (row-level security keyed
--     on the setting csdesk.customer_id, set with set_config(…, true));
--   * the few look-ups that must cross customers before anyone is known
--     (sign-in by e-mail, session by token hash, registration) are
--     SECURITY DEFINER functions that return just what they must;
--   * staff, staff sessions and second-factor secrets are not reachable
--     from the portal's role at all (see sql/roles.sql).

-- The two programs' roles (grants are in sql/roles.sql, applied after every
-- migration run); the policies below name them, so they must exist first.
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

-- The customer the current transaction acts for, or NULL.
CREATE FUNCTION request_customer() RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT nullif(current_setting('csdesk.customer_id', true), '')::bigint
$$;

CREATE TABLE teams (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE skills (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100)
);

CREATE TABLE staff (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%' AND length(email) <= 254),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	password_hash text NOT NULL,
	roles text[] NOT NULL CHECK (cardinality(roles) > 0
		AND roles <@ ARRAY['agent', 'supervisor', 'technician', 'admin']),
	team_id bigint REFERENCES teams (id),
	languages text[] NOT NULL DEFAULT '{en}',
	capacity integer NOT NULL DEFAULT 20 CHECK (capacity BETWEEN 0 AND 1000),
	-- Working hours: days (1 = Monday … 7 = Sunday) and times in time_zone.
	work_days smallint[] NOT NULL DEFAULT '{1,2,3,4,5}'
		CHECK (work_days <@ ARRAY[1, 2, 3, 4, 5, 6, 7]::smallint[]),
	work_start time NOT NULL DEFAULT '09:00',
	work_end time NOT NULL DEFAULT '17:00',
	time_zone text NOT NULL DEFAULT 'UTC',
	escalation_level smallint NOT NULL DEFAULT 1 CHECK (escalation_level BETWEEN 1 AND 3),
	active boolean NOT NULL DEFAULT true,
	-- Second factor (RFC 6238): the raw secret, and the last time step
	-- accepted so that a code cannot be replayed.
	totp_secret bytea,
	totp_enabled_at timestamptz,
	totp_last_step bigint,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX staff_email ON staff (email);
CREATE TRIGGER staff_touch BEFORE UPDATE ON staff
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE staff_skills (
	staff_id bigint NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
	skill_id bigint NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
	PRIMARY KEY (staff_id, skill_id)
);

-- One-time recovery codes for a lost second factor, stored hashed.
CREATE TABLE staff_recovery_codes (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	staff_id bigint NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
	code_hash bytea NOT NULL,
	used_at timestamptz
);
CREATE INDEX staff_recovery_codes_staff ON staff_recovery_codes (staff_id);

CREATE TABLE customers (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	kind text NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'company')),
	tier text NOT NULL DEFAULT 'standard' CHECK (tier IN ('standard', 'premium', 'vip')),
	language text NOT NULL DEFAULT 'en' CHECK (language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
	phone text CHECK (length(phone) <= 40),
	preferred_agent_id bigint REFERENCES staff (id) ON DELETE SET NULL,
	active boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER customers_touch BEFORE UPDATE ON customers
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE portal_users (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	email text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%' AND length(email) <= 254),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	password_hash text NOT NULL,
	-- An account admin sees every ticket of the customer; others their own.
	is_account_admin boolean NOT NULL DEFAULT false,
	email_verified_at timestamptz,
	language text CHECK (language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
	active boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX portal_users_email ON portal_users (email);
CREATE INDEX portal_users_customer ON portal_users (customer_id);
CREATE TRIGGER portal_users_touch BEFORE UPDATE ON portal_users
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Sessions: the token itself never reaches the database, only its hash.
-- Idle expiry: last_seen_at + idle_seconds; absolute: expires_at.
CREATE TABLE portal_sessions (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	token_hash bytea NOT NULL UNIQUE,
	portal_user_id bigint NOT NULL REFERENCES portal_users (id) ON DELETE CASCADE,
	customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	csrf_token text NOT NULL,
	remember boolean NOT NULL DEFAULT false,
	idle_seconds integer NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	last_seen_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	user_agent text,
	ip inet
);
CREATE INDEX portal_sessions_user ON portal_sessions (portal_user_id);
CREATE INDEX portal_sessions_expiry ON portal_sessions (expires_at);

CREATE TABLE staff_sessions (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	token_hash bytea NOT NULL UNIQUE,
	staff_id bigint NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
	csrf_token text NOT NULL,
	idle_seconds integer NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	last_seen_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	user_agent text,
	ip inet
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);
CREATE INDEX staff_sessions_expiry ON staff_sessions (expires_at);

-- Every sign-in attempt, for throttling (per account and per address) and
-- for the admins' lock-out page. `who` is the e-mail as typed, lower-cased,
-- whether or not such an account exists.
CREATE TABLE login_attempts (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	area text NOT NULL CHECK (area IN ('portal', 'console')),
	who text NOT NULL,
	ip inet,
	success boolean NOT NULL,
	at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_who ON login_attempts (area, who, at);
CREATE INDEX login_attempts_ip ON login_attempts (area, ip, at);

-- Single-use, expiring links (e-mail verification, password reset): only
-- the hash of the token is kept.
CREATE TABLE auth_tokens (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
	token_hash bytea NOT NULL UNIQUE,
	portal_user_id bigint NOT NULL REFERENCES portal_users (id) ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	used_at timestamptz
);
CREATE INDEX auth_tokens_user ON auth_tokens (portal_user_id);

-- The mail outbox: a message is a row until it is delivered. `csdesk batch`
-- claims due rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE notifications (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind text NOT NULL,
	recipient text NOT NULL CHECK (recipient LIKE '%_@_%' AND length(recipient) <= 254),
	subject text NOT NULL CHECK (length(subject) <= 300),
	body_text text NOT NULL,
	body_html text,
	status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'dead')),
	attempts integer NOT NULL DEFAULT 0,
	last_error text,
	next_attempt_at timestamptz NOT NULL DEFAULT now(),
	created_at timestamptz NOT NULL DEFAULT now(),
	sent_at timestamptz
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'queued';
CREATE INDEX notifications_recent ON notifications (created_at DESC);

-- Settings admins change in the console (key → text value).
CREATE TABLE settings (
	key text PRIMARY KEY,
	value text NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO settings (key, value) VALUES
	('require_admin_totp', 'false'),
	('public_registration', 'true');

-- Row-level security on customer-owned tables: the portal's role sees the
-- rows of request_customer() only; the console's role sees everything.
-- The owner (migrations, batch, CLI) is not subject to it.
ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_users ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth_tokens ENABLE ROW LEVEL SECURITY;

CREATE POLICY customers_portal ON customers TO csdesk_portal
	USING (id = request_customer());
CREATE POLICY portal_users_portal ON portal_users TO csdesk_portal
	USING (customer_id = request_customer());
CREATE POLICY portal_sessions_portal ON portal_sessions TO csdesk_portal
	USING (customer_id = request_customer());
CREATE POLICY auth_tokens_portal ON auth_tokens TO csdesk_portal
	USING (portal_user_id IN (SELECT id FROM portal_users WHERE customer_id = request_customer()));
CREATE POLICY customers_console ON customers TO csdesk_console USING (true);
CREATE POLICY portal_users_console ON portal_users TO csdesk_console USING (true);
CREATE POLICY portal_sessions_console ON portal_sessions TO csdesk_console USING (true);
CREATE POLICY auth_tokens_console ON auth_tokens TO csdesk_console USING (true);

-- Sign-in: the account behind an e-mail, whoever asks. Returns no row for
-- an unknown address; the caller then verifies against a dummy hash so
-- the answer takes as long either way.
CREATE FUNCTION portal_login_lookup(p_email text)
RETURNS TABLE (user_id bigint, customer_id bigint, password_hash text, active boolean,
	verified boolean, name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
	SELECT u.id, u.customer_id, u.password_hash, u.active AND c.active,
		u.email_verified_at IS NOT NULL, u.name
	FROM portal_users u JOIN customers c ON c.id = u.customer_id
	WHERE u.email = lower(p_email)
$$;

-- The signed-in customer behind a session token hash, if the session is
-- alive (idle and absolute expiry, person and account active). Records
-- activity at most once a minute, so page views do not each cost a write.
CREATE FUNCTION portal_session_lookup(p_hash bytea)
RETURNS TABLE (session_id bigint, user_id bigint, customer_id bigint, csrf_token text,
	name text, email text, is_account_admin boolean, language text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	seen timestamptz;
BEGIN
	SELECT s.id, s.portal_user_id, s.customer_id, s.csrf_token, u.name, u.email,
		u.is_account_admin, coalesce(u.language, c.language), s.last_seen_at
	INTO session_id, user_id, customer_id, csrf_token, name, email, is_account_admin,
		language, seen
	FROM portal_sessions s
	JOIN portal_users u ON u.id = s.portal_user_id
	JOIN customers c ON c.id = s.customer_id
	WHERE s.token_hash = p_hash
		AND s.expires_at > now()
		AND s.last_seen_at + make_interval(secs => s.idle_seconds) > now()
		AND u.active AND c.active;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF seen < now() - interval '60 seconds' THEN
		UPDATE portal_sessions SET last_seen_at = now() WHERE id = session_id;
	END IF;
	RETURN NEXT;
END
$$;

-- Starts a session for a customer's person after their password was
-- checked. Returns the session id.
CREATE FUNCTION portal_session_start(p_user bigint, p_hash bytea, p_csrf text,
	p_remember boolean, p_idle integer, p_absolute integer, p_agent text, p_ip inet)
RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
	INSERT INTO portal_sessions (token_hash, portal_user_id, customer_id, csrf_token,
		remember, idle_seconds, expires_at, user_agent, ip)
	SELECT p_hash, u.id, u.customer_id, p_csrf, p_remember, p_idle,
		now() + make_interval(secs => p_absolute), left(p_agent, 300), p_ip
	FROM portal_users u WHERE u.id = p_user
	RETURNING id
$$;

-- Ends the session with this token hash (logout), whoever's it is.
CREATE FUNCTION portal_session_end(p_hash bytea) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
	DELETE FROM portal_sessions WHERE token_hash = p_hash
$$;

-- Self-registration: a new person account with one unverified login.
-- Returns the new portal user's id, or NULL when the e-mail is taken.
CREATE FUNCTION portal_register(p_name text, p_email text, p_hash text, p_language text)
RETURNS TABLE (user_id bigint, customer_id bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	cid bigint;
BEGIN
	IF EXISTS (SELECT 1 FROM portal_users WHERE email = lower(p_email)) THEN
		RETURN;
	END IF;
	INSERT INTO customers (name, kind, language) VALUES (p_name, 'person', p_language)
		RETURNING id INTO cid;
	customer_id := cid;
	INSERT INTO portal_users (customer_id, email, name, password_hash, is_account_admin, language)
		VALUES (cid, lower(p_email), p_name, p_hash, true, p_language)
		RETURNING id INTO user_id;
	RETURN NEXT;
EXCEPTION WHEN unique_violation THEN
	RETURN;
END
$$;

-- A single-use link: the user and customer it is for, if the token is
-- valid, unused and unexpired; marks it used in the same statement so
-- two clicks cannot both succeed.
CREATE FUNCTION auth_token_redeem(p_purpose text, p_hash bytea)
RETURNS TABLE (user_id bigint, customer_id bigint)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
	UPDATE auth_tokens t SET used_at = now()
	FROM portal_users u
	WHERE t.purpose = p_purpose AND t.token_hash = p_hash AND t.used_at IS NULL
		AND t.expires_at > now() AND u.id = t.portal_user_id AND u.active
	RETURNING u.id, u.customer_id
$$;

-- Issues a single-use link for a person found by e-mail (password reset)
-- or by id (verification). Returns the user's id and name, or no row.
CREATE FUNCTION auth_token_issue(p_purpose text, p_email text, p_user bigint,
	p_hash bytea, p_seconds integer)
RETURNS TABLE (user_id bigint, name text, email text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	SELECT u.id, u.name, u.email INTO user_id, name, email
	FROM portal_users u JOIN customers c ON c.id = u.customer_id
	WHERE u.active AND c.active AND
		(u.email = lower(p_email) OR (p_email IS NULL AND u.id = p_user));
	IF NOT FOUND THEN
		RETURN;
	END IF;
	-- A new link replaces older unused ones of the same purpose.
	UPDATE auth_tokens SET used_at = now()
		WHERE portal_user_id = user_id AND purpose = p_purpose AND used_at IS NULL;
	INSERT INTO auth_tokens (purpose, token_hash, portal_user_id, expires_at)
		VALUES (p_purpose, p_hash, user_id, now() + make_interval(secs => p_seconds));
	RETURN NEXT;
END
$$;
