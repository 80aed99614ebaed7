-- 013_field_service.sql — field service to look at: two technicians (Tina
-- from the people demo and Theo) with skills and territories, visits today
-- and tomorrow on demo tickets (one waiting for a technician, so the
-- dispatch suggestions have something to rank), and one job done this
-- morning with check-in, check-out and the customer's signature. Made as
-- the use cases would leave them but without their events: loading the
-- demo mails nobody. Safe to load again: nothing is duplicated.

INSERT INTO staff (email, name, password_hash, roles, team_id, languages, work_days,
	work_start, work_end)
SELECT 'theo@demo.csdesk.test', 'Theo Technician',
	'$argon2id$v=19$m=65536,t=2,p=1$SAxTiCFAv6mrH/WfI5Y3dw$dwGJPx5jbUf5KoC/U8KBx7wtFvttwtgpjYiBCrdOxig',
	ARRAY['technician'], t.id, ARRAY['en'], '{1,2,3,4,5,6,7}', '07:00', '19:00'
FROM teams t WHERE t.name = 'Field Service'
ON CONFLICT (email) DO NOTHING;
-- The demo is looked at on any day: both work every day.
UPDATE staff SET work_days = '{1,2,3,4,5,6,7}', work_start = '07:00', work_end = '19:00'
WHERE email IN ('tina@demo.csdesk.test', 'theo@demo.csdesk.test');

INSERT INTO technicians (staff_id, territory, home_base, travel_buffer_min)
SELECT s.id, v.territory, v.base, v.buffer
FROM (VALUES ('tina@demo.csdesk.test', '{75,92}'::text[], 'Paris depot', 30),
	('theo@demo.csdesk.test', '{69,38}'::text[], 'Lyon depot', 45)) AS v (email, territory, base,
	buffer)
JOIN staff s ON s.email = v.email
ON CONFLICT (staff_id) DO NOTHING;

INSERT INTO technician_skills (staff_id, skill, level)
SELECT s.id, v.skill, v.level
FROM (VALUES ('tina@demo.csdesk.test', 'appliance repair', 4),
	('tina@demo.csdesk.test', 'networking', 2),
	('theo@demo.csdesk.test', 'appliance repair', 2)) AS v (email, skill, level)
JOIN staff s ON s.email = v.email
ON CONFLICT (staff_id, skill) DO NOTHING;

INSERT INTO technician_certifications (staff_id, name, expires_on)
SELECT s.id, 'Gas Safe', current_date + 200 FROM staff s
WHERE s.email = 'tina@demo.csdesk.test'
	AND NOT EXISTS (SELECT 1 FROM technician_certifications c WHERE c.staff_id = s.id);

-- Four visits on the oldest demo tickets, once: the window in UTC, the
-- busy range widened by the technician's buffer (what field_book writes).
INSERT INTO appointments (ticket_id, customer_id, technician_id, skill, postcode, address,
	summary, starts_at, ends_at, busy, status, checkin_at, checkin_lat, checkin_lon,
	checkin_accuracy_m, checkin_token, checkout_at, checkout_lat, checkout_lon,
	checkout_accuracy_m, checkout_token, work_notes, labour_min, travel_min, signature_png,
	signature_sha256, completed_at)
SELECT t.id, t.customer_id, s.id, 'appliance repair', v.postcode, v.address, v.summary,
	w.s, w.e, tstzrange(w.s - make_interval(mins => coalesce(tc.travel_buffer_min, 0)),
		w.e + make_interval(mins => coalesce(tc.travel_buffer_min, 0))),
	v.status,
	CASE WHEN v.done THEN w.s + interval '5 minutes' END,
	CASE WHEN v.done THEN 48.8647 END, CASE WHEN v.done THEN 2.3780 END,
	CASE WHEN v.done THEN 15 END, CASE WHEN v.done THEN 'demo-in' END,
	CASE WHEN v.done THEN w.e - interval '5 minutes' END,
	CASE WHEN v.done THEN 48.8647 END, CASE WHEN v.done THEN 2.3780 END,
	CASE WHEN v.done THEN 12 END, CASE WHEN v.done THEN 'demo-out' END,
	CASE WHEN v.done THEN 'Replaced the drain pump; tested a full cycle.' ELSE '' END,
	CASE WHEN v.done THEN 50 END, CASE WHEN v.done THEN 25 END,
	CASE WHEN v.done THEN decode(p.png, 'base64') END,
	CASE WHEN v.done THEN encode(sha256(decode(p.png, 'base64')), 'hex') END,
	CASE WHEN v.done THEN w.e END
FROM (VALUES
	(1, 'tina@demo.csdesk.test', 0, '08:00', '09:00', '75011', '3 rue Oberkampf, Paris',
		'Dishwasher does not drain', 'completed', true),
	(2, 'tina@demo.csdesk.test', 0, '11:00', '12:00', '75004', '12 rue de Rivoli, Paris',
		'Washing machine noisy on spin', 'booked', false),
	(3, 'theo@demo.csdesk.test', 1, '10:00', '11:30', '69002', '8 quai Saint-Antoine, Lyon',
		'Oven does not heat', 'booked', false),
	(4, NULL, 1, '14:00', '15:00', '92100', '5 avenue Foch, Boulogne',
		'Router install', 'booked', false)
) AS v (nth, email, days, from_t, to_t, postcode, address, summary, status, done)
CROSS JOIN LATERAL (SELECT ((current_date + v.days) + v.from_t::time) AT TIME ZONE 'UTC' AS s,
	((current_date + v.days) + v.to_t::time) AT TIME ZONE 'UTC' AS e) w
JOIN LATERAL (SELECT id, customer_id FROM tickets ORDER BY id OFFSET v.nth - 1 LIMIT 1) t ON true
LEFT JOIN staff s ON s.email = v.email
LEFT JOIN technicians tc ON tc.staff_id = s.id
CROSS JOIN (SELECT 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAACklEQVR4nGMAAQAABQABDQottAAAAABJRU5ErkJggg=='
	AS png) p
WHERE NOT EXISTS (SELECT 1 FROM appointments);
