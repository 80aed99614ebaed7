-- bench/site_batch.sql — for `make bench` (scripts/bench_site.sh): the
-- batch's business-hours and webhook steps as a desk runs them, added to
-- bench/automation_rules.sql's 200 rules.
--
-- The follow-up chain counted in business hours (the demo's: a reminder
-- after 24 and 48 business hours in pending customer, resolved after 72),
-- on each ticket's calendar, as rules that have looked up to now (a new
-- rule's 30-day look-back is taken 2,000 tickets a tick, a one-off);
-- and two webhooks that want every ticket event, posting to :'hook' (a
-- receiver scripts/bench_site.sh starts). The webhooks start with the
-- events from now on, as a webhook registered now does.
INSERT INTO automation_rules (position, name, on_event, time_basis, time_hours, if_status,
	time_business, mail_to, mail_subject, mail_body, checked_until)
SELECT 9000 + v.h, 'bench business reminder ' || v.h, 'time', 'status', v.h,
	'pending_customer', true, 'customer', 'Are you still there?', 'We wait for your answer.',
	now() - make_interval(hours => v.h + 1)
FROM (VALUES (24), (48), (72)) v (h)
ON CONFLICT (name) DO NOTHING;
INSERT INTO webhooks (name, url, events, secret)
SELECT 'bench hook ' || i, :'hook', ARRAY['ticket.created', 'ticket.replied', 'ticket.noted',
	'ticket.status_changed', 'ticket.assigned', 'ticket.fields_changed', 'ticket.merged'],
	encode(sha256(('bench hook ' || i)::bytea), 'hex')
FROM generate_series(1, 2) i
ON CONFLICT (name) DO UPDATE SET url = excluded.url, active = true;
UPDATE event_cursors c SET tx = e.tx, last_id = e.id
FROM (SELECT tx, id FROM domain_events WHERE tx < pg_snapshot_xmin(pg_current_snapshot())
	ORDER BY tx DESC, id DESC LIMIT 1) e
WHERE c.consumer = 'webhooks' AND c.last_id < e.id;
-- A desk's pending tickets came to wait over weeks, not at one instant
-- (csdesk gen, and the migration that added status_changed_at, give them
-- all one): 25,000 of them spread over the last 30 days, once.
UPDATE tickets t SET status_changed_at = now() - random() * interval '30 days'
FROM (SELECT id FROM tickets WHERE status = 'pending_customer' ORDER BY id LIMIT 25000) x
WHERE t.id = x.id AND (SELECT count(*) FROM (SELECT 1 FROM tickets
	WHERE status = 'pending_customer' AND status_changed_at < now() - interval '2 days'
	LIMIT 1000) y) < 1000;
SELECT count(*) FROM automation_rules WHERE active;
