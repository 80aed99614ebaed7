-- 007_warranty.sql — after-sales for the demo: the catalogue with warranty
-- terms, products the demo customers registered, a service contract that is
-- due for renewal, and a claim in every state with its history, so that a
-- newcomer sees the flow at once (portal: "My products"; console: Claims,
-- a ticket's Warranty panel, Reports → Warranty). Safe to load again:
-- nothing is duplicated. The batch's warranty step then approves or
-- reviews what is submitted and sends the renewal reminder.

INSERT INTO product_categories (name) VALUES ('Kitchen'), ('Networking'), ('Home')
ON CONFLICT (name) DO NOTHING;

UPDATE products p SET category_id = c.id, model = v.model, parts_months = v.parts,
	labour_months = v.labour, travel_covered = v.travel, warranty_basis = v.basis,
	serviceable = v.serviceable
FROM (VALUES
	('KT-200', 'Kitchen', 'AK-17', 24, 12, false, 'delivery', true),
	('RT-100', 'Networking', 'NR-AX3', 24, 24, false, 'invoice', true),
	('HB-300', 'Networking', 'HS-2', 12, 12, true, 'installation', true),
	('VC-450', 'Home', 'BV-450', 24, 6, false, 'delivery', false)
) AS v (sku, category, model, parts, labour, travel, basis, serviceable)
JOIN product_categories c ON c.name = v.category
WHERE p.sku = v.sku AND p.category_id IS NULL;

UPDATE customers SET time_zone = 'Europe/London' WHERE name = 'Northwind Traders'
	AND time_zone = 'UTC';
UPDATE customers SET time_zone = 'America/New_York' WHERE name = 'Pat Morgan'
	AND time_zone = 'UTC';

-- What they registered: one covered in full, one with parts only, one
-- expired, one covered by the contract after its own warranty ended.
INSERT INTO warranty_registrations (customer_id, product_id, serial, start_date, source,
	created_at)
SELECT u.customer_id, p.id, v.serial, current_date - v.age_days, v.source,
	now() - make_interval(days => v.age_days)
FROM (VALUES
	('carol@northwind.demo.csdesk.test', 'RT-100', 'NR-20931-B', 150, 'portal'),
	('carol@northwind.demo.csdesk.test', 'HB-300', 'HS-55120', 400, 'console'),
	('carol@northwind.demo.csdesk.test', 'VC-450', 'BV-0091', 600, 'portal'),
	('pat@demo.csdesk.test', 'KT-200', 'AK-778812', 240, 'portal'),
	('pat@demo.csdesk.test', 'VC-450', 'BV-0007', 1100, 'portal')
) AS v (email, sku, serial, age_days, source)
JOIN portal_users u ON u.email = v.email
JOIN products p ON p.sku = v.sku
ON CONFLICT (serial_key) DO NOTHING;

-- Northwind's care plan for its hub: parts, labour and travel, two visits,
-- premium response; it ends in three weeks, so its renewal reminder is due.
INSERT INTO service_contracts (customer_id, name, starts_on, ends_on, parts, labour, travel,
	visits, response_tier)
SELECT u.customer_id, 'Smart Hub care plan', current_date - 344, current_date + 21, true,
	true, true, 2, 'premium'
FROM portal_users u
WHERE u.email = 'carol@northwind.demo.csdesk.test'
	AND NOT EXISTS (SELECT 1 FROM service_contracts k WHERE k.customer_id = u.customer_id
		AND k.name = 'Smart Hub care plan');
INSERT INTO service_contract_items (contract_id, product_id)
SELECT k.id, p.id FROM service_contracts k JOIN products p ON p.sku = 'HB-300'
WHERE k.name = 'Smart Hub care plan'
	AND NOT EXISTS (SELECT 1 FROM service_contract_items i WHERE i.contract_id = k.id);

-- A claim in every state, each with the moves that brought it there (the
-- events a use case appends), by the people who made them.
DO $$
DECLARE
	c record;
	wid bigint;
	reg bigint;
	cust bigint;
	step text;
	prev text;
	alex bigint := (SELECT id FROM staff WHERE email = 'alex@demo.csdesk.test');
	sam bigint := (SELECT id FROM staff WHERE email = 'sam@demo.csdesk.test');
	kettle_ticket bigint := (SELECT id FROM tickets WHERE subject = 'Kettle lid does not close');
BEGIN
	FOR c IN SELECT * FROM (VALUES
		('BV-0091', 'draft', 'Brush roll stopped spinning.', 0, 0, 0, NULL, NULL, NULL, 0),
		('NR-20931-B', 'under_review', 'Router reboots every evening; the power supply whines.',
		 90, 230, 0, NULL, NULL, NULL, 0),
		('AK-778812', 'approved', 'The lid no longer clicks shut.', 0, 45, 0, NULL, NULL, NULL, 1),
		('AK-778812', 'submitted', 'The base wobbles and the light flickers.', 0, 0, 0, NULL,
		 NULL, NULL, 0),
		('BV-0091', 'rejected', 'Battery lasts five minutes.', 40, 120, 15,
		 'The battery is a wear part, covered for 6 months only.', NULL, NULL, 0),
		('HS-55120', 'fulfilled', 'Hub does not power on.', 60, 180, 25, NULL, 'replacement',
		 'HS-90412', 0),
		('BV-0007', 'closed', 'Motor burnt out after a power cut.', 50, 140, 0,
		 'Repaired as a goodwill gesture.', 'repair', NULL, 0)
	) AS v (serial, state, problem, labour, parts, shipping, reason, fulfilment, new_serial,
		from_ticket)
	LOOP
		SELECT g.id, g.customer_id INTO reg, cust FROM warranty_registrations g
		WHERE g.serial = c.serial;
		CONTINUE WHEN reg IS NULL OR EXISTS (SELECT 1 FROM warranty_claims w
			WHERE w.registration_id = reg AND w.problem = c.problem);
		INSERT INTO warranty_claims (registration_id, customer_id, ticket_id, problem, state,
			fulfilment, labour_cost, parts_cost, shipping_cost, labour_covered, parts_covered,
			shipping_covered, override_reason, override_by, last_reason,
			created_at, updated_at)
		SELECT reg, cust, CASE WHEN c.from_ticket = 1 THEN kettle_ticket END, c.problem,
			c.state, c.fulfilment, c.labour, c.parts, c.shipping,
			coalesce(v.labour_on, false) OR c.serial = 'BV-0007',
			coalesce(v.parts_on, false) OR c.serial = 'BV-0007', coalesce(v.travel_on, false),
			CASE WHEN c.serial = 'BV-0007' THEN 'Failed after a power surge in the area; goodwill.' END,
			CASE WHEN c.serial = 'BV-0007' THEN sam END, c.reason,
			now() - interval '3 days', now() - interval '1 day'
		FROM warranty_coverage v WHERE v.registration_id = reg
		RETURNING id INTO wid;
		INSERT INTO domain_events (aggregate, aggregate_id, type, actor_kind, actor_id, payload,
			occurred_at)
		VALUES ('warranty_claim', wid, 'warranty_claim.opened', 'staff', alex,
			jsonb_build_object('serial', c.serial), now() - interval '3 days');
		prev := 'draft';
		FOREACH step IN ARRAY CASE c.state
			WHEN 'draft' THEN ARRAY[]::text[]
			WHEN 'submitted' THEN ARRAY['submitted']
			WHEN 'under_review' THEN ARRAY['submitted', 'under_review']
			WHEN 'approved' THEN ARRAY['submitted', 'approved']
			WHEN 'rejected' THEN ARRAY['submitted', 'under_review', 'rejected']
			WHEN 'fulfilled' THEN ARRAY['submitted', 'under_review', 'approved', 'fulfilled']
			ELSE ARRAY['submitted', 'under_review', 'approved', 'fulfilled', 'closed'] END
		LOOP
			INSERT INTO domain_events (aggregate, aggregate_id, type, actor_kind, actor_id,
				payload, occurred_at)
			VALUES ('warranty_claim', wid, 'warranty_claim.moved',
				CASE WHEN step IN ('approved', 'rejected') AND c.state <> 'approved' THEN 'staff'
					WHEN step IN ('under_review', 'approved') THEN 'system' ELSE 'staff' END,
				CASE WHEN step IN ('approved', 'rejected') AND c.state <> 'approved' THEN sam
					WHEN step IN ('under_review', 'approved') THEN NULL ELSE alex END,
				jsonb_build_object('from', prev, 'to', step,
					'reason', CASE WHEN step = c.state THEN coalesce(c.reason, '') ELSE '' END,
					'fulfilment', CASE WHEN step = 'fulfilled' THEN coalesce(c.fulfilment, '')
						ELSE '' END),
				now() - interval '2 days');
			prev := step;
		END LOOP;
		-- The replacement unit has its own registration and warranty from today.
		IF c.new_serial IS NOT NULL THEN
			INSERT INTO warranty_registrations (customer_id, product_id, serial, start_date,
				source, replaces_id, created_by_staff)
			SELECT g.customer_id, g.product_id, c.new_serial, current_date - 1, 'replacement',
				g.id, alex
			FROM warranty_registrations g WHERE g.id = reg
			ON CONFLICT (serial_key) DO NOTHING;
			UPDATE warranty_claims SET replacement_id = (SELECT id FROM warranty_registrations
				WHERE serial = c.new_serial) WHERE id = wid;
		END IF;
	END LOOP;
END
$$;
