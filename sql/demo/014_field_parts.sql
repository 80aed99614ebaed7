-- 014_field_parts.sql — service parts to look at: a catalogue (one part
-- obsolete and replaced, one serial-tracked loaner), a warehouse in Paris
-- and one in Lyon, Tina's and Theo's vans with stock and replenishment
-- rules (Theo's van is below its min for the ignition board, so the
-- nightly proposal has something to propose), and the parts used on the
-- job Tina completed this morning (013), with its charges as the job
-- report and the reports read them. Every level is what its movements
-- add up to. Made as the use cases would leave them but without their
-- events. Safe to load again: nothing is duplicated.

INSERT INTO parts (number, name, cost, price, serial_tracked)
VALUES ('P-100', 'Ignition board', 38.00, 95.00, false),
	('P-200', 'Drain pump (old model)', 22.00, 60.00, false),
	('P-210', 'Drain pump', 24.00, 64.00, false),
	('P-300', 'Door seal', 6.50, 18.00, false),
	('L-10', 'Loaner fan heater', 30.00, 0.00, true)
ON CONFLICT DO NOTHING;
UPDATE parts SET replaced_by = (SELECT id FROM parts WHERE number = 'P-210'), active = false
WHERE number = 'P-200' AND replaced_by IS NULL;

-- What they fit: the kitchen products of the warranty demo.
INSERT INTO part_products (part_id, product_id)
SELECT p.id, pr.id FROM parts p JOIN products pr ON pr.sku IN ('KT-200', 'VC-450')
WHERE p.number IN ('P-210', 'P-300', 'P-100')
ON CONFLICT DO NOTHING;

INSERT INTO stock_locations (name, kind) VALUES ('Paris warehouse', 'warehouse'),
	('Lyon warehouse', 'warehouse')
ON CONFLICT (name) DO NOTHING;
INSERT INTO stock_locations (name, kind, technician_id, source_id)
SELECT v.name, 'van', s.id, w.id
FROM (VALUES ('Van 1', 'tina@demo.csdesk.test', 'Paris warehouse'),
	('Van 2', 'theo@demo.csdesk.test', 'Lyon warehouse')) AS v (name, email, source)
JOIN staff s ON s.email = v.email JOIN stock_locations w ON w.name = v.source
ON CONFLICT DO NOTHING;

-- Receipts into the warehouses and transfers into the vans, once.
INSERT INTO stock_movements (kind, part_id, from_id, to_id, qty, created_at)
SELECT m.kind, p.id, f.id, t.id, m.qty, now() - make_interval(days => m.days)
FROM (VALUES
	('receipt', 'P-100', NULL::text, 'Paris warehouse', 12, 20),
	('receipt', 'P-210', NULL, 'Paris warehouse', 10, 20),
	('receipt', 'P-300', NULL, 'Paris warehouse', 30, 20),
	('receipt', 'L-10', NULL, 'Paris warehouse', 4, 20),
	('receipt', 'P-100', NULL, 'Lyon warehouse', 6, 20),
	('receipt', 'P-210', NULL, 'Lyon warehouse', 4, 20),
	('receipt', 'P-200', NULL, 'Lyon warehouse', 3, 200),
	('transfer', 'P-100', 'Paris warehouse', 'Van 1', 3, 10),
	('transfer', 'P-210', 'Paris warehouse', 'Van 1', 3, 10),
	('transfer', 'P-300', 'Paris warehouse', 'Van 1', 6, 10),
	('transfer', 'L-10', 'Paris warehouse', 'Van 1', 2, 10),
	('transfer', 'P-100', 'Lyon warehouse', 'Van 2', 1, 10),
	('transfer', 'P-210', 'Lyon warehouse', 'Van 2', 2, 10)
) AS m (kind, part, from_name, to_name, qty, days) JOIN parts p ON p.number = m.part
LEFT JOIN stock_locations f ON f.name = m.from_name JOIN stock_locations t ON t.name = m.to_name
WHERE NOT EXISTS (SELECT 1 FROM stock_movements);

-- The levels the movements add up to (before the job below), and the rules.
INSERT INTO stock_levels (location_id, part_id, on_hand, min_qty, max_qty, order_multiple,
	last_out_at)
SELECT l.id, p.id, x.qty, coalesce(r.min_qty, 0), coalesce(r.max_qty, 0),
	coalesce(r.multiple, 1), x.last_out
FROM (SELECT loc, part_id, sum(q)::int AS qty, max(out_at) AS last_out FROM (
	SELECT to_id AS loc, part_id, qty AS q, NULL::timestamptz AS out_at FROM stock_movements
	UNION ALL SELECT from_id, part_id, -qty, created_at FROM stock_movements
		WHERE from_id IS NOT NULL) s GROUP BY loc, part_id) x
JOIN stock_locations l ON l.id = x.loc JOIN parts p ON p.id = x.part_id
LEFT JOIN (VALUES ('Van 1', 'P-100', 2, 4, 2), ('Van 1', 'P-210', 2, 4, 1),
	('Van 1', 'P-300', 4, 8, 4), ('Van 2', 'P-100', 2, 6, 2), ('Van 2', 'P-210', 1, 3, 1),
	('Paris warehouse', 'P-100', 6, 20, 10), ('Lyon warehouse', 'P-100', 4, 12, 6))
	AS r (loc, part, min_qty, max_qty, multiple) ON r.loc = l.name AND r.part = p.number
ON CONFLICT (location_id, part_id) DO NOTHING;

-- Tina's completed job: a drain pump installed and a door seal consumed
-- from Van 1, and a fan heater lent for three days; each a use movement.
WITH job AS (
	SELECT ap.id, ap.ticket_id, ap.customer_id, ap.technician_id, ap.completed_at
	FROM appointments ap WHERE ap.status = 'completed' ORDER BY ap.id LIMIT 1
), van AS (SELECT id FROM stock_locations WHERE name = 'Van 1'),
used AS (
	INSERT INTO part_usages (ticket_id, appointment_id, customer_id, technician_id, part_id,
		location_id, kind, qty, serial, unit_cost, unit_price, due_on, token, created_at)
	SELECT job.ticket_id, job.id, job.customer_id, job.technician_id, p.id, van.id, u.kind,
		u.qty, u.serial, p.cost, p.price,
		CASE WHEN u.kind = 'loaner' THEN current_date + 3 END, 'demo-' || u.part,
		job.completed_at - interval '20 minutes'
	FROM job, van, (VALUES ('P-210', 'installed', 1, NULL), ('P-300', 'consumed', 1, NULL),
	('L-10', 'loaner', 1, 'FH-0042')) AS u (part, kind, qty, serial)
	JOIN parts p ON p.number = u.part
	WHERE NOT EXISTS (SELECT 1 FROM part_usages)
	RETURNING id, part_id, location_id, qty, created_at
), moved AS (
	INSERT INTO stock_movements (kind, part_id, from_id, qty, usage_id, created_at)
	SELECT 'use', part_id, location_id, qty, id, created_at FROM used
	RETURNING part_id, from_id, qty
)
UPDATE stock_levels v SET on_hand = v.on_hand - m.qty, last_out_at = now()
FROM moved m WHERE v.location_id = m.from_id AND v.part_id = m.part_id;

-- The job's charges as the parts_charges consumer stores them on completion
-- (labour and travel at the rates of the settings, the parts kept at
-- their price; nothing covered: the ticket names no registered serial).
INSERT INTO job_charges (appointment_id, labour, travel, parts, parts_cost, covered,
	covered_warranty, covered_contract)
SELECT ap.id, round(coalesce(ap.labour_min, 0) * r.labour / 60, 2),
	round(coalesce(ap.travel_min, 0) * r.travel / 60, 2),
	coalesce((SELECT sum(u.qty * u.unit_price) FROM part_usages u WHERE u.appointment_id = ap.id
		AND u.kind <> 'loaner'), 0),
	coalesce((SELECT sum(u.qty * u.unit_cost) FROM part_usages u WHERE u.appointment_id = ap.id
		AND u.kind <> 'loaner'), 0), 0, 0, 0
FROM appointments ap, (SELECT
	(SELECT value::numeric FROM settings WHERE key = 'field_labour_rate') AS labour,
	(SELECT value::numeric FROM settings WHERE key = 'field_travel_rate') AS travel) r
WHERE ap.status = 'completed'
ON CONFLICT (appointment_id) DO NOTHING;
