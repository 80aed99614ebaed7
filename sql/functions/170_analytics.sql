-- 170_analytics.sql — the analytics rollup (037): who held a ticket when,
-- the daily counts every metric is computed from, and the time a
-- subscription is next due.

-- A new ticket starts its holders; a change of team or agent adds one.
-- Several changes in one transaction share now(): the last row (highest
-- id) is the one that held it afterwards.
CREATE OR REPLACE FUNCTION ticket_holders_track() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO ticket_holders (ticket_id, since, team_id, agent_id)
		VALUES (NEW.id, NEW.created_at, NEW.team_id, NEW.assignee_id);
	ELSIF (NEW.team_id, NEW.assignee_id) IS DISTINCT FROM (OLD.team_id, OLD.assignee_id) THEN
		INSERT INTO ticket_holders (ticket_id, since, team_id, agent_id)
		VALUES (NEW.id, greatest(now(), NEW.created_at), NEW.team_id, NEW.assignee_id);
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER tickets_holders AFTER INSERT OR UPDATE OF team_id, assignee_id
	ON tickets FOR EACH ROW EXECUTE FUNCTION ticket_holders_track();

-- The team and agent that held ticket p_ticket at p_at (0 for none).
CREATE OR REPLACE FUNCTION ticket_holder_at(p_ticket bigint, p_at timestamptz,
	OUT team_id bigint, OUT agent_id bigint)
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
	SELECT coalesce(h.team_id, 0), coalesce(h.agent_id, 0) FROM ticket_holders h
	WHERE h.ticket_id = p_ticket AND h.since <= p_at
	ORDER BY h.since DESC, h.id DESC LIMIT 1
$$;

-- Computes day p_day (a calendar day in zone p_zone) into analytics_daily:
-- every fact of the day (a creation, a first response, a resolution, a
-- reopening within 14 days of the resolution before it, an SLA target
-- met or missed, work logged, a field visit's labour and travel, a survey
-- answer, a survey sent, a quality review scored) with the team and agent
-- that held the ticket at that moment. Each fact counts under every
-- dimension: all, channel, team, agent, queue, category, product,
-- customer tier, priority and ticket type (046) (one pass: GROUPING SETS). Work counts for
-- the agent who logged it, a visit for its technician; each agent's
-- scheduled minutes count under them and their team. Survey answers carry their own team and agent
-- (031). Rows that did not change are left alone, rows for keys gone are
-- removed: a second run changes nothing. Returns how many rows changed.
--
-- The backlog is a snapshot, measured while the day is today: the open
-- tickets now, by their current holder and attributes, breached or at
-- risk as the SLA batch has marked their targets. The batch rolls today up every
-- minute, so a day keeps the backlog of its last minute; a past day rolled
-- up again keeps the backlog it has, and a day first rolled up after it
-- ended (the backfill) has none (NULL: not measured), as the past state
-- of every open ticket cannot be known from what is stored.
--
-- Cost: the day's facts are index ranges (010, 037) with one holder
-- lookup each; today's backlog is one pass over the open tickets
-- (010's partial index), grouped by all their keys before the grouping
-- sets.
CREATE OR REPLACE FUNCTION analytics_rollup_day(p_day date, p_zone text) RETURNS integer
LANGUAGE plpgsql SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
	d_start timestamptz := p_day::timestamp AT TIME ZONE p_zone;
	d_end timestamptz := (p_day + 1)::timestamp AT TIME ZONE p_zone;
	today boolean := p_day = (now() AT TIME ZONE p_zone)::date;
	n integer;
BEGIN
	WITH ev (ticket_id, at, kind, secs, flag, agent_override) AS (
		SELECT id, created_at, 'created', 0::bigint, false, NULL::bigint FROM tickets
			WHERE created_at >= d_start AND created_at < d_end
		UNION ALL
		SELECT id, first_response_at, 'first_response',
			extract(epoch FROM first_response_at - created_at)::bigint, false, NULL
			FROM tickets WHERE first_response_at >= d_start AND first_response_at < d_end
		UNION ALL
		SELECT t.id, t.resolved_at, 'resolved',
			extract(epoch FROM t.resolved_at - t.created_at)::bigint,
			t.reopen_count = 0 AND (SELECT count(*) FROM ticket_comments m
				WHERE m.ticket_id = t.id AND m.kind = 'public'
					AND m.author_staff_id IS NOT NULL) = 1, NULL
			FROM tickets t WHERE t.resolved_at >= d_start AND t.resolved_at < d_end
		UNION ALL
		SELECT e.ticket_id, e.created_at, 'reopened', 0, false, NULL FROM ticket_events e
			WHERE e.field = 'status' AND e.new_value = 'reopened'
				AND e.created_at >= d_start AND e.created_at < d_end
				AND EXISTS (SELECT 1 FROM ticket_events r WHERE r.ticket_id = e.ticket_id
					AND r.field = 'status' AND r.new_value = 'resolved'
					AND r.created_at <= e.created_at
					AND r.created_at > e.created_at - interval '14 days')
		UNION ALL
		SELECT s.ticket_id, s.at, 'sla_' || s.target, 0, s.kind = 'met', NULL
			FROM ticket_sla_events s
			WHERE s.kind IN ('met', 'missed') AND s.at >= d_start AND s.at < d_end
				AND s.target IN ('first_response', 'next_response', 'resolution')
		UNION ALL
		SELECT c.ticket_id, c.created_at, 'work', c.minutes_spent, false, c.author_staff_id
			FROM ticket_comments c
			WHERE c.minutes_spent > 0 AND c.created_at >= d_start AND c.created_at < d_end
		UNION ALL
		-- A field visit completed that day: its labour and travel, under the technician.
		SELECT a.ticket_id, a.completed_at, k.kind, k.minutes, false, a.technician_id
			FROM appointments a
			CROSS JOIN LATERAL (VALUES ('field_labour', coalesce(a.labour_min, 0)::bigint),
				('field_travel', coalesce(a.travel_min, 0)::bigint)) k (kind, minutes)
			WHERE a.status = 'completed' AND a.completed_at >= d_start
				AND a.completed_at < d_end
		UNION ALL
		-- A completed job's parts at what they cost us (050), in cents, on
		-- the day its charges were made, under the technician.
		SELECT a.ticket_id, j.created_at, 'parts_cost', round(j.parts_cost * 100)::bigint,
			false, a.technician_id
			FROM job_charges j JOIN appointments a ON a.id = j.appointment_id
			WHERE j.created_at >= d_start AND j.created_at < d_end
	), raw AS (
		SELECT e.kind, e.secs, e.flag, 1::bigint AS w, t.channel, t.queue_id, t.category_id,
			t.product_id, t.priority, c.tier, h.team_id,
			coalesce(e.agent_override, h.agent_id) AS agent_id, t.type
		FROM ev e JOIN tickets t ON t.id = e.ticket_id
		JOIN customers c ON c.id = t.customer_id
		CROSS JOIN LATERAL ticket_holder_at(e.ticket_id, e.at) h
		UNION ALL
		-- Today's backlog, already counted per combination of keys.
		SELECT CASE WHEN b.late THEN 'backlog_late' WHEN b.risk THEN 'backlog_risk'
			ELSE 'backlog' END, 0, false, b.n,
			b.channel, b.queue_id, b.category_id, b.product_id, b.priority, b.tier,
			b.team_id, b.assignee_id, b.type
		FROM (SELECT t.channel, t.queue_id, t.category_id, t.product_id, t.priority, c.tier,
				t.team_id, t.assignee_id, t.type,
				'breached' IN (t.first_response_stage, t.next_response_stage,
					t.resolution_stage) AS late,
				'at_risk' IN (t.first_response_stage, t.next_response_stage,
					t.resolution_stage) AS risk,
				count(*) AS n
			FROM tickets t JOIN customers c ON c.id = t.customer_id
			WHERE today AND t.status IN ('new', 'assigned', 'in_progress', 'pending_customer',
				'pending_parts', 'reopened')
			GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11) b
		UNION ALL
		SELECT 'survey_' || r.kind, r.score, false, 1, t.channel, t.queue_id, t.category_id,
			t.product_id, t.priority, c.tier, r.team_id, r.agent_id, t.type
		FROM survey_responses r JOIN customers c ON c.id = r.customer_id
		LEFT JOIN tickets t ON t.id = r.ticket_id
		WHERE r.answered_at >= d_start AND r.answered_at < d_end
		UNION ALL
		-- Invitations sent that day, flagged when answered (an answer comes
		-- before the link expires); under the team and agent they were sent
		-- for (036), as survey_response_rate() counts them.
		SELECT 'survey_sent', 0, i.answered_at IS NOT NULL, 1,
			t.channel, t.queue_id, t.category_id, t.product_id, t.priority, c.tier,
			i.team_id, i.agent_id, t.type
		FROM survey_invitations i JOIN customers c ON c.id = i.customer_id
		LEFT JOIN tickets t ON t.id = i.ticket_id
		WHERE i.sent_at >= d_start AND i.sent_at < d_end
		UNION ALL
		-- Quality reviews scored that day, of the agent who resolved the
		-- ticket; the score in hundredths, so the sum stays whole.
		SELECT 'qa', round(q.score * 100)::bigint, false, 1, t.channel, t.queue_id,
			t.category_id, t.product_id, t.priority, c.tier, q.team_id, q.agent_id, t.type
		FROM qa_reviews q JOIN tickets t ON t.id = q.ticket_id
		JOIN customers c ON c.id = t.customer_id
		WHERE q.status = 'done' AND q.reviewed_at >= d_start AND q.reviewed_at < d_end
		UNION ALL
		-- Each active agent's and technician's scheduled minutes: their hours
		-- on that date in their own zone when it is one of their working
		-- days, less the time off that overlaps them; under their current
		-- team (a schedule has no channel, queue or product: see HAVING).
		SELECT 'scheduled', greatest(0, extract(epoch FROM w.b - w.a) / 60
				- coalesce((SELECT sum(extract(epoch FROM upper(o.during * tstzrange(w.a, w.b))
					- lower(o.during * tstzrange(w.a, w.b))) / 60)
				FROM technician_time_off o
				WHERE o.staff_id = st.id AND o.during && tstzrange(w.a, w.b)), 0))::bigint,
			false, 1, NULL, NULL, NULL, NULL, NULL, NULL, st.team_id, st.id, NULL
		FROM staff st
		CROSS JOIN LATERAL (SELECT (p_day + st.work_start) AT TIME ZONE st.time_zone AS a,
			(p_day + st.work_end) AT TIME ZONE st.time_zone AS b) w
		WHERE st.active AND st.roles && ARRAY['agent', 'technician']
			AND extract(isodow FROM p_day)::smallint = ANY (st.work_days) AND w.b > w.a
	), facts AS (
		-- Every key as text, never NULL: the grouping sets below tell the
		-- dimension by which key is not NULL.
		SELECT f.kind, f.secs, f.flag, f.w, coalesce(f.channel, 'none') AS channel,
			coalesce(f.team_id, 0)::text AS team, coalesce(f.agent_id, 0)::text AS agent,
			coalesce(f.queue_id, 0)::text AS queue,
			coalesce(f.category_id, 0)::text AS category,
			coalesce(f.product_id, 0)::text AS product, coalesce(f.tier, 'none') AS tier,
			coalesce(f.priority, 'none') AS priority, coalesce(f.type, 'none') AS type
		FROM raw f
	), agg AS (
		SELECT CASE WHEN GROUPING(f.channel) = 0 THEN 'channel'
				WHEN GROUPING(f.team) = 0 THEN 'team' WHEN GROUPING(f.agent) = 0 THEN 'agent'
				WHEN GROUPING(f.queue) = 0 THEN 'queue'
				WHEN GROUPING(f.category) = 0 THEN 'category'
				WHEN GROUPING(f.product) = 0 THEN 'product'
				WHEN GROUPING(f.tier) = 0 THEN 'tier'
				WHEN GROUPING(f.priority) = 0 THEN 'priority'
				WHEN GROUPING(f.type) = 0 THEN 'type' ELSE 'all' END AS dimension,
			coalesce(f.channel, f.team, f.agent, f.queue, f.category, f.product, f.tier,
				f.priority, f.type, '') AS key,
			count(*) FILTER (WHERE f.kind = 'created')::integer AS created,
			count(*) FILTER (WHERE f.kind = 'resolved')::integer AS resolved,
			count(*) FILTER (WHERE f.kind = 'resolved' AND f.flag)::integer AS first_contact,
			count(*) FILTER (WHERE f.kind = 'reopened')::integer AS reopened,
			count(*) FILTER (WHERE f.kind = 'first_response')::integer AS first_responses,
			coalesce(sum(f.secs) FILTER (WHERE f.kind = 'first_response'), 0)::bigint
				AS first_response_s,
			coalesce(sum(f.secs) FILTER (WHERE f.kind = 'resolved'), 0)::bigint
				AS resolution_s,
			count(*) FILTER (WHERE f.kind = 'sla_first_response' AND f.flag)::integer
				AS sla_first_met,
			count(*) FILTER (WHERE f.kind = 'sla_first_response')::integer
				AS sla_first_decided,
			count(*) FILTER (WHERE f.kind = 'sla_next_response' AND f.flag)::integer
				AS sla_next_met,
			count(*) FILTER (WHERE f.kind = 'sla_next_response')::integer
				AS sla_next_decided,
			count(*) FILTER (WHERE f.kind = 'sla_resolution' AND f.flag)::integer
				AS sla_resolution_met,
			count(*) FILTER (WHERE f.kind = 'sla_resolution')::integer
				AS sla_resolution_decided,
			coalesce(sum(f.secs) FILTER (WHERE f.kind = 'work'), 0)::bigint AS work_minutes,
			CASE WHEN today THEN coalesce(sum(f.w) FILTER (WHERE f.kind IN ('backlog',
				'backlog_late', 'backlog_risk')), 0) END::integer AS backlog,
			CASE WHEN today THEN coalesce(sum(f.w) FILTER (WHERE f.kind = 'backlog_late'), 0)
				END::integer AS backlog_breached,
			CASE WHEN today THEN coalesce(sum(f.w) FILTER (WHERE f.kind = 'backlog_risk'), 0)
				END::integer AS backlog_at_risk,
			count(*) FILTER (WHERE f.kind = 'survey_csat')::integer AS csat_answers,
			count(*) FILTER (WHERE f.kind = 'survey_csat' AND f.secs >= 4)::integer
				AS csat_good,
			count(*) FILTER (WHERE f.kind = 'survey_nps')::integer AS nps_answers,
			count(*) FILTER (WHERE f.kind = 'survey_nps' AND f.secs >= 9)::integer
				AS nps_promoters,
			count(*) FILTER (WHERE f.kind = 'survey_nps' AND f.secs <= 6)::integer
				AS nps_detractors,
			count(*) FILTER (WHERE f.kind = 'survey_ces')::integer AS ces_answers,
			coalesce(sum(f.secs) FILTER (WHERE f.kind = 'survey_ces'), 0)::integer
				AS ces_sum,
			count(*) FILTER (WHERE f.kind = 'survey_sent')::integer AS surveys_sent,
			count(*) FILTER (WHERE f.kind = 'survey_sent' AND f.flag)::integer
				AS surveys_answered,
			count(*) FILTER (WHERE f.kind = 'qa')::integer AS qa_reviews,
			coalesce(sum(f.secs) FILTER (WHERE f.kind = 'qa'), 0)::bigint AS qa_score_sum,
			coalesce(sum(f.secs) FILTER (WHERE f.kind = 'scheduled'), 0)::bigint
				AS scheduled_minutes,
			coalesce(sum(f.secs) FILTER (WHERE f.kind = 'field_labour'), 0)::bigint
				AS field_labour_minutes,
			coalesce(sum(f.secs) FILTER (WHERE f.kind = 'field_travel'), 0)::bigint
				AS field_travel_minutes,
			coalesce(sum(f.secs) FILTER (WHERE f.kind = 'parts_cost'), 0)::bigint
				AS parts_cost_cents
		FROM facts f
		-- () is the overall row, there even on a quiet day.
		GROUP BY GROUPING SETS ((), (f.channel), (f.team), (f.agent), (f.queue),
			(f.category), (f.product), (f.tier), (f.priority), (f.type))
		-- A schedule alone makes no row of a ticket's dimension ("no channel"):
		-- only overall, team and agent rows count scheduled minutes.
		HAVING count(*) FILTER (WHERE f.kind <> 'scheduled') > 0
			OR GROUPING(f.channel, f.queue, f.category, f.product, f.tier, f.priority, f.type) = 127
	), gone AS (
		DELETE FROM analytics_daily s
		WHERE s.day = p_day AND NOT EXISTS (SELECT 1 FROM agg
			WHERE agg.dimension = s.dimension AND agg.key = s.key)
			-- A past day keeps the backlog measured while it was today.
			AND (today OR s.backlog IS NULL)
		RETURNING 1
	), put AS (
		INSERT INTO analytics_daily AS s (day, dimension, key, created, resolved,
			first_contact, reopened, first_responses, first_response_s, resolution_s,
			sla_first_met, sla_first_decided, sla_next_met, sla_next_decided,
			sla_resolution_met, sla_resolution_decided, work_minutes, backlog,
			backlog_breached, backlog_at_risk, csat_answers, csat_good, nps_answers, nps_promoters,
			nps_detractors, ces_answers, ces_sum, surveys_sent, surveys_answered, qa_reviews,
			qa_score_sum, scheduled_minutes, field_labour_minutes, field_travel_minutes,
			parts_cost_cents)
		SELECT p_day, agg.* FROM agg
		ON CONFLICT (dimension, key, day) DO UPDATE SET
			created = EXCLUDED.created, resolved = EXCLUDED.resolved,
			first_contact = EXCLUDED.first_contact, reopened = EXCLUDED.reopened,
			first_responses = EXCLUDED.first_responses,
			first_response_s = EXCLUDED.first_response_s,
			resolution_s = EXCLUDED.resolution_s, sla_first_met = EXCLUDED.sla_first_met,
			sla_first_decided = EXCLUDED.sla_first_decided,
			sla_next_met = EXCLUDED.sla_next_met,
			sla_next_decided = EXCLUDED.sla_next_decided,
			sla_resolution_met = EXCLUDED.sla_resolution_met,
			sla_resolution_decided = EXCLUDED.sla_resolution_decided,
			work_minutes = EXCLUDED.work_minutes,
			backlog = CASE WHEN today THEN EXCLUDED.backlog ELSE s.backlog END,
			backlog_breached = CASE WHEN today THEN EXCLUDED.backlog_breached
				ELSE s.backlog_breached END,
			backlog_at_risk = CASE WHEN today THEN EXCLUDED.backlog_at_risk
				ELSE s.backlog_at_risk END,
			csat_answers = EXCLUDED.csat_answers, csat_good = EXCLUDED.csat_good,
			nps_answers = EXCLUDED.nps_answers, nps_promoters = EXCLUDED.nps_promoters,
			nps_detractors = EXCLUDED.nps_detractors, ces_answers = EXCLUDED.ces_answers,
			ces_sum = EXCLUDED.ces_sum, surveys_sent = EXCLUDED.surveys_sent,
			surveys_answered = EXCLUDED.surveys_answered, qa_reviews = EXCLUDED.qa_reviews,
			qa_score_sum = EXCLUDED.qa_score_sum,
			scheduled_minutes = EXCLUDED.scheduled_minutes,
			field_labour_minutes = EXCLUDED.field_labour_minutes,
			field_travel_minutes = EXCLUDED.field_travel_minutes,
			parts_cost_cents = EXCLUDED.parts_cost_cents, computed_at = now()
		-- Only what differs: every column but the time it was computed (and,
		-- on a past day, the backlog it keeps).
		WHERE to_jsonb(s) - CASE WHEN today THEN ARRAY['computed_at']
				ELSE ARRAY['computed_at', 'backlog', 'backlog_breached', 'backlog_at_risk'] END
			IS DISTINCT FROM to_jsonb(EXCLUDED) - CASE WHEN today THEN ARRAY['computed_at']
				ELSE ARRAY['computed_at', 'backlog', 'backlog_breached', 'backlog_at_risk'] END
		RETURNING 1
	)
	SELECT (SELECT count(*) FROM gone) + (SELECT count(*) FROM put) INTO n;
	RETURN n;
END
$$;

-- The first time after p_after that a subscription is due: at p_hour:00
-- local time in p_zone, every day, on ISO weekday p_weekday, or on day
-- p_monthday of the month. Local midnight plus the hour, converted with
-- the zone's rules for that date, so 08:00 stays 08:00 on both sides of a
-- change of summer time (a local hour that does not exist that day is
-- the hour after, as PostgreSQL reads it).
CREATE OR REPLACE FUNCTION report_next_run(p_frequency text, p_weekday integer,
	p_monthday integer, p_hour integer, p_zone text, p_after timestamptz)
RETURNS timestamptz
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
	d date := (p_after AT TIME ZONE p_zone)::date;
	at timestamptz;
	i integer;
BEGIN
	FOR i IN 0..62 LOOP
		IF (p_frequency = 'daily')
			OR (p_frequency = 'weekly' AND extract(isodow FROM d + i) = p_weekday)
			OR (p_frequency = 'monthly' AND extract(day FROM d + i) = p_monthday) THEN
			at := ((d + i)::timestamp + make_interval(hours => p_hour)) AT TIME ZONE p_zone;
			IF at > p_after THEN
				RETURN at;
			END IF;
		END IF;
	END LOOP;
	RETURN NULL;
END
$$;
