-- 010_analytics.sql — what a newcomer needs to see the dashboards and
-- reports at once: survey answers from the demo customers over the last
-- four weeks (so CSAT, NPS and CES have values and trends), Sam
-- Supervisor's weekly mailed report with KPI alerts, and the rollup of
-- those days (the batch keeps it up to date from then on). Safe to load
-- again: answers and the subscription are added only once.

INSERT INTO survey_responses (kind, score, customer_id, ticket_id, team_id, agent_id,
	answered_at)
SELECT v.kind, v.score, t.customer_id, t.id, t.team_id, t.assignee_id,
	now() - (x.n * interval '19 hours')
FROM (SELECT row_number() OVER (ORDER BY id) AS rn, * FROM tickets ORDER BY id LIMIT 6) t
CROSS JOIN LATERAL (VALUES
	(1, 'csat', (ARRAY[5, 4, 5, 3, 5, 2])[t.rn::int]),
	(2, 'nps', (ARRAY[10, 9, 7, 10, 6, 9])[t.rn::int]),
	(3, 'ces', (ARRAY[6, 7, 5, 6, 3, 7])[t.rn::int])) AS v (k, kind, score)
CROSS JOIN LATERAL (SELECT (t.rn * 5 + v.k * 7) % 28 AS n) x
WHERE NOT EXISTS (SELECT 1 FROM survey_responses);

INSERT INTO report_subscriptions (staff_id, report, dimension, grain, frequency, weekday,
	hour, time_zone, alerts, next_run_at)
SELECT s.id, 'overview', 'all', 'week', 'weekly', 1, 8, 'Europe/Paris', true,
	report_next_run('weekly', 1, NULL, 8, 'Europe/Paris', now())
FROM staff s WHERE s.email = 'sam@demo.csdesk.test'
	AND NOT EXISTS (SELECT 1 FROM report_subscriptions r WHERE r.staff_id = s.id);

SELECT count(analytics_rollup_day(d::date, coalesce((SELECT value FROM settings
	WHERE key = 'metrics_time_zone'), 'UTC')))
FROM generate_series(now() - interval '29 days', now(), interval '1 day') d;
