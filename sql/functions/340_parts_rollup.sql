-- 340_parts_rollup.sql — the daily rollup the field and parts reports read
-- (055): the facts of one day, rolling a day up, the days due, a period's
-- sums (rolled-up days from the rollup, the others from the facts), and
-- the triggers that mark a rolled-up day dirty when one of its facts
-- changes. Days are calendar days in the session's time zone, as the
-- reports' periods are.

-- Parts used and kept (a returned part is not used) on day p_day, per
-- customer, per ticket (059) or per technician (0: none).
CREATE OR REPLACE FUNCTION parts_usage_facts(p_day date, p_dimension text)
RETURNS TABLE (key bigint, lines bigint, qty bigint, cost numeric, charged numeric,
	covered numeric)
LANGUAGE sql STABLE AS $$
	SELECT CASE p_dimension WHEN 'customer' THEN u.customer_id
		WHEN 'ticket' THEN u.ticket_id
		ELSE coalesce(u.technician_id, 0) END, count(*), sum(u.qty),
		sum(u.qty * u.unit_cost),
		sum(u.qty * u.unit_price) FILTER (WHERE u.covered_by = '' AND u.kind <> 'loaner'),
		sum(u.qty * u.unit_price) FILTER (WHERE u.covered_by <> '' AND u.kind <> 'loaner')
	FROM part_usages u
	WHERE u.created_at >= p_day AND u.created_at < p_day + 1 AND u.returned_at IS NULL
	GROUP BY 1
$$;

-- The technicians' visits whose window starts on p_day (cancelled ones
-- left out). First-time fix: completed with no part requested and no
-- later visit for the ticket. On time: checked in no later than 15
-- minutes into the window.
CREATE OR REPLACE FUNCTION technician_facts(p_day date)
RETURNS TABLE (technician_id bigint, appointments bigint, completed bigint,
	first_time_fixes bigint, checked_in bigint, on_time bigint, jobs_timed bigint,
	job_min numeric, travels bigint, travel_min bigint, parts_cost numeric,
	revenue numeric, covered numeric)
LANGUAGE sql STABLE AS $$
	SELECT ap.technician_id, count(*), count(*) FILTER (WHERE ap.status = 'completed'),
		count(*) FILTER (WHERE ap.status = 'completed' AND NOT EXISTS
			(SELECT 1 FROM part_requests r WHERE r.appointment_id = ap.id) AND NOT EXISTS
			(SELECT 1 FROM appointments n WHERE n.ticket_id = ap.ticket_id AND n.id <> ap.id
			AND n.starts_at > ap.starts_at AND n.status <> 'cancelled')),
		count(ap.checkin_at),
		count(*) FILTER (WHERE ap.checkin_at <= ap.starts_at + interval '15 minutes'),
		count(ap.checkout_at - ap.checkin_at),
		sum(extract(epoch FROM ap.checkout_at - ap.checkin_at) / 60),
		count(ap.travel_min), sum(ap.travel_min),
		sum(c.parts_cost), sum(c.labour + c.travel + c.parts - c.covered), sum(c.covered)
	-- The charges by the key of each visit (OFFSET 0 keeps the subquery
	-- from being flattened): as a join, the planner read every charge
	-- into a hash for one day's visits. Only a completed visit has
	-- charges (stored when it completes): the others are not looked up.
	FROM appointments ap LEFT JOIN LATERAL (SELECT j.* FROM job_charges j
		WHERE j.appointment_id = ap.id AND ap.status = 'completed' OFFSET 0) c ON true
	WHERE ap.starts_at >= p_day AND ap.starts_at < p_day + 1
	AND ap.status <> 'cancelled' AND ap.technician_id IS NOT NULL
	GROUP BY ap.technician_id
$$;

-- Rolls day p_day up (again), replacing what the rollup held for it. The
-- day's row is locked first: a correction committed before is read by
-- the statements after the lock (each takes a new snapshot); one made
-- meanwhile waits for the lock and marks the day dirty again.
CREATE OR REPLACE FUNCTION field_rollup_day(p_day date) RETURNS integer
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
	n integer;
	m integer;
BEGIN
	INSERT INTO field_rollup_days (day) VALUES (p_day) ON CONFLICT (day) DO NOTHING;
	PERFORM 1 FROM field_rollup_days WHERE day = p_day FOR UPDATE;
	DELETE FROM parts_usage_daily WHERE day = p_day;
	DELETE FROM technician_daily WHERE day = p_day;
	INSERT INTO parts_usage_daily (dimension, day, key, lines, qty, cost, charged, covered)
	SELECT d.dimension, p_day, f.* FROM (VALUES ('customer'), ('technician'), ('ticket'))
		d (dimension),
		LATERAL parts_usage_facts(p_day, d.dimension) f;
	GET DIAGNOSTICS n = ROW_COUNT;
	INSERT INTO technician_daily SELECT p_day, f.* FROM technician_facts(p_day) f;
	GET DIAGNOSTICS m = ROW_COUNT;
	UPDATE field_rollup_days SET dirty = false, rolled_at = now() WHERE day = p_day;
	RETURN n + m;
END
$$;

-- The last day that can be rolled up: yesterday, from a quarter of an
-- hour past midnight (059; until then the day before). Today is read from
-- the facts. A transaction begun before midnight marks nothing for its
-- day (field_rollup_touch() marks days before its own current_date), so
-- the quarter of an hour is its time to commit before the day is read;
-- the programs' transactions last a request or a batch step. Until 059
-- yesterday was read from the facts too, which was half the technicians
-- report's cost.
CREATE OR REPLACE FUNCTION field_rollup_last() RETURNS date
LANGUAGE sql STABLE AS $$
	SELECT ((now() - interval '15 minutes')::date - 1)
$$;

-- The days to roll up this turn, at most p_limit: the dirty ones first,
-- then the never rolled up, newest first, from the first fact to
-- field_rollup_last().
CREATE OR REPLACE FUNCTION field_rollup_due(p_limit integer) RETURNS SETOF date
LANGUAGE sql STABLE AS $$
	(SELECT day FROM field_rollup_days WHERE dirty AND day <= field_rollup_last()
	ORDER BY day DESC LIMIT p_limit)
	UNION ALL
	(SELECT g::date FROM generate_series(least(
		(SELECT min(created_at) FROM part_usages)::date,
		(SELECT min(starts_at) FROM appointments)::date), field_rollup_last(),
		interval '1 day') g
	WHERE NOT EXISTS (SELECT 1 FROM field_rollup_days r WHERE r.day = g::date)
	ORDER BY 1 DESC LIMIT p_limit)
	LIMIT p_limit
$$;

-- Days p_from to p_to whose rollup can be read (rolled up, not dirty).
CREATE OR REPLACE FUNCTION field_rolled_days(p_from date, p_to date) RETURNS SETOF date
LANGUAGE sql STABLE AS $$
	SELECT day FROM field_rollup_days WHERE day BETWEEN p_from AND p_to AND NOT dirty
$$;

-- A period's parts used per customer or technician: the rollup's days
-- summed, the others (today, yesterday, dirty, not yet rolled up) from
-- the facts, one day at a time by the usages' time index.
CREATE OR REPLACE FUNCTION parts_usage_period(p_from date, p_to date, p_dimension text)
RETURNS TABLE (key bigint, lines numeric, qty numeric, cost numeric, charged numeric,
	covered numeric)
LANGUAGE sql STABLE AS $$
	SELECT x.key, sum(x.lines), sum(x.qty), sum(x.cost), sum(x.charged), sum(x.covered)
	FROM (SELECT d.key, d.lines, d.qty, d.cost, d.charged, d.covered
		FROM parts_usage_daily d
		WHERE d.dimension = p_dimension AND d.day BETWEEN p_from AND p_to
		AND d.day IN (SELECT field_rolled_days(p_from, p_to))
		UNION ALL
		SELECT f.* FROM generate_series(p_from, p_to, interval '1 day') g,
		LATERAL parts_usage_facts(g::date, p_dimension) f
		WHERE g::date NOT IN (SELECT field_rolled_days(p_from, p_to))) x
	GROUP BY x.key
$$;

-- A period's sums per technician, the same way.
CREATE OR REPLACE FUNCTION technician_period(p_from date, p_to date)
RETURNS TABLE (technician_id bigint, appointments numeric, completed numeric,
	first_time_fixes numeric, checked_in numeric, on_time numeric, jobs_timed numeric,
	job_min numeric, travels numeric, travel_min numeric, parts_cost numeric,
	revenue numeric, covered numeric)
LANGUAGE sql STABLE AS $$
	SELECT x.technician_id, sum(x.appointments), sum(x.completed), sum(x.first_time_fixes),
		sum(x.checked_in), sum(x.on_time), sum(x.jobs_timed), sum(x.job_min),
		sum(x.travels), sum(x.travel_min), sum(x.parts_cost), sum(x.revenue), sum(x.covered)
	FROM (SELECT d.technician_id, d.appointments, d.completed, d.first_time_fixes,
			d.checked_in, d.on_time, d.jobs_timed, d.job_min, d.travels, d.travel_min,
			d.parts_cost, d.revenue, d.covered
		FROM technician_daily d WHERE d.day BETWEEN p_from AND p_to
		AND d.day IN (SELECT field_rolled_days(p_from, p_to))
		UNION ALL
		SELECT f.* FROM generate_series(p_from, p_to, interval '1 day') g,
		LATERAL technician_facts(g::date) f
		WHERE g::date NOT IN (SELECT field_rolled_days(p_from, p_to))) x
	GROUP BY x.technician_id
$$;

-- Marks day p_day dirty when it can have been rolled up (before the
-- transaction's today: a day not rolled up yet gets its row, dirty, and
-- is rolled up in turn); today's facts cost nothing more than this test.
CREATE OR REPLACE FUNCTION field_rollup_touch(p_day date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	IF p_day IS NOT NULL AND p_day < current_date THEN
		INSERT INTO field_rollup_days (day) VALUES (p_day)
		ON CONFLICT (day) DO UPDATE SET dirty = true WHERE NOT field_rollup_days.dirty;
	END IF;
END
$$;

-- OLD is null on INSERT and NEW on DELETE: field_rollup_touch() skips a
-- null day.
CREATE OR REPLACE FUNCTION part_usages_rollup_mark() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	PERFORM field_rollup_touch(OLD.created_at::date);
	PERFORM field_rollup_touch(NEW.created_at::date);
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER part_usages_rollup AFTER INSERT OR UPDATE OR DELETE
	ON part_usages FOR EACH ROW EXECUTE FUNCTION part_usages_rollup_mark();

-- A visit's own day; and, when it is booked, moved, cancelled or removed,
-- the days of the ticket's earlier visits (whether those were first-time
-- fixes depends on it).
CREATE OR REPLACE FUNCTION appointments_rollup_mark() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	d date;
BEGIN
	PERFORM field_rollup_touch(OLD.starts_at::date);
	PERFORM field_rollup_touch(NEW.starts_at::date);
	IF TG_OP <> 'UPDATE' OR (NEW.starts_at, NEW.status, NEW.ticket_id)
	    IS DISTINCT FROM (OLD.starts_at, OLD.status, OLD.ticket_id) THEN
		FOR d IN SELECT DISTINCT a.starts_at::date FROM appointments a
			WHERE a.ticket_id IN (OLD.ticket_id, NEW.ticket_id)
			AND a.starts_at::date < current_date
		LOOP
			PERFORM field_rollup_touch(d);
		END LOOP;
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER appointments_rollup AFTER INSERT OR UPDATE OR DELETE
	ON appointments FOR EACH ROW EXECUTE FUNCTION appointments_rollup_mark();

-- A part requested for a visit or its charges stored: the visit's day.
CREATE OR REPLACE FUNCTION visit_rollup_mark() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	PERFORM field_rollup_touch(a.starts_at::date) FROM appointments a
	WHERE a.id IN (OLD.appointment_id, NEW.appointment_id);
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER part_requests_rollup AFTER INSERT OR UPDATE OR DELETE
	ON part_requests FOR EACH ROW EXECUTE FUNCTION visit_rollup_mark();
CREATE OR REPLACE TRIGGER job_charges_rollup AFTER INSERT OR UPDATE OR DELETE
	ON job_charges FOR EACH ROW EXECUTE FUNCTION visit_rollup_mark();
