-- SLA clocks for the demo tickets (009): the same function a new ticket's
-- creation calls, so their due times follow the seeded policies. Safe to
-- repeat: a started clock is left alone.
SELECT count(sla_ticket_start(id)) FROM tickets WHERE sla_started_at IS NULL;

-- The demo's tickets say they were written days ago; their clocks start
-- when the demo is loaded instead, so that a newcomer's first reply to the
-- paused one does not breach both of its targets at once and send a
-- storm of SLA mail. Only clocks still at their ticket's (backdated)
-- creation move, so loading again, or a ticket made since, changes nothing.
WITH moved AS (
	UPDATE tickets SET sla_started_at = now()
	WHERE ticket_is_open(status) AND sla_started_at = created_at
		AND created_at < now() - interval '1 hour'
	RETURNING id
), clock AS (
	UPDATE ticket_sla_clock c SET started_at = now() FROM moved m
	WHERE c.ticket_id = m.id AND c.started_at < now() AND c.state = 'running'
		AND c.reason = 'ticket created'
	RETURNING c.ticket_id
)
SELECT count(sla_ticket_recompute(id, 'demo: clocks start when the demo is loaded'))
FROM moved;
