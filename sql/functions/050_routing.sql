-- 050_routing.sql — routing and assignment, written once here and used by
-- every channel (portal, console, API, e-mail). Both run as the owner: the
-- portal's role cannot read rules or staff.

-- Applies the first matching routing rule (ticket_route_rule, 240: a
-- rule for a category takes its sub-categories in, a rule for a site
-- matches words in the ticket's site's name or address) to a ticket
-- already written. A new ticket is routed before it is written
-- (ticket_open_row, 240); this stays for a ticket that exists. Returns the
-- rule's id, or NULL when none matched.
CREATE OR REPLACE FUNCTION ticket_route(p_ticket bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	t tickets%ROWTYPE;
	tier text;
	site text;		-- the site's name and address (046)
	r routing_rules%ROWTYPE;
BEGIN
	SELECT * INTO t FROM tickets WHERE id = p_ticket FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	SELECT c.tier INTO tier FROM customers c WHERE c.id = t.customer_id;
	SELECT s.name || ' ' || s.address INTO site FROM customer_sites s WHERE s.id = t.site_id;
	-- A queue the channel chose comes with its team (the portal's role,
	-- which inserts tickets too, cannot read queues).
	IF t.queue_id IS NOT NULL AND t.team_id IS NULL THEN
		UPDATE tickets SET team_id = (SELECT q.team_id FROM queues q WHERE q.id = t.queue_id)
			WHERE id = p_ticket RETURNING team_id INTO t.team_id;
	END IF;
	r := ticket_route_rule(t.category_id, t.channel, t.priority, tier, t.language, t.subject,
		t.type, site);
	IF r.id IS NULL THEN
		RETURN NULL;
	END IF;
	-- A queue the channel chose (the address a mail came to) stays; the
	-- rule still sets the priority and the tags.
	UPDATE tickets SET
		queue_id = coalesce(t.queue_id, r.set_queue_id, queue_id),
		team_id = CASE WHEN t.queue_id IS NOT NULL THEN team_id
			ELSE coalesce(r.set_team_id, (SELECT q.team_id FROM queues q
			WHERE q.id = r.set_queue_id), team_id) END,
		priority = coalesce(r.set_priority, priority),
		tags = ARRAY(SELECT DISTINCT unnest(tags || r.set_tags) ORDER BY 1),
		skill_level = coalesce(r.set_skill_level, skill_level)
	WHERE id = p_ticket;
	INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value, new_value)
		VALUES (p_ticket, 'system', 'routing', NULL, r.name);
	RETURN r.id;
END
$$;

-- Gives a waiting ticket to an agent when its queue assigns automatically
-- (the batch's ticket_assign_waiting, 180): whom ticket_pick_agent (240)
-- chooses, by the same rules as at creation (the skill level the queue
-- or the ticket's routing rule requires, 046, included). Returns the
-- agent's id, or NULL (the ticket waits in its queue).
CREATE OR REPLACE FUNCTION ticket_auto_assign(p_ticket bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	t tickets%ROWTYPE;
	q queues%ROWTYPE;
	agent bigint;
BEGIN
	SELECT * INTO t FROM tickets WHERE id = p_ticket;
	IF NOT FOUND OR t.assignee_id IS NOT NULL OR t.queue_id IS NULL THEN
		RETURN NULL;
	END IF;
	agent := ticket_pick_agent(t.queue_id, t.customer_id, t.language, t.priority, t.skill_level);
	IF agent IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT * INTO q FROM queues WHERE id = t.queue_id;
	UPDATE tickets SET assignee_id = agent, team_id = coalesce(team_id, q.team_id),
		status = CASE WHEN status = 'new' THEN 'assigned' ELSE status END,
		version = version + 1
	WHERE id = p_ticket;
	INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value, new_value)
		VALUES (p_ticket, 'system', 'assignee', NULL, agent::text);
	RETURN agent;
END
$$;
