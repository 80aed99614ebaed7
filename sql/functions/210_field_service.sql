-- 210_field_service.sql — field service (041): the times forms type.

-- A time as a form or the API gives it: with an offset ("2026-12-07
-- 10:00+01", "…Z") it is that instant; without one ("2026-12-07T10:00", a
-- datetime-local field) it is a wall-clock time where the job is, the
-- customer's time zone (UTC when they have not set one).
CREATE OR REPLACE FUNCTION field_at(p_text text, p_zone text)
RETURNS timestamptz
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN p_text ~ '([+-][0-9]{2}(:?[0-9]{2})?|[Zz])$' THEN p_text::timestamptz
		ELSE p_text::timestamp AT TIME ZONE coalesce(p_zone, 'UTC') END
$$;

-- updated_at is the calendar's DTSTAMP: it moves with every change.
CREATE OR REPLACE TRIGGER appointments_touch BEFORE UPDATE ON appointments
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
