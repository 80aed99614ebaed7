-- 010_notifications_metrics.sql — who hears about a ticket's changes, the
-- auto-close of resolved tickets, and the daily service metrics.
--
--   * ticket_staff_recipients(): the staff to tell about a ticket (its
--     agent, or the team of its queue), readable by the portal's role for
--     its own customer's tickets only.
--   * settings auto_close_days (resolved tickets close after that many
--     days) and metrics_time_zone (the zone whose calendar days the
--     metrics count).
--   * service_metrics_daily and metrics_rollup_day(), the one place the
--     metrics are defined.
--   * indexes so that both batch steps read ranges, not the ticket table.

INSERT INTO settings (key, value) VALUES
	('auto_close_days', '7'),
	('metrics_time_zone', 'UTC')
ON CONFLICT (key) DO NOTHING;

-- The staff to tell about ticket p_ticket: its assignee when the ticket has
-- one; otherwise, with p_team set, the active members of its queue's team
-- (the ticket's own team when it has no queue). Staff who are not active
-- are never told. Runs as the owner because the portal's role may not read
-- staff; for that role (no request customer, or another customer's ticket)
-- it returns nothing, so a customer learns no address of anyone working on
-- someone else's request.
CREATE FUNCTION ticket_staff_recipients(p_ticket bigint, p_team boolean)
RETURNS TABLE (staff_id bigint, name text, email text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
	WITH t AS (
		SELECT t.assignee_id, coalesce(q.team_id, t.team_id) AS team_id
		FROM tickets t LEFT JOIN queues q ON q.id = t.queue_id
		WHERE t.id = p_ticket
			AND (t.customer_id = request_customer()
				OR (request_customer() IS NULL AND session_user <> 'csdesk_portal'))
	)
	SELECT s.id, s.name, s.email FROM t JOIN staff s ON s.id = t.assignee_id
	WHERE s.active
	UNION ALL
	SELECT s.id, s.name, s.email FROM t JOIN staff s ON s.team_id = t.team_id
	WHERE p_team AND t.assignee_id IS NULL AND s.active
	ORDER BY 1
$$;

-- Ranges the batch reads: tickets resolved long enough ago to close, and
-- the day's creations, first responses, resolutions and closures.
CREATE INDEX tickets_resolved_waiting ON tickets (resolved_at) WHERE status = 'resolved';
CREATE INDEX tickets_created_at ON tickets (created_at);
CREATE INDEX tickets_first_response_at ON tickets (first_response_at)
	WHERE first_response_at IS NOT NULL;
CREATE INDEX tickets_resolved_at ON tickets (resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX tickets_closed_at ON tickets (closed_at) WHERE closed_at IS NOT NULL;
-- The open tickets (the backlog), by age: small next to the whole table.
CREATE INDEX tickets_open_created ON tickets (created_at)
	WHERE status IN ('new', 'assigned', 'in_progress', 'pending_customer', 'pending_parts',
		'reopened');

-- One row per calendar day (in metrics_time_zone), dimension and key:
--   dimension 'all'     key ''             everything
--   dimension 'channel' key the channel    ('portal', 'email', …)
--   dimension 'team'    key the team id    ('0': no team)
--   dimension 'agent'   key the staff id   ('0': unassigned)
-- A ticket counts for its current channel, team and assignee. Times are
-- seconds; averages and medians are NULL when nothing was measured.
CREATE TABLE service_metrics_daily (
	day date NOT NULL,
	dimension text NOT NULL CHECK (dimension IN ('all', 'channel', 'team', 'agent')),
	key text NOT NULL CHECK (length(key) <= 40),
	created integer NOT NULL DEFAULT 0,		-- created that day
	resolved integer NOT NULL DEFAULT 0,		-- resolved that day
	closed integer NOT NULL DEFAULT 0,		-- closed that day
	backlog integer NOT NULL DEFAULT 0,		-- open at the end of the day
	first_responses integer NOT NULL DEFAULT 0,	-- first public staff replies that day
	first_response_avg bigint,			-- created → first response
	first_response_median bigint,
	resolution_avg bigint,				-- created → resolved, over `resolved`
	resolution_median bigint,
	first_contact integer NOT NULL DEFAULT 0,	-- resolved with one public staff
							-- reply and never reopened
	reopened integer NOT NULL DEFAULT 0,		-- resolved after a reopen
	ratings integer NOT NULL DEFAULT 0,		-- ratings given, closed that day
	rating_avg numeric(3, 2),
	computed_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (day, dimension, key)
);

-- Computes day p_day (a calendar day in zone p_zone) from the tickets and
-- stores it: rows are inserted, updated only where a number changed, and
-- rows for keys that no longer have anything that day removed, so running
-- it twice changes nothing the second time. Returns how many rows changed.
--
-- Cost: it reads the tickets created, first answered, resolved or closed
-- that day (index ranges), those finished since the day ended, and the
-- open ones (the backlog) — never the whole table. Backlog at the end of
-- the day is "open now and created before then, or finished since then";
-- a cancelled ticket counts as finished at its last update.
-- Plans are made for each call's own day (force_custom_plan): a plan made
-- for unknown bounds would read the ticket table by created_at instead of
-- the day's narrow ranges.
CREATE FUNCTION metrics_rollup_day(p_day date, p_zone text) RETURNS integer
LANGUAGE plpgsql SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
	d_start timestamptz := p_day::timestamp AT TIME ZONE p_zone;
	d_end timestamptz := (p_day + 1)::timestamp AT TIME ZONE p_zone;
	n integer;
BEGIN
	WITH day_ids AS (
		SELECT id FROM tickets WHERE created_at >= d_start AND created_at < d_end
		UNION SELECT id FROM tickets
			WHERE first_response_at >= d_start AND first_response_at < d_end
		UNION SELECT id FROM tickets WHERE resolved_at >= d_start AND resolved_at < d_end
		UNION SELECT id FROM tickets WHERE closed_at >= d_start AND closed_at < d_end
	), backlog_ids AS (
		SELECT id FROM tickets
			WHERE status IN ('new', 'assigned', 'in_progress', 'pending_customer',
				'pending_parts', 'reopened') AND created_at < d_end
		UNION SELECT id FROM tickets
			WHERE resolved_at >= d_end AND created_at < d_end
				AND (closed_at IS NULL OR closed_at >= d_end)
		UNION SELECT id FROM tickets
			WHERE closed_at >= d_end AND created_at < d_end
				AND (resolved_at IS NULL OR resolved_at >= d_end)
		UNION SELECT id FROM tickets
			WHERE status = 'cancelled' AND updated_at >= d_end AND created_at < d_end
	), facts AS (
		SELECT t.channel, coalesce(t.team_id, 0)::text AS team,
			coalesce(t.assignee_id, 0)::text AS agent,
			(t.created_at >= d_start AND t.created_at < d_end) AS is_created,
			coalesce(t.resolved_at >= d_start AND t.resolved_at < d_end, false)
				AS is_resolved,
			coalesce(t.closed_at >= d_start AND t.closed_at < d_end, false) AS is_closed,
			b.id IS NOT NULL AS in_backlog,
			CASE WHEN t.first_response_at >= d_start AND t.first_response_at < d_end
				THEN extract(epoch FROM t.first_response_at - t.created_at) END AS frt,
			CASE WHEN t.resolved_at >= d_start AND t.resolved_at < d_end
				THEN extract(epoch FROM t.resolved_at - t.created_at) END AS rt,
			t.reopen_count,
			CASE WHEN t.closed_at >= d_start AND t.closed_at < d_end THEN t.rating END
				AS rating,
			t.id
		FROM tickets t LEFT JOIN backlog_ids b ON b.id = t.id
		WHERE t.id IN (SELECT id FROM day_ids UNION SELECT id FROM backlog_ids)
	), fcr AS (
		SELECT f.id, (SELECT count(*) FROM ticket_comments m WHERE m.ticket_id = f.id
			AND m.kind = 'public' AND m.author_staff_id IS NOT NULL) = 1 AS one_reply
		FROM facts f WHERE f.rt IS NOT NULL AND f.reopen_count = 0
	), agg AS (
		SELECT v.dimension, v.key,
			count(*) FILTER (WHERE f.is_created)::integer AS created,
			count(*) FILTER (WHERE f.is_resolved)::integer AS resolved,
			count(*) FILTER (WHERE f.is_closed)::integer AS closed,
			count(*) FILTER (WHERE f.in_backlog)::integer AS backlog,
			count(f.frt)::integer AS first_responses,
			round(avg(f.frt))::bigint AS first_response_avg,
			round(percentile_cont(0.5) WITHIN GROUP (ORDER BY f.frt))::bigint
				AS first_response_median,
			round(avg(f.rt))::bigint AS resolution_avg,
			round(percentile_cont(0.5) WITHIN GROUP (ORDER BY f.rt))::bigint
				AS resolution_median,
			count(*) FILTER (WHERE c.one_reply)::integer AS first_contact,
			count(*) FILTER (WHERE f.is_resolved AND f.reopen_count > 0)::integer
				AS reopened,
			count(f.rating)::integer AS ratings,
			round(avg(f.rating), 2)::numeric(3, 2) AS rating_avg
		FROM facts f LEFT JOIN fcr c ON c.id = f.id
		CROSS JOIN LATERAL (VALUES ('all', ''), ('channel', f.channel),
			('team', f.team), ('agent', f.agent)) AS v (dimension, key)
		GROUP BY v.dimension, v.key
		-- A quiet day still has its overall row.
		UNION ALL
		SELECT 'all', '', 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 0, NULL
		WHERE NOT EXISTS (SELECT 1 FROM facts)
	), gone AS (
		DELETE FROM service_metrics_daily s
		WHERE s.day = p_day AND NOT EXISTS (SELECT 1 FROM agg
			WHERE agg.dimension = s.dimension AND agg.key = s.key)
		RETURNING 1
	), put AS (
		INSERT INTO service_metrics_daily AS s (day, dimension, key, created, resolved,
			closed, backlog, first_responses, first_response_avg, first_response_median,
			resolution_avg, resolution_median, first_contact, reopened, ratings,
			rating_avg)
		SELECT p_day, agg.* FROM agg
		ON CONFLICT (day, dimension, key) DO UPDATE SET
			created = EXCLUDED.created, resolved = EXCLUDED.resolved,
			closed = EXCLUDED.closed, backlog = EXCLUDED.backlog,
			first_responses = EXCLUDED.first_responses,
			first_response_avg = EXCLUDED.first_response_avg,
			first_response_median = EXCLUDED.first_response_median,
			resolution_avg = EXCLUDED.resolution_avg,
			resolution_median = EXCLUDED.resolution_median,
			first_contact = EXCLUDED.first_contact, reopened = EXCLUDED.reopened,
			ratings = EXCLUDED.ratings, rating_avg = EXCLUDED.rating_avg,
			computed_at = now()
		WHERE (s.created, s.resolved, s.closed, s.backlog, s.first_responses,
				s.first_response_avg, s.first_response_median, s.resolution_avg,
				s.resolution_median, s.first_contact, s.reopened, s.ratings,
				s.rating_avg)
			IS DISTINCT FROM (EXCLUDED.created, EXCLUDED.resolved, EXCLUDED.closed,
				EXCLUDED.backlog, EXCLUDED.first_responses,
				EXCLUDED.first_response_avg, EXCLUDED.first_response_median,
				EXCLUDED.resolution_avg, EXCLUDED.resolution_median,
				EXCLUDED.first_contact, EXCLUDED.reopened, EXCLUDED.ratings,
				EXCLUDED.rating_avg)
		RETURNING 1
	)
	SELECT (SELECT count(*) FROM gone) + (SELECT count(*) FROM put) INTO n;
	RETURN n;
END
$$;
