-- bench/create_ticket.sql — for pgbench (scripts/bench.sh): what a ticket
-- creation sends, as the console's role, in one transaction: the INSERT of
-- ticket_open.c, then its first history row, routing, automatic
-- assignment and the SLA clock. Run from many clients, it shows whether
-- concurrent creations wait for each other inside PostgreSQL (the web
-- rows go through as many connections as there are workers).
-- A customer drawn at random among those there (a small database has
-- fewer than 5,000).
\set customer random(1, 5000)
BEGIN;
INSERT INTO tickets (customer_id, requester_id, channel, type, subject, description, urgency,
	priority, language)
SELECT coalesce((SELECT id FROM customers WHERE id >= :customer ORDER BY id LIMIT 1),
	(SELECT min(id) FROM customers)), NULL, 'api', 'question', 'Bench: the kettle stops heating',
	'It clicks off after a few seconds and the water stays cold.', 'normal', 'medium', 'en'
RETURNING id \gset
WITH h AS (INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, new_value)
	VALUES (:id, 'system', NULL, 'created', 'api') RETURNING id),
r AS (SELECT ticket_route(:id) AS queue FROM h),
a AS (SELECT ticket_auto_assign(:id) AS agent FROM r),
s AS (SELECT sla_ticket_start(:id) AS clock FROM a)
SELECT a.agent, s.clock FROM a, s;
COMMIT;
