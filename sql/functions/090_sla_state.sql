-- 090_sla_state.sql — where a ticket's service level stands now, as values
-- the programs word themselves (src/domain/sla_words.c): the colour of its
-- badge, the seconds left to its due time, and what a customer is promised.
-- No sentence for people is made here.
--
-- The colour rule is defined once, in sla_colour_at(), on the moments kept
-- by the row itself (generated columns of migration 012: sla_red_at, from
-- when the ticket is red, 'infinity' while paused; sla_amber_at, from when
-- it is amber). Functions of plain values, so the planner inlines them into
-- a list's query; every caller (ticket page, lists, escalation mail, tests)
-- goes through them.

-- The earliest due time still pending on a ticket (NULL: nothing pending).
CREATE OR REPLACE FUNCTION sla_due(t tickets) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN t.sla_policy_id IS NOT NULL
		AND t.status NOT IN ('resolved', 'closed', 'cancelled') THEN
		least(CASE WHEN t.first_response_at IS NULL THEN t.first_response_due_at END,
			t.next_response_due_at,
			CASE WHEN t.resolution_met IS NOT true THEN t.resolution_due_at END) END
$$;

-- The badge colour: '' without a target, 'red' from red_at (a stage
-- breached: '-infinity'; else the due time), 'paused' while the clock
-- stands (red at 'infinity'), 'amber' from amber_at (80 % of a target
-- used), else 'green'.
CREATE OR REPLACE FUNCTION sla_colour_at(red_at timestamptz, amber_at timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN red_at IS NULL THEN ''
		WHEN red_at <= now() THEN 'red'
		WHEN red_at = 'infinity' THEN 'paused'
		WHEN amber_at <= now() THEN 'amber'
		ELSE 'green' END
$$;

-- The same for a whole ticket row (handy in ad-hoc queries and tests).
CREATE OR REPLACE FUNCTION sla_colour(t tickets) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT sla_colour_at(t.sla_red_at, t.sla_amber_at)
$$;

-- Whole seconds from now to a ticket's due time (negative: overdue by that
-- much); NULL without a target or while paused (breached or not: a stopped
-- clock has no time left to show). sla_left_words() in C says it.
CREATE OR REPLACE FUNCTION sla_seconds_left(due_at timestamptz, paused boolean) RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN due_at IS NULL OR paused THEN NULL
		ELSE floor(extract(epoch FROM due_at - now()))::bigint END
$$;

-- What a customer is promised on their ticket: one row, or none when there
-- is no promise (no policy, closed, every target decided). kind: 'paused'
-- (the clock waits for the customer), 'reply' (the first or next response
-- is due) or 'solve' (the resolution is). local: the due time on the
-- customer's clock ('YYYY-MM-DD HH24:MI'), isodow its weekday, soon when
-- it is less than six days away, zone the customer's time zone (the
-- calendar's when the customer has none); with a reply due, solve_* say
-- when the resolution is; handler is the agent's name ("" for nobody). Runs as
-- the owner (the portal cannot read policies or calendars) and answers only
-- for the customer the transaction names. sla_promise_words() in C says it.
CREATE OR REPLACE FUNCTION sla_promise_due(p_ticket bigint)
RETURNS TABLE (kind text, local text, isodow integer, soon boolean, zone text,
	solve_local text, solve_isodow integer, solve_soon boolean, handler text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	t tickets%ROWTYPE;
	due timestamptz;
BEGIN
	SELECT * INTO t FROM tickets x WHERE x.id = p_ticket
		AND (request_customer() IS NULL OR x.customer_id = request_customer());
	IF NOT FOUND OR t.sla_policy_id IS NULL OR NOT ticket_is_open(t.status) THEN
		RETURN;
	END IF;
	SELECT coalesce(u.time_zone, c.time_zone) INTO zone FROM sla_policies p
		JOIN business_calendars c ON c.id = p.calendar_id
		LEFT JOIN customers u ON u.id = t.customer_id WHERE p.id = t.sla_policy_id;
	handler := coalesce((SELECT s.name FROM staff s WHERE s.id = t.assignee_id), '');
	IF t.sla_paused_at IS NOT NULL THEN
		kind := 'paused';
	ELSIF t.first_response_met IS NULL AND t.first_response_due_at IS NOT NULL THEN
		kind := 'reply';
		due := t.first_response_due_at;
	ELSIF t.next_response_due_at IS NOT NULL THEN
		kind := 'reply';
		due := t.next_response_due_at;
	ELSIF t.resolution_met IS NULL AND t.resolution_due_at IS NOT NULL THEN
		kind := 'solve';
		due := t.resolution_due_at;
	ELSE
		RETURN;
	END IF;
	local := to_char(due AT TIME ZONE zone, 'YYYY-MM-DD HH24:MI');
	isodow := extract(isodow FROM due AT TIME ZONE zone)::integer;
	soon := due < now() + interval '6 days';
	IF kind = 'reply' AND t.resolution_met IS NULL AND t.resolution_due_at IS NOT NULL THEN
		solve_local := to_char(t.resolution_due_at AT TIME ZONE zone, 'YYYY-MM-DD HH24:MI');
		solve_isodow := extract(isodow FROM t.resolution_due_at AT TIME ZONE zone)::integer;
		solve_soon := t.resolution_due_at < now() + interval '6 days';
	END IF;
	RETURN NEXT;
END
$$;
