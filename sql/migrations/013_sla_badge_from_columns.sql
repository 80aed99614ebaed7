-- The SLA badge (colour and time left) from the stored columns of 012.
--
-- sla_colour(t) and sla_left(t) take the whole ticket row: calling them for
-- each row of a list builds that row (description and all) as a value, and
-- walks sla_due() again inside; at 50 rows a page that cost more than the
-- page's own query. The same answers come from three stored timestamps,
-- in functions of plain values that the planner inlines into the query.
-- sla_colour(t) and sla_left(t) stay as the reference definitions; a test
-- holds these equal to them.

-- '' without a target, 'red' from sla_red_at (breached), 'paused' while the
-- clock stands (red at infinity), 'amber' from sla_amber_at, else 'green'.
CREATE FUNCTION sla_colour_at(red_at timestamptz, amber_at timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN red_at IS NULL THEN ''
		WHEN red_at <= now() THEN 'red'
		WHEN red_at = 'infinity' THEN 'paused'
		WHEN amber_at <= now() THEN 'amber'
		ELSE 'green' END
$$;

-- "3 h 20 min left", "overdue by 45 min" for s seconds to the due time.
CREATE FUNCTION sla_left_text(s bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN s < 0 THEN 'overdue by ' ELSE '' END
		|| CASE WHEN abs(s) >= 86400 THEN (abs(s) / 86400)::bigint || ' d '
			|| (abs(s) % 86400 / 3600)::bigint || ' h'
		WHEN abs(s) >= 3600 THEN (abs(s) / 3600)::bigint || ' h '
			|| (abs(s) % 3600 / 60)::bigint || ' min'
		ELSE (abs(s) / 60)::bigint || ' min' END
		|| CASE WHEN s < 0 THEN '' ELSE ' left' END
$$;

-- The same for a ticket's due time: '' without a target or while paused
-- (breached or not: a stopped clock has no time left to show).
CREATE FUNCTION sla_left_at(due_at timestamptz, paused boolean) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN due_at IS NULL OR paused THEN ''
		ELSE sla_left_text(floor(extract(epoch FROM due_at - now()))::bigint) END
$$;
