-- 060_sla_calendar.sql — business time. The rule is written once, here:
-- add_business_minutes() and business_minutes_between() walk a calendar's
-- weekly hours in its own time zone (AT TIME ZONE makes every local day as
-- long as it really is, so daylight-saving changes come out right) and skip
-- its holidays. Ticket creation, status changes, replies, the admin pages and
-- `csdesk batch` all go through them.

CREATE OR REPLACE TRIGGER business_calendars_touch BEFORE UPDATE ON business_calendars
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- The instant `minutes` business minutes after start on calendar cal.
-- Lands at the end of an interval rather than the start of the next
-- (due Friday 17:00, not Monday 09:00). NULL when the calendar has no
-- opening hours in the next ten years.
CREATE OR REPLACE FUNCTION add_business_minutes(cal bigint, start timestamptz, minutes double precision)
RETURNS timestamptz
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
	c business_calendars%ROWTYPE;
	left_s double precision := minutes * 60;
	wd smallint[];
	op time[];
	cl time[];
	d date;
	i integer;
	a timestamptz;
	b timestamptz;
	avail double precision;
	cur timestamptz := start;
BEGIN
	IF start IS NULL OR minutes IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT * INTO c FROM business_calendars WHERE id = cal;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF c.always_open OR minutes <= 0 THEN
		RETURN start + make_interval(secs => greatest(left_s, 0));
	END IF;
	SELECT array_agg(h.weekday ORDER BY h.weekday, h.opens), array_agg(h.opens ORDER BY h.weekday, h.opens),
		array_agg(h.closes ORDER BY h.weekday, h.opens)
	INTO wd, op, cl FROM calendar_hours h WHERE h.calendar_id = cal;
	IF wd IS NULL THEN
		RETURN NULL;
	END IF;
	d := (start AT TIME ZONE c.time_zone)::date;
	FOR n IN 0 .. 3660 LOOP
		IF NOT EXISTS (SELECT 1 FROM calendar_holidays x WHERE x.calendar_id = cal AND x.day = d)
		THEN
			FOR i IN 1 .. cardinality(wd) LOOP
				CONTINUE WHEN wd[i] <> extract(isodow FROM d);
				a := (d + op[i]) AT TIME ZONE c.time_zone;
				b := (d + cl[i]) AT TIME ZONE c.time_zone;
				CONTINUE WHEN b <= cur;
				a := greatest(a, cur);
				avail := extract(epoch FROM b - a);
				IF avail >= left_s THEN
					RETURN a + make_interval(secs => left_s);
				END IF;
				left_s := left_s - avail;
				cur := b;
			END LOOP;
		END IF;
		d := d + 1;
	END LOOP;
	RETURN NULL;
END
$$;

-- Business minutes on calendar cal between two instants (0 when to <= from).
CREATE OR REPLACE FUNCTION business_minutes_between(cal bigint, t_from timestamptz, t_to timestamptz)
RETURNS double precision
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
	c business_calendars%ROWTYPE;
	total double precision := 0;
	d date;
	last date;
	h record;
	a timestamptz;
	b timestamptz;
BEGIN
	IF t_from IS NULL OR t_to IS NULL OR t_to <= t_from THEN
		RETURN 0;
	END IF;
	SELECT * INTO c FROM business_calendars WHERE id = cal;
	IF NOT FOUND THEN
		RETURN 0;
	END IF;
	IF c.always_open THEN
		RETURN extract(epoch FROM t_to - t_from) / 60;
	END IF;
	d := (t_from AT TIME ZONE c.time_zone)::date;
	last := (t_to AT TIME ZONE c.time_zone)::date;
	WHILE d <= last LOOP
		IF NOT EXISTS (SELECT 1 FROM calendar_holidays x WHERE x.calendar_id = cal AND x.day = d)
		THEN
			FOR h IN SELECT opens, closes FROM calendar_hours
				WHERE calendar_id = cal AND weekday = extract(isodow FROM d) LOOP
				a := greatest((d + h.opens) AT TIME ZONE c.time_zone, t_from);
				b := least((d + h.closes) AT TIME ZONE c.time_zone, t_to);
				IF b > a THEN
					total := total + extract(epoch FROM b - a) / 60;
				END IF;
			END LOOP;
		END IF;
		d := d + 1;
	END LOOP;
	RETURN total;
END
$$;
