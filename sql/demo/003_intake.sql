-- 003_intake.sql — what the phone desk and the agents' lists start with: a
-- phone number for each demo customer (quick create finds them by it) and
-- a saved view Alex shares with the Service Desk team. Safe to load again.

UPDATE customers SET phone = '+1 555 0100 4242'
WHERE phone IS NULL AND id = (SELECT customer_id FROM portal_users
	WHERE email = 'pat@demo.csdesk.test');

INSERT INTO saved_views (staff_id, name, query, shared)
SELECT id, 'Open and urgent', 'status=open&priority=urgent', true
FROM staff WHERE email = 'alex@demo.csdesk.test'
ON CONFLICT (staff_id, name) DO NOTHING;

-- The five queues the product requirements name, each with its routing
-- rule (before "Refunds are high priority" and "Everything else to
-- General" of 002): sign-in trouble, orders, deliveries, payments and
-- refunds. Payments and refunds need the billing skill. Sample tickets in
-- each are in 011_automation.sql, which loads after these rules.
INSERT INTO queues (name, team_id, auto_assign, required_skill_id)
SELECT v.name, (SELECT id FROM teams WHERE name = 'Service Desk'), true,
	(SELECT id FROM skills WHERE name = v.skill)
FROM (VALUES ('Login', NULL), ('Orders', NULL), ('Deliveries', NULL), ('Payments', 'billing'),
	('Refunds', 'billing')) AS v (name, skill)
ON CONFLICT (name) DO NOTHING;

INSERT INTO routing_rules (position, name, if_category_id, if_keyword, set_queue_id, set_priority,
	set_tags)
SELECT v.pos, v.name, (SELECT id FROM categories WHERE name = v.category), v.keyword,
	(SELECT id FROM queues WHERE name = v.queue), v.priority, v.tags::text[]
FROM (VALUES
	(11, 'Refunds go to Refunds', NULL, 'refund', 'Refunds', 'high', '{refund}'),
	(12, 'Sign-in trouble goes to Login', 'Account access', NULL, 'Login', NULL, '{}'),
	(13, 'Delivery questions go to Deliveries', NULL, 'deliver', 'Deliveries', NULL, '{}'),
	(14, 'Payments go to Payments', 'Payments and refunds', NULL, 'Payments', NULL, '{}'),
	(15, 'Orders go to Orders', 'Orders and delivery', NULL, 'Orders', NULL, '{}'))
	AS v (pos, name, category, keyword, queue, priority, tags)
WHERE NOT EXISTS (SELECT 1 FROM routing_rules r WHERE r.name = v.name);
