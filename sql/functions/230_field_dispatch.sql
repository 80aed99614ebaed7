-- 230_field_dispatch.sql — field service (043): the windows a customer is
-- offered and their own booking, rescheduling in the portal.
--
-- The portal's role sees only its customer's appointments (row-level
-- security), yet a window is free or not because of every customer's
-- bookings: these functions run as their owner, act only for
-- request_customer(), and return no more than a window or an id. The
-- exclusion constraint on appointments stays the last word: of two
-- customers taking the same technician's window at the same moment, the
-- second insert fails with SQLSTATE 23P01.

-- Whether a skill counts for staff member p_staff: they have it, and
-- unless it is certified only by certifications that have expired.
CREATE OR REPLACE FUNCTION field_skill_valid(p_staff bigint, p_skill text)
RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT p_skill = '' OR (EXISTS (SELECT 1 FROM technician_skills k
			WHERE k.staff_id = p_staff AND k.skill = p_skill)
		AND (NOT EXISTS (SELECT 1 FROM technician_certifications x
				WHERE x.staff_id = p_staff AND x.skill = p_skill)
			OR EXISTS (SELECT 1 FROM technician_certifications x
				WHERE x.staff_id = p_staff AND x.skill = p_skill
				AND (x.expires_on IS NULL OR x.expires_on >= current_date))))
$$;

-- The technician to send to [p_start, p_end): active, with the skill, in
-- working hours, not on time off, with no other job within their travel
-- buffer (appointment p_except aside); p_keep first when free, then those
-- whose territory covers p_postcode, then the least loaded that day.
-- NULL when nobody is free. When some technician covers p_postcode, only
-- they are considered.
CREATE OR REPLACE FUNCTION field_free_technician(p_start timestamptz, p_end timestamptz,
	p_postcode text, p_skill text, p_keep bigint, p_except bigint)
RETURNS bigint
LANGUAGE sql STABLE AS $$
	WITH cover AS (
		SELECT tc.staff_id, EXISTS (SELECT 1 FROM unnest(tc.territory) p
			WHERE p_postcode <> '' AND upper(p_postcode) LIKE upper(p) || '%') AS covers
		FROM technicians tc WHERE tc.active
	)
	SELECT tc.staff_id
	FROM cover cv JOIN technicians tc ON tc.staff_id = cv.staff_id
	JOIN staff s ON s.id = tc.staff_id AND s.active
	WHERE (cv.covers OR NOT EXISTS (SELECT 1 FROM cover WHERE covers))
	AND field_skill_valid(tc.staff_id, coalesce(p_skill, ''))
	AND extract(isodow FROM p_start AT TIME ZONE s.time_zone)::smallint = ANY (s.work_days)
	AND (p_start AT TIME ZONE s.time_zone)::time >= s.work_start
	AND (p_end AT TIME ZONE s.time_zone)::time <= s.work_end
	AND (p_start AT TIME ZONE s.time_zone)::date = (p_end AT TIME ZONE s.time_zone)::date
	AND NOT EXISTS (SELECT 1 FROM technician_time_off o WHERE o.staff_id = tc.staff_id
		AND o.during && tstzrange(p_start, p_end))
	-- Jobs last at most a day, buffers at most 240 minutes: only jobs starting
	-- from 32 hours before to 8 hours after can overlap (the index answers).
	AND NOT EXISTS (SELECT 1 FROM appointments b WHERE b.technician_id = tc.staff_id
		AND b.status <> 'cancelled' AND b.id IS DISTINCT FROM p_except
		AND b.starts_at > p_start - interval '32 hours'
		AND b.starts_at < p_end + interval '8 hours'
		AND b.busy && tstzrange(p_start - make_interval(mins => tc.travel_buffer_min),
			p_end + make_interval(mins => tc.travel_buffer_min)))
	ORDER BY tc.staff_id IS NOT DISTINCT FROM p_keep DESC,
		(SELECT count(*) FROM appointments b WHERE b.technician_id = tc.staff_id
			AND b.status <> 'cancelled'
			AND b.starts_at >= p_start - interval '12 hours'
			AND b.starts_at < p_start + interval '12 hours'),
		tc.staff_id
	LIMIT 1
$$;

-- The two-hour windows (08–10, 10–12, 13–15, 15–17 where the customer
-- is, in p_zone) of the p_days days from p_from on which some technician
-- is free; none that starts within the next two hours.
CREATE OR REPLACE FUNCTION field_offered_windows(p_postcode text, p_skill text, p_from date,
	p_days integer, p_zone text)
RETURNS TABLE (starts_at timestamptz, ends_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
	SELECT w.s, w.e
	FROM generate_series(0, least(greatest(p_days, 1), 14) - 1) d,
	unnest(ARRAY[time '08:00', time '10:00', time '13:00', time '15:00']) h,
	LATERAL (SELECT (p_from + d + h) AT TIME ZONE coalesce(p_zone, 'UTC') AS s,
		(p_from + d + h + interval '2 hours') AT TIME ZONE coalesce(p_zone, 'UTC') AS e) w
	WHERE w.s > now() + interval '2 hours'
	AND field_free_technician(w.s, w.e, coalesce(p_postcode, ''), coalesce(p_skill, ''),
		NULL, NULL) IS NOT NULL
	ORDER BY w.s
$$;

-- The customer's booking of a window for their ticket p_ticket: the
-- appointment's id; NULL when the ticket is not theirs (0 when nobody is
-- free then any more: the window was just taken).
CREATE OR REPLACE FUNCTION field_portal_book(p_ticket bigint, p_start timestamptz,
	p_end timestamptz, p_postcode text, p_address text, p_summary text)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	cust bigint;
	tech bigint;
	id bigint;
BEGIN
	SELECT t.customer_id INTO cust FROM tickets t
	WHERE t.id = p_ticket AND t.customer_id = request_customer();
	IF cust IS NULL THEN
		RETURN NULL;
	END IF;
	tech := field_free_technician(p_start, p_end, p_postcode, '', NULL, NULL);
	IF tech IS NULL THEN
		RETURN 0;
	END IF;
	-- A booking committed since the technician was chosen: the exclusion
	-- constraint refuses this one; caught here (a subtransaction) so the
	-- caller's transaction can still show the windows left.
	BEGIN
		INSERT INTO appointments (ticket_id, customer_id, technician_id, postcode, address,
			summary, starts_at, ends_at, busy)
		SELECT p_ticket, cust, tech, p_postcode, p_address, p_summary, p_start, p_end,
			tstzrange(p_start - make_interval(mins => tc.travel_buffer_min),
				p_end + make_interval(mins => tc.travel_buffer_min))
		FROM technicians tc WHERE tc.staff_id = tech
		RETURNING appointments.id INTO id;
	EXCEPTION WHEN exclusion_violation THEN
		RETURN 0;
	END;
	RETURN id;
END
$$;

-- The customer's move of their booked appointment p_id to another window,
-- with a reason: the same technician when free, else another one. p_id
-- when moved; NULL when it is not theirs or no longer booked; 0 when
-- nobody is free then.
CREATE OR REPLACE FUNCTION field_portal_move(p_id bigint, p_start timestamptz,
	p_end timestamptz, p_reason text)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	ap appointments%ROWTYPE;
	tech bigint;
BEGIN
	SELECT * INTO ap FROM appointments a WHERE a.id = p_id
	AND a.customer_id = request_customer() AND a.status = 'booked' FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	tech := field_free_technician(p_start, p_end, ap.postcode, ap.skill, ap.technician_id,
		ap.id);
	IF tech IS NULL THEN
		RETURN 0;
	END IF;
	BEGIN
		UPDATE appointments a SET technician_id = tech, starts_at = p_start, ends_at = p_end,
			busy = tstzrange(p_start - make_interval(mins => tc.travel_buffer_min),
				p_end + make_interval(mins => tc.travel_buffer_min)),
			reason = p_reason, sequence = a.sequence + 1
		FROM technicians tc WHERE tc.staff_id = tech AND a.id = p_id;
	EXCEPTION WHEN exclusion_violation THEN
		RETURN 0;
	END;
	RETURN p_id;
END
$$;
