-- 059_field_speed.sql — the field reports and the dispatch board at
-- 500,000 appointments and 2 million part usages.

-- "Parts by ticket" reads the daily rollup (055) like parts by customer
-- and by technician: a day's parts per ticket are a third dimension.
-- Summing every usage of a 30-day period (928,000 at that scale) took
-- 0.9 s a request, and the statement timeout under load.
ALTER TABLE parts_usage_daily DROP CONSTRAINT parts_usage_daily_dimension_check;
ALTER TABLE parts_usage_daily ADD CONSTRAINT parts_usage_daily_dimension_check
	CHECK (dimension IN ('customer', 'technician', 'ticket'));

-- The days rolled up already get their ticket rows here, as
-- parts_usage_facts(day, 'ticket') (340) would give them; a dirty day is
-- read from the usages until the batch rolls it up again, all three
-- dimensions at once.
INSERT INTO parts_usage_daily (dimension, day, key, lines, qty, cost, charged, covered)
SELECT 'ticket', r.day, u.ticket_id, count(*), sum(u.qty), sum(u.qty * u.unit_cost),
	sum(u.qty * u.unit_price) FILTER (WHERE u.covered_by = '' AND u.kind <> 'loaner'),
	sum(u.qty * u.unit_price) FILTER (WHERE u.covered_by <> '' AND u.kind <> 'loaner')
FROM field_rollup_days r JOIN part_usages u
	ON u.created_at >= r.day AND u.created_at < r.day + 1 AND u.returned_at IS NULL
WHERE NOT r.dirty
GROUP BY r.day, u.ticket_id;

-- First-time fix (technician_facts, 340) asks, for each completed visit of
-- the days read live, whether the ticket has a later visit and whether a
-- part was requested for it: each answered by one index probe.
CREATE INDEX appointments_ticket_starts ON appointments (ticket_id, starts_at);
CREATE INDEX part_requests_appointment ON part_requests (appointment_id);

-- Today is read from the facts by every field report (yesterday too,
-- until 059; now rolled up after a quarter of an hour past midnight,
-- field_rollup_last() in 340): a day's usages and visits by index only,
-- with the columns technician_facts() and parts_usage_facts() read. At 2
-- million usages a day's 3,200 lay on 2,261 heap pages.
CREATE INDEX part_usages_report_day ON part_usages (created_at)
	INCLUDE (ticket_id, customer_id, technician_id, kind, qty, unit_cost, unit_price, covered_by)
	WHERE returned_at IS NULL;
CREATE INDEX appointments_report_day ON appointments (starts_at)
	INCLUDE (id, technician_id, ticket_id, status, checkin_at, checkout_at, travel_min)
	WHERE technician_id IS NOT NULL AND status <> 'cancelled';

-- The dispatch board's blocks (field_board.c), each technician's week by
-- its own range, from the index alone: what a block shows is carried.
-- Read from appointments_technician_time, each block cost a heap page
-- (234 buffers a page of 20 technicians; 87 from this one).
CREATE INDEX appointments_board ON appointments (technician_id, starts_at, id)
	INCLUDE (ends_at, status, ticket_id, postcode, summary) WHERE status <> 'cancelled';
