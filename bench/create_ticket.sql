-- bench/create_ticket.sql — for pgbench (scripts/bench.sh): what a ticket
-- creation sends, as the console's role, in one transaction: the ticket
-- of ticket_open.c (routed, assigned, on the SLA clock and with its
-- history, written once by ticket_open_row) with its events in the same
-- statement, as ticket_open.c sends it, then the commit. Run from many
-- clients, it shows whether concurrent creations wait for each other
-- inside PostgreSQL (the web rows go through as many connections as there
-- are workers).
-- A customer drawn at random among those there (a small database has
-- fewer than 5,000).
\set customer random(1, 5000)
BEGIN;
WITH x AS (SELECT coalesce((SELECT id FROM customers WHERE id >= :customer
	ORDER BY id LIMIT 1), (SELECT min(id) FROM customers)) AS c),
o AS MATERIALIZED (SELECT r.* FROM x, ticket_open_row(x.c, NULL, 'api', 'question', NULL, NULL,
	NULL, 'Bench: the kettle stops heating',
	'It clicks off after a few seconds and the water stays cold.', 'normal', 'medium', NULL,
	NULL, 'system', NULL, NULL) r),
e AS (INSERT INTO domain_events (aggregate, aggregate_id, type, actor_kind, actor_id, payload)
	SELECT 'ticket', o.ticket_id, v.type, 'system', NULL, v.payload FROM o,
	LATERAL (VALUES (1, 'ticket.created', '{"channel": "api"}'::jsonb ||
		jsonb_build_object('number', o.ticket_number)), (2, 'ticket.assigned',
		jsonb_build_object('number', o.ticket_number, 'assignee_id', o.assignee, 'auto', true)))
		v (n, type, payload)
	WHERE v.n = 1 OR o.assignee IS NOT NULL ORDER BY v.n)
SELECT ticket_id FROM o;
COMMIT;
