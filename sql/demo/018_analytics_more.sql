-- 018_analytics_more.sql — what a newcomer needs to see the later
-- analytics at once: an hourly cost (so cost per resolution has a value;
-- Admin → KPI targets), Sam Supervisor's daily "Workload and cost" report
-- with its PDF attached, due at once (the first batch run mails it: Admin
-- → Mail outbox, and the SMTP sink of `make run`), and the last four
-- weeks rolled up again so utilisation, response rate and QA score have
-- their counts. Safe to load again: the cost is set and the subscription
-- added only once.

UPDATE settings SET value = '42.00', updated_at = now()
WHERE key = 'analytics_hourly_cost' AND value = '';

INSERT INTO report_subscriptions (staff_id, report, dimension, grain, frequency, hour,
	time_zone, attachment, next_run_at)
SELECT s.id, 'workload', 'agent', 'day', 'daily', 8, 'Europe/Paris', 'pdf', now()
FROM staff s WHERE s.email = 'sam@demo.csdesk.test'
	AND NOT EXISTS (SELECT 1 FROM report_subscriptions r WHERE r.staff_id = s.id
		AND r.report = 'workload');

SELECT count(analytics_rollup_day(d::date, coalesce((SELECT value FROM settings
	WHERE key = 'metrics_time_zone'), 'UTC')))
FROM generate_series(now() - interval '29 days', now(), interval '1 day') d;
