-- 008_ticket_list_indexes.sql — an index for every list view of the console.
--
-- The console's lists (src/domain/ticket_console.c) walk an index per
-- status (and per priority for the priority sort) in the order the page
-- shows, and merge the few runs: a page reads about as many index entries
-- as it shows, whatever the table's size. 004 had the orders for the
-- update sort by status, queue and assignee. What was missing:
--   - team: a filter on a team nobody's tickets are in read every ticket;
--   - the age sort (created_at, oldest first) and the priority sort
--     (priority, then newest update) had no index at all: every page
--     sorted all the filtered tickets;
--   - "unassigned" (assignee_id IS NULL): a btree finds the NULLs, but the
--     planner does not count an IS NULL column as fixed, so it cannot use
--     the order of the columns after it; partial indexes can. They hold
--     only the tickets nobody has, a small share of the table.
-- Each index costs every insert and every update of updated_at a little;
-- the set is kept to these. The other filters (queue, team, channel,
-- priority) are applied while walking the status indexes: those carry the
-- filtered columns (INCLUDE), so the walk reads index pages, not a table
-- page per ticket passed over. (Every ticket change moves updated_at, so
-- the extra columns cost no HOT update that was possible before.)
--
-- The priority sort orders by the priority's rank, not its name: indexed
-- as an expression, one walk per status gives critical first, then newest
-- update, and a filter on one priority is an equality on its rank. The
-- ranks are the order of ticket_priorities in src/domain/ticket_rules.c.
CREATE FUNCTION ticket_priority_rank(priority text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE priority WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3
		WHEN 'urgent' THEN 4 WHEN 'critical' THEN 5 END
$$;

CREATE INDEX tickets_team ON tickets (team_id, status, updated_at DESC, id DESC);

DROP INDEX tickets_status;
CREATE INDEX tickets_status ON tickets (status, updated_at DESC, id DESC)
	INCLUDE (priority, queue_id, team_id, channel);
CREATE INDEX tickets_status_age ON tickets (status, created_at, id)
	INCLUDE (priority, queue_id, team_id, channel);
CREATE INDEX tickets_status_priority ON tickets
	(status, ticket_priority_rank(priority) DESC, updated_at DESC, id DESC)
	INCLUDE (priority, queue_id, team_id, channel);

CREATE INDEX tickets_assignee_age ON tickets (assignee_id, status, created_at, id);
CREATE INDEX tickets_assignee_priority ON tickets
	(assignee_id, status, ticket_priority_rank(priority) DESC, updated_at DESC, id DESC);

CREATE INDEX tickets_unassigned ON tickets (status, updated_at DESC, id DESC)
	WHERE assignee_id IS NULL;
CREATE INDEX tickets_unassigned_age ON tickets (status, created_at, id)
	WHERE assignee_id IS NULL;
CREATE INDEX tickets_unassigned_priority ON tickets
	(status, ticket_priority_rank(priority) DESC, updated_at DESC, id DESC)
	WHERE assignee_id IS NULL;

-- The console's workers keep the lists its forms offer (queues, teams,
-- agents, categories, resolution codes: ticket_console_choices) and read
-- them again when told they changed. A statement that changes one of them
-- tells every listening worker when it commits. staff rows change with
-- every assignment (open_tickets, last_assigned_at): only the columns the
-- lists show count there.
CREATE FUNCTION console_choices_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('csdesk_choices', '');
	RETURN NULL;
END
$$;
CREATE TRIGGER queues_choices AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON queues
	FOR EACH STATEMENT EXECUTE FUNCTION console_choices_changed();
CREATE TRIGGER teams_choices AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON teams
	FOR EACH STATEMENT EXECUTE FUNCTION console_choices_changed();
CREATE TRIGGER categories_choices AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON categories
	FOR EACH STATEMENT EXECUTE FUNCTION console_choices_changed();
CREATE TRIGGER resolution_codes_choices AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON resolution_codes FOR EACH STATEMENT EXECUTE FUNCTION console_choices_changed();
CREATE TRIGGER staff_choices AFTER INSERT OR DELETE OR TRUNCATE ON staff
	FOR EACH STATEMENT EXECUTE FUNCTION console_choices_changed();
CREATE TRIGGER staff_choices_update AFTER UPDATE OF name, active, roles ON staff
	FOR EACH STATEMENT EXECUTE FUNCTION console_choices_changed();
