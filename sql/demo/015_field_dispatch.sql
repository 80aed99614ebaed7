-- 015_field_dispatch.sql — dispatch to look at (after 013's technicians
-- and visits): vans, certifications of a skill (Theo's has expired, so the
-- ranking leaves his networking out and the technicians page shows it),
-- Theo's time off next week, and a visit booked for Carol of Northwind
-- tomorrow, so her portal shows a visit she can move or cancel. Made as
-- the use cases would leave them but without their events: loading the
-- demo mails nobody. Safe to load again: nothing is duplicated.

UPDATE technicians tc SET van_label = v.van
FROM (VALUES ('tina@demo.csdesk.test', 'Van 1 (Paris)'), ('theo@demo.csdesk.test', 'Van 2 (Lyon)'))
	AS v (email, van)
JOIN staff s ON s.email = v.email
WHERE tc.staff_id = s.id AND tc.van_label = '';

INSERT INTO technician_skills (staff_id, skill, level)
SELECT s.id, 'networking', 3 FROM staff s WHERE s.email = 'theo@demo.csdesk.test'
ON CONFLICT (staff_id, skill) DO NOTHING;

INSERT INTO technician_certifications (staff_id, name, skill, expires_on)
SELECT s.id, v.name, v.skill, current_date + v.days
FROM (VALUES ('tina@demo.csdesk.test', 'Appliance safety', 'appliance repair', 400),
	('theo@demo.csdesk.test', 'Network cabling', 'networking', -10)) AS v (email, name, skill, days)
JOIN staff s ON s.email = v.email
WHERE NOT EXISTS (SELECT 1 FROM technician_certifications c WHERE c.staff_id = s.id
	AND c.name = v.name);

-- Monday to Wednesday of next week, where Theo works (UTC).
INSERT INTO technician_time_off (staff_id, during, reason)
SELECT s.id, tstzrange((date_trunc('week', current_date)::date + 7)::timestamp AT TIME ZONE 'UTC',
	(date_trunc('week', current_date)::date + 10)::timestamp AT TIME ZONE 'UTC'), 'Training'
FROM staff s WHERE s.email = 'theo@demo.csdesk.test'
	AND NOT EXISTS (SELECT 1 FROM technician_time_off o WHERE o.staff_id = s.id);

-- Carol's visit: tomorrow 13:00–15:00 UTC with Tina (her buffer around it).
INSERT INTO appointments (ticket_id, customer_id, technician_id, postcode, address, summary,
	starts_at, ends_at, busy)
SELECT t.id, t.customer_id, tc.staff_id, '75008', '40 rue du Faubourg, Paris',
	'Printer paper feed check', w.s, w.e,
	tstzrange(w.s - make_interval(mins => tc.travel_buffer_min),
		w.e + make_interval(mins => tc.travel_buffer_min))
FROM (SELECT ((current_date + 1) + time '13:00') AT TIME ZONE 'UTC' AS s,
	((current_date + 1) + time '15:00') AT TIME ZONE 'UTC' AS e) w
CROSS JOIN LATERAL (SELECT t.id, t.customer_id FROM tickets t
	JOIN portal_users u ON u.id = t.requester_id
	WHERE u.email = 'carol@northwind.demo.csdesk.test' ORDER BY t.id LIMIT 1) t
JOIN staff s ON s.email = 'tina@demo.csdesk.test'
JOIN technicians tc ON tc.staff_id = s.id
WHERE NOT EXISTS (SELECT 1 FROM appointments a WHERE a.summary = 'Printer paper feed check');
