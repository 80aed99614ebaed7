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
-- no target).
CREATE OR REPLACE FUNCTION sla_due_epoch(p_due timestamptz)
RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN isfinite(p_due) THEN extract(epoch FROM p_due)::bigint END
$$;
