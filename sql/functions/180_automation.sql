-- 180_automation.sql — assignment after creation: the on-call rota and
-- the batch step that gives waiting tickets to agents as they come on
-- shift or free capacity (038_automation.sql has the tables).

-- Who is on call for team p_team at p_at: an active agent whose slot
-- covers that moment, an override before the regular rota, the latest
-- entered first among equals. NULL when the rota has nobody.
CREATE OR REPLACE FUNCTION oncall_at(p_team bigint, p_at timestamptz) RETURNS bigint
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
	SELECT o.staff_id FROM oncall_shifts o JOIN staff s ON s.id = o.staff_id
	WHERE o.team_id = p_team AND o.ends_at > p_at AND o.starts_at <= p_at
		AND s.active AND 'agent' = ANY (s.roles)
	ORDER BY o.override DESC, o.id DESC
	LIMIT 1
$$;

CREATE OR REPLACE FUNCTION oncall_now(p_team bigint) RETURNS bigint
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
	SELECT oncall_at(p_team, now())
$$;

-- Gives waiting tickets (unassigned, new or reopened, in a queue that
-- assigns automatically) to agents by ticket_auto_assign's rules, at most
-- p_limit, in one order across the queues: highest priority first, then
-- oldest. Linear in what it assigns: the tickets come a chunk at a time,
-- merged from each queue's walk of tickets_waiting (an index in that
-- order), never the whole of a queue sorted; a queue is left after
-- p_misses tickets in a row found nobody (its agents are full or off
-- shift), so a tick in which nobody is free costs a few probes per queue
-- however many tickets wait, and a ticket nobody can take (a language no
-- agent speaks) does not hold back those behind it. Tickets another
-- session holds are passed over. Returns what it assigned.
CREATE OR REPLACE FUNCTION ticket_assign_waiting(p_limit integer, p_misses integer)
RETURNS TABLE (ticket_id bigint, agent_id bigint, number text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	qs bigint[] := ARRAY(SELECT x.id FROM queues x WHERE x.active AND x.auto_assign);
	misses integer[] := '{}';	-- per queue, by its place in qs
	passed bigint[] := '{}';	-- tickets that found nobody, or were held
	t record;
	agent bigint;
	k integer;
	want integer;
	got integer;
	done integer := 0;
BEGIN
	misses := array_fill(0, ARRAY[greatest(cardinality(qs), 1)]);
	WHILE done < p_limit AND cardinality(qs) > 0 LOOP
		-- The next chunk in the one order: each queue's first tickets by
		-- its index, then the best of them.
		want := least(p_limit - done, 50);
		got := 0;
		FOR t IN SELECT w.id, w.number, w.queue_id FROM unnest(qs) q(id)
			CROSS JOIN LATERAL (SELECT x.id, x.number, x.queue_id, x.created_at,
				ticket_priority_rank(x.priority) AS rank FROM tickets x
				WHERE x.queue_id = q.id AND x.assignee_id IS NULL
					AND x.status IN ('new', 'reopened') AND x.id <> ALL (passed)
				ORDER BY ticket_priority_rank(x.priority) DESC, x.created_at, x.id
				LIMIT want) w
			ORDER BY w.rank DESC, w.created_at, w.id
			LIMIT want LOOP
			got := got + 1;
			k := array_position(qs, t.queue_id);
			CONTINUE WHEN k IS NULL;	-- its queue was left in this chunk
			PERFORM 1 FROM tickets x WHERE x.id = t.id AND x.assignee_id IS NULL
				AND x.status IN ('new', 'reopened') FOR UPDATE SKIP LOCKED;
			IF NOT FOUND THEN
				passed := passed || t.id;
				CONTINUE;
			END IF;
			agent := ticket_auto_assign(t.id);
			IF agent IS NULL THEN
				passed := passed || t.id;
				misses[k] := misses[k] + 1;
				IF misses[k] >= p_misses THEN
					qs := qs[:k - 1] || qs[k + 1:];
					misses := misses[:k - 1] || misses[k + 1:];
				END IF;
			ELSE
				misses[k] := 0;
				done := done + 1;
				ticket_id := t.id; agent_id := agent; number := t.number;
				RETURN NEXT;
			END IF;
		END LOOP;
		EXIT WHEN got < want;	-- every queue ran out of waiting tickets
	END LOOP;
END
$$;

-- ---- Triggers and automations ---------------------------------------------

-- The moment of the last status change, for time rules counted from it.
CREATE OR REPLACE FUNCTION tickets_status_changed_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.status_changed_at := now();
	RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER tickets_status_changed_at BEFORE UPDATE OF status ON tickets
	FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
	EXECUTE FUNCTION tickets_status_changed_at();

-- Whether it is business hours now for ticket t: on its SLA calendar; a
-- ticket without a policy is always inside. This and automation_holds
-- have no SET clause, so that the planner inlines them: matching a
-- ticket's event against 200 rules is then one plain query rather than a
-- call per rule.
CREATE OR REPLACE FUNCTION automation_open_now(t tickets) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT business_minutes_between(p.calendar_id, now(),
		now() + interval '1 minute') > 0 FROM sla_policies p WHERE p.id = t.sla_policy_id),
		true)
$$;

-- Whether rule r's conditions hold for ticket t of a customer of tier.
CREATE OR REPLACE FUNCTION automation_holds(r automation_rules, t tickets, tier text)
RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT (r.if_status IS NULL OR r.if_status = t.status)
		AND (r.if_priority IS NULL OR r.if_priority = t.priority)
		AND (r.if_tier IS NULL OR r.if_tier = tier)
		AND (r.if_channel IS NULL OR r.if_channel = t.channel)
		AND (r.if_queue_id IS NULL OR r.if_queue_id = t.queue_id)
		AND (r.if_tag IS NULL OR r.if_tag = ANY (t.tags))
		AND (r.if_no_tag IS NULL OR NOT r.if_no_tag = ANY (t.tags))
		AND (r.if_text IS NULL OR strpos(lower(t.subject || E'\n' || t.description),
			lower(r.if_text)) > 0)
		AND (r.if_hours IS NULL OR (r.if_hours = 'open') = automation_open_now(t))
$$;

-- The active rules for one of p_kinds whose conditions hold for the
-- ticket now, in position order: one statement however many rules exist.
-- The triggers' consumer runs it per event: its plan is made once per
-- connection and kept (plan_cache_mode), as planning the inlined
-- conditions costs a hundred times more than running them. The ticket is
-- read first and handed to the rules' statement as a value: joined
-- instead, each condition "(if_x IS NULL OR if_x = t.x)" was a join
-- clause the planner tried against every one of the tickets' 45 indexes,
-- and planning took 240-340 ms at a million tickets — paid by every
-- `csdesk batch` (a new connection) at its first event, most of a tick
-- with nothing else to do (planned on a value: a few ms).
CREATE OR REPLACE FUNCTION automation_matches(p_ticket bigint, p_kinds text[])
RETURNS TABLE (rule_id bigint)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	t tickets%ROWTYPE;
	tier text;
BEGIN
	SELECT * INTO t FROM tickets x WHERE x.id = p_ticket;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	SELECT c.tier INTO tier FROM customers c WHERE c.id = t.customer_id;
	RETURN QUERY SELECT r.id FROM automation_rules r
	WHERE r.active AND r.on_event = ANY (p_kinds) AND automation_holds(r, t, tier)
	ORDER BY r.position, r.id;
END
$$;

-- Fires rule p_rule on ticket p_ticket for basis p_basis, once: records
-- the firing (nothing more when it was recorded before), then sets the
-- fields the rule sets (priority, queue and its team, tags added, the
-- agent) with a history row each and one naming the rule, and adds its
-- internal note. What needs a use case (the status, through the workflow)
-- or a template (mail) is left to the caller, which gets: fired, the
-- fields that changed, the rule's status and mail, and the ticket's
-- status now.
CREATE OR REPLACE FUNCTION automation_fire(p_rule bigint, p_ticket bigint, p_basis text,
	p_depth integer)
RETURNS TABLE (fired boolean, changed text[], set_status text, mail_to text, status text)
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
DECLARE
	r automation_rules%ROWTYPE;
	t tickets%ROWTYPE;
	q queues%ROWTYPE;
	agent bigint;
	new_tags text[];
	did text[] := '{}';
BEGIN
	fired := false;
	SELECT * INTO r FROM automation_rules WHERE id = p_rule;
	SELECT * INTO t FROM tickets WHERE id = p_ticket FOR UPDATE;
	IF r.id IS NULL OR t.id IS NULL THEN
		RETURN NEXT;
		RETURN;
	END IF;
	INSERT INTO automation_firings (rule_id, ticket_id, basis, depth)
		VALUES (p_rule, p_ticket, p_basis, p_depth) ON CONFLICT DO NOTHING;
	IF NOT FOUND THEN
		RETURN NEXT;
		RETURN;
	END IF;
	fired := true;
	INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value, new_value)
		VALUES (p_ticket, 'system', 'automation', NULL, r.name);
	IF r.set_priority IS NOT NULL AND r.set_priority IS DISTINCT FROM t.priority THEN
		UPDATE tickets SET priority = r.set_priority WHERE id = p_ticket;
		INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value, new_value)
			VALUES (p_ticket, 'system', 'priority', t.priority, r.set_priority);
		did := did || 'priority'::text;
	END IF;
	IF r.set_queue_id IS NOT NULL AND r.set_queue_id IS DISTINCT FROM t.queue_id THEN
		SELECT * INTO q FROM queues WHERE id = r.set_queue_id AND active;
		IF q.id IS NOT NULL THEN
			UPDATE tickets SET queue_id = q.id, team_id = coalesce(q.team_id, team_id)
			WHERE id = p_ticket;
			INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value, new_value)
				VALUES (p_ticket, 'system', 'queue', t.queue_id::text, q.id::text);
			did := did || 'queue'::text;
		END IF;
	END IF;
	new_tags := ARRAY(SELECT DISTINCT unnest(t.tags || r.add_tags) ORDER BY 1);
	IF new_tags IS DISTINCT FROM t.tags THEN
		UPDATE tickets SET tags = new_tags WHERE id = p_ticket;
		INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value, new_value)
			VALUES (p_ticket, 'system', 'tags', array_to_string(t.tags, ', '),
				array_to_string(new_tags, ', '));
		did := did || 'tags'::text;
	END IF;
	IF r.assign_to IS NOT NULL AND r.assign_to IS DISTINCT FROM t.assignee_id THEN
		SELECT s.id INTO agent FROM staff s
		WHERE s.id = r.assign_to AND s.active AND 'agent' = ANY (s.roles);
		IF agent IS NOT NULL THEN
			UPDATE tickets SET assignee_id = agent,
				team_id = coalesce((SELECT team_id FROM staff WHERE id = agent), team_id),
				status = CASE WHEN status = 'new' THEN 'assigned' ELSE status END
			WHERE id = p_ticket;
			INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value, new_value)
				VALUES (p_ticket, 'system', 'assignee', t.assignee_id::text, agent::text);
			did := did || 'assignee'::text;
		END IF;
	END IF;
	IF r.note IS NOT NULL THEN
		INSERT INTO ticket_comments (ticket_id, kind, body)
			VALUES (p_ticket, 'internal', r.note || E'\n\n(' || r.name || ')');
	END IF;
	-- "Call a webhook" (046): a delivery of its own, once per firing; the
	-- batch's webhooks step posts it.
	IF r.call_webhook_id IS NOT NULL THEN
		INSERT INTO webhook_deliveries (webhook_id, source, event, payload)
		SELECT w.id, 'r:' || p_rule || ':' || p_ticket || ':' || p_basis, 'automation.fired',
			jsonb_build_object('delivery', 'r:' || p_rule || ':' || p_ticket || ':' || p_basis,
			'event', 'automation.fired', 'occurred_at', now(),
			'rule', jsonb_build_object('id', r.id, 'name', r.name),
			'ticket', jsonb_build_object('id', x.id, 'number', x.number, 'subject', x.subject,
				'status', x.status, 'priority', x.priority, 'type', x.type,
				'tags', to_jsonb(x.tags)))
		FROM webhooks w, tickets x
		WHERE w.id = r.call_webhook_id AND w.active AND x.id = p_ticket
		ON CONFLICT (webhook_id, source) DO NOTHING;
	END IF;
	IF array_length(did, 1) > 0 THEN
		UPDATE tickets SET version = version + 1, updated_at = now() WHERE id = p_ticket;
	END IF;
	changed := did;
	set_status := r.set_status;
	mail_to := r.mail_to;
	SELECT x.status INTO status FROM tickets x WHERE x.id = p_ticket;
	RETURN NEXT;
END
$$;

-- The calendar a ticket's hours are counted on: its queue's, else its SLA
-- policy's; NULL: none (wall-clock hours).
CREATE OR REPLACE FUNCTION automation_calendar(t tickets) RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT q.calendar_id FROM queues q WHERE q.id = t.queue_id),
		(SELECT p.calendar_id FROM sla_policies p WHERE p.id = t.sla_policy_id))
$$;

-- Business minutes for ticket t from p_from to now, on its calendar
-- (automation_calendar); wall-clock minutes when it has none.
CREATE OR REPLACE FUNCTION automation_business_minutes(t tickets, p_from timestamptz)
RETURNS double precision
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN cal IS NULL THEN extract(epoch FROM now() - p_from) / 60
		ELSE business_minutes_between(cal, p_from, now()) END
	FROM (SELECT automation_calendar(t) AS cal) c
$$;

-- What a time rule is due to fire on — the batch's tick and the dry run
-- alike — is automation_due (390_automation_due.sql).

-- ---- Flags ------------------------------------------------------------------

-- Sets (p_on) or clears flag p_flag on a ticket for staff member p_staff.
-- Setting it escalates along the flag's path (escalation_flags): the
-- ticket jumps to the least loaded agent at the path's level or above
-- (its team first), unless its agent is already there, and the escalation
-- is recorded for the mail (sla_recipients: the path's notify, the new
-- and the previous agent). Clearing it de-escalates the flag's
-- escalations and gives the ticket back to the agent it was taken from,
-- when it is still with the one it went to. Returns the escalation's id
-- (set), or NULL: nothing changed (no such ticket or flag, already so),
-- or cleared.
CREATE OR REPLACE FUNCTION ticket_flag(p_ticket bigint, p_flag text, p_on boolean,
	p_staff bigint) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	t tickets%ROWTYPE;
	f escalation_flags%ROWTYPE;
	lvl smallint;
	agent bigint;
	agent_lvl smallint;
	x ticket_escalations%ROWTYPE;
	eid bigint;
BEGIN
	SELECT * INTO t FROM tickets WHERE id = p_ticket FOR UPDATE;
	SELECT * INTO f FROM escalation_flags WHERE flag = p_flag;
	IF t.id IS NULL OR f.flag IS NULL OR p_on = (p_flag = ANY (t.flags)) THEN
		RETURN NULL;
	END IF;
	UPDATE tickets SET flags = CASE WHEN p_on THEN ARRAY(SELECT unnest(flags || p_flag)
			ORDER BY 1) ELSE array_remove(flags, p_flag) END,
		version = version + 1, updated_at = now()
	WHERE id = p_ticket;
	INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, old_value, new_value)
	VALUES (p_ticket, 'staff', p_staff, 'flag', CASE WHEN NOT p_on THEN f.label END,
		CASE WHEN p_on THEN f.label END);
	IF NOT p_on THEN
		FOR x IN SELECT * FROM ticket_escalations WHERE ticket_id = p_ticket
			AND trigger = 'flag' AND reason = 'Flag: ' || f.label AND deescalated_at IS NULL
			ORDER BY id DESC LOOP
			UPDATE ticket_escalations SET deescalated_at = now() WHERE id = x.id;
			IF x.to_assignee_id IS NOT NULL AND x.from_assignee_id IS NOT NULL
				AND x.to_assignee_id = (SELECT assignee_id FROM tickets WHERE id = p_ticket)
				AND EXISTS (SELECT 1 FROM staff WHERE id = x.from_assignee_id AND active) THEN
				UPDATE tickets SET assignee_id = x.from_assignee_id, version = version + 1
				WHERE id = p_ticket;
				INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value, new_value)
				VALUES (p_ticket, 'system', 'assignee', x.to_assignee_id::text,
					x.from_assignee_id::text);
			END IF;
			INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value, new_value)
			VALUES (p_ticket, 'system', 'escalation', 'flag',
				'de-escalated: flag ' || f.label || ' cleared');
		END LOOP;
		RETURN NULL;
	END IF;
	SELECT s.escalation_level INTO lvl FROM staff s WHERE s.id = t.assignee_id;
	IF lvl IS NULL OR lvl < f.level THEN
		agent := sla_next_level_agent(t.team_id, (f.level - 1)::smallint, t.assignee_id);
		IF agent IS NULL AND t.team_id IS NOT NULL THEN
			agent := sla_next_level_agent(NULL, (f.level - 1)::smallint, t.assignee_id);
		END IF;
		SELECT escalation_level INTO agent_lvl FROM staff WHERE id = agent;
	END IF;
	INSERT INTO ticket_escalations (ticket_id, rule_id, trigger, basis, by_staff_id, reason,
		notify, from_assignee_id, to_assignee_id, from_level, to_level)
	VALUES (p_ticket, NULL, 'flag', now(), p_staff, 'Flag: ' || f.label, f.notify,
		t.assignee_id, agent, lvl, agent_lvl)
	RETURNING id INTO eid;
	IF agent IS NOT NULL THEN
		UPDATE tickets SET assignee_id = agent,
			team_id = coalesce((SELECT team_id FROM staff WHERE id = agent), team_id),
			version = version + 1
		WHERE id = p_ticket;
		INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value, new_value)
		VALUES (p_ticket, 'system', 'assignee', t.assignee_id::text, agent::text);
	END IF;
	INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, old_value, new_value)
	VALUES (p_ticket, 'staff', p_staff, 'escalation', 'flag', 'Flag: ' || f.label);
	RETURN eid;
END
$$;

-- ---- Low-priority automatic answers ----------------------------------------

-- The "this solved it" link of an automatic answer (kb_auto_answer.h),
-- for anyone holding it (the portal, signed in or not: the link is the
-- proof). Once: resolves the ticket as its requester when it is still
-- open, with its history row and "ticket.status_changed" event (so the
-- requester's "resolved" mail follows), and records the deflection.
-- Returns the outcome — 'solved', 'already' (the link was used), 'closed'
-- (someone resolved or closed it meanwhile: nothing to do) — and the
-- ticket's number; no row for a link that is no link.
CREATE OR REPLACE FUNCTION kb_auto_answer_solve(p_token text)
RETURNS TABLE (outcome text, number text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	k kb_auto_answers%ROWTYPE;
	t tickets%ROWTYPE;
BEGIN
	SELECT * INTO k FROM kb_auto_answers
	WHERE token_sha256 = encode(sha256(convert_to(p_token, 'UTF8')), 'hex') FOR UPDATE;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	SELECT * INTO t FROM tickets WHERE id = k.ticket_id FOR UPDATE;
	number := t.number;
	IF k.solved_at IS NOT NULL THEN
		outcome := 'already';
	ELSIF NOT ticket_is_open(t.status) THEN
		outcome := 'closed';
	ELSE
		UPDATE kb_auto_answers SET solved_at = now() WHERE ticket_id = k.ticket_id;
		UPDATE tickets SET status = 'resolved', resolved_at = now(), version = version + 1,
			updated_at = now()
		WHERE id = t.id;
		INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, old_value, new_value)
		VALUES (t.id, 'customer', t.requester_id, 'status', t.status, 'resolved'),
			(t.id, 'customer', t.requester_id, 'kb_answer', NULL,
				'solved by an article of the automatic answer');
		INSERT INTO domain_events (aggregate, aggregate_id, type, actor_kind, actor_id, payload)
		VALUES ('ticket', t.id, 'ticket.status_changed', 'customer', t.requester_id,
			jsonb_build_object('number', t.number, 'from', t.status, 'to', 'resolved',
				'self_service', true));
		PERFORM pg_notify('csdesk_events', '');
		outcome := 'solved';
	END IF;
	RETURN NEXT;
END
$$;
