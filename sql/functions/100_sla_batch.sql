-- 100_sla_batch.sql — the steps of `csdesk batch` for service levels:
-- thresholds crossed, stale tickets, escalation by rule or by hand, and who
-- hears of it.

-- Marks the tickets whose next threshold has come (at most p_limit,
-- oldest first, skipping rows another session holds), recording each
-- crossing at the moment it happened. Returns one row per crossing:
-- ticket, target, event (at_risk or breached) and the threshold time.
CREATE OR REPLACE FUNCTION sla_mark_due(p_limit integer)
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
CREATE OR REPLACE FUNCTION sla_stale_due()
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
CREATE OR REPLACE FUNCTION sla_next_level_agent(p_team bigint, p_level smallint, p_not bigint)
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
CREATE OR REPLACE FUNCTION sla_escalate(p_ticket bigint, p_rule bigint, p_trigger text, p_target text,
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
-- rule whose conditions hold (a rule for one target only for that target)
-- acts, in position order, once per threshold
-- (p_only_rule: that rule alone). Returns the escalations made.
CREATE OR REPLACE FUNCTION sla_apply_rules(p_ticket bigint, p_event text, p_target text,
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
		AND (x.if_category_id IS NULL OR x.if_category_id = t.category_id
			OR x.if_category_id = (SELECT parent_id FROM categories WHERE id = t.category_id))
		AND (x.if_tier IS NULL OR x.if_tier = tier)
		AND (x.if_target IS NULL OR x.if_target = p_target)
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
-- admins as well, the next link of the chain. Plus the new assignee, and
-- the previous one when it was taken from them.
CREATE OR REPLACE FUNCTION sla_recipients(p_escalation bigint)
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
		WHERE s.id = e.to_assignee_id AND s.active),
	-- The agent it was taken from learns why it left them.
	was AS (SELECT s.id, s.name, s.email FROM staff s, e
		WHERE s.id = e.from_assignee_id AND e.to_assignee_id IS DISTINCT FROM s.id
		AND e.to_assignee_id IS NOT NULL AND s.active)
	SELECT DISTINCT id, name, email FROM (SELECT * FROM sup UNION SELECT * FROM mgr
		UNION SELECT * FROM who UNION SELECT * FROM was) x ORDER BY email
$$;
