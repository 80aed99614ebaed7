-- 070_sla_targets.sql — policies and due times: which policy a ticket falls
-- under, its due and warning times, the history of its targets, starting its
-- clock and recomputing it when something it depends on changes.

CREATE OR REPLACE TRIGGER sla_policies_touch BEFORE UPDATE ON sla_policies
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- The policy for a ticket of this tier, priority and category: a category
-- match before a general one (the ticket's own category before the one a
-- sub-category belongs to, 046), a tier match before "any tier".
-- PL/pgSQL, not SQL: a SQL function that sets its search_path is never
-- inlined, so it was parsed and planned again at every call (a tenth of
-- the SQL of a ticket's creation); this keeps its plan for the session.
CREATE OR REPLACE FUNCTION sla_policy_for(p_tier text, p_priority text, p_category bigint) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
BEGIN
	RETURN (SELECT p.id FROM sla_policies p
	WHERE p.active AND p.priority = p_priority AND (p.tier IS NULL OR p.tier = p_tier)
		AND (p.category_id IS NULL OR p.category_id = p_category
			OR p.category_id = (SELECT k.parent_id FROM categories k WHERE k.id = p_category))
	ORDER BY p.category_id IS NOT NULL DESC, p.category_id = p_category DESC,
		p.tier IS NOT NULL DESC, p.id
	LIMIT 1);
END
$$;

-- Where a threshold's stage stands after its times changed: a breach once
-- recorded stays; otherwise the batch marks again what is now crossed.
CREATE OR REPLACE FUNCTION sla_restage(stage text, warn timestamptz, due timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN stage = 'breached' THEN 'breached'
		WHEN warn IS NULL OR now() < warn THEN 'ok'
		ELSE stage END
$$;

-- 80 % of a target, in whole business minutes (at least one).
CREATE OR REPLACE FUNCTION sla_warn_minutes(target integer) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$
	SELECT greatest(1, floor(target * 0.8))::double precision
$$;

-- Computes the due and warning times of row t from its clock start, its
-- policy (chosen again from the customer's tier — or a service contract's
-- response tier for the ticket's product, when higher —, the priority and the
-- category) and the business minutes spent paused. Decided targets keep
-- their times. Returns the changed row; the caller stores it.
CREATE OR REPLACE FUNCTION sla_compute(t tickets) RETURNS tickets
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
	p sla_policies%ROWTYPE;
	tier text;
	contract_tier text;
	pol bigint;
	r record;
	thresholds timestamptz[];
BEGIN
	SELECT c.tier INTO tier FROM customers c WHERE c.id = t.customer_id;
	-- A service contract on the ticket's product answers at its response
	-- tier when that is above the customer's (warranty_contract_tier, 140).
	IF t.product_id IS NOT NULL THEN
		contract_tier := warranty_contract_tier(t.customer_id, t.product_id, t.serial,
			coalesce(t.created_at, now())::date);
		IF array_position(ARRAY['standard', 'premium', 'vip'], contract_tier) >
		    array_position(ARRAY['standard', 'premium', 'vip'], tier) THEN
			tier := contract_tier;
		END IF;
	END IF;
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
	-- The undecided targets' due and warning times from one walk of the
	-- calendar (060): first response due, warning; resolution due, warning.
	thresholds := add_business_minutes_list(p.calendar_id, t.sla_started_at, ARRAY[
		CASE WHEN t.first_response_met IS NULL
			THEN p.first_response_minutes + t.sla_paused_minutes END,
		CASE WHEN t.first_response_met IS NULL
			THEN sla_warn_minutes(p.first_response_minutes) + t.sla_paused_minutes END,
		CASE WHEN t.resolution_met IS NULL
			THEN p.resolution_minutes + t.sla_paused_minutes END,
		CASE WHEN t.resolution_met IS NULL
			THEN sla_warn_minutes(p.resolution_minutes) + t.sla_paused_minutes END]);
	IF t.first_response_met IS NULL THEN
		t.first_response_due_at := thresholds[1];
		t.first_response_warn_at := thresholds[2];
		t.first_response_stage := sla_restage(t.first_response_stage,
			t.first_response_warn_at, t.first_response_due_at);
	END IF;
	IF t.resolution_met IS NULL THEN
		t.resolution_due_at := thresholds[3];
		t.resolution_warn_at := thresholds[4];
		t.resolution_stage := sla_restage(t.resolution_stage,
			t.resolution_warn_at, t.resolution_due_at);
	END IF;
	RETURN t;
END
$$;

-- Recomputes the waiting customer messages' due times of ticket t under
-- its policy and sets the ticket's next-response times to the oldest.
CREATE OR REPLACE FUNCTION sla_next_response(t tickets) RETURNS tickets
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
CREATE OR REPLACE FUNCTION sla_log(p_ticket bigint, p_target text, p_kind text, p_at timestamptz,
	p_due timestamptz, p_detail text) RETURNS void
LANGUAGE sql VOLATILE SET search_path = public, pg_temp AS $$
	INSERT INTO ticket_sla_events (ticket_id, target, kind, at, due_at, detail)
	VALUES (p_ticket, p_target, p_kind, p_at, p_due, coalesce(left(p_detail, 300), ''))
$$;

-- Starts the clock of a new ticket (after routing, which may set its
-- priority): chooses the policy and sets the due times. Returns the
-- policy's id, or NULL when none applies. Runs as the owner: the portal's
-- role creates tickets but cannot read policies or calendars.
CREATE OR REPLACE FUNCTION sla_ticket_start(p_ticket bigint) RETURNS bigint
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
CREATE OR REPLACE FUNCTION sla_ticket_recompute(p_ticket bigint, p_why text) RETURNS void
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

-- Queues the open tickets of a priority for recomputing (again from the
-- start when already queued).
CREATE OR REPLACE FUNCTION sla_queue_recompute(p_priority text, p_why text) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
	INSERT INTO sla_recompute_queue (priority, why) VALUES (p_priority, left(p_why, 300))
	ON CONFLICT (priority) DO UPDATE SET after_id = 0, why = excluded.why, queued_at = now()
$$;

-- Recomputes at most p_limit queued tickets, in id order per priority,
-- remembering where it stopped. Returns how many it recomputed.
CREATE OR REPLACE FUNCTION sla_recompute_due(p_limit integer) RETURNS integer
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
