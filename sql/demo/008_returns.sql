-- 008_returns.sql — returns (RMA) to look at: a warehouse login, product
-- categories with their return windows, a policy with restocking fees, and
-- one return in every state with its history, units and money, so the
-- queue, the warehouse's pages, the portal's "My returns" and the report
-- have something on them at once. The returns are made as the use cases
-- would leave them (terms from return_terms, money from
-- return_settle_lines) but without their events: loading the demo mails
-- nobody. Safe to load again: nothing is duplicated.

INSERT INTO staff (email, name, password_hash, roles, team_id, languages)
SELECT 'wes@demo.csdesk.test', 'Wes Warehouse',
	'$argon2id$v=19$m=65536,t=2,p=1$SAxTiCFAv6mrH/WfI5Y3dw$dwGJPx5jbUf5KoC/U8KBx7wtFvttwtgpjYiBCrdOxig',
	ARRAY['warehouse'], t.id, ARRAY['en']
FROM teams t WHERE t.name = 'Returns'
ON CONFLICT (email) DO NOTHING;

INSERT INTO product_categories (name) VALUES ('Kitchen appliances'), ('Networking'), ('Cleaning')
ON CONFLICT (name) DO NOTHING;
-- Only products nobody has put in a category yet.
UPDATE products p SET category_id = c.id
FROM (VALUES ('KT-200', 'Kitchen appliances'), ('RT-100', 'Networking'), ('HB-300', 'Networking'),
	('VC-450', 'Cleaning')) AS v (sku, category)
JOIN product_categories c ON c.name = v.category
WHERE p.sku = v.sku AND p.category_id IS NULL;

INSERT INTO return_windows (category_id, days)
SELECT c.id, v.days FROM (VALUES ('Kitchen appliances', 30), ('Networking', 14), ('Cleaning', 60))
	AS v (category, days)
JOIN product_categories c ON c.name = v.category
ON CONFLICT (category_id) DO NOTHING;

-- The policy as a shop would start: small returns go through at once.
UPDATE return_policy SET auto_approve_max = 25, default_window_days = 30,
	ship_to = E'csdesk Returns\nUnit 4, Dock Road\nLeeds LS1 4AB\nUnited Kingdom'
WHERE ship_to = 'Returns department';

INSERT INTO return_fees (reason, from_days, kind, amount) VALUES
	('not_needed', 0, 'percent', 10), ('not_needed', 15, 'percent', 20)
ON CONFLICT (reason, from_days) DO NOTHING;

-- One return per state. steps: the states it went through, in order;
-- outcome: what each unit received was given (settled ones).
DO $$
DECLARE
	d record;
	rid bigint;
	lid bigint;
	at timestamptz;
	i int;
BEGIN
	IF EXISTS (SELECT 1 FROM return_lines WHERE order_ref LIKE 'DEMO-%') THEN
		RETURN;
	END IF;
	FOR d IN SELECT * FROM (VALUES
		('pat@demo.csdesk.test', 'KT-200', 1, 39.90, 'defective', 'exchange', 2,
			ARRAY['requested'], NULL::text, NULL::text,
			'The lid does not close any more.'),
		('carol@northwind.demo.csdesk.test', 'HB-300', 2, 12.50, 'wrong_item', 'return', 3,
			ARRAY['requested', 'approved'], NULL, NULL, 'We ordered the Hub Mini.'),
		('dev@northwind.demo.csdesk.test', 'RT-100', 1, 89.00, 'damaged_in_transit', 'return', 4,
			ARRAY['requested', 'approved', 'awaiting_shipment'], NULL, NULL,
			'The box arrived crushed.'),
		('pat@demo.csdesk.test', 'VC-450', 1, 149.00, 'defective', 'repair', 6,
			ARRAY['requested', 'approved', 'awaiting_shipment', 'received'], NULL, NULL,
			'Stops after two minutes.'),
		('carol@northwind.demo.csdesk.test', 'KT-200', 3, 39.90, 'not_needed', 'return', 10,
			ARRAY['requested', 'approved', 'awaiting_shipment', 'received', 'inspected'],
			NULL, NULL, 'Ordered too many for the office.'),
		('dev@northwind.demo.csdesk.test', 'HB-300', 1, 59.00, 'defective', 'exchange', 12,
			ARRAY['requested', 'approved', 'awaiting_shipment', 'received', 'inspected',
			'dispositioned'], 'repair', NULL, 'Does not pair with anything.'),
		('pat@demo.csdesk.test', 'KT-200', 1, 80.00, 'not_needed', 'return', 20,
			ARRAY['requested', 'approved', 'awaiting_shipment', 'received', 'inspected',
			'dispositioned', 'refunded'], 'restock', 'refund', 'A present I already had.'),
		('carol@northwind.demo.csdesk.test', 'RT-100', 1, 89.00, 'defective', 'exchange', 25,
			ARRAY['requested', 'approved', 'awaiting_shipment', 'received', 'inspected',
			'dispositioned', 'replaced'], 'return_to_vendor', 'replace',
			'Drops the connection every hour.'),
		('dev@northwind.demo.csdesk.test', 'VC-450', 1, 149.00, 'damaged_in_transit', 'credit',
			28, ARRAY['requested', 'approved', 'awaiting_shipment', 'received', 'inspected',
			'dispositioned', 'credited'], 'scrap', 'credit', 'Handle snapped in the box.'),
		('pat@demo.csdesk.test', 'HB-300', 1, 59.00, 'wrong_item', 'return', 40,
			ARRAY['requested', 'approved', 'awaiting_shipment', 'received', 'dispositioned',
			'refunded', 'closed'], 'restock', 'refund', 'Sent the white one, not the black.'),
		('carol@northwind.demo.csdesk.test', 'VC-450', 1, 149.00, 'not_needed', 'return', 9,
			ARRAY['requested', 'rejected'], NULL, NULL, 'Used for a month.'),
		('dev@northwind.demo.csdesk.test', 'KT-200', 1, 39.90, 'not_needed', 'return', 5,
			ARRAY['requested', 'approved', 'cancelled'], NULL, NULL, 'Changed my mind.')
	) AS v (email, sku, qty, price, reason, kind, days, steps, disposition, outcome, note)
	LOOP
		at := now() - d.days * interval '1 day';
		INSERT INTO returns (customer_id, requester_id, state, note, created_at, updated_at,
				outcome_note)
			SELECT u.customer_id, u.id, d.steps[cardinality(d.steps)], d.note, at,
				at + (cardinality(d.steps) - 1) * interval '1 day',
				CASE d.steps[cardinality(d.steps)]
				WHEN 'rejected' THEN 'Items used for more than a week cannot come back as not needed.'
				WHEN 'cancelled' THEN 'Cancelled by the customer.' ELSE '' END
			FROM portal_users u WHERE u.email = d.email
			RETURNING id INTO rid;
		CONTINUE WHEN rid IS NULL;
		INSERT INTO return_lines (return_id, position, product_id, serial, quantity, order_ref,
				delivered_on, unit_price, reason, request_type, window_until, fee_kind,
				fee_amount, needs_inspection, received)
			SELECT rid, 1, p.id, 'SN-' || upper(substr(md5(rid::text), 1, 8)), d.qty,
				'DEMO-' || (4000 + rid), (at - interval '5 days')::date, d.price, d.reason,
				d.kind, t.window_until, t.fee_kind, t.fee_amount, t.needs_inspection,
				CASE WHEN 'received' = ANY (d.steps) THEN d.qty ELSE 0 END
			FROM products p, return_terms(p.id, d.reason, (at - interval '5 days')::date,
				at::date) t
			WHERE p.sku = d.sku
			RETURNING id INTO lid;
		IF 'received' = ANY (d.steps) THEN
			INSERT INTO return_units (line_id, unit, condition, inspected, disposition, outcome)
				SELECT lid, g, CASE WHEN 'inspected' = ANY (d.steps) THEN 'As described.'
					ELSE '' END, 'inspected' = ANY (d.steps), d.disposition, d.outcome
				FROM generate_series(1, d.qty) g;
		END IF;
		IF d.outcome IS NOT NULL THEN
			PERFORM return_settle_lines(rid, false);
		END IF;
		FOR i IN 1 .. cardinality(d.steps) LOOP
			INSERT INTO return_steps (return_id, from_state, to_state, actor_kind, note,
					created_at)
				VALUES (rid, CASE WHEN i > 1 THEN d.steps[i - 1] END, d.steps[i],
					CASE WHEN i = 1 OR d.steps[i] = 'cancelled' THEN 'customer'
					ELSE 'staff' END,
					CASE d.steps[i] WHEN 'rejected'
					THEN 'Items used for more than a week cannot come back as not needed.'
					ELSE '' END, at + (i - 1) * interval '1 day');
		END LOOP;
	END LOOP;
END
$$;
