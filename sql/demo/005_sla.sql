-- SLA clocks for the demo tickets (009): the same function a new ticket's
-- creation calls, so their due times follow the seeded policies. Safe to
-- repeat: a started clock is left alone.
SELECT count(sla_ticket_start(id)) FROM tickets WHERE sla_started_at IS NULL;
