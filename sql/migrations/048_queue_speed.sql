-- 048_queue_speed.sql — the console queue's "at risk" and "breached" views
-- read in index order, from a state stored on the ticket.
--
-- The SLA filters compared sla_amber_at and sla_red_at (012) with now():
-- "at risk" is amber_at <= now() < red_at, a range on two columns that no
-- index keeps in a list's order, so a view read every at-risk ticket (tens
-- of thousands at a million tickets) and sorted them, and "breached in
-- queue N" walked every breached ticket for the queue's few. Those moments
-- stay the rule the badge and the filters follow; what is new is where a
-- ticket stands as of its last write, kept by the row itself:
--
--   sla_state = 'none'     no SLA running (no policy, closed, nothing due)
--               'breached' a pending target recorded as breached
--                          (sla_red_at is '-infinity')
--               'paused'   the clock stands (sla_red_at is 'infinity')
--               'at_risk'  a pending target recorded as at risk
--               'ok'       otherwise
--
-- It follows the stage columns, which are written when the SLA is computed
-- (ticket creation, a status, priority or category change: sla_compute)
-- and by the batch's "sla" step at the 80 % and 100 % moments it already
-- visits (sla_mark_due): a generated column, so no write path can forget
-- it and no trigger runs. The next moments it will change are stored too:
-- sla_check_at (009) is when the batch is next due to mark the ticket,
-- sla_due_at (012) the next due instant.
--
-- Between a threshold passing and the batch marking it (a minute at most
-- with the timer, about a second with the LISTENing loop) the stored state
-- lags the clock. The list stays exact at every instant all the same
-- (src/domain/ticket_list_shapes.c): it reads the tickets whose state is the
-- one asked (the indexes below) together with those the batch has not
-- visited yet (sla_check_at <= now(), tickets_sla_check of 009: the few
-- crossed since the last tick), and keeps the clock's condition on both.

-- What 012 and 022 kept for those two views: every open ticket with a due
-- time, in two indexes written by every creation and every SLA change. The
-- views below no longer read them; "paused" and "on track", most of the
-- open tickets, are found on the sort's own walk.
DROP INDEX IF EXISTS tickets_sla_red;
DROP INDEX IF EXISTS tickets_sla_amber;

-- The expressions repeat those of sla_red_at (012): generated columns
-- cannot refer to each other or call a function that is not immutable.
ALTER TABLE tickets ADD COLUMN sla_state text GENERATED ALWAYS AS (
	CASE WHEN sla_policy_id IS NULL
		OR status IN ('resolved', 'closed', 'cancelled')
		OR least(CASE WHEN first_response_at IS NULL THEN first_response_due_at END,
			next_response_due_at,
			CASE WHEN resolution_met IS NOT true THEN resolution_due_at END) IS NULL
		THEN 'none'
	WHEN (first_response_at IS NULL AND first_response_stage = 'breached')
		OR next_response_stage = 'breached' OR resolution_stage = 'breached'
		THEN 'breached'
	WHEN sla_paused_at IS NOT NULL THEN 'paused'
	WHEN (first_response_at IS NULL AND first_response_stage = 'at_risk')
		OR (next_response_due_at IS NOT NULL AND next_response_stage = 'at_risk')
		OR (resolution_met IS NOT true AND resolution_stage = 'at_risk')
		THEN 'at_risk'
	ELSE 'ok' END) STORED;

-- One index per sort of the list, holding only the tickets at risk or
-- breached (a few percent of the open ones), keyed by state and status
-- like the sorts' own indexes (008, 012) and carrying the filtered columns
-- and the two moments (and the due time its sort key is made of), so a
-- view walks its page in order without reading the table. A new ticket
-- is 'ok': creating one writes none of them.
CREATE INDEX tickets_sla_state_update ON tickets (sla_state, status, updated_at DESC, id DESC)
	INCLUDE (priority, queue_id, team_id, assignee_id, channel, sla_red_at, sla_amber_at)
	WHERE sla_state IN ('at_risk', 'breached');
CREATE INDEX tickets_sla_state_age ON tickets (sla_state, status, created_at, id)
	INCLUDE (priority, queue_id, team_id, assignee_id, channel, sla_red_at, sla_amber_at)
	WHERE sla_state IN ('at_risk', 'breached');
CREATE INDEX tickets_sla_state_priority ON tickets
	(sla_state, status, ticket_priority_rank(priority) DESC, updated_at DESC, id DESC)
	INCLUDE (priority, queue_id, team_id, assignee_id, channel, sla_red_at, sla_amber_at)
	WHERE sla_state IN ('at_risk', 'breached');
CREATE INDEX tickets_sla_state_sla ON tickets
	(sla_state, status, (coalesce(sla_due_at, 'infinity'::timestamptz)), id)
	INCLUDE (priority, queue_id, team_id, assignee_id, channel, sla_red_at, sla_amber_at,
		sla_due_at)
	WHERE sla_state IN ('at_risk', 'breached');

-- One agent's tickets of one priority by SLA due time or by age ("my
-- urgent ones, soonest due first"): the agent's SLA and age indexes (008,
-- 012) walk all of the agent's tickets in that order, and those of a
-- priority with long targets come last (tens of thousands read for a
-- page, or sorted). With the priority's rank between status and the sort
-- key the page is a range of its own. Measured on creation: no change
-- beyond the noise (docs/architecture.md).
CREATE INDEX tickets_assignee_priority_sla ON tickets
	(assignee_id, status, ticket_priority_rank(priority),
	(coalesce(sla_due_at, 'infinity'::timestamptz)), id)
	INCLUDE (priority, queue_id, team_id, channel, sla_due_at);
CREATE INDEX tickets_assignee_priority_age ON tickets
	(assignee_id, status, ticket_priority_rank(priority), created_at, id)
	INCLUDE (priority, queue_id, team_id, channel);
