-- 062_sla_panel.sql — the console ticket page's SLA panel reads its lists
-- kept as the clock moves instead of gathering them on every view
-- (250–390 µs of the page's backend time at a million tickets: three
-- index scans, four name joins, JSON and a to_char per time).
--
-- ticket_sla_panels holds, per ticket, the panel's three lists as the
-- page shows them: the clock's segments, the SLA events and the
-- escalations, each a JSON array of rows (cell 0 null, so a row's cells
-- keep the positions of sla_view.c's enums), times as whole epoch
-- seconds (the page words them in the reader's zone, in C), names
-- resolved. Statement triggers on the three tables, and on staff and
-- escalation rule names, write it in the transaction of the change
-- (sql/functions/410_sla_panel.sql). A ticket with none of those rows has
-- no panel row: the reader's LEFT JOIN reads empty lists.
--
-- What is not kept here is read live by key, so no edit of it leaves a
-- stored copy behind: the policy and calendar (names, zone, targets,
-- hours) and the ticket's own SLA columns (due and warning times, stages,
-- outcomes, paused minutes, flags; an admin's calendar or policy edit
-- moves those through sla_recompute_queue as before).
CREATE TABLE ticket_sla_panels (
	ticket_id bigint PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
	segments json NOT NULL DEFAULT '[]',
	events json NOT NULL DEFAULT '[]',
	escalations json NOT NULL DEFAULT '[]'
);

-- The lists as computed from the tables, one row per ticket: what the
-- triggers store and what the tests compare the stored row with. Read
-- with a condition on ticket_id, each list is one index scan.
CREATE VIEW sla_panel_source AS
SELECT t.id AS ticket_id,
	(SELECT coalesce(json_agg(json_build_array(NULL, k.state,
		floor(extract(epoch FROM k.started_at))::bigint,
		floor(extract(epoch FROM k.ended_at))::bigint, k.reason) ORDER BY k.id), '[]')
	 FROM ticket_sla_clock k WHERE k.ticket_id = t.id) AS segments,
	(SELECT coalesce(json_agg(json_build_array(NULL, replace(e.target, '_', ' '),
		replace(e.kind, '_', ' '), floor(extract(epoch FROM e.at))::bigint,
		floor(extract(epoch FROM e.due_at))::bigint, e.detail) ORDER BY e.at, e.id), '[]')
	 FROM ticket_sla_events e WHERE e.ticket_id = t.id) AS events,
	(SELECT coalesce(json_agg(json_build_array(NULL, replace(x.trigger, '_', ' '),
		replace(coalesce(x.target, ''), '_', ' '), coalesce(s.name, r.name, 'rule'),
		coalesce(x.reason, ''), coalesce(fa.name, ''), coalesce(ta.name, ''),
		coalesce(x.old_priority, ''), coalesce(x.new_priority, ''),
		floor(extract(epoch FROM x.created_at))::bigint,
		floor(extract(epoch FROM x.deescalated_at))::bigint) ORDER BY x.id), '[]')
	 FROM ticket_escalations x
	 LEFT JOIN staff s ON s.id = x.by_staff_id
	 LEFT JOIN escalation_rules r ON r.id = x.rule_id
	 LEFT JOIN staff fa ON fa.id = x.from_assignee_id
	 LEFT JOIN staff ta ON ta.id = x.to_assignee_id
	 WHERE x.ticket_id = t.id) AS escalations
FROM tickets t;

-- The tickets there are that have any of the lists.
INSERT INTO ticket_sla_panels (ticket_id, segments, events, escalations)
SELECT v.ticket_id, v.segments, v.events, v.escalations
FROM sla_panel_source v
WHERE v.ticket_id IN (SELECT ticket_id FROM ticket_sla_clock
	UNION SELECT ticket_id FROM ticket_sla_events
	UNION SELECT ticket_id FROM ticket_escalations);

-- A name change finds the escalations that show it.
CREATE INDEX ticket_escalations_by_staff ON ticket_escalations (by_staff_id)
	WHERE by_staff_id IS NOT NULL;
CREATE INDEX ticket_escalations_from_assignee ON ticket_escalations (from_assignee_id)
	WHERE from_assignee_id IS NOT NULL;
CREATE INDEX ticket_escalations_to_assignee ON ticket_escalations (to_assignee_id)
	WHERE to_assignee_id IS NOT NULL;
CREATE INDEX ticket_escalations_rule ON ticket_escalations (rule_id)
	WHERE rule_id IS NOT NULL;
