-- 390_automation_due.sql — one definition of what a time rule is due to
-- fire on, for the batch's tick and for the rule's dry run alike.
--
-- The dry run used to compute "due" on its own (every ticket of the
-- look-back, counted again) while the tick took the window since the rule
-- last looked and the rows waiting in automation_waits (054): the two
-- could disagree — a dry run listing tickets the tick would never touch,
-- or missing the ones it would. Now automation_due gives every candidate
-- of the next tick with a verdict; the tick acts on the verdicts
-- (automation_rule_tick: fires, waits, drops, moves the rule's window)
-- and the dry run shows the ones it would fire. Both read the same slice
-- sizes (automation_tick_sizes).

-- The functions this file replaces (330_site_more.sql, 180_automation.sql
-- of earlier releases).
DROP FUNCTION IF EXISTS automation_business_due(automation_rules, text[], interval);
DROP FUNCTION IF EXISTS automation_business_take(automation_rules, text[], integer);
DROP FUNCTION IF EXISTS automation_business_enqueue(automation_rules, text[], timestamptz,
	integer);
DROP FUNCTION IF EXISTS automation_business_fires(automation_rules, tickets, text, timestamptz);

-- How much one tick takes of a rule: waiting rows that came due (take),
-- tickets of the window since it last looked (slice). A rule's first look
-- back over 30 days, or a burst, is taken over several ticks rather than
-- in one statement that outlasts the batch's timeout.
CREATE OR REPLACE FUNCTION automation_tick_sizes(OUT take integer, OUT slice integer)
LANGUAGE sql IMMUTABLE AS $$
	SELECT 1000, 2000
$$;

-- The firing's basis for a time rule: the instant it counted from, as the
-- text automation_firings keeps ("t:" and the UTC time to the microsecond).
CREATE OR REPLACE FUNCTION automation_basis_key(p_at timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT 't:' || to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')
$$;

-- The statuses a time rule looks at: its own, else every open one.
CREATE OR REPLACE FUNCTION automation_statuses(r automation_rules) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN r.if_status IS NOT NULL THEN ARRAY[r.if_status] ELSE ARRAY['new',
		'assigned', 'in_progress', 'pending_customer', 'pending_parts', 'reopened'] END
$$;

-- What time rule r does now with ticket t (of a customer of tier) counted
-- from p_basis, its hours having passed in wall-clock time: 'drop' (the
-- ticket moved on — another status or basis —, the rule fired for this
-- basis already, or its conditions do not hold), 'wait' (a rule counted in
-- business hours whose hours are not reached on the ticket's calendar) or
-- 'fire'.
CREATE OR REPLACE FUNCTION automation_verdict(r automation_rules, t tickets, tier text,
	p_basis timestamptz) RETURNS text
LANGUAGE plpgsql STABLE AS $$
-- plpgsql, not sql: a SQL function the planner does not inline is planned
-- again at every execution of the statement calling it (5.5 ms a call of
-- automation_due's window statement); these expressions are planned once
-- per session.
BEGIN
	IF t.id IS NULL OR NOT t.status = ANY (automation_statuses(r))
		OR automation_basis_of(r, t) IS DISTINCT FROM p_basis THEN
		RETURN 'drop';
	END IF;
	IF r.time_business AND automation_business_minutes(t, p_basis) < r.time_hours * 60 THEN
		RETURN 'wait';
	END IF;
	IF EXISTS (SELECT 1 FROM automation_firings f WHERE f.rule_id = r.id
		AND f.ticket_id = t.id AND f.basis = automation_basis_key(p_basis)) THEN
		RETURN 'drop';
	END IF;
	RETURN CASE WHEN automation_holds(r, t, tier) THEN 'fire' ELSE 'drop' END;
END
$$;

-- The candidates of time rule r's next tick, read-only, each with its
-- verdict (automation_verdict; 'known' for a ticket of the window already
-- waiting): the waiting rows that came due (waited, at most p_take,
-- soonest first), then the tickets whose basis passed the rule's hours
-- since it last looked — for a rule counted in business hours from
-- (checked_until, checked_id), at most p_slice in (basis, id) order; for
-- the others the whole window up to now less the hours. due_at is when a
-- 'wait' comes due. NULL sizes: the tick's (automation_tick_sizes). Each
-- basis has its own statement, so that each plan walks its own index
-- (tickets_status_age, tickets_status, tickets_status_changed).
CREATE OR REPLACE FUNCTION automation_due(r automation_rules, p_take integer,
	p_slice integer)
RETURNS TABLE (ticket_id bigint, basis timestamptz, due_at timestamptz, verdict text,
	waited boolean)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
	sts text[] := automation_statuses(r);
	hi timestamptz := now() - make_interval(hours => r.time_hours);
	take integer := coalesce(p_take, (automation_tick_sizes()).take);
	slice integer := coalesce(p_slice, (automation_tick_sizes()).slice);
	lo timestamptz := r.checked_until;
	lo_id bigint := CASE WHEN r.time_business THEN r.checked_id ELSE 9223372036854775807 END;
	got bigint[];
BEGIN
	IF r.on_event <> 'time' THEN
		RETURN;
	END IF;
	IF r.time_business THEN
		RETURN QUERY SELECT w.ticket_id, w.basis, CASE WHEN v.verdict = 'wait'
				THEN greatest(automation_business_due_at(x, w.basis, r.time_hours),
					now() + interval '1 minute') END, v.verdict, true
			FROM (SELECT y.ticket_id, y.basis, y.due_at FROM automation_waits y
				WHERE y.rule_id = r.id AND y.due_at <= now()
				ORDER BY y.due_at LIMIT take) w
			LEFT JOIN tickets x ON x.id = w.ticket_id
			LEFT JOIN customers c ON c.id = x.customer_id
			CROSS JOIN LATERAL (SELECT automation_verdict(r, x, c.tier, w.basis) AS verdict) v
			ORDER BY w.due_at;
	ELSE
		slice := NULL;		-- the whole window: LIMIT NULL is no limit
	END IF;
	IF hi < lo OR (hi = lo AND NOT r.time_business) THEN
		RETURN;
	END IF;
	-- The window's tickets, in (basis, id) order.
	IF r.time_basis = 'created' THEN
		got := ARRAY(SELECT t.id FROM unnest(sts) st(s) CROSS JOIN LATERAL (SELECT x.id,
			x.created_at AS at FROM tickets x WHERE x.status = st.s AND x.created_at >= lo
			AND x.created_at <= hi AND (x.created_at > lo OR x.id > lo_id)
			ORDER BY x.created_at, x.id LIMIT slice) t ORDER BY t.at, t.id LIMIT slice);
	ELSIF r.time_basis = 'updated' THEN
		got := ARRAY(SELECT t.id FROM unnest(sts) st(s) CROSS JOIN LATERAL (SELECT x.id,
			x.updated_at AS at FROM tickets x WHERE x.status = st.s AND x.updated_at >= lo
			AND x.updated_at <= hi AND (x.updated_at > lo OR x.id > lo_id)
			ORDER BY x.updated_at, x.id LIMIT slice) t ORDER BY t.at, t.id LIMIT slice);
	ELSE
		got := ARRAY(SELECT t.id FROM unnest(sts) st(s) CROSS JOIN LATERAL (SELECT x.id,
			x.status_changed_at AS at FROM tickets x WHERE x.status = st.s
			AND x.status_changed_at >= lo AND x.status_changed_at <= hi
			AND (x.status_changed_at > lo OR x.id > lo_id)
			ORDER BY x.status_changed_at, x.id LIMIT slice) t ORDER BY t.at, t.id
			LIMIT slice);
	END IF;
	IF cardinality(got) = 0 THEN
		RETURN;
	END IF;
	-- A ticket's instant on its calendar is worked out once; one whose
	-- instant has come but whose minutes fall short (the two walks of the
	-- calendar round apart) waits a minute more.
	RETURN QUERY SELECT x.id, b.at, CASE WHEN u.due > now() THEN u.due
			ELSE now() + interval '1 minute' END, CASE
			WHEN EXISTS (SELECT 1 FROM automation_waits k WHERE k.rule_id = r.id
				AND k.ticket_id = x.id AND k.basis = b.at) THEN 'known'
			WHEN u.due > now() THEN 'wait'
			ELSE automation_verdict(r, x, c.tier, b.at) END, false
		FROM tickets x
		LEFT JOIN customers c ON c.id = x.customer_id
		CROSS JOIN LATERAL (SELECT automation_basis_of(r, x) AS at) b
		CROSS JOIN LATERAL (SELECT CASE WHEN r.time_business
			THEN automation_business_due_at(x, b.at, r.time_hours)
			ELSE b.at + make_interval(hours => r.time_hours) END AS due) u
		WHERE x.id = ANY (got)
		ORDER BY b.at, x.id;
END
$$;

-- One tick of time rule r: what automation_due says, done. The rows that
-- fire are returned (the caller fires them: automation_fire, mail and
-- status); a business rule's rows that wait enter or stay in
-- automation_waits with their instant, the ones dropped or fired leave
-- it; the rule's window moves to where the look stopped. NULL sizes: the
-- tick's.
CREATE OR REPLACE FUNCTION automation_rule_tick(r automation_rules, p_take integer,
	p_slice integer)
RETURNS TABLE (rule_id bigint, ticket_id bigint, basis timestamptz)
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
DECLARE
	d record;
	hi timestamptz := now() - make_interval(hours => r.time_hours);
	slice integer := coalesce(p_slice, (automation_tick_sizes()).slice);
	n integer := 0;
	last_at timestamptz := r.checked_until;
	last_id bigint := r.checked_id;
BEGIN
	FOR d IN SELECT * FROM automation_due(r, p_take, slice) LOOP
		IF d.waited AND d.verdict = 'wait' THEN
			UPDATE automation_waits w SET due_at = d.due_at
			WHERE w.rule_id = r.id AND w.ticket_id = d.ticket_id AND w.basis = d.basis;
		ELSIF d.waited THEN
			DELETE FROM automation_waits w
			WHERE w.rule_id = r.id AND w.ticket_id = d.ticket_id AND w.basis = d.basis;
		ELSE
			n := n + 1;
			IF (d.basis, d.ticket_id) > (last_at, last_id) THEN
				last_at := d.basis;
				last_id := d.ticket_id;
			END IF;
			IF d.verdict = 'wait' THEN
				INSERT INTO automation_waits AS w VALUES (r.id, d.ticket_id, d.basis, d.due_at)
				ON CONFLICT DO NOTHING;
			END IF;
		END IF;
		IF d.verdict = 'fire' THEN
			rule_id := r.id;
			ticket_id := d.ticket_id;
			basis := d.basis;
			RETURN NEXT;
		END IF;
	END LOOP;
	IF NOT r.time_business THEN
		IF hi > r.checked_until THEN
			UPDATE automation_rules x SET checked_until = hi WHERE x.id = r.id;
		END IF;
	ELSIF hi >= r.checked_until THEN
		-- A slice short of full: caught up, the next look starts after hi.
		IF n < slice THEN
			last_at := hi;
			last_id := 9223372036854775807;
		END IF;
		UPDATE automation_rules x SET checked_until = last_at, checked_id = last_id
		WHERE x.id = r.id;
	END IF;
END
$$;

-- The batch's automations step: every active time rule's tick, in
-- position order; rules another session holds are skipped. Its
-- statements are planned once per connection (plan_cache_mode): with 40
-- time rules a tick took 95 ms planning each window again, 17 ms with the
-- kept plans.
CREATE OR REPLACE FUNCTION automation_time_due()
RETURNS TABLE (rule_id bigint, ticket_id bigint, basis timestamptz)
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	r automation_rules%ROWTYPE;
BEGIN
	FOR r IN SELECT * FROM automation_rules x WHERE x.active AND x.on_event = 'time'
		ORDER BY x.position, x.id FOR UPDATE SKIP LOCKED LOOP
		RETURN QUERY SELECT * FROM automation_rule_tick(r, NULL, NULL);
	END LOOP;
END
$$;

-- What rule p_rule would act on now, changing nothing: for a time rule,
-- exactly the tickets its next tick fires on (automation_due, the same
-- sizes); for an event rule, the open tickets whose conditions hold.
-- Newest first, at most p_limit. An admin's look before switching a rule
-- on: an event rule's may read many tickets, so it is never on a hot path.
-- It runs as the owner (reading automation_waits, which the batch keeps
-- and no role is granted) and changes nothing.
CREATE OR REPLACE FUNCTION automation_dry_run(p_rule bigint, p_limit integer)
RETURNS TABLE (ticket_id bigint, number text, subject text, status text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	r automation_rules%ROWTYPE;
BEGIN
	SELECT * INTO r FROM automation_rules x WHERE x.id = p_rule;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF r.on_event = 'time' THEN
		RETURN QUERY SELECT t.id, t.number, t.subject, t.status
			FROM (SELECT DISTINCT d.ticket_id FROM automation_due(r, NULL, NULL) d
				WHERE d.verdict = 'fire') d
			JOIN tickets t ON t.id = d.ticket_id
			ORDER BY t.id DESC
			LIMIT p_limit;
		RETURN;
	END IF;
	RETURN QUERY SELECT t.id, t.number, t.subject, t.status FROM tickets t
		LEFT JOIN customers c ON c.id = t.customer_id
		WHERE ticket_is_open(t.status) AND automation_holds(r, t, c.tier)
		ORDER BY t.id DESC
		LIMIT p_limit;
END
$$;
