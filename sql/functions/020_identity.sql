-- 020_identity.sql — people and sign-in: the look-ups the portal makes before
-- anyone is known (SECURITY DEFINER, returning just what they must), and the
-- updated_at stamps of the people tables.

CREATE OR REPLACE TRIGGER staff_touch BEFORE UPDATE ON staff
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE OR REPLACE TRIGGER customers_touch BEFORE UPDATE ON customers
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE OR REPLACE TRIGGER portal_users_touch BEFORE UPDATE ON portal_users
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Sign-in: the account behind an e-mail, whoever asks. Returns no row for
-- an unknown address; the caller then verifies against a dummy hash so
-- the answer takes as long either way.
CREATE OR REPLACE FUNCTION portal_login_lookup(p_email text)
RETURNS TABLE (user_id bigint, customer_id bigint, password_hash text, active boolean,
	verified boolean, name text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	-- PL/pgSQL keeps the plan for the session; the SQL function it was
	-- (never inlined: it sets its search_path) was planned at every sign-in
	-- and every API ticket's contact lookup.
	RETURN QUERY SELECT u.id, u.customer_id, u.password_hash, u.active AND c.active,
		u.email_verified_at IS NOT NULL, u.name
	FROM portal_users u JOIN customers c ON c.id = u.customer_id
	WHERE u.email = lower(p_email);
END
$$;

-- The signed-in customer behind a session token hash, if the session is
-- alive (idle and absolute expiry, person and account active). Records
-- activity at most once a minute, so page views do not each cost a write.
CREATE OR REPLACE FUNCTION portal_session_lookup(p_hash bytea)
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
CREATE OR REPLACE FUNCTION portal_session_start(p_user bigint, p_hash bytea, p_csrf text,
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
CREATE OR REPLACE FUNCTION portal_session_end(p_hash bytea) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
	DELETE FROM portal_sessions WHERE token_hash = p_hash
$$;

-- Self-registration: a new person account with one unverified login.
-- Returns the new portal user's id, or NULL when the e-mail is taken.
-- Whether a staff member has this address: a customer account may not
-- take it (a mail from it would look like the colleague's), and the
-- portal answers as for any taken address.
CREATE OR REPLACE FUNCTION portal_address_is_staff(p_email text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
	SELECT EXISTS (SELECT 1 FROM staff WHERE lower(email) = lower(p_email))
$$;

CREATE OR REPLACE FUNCTION portal_register(p_name text, p_email text, p_hash text, p_language text)
RETURNS TABLE (user_id bigint, customer_id bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	cid bigint;
BEGIN
	IF EXISTS (SELECT 1 FROM portal_users WHERE email = lower(p_email))
		OR portal_address_is_staff(p_email) THEN
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
CREATE OR REPLACE FUNCTION auth_token_redeem(p_purpose text, p_hash bytea)
RETURNS TABLE (user_id bigint, customer_id bigint)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
	UPDATE auth_tokens t SET used_at = now()
	FROM portal_users u JOIN customers c ON c.id = u.customer_id
	WHERE t.purpose = p_purpose AND t.token_hash = p_hash AND t.used_at IS NULL
		AND t.expires_at > now() AND u.id = t.portal_user_id AND u.active AND c.active
	RETURNING u.id, u.customer_id
$$;

-- Issues a single-use link for a person found by e-mail (password reset)
-- or by id (verification, invitation). Returns the user's id and name, or no row.
CREATE OR REPLACE FUNCTION auth_token_issue(p_purpose text, p_email text, p_user bigint,
	p_hash bytea, p_seconds integer)
RETURNS TABLE (user_id bigint, name text, email text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	SELECT u.id, u.name, u.email INTO user_id, name, email
	FROM portal_users u JOIN customers c ON c.id = u.customer_id
	WHERE u.active AND c.active AND
		(u.email = lower(p_email) OR (p_email IS NULL AND u.id = p_user))
		-- A contact without a password (made from a mail or the API) gets
		-- no sign-in or reset link: only its invitation sets one.
		AND (u.password_hash IS NOT NULL OR p_purpose = 'invite');
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

-- The key that signs device cookies (auth/device.c): made once, by the
-- first program that needs it (p_candidate, fresh random bytes), and the
-- same for every worker and host from then on.
CREATE OR REPLACE FUNCTION auth_device_secret(p_candidate text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	v text;
BEGIN
	INSERT INTO settings (key, value) VALUES ('device_cookie_secret', p_candidate)
		ON CONFLICT (key) DO NOTHING;
	SELECT value INTO v FROM settings WHERE key = 'device_cookie_secret';
	RETURN v;
END
$$;

-- How many mails of a kind went to an address in the last p_seconds, for
-- the per-address limits of unauthenticated mail (registration, reset,
-- sign-in link). The advisory lock, held to the end of the caller's
-- transaction, makes workers that ask for the same address at once take
-- turns, so a burst cannot slip past the count.
CREATE OR REPLACE FUNCTION mail_recent_count(p_kind text, p_recipient text, p_seconds integer)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('mail_limit'), hashtext(p_kind || ' ' || lower(p_recipient)));
	RETURN (SELECT count(*) FROM notifications
		WHERE kind = p_kind AND recipient = lower(p_recipient)
			AND created_at > now() - make_interval(secs => p_seconds));
END
$$;
