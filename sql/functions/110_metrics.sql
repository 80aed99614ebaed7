-- 110_metrics.sql — the daily service metrics, defined in one place.

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
CREATE OR REPLACE FUNCTION metrics_rollup_day(p_day date, p_zone text) RETURNS integer
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
