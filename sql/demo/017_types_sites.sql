-- 017_types_sites.sql — ticket types, sub-categories and sites to look at:
-- sub-topics under the demo's topics (the portal's form offers them after
-- their topic), two sites for Northwind Traders (so Carol's form asks
-- which one), a routing rule for complaints and one for Northwind's
-- warehouse, and one complaint about a late delivery at the warehouse.
-- The ticket types themselves are the seed documents' list (046). Safe to
-- load again: every row is looked up before it is added.

INSERT INTO categories (name, position, parent_id)
SELECT v.name, v.pos, p.id
FROM (VALUES ('Late delivery', 1, 'Orders and delivery'),
	('Wrong or missing item', 2, 'Orders and delivery'),
	('Card declined', 1, 'Payments and refunds'),
	('Refund not received', 2, 'Payments and refunds'),
	('Password reset', 1, 'Account access')) AS v (name, pos, parent)
JOIN categories p ON p.name = v.parent
ON CONFLICT (name) DO NOTHING;

INSERT INTO customer_sites (customer_id, name, address)
SELECT c.id, v.name, v.address
FROM customers c,
	(VALUES ('Head office', '12 Fleet Street, London EC4Y 1AA'),
	('Warehouse', 'Unit 4, Aire Valley Park, Leeds LS10 1PQ')) AS v (name, address)
WHERE c.name = 'Northwind Traders'
ON CONFLICT (customer_id, name) DO NOTHING;

-- Before the queue rules of 002 and 003: the first rule that matches decides.
INSERT INTO routing_rules (position, name, if_type, set_priority, set_queue_id, set_tags)
SELECT 5, 'Complaints are high priority', 'complaint', 'high',
	(SELECT id FROM queues WHERE name = 'General'), '{complaint}'
WHERE NOT EXISTS (SELECT 1 FROM routing_rules WHERE name = 'Complaints are high priority');
INSERT INTO routing_rules (position, name, if_site, set_queue_id, set_tags)
SELECT 6, 'The Leeds warehouse goes to Deliveries', 'Leeds',
	(SELECT id FROM queues WHERE name = 'Deliveries'), '{leeds}'
WHERE NOT EXISTS (SELECT 1 FROM routing_rules
	WHERE name = 'The Leeds warehouse goes to Deliveries');

-- Carol's complaint, routed and assigned as the portal would.
DO $$
DECLARE
	uid bigint;
	cid bigint;
	tid bigint;
BEGIN
	SELECT u.id, u.customer_id INTO uid, cid FROM portal_users u
	WHERE u.email = 'carol@northwind.demo.csdesk.test';
	IF uid IS NULL OR EXISTS (SELECT 1 FROM tickets WHERE subject = 'Pallet three weeks late') THEN
		RETURN;
	END IF;
	INSERT INTO tickets (customer_id, requester_id, channel, type, category_id, site_id,
			subject, description)
		VALUES (cid, uid, 'portal', 'complaint',
			(SELECT id FROM categories WHERE name = 'Late delivery'),
			(SELECT id FROM customer_sites WHERE customer_id = cid AND name = 'Warehouse'),
			'Pallet three weeks late',
			'Order NW-2211 was due at the Leeds warehouse on the 3rd. Nobody answers the '
			'delivery line.')
		RETURNING id INTO tid;
	INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, new_value)
		VALUES (tid, 'customer', uid, 'created', 'portal');
	PERFORM ticket_route(tid);
	PERFORM ticket_auto_assign(tid);
	PERFORM sla_ticket_start(tid);
END
$$;

-- The follow-up chain of 011 counts business hours: three business days
-- (of eight hours) on the SLA calendar, so a request left pending on a
-- Friday is not reminded over the weekend.
UPDATE automation_rules r SET time_business = true, time_hours = v.hours
FROM (VALUES ('Pending customer: first reminder', 24),
	('Pending customer: second reminder', 48),
	('Pending customer: resolve after two reminders', 72)) AS v (name, hours)
WHERE r.name = v.name AND NOT r.time_business;
