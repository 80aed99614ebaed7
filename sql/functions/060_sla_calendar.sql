-- 060_sla_calendar.sql — business time. The rule is written once, here:
-- add_business_minutes() and business_minutes_between() walk a calendar's
-- weekly hours in its own time zone (AT TIME ZONE makes every local day as
-- long as it really is, so daylight-saving changes come out right) and skip
-- its holidays. Ticket creation, status changes, replies, the admin pages and
-- `csdesk batch` all go through them.

CREATE OR REPLACE TRIGGER business_calendars_touch BEFORE UPDATE ON business_calendars
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- The instants minutes[i] business minutes after start on calendar cal,
-- one for each element, from one walk of the calendar: an SLA clock's four
-- thresholds (two targets, due and warning) read the calendar once, not
-- four times (the calendar's row, its hours and the holidays of each day
-- walked were a tenth of a ticket's creation). Each lands at the end of an
-- interval rather than the start of the next (due Friday 17:00, not Monday
-- 09:00). An element is NULL when it is NULL, when start is, when the
-- calendar does not exist or has no opening hours in the next ten years.
CREATE OR REPLACE FUNCTION add_business_minutes_list(cal bigint, start timestamptz,
	minutes double precision[]) RETURNS timestamptz[]
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
	c business_calendars%ROWTYPE;
	res timestamptz[] := array_fill(NULL::timestamptz, ARRAY[cardinality(minutes)]);
	todo integer[];		-- positions still to place, by seconds ascending
	want double precision[];	-- their seconds, in the same order
	k integer := 1;
	used double precision := 0;	-- business seconds walked so far
	wd smallint[];
	op time[];
	cl time[];
	off date[];		-- the calendar's holidays from start's day on
	d date;
	dow smallint;
	i integer;
	a timestamptz;
	b timestamptz;
	avail double precision;
	cur timestamptz := start;
BEGIN
	IF start IS NULL OR cardinality(minutes) = 0 THEN
		RETURN res;
	END IF;
	SELECT * INTO c FROM business_calendars WHERE id = cal;
	IF NOT FOUND THEN
		RETURN res;
	END IF;
	-- Always open, or nothing to add: plain time.
	SELECT array_agg(m.n ORDER BY m.v, m.n), array_agg(m.v * 60 ORDER BY m.v, m.n)
	INTO todo, want
	FROM unnest(minutes) WITH ORDINALITY m (v, n)
	WHERE m.v IS NOT NULL AND m.v > 0 AND NOT c.always_open;
	FOR i IN 1 .. cardinality(minutes) LOOP
		IF minutes[i] IS NOT NULL AND (c.always_open OR minutes[i] <= 0) THEN
			res[i] := start + make_interval(secs => greatest(minutes[i] * 60, 0));
		END IF;
	END LOOP;
	IF todo IS NULL THEN
		RETURN res;
	END IF;
	SELECT array_agg(h.weekday ORDER BY h.weekday, h.opens), array_agg(h.opens ORDER BY h.weekday, h.opens),
		array_agg(h.closes ORDER BY h.weekday, h.opens)
	INTO wd, op, cl FROM calendar_hours h WHERE h.calendar_id = cal;
	IF wd IS NULL THEN
		RETURN res;
	END IF;
	d := (start AT TIME ZONE c.time_zone)::date;
	-- One read of the holidays ahead, not a probe a day walked.
	SELECT array_agg(x.day) INTO off FROM calendar_holidays x
	WHERE x.calendar_id = cal AND x.day >= d;
	FOR n IN 0 .. 3660 LOOP
		IF off IS NULL OR NOT d = ANY (off) THEN
			dow := extract(isodow FROM d)::smallint;
			FOR i IN 1 .. cardinality(wd) LOOP
				CONTINUE WHEN wd[i] <> dow;
				a := (d + op[i]) AT TIME ZONE c.time_zone;
				b := (d + cl[i]) AT TIME ZONE c.time_zone;
				CONTINUE WHEN b <= cur;
				a := greatest(a, cur);
				avail := extract(epoch FROM b - a);
				-- Every threshold this interval reaches lands inside it.
				WHILE k <= cardinality(todo) AND want[k] - used <= avail LOOP
					res[todo[k]] := a + make_interval(secs => want[k] - used);
					k := k + 1;
				END LOOP;
				IF k > cardinality(todo) THEN
					RETURN res;
				END IF;
				used := used + avail;
				cur := b;
			END LOOP;
		END IF;
		d := d + 1;
	END LOOP;
	RETURN res;
END
$$;

-- The instant `minutes` business minutes after start on calendar cal (the
-- list's rule for one element). NULL when the calendar has no opening
-- hours in the next ten years.
CREATE OR REPLACE FUNCTION add_business_minutes(cal bigint, start timestamptz, minutes double precision)
RETURNS timestamptz
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
BEGIN
	IF start IS NULL OR minutes IS NULL THEN
		RETURN NULL;
	END IF;
	RETURN (add_business_minutes_list(cal, start, ARRAY[minutes]))[1];
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
