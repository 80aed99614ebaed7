-- 330_site_more.sql — a ticket's site after it is opened, and automations
-- counted in business hours that wait in a table instead of being looked
-- for on every tick (054).

-- ---- A change of site and routing -------------------------------------------

-- What a serious desk does when the site of a ticket is corrected: routing
-- rules decide where a new ticket goes, once; after that the queue is
-- people's business (the agent changing the site has the ticket's fields
-- form in front of them, queue included). One case is the routing's
-- still: a ticket nobody has picked up (new, unassigned) that sits in the
-- queue routing gave it for its old site, when a site rule (if_site)
-- decides differently for the new one — the customer named the wrong
-- warehouse, and the ticket should be where the right one's rule sends
-- it. Then it moves to that rule's queue and team, with the rule's skill
-- level and tags (the priority stays: its SLA clock runs, and the customer
-- may have been told the promise), and the history says by which rule.
-- A ticket moved by hand, or whose queue its channel chose (a mail's
-- address), is not in the queue its old site's rule gives, so it stays.
-- p_old_site is the site's name before the change (unique in the
-- account), NULL for none. Returns the rule's name, the queue's names
-- before and after, whether the team moved and its names; no row when
-- nothing moved.
CREATE OR REPLACE FUNCTION ticket_site_reroute(p_ticket bigint, p_old_site text)
RETURNS TABLE (rule text, queue_from text, queue_to text, team_moved boolean, team_from text,
	team_to text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	t tickets%ROWTYPE;
	tier text;
	old_site text;
	new_site text;
	was routing_rules%ROWTYPE;
	now_rule routing_rules%ROWTYPE;
	new_team bigint;
BEGIN
	SELECT * INTO t FROM tickets WHERE id = p_ticket FOR UPDATE;
	IF NOT FOUND OR t.status <> 'new' OR t.assignee_id IS NOT NULL THEN
		RETURN;
	END IF;
	SELECT c.tier INTO tier FROM customers c WHERE c.id = t.customer_id;
	SELECT s.name || ' ' || s.address INTO old_site FROM customer_sites s
		WHERE s.customer_id = t.customer_id AND s.name = p_old_site;
	SELECT s.name || ' ' || s.address INTO new_site FROM customer_sites s WHERE s.id = t.site_id;
	was := ticket_route_rule(t.category_id, t.channel, t.priority, tier, t.language, t.subject,
		t.type, old_site);
	now_rule := ticket_route_rule(t.category_id, t.channel, t.priority, tier, t.language,
		t.subject, t.type, new_site);
	IF now_rule.id IS NULL OR now_rule.set_queue_id IS NULL
		OR now_rule.id IS NOT DISTINCT FROM was.id
		OR (was.if_site IS NULL AND now_rule.if_site IS NULL)
		OR t.queue_id IS DISTINCT FROM was.set_queue_id
		OR t.queue_id = now_rule.set_queue_id THEN
		RETURN;
	END IF;
	new_team := coalesce(now_rule.set_team_id, (SELECT q.team_id FROM queues q
		WHERE q.id = now_rule.set_queue_id), t.team_id);
	UPDATE tickets SET queue_id = now_rule.set_queue_id, team_id = new_team,
		skill_level = now_rule.set_skill_level,
		tags = ARRAY(SELECT DISTINCT unnest(tags || now_rule.set_tags) ORDER BY 1),
		version = version + 1, updated_at = now()
	WHERE id = p_ticket;
	rule := now_rule.name;
	SELECT q.name INTO queue_from FROM queues q WHERE q.id = t.queue_id;
	SELECT q.name INTO queue_to FROM queues q WHERE q.id = now_rule.set_queue_id;
	SELECT m.name INTO team_from FROM teams m WHERE m.id = t.team_id;
	SELECT m.name INTO team_to FROM teams m WHERE m.id = new_team;
	INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value, new_value)
	VALUES (p_ticket, 'system', 'routing', NULL, now_rule.name),
		(p_ticket, 'system', 'queue', queue_from, queue_to);
	team_moved := new_team IS DISTINCT FROM t.team_id;
	IF team_moved THEN
		INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value, new_value)
		VALUES (p_ticket, 'system', 'team', team_from, team_to);
	END IF;
	RETURN NEXT;
END
$$;

-- ---- Automations counted in business hours (054) ----------------------------

-- The instant ticket t's basis p_at is p_hours business hours old, on its
-- calendar (automation_calendar: its queue's, else its SLA policy's);
-- wall-clock hours when it has none; 'infinity' on a calendar that never
-- opens.
CREATE OR REPLACE FUNCTION automation_business_due_at(t tickets, p_at timestamptz,
	p_hours integer)
RETURNS timestamptz
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN cal IS NULL THEN p_at + make_interval(hours => p_hours)
		ELSE coalesce(add_business_minutes(cal, p_at, p_hours * 60.0), 'infinity') END
	FROM (SELECT automation_calendar(t) AS cal) c
$$;

-- The basis of time rule r for ticket t (creation, last update, last
-- status change).
CREATE OR REPLACE FUNCTION automation_basis_of(r automation_rules, t tickets)
RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE r.time_basis WHEN 'created' THEN t.created_at WHEN 'updated' THEN t.updated_at
		ELSE t.status_changed_at END
$$;

-- Such a rule's tick (entering the table, taking what is due) is
-- automation_rule_tick, on automation_due's verdicts (390_automation_due.sql).

-- A calendar's hours, holidays or zone changed, or a queue took another
-- calendar: the instants in automation_waits were counted on the old
-- ones. Every row not yet due is looked at on the next tick, which waits
-- again with the new instant what is not due (an admin's rare act; a
-- thousand rows per rule a tick). A ticket moved to a queue with another
-- calendar keeps its instant: it is looked at then, on its new calendar.
CREATE OR REPLACE FUNCTION automation_waits_recount() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	UPDATE automation_waits SET due_at = now() WHERE due_at > now();
	RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER calendar_hours_waits AFTER INSERT OR UPDATE OR DELETE
	ON calendar_hours FOR EACH STATEMENT EXECUTE FUNCTION automation_waits_recount();
CREATE OR REPLACE TRIGGER calendar_holidays_waits AFTER INSERT OR UPDATE OR DELETE
	ON calendar_holidays FOR EACH STATEMENT EXECUTE FUNCTION automation_waits_recount();
CREATE OR REPLACE TRIGGER business_calendars_waits AFTER UPDATE OF time_zone, always_open
	ON business_calendars FOR EACH STATEMENT EXECUTE FUNCTION automation_waits_recount();
CREATE OR REPLACE TRIGGER queues_calendar_waits AFTER UPDATE OF calendar_id
	ON queues FOR EACH STATEMENT EXECUTE FUNCTION automation_waits_recount();
