-- 009_sla.sql — service levels (README, "Configuration"): business calendars,
-- SLA policies, due times on tickets, the clock that pauses, and
-- escalation.
--
-- The business-time rule is written once, here: add_business_minutes()
-- and business_minutes_between() walk a calendar's weekly hours in its own
-- time zone (AT TIME ZONE makes every local day as long as it really is, so
-- daylight-saving changes come out right) and skip its holidays. Ticket
-- creation, status changes, replies, the admin pages and `csdesk batch` all
-- go through the functions below.
--
-- Cost of a batch tick: tickets.sla_check_at is the next moment a
-- threshold (80 % or 100 % of a target) is due to be marked, kept by the
-- row itself (a generated column) and indexed only where it is set, so a
-- tick reads the tickets that crossed something, not the open tickets.

CREATE TABLE business_calendars (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
	time_zone text NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
	-- Open around the clock: weekly hours and holidays do not apply.
	always_open boolean NOT NULL DEFAULT false,
	-- How many business minutes make one "business day" of a target.
	day_minutes integer NOT NULL DEFAULT 480 CHECK (day_minutes BETWEEN 1 AND 1440),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER business_calendars_touch BEFORE UPDATE ON business_calendars
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Opening hours: any number of intervals per ISO weekday (1 = Monday), in
-- the calendar's zone. An interval ends on its own day ('24:00' is
-- midnight at its end); a night shift is 22:00–24:00 and 00:00–06:00 the
-- next day, which the arithmetic joins.
CREATE TABLE calendar_hours (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	calendar_id bigint NOT NULL REFERENCES business_calendars (id) ON DELETE CASCADE,
	weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
	opens time NOT NULL,
	closes time NOT NULL,
	CHECK (opens < closes)
);
CREATE INDEX calendar_hours_calendar ON calendar_hours (calendar_id, weekday, opens);

CREATE TABLE calendar_holidays (
	calendar_id bigint NOT NULL REFERENCES business_calendars (id) ON DELETE CASCADE,
	day date NOT NULL,
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	PRIMARY KEY (calendar_id, day)
);

-- Tier × priority [× category] → targets in business minutes on a calendar.
-- A NULL tier or category matches any; the most specific policy wins.
CREATE TABLE sla_policies (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
	active boolean NOT NULL DEFAULT true,
	tier text CHECK (tier IN ('standard', 'premium', 'vip')),
	priority text NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'urgent', 'critical')),
	category_id bigint REFERENCES categories (id) ON DELETE CASCADE,
	calendar_id bigint NOT NULL REFERENCES business_calendars (id),
	first_response_minutes integer NOT NULL CHECK (first_response_minutes > 0),
	next_response_minutes integer NOT NULL CHECK (next_response_minutes > 0),
	resolution_minutes integer NOT NULL CHECK (resolution_minutes > 0),
	-- While a ticket is in one of these statuses its clock stands still.
	pause_statuses text[] NOT NULL DEFAULT '{pending_customer}'
		CHECK (pause_statuses <@ ARRAY['new', 'assigned', 'in_progress', 'pending_customer',
			'pending_parts', 'reopened']),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX sla_policies_scope ON sla_policies
	(coalesce(tier, ''), priority, coalesce(category_id, 0));
CREATE TRIGGER sla_policies_touch BEFORE UPDATE ON sla_policies
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Condition → actions. A NULL condition matches anything. on_event:
-- at_risk (80 % of a target used), breached, or no_update (nobody changed
-- the ticket for no_update_hours; checked_until is how far the batch has
-- looked, so each stale ticket is found once).
CREATE TABLE escalation_rules (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	position integer NOT NULL DEFAULT 0,
	name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
	active boolean NOT NULL DEFAULT true,
	on_event text NOT NULL CHECK (on_event IN ('at_risk', 'breached', 'no_update')),
	if_priority text CHECK (if_priority IN ('low', 'medium', 'high', 'urgent', 'critical')),
	if_category_id bigint REFERENCES categories (id) ON DELETE CASCADE,
	if_tier text CHECK (if_tier IN ('standard', 'premium', 'vip')),
	no_update_hours integer CHECK (no_update_hours BETWEEN 1 AND 8760),
	notify text NOT NULL DEFAULT 'none' CHECK (notify IN ('none', 'supervisor', 'manager')),
	reassign_next_level boolean NOT NULL DEFAULT false,
	raise_priority boolean NOT NULL DEFAULT false,
	checked_until timestamptz NOT NULL DEFAULT now(),
	CHECK ((on_event = 'no_update') = (no_update_hours IS NOT NULL))
);

ALTER TABLE tickets
	ADD COLUMN sla_policy_id bigint REFERENCES sla_policies (id) ON DELETE SET NULL,
	ADD COLUMN sla_started_at timestamptz,
	-- Set while the clock stands still; business minutes spent paused so far.
	ADD COLUMN sla_paused_at timestamptz,
	ADD COLUMN sla_paused_minutes double precision NOT NULL DEFAULT 0,
	ADD COLUMN first_response_due_at timestamptz,
	ADD COLUMN first_response_warn_at timestamptz,
	ADD COLUMN first_response_met boolean,
	ADD COLUMN first_response_stage text NOT NULL DEFAULT 'ok'
		CHECK (first_response_stage IN ('ok', 'at_risk', 'breached')),
	-- The oldest customer message still waiting for staff (see
	-- ticket_response_targets).
	ADD COLUMN next_response_due_at timestamptz,
	ADD COLUMN next_response_warn_at timestamptz,
	ADD COLUMN next_response_stage text NOT NULL DEFAULT 'ok'
		CHECK (next_response_stage IN ('ok', 'at_risk', 'breached')),
	ADD COLUMN resolution_due_at timestamptz,
	ADD COLUMN resolution_warn_at timestamptz,
	ADD COLUMN resolution_met boolean,
	ADD COLUMN resolution_stage text NOT NULL DEFAULT 'ok'
		CHECK (resolution_stage IN ('ok', 'at_risk', 'breached')),
	ADD COLUMN sla_check_at timestamptz GENERATED ALWAYS AS (
		CASE WHEN sla_paused_at IS NULL
			AND status NOT IN ('resolved', 'closed', 'cancelled') THEN
		least(
			CASE WHEN first_response_met IS NULL THEN
				CASE first_response_stage WHEN 'ok' THEN first_response_warn_at
				WHEN 'at_risk' THEN first_response_due_at END END,
			CASE next_response_stage WHEN 'ok' THEN next_response_warn_at
				WHEN 'at_risk' THEN next_response_due_at END,
			CASE WHEN resolution_met IS NULL THEN
				CASE resolution_stage WHEN 'ok' THEN resolution_warn_at
				WHEN 'at_risk' THEN resolution_due_at END END)
		END) STORED;
CREATE INDEX tickets_sla_check ON tickets (sla_check_at) WHERE sla_check_at IS NOT NULL;

-- Every customer message that waits for staff has its own due time.
CREATE TABLE ticket_response_targets (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ticket_id bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	comment_id bigint REFERENCES ticket_comments (id) ON DELETE CASCADE,
	asked_at timestamptz NOT NULL,
	paused_minutes double precision NOT NULL DEFAULT 0,
	due_at timestamptz,
	warn_at timestamptz,
	answered_at timestamptz,
	met boolean
);
CREATE INDEX ticket_response_targets_open ON ticket_response_targets (ticket_id)
	WHERE answered_at IS NULL;

-- The auditable clock: when it ran, stood still or stopped, and why.
CREATE TABLE ticket_sla_clock (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ticket_id bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	state text NOT NULL CHECK (state IN ('running', 'paused', 'stopped')),
	started_at timestamptz NOT NULL,
	ended_at timestamptz,
	reason text NOT NULL CHECK (length(reason) <= 200)
);
CREATE INDEX ticket_sla_clock_ticket ON ticket_sla_clock (ticket_id, id);

-- What happened to the targets: due times set or moved, thresholds
-- crossed (at the moment they were crossed), targets met or missed.
CREATE TABLE ticket_sla_events (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ticket_id bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	target text NOT NULL CHECK (target IN ('first_response', 'next_response', 'resolution',
		'all')),
	kind text NOT NULL CHECK (kind IN ('set', 'moved', 'at_risk', 'breached', 'met',
		'missed')),
	at timestamptz NOT NULL,
	due_at timestamptz,
	detail text NOT NULL DEFAULT '' CHECK (length(detail) <= 300),
	recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_sla_events_ticket ON ticket_sla_events (ticket_id, id);

-- Escalations, by rule or by hand. One rule escalates a ticket once per
-- threshold (basis: the due time, warning time or last update that
-- triggered it): the unique index is what makes two batch runs at once
-- escalate once.
CREATE TABLE ticket_escalations (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ticket_id bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	rule_id bigint REFERENCES escalation_rules (id) ON DELETE SET NULL,
	trigger text NOT NULL CHECK (trigger IN ('at_risk', 'breached', 'no_update', 'manual')),
	target text,
	basis timestamptz,
	by_staff_id bigint REFERENCES staff (id),
	reason text CHECK (length(reason) <= 1000),
	notify text NOT NULL DEFAULT 'none',
	from_assignee_id bigint REFERENCES staff (id),
	to_assignee_id bigint REFERENCES staff (id),
	from_level smallint,
	to_level smallint,
	old_priority text,
	new_priority text,
	created_at timestamptz NOT NULL DEFAULT now(),
	deescalated_at timestamptz
);
CREATE UNIQUE INDEX ticket_escalations_once ON ticket_escalations
	(ticket_id, rule_id, trigger, coalesce(target, ''), basis) WHERE rule_id IS NOT NULL;
CREATE INDEX ticket_escalations_ticket ON ticket_escalations (ticket_id, id);
CREATE INDEX ticket_escalations_active ON ticket_escalations (ticket_id)
	WHERE deescalated_at IS NULL;

-- ---- Business time ------------------------------------------------------

-- The instant `minutes` business minutes after start on calendar cal.
-- Lands at the end of an interval rather than the start of the next
-- (due Friday 17:00, not Monday 09:00). NULL when the calendar has no
-- opening hours in the next ten years.
CREATE FUNCTION add_business_minutes(cal bigint, start timestamptz, minutes double precision)
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
CREATE FUNCTION business_minutes_between(cal bigint, t_from timestamptz, t_to timestamptz)
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

-- ---- Policies and due times ---------------------------------------------

-- The policy for a ticket of this tier, priority and category: a category
-- match before a general one, a tier match before "any tier".
CREATE FUNCTION sla_policy_for(p_tier text, p_priority text, p_category bigint) RETURNS bigint
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
	SELECT id FROM sla_policies
	WHERE active AND priority = p_priority AND (tier IS NULL OR tier = p_tier)
		AND (category_id IS NULL OR category_id = p_category)
	ORDER BY category_id IS NOT NULL DESC, tier IS NOT NULL DESC, id
	LIMIT 1
$$;

-- Where a threshold's stage stands after its times changed: a breach once
-- recorded stays; otherwise the batch marks again what is now crossed.
CREATE FUNCTION sla_restage(stage text, warn timestamptz, due timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN stage = 'breached' THEN 'breached'
		WHEN warn IS NULL OR now() < warn THEN 'ok'
		ELSE stage END
$$;

-- 80 % of a target, in whole business minutes (at least one).
CREATE FUNCTION sla_warn_minutes(target integer) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$
	SELECT greatest(1, floor(target * 0.8))::double precision
$$;

-- Computes the due and warning times of row t from its clock start, its
-- policy (chosen again from the customer's tier, the priority and the
-- category) and the business minutes spent paused. Decided targets keep
-- their times. Returns the changed row; the caller stores it.
CREATE FUNCTION sla_compute(t tickets) RETURNS tickets
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
	p sla_policies%ROWTYPE;
	tier text;
	pol bigint;
	r record;
BEGIN
	SELECT c.tier INTO tier FROM customers c WHERE c.id = t.customer_id;
	pol := sla_policy_for(tier, t.priority, t.category_id);
	t.sla_policy_id := pol;
	IF pol IS NULL THEN
		t.first_response_due_at := NULL;
		t.first_response_warn_at := NULL;
		t.resolution_due_at := NULL;
		t.resolution_warn_at := NULL;
		RETURN t;
	END IF;
	SELECT * INTO p FROM sla_policies WHERE id = pol;
	IF t.first_response_met IS NULL THEN
		t.first_response_due_at := add_business_minutes(p.calendar_id, t.sla_started_at,
			p.first_response_minutes + t.sla_paused_minutes);
		t.first_response_warn_at := add_business_minutes(p.calendar_id, t.sla_started_at,
			sla_warn_minutes(p.first_response_minutes) + t.sla_paused_minutes);
		t.first_response_stage := sla_restage(t.first_response_stage,
			t.first_response_warn_at, t.first_response_due_at);
	END IF;
	IF t.resolution_met IS NULL THEN
		t.resolution_due_at := add_business_minutes(p.calendar_id, t.sla_started_at,
			p.resolution_minutes + t.sla_paused_minutes);
		t.resolution_warn_at := add_business_minutes(p.calendar_id, t.sla_started_at,
			sla_warn_minutes(p.resolution_minutes) + t.sla_paused_minutes);
		t.resolution_stage := sla_restage(t.resolution_stage,
			t.resolution_warn_at, t.resolution_due_at);
	END IF;
	RETURN t;
END
$$;

-- Recomputes the waiting customer messages' due times of ticket t under
-- its policy and sets the ticket's next-response times to the oldest.
CREATE FUNCTION sla_next_response(t tickets) RETURNS tickets
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
DECLARE
	p sla_policies%ROWTYPE;
	o record;
BEGIN
	SELECT * INTO p FROM sla_policies WHERE id = t.sla_policy_id;
	IF FOUND THEN
		UPDATE ticket_response_targets r SET
			due_at = add_business_minutes(p.calendar_id, r.asked_at,
				p.next_response_minutes + r.paused_minutes),
			warn_at = add_business_minutes(p.calendar_id, r.asked_at,
				sla_warn_minutes(p.next_response_minutes) + r.paused_minutes)
		WHERE r.ticket_id = t.id AND r.answered_at IS NULL;
	END IF;
	SELECT r.due_at, r.warn_at INTO o FROM ticket_response_targets r
	WHERE r.ticket_id = t.id AND r.answered_at IS NULL AND r.due_at IS NOT NULL
	ORDER BY r.due_at LIMIT 1;
	IF FOUND THEN
		t.next_response_due_at := o.due_at;
		t.next_response_warn_at := o.warn_at;
		t.next_response_stage := sla_restage(t.next_response_stage, o.warn_at, o.due_at);
	ELSE
		t.next_response_due_at := NULL;
		t.next_response_warn_at := NULL;
		t.next_response_stage := 'ok';
	END IF;
	RETURN t;
END
$$;

-- A line of the target history.
CREATE FUNCTION sla_log(p_ticket bigint, p_target text, p_kind text, p_at timestamptz,
	p_due timestamptz, p_detail text) RETURNS void
LANGUAGE sql VOLATILE SET search_path = public, pg_temp AS $$
	INSERT INTO ticket_sla_events (ticket_id, target, kind, at, due_at, detail)
	VALUES (p_ticket, p_target, p_kind, p_at, p_due, coalesce(left(p_detail, 300), ''))
$$;

-- Starts the clock of a new ticket (after routing, which may set its
-- priority): chooses the policy and sets the due times. Returns the
-- policy's id, or NULL when none applies. Runs as the owner: the portal's
-- role creates tickets but cannot read policies or calendars.
CREATE FUNCTION sla_ticket_start(p_ticket bigint) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	t tickets%ROWTYPE;
	p sla_policies%ROWTYPE;
BEGIN
	-- The portal may start only its own customer's clocks.
	SELECT * INTO t FROM tickets WHERE id = p_ticket
		AND (request_customer() IS NULL OR customer_id = request_customer()) FOR UPDATE;
	IF NOT FOUND OR t.sla_started_at IS NOT NULL THEN
		RETURN t.sla_policy_id;
	END IF;
	t.sla_started_at := t.created_at;
	t := sla_compute(t);
	UPDATE tickets SET sla_started_at = t.sla_started_at, sla_policy_id = t.sla_policy_id,
		first_response_due_at = t.first_response_due_at,
		first_response_warn_at = t.first_response_warn_at,
		first_response_stage = t.first_response_stage,
		resolution_due_at = t.resolution_due_at, resolution_warn_at = t.resolution_warn_at,
		resolution_stage = t.resolution_stage
	WHERE id = p_ticket;
	IF t.sla_policy_id IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT * INTO p FROM sla_policies WHERE id = t.sla_policy_id;
	INSERT INTO ticket_sla_clock (ticket_id, state, started_at, reason)
		VALUES (p_ticket, 'running', t.sla_started_at, 'ticket created');
	PERFORM sla_log(p_ticket, 'first_response', 'set', now(), t.first_response_due_at,
		'policy ' || p.name);
	PERFORM sla_log(p_ticket, 'resolution', 'set', now(), t.resolution_due_at,
		'policy ' || p.name);
	IF t.status = ANY (p.pause_statuses) THEN
		UPDATE ticket_sla_clock SET ended_at = now() WHERE ticket_id = p_ticket AND ended_at IS NULL;
		INSERT INTO ticket_sla_clock (ticket_id, state, started_at, reason)
			VALUES (p_ticket, 'paused', now(), 'status ' || t.status);
		UPDATE tickets SET sla_paused_at = now() WHERE id = p_ticket;
	END IF;
	RETURN t.sla_policy_id;
END
$$;

-- Recomputes a ticket's due times (its priority, category, customer tier
-- or policy changed), logging what moved. Returns nothing; a ticket
-- without a started clock is left alone.
CREATE FUNCTION sla_ticket_recompute(p_ticket bigint, p_why text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	t tickets%ROWTYPE;
	o tickets%ROWTYPE;
BEGIN
	SELECT * INTO t FROM tickets WHERE id = p_ticket FOR UPDATE;
	IF NOT FOUND OR t.sla_started_at IS NULL OR NOT ticket_is_open(t.status) THEN
		RETURN;
	END IF;
	o := t;
	t := sla_compute(t);
	t := sla_next_response(t);
	UPDATE tickets SET sla_policy_id = t.sla_policy_id,
		first_response_due_at = t.first_response_due_at,
		first_response_warn_at = t.first_response_warn_at,
		first_response_stage = t.first_response_stage,
		next_response_due_at = t.next_response_due_at,
		next_response_warn_at = t.next_response_warn_at,
		next_response_stage = t.next_response_stage,
		resolution_due_at = t.resolution_due_at, resolution_warn_at = t.resolution_warn_at,
		resolution_stage = t.resolution_stage
	WHERE id = p_ticket;
	IF o.first_response_due_at IS DISTINCT FROM t.first_response_due_at THEN
		PERFORM sla_log(p_ticket, 'first_response', 'moved', now(), t.first_response_due_at,
			p_why);
	END IF;
	IF o.resolution_due_at IS DISTINCT FROM t.resolution_due_at THEN
		PERFORM sla_log(p_ticket, 'resolution', 'moved', now(), t.resolution_due_at, p_why);
	END IF;
END
$$;

-- A policy or calendar change moves the due times of many open tickets:
-- the admin's save queues the priorities concerned, and `csdesk batch`
-- recomputes their tickets in chunks (sla_recompute_due), so a save stays
-- quick however many tickets there are.
CREATE TABLE sla_recompute_queue (
	priority text PRIMARY KEY,
	after_id bigint NOT NULL DEFAULT 0,
	why text NOT NULL,
	queued_at timestamptz NOT NULL DEFAULT now()
);

-- Queues the open tickets of a priority for recomputing (again from the
-- start when already queued).
CREATE FUNCTION sla_queue_recompute(p_priority text, p_why text) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
	INSERT INTO sla_recompute_queue (priority, why) VALUES (p_priority, left(p_why, 300))
	ON CONFLICT (priority) DO UPDATE SET after_id = 0, why = excluded.why, queued_at = now()
$$;

-- Recomputes at most p_limit queued tickets, in id order per priority,
-- remembering where it stopped. Returns how many it recomputed.
CREATE FUNCTION sla_recompute_due(p_limit integer) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
DECLARE
	q sla_recompute_queue%ROWTYPE;
	tid bigint;
	last bigint;
	want integer;
	k integer;
	n integer := 0;
BEGIN
	FOR q IN SELECT * FROM sla_recompute_queue ORDER BY queued_at
		FOR UPDATE SKIP LOCKED LOOP
		want := p_limit - n;
		k := 0;
		last := q.after_id;
		FOR tid IN SELECT t.id FROM tickets t WHERE t.id > q.after_id
			AND t.priority = q.priority AND t.sla_started_at IS NOT NULL
			AND t.status NOT IN ('resolved', 'closed', 'cancelled')
			ORDER BY t.id LIMIT want LOOP
			PERFORM sla_ticket_recompute(tid, q.why);
			last := tid;
			k := k + 1;
		END LOOP;
		n := n + k;
		IF k < want THEN
			DELETE FROM sla_recompute_queue WHERE priority = q.priority;
		ELSE
			UPDATE sla_recompute_queue SET after_id = last WHERE priority = q.priority;
		END IF;
		EXIT WHEN n >= p_limit;
	END LOOP;
	RETURN n;
END
$$;

-- ---- The clock follows the ticket -----------------------------------------

-- Before a ticket's row changes: status changes pause, resume or stop the
-- clock; the first public staff reply and resolving decide their targets
-- once; a new priority or category recomputes the due times.
CREATE FUNCTION sla_ticket_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	p sla_policies%ROWTYPE;
	was_paused boolean := NEW.sla_paused_at IS NOT NULL;
	pause boolean;
	open_now boolean := NEW.status NOT IN ('resolved', 'closed', 'cancelled');
	open_before boolean := OLD.status NOT IN ('resolved', 'closed', 'cancelled');
	spent double precision;
	at timestamptz := now();
BEGIN
	SELECT * INTO p FROM sla_policies WHERE id = NEW.sla_policy_id;
	IF NOT FOUND THEN
		-- No policy covered it: a new priority or category may bring one.
		IF open_now AND (OLD.priority IS DISTINCT FROM NEW.priority
			OR OLD.category_id IS DISTINCT FROM NEW.category_id) THEN
			NEW := sla_compute(NEW);
			IF NEW.sla_policy_id IS NOT NULL THEN
				INSERT INTO ticket_sla_clock (ticket_id, state, started_at, reason)
					VALUES (NEW.id, 'running', NEW.sla_started_at, 'a policy applies');
			END IF;
		END IF;
		RETURN NEW;
	END IF;
	-- The first public staff reply decides the first-response target.
	IF OLD.first_response_at IS NULL AND NEW.first_response_at IS NOT NULL
		AND NEW.first_response_met IS NULL THEN
		-- A reply while the clock stands still counts at the pause.
		NEW.first_response_met := NEW.first_response_stage <> 'breached'
			AND (NEW.first_response_due_at IS NULL
				OR coalesce(NEW.sla_paused_at, NEW.first_response_at) <= NEW.first_response_due_at);
		PERFORM sla_log(NEW.id, 'first_response',
			CASE WHEN NEW.first_response_met THEN 'met' ELSE 'missed' END,
			NEW.first_response_at, NEW.first_response_due_at, 'first public reply');
	END IF;
	IF OLD.status IS DISTINCT FROM NEW.status THEN
		pause := open_now AND NEW.status = ANY (p.pause_statuses);
		IF was_paused AND NOT pause THEN
			-- Resuming (or stopping from a pause): due times move by the
			-- business time spent paused.
			spent := business_minutes_between(p.calendar_id, NEW.sla_paused_at, at);
			NEW.sla_paused_minutes := NEW.sla_paused_minutes + spent;
			UPDATE ticket_response_targets r SET paused_minutes = r.paused_minutes
				+ business_minutes_between(p.calendar_id, greatest(NEW.sla_paused_at, r.asked_at), at)
			WHERE r.ticket_id = NEW.id AND r.answered_at IS NULL;
			UPDATE ticket_sla_clock SET ended_at = at
				WHERE ticket_id = NEW.id AND ended_at IS NULL;
			NEW.sla_paused_at := NULL;
			NEW := sla_compute(NEW);
			NEW := sla_next_response(NEW);
			PERFORM sla_log(NEW.id, 'all', 'moved', at, NULL,
				round(spent::numeric, 1) || ' business minutes paused');
			IF open_now THEN
				INSERT INTO ticket_sla_clock (ticket_id, state, started_at, reason)
					VALUES (NEW.id, 'running', at, 'status ' || NEW.status);
			END IF;
		ELSIF NOT was_paused AND pause THEN
			UPDATE ticket_sla_clock SET ended_at = at
				WHERE ticket_id = NEW.id AND ended_at IS NULL;
			INSERT INTO ticket_sla_clock (ticket_id, state, started_at, reason)
				VALUES (NEW.id, 'paused', at, 'status ' || NEW.status);
			NEW.sla_paused_at := at;
		END IF;
		IF open_before AND NOT open_now THEN
			UPDATE ticket_sla_clock SET ended_at = at
				WHERE ticket_id = NEW.id AND ended_at IS NULL;
			INSERT INTO ticket_sla_clock (ticket_id, state, started_at, reason)
				VALUES (NEW.id, 'stopped', at, 'status ' || NEW.status);
			IF NEW.status = 'resolved' AND NEW.resolution_met IS NULL THEN
				NEW.resolution_met := NEW.resolution_stage <> 'breached'
					AND (NEW.resolution_due_at IS NULL OR at <= NEW.resolution_due_at);
				PERFORM sla_log(NEW.id, 'resolution',
					CASE WHEN NEW.resolution_met THEN 'met' ELSE 'missed' END,
					at, NEW.resolution_due_at, 'resolved');
				-- Resolved before a breach was recorded: escalations are over.
				IF NEW.resolution_met AND NEW.first_response_stage <> 'breached'
					AND NEW.next_response_stage <> 'breached' THEN
					UPDATE ticket_escalations SET deescalated_at = at
						WHERE ticket_id = NEW.id AND deescalated_at IS NULL;
					IF FOUND THEN
						INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value,
							new_value) VALUES (NEW.id, 'system', 'escalation', 'escalated',
							'de-escalated: resolved before breach');
					END IF;
				END IF;
			END IF;
		ELSIF NOT open_before AND open_now THEN
			UPDATE ticket_sla_clock SET ended_at = at
				WHERE ticket_id = NEW.id AND ended_at IS NULL;
			INSERT INTO ticket_sla_clock (ticket_id, state, started_at, reason)
				VALUES (NEW.id, CASE WHEN pause THEN 'paused' ELSE 'running' END, at,
					'status ' || NEW.status);
			NEW.sla_paused_at := CASE WHEN pause THEN at END;
		END IF;
	END IF;
	IF (OLD.priority IS DISTINCT FROM NEW.priority
		OR OLD.category_id IS DISTINCT FROM NEW.category_id) AND open_now THEN
		NEW := sla_compute(NEW);
		NEW := sla_next_response(NEW);
		PERFORM sla_log(NEW.id, 'all', 'moved', at, NULL,
			'priority ' || NEW.priority || ', policy '
			|| coalesce((SELECT name FROM sla_policies WHERE id = NEW.sla_policy_id), 'none'));
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER tickets_sla BEFORE UPDATE OF status, priority, category_id, first_response_at
	ON tickets FOR EACH ROW
	WHEN (NEW.sla_started_at IS NOT NULL AND (OLD.status IS DISTINCT FROM NEW.status
		OR OLD.priority IS DISTINCT FROM NEW.priority
		OR OLD.category_id IS DISTINCT FROM NEW.category_id
		OR OLD.first_response_at IS DISTINCT FROM NEW.first_response_at))
	EXECUTE FUNCTION sla_ticket_changed();

-- A public message: from the customer it waits for staff (after the first
-- response; before it the first-response target covers it); from staff it
-- answers every message waiting.
CREATE FUNCTION sla_comment_added() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	t tickets%ROWTYPE;
BEGIN
	SELECT * INTO t FROM tickets WHERE id = NEW.ticket_id;
	IF NOT FOUND OR t.sla_policy_id IS NULL THEN
		RETURN NULL;
	END IF;
	IF NEW.author_user_id IS NOT NULL THEN
		IF t.first_response_at IS NULL THEN
			RETURN NULL;
		END IF;
		INSERT INTO ticket_response_targets (ticket_id, comment_id, asked_at)
			VALUES (t.id, NEW.id, NEW.created_at);
	ELSIF NEW.author_staff_id IS NOT NULL THEN
		UPDATE ticket_response_targets r SET answered_at = NEW.created_at,
			met = t.next_response_stage <> 'breached' AND (r.due_at IS NULL
				OR coalesce(t.sla_paused_at, NEW.created_at) <= r.due_at)
		WHERE r.ticket_id = t.id AND r.answered_at IS NULL;
		IF NOT FOUND THEN
			RETURN NULL;
		END IF;
		PERFORM sla_log(t.id, 'next_response',
			CASE WHEN t.next_response_stage = 'breached' THEN 'missed' ELSE 'met' END,
			NEW.created_at, t.next_response_due_at, 'staff replied');
	ELSE
		RETURN NULL;
	END IF;
	t := sla_next_response(t);
	UPDATE tickets SET next_response_due_at = t.next_response_due_at,
		next_response_warn_at = t.next_response_warn_at,
		next_response_stage = t.next_response_stage
	WHERE id = t.id;
	IF NEW.author_user_id IS NOT NULL THEN
		PERFORM sla_log(t.id, 'next_response', 'set', NEW.created_at, t.next_response_due_at,
			'customer wrote');
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER ticket_comments_sla AFTER INSERT ON ticket_comments
	FOR EACH ROW WHEN (NEW.kind = 'public')
	EXECUTE FUNCTION sla_comment_added();

-- A customer's new tier changes the policy of their open tickets.
CREATE FUNCTION sla_tier_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	tid bigint;
BEGIN
	FOR tid IN SELECT id FROM tickets WHERE customer_id = NEW.id
		AND sla_started_at IS NOT NULL AND status NOT IN ('resolved', 'closed', 'cancelled')
	LOOP
		PERFORM sla_ticket_recompute(tid, 'customer tier now ' || NEW.tier);
	END LOOP;
	RETURN NULL;
END
$$;
CREATE TRIGGER customers_sla_tier AFTER UPDATE OF tier ON customers
	FOR EACH ROW WHEN (OLD.tier IS DISTINCT FROM NEW.tier)
	EXECUTE FUNCTION sla_tier_changed();

-- ---- What pages show --------------------------------------------------------

-- The earliest due time still pending on a ticket (NULL: nothing pending).
CREATE FUNCTION sla_due(t tickets) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN t.sla_policy_id IS NOT NULL
		AND t.status NOT IN ('resolved', 'closed', 'cancelled') THEN
		least(CASE WHEN t.first_response_at IS NULL THEN t.first_response_due_at END,
			t.next_response_due_at,
			CASE WHEN t.resolution_met IS NOT true THEN t.resolution_due_at END) END
$$;

-- green below 80 % of a pending target, amber from 80 %, red when one is
-- breached; paused while the clock stands still; '' without a target.
CREATE FUNCTION sla_colour(t tickets) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN sla_due(t) IS NULL THEN ''
		WHEN (t.first_response_at IS NULL AND t.first_response_stage = 'breached')
			OR t.next_response_stage = 'breached' OR t.resolution_stage = 'breached' THEN 'red'
		WHEN t.sla_paused_at IS NOT NULL THEN 'paused'
		WHEN now() >= sla_due(t) THEN 'red'
		WHEN now() >= least(CASE WHEN t.first_response_at IS NULL THEN t.first_response_warn_at END,
			t.next_response_warn_at,
			CASE WHEN t.resolution_met IS NOT true THEN t.resolution_warn_at END) THEN 'amber'
		ELSE 'green' END
$$;

-- "3 h 20 min left", "overdue by 45 min" for the colour badge; '' while
-- paused (the colour says so, and no time runs out).
CREATE FUNCTION sla_left(t tickets) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN sla_due(t) IS NULL THEN ''
		WHEN t.sla_paused_at IS NOT NULL THEN ''
		ELSE (SELECT CASE WHEN s < 0 THEN 'overdue by ' ELSE '' END
			|| CASE WHEN abs(s) >= 86400 THEN (abs(s) / 86400)::bigint || ' d '
				|| (abs(s) % 86400 / 3600)::bigint || ' h'
			WHEN abs(s) >= 3600 THEN (abs(s) / 3600)::bigint || ' h '
				|| (abs(s) % 3600 / 60)::bigint || ' min'
			ELSE (abs(s) / 60)::bigint || ' min' END
			|| CASE WHEN s < 0 THEN '' ELSE ' left' END
		FROM (SELECT floor(extract(epoch FROM sla_due(t) - now()))::bigint AS s) x) END
$$;

-- The promise a customer reads on their ticket, in the calendar's zone:
-- "We will reply by Tue 14:00 (Europe/Berlin)." Empty when there is none.
-- Runs as the owner (the portal cannot read policies or calendars) and
-- answers only for the customer the transaction names.
CREATE FUNCTION sla_promise(p_ticket bigint) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	t tickets%ROWTYPE;
	zone text;
	due timestamptz;
	verb text;
BEGIN
	SELECT * INTO t FROM tickets WHERE id = p_ticket
		AND (request_customer() IS NULL OR customer_id = request_customer());
	IF NOT FOUND OR t.sla_policy_id IS NULL OR NOT ticket_is_open(t.status) THEN
		RETURN '';
	END IF;
	IF t.sla_paused_at IS NOT NULL THEN
		RETURN 'We are waiting for your answer; our clock is stopped until then.';
	END IF;
	SELECT c.time_zone INTO zone FROM sla_policies p
		JOIN business_calendars c ON c.id = p.calendar_id WHERE p.id = t.sla_policy_id;
	IF t.first_response_met IS NULL AND t.first_response_due_at IS NOT NULL THEN
		due := t.first_response_due_at;
		verb := 'We will reply by ';
	ELSIF t.next_response_due_at IS NOT NULL THEN
		due := t.next_response_due_at;
		verb := 'We will reply by ';
	ELSIF t.resolution_met IS NULL AND t.resolution_due_at IS NOT NULL THEN
		due := t.resolution_due_at;
		verb := 'We aim to solve this by ';
	ELSE
		RETURN '';
	END IF;
	RETURN verb || CASE WHEN due < now() + interval '6 days'
			THEN to_char(due AT TIME ZONE zone, 'Dy HH24:MI')
			ELSE to_char(due AT TIME ZONE zone, 'Dy DD Mon HH24:MI') END
		|| ' (' || zone || ' time).';
END
$$;

-- ---- The batch: thresholds and escalation ---------------------------------

-- Marks the tickets whose next threshold has come (at most p_limit,
-- oldest first, skipping rows another session holds), recording each
-- crossing at the moment it happened. Returns one row per crossing:
-- ticket, target, event (at_risk or breached) and the threshold time.
CREATE FUNCTION sla_mark_due(p_limit integer)
RETURNS TABLE (ticket_id bigint, target text, event text, basis timestamptz)
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
DECLARE
	t tickets%ROWTYPE;
	at timestamptz := now();
	names text[] := ARRAY['first_response', 'next_response', 'resolution'];
	labels text[] := ARRAY['first response', 'next response', 'resolution'];
	stage text;
	was text;
	warn timestamptz;
	due timestamptz;
	live boolean;
	i integer;
BEGIN
	FOR t IN SELECT * FROM tickets x WHERE x.sla_check_at <= at
		ORDER BY x.sla_check_at LIMIT p_limit FOR UPDATE SKIP LOCKED LOOP
		FOR i IN 1 .. 3 LOOP
			IF i = 1 THEN
				stage := t.first_response_stage; warn := t.first_response_warn_at;
				due := t.first_response_due_at; live := t.first_response_met IS NULL;
			ELSIF i = 2 THEN
				stage := t.next_response_stage; warn := t.next_response_warn_at;
				due := t.next_response_due_at; live := due IS NOT NULL;
			ELSE
				stage := t.resolution_stage; warn := t.resolution_warn_at;
				due := t.resolution_due_at; live := t.resolution_met IS NULL;
			END IF;
			CONTINUE WHEN NOT live OR warn IS NULL OR stage = 'breached';
			was := stage;
			IF stage = 'ok' AND warn <= at THEN
				ticket_id := t.id; target := names[i]; event := 'at_risk'; basis := warn;
				PERFORM sla_log(t.id, names[i], 'at_risk', warn, due, '80 % of the target used');
				INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value, new_value)
					VALUES (t.id, 'system', 'sla', labels[i], 'at risk');
				stage := 'at_risk';
				RETURN NEXT;
			END IF;
			IF stage = 'at_risk' AND due <= at THEN
				ticket_id := t.id; target := names[i]; event := 'breached'; basis := due;
				PERFORM sla_log(t.id, names[i], 'breached', due, due, 'target missed');
				INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value, new_value)
					VALUES (t.id, 'system', 'sla', labels[i], 'breached');
				stage := 'breached';
				RETURN NEXT;
			END IF;
			CONTINUE WHEN stage = was;
			-- A breach is recorded once: the target is decided as missed.
			IF i = 1 THEN
				UPDATE tickets SET first_response_stage = stage,
					first_response_met = CASE WHEN stage = 'breached' THEN false END
				WHERE id = t.id;
			ELSIF i = 2 THEN
				UPDATE tickets SET next_response_stage = stage WHERE id = t.id;
			ELSE
				UPDATE tickets SET resolution_stage = stage,
					resolution_met = CASE WHEN stage = 'breached' THEN false END
				WHERE id = t.id;
			END IF;
		END LOOP;
	END LOOP;
END
$$;

-- Tickets that nobody changed for a rule's hours, found once each: the
-- window since the rule last looked. Moves the rules' checked_until.
CREATE FUNCTION sla_stale_due()
RETURNS TABLE (ticket_id bigint, rule_id bigint, basis timestamptz)
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
DECLARE
	r escalation_rules%ROWTYPE;
	hi timestamptz;
BEGIN
	FOR r IN SELECT * FROM escalation_rules WHERE active AND on_event = 'no_update'
		ORDER BY position, id FOR UPDATE SKIP LOCKED LOOP
		hi := now() - make_interval(hours => r.no_update_hours);
		CONTINUE WHEN hi <= r.checked_until;
		-- Per open status, the tickets_status index gives the window.
		RETURN QUERY SELECT t.id, r.id, t.updated_at FROM unnest(ARRAY['new', 'assigned',
			'in_progress', 'pending_customer', 'pending_parts', 'reopened']) st(s)
			CROSS JOIN LATERAL (SELECT x.id, x.updated_at FROM tickets x
				WHERE x.status = st.s AND x.updated_at > r.checked_until
				AND x.updated_at <= hi) t;
		UPDATE escalation_rules SET checked_until = hi WHERE id = r.id;
	END LOOP;
END
$$;

-- The next agent up from level: an active agent of the ticket's team (any
-- team when it has none) at the lowest level above it, least loaded first.
CREATE FUNCTION sla_next_level_agent(p_team bigint, p_level smallint, p_not bigint)
RETURNS bigint
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
	SELECT s.id FROM staff s
	WHERE s.active AND 'agent' = ANY (s.roles) AND s.escalation_level > p_level
		AND (p_team IS NULL OR s.team_id = p_team)
		AND s.id IS DISTINCT FROM p_not
	ORDER BY s.escalation_level, s.open_tickets::float / greatest(s.capacity, 1), s.id
	LIMIT 1
$$;

-- Applies one escalation to a ticket: records it, reassigns to the next
-- level and raises the priority when asked. p_rule NULL is an agent's own
-- escalation (p_staff, p_reason). Returns the escalation's id, or NULL when
-- this rule already escalated this ticket for this basis.
CREATE FUNCTION sla_escalate(p_ticket bigint, p_rule bigint, p_trigger text, p_target text,
	p_basis timestamptz, p_staff bigint, p_reason text, p_notify text, p_reassign boolean,
	p_raise boolean) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	t tickets%ROWTYPE;
	lvl smallint;
	agent bigint;
	agent_lvl smallint;
	prio text;
	eid bigint;
	prios text[] := ARRAY['low', 'medium', 'high', 'urgent', 'critical'];
BEGIN
	SELECT * INTO t FROM tickets WHERE id = p_ticket FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	SELECT coalesce(s.escalation_level, 1) INTO lvl FROM staff s WHERE s.id = t.assignee_id;
	lvl := coalesce(lvl, 0);
	IF p_reassign THEN
		agent := sla_next_level_agent(t.team_id, lvl, t.assignee_id);
		IF agent IS NULL AND t.team_id IS NOT NULL THEN
			agent := sla_next_level_agent(NULL, lvl, t.assignee_id);
		END IF;
		SELECT escalation_level INTO agent_lvl FROM staff WHERE id = agent;
	END IF;
	IF p_raise AND t.priority <> 'critical' THEN
		prio := prios[array_position(prios, t.priority) + 1];
	END IF;
	INSERT INTO ticket_escalations (ticket_id, rule_id, trigger, target, basis, by_staff_id,
		reason, notify, from_assignee_id, to_assignee_id, from_level, to_level, old_priority,
		new_priority)
	VALUES (p_ticket, p_rule, p_trigger, p_target, p_basis, p_staff, p_reason, p_notify,
		t.assignee_id, agent, nullif(lvl, 0), agent_lvl, t.priority, prio)
	ON CONFLICT DO NOTHING
	RETURNING id INTO eid;
	IF eid IS NULL THEN
		RETURN NULL;
	END IF;
	IF agent IS NOT NULL OR prio IS NOT NULL THEN
		UPDATE tickets SET assignee_id = coalesce(agent, assignee_id),
			team_id = coalesce((SELECT team_id FROM staff WHERE id = agent), team_id),
			priority = coalesce(prio, priority), version = version + 1, updated_at = now()
		WHERE id = p_ticket;
	END IF;
	INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, old_value, new_value)
	VALUES (p_ticket, CASE WHEN p_staff IS NULL THEN 'system' ELSE 'staff' END, p_staff,
		'escalation', p_trigger, coalesce(p_reason, (SELECT name FROM escalation_rules
			WHERE id = p_rule), ''));
	IF agent IS NOT NULL THEN
		INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, old_value, new_value)
		VALUES (p_ticket, 'system', NULL, 'assignee', t.assignee_id::text, agent::text);
	END IF;
	IF prio IS NOT NULL THEN
		INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, old_value, new_value)
		VALUES (p_ticket, 'system', NULL, 'priority', t.priority, prio);
	END IF;
	RETURN eid;
END
$$;

-- Applies the escalation rules for one event on one ticket: every active
-- rule whose conditions hold acts, in position order, once per threshold
-- (p_only_rule: that rule alone). Returns the escalations made.
CREATE FUNCTION sla_apply_rules(p_ticket bigint, p_event text, p_target text,
	p_basis timestamptz, p_only_rule bigint) RETURNS SETOF bigint
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
DECLARE
	t tickets%ROWTYPE;
	tier text;
	r escalation_rules%ROWTYPE;
	eid bigint;
BEGIN
	SELECT * INTO t FROM tickets WHERE id = p_ticket;
	IF NOT FOUND OR NOT ticket_is_open(t.status) THEN
		RETURN;
	END IF;
	SELECT c.tier INTO tier FROM customers c WHERE c.id = t.customer_id;
	FOR r IN SELECT * FROM escalation_rules x WHERE x.active AND x.on_event = p_event
		AND (p_only_rule IS NULL OR x.id = p_only_rule)
		AND (x.if_priority IS NULL OR x.if_priority = t.priority)
		AND (x.if_category_id IS NULL OR x.if_category_id = t.category_id)
		AND (x.if_tier IS NULL OR x.if_tier = tier)
		ORDER BY x.position, x.id LOOP
		eid := sla_escalate(p_ticket, r.id, p_event, p_target, p_basis, NULL, NULL, r.notify,
			r.reassign_next_level, r.raise_priority);
		IF eid IS NOT NULL THEN
			RETURN NEXT eid;
		END IF;
	END LOOP;
END
$$;

-- Who hears of an escalation: the supervisors of the ticket's team (every
-- active supervisor when it has none, or none there); for 'manager' the
-- admins as well, the next link of the chain. Plus the new assignee.
CREATE FUNCTION sla_recipients(p_escalation bigint)
RETURNS TABLE (staff_id bigint, name text, email text)
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
	WITH e AS (SELECT x.*, t.team_id FROM ticket_escalations x
		JOIN tickets t ON t.id = x.ticket_id WHERE x.id = p_escalation),
	sup AS (SELECT s.id, s.name, s.email FROM staff s, e
		WHERE e.notify <> 'none' AND s.active AND 'supervisor' = ANY (s.roles)
		AND (s.team_id = e.team_id OR e.team_id IS NULL OR NOT EXISTS (SELECT 1 FROM staff y
			WHERE y.active AND 'supervisor' = ANY (y.roles) AND y.team_id = e.team_id))),
	mgr AS (SELECT s.id, s.name, s.email FROM staff s, e
		WHERE e.notify = 'manager' AND s.active AND 'admin' = ANY (s.roles)),
	who AS (SELECT s.id, s.name, s.email FROM staff s, e
		WHERE s.id = e.to_assignee_id AND s.active)
	SELECT DISTINCT id, name, email FROM (SELECT * FROM sup UNION SELECT * FROM mgr
		UNION SELECT * FROM who) x ORDER BY email
$$;

-- ---- Seeds ------------------------------------------------------------------

INSERT INTO business_calendars (name, time_zone, always_open, day_minutes) VALUES
	('Office hours', 'UTC', false, 480),
	('24x7', 'UTC', true, 1440);
INSERT INTO calendar_hours (calendar_id, weekday, opens, closes)
	SELECT c.id, d, '09:00', '17:00' FROM business_calendars c, generate_series(1, 5) d
	WHERE c.name = 'Office hours';

-- Targets in business minutes: urgent 30 min / 4 h, high 2 h / 8 h,
-- medium 8 h / 2 business days, low 24 h / 5 business days; premium and
-- VIP customers twice as fast. Urgent and critical run around the clock.
INSERT INTO sla_policies (name, tier, priority, calendar_id, first_response_minutes,
	next_response_minutes, resolution_minutes, pause_statuses)
SELECT v.name, v.tier, v.priority, c.id, v.fr, v.nr, v.res, '{pending_customer}'
FROM (VALUES
	('Critical', NULL, 'critical', '24x7', 15, 30, 120),
	('Urgent', NULL, 'urgent', '24x7', 30, 60, 240),
	('High', NULL, 'high', 'Office hours', 120, 240, 480),
	('Medium', NULL, 'medium', 'Office hours', 480, 480, 960),
	('Low', NULL, 'low', 'Office hours', 1440, 1440, 2400),
	('Premium critical', 'premium', 'critical', '24x7', 10, 15, 60),
	('Premium urgent', 'premium', 'urgent', '24x7', 15, 30, 120),
	('Premium high', 'premium', 'high', 'Office hours', 60, 120, 240),
	('Premium medium', 'premium', 'medium', 'Office hours', 240, 240, 480),
	('Premium low', 'premium', 'low', 'Office hours', 720, 720, 1200),
	('VIP critical', 'vip', 'critical', '24x7', 10, 15, 60),
	('VIP urgent', 'vip', 'urgent', '24x7', 15, 30, 120),
	('VIP high', 'vip', 'high', 'Office hours', 60, 120, 240),
	('VIP medium', 'vip', 'medium', 'Office hours', 240, 240, 480),
	('VIP low', 'vip', 'low', 'Office hours', 720, 720, 1200))
	AS v (name, tier, priority, cal, fr, nr, res)
JOIN business_calendars c ON c.name = v.cal;

INSERT INTO escalation_rules (position, name, on_event, notify, reassign_next_level,
	raise_priority) VALUES
	(10, 'At risk: tell the supervisor', 'at_risk', 'supervisor', false, false),
	(20, 'Breached: next level up', 'breached', 'supervisor', true, false),
	(30, 'Urgent breached: tell the managers', 'breached', 'manager', false, false);
UPDATE escalation_rules SET if_priority = 'urgent' WHERE name = 'Urgent breached: tell the managers';

-- ---- Text for pages -----------------------------------------------------------

-- A target as people say it: "30 min", "4 h", "2 business days".
CREATE FUNCTION sla_target_text(m integer, day integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN day < 1440 AND m >= day AND m % day = 0 THEN
			(m / day) || CASE WHEN m / day = 1 THEN ' business day' ELSE ' business days' END
		WHEN m >= 60 AND m % 60 = 0 THEN (m / 60) || ' h'
		ELSE m || ' min' END
$$;

-- A calendar's week in one line: "Mon 09:00–17:00, Tue 09:00–12:00 13:00–17:00".
CREATE FUNCTION sla_hours_text(cal bigint) RETURNS text
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
	SELECT CASE WHEN c.always_open THEN 'open around the clock, every day'
		ELSE coalesce((SELECT string_agg(d.txt, ', ' ORDER BY d.weekday) FROM (
			SELECT h.weekday, (ARRAY['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'])[h.weekday]
				|| ' ' || string_agg(to_char(h.opens, 'HH24:MI') || '–'
				|| CASE WHEN h.closes = '24:00' THEN '24:00' ELSE to_char(h.closes, 'HH24:MI') END,
				' ' ORDER BY h.opens) AS txt
			FROM calendar_hours h WHERE h.calendar_id = c.id GROUP BY h.weekday) d),
			'no opening hours') END
	FROM business_calendars c WHERE c.id = cal
$$;
