-- 061_queue_indexes.sql — the list-sort indexes by assignee and by team
-- hold only the tickets that have one.
--
-- Every ticket was an entry in each of the six indexes by assignee
-- (004, 008, 012, 022, 048) and the four by team (008, 022), those with
-- none under NULL. No list reads them there: "assigned to nobody" has
-- its own partial indexes (tickets_unassigned*, 008), and no view asks for
-- the tickets of no team. At a million tickets 93 % have no team, so the
-- four team indexes were 380 MB of NULL entries, and a ticket opened
-- without an agent (most: the routing rules give a team, the agent comes
-- later) paid six index inserts for nothing, and as many again when its
-- row is next written outside HOT. The same indexes, partial: a filter
-- "assignee_id = $n" or "team_id = $n" implies the column is not NULL, so
-- the planner takes them for every view that used them, generic plans
-- included. It also no longer walks an assignee index for "nobody" (the
-- priority sort of the unassigned used to, in no useful order).
--
-- Same names, columns and INCLUDE lists as before (022, 048).

DROP INDEX tickets_assignee;
CREATE INDEX tickets_assignee ON tickets (assignee_id, status, updated_at DESC, id DESC)
	INCLUDE (priority, queue_id, team_id, channel) WHERE assignee_id IS NOT NULL;
DROP INDEX tickets_assignee_age;
CREATE INDEX tickets_assignee_age ON tickets (assignee_id, status, created_at, id)
	INCLUDE (priority, queue_id, team_id, channel) WHERE assignee_id IS NOT NULL;
DROP INDEX tickets_assignee_priority;
CREATE INDEX tickets_assignee_priority ON tickets
	(assignee_id, status, ticket_priority_rank(priority) DESC, updated_at DESC, id DESC)
	INCLUDE (priority, queue_id, team_id, channel) WHERE assignee_id IS NOT NULL;
DROP INDEX tickets_assignee_sla;
CREATE INDEX tickets_assignee_sla ON tickets
	(assignee_id, status, (coalesce(sla_due_at, 'infinity'::timestamptz)), id)
	INCLUDE (priority, queue_id, team_id, channel, sla_due_at) WHERE assignee_id IS NOT NULL;
DROP INDEX tickets_assignee_priority_sla;
CREATE INDEX tickets_assignee_priority_sla ON tickets
	(assignee_id, status, ticket_priority_rank(priority),
	(coalesce(sla_due_at, 'infinity'::timestamptz)), id)
	INCLUDE (priority, queue_id, team_id, channel, sla_due_at) WHERE assignee_id IS NOT NULL;
DROP INDEX tickets_assignee_priority_age;
CREATE INDEX tickets_assignee_priority_age ON tickets
	(assignee_id, status, ticket_priority_rank(priority), created_at, id)
	INCLUDE (priority, queue_id, team_id, channel) WHERE assignee_id IS NOT NULL;

DROP INDEX tickets_team;
CREATE INDEX tickets_team ON tickets (team_id, status, updated_at DESC, id DESC)
	INCLUDE (priority, queue_id, channel, assignee_id) WHERE team_id IS NOT NULL;
DROP INDEX tickets_team_age;
CREATE INDEX tickets_team_age ON tickets (team_id, status, created_at, id)
	INCLUDE (priority, queue_id, channel, assignee_id) WHERE team_id IS NOT NULL;
DROP INDEX tickets_team_priority;
CREATE INDEX tickets_team_priority ON tickets
	(team_id, status, ticket_priority_rank(priority) DESC, updated_at DESC, id DESC)
	INCLUDE (priority, queue_id, channel, assignee_id) WHERE team_id IS NOT NULL;
DROP INDEX tickets_team_sla;
CREATE INDEX tickets_team_sla ON tickets
	(team_id, status, (coalesce(sla_due_at, 'infinity'::timestamptz)), id)
	INCLUDE (priority, queue_id, channel, assignee_id, sla_due_at) WHERE team_id IS NOT NULL;
