-- 240_intake_speed.sql — opening a ticket in one INSERT (044): routing,
-- automatic assignment and the SLA clock are decided on the row before it
-- is written, not by UPDATEs after it. Every UPDATE of a new ticket that
-- touches an indexed column writes a new entry into each of the table's
-- forty indexes; three of them (routing, assignment, the clock) made a
-- creation cost four times the index work of the row itself.

-- The signatures before the ticket type, sub-categories and sites (046)
-- joined routing and assignment: nothing calls them any more.
DROP FUNCTION IF EXISTS ticket_route_rule(bigint, text, text, text, text, text);
DROP FUNCTION IF EXISTS ticket_pick_agent(bigint, bigint, text, text);
DROP FUNCTION IF EXISTS ticket_open_row(bigint, bigint, text, text, bigint, bigint, text, text,
	text, text, text, text, bigint, text, bigint);

-- The first active routing rule, by position, whose conditions all hold
-- for a ticket with these fields (a NULL condition matches anything; a
-- rule for "en" also takes "en-GB", one for "en-GB" only that; a rule for
-- a category takes its sub-categories in; a rule for a site matches words
-- in p_site, the site's name and address). A row of NULLs when none
-- matches. ticket_route (050) and ticket_open_row share it.
-- PL/pgSQL, not SQL: a SQL function that cannot be inlined (it sets its
-- search_path) is parsed and planned again at every call; this keeps its
-- plan for the session.
CREATE OR REPLACE FUNCTION ticket_route_rule(p_category bigint, p_channel text, p_priority text,
	p_tier text, p_language text, p_subject text, p_type text, p_site text)
	RETURNS routing_rules
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
	r routing_rules%ROWTYPE;
	cat_parent bigint;	-- a sub-category's category (046)
	-- The ticket's side of the conditions, worked out once, not once a
	-- rule: with fifty rules, lowering the subject for each was a tenth of
	-- a creation's routing.
	subject text := lower(p_subject);
	site text := lower(p_site);
	lang_base text := split_part(p_language, '-', 1);
BEGIN
	IF p_category IS NOT NULL THEN
		SELECT k.parent_id INTO cat_parent FROM categories k WHERE k.id = p_category;
	END IF;
	SELECT rr.* INTO r FROM routing_rules rr
	WHERE rr.active
		AND (rr.if_category_id IS NULL OR rr.if_category_id = p_category
			OR rr.if_category_id = cat_parent)
		AND (rr.if_site IS NULL OR strpos(site, lower(rr.if_site)) > 0)
		AND (rr.if_type IS NULL OR rr.if_type = p_type)
		AND (rr.if_channel IS NULL OR rr.if_channel = p_channel)
		AND (rr.if_priority IS NULL OR rr.if_priority = p_priority)
		AND (rr.if_tier IS NULL OR rr.if_tier = p_tier)
		AND (rr.if_language IS NULL OR rr.if_language = p_language
			OR (length(rr.if_language) = 2 AND lang_base = rr.if_language))
		AND (rr.if_keyword IS NULL OR strpos(subject, lower(rr.if_keyword)) > 0)
	ORDER BY rr.position, rr.id
	LIMIT 1;
	RETURN r;
END
$$;

-- The agent an unassigned ticket of queue p_queue (customer p_customer,
-- language p_language, priority p_priority) goes to when the queue assigns
-- automatically: among active agents of the queue's team, with the
-- queue's skill (at the level the queue or the ticket's routing rule,
-- p_skill_level, requires: 046), the ticket's language, spare capacity and
-- on shift now;
-- the customer's preferred agent first, then for VIP customers the most
-- senior, then the least loaded, and among equals whoever waited longest
-- (round-robin); when nobody is and the ticket is urgent or critical, the
-- team's on-call person (180). The agent's row is locked (so concurrent
-- creations never push anyone past capacity: the load is checked again on
-- the row as the last commit left it, under the lock) and stamped as the
-- last assigned. NULL: the ticket waits in its queue. ticket_auto_assign
-- (050) and ticket_open_row share it.
--
-- One lock order: a creation waits for at most one agent's row, and
-- only while it holds no other. One locking query over all candidates, in
-- preference order, kept a lock on every candidate it found full on a
-- second look (the row changed since its snapshot) and went on to wait
-- for the next: two sessions whose snapshots ranked two agents the other
-- way round each held one and waited for the other (the deadlock of the
-- "never past capacity" test, one run in six). Now each candidate is tried
-- with SKIP LOCKED: an agent another session is giving a ticket to right
-- now is passed over for the next best with room. Only when everyone with
-- room is being given one does the creation wait, for the best of them,
-- and take them if they still have room when the other commits. A
-- creation that holds a full agent's row (found full under the lock) no
-- longer waits on a row: it looks again every few milliseconds, for three
-- seconds at most, then the ticket waits in its queue for the batch.
-- Its statements keep one plan for the session (plan_cache_mode): the
-- candidates' query, whose generic plan the planner costs above a custom
-- one, was planned again at every creation (0.08 ms, more as staff grows).
CREATE OR REPLACE FUNCTION ticket_pick_agent(p_queue bigint, p_customer bigint, p_language text,
	p_priority text, p_skill_level smallint) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = public, pg_temp SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	q queues%ROWTYPE;
	c customers%ROWTYPE;
	agent bigint;
	candidate bigint;
	busy bigint;		-- the best candidate with room another session holds
	holds_full boolean := false;	-- this transaction holds a full agent's row
	pause float8 := 0.001;
	give_up timestamptz;
BEGIN
	SELECT * INTO q FROM queues WHERE id = p_queue;
	IF NOT FOUND OR NOT q.auto_assign OR NOT q.active THEN
		RETURN NULL;
	END IF;
	SELECT * INTO c FROM customers WHERE id = p_customer;
	LOOP
		busy := NULL;
		FOR candidate IN SELECT s.id FROM staff s
			WHERE s.active AND 'agent' = ANY (s.roles)
				AND s.open_tickets < s.capacity
				AND (q.team_id IS NULL OR s.team_id = q.team_id)
				AND (q.required_skill_id IS NULL OR EXISTS (SELECT 1 FROM staff_skills k
					WHERE k.staff_id = s.id AND k.skill_id = q.required_skill_id
						AND k.level >= greatest(q.required_skill_level,
							coalesce(p_skill_level, 1))))
				AND p_language = ANY (s.languages)
				AND extract(isodow FROM now() AT TIME ZONE s.time_zone)::smallint = ANY (s.work_days)
				AND (now() AT TIME ZONE s.time_zone)::time >= s.work_start
				AND (now() AT TIME ZONE s.time_zone)::time < s.work_end
			ORDER BY (s.id = c.preferred_agent_id) DESC,
				CASE WHEN c.tier = 'vip' THEN -s.escalation_level ELSE 0 END,
				s.open_tickets::float / greatest(s.capacity, 1),
				s.last_assigned_at, s.id
		LOOP
			-- Room checked again on the newest row version, under the lock.
			SELECT s.id INTO agent FROM staff s
			WHERE s.id = candidate AND s.open_tickets < s.capacity
			FOR UPDATE SKIP LOCKED;
			EXIT WHEN agent IS NOT NULL;
			-- Passed over: another session holds the row (it still has room
			-- now), or this one locked it and found it full (then it keeps
			-- the lock until it ends).
			IF (SELECT s.open_tickets < s.capacity FROM staff s WHERE s.id = candidate) THEN
				busy := coalesce(busy, candidate);
			ELSE
				holds_full := true;
			END IF;
		END LOOP;
		EXIT WHEN agent IS NOT NULL OR busy IS NULL;
		IF NOT holds_full THEN
			-- Holding no agent's row, wait for the best busy one, and take
			-- them if the other session left room.
			SELECT s.id INTO agent FROM staff s
			WHERE s.id = busy AND s.open_tickets < s.capacity
			FOR UPDATE;
			EXIT WHEN agent IS NOT NULL;
			holds_full := true;
		ELSE
			give_up := coalesce(give_up, clock_timestamp() + interval '3 seconds');
			EXIT WHEN clock_timestamp() > give_up;
			PERFORM pg_sleep(pause);
			pause := least(pause * 2, 0.02);
		END IF;
	END LOOP;
	IF agent IS NULL AND ticket_priority_rank(p_priority) >= 4 THEN
		agent := oncall_now(q.team_id);
		PERFORM 1 FROM staff WHERE id = agent FOR UPDATE;
	END IF;
	IF agent IS NOT NULL THEN
		UPDATE staff SET last_assigned_at = clock_timestamp() WHERE id = agent;
	END IF;
	RETURN agent;
END
$$;

-- Opens a ticket: the row as routing, automatic assignment and the SLA
-- clock leave it, written once, then its history (created, routing,
-- assignee: in that order), the clock's first row and the targets' first
-- lines. Everything the steps did one UPDATE at a time before (050,
-- 070), with the same outcome: the rule's queue, team, priority and tags;
-- the agent, the team and "assigned" (version 2, as the assignment's
-- UPDATE made it); the policy and due times from the routed priority.
-- Runs as the owner (the portal's role may not read rules, staff or
-- policies), so it checks what the portal's row-level security would: a
-- customer's request opens only that customer's tickets. Returns the id,
-- the number and the agent (NULL: none).
CREATE OR REPLACE FUNCTION ticket_open_row(p_customer bigint, p_requester bigint, p_channel text,
	p_type text, p_category bigint, p_product bigint, p_serial text, p_subject text,
	p_description text, p_urgency text, p_priority text, p_language text, p_queue bigint,
	p_actor_kind text, p_actor_id bigint, p_site bigint, OUT ticket_id bigint,
	OUT ticket_number text, OUT assignee bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	t tickets%ROWTYPE;
	r routing_rules%ROWTYPE;
	p sla_policies%ROWTYPE;
	tier text;
	lang text;
	site text;		-- the site's name and address, for routing (046)
	queue_team bigint;
BEGIN
	IF request_customer() IS NOT NULL AND p_customer IS DISTINCT FROM request_customer() THEN
		RAISE EXCEPTION 'new row violates row-level security policy for table "tickets"'
			USING ERRCODE = '42501';
	END IF;
	SELECT c.tier, c.language INTO tier, lang FROM customers c WHERE c.id = p_customer;
	t.customer_id := p_customer;
	t.requester_id := p_requester;
	t.channel := p_channel;
	t.type := p_type;
	t.category_id := p_category;
	t.product_id := p_product;
	t.serial := p_serial;
	t.subject := p_subject;
	t.description := p_description;
	t.urgency := p_urgency;
	t.priority := p_priority;
	t.language := coalesce(p_language, lang, 'en');
	t.queue_id := p_queue;
	t.site_id := p_site;
	t.status := 'new';
	t.tags := '{}';
	t.version := 1;
	t.created_at := now();
	t.sla_paused_minutes := 0;
	t.first_response_stage := 'ok';
	t.next_response_stage := 'ok';
	t.resolution_stage := 'ok';
	-- A queue the channel chose comes with its team, and stays whatever the
	-- rule says; the rule still sets the priority and the tags.
	IF p_queue IS NOT NULL THEN
		SELECT q.team_id INTO t.team_id FROM queues q WHERE q.id = p_queue;
	END IF;
	IF p_site IS NOT NULL THEN
		SELECT s.name || ' ' || s.address INTO site FROM customer_sites s
		WHERE s.id = p_site AND s.customer_id = p_customer;
	END IF;
	r := ticket_route_rule(t.category_id, t.channel, t.priority, tier, t.language, t.subject,
		t.type, site);
	IF r.id IS NOT NULL THEN
		t.queue_id := coalesce(p_queue, r.set_queue_id);
		IF p_queue IS NULL THEN
			t.team_id := coalesce(r.set_team_id,
				(SELECT q.team_id FROM queues q WHERE q.id = r.set_queue_id));
		END IF;
		t.priority := coalesce(r.set_priority, t.priority);
		t.tags := ARRAY(SELECT DISTINCT unnest(r.set_tags) ORDER BY 1);
		t.skill_level := r.set_skill_level;
	END IF;
	IF t.queue_id IS NOT NULL THEN
		assignee := ticket_pick_agent(t.queue_id, p_customer, t.language, t.priority,
			t.skill_level);
	END IF;
	IF assignee IS NOT NULL THEN
		-- The queue's team is t's already unless the queue has none (routing
		-- and the channel's queue set it above): read again only then.
		IF t.team_id IS NULL THEN
			SELECT q.team_id INTO queue_team FROM queues q WHERE q.id = t.queue_id;
		END IF;
		t.assignee_id := assignee;
		t.team_id := coalesce(t.team_id, queue_team);
		t.status := 'assigned';
		t.version := 2;
	END IF;
	t.sla_started_at := t.created_at;
	t := sla_compute(t);
	IF t.sla_policy_id IS NOT NULL THEN
		SELECT * INTO p FROM sla_policies WHERE id = t.sla_policy_id;
		IF t.status = ANY (p.pause_statuses) THEN
			t.sla_paused_at := now();
		END IF;
	END IF;
	INSERT INTO tickets (customer_id, requester_id, channel, type, category_id, product_id,
		serial, subject, description, urgency, priority, status, queue_id, team_id,
		assignee_id, tags, language, site_id, skill_level, created_at, version,
		sla_policy_id, sla_started_at,
		sla_paused_at, first_response_due_at, first_response_warn_at, first_response_stage,
		resolution_due_at, resolution_warn_at, resolution_stage)
	VALUES (t.customer_id, t.requester_id, t.channel, t.type, t.category_id, t.product_id,
		t.serial, t.subject, t.description, t.urgency, t.priority, t.status, t.queue_id,
		t.team_id, t.assignee_id, t.tags, t.language, t.site_id, t.skill_level,
		t.created_at, t.version,
		t.sla_policy_id, t.sla_started_at, t.sla_paused_at, t.first_response_due_at,
		t.first_response_warn_at, t.first_response_stage, t.resolution_due_at,
		t.resolution_warn_at, t.resolution_stage)
	RETURNING id, number INTO ticket_id, ticket_number;
	INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, old_value, new_value)
	SELECT ticket_id, e.kind, e.actor, e.field, NULL, e.value
	FROM (VALUES (1, p_actor_kind, p_actor_id, 'created', p_channel),
		(2, 'system', NULL, 'routing', r.name),
		(3, 'system', NULL, 'assignee', assignee::text)) e (n, kind, actor, field, value)
	WHERE e.n = 1 OR (e.n = 2 AND r.id IS NOT NULL) OR (e.n = 3 AND assignee IS NOT NULL)
	ORDER BY e.n;
	IF t.sla_policy_id IS NULL THEN
		RETURN;
	END IF;
	-- The SLA panel (062) is stored once below, not by the clock's and the
	-- events' triggers (410) one list each: the new ticket's row is
	-- nobody else's to change yet.
	PERFORM set_config('csdesk.sla_panel_opening', ticket_id::text, true);
	INSERT INTO ticket_sla_clock (ticket_id, state, started_at, ended_at, reason)
	SELECT ticket_id, c.state, c.started, c.ended, c.reason
	FROM (VALUES (1, 'running', t.sla_started_at, t.sla_paused_at, 'ticket created'),
		(2, 'paused', t.sla_paused_at, NULL, 'status ' || t.status)) c (n, state, started, ended, reason)
	WHERE c.n = 1 OR t.sla_paused_at IS NOT NULL
	ORDER BY c.n;
	INSERT INTO ticket_sla_events (ticket_id, target, kind, at, due_at, detail)
	VALUES (ticket_id, 'first_response', 'set', now(), t.first_response_due_at,
			left('policy ' || p.name, 300)),
		(ticket_id, 'resolution', 'set', now(), t.resolution_due_at, left('policy ' || p.name, 300));
	PERFORM set_config('csdesk.sla_panel_opening', '', true);
	INSERT INTO ticket_sla_panels (ticket_id, segments, events, escalations)
	SELECT v.ticket_id, v.segments, v.events, v.escalations
	FROM sla_panel_source v WHERE v.ticket_id = ticket_open_row.ticket_id;
END
$$;
