-- bench/automation_rules.sql — for `make bench` (scripts/bench_automation.sh):
-- :n active rules like a large desk's, none of which has anything to do
-- now: four in five triggers on ticket events whose conditions hold for no
-- generated ticket, one in five automations on hours since a status
-- change, creation or update whose windows are empty (they have looked up
-- to now). Named "bench rule N": loading again tops up to :n.
INSERT INTO automation_rules (position, name, on_event, time_basis, time_hours, if_status,
	if_priority, if_text, add_tags, checked_until)
SELECT i, 'bench rule ' || i,
	CASE WHEN i % 5 = 0 THEN 'time' ELSE (ARRAY['created', 'updated', 'status_changed',
		'priority_changed', 'customer_replied'])[1 + i % 5] END,
	CASE WHEN i % 5 = 0 THEN (ARRAY['status', 'created', 'updated'])[1 + (i / 5) % 3] END,
	CASE WHEN i % 5 = 0 THEN 24 + i END,
	CASE WHEN i % 5 = 0 THEN 'pending_customer' END,
	(ARRAY['low', 'medium', 'high', 'urgent', 'critical'])[1 + i % 5],
	'bench-never-' || i, ARRAY['bench'],
	now() - make_interval(hours => 24 + i)
FROM generate_series(1, :n) i
ON CONFLICT (name) DO NOTHING;
SELECT count(*) FROM automation_rules WHERE active;
