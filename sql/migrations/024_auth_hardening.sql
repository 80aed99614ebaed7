-- 024_auth_hardening.sql — API keys that carry their own scope and expiry
-- and record where they were last used; sign-in attempts that remember the
-- known device they came from; single-use sign-in links by e-mail.
-- (docs/security.md, "Sign-in throttling" and "API keys".)

-- What a key may do: tickets.read (GET), tickets.write (create, change),
-- comments.write (add a comment). Keys made before this keep all three,
-- as they could before. expires_at NULL: a key of before, with no expiry;
-- new keys always carry one (api_keys.c).
ALTER TABLE api_keys
	ADD COLUMN scopes text[] NOT NULL
		DEFAULT ARRAY['tickets.read', 'tickets.write', 'comments.write']
		CHECK (cardinality(scopes) > 0
			AND scopes <@ ARRAY['tickets.read', 'tickets.write', 'comments.write']),
	ADD COLUMN expires_at timestamptz,
	ADD COLUMN last_used_ip inet;

-- The known device (the nonce of a valid signed device cookie) an attempt
-- came from: such attempts are counted per device, apart from the
-- attempts of unknown clients (auth/throttle.c).
ALTER TABLE login_attempts ADD COLUMN device text CHECK (length(device) <= 64);
CREATE INDEX login_attempts_pair ON login_attempts (area, who, ip, at);
CREATE INDEX login_attempts_device ON login_attempts (area, device, at)
	WHERE device IS NOT NULL;

-- "Continue by e-mail link": a single-use sign-in link.
ALTER TABLE auth_tokens DROP CONSTRAINT auth_tokens_purpose_check;
ALTER TABLE auth_tokens ADD CONSTRAINT auth_tokens_purpose_check
	CHECK (purpose IN ('verify_email', 'reset_password', 'signin_link'));

-- Mail limits per address count the outbox; this index keeps that a range scan.
CREATE INDEX notifications_kind_recipient ON notifications (kind, recipient, created_at);

-- Staff's "continue by e-mail link": single-use sign-in links, stored
-- hashed. The second factor is still asked for after the link.
CREATE TABLE staff_auth_tokens (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	staff_id bigint NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
	token_hash bytea NOT NULL UNIQUE,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	used_at timestamptz
);
CREATE INDEX staff_auth_tokens_staff ON staff_auth_tokens (staff_id);
