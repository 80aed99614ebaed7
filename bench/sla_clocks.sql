-- bench/sla_clocks.sql — for `make bench` (scripts/bench.sh): `csdesk gen`
-- has started the generated tickets' SLA clocks (open ones as if opened
-- now, so none is due yet); this adds a "no update for 48 hours" rule, so
-- that the batch tick looks through a stale-ticket window as well, and
-- prints how many tickets hold indexed due and warning times.
INSERT INTO escalation_rules (name, on_event, no_update_hours, notify, checked_until)
VALUES ('bench: no update for 48 hours', 'no_update', 48, 'supervisor',
	now() - interval '48 hours')
ON CONFLICT (name) DO NOTHING;
ANALYZE tickets;
SELECT count(*) FROM tickets WHERE sla_check_at IS NOT NULL;
