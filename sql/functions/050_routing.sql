-- 050_routing.sql — routing and assignment, written once here and used by
-- every channel (portal, console, API, e-mail). Both run as the owner: the
-- portal's role cannot read rules or staff.

-- Applies the first matching routing rule to a ticket (the first active
-- rule by position whose conditions all hold; a NULL condition matches
-- anything). A rule for "en" also takes tickets in "en-GB" (customers may
-- carry a regional language, rules are written per language); a rule for
-- "en-GB" matches only "en-GB". Returns the rule's id, or NULL when none
-- matched. A rule for a category takes its sub-categories in; a rule for
-- a site matches words in the ticket's site's name or address.
CREATE OR REPLACE FUNCTION ticket_route(p_ticket bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	t tickets%ROWTYPE;
	tier text;
	cat_parent bigint;	-- a sub-category's category (046)
	site text;		-- the site's name and address (046)
	r routing_rules%ROWTYPE;
BEGIN
	SELECT * INTO t FROM tickets WHERE id = p_ticket FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	SELECT c.tier INTO tier FROM customers c WHERE c.id = t.customer_id;
	SELECT k.parent_id INTO cat_parent FROM categories k WHERE k.id = t.category_id;
	SELECT s.name || ' ' || s.address INTO site FROM customer_sites s WHERE s.id = t.site_id;
	-- A queue the channel chose comes with its team (the portal's role,
	-- which inserts tickets too, cannot read queues).
	IF t.queue_id IS NOT NULL AND t.team_id IS NULL THEN
		UPDATE tickets SET team_id = (SELECT q.team_id FROM queues q WHERE q.id = t.queue_id)
			WHERE id = p_ticket RETURNING team_id INTO t.team_id;
	END IF;
	SELECT * INTO r FROM routing_rules rr
	WHERE rr.active
		AND (rr.if_category_id IS NULL OR rr.if_category_id = t.category_id
			OR rr.if_category_id = cat_parent)
		AND (rr.if_site IS NULL OR strpos(lower(site), lower(rr.if_site)) > 0)
		AND (rr.if_type IS NULL OR rr.if_type = t.type)
		AND (rr.if_channel IS NULL OR rr.if_channel = t.channel)
		AND (rr.if_priority IS NULL OR rr.if_priority = t.priority)
		AND (rr.if_tier IS NULL OR rr.if_tier = tier)
		AND (rr.if_language IS NULL OR rr.if_language = t.language
			OR (length(rr.if_language) = 2 AND split_part(t.language, '-', 1) = rr.if_language))
		AND (rr.if_keyword IS NULL OR strpos(lower(t.subject), lower(rr.if_keyword)) > 0)
	ORDER BY rr.position, rr.id
	LIMIT 1;
	IF NOT FOUND THEN
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

-- Gives a ticket to an agent when its queue assigns automatically: among
-- active agents of the queue's team, with the queue's skill (at the level
-- the queue or the ticket's routing rule requires, 046), the ticket's
-- language, spare capacity and on shift now; the customer's preferred
-- agent first, then for VIP customers the most senior, then the least
-- loaded, and among equals whoever waited longest (round-robin); when
-- nobody is and the ticket is urgent or critical, the team's on-call
-- person. The
-- chosen agent's row is locked, and its load re-checked after the lock,
-- so concurrent creations never push anyone past capacity. Returns the
-- agent's id, or NULL (the ticket waits in its queue).
CREATE OR REPLACE FUNCTION ticket_auto_assign(p_ticket bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	t tickets%ROWTYPE;
	q queues%ROWTYPE;
	c customers%ROWTYPE;
	agent bigint;
BEGIN
	SELECT * INTO t FROM tickets WHERE id = p_ticket;
	IF NOT FOUND OR t.assignee_id IS NOT NULL OR t.queue_id IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT * INTO q FROM queues WHERE id = t.queue_id;
	IF NOT q.auto_assign OR NOT q.active THEN
		RETURN NULL;
	END IF;
	SELECT * INTO c FROM customers WHERE id = t.customer_id;
	SELECT s.id INTO agent FROM staff s
	WHERE s.active AND 'agent' = ANY (s.roles)
		AND s.open_tickets < s.capacity
		AND (q.team_id IS NULL OR s.team_id = q.team_id)
		AND (q.required_skill_id IS NULL OR EXISTS (SELECT 1 FROM staff_skills k
			WHERE k.staff_id = s.id AND k.skill_id = q.required_skill_id
				AND k.level >= greatest(q.required_skill_level, coalesce(t.skill_level, 1))))
		AND t.language = ANY (s.languages)
		AND extract(isodow FROM now() AT TIME ZONE s.time_zone)::smallint = ANY (s.work_days)
		AND (now() AT TIME ZONE s.time_zone)::time >= s.work_start
		AND (now() AT TIME ZONE s.time_zone)::time < s.work_end
	ORDER BY (s.id = c.preferred_agent_id) DESC,
		CASE WHEN c.tier = 'vip' THEN -s.escalation_level ELSE 0 END,
		s.open_tickets::float / greatest(s.capacity, 1),
		s.last_assigned_at, s.id
	LIMIT 1
	FOR UPDATE OF s;
	-- Nobody on shift with room: an urgent or critical ticket goes to
	-- whoever is on call for the queue's team (180_automation.sql), shift
	-- and capacity notwithstanding; the others wait for the batch.
	IF agent IS NULL AND ticket_priority_rank(t.priority) >= 4 THEN
		agent := oncall_now(q.team_id);
		PERFORM 1 FROM staff WHERE id = agent FOR UPDATE;
	END IF;
	IF agent IS NULL THEN
		RETURN NULL;
	END IF;
	UPDATE staff SET last_assigned_at = clock_timestamp() WHERE id = agent;
	UPDATE tickets SET assignee_id = agent, team_id = coalesce(team_id, q.team_id),
		status = CASE WHEN status = 'new' THEN 'assigned' ELSE status END,
		version = version + 1
	WHERE id = p_ticket;
	INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value, new_value)
		VALUES (p_ticket, 'system', 'assignee', NULL, agent::text);
	RETURN agent;
END
$$;
