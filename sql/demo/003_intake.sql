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
