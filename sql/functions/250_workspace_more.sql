-- 250_workspace_more.sql — the agent's notification choices (045), read by
-- the mail consumer of ticket events (src/domain/ticket_notify.c).

-- Whether staff member p_staff wants the mail of kind p_kind: 'assigned'
-- (a ticket given to them), 'replied' (a customer answered a ticket of
-- theirs), 'at_risk' (a ticket of theirs passed 80 % of its SLA target).
-- Any other kind (mentions, …) is not a choice: true. Without a settings
-- row, the defaults of 045.
CREATE OR REPLACE FUNCTION staff_wants_mail(p_staff bigint, p_kind text)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
	SELECT CASE p_kind
		WHEN 'assigned' THEN coalesce((SELECT mail_assigned FROM staff_prefs
			WHERE staff_id = p_staff), true)
		WHEN 'replied' THEN coalesce((SELECT mail_replied FROM staff_prefs
			WHERE staff_id = p_staff), true)
		WHEN 'at_risk' THEN coalesce((SELECT mail_at_risk FROM staff_prefs
			WHERE staff_id = p_staff), false)
		ELSE true END
$$;

-- A due time as seconds since 1970 for the console's lists, which show it
-- in the agent's time zone; NULL when there is none ('infinity': paused or
-- no target). STABLE, as extract() from a timestamptz is: declared
-- IMMUTABLE, PostgreSQL would not inline it into the list's statement and
-- ran it as a function of its own for every row of every page (46 calls a
-- queue page, each a statement start, and re-planned now and then).
CREATE OR REPLACE FUNCTION sla_due_epoch(p_due timestamptz)
RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN isfinite(p_due) THEN extract(epoch FROM p_due)::bigint END
$$;

-- Whether p_address turned off mail of kind p_kind (RFC 8058 one-click, or
-- the page it links to). As the owner: the programs' roles may ask, not
-- read the list.
CREATE OR REPLACE FUNCTION mail_opted_out(p_address text, p_kind text)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
	SELECT EXISTS (SELECT 1 FROM mail_opt_outs WHERE address = lower(p_address)
		AND kind = p_kind)
$$;

-- The address and kind of the message whose unsubscribe token is p_token
-- (no row: no such token). As the owner: the portal's role reads no outbox.
CREATE OR REPLACE FUNCTION mail_opt_out_find(p_token text)
RETURNS TABLE (address text, kind text, done boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
	SELECT lower(n.recipient), n.kind, mail_opted_out(n.recipient, n.kind)
	FROM notifications n WHERE n.unsubscribe_token = p_token
$$;

-- Records the opt-out of the message whose token is p_token (again is no
-- change); its kind, or NULL for no such token.
CREATE OR REPLACE FUNCTION mail_opt_out_record(p_token text)
RETURNS text LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	v_address text;
	v_kind text;
BEGIN
	SELECT lower(n.recipient), n.kind INTO v_address, v_kind
	FROM notifications n WHERE n.unsubscribe_token = p_token;
	IF v_kind IS NULL THEN
		RETURN NULL;
	END IF;
	INSERT INTO mail_opt_outs (address, kind) VALUES (v_address, v_kind)
	ON CONFLICT DO NOTHING;
	RETURN v_kind;
END;
$$;
