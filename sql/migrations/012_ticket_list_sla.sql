-- 012_ticket_list_sla.sql — the console's ticket lists by SLA state (on
-- track, at risk, breached, paused) and by SLA due time.
--
-- sla_colour() (009) answers for one row with now(): red when a pending
-- stage is breached or the due time has passed, amber from the warning
-- time, green before it. Run as a filter it would be evaluated for every
-- open ticket. Storing the colour itself would not do either: it changes
-- with the clock, not with the row, and would be as stale as the batch
-- tick that refreshed it, so the list would disagree with the badge.
--
-- What does not change with the clock is *when* a ticket turns amber and
-- when it turns red. Those two moments are kept by the row itself
-- (generated columns: nothing to forget in a trigger or a batch step,
-- and sla_due() cannot be indexed: it is STABLE and takes the whole row):
--   sla_due_at   = sla_due(t): the earliest pending due time, NULL without
--                  one (closed, no policy);
--   sla_red_at   = from when the ticket is red: '-infinity' when a pending
--                  stage is breached, 'infinity' while paused (a paused
--                  clock never runs out), else sla_due_at; NULL without
--                  a due time;
--   sla_amber_at = from when it is amber: the earliest pending warning
--                  time; NULL when already red for good or paused.
-- The list compares them with now() in the query (ticket_console.c), so
-- the filter gives sla_colour()'s answer at the same instant:
--   breached  sla_red_at <= now()
--   at risk   sla_amber_at <= now() AND sla_red_at > now()
--   on track  now() < sla_red_at < 'infinity'
--             AND (sla_amber_at IS NULL OR sla_amber_at > now())
--   paused    sla_red_at = 'infinity'
-- Each state is a condition on one or two of these columns, so the
-- planner's statistics see how common it is (paused as "due time set and
-- no red time" was guessed at a quarter of the table: two columns it
-- cannot tell are related).
-- The expressions repeat sla_due() and sla_colour(): generated columns
-- cannot call them (not immutable). check_ticket_lists compares both.
ALTER TABLE tickets
	ADD COLUMN sla_due_at timestamptz GENERATED ALWAYS AS (
		CASE WHEN sla_policy_id IS NOT NULL
			AND status NOT IN ('resolved', 'closed', 'cancelled') THEN
		least(CASE WHEN first_response_at IS NULL THEN first_response_due_at END,
			next_response_due_at,
			CASE WHEN resolution_met IS NOT true THEN resolution_due_at END) END) STORED,
	ADD COLUMN sla_red_at timestamptz GENERATED ALWAYS AS (
		CASE WHEN sla_policy_id IS NULL
			OR status IN ('resolved', 'closed', 'cancelled')
			OR least(CASE WHEN first_response_at IS NULL THEN first_response_due_at END,
				next_response_due_at,
				CASE WHEN resolution_met IS NOT true THEN resolution_due_at END) IS NULL
			THEN NULL
		WHEN (first_response_at IS NULL AND first_response_stage = 'breached')
			OR next_response_stage = 'breached' OR resolution_stage = 'breached'
			THEN '-infinity'::timestamptz
		WHEN sla_paused_at IS NOT NULL THEN 'infinity'::timestamptz
		ELSE least(CASE WHEN first_response_at IS NULL THEN first_response_due_at END,
			next_response_due_at,
			CASE WHEN resolution_met IS NOT true THEN resolution_due_at END) END) STORED,
	ADD COLUMN sla_amber_at timestamptz GENERATED ALWAYS AS (
		CASE WHEN sla_policy_id IS NULL
			OR status IN ('resolved', 'closed', 'cancelled')
			OR (first_response_at IS NULL AND first_response_stage = 'breached')
			OR next_response_stage = 'breached' OR resolution_stage = 'breached'
			OR sla_paused_at IS NOT NULL
			THEN NULL
		ELSE least(CASE WHEN first_response_at IS NULL THEN first_response_warn_at END,
			next_response_warn_at,
			CASE WHEN resolution_met IS NOT true THEN resolution_warn_at END) END) STORED;

-- The SLA sort: soonest due first, tickets without a due time last, by id
-- within a time; walked per status like the other sorts (008), with the
-- filtered columns carried so the walk does not read the table.
CREATE INDEX tickets_status_sla ON tickets
	(status, (coalesce(sla_due_at, 'infinity'::timestamptz)), id)
	INCLUDE (priority, queue_id, team_id, channel, assignee_id);
CREATE INDEX tickets_assignee_sla ON tickets
	(assignee_id, status, (coalesce(sla_due_at, 'infinity'::timestamptz)), id);

-- The states that may be a small share of the open tickets (breached,
-- paused and on track on the red side, at risk on the amber side, the
-- only ones whose condition is a range there): only the open tickets
-- with a due time are in these, per status, with what the sorts need, so
-- a rare state is read here and sorted, while a common one is found by
-- walking the sort's own index (the planner weighs the two).
CREATE INDEX tickets_sla_red ON tickets (status, sla_red_at)
	INCLUDE (sla_amber_at, sla_due_at, updated_at, created_at, priority)
	WHERE sla_red_at IS NOT NULL;
CREATE INDEX tickets_sla_amber ON tickets (status, sla_amber_at)
	INCLUDE (sla_red_at, sla_due_at, updated_at, created_at, priority)
	WHERE sla_amber_at IS NOT NULL;
