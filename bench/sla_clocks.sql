-- bench/sla_clocks.sql — for `make bench` (scripts/bench.sh): starts the SLA
-- clocks of the open tickets `csdesk gen` made, as if they had all been
-- opened now, so that every one of them holds indexed due and warning times
-- and none is due yet. The due times depend only on the policy when every
-- clock starts at the same instant, so they are computed once per policy
-- (with the one add_business_minutes) and the tickets take them in one
-- UPDATE. Also adds a "no update for 48 hours" rule, so that the tick looks
-- through a stale-ticket window as well.
BEGIN;
CREATE TEMP TABLE bench_due ON COMMIT DROP AS
SELECT p.id, p.priority, p.tier, p.category_id,
	add_business_minutes(p.calendar_id, now(), p.first_response_minutes) AS fr,
	add_business_minutes(p.calendar_id, now(), sla_warn_minutes(p.first_response_minutes)) AS frw,
	add_business_minutes(p.calendar_id, now(), p.resolution_minutes) AS res,
	add_business_minutes(p.calendar_id, now(), sla_warn_minutes(p.resolution_minutes)) AS resw
FROM sla_policies p WHERE p.active AND p.category_id IS NULL;
UPDATE tickets t SET sla_policy_id = d.id, sla_started_at = now(),
	first_response_due_at = d.fr, first_response_warn_at = d.frw,
	resolution_due_at = d.res, resolution_warn_at = d.resw
FROM customers c, bench_due d
WHERE c.id = t.customer_id AND t.sla_started_at IS NULL
	AND t.status NOT IN ('resolved', 'closed', 'cancelled')
	AND d.priority = t.priority AND d.tier IS NOT DISTINCT FROM
		(CASE WHEN EXISTS (SELECT 1 FROM bench_due x WHERE x.priority = t.priority
			AND x.tier = c.tier) THEN c.tier END);
INSERT INTO escalation_rules (name, on_event, no_update_hours, notify, checked_until)
VALUES ('bench: no update for 48 hours', 'no_update', 48, 'supervisor',
	now() - interval '48 hours')
ON CONFLICT (name) DO NOTHING;
COMMIT;
ANALYZE tickets;
SELECT count(*) FROM tickets WHERE sla_check_at IS NOT NULL;
