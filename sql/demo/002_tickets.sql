-- 002_tickets.sql — what the help desk works with: categories, products,
-- queues, resolution codes, routing rules, and a few requests from the
-- demo customers (001_people.sql) with a short conversation each. Safe to
-- load again: every row is looked up before it is added. Counters and
-- agents' loads follow from the tickets table's triggers.

INSERT INTO categories (name, position) VALUES
	('Account access', 1), ('Orders and delivery', 2), ('Payments and refunds', 3),
	('Warranty and returns', 4), ('Product troubleshooting', 5)
ON CONFLICT (name) DO NOTHING;

INSERT INTO products (sku, name) VALUES
	('KT-200', 'Aurora Kettle 1.7 l'), ('RT-100', 'Nimbus Wi-Fi Router'),
	('HB-300', 'Halo Smart Hub'), ('VC-450', 'Breeze Cordless Vacuum')
ON CONFLICT (sku) DO NOTHING;

INSERT INTO queues (name, team_id, auto_assign, required_skill_id)
SELECT 'General', (SELECT id FROM teams WHERE name = 'Service Desk'), true, NULL
ON CONFLICT (name) DO NOTHING;
INSERT INTO queues (name, team_id, auto_assign, required_skill_id)
SELECT 'Returns', (SELECT id FROM teams WHERE name = 'Service Desk'), false,
	(SELECT id FROM skills WHERE name = 'returns')
ON CONFLICT (name) DO NOTHING;

INSERT INTO resolution_codes (code, label) VALUES
	('fixed', 'Fixed'), ('workaround', 'Workaround given'), ('duplicate', 'Duplicate'),
	('not_reproducible', 'Could not reproduce'), ('customer_education', 'Explained how it works')
ON CONFLICT (code) DO NOTHING;

INSERT INTO routing_rules (position, name, if_category_id, set_queue_id, set_tags)
SELECT 10, 'Warranty and returns go to Returns',
	(SELECT id FROM categories WHERE name = 'Warranty and returns'),
	(SELECT id FROM queues WHERE name = 'Returns'), '{returns}'
WHERE NOT EXISTS (SELECT 1 FROM routing_rules WHERE name = 'Warranty and returns go to Returns');
INSERT INTO routing_rules (position, name, if_keyword, set_priority, set_queue_id, set_tags)
SELECT 20, 'Refunds are high priority', 'refund', 'high',
	(SELECT id FROM queues WHERE name = 'General'), '{refund}'
WHERE NOT EXISTS (SELECT 1 FROM routing_rules WHERE name = 'Refunds are high priority');
INSERT INTO routing_rules (position, name, if_tier, set_priority, set_queue_id)
SELECT 30, 'VIP customers first', 'vip', 'urgent', (SELECT id FROM queues WHERE name = 'General')
WHERE NOT EXISTS (SELECT 1 FROM routing_rules WHERE name = 'VIP customers first');
INSERT INTO routing_rules (position, name, set_queue_id)
SELECT 100, 'Everything else to General', (SELECT id FROM queues WHERE name = 'General')
WHERE NOT EXISTS (SELECT 1 FROM routing_rules WHERE name = 'Everything else to General');

-- The requests: created as the portal would (routing rule, event), then
-- answered by Alex, some waiting, one solved and confirmed.
DO $$
DECLARE
	d record;
	tid bigint;
	uid bigint;
	cid bigint;
	agent bigint := (SELECT id FROM staff WHERE email = 'alex@demo.csdesk.test');
	code bigint := (SELECT id FROM resolution_codes WHERE code = 'fixed');
BEGIN
	FOR d IN SELECT * FROM (VALUES
		('carol@northwind.demo.csdesk.test', 'Router drops Wi-Fi every evening',
		 E'Since the last firmware update our **Nimbus router** loses Wi-Fi around 18:00 every day.\n\nRestarting it helps for an hour or so.',
		 'Product troubleshooting', 'RT-100', 'NR-20931-B', 'high',
		 E'Thanks for the details, Carol. Could you tell us the firmware version shown under *Settings → About*?',
		 E'It says 2.4.1.', 'pending_customer'),
		('carol@northwind.demo.csdesk.test', 'Refund for a duplicate payment',
		 E'Order 10442 was charged twice on our card. Please refund the second payment.',
		 'Payments and refunds', NULL, NULL, 'normal',
		 E'We are sorry about that. The duplicate payment is refunded; it will show on your statement within 5 working days.',
		 NULL, 'resolved'),
		('pat@demo.csdesk.test', 'Kettle lid does not close',
		 E'The lid of my Aurora kettle no longer clicks shut, so it does not switch off by itself. It is 8 months old.',
		 'Warranty and returns', 'KT-200', 'AK-778812', 'normal',
		 E'That is covered by the warranty. We will send you a prepaid return label by e-mail.',
		 E'Thank you, label received.', 'closed'),
		('pat@demo.csdesk.test', 'Cannot sign in to the app',
		 E'The mobile app says my password is wrong, but it works on the website.',
		 'Account access', NULL, NULL, 'low', NULL, NULL, 'new')
	) AS v (email, subject, body, category, sku, serial, urgency, reply, answer, status)
	LOOP
		SELECT u.id, u.customer_id INTO uid, cid FROM portal_users u WHERE u.email = d.email;
		CONTINUE WHEN uid IS NULL OR EXISTS (SELECT 1 FROM tickets
			WHERE customer_id = cid AND subject = d.subject);
		INSERT INTO tickets (customer_id, requester_id, channel, category_id, product_id, serial,
				subject, description, urgency, priority, created_at, updated_at)
			VALUES (cid, uid, 'portal', (SELECT id FROM categories WHERE name = d.category),
				(SELECT id FROM products WHERE sku = d.sku), d.serial, d.subject, d.body,
				d.urgency, CASE d.urgency WHEN 'low' THEN 'low' WHEN 'high' THEN 'high'
					ELSE 'medium' END,
				now() - interval '3 days', now() - interval '3 days')
			RETURNING id INTO tid;
		INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, new_value, created_at)
			VALUES (tid, 'customer', uid, 'created', 'portal', now() - interval '3 days');
		PERFORM ticket_route(tid);
		CONTINUE WHEN d.status = 'new';
		UPDATE tickets SET assignee_id = agent, status = 'assigned', version = version + 1
			WHERE id = tid;
		INSERT INTO ticket_events (ticket_id, actor_kind, field, new_value, created_at)
			VALUES (tid, 'system', 'assignee', agent::text, now() - interval '3 days');
		INSERT INTO ticket_comments (ticket_id, kind, author_staff_id, body, minutes_spent,
				created_at)
			VALUES (tid, 'public', agent, d.reply, 10, now() - interval '2 days');
		INSERT INTO ticket_comments (ticket_id, kind, author_staff_id, body, created_at)
			VALUES (tid, 'internal', agent, 'Checked the order history; nothing unusual.',
				now() - interval '2 days');
		INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, new_value, created_at)
			VALUES (tid, 'staff', agent, 'comment', 'public', now() - interval '2 days'),
				(tid, 'staff', agent, 'comment', 'internal', now() - interval '2 days'),
				(tid, 'staff', agent, 'status', d.status, now() - interval '2 days');
		IF d.answer IS NOT NULL THEN
			INSERT INTO ticket_comments (ticket_id, kind, author_user_id, body, created_at)
				VALUES (tid, 'public', uid, d.answer, now() - interval '1 day');
			INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, new_value,
					created_at)
				VALUES (tid, 'customer', uid, 'comment', 'public', now() - interval '1 day');
		END IF;
		UPDATE tickets SET status = d.status, version = version + 1,
			first_response_at = now() - interval '2 days',
			resolved_at = CASE WHEN d.status IN ('resolved', 'closed')
				THEN now() - interval '1 day' END,
			closed_at = CASE WHEN d.status = 'closed' THEN now() - interval '12 hours' END,
			resolution_code_id = CASE WHEN d.status IN ('resolved', 'closed') THEN code END,
			rating = CASE WHEN d.status = 'closed' THEN 5 END,
			updated_at = now() - interval '1 day'
		WHERE id = tid;
	END LOOP;
END
$$;
