-- bench/create_ticket.sql — for pgbench (scripts/bench.sh): what a ticket
-- creation sends, as the console's role, in one transaction: the ticket
-- of ticket_open.c (routed, assigned, on the SLA clock and with its
-- history, written once by ticket_open_row) and its event. Run from many
-- clients, it shows whether concurrent creations wait for each other
-- inside PostgreSQL (the web rows go through as many connections as there
-- are workers).
-- A customer drawn at random among those there (a small database has
-- fewer than 5,000).
\set customer random(1, 5000)
BEGIN;
SELECT o.ticket_id AS id FROM (SELECT coalesce((SELECT id FROM customers WHERE id >= :customer
	ORDER BY id LIMIT 1), (SELECT min(id) FROM customers)) AS c) x,
	ticket_open_row(x.c, NULL, 'api', 'question', NULL, NULL, NULL,
	'Bench: the kettle stops heating', 'It clicks off after a few seconds and the water stays cold.',
	'normal', 'medium', NULL, NULL, 'system', NULL, NULL) o \gset
INSERT INTO domain_events (aggregate, aggregate_id, type, actor_kind, actor_id, payload)
VALUES ('ticket', :id, 'ticket.created', 'system', NULL, '{"channel": "api"}');
COMMIT;
