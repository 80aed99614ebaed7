-- 029_customer_rates.sql — how fast a customer's account may open tickets
-- and reply (customer_limits.c reads them; the values of its constants
-- are the defaults, and stand in when a row is missing or unusable).
INSERT INTO settings (key, value) VALUES
	('customer_tickets_per_minute', '5'),
	('customer_tickets_per_hour', '30'),
	('customer_replies_per_minute', '10'),
	('customer_replies_per_hour', '120')
ON CONFLICT (key) DO NOTHING;
