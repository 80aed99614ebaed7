-- 064_create_indexes.sql — two index entries fewer for every ticket
-- opened, its readers' plans kept (docs/create_cost.md, EXPLAIN at 1.04
-- million tickets).
--
-- tickets_open_created (010) held every open ticket by creation time, for
-- the daily metrics' backlog ("open and created before the day's end").
-- tickets_status_age (022: status, created_at, id) answers the same
-- condition, one range per open status, and is there for the list views'
-- age sort anyway; every new ticket is open, so each creation paid an
-- entry in both.
DROP INDEX tickets_open_created;

-- tickets_open_assignee_due (037) is read for one agent at a time (the
-- dashboard's "due today": assignee_id = $n, which implies NOT NULL, so
-- the planner takes the partial index for the generic plan too); every
-- ticket opened without an agent (most) was an entry under NULL that no
-- reader asks for. The same index, partial, as 061 did for the list
-- views' indexes by assignee.
DROP INDEX tickets_open_assignee_due;
CREATE INDEX tickets_open_assignee_due ON tickets (assignee_id, resolution_due_at, id)
	WHERE assignee_id IS NOT NULL
		AND status IN ('new', 'assigned', 'in_progress', 'pending_customer', 'pending_parts',
			'reopened');
