-- 054_site_more.sql — automations counted in business hours wait in a
-- table (330_site_more.sql).
--
-- A time rule counted in business hours cannot use the wall-clock window
-- of the other time rules (a ticket whose hours pass over a weekend comes
-- due on Monday), so every tick used to take every ticket of the rule's
-- statuses whose basis was in the 30-day look-back and past the hours, and
-- probe its firings and count its business minutes again: a tick with
-- nothing due cost as much as the candidates (tens of thousands of
-- pending tickets at a million). Now a ticket enters this table once,
-- when its basis passes the hours in wall-clock time (the rule's
-- checked_until, as for the other time rules), with the instant its
-- business hours are reached on its calendar; a tick takes only the rows
-- that are due. A row whose ticket has since moved on (another status or
-- basis) is dropped when it comes due.
CREATE TABLE automation_waits (
	rule_id bigint NOT NULL REFERENCES automation_rules (id) ON DELETE CASCADE,
	ticket_id bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	basis timestamptz NOT NULL,
	due_at timestamptz NOT NULL,
	PRIMARY KEY (rule_id, ticket_id, basis)
);
-- A tick's probe per rule: what is due, soonest first.
CREATE INDEX automation_waits_due ON automation_waits (rule_id, due_at);
-- A ticket deleted takes its rows with it.
CREATE INDEX automation_waits_ticket ON automation_waits (ticket_id);

-- Where a business rule's look stopped, as (checked_until, checked_id):
-- it takes its window a slice at a time, and tickets that share one basis
-- instant are told apart by their id.
ALTER TABLE automation_rules ADD COLUMN checked_id bigint NOT NULL DEFAULT 0;

-- The business rules' candidates within the look-back enter the table
-- over the first ticks: their window starts again where the look-back does.
UPDATE automation_rules SET checked_until = least(checked_until,
	now() - make_interval(hours => time_hours, days => 30))
WHERE time_business AND on_event = 'time';
