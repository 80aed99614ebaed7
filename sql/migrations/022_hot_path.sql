-- 022_hot_path.sql — ticket creation without a shared counter row.
--
-- Every new ticket used to add one to the ticket_counts row of (no queue,
-- new) and move it to its queue's row when routed, inside the creating
-- transaction: all concurrent creations queued behind that one row's lock,
-- each holding it until its commit was flushed, so creations could not
-- share a flush. The counts are now kept as deltas: the trigger appends
-- rows (+1 / -1) to ticket_count_deltas, which no one updates, and the
-- batch's "counts" step folds them into ticket_counts_base
-- (ticket_counts_roll_up, sql/functions/040_tickets.sql). ticket_counts
-- becomes a view of the two summed, so every reader sees exact counts at
-- every moment whether or not the batch has run: the base holds a row per
-- queue and status, the deltas what happened since the last roll-up.
ALTER TABLE ticket_counts RENAME TO ticket_counts_base;

CREATE TABLE ticket_count_deltas (
	queue_id bigint NOT NULL,
	status ticket_status NOT NULL,
	n integer NOT NULL
);

CREATE VIEW ticket_counts AS
	SELECT queue_id, status, sum(n)::bigint AS n
	FROM (SELECT queue_id, status, n FROM ticket_counts_base
		UNION ALL SELECT queue_id, status, n FROM ticket_count_deltas) c
	GROUP BY queue_id, status;

-- As in sql/functions/040_tickets.sql (which every migrate applies again):
-- here too, so that no ticket is written between this transaction and
-- that run with a trigger that would update the view.
CREATE OR REPLACE FUNCTION tickets_keep_counts() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO ticket_count_deltas VALUES (coalesce(NEW.queue_id, 0), NEW.status, 1);
	ELSIF TG_OP = 'DELETE' THEN
		INSERT INTO ticket_count_deltas VALUES (coalesce(OLD.queue_id, 0), OLD.status, -1);
	ELSIF coalesce(OLD.queue_id, 0) <> coalesce(NEW.queue_id, 0) OR OLD.status <> NEW.status THEN
		INSERT INTO ticket_count_deltas VALUES (coalesce(OLD.queue_id, 0), OLD.status, -1),
			(coalesce(NEW.queue_id, 0), NEW.status, 1);
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		IF OLD.assignee_id IS NOT NULL AND ticket_is_open(OLD.status) THEN
			UPDATE staff SET open_tickets = open_tickets - 1 WHERE id = OLD.assignee_id;
		END IF;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		IF NEW.assignee_id IS NOT NULL AND ticket_is_open(NEW.status) THEN
			UPDATE staff SET open_tickets = open_tickets + 1 WHERE id = NEW.assignee_id;
		END IF;
	END IF;
	RETURN NULL;
END
$$;

-- The portal's row-level security on a ticket's rows asked "is the ticket
-- one of the customer's tickets" as ticket_id IN (all of them): a check on
-- a new row (a ticket's "created" history row, a reply, a file) read every
-- ticket the customer has, 25 ms of a creation for one with 10,000. Asked
-- for the one ticket instead, it is a look-up of the primary key; reads
-- are planned the same (a semi-join either way). Who sees what is as before.
ALTER POLICY ticket_comments_portal ON ticket_comments
	USING (kind <> 'internal' AND EXISTS (SELECT 1 FROM tickets t
		WHERE t.id = ticket_comments.ticket_id AND t.customer_id = request_customer()));
ALTER POLICY ticket_attachments_portal ON ticket_attachments
	USING (EXISTS (SELECT 1 FROM tickets t
			WHERE t.id = ticket_attachments.ticket_id AND t.customer_id = request_customer())
		AND (comment_id IS NULL OR EXISTS (SELECT 1 FROM ticket_comments c
			WHERE c.id = ticket_attachments.comment_id AND c.kind <> 'internal')));
ALTER POLICY ticket_events_portal ON ticket_events
	USING (EXISTS (SELECT 1 FROM tickets t
		WHERE t.id = ticket_events.ticket_id AND t.customer_id = request_customer()));

-- The console queue at a million tickets. A view's rows are read by
-- walking, per status, an index in the sort's order that starts with the
-- view's filter (008, 012), until the page is full.
--
-- Queue and team had such an index for "last update" only: sorted by age,
-- priority or SLA, their views read and sorted all of the queue's tickets
-- in each status (70-120 ms for a team whose tickets are the newest).
-- Unassigned tickets had none for the SLA sort: the walk of
-- tickets_status_sla passed over every assigned ticket (1.8 s).
--
-- A filter the index does not start with (a priority in an agent's view,
-- a channel) is checked on each entry walked. Only the status indexes
-- carried those columns, so elsewhere every entry passed over was read
-- from the table: 7,000 per status for "Sam's high-priority tickets by SLA"
-- (200 ms). Each walk now carries the filters' columns, and the SLA ones
-- sla_due_at too (PostgreSQL reads an index alone only when it holds the
-- columns an indexed expression is made of), so a walk reads the index
-- alone, however many entries a filter passes over.
--
-- Cost at a million tickets: the sixteen builds below take 1-2 minutes,
-- during which tickets cannot be written (each build locks out writes).
DROP INDEX tickets_status_sla;
CREATE INDEX tickets_status_sla ON tickets
	(status, (coalesce(sla_due_at, 'infinity'::timestamptz)), id)
	INCLUDE (priority, queue_id, team_id, channel, assignee_id, sla_due_at);

DROP INDEX tickets_assignee;
CREATE INDEX tickets_assignee ON tickets (assignee_id, status, updated_at DESC, id DESC)
	INCLUDE (priority, queue_id, team_id, channel);
DROP INDEX tickets_assignee_age;
CREATE INDEX tickets_assignee_age ON tickets (assignee_id, status, created_at, id)
	INCLUDE (priority, queue_id, team_id, channel);
DROP INDEX tickets_assignee_priority;
CREATE INDEX tickets_assignee_priority ON tickets
	(assignee_id, status, ticket_priority_rank(priority) DESC, updated_at DESC, id DESC)
	INCLUDE (priority, queue_id, team_id, channel);
DROP INDEX tickets_assignee_sla;
CREATE INDEX tickets_assignee_sla ON tickets
	(assignee_id, status, (coalesce(sla_due_at, 'infinity'::timestamptz)), id)
	INCLUDE (priority, queue_id, team_id, channel, sla_due_at);

DROP INDEX tickets_queue;
CREATE INDEX tickets_queue ON tickets (queue_id, status, updated_at DESC, id DESC)
	INCLUDE (priority, team_id, channel, assignee_id);
CREATE INDEX tickets_queue_age ON tickets (queue_id, status, created_at, id)
	INCLUDE (priority, team_id, channel, assignee_id);
CREATE INDEX tickets_queue_priority ON tickets
	(queue_id, status, ticket_priority_rank(priority) DESC, updated_at DESC, id DESC)
	INCLUDE (priority, team_id, channel, assignee_id);
CREATE INDEX tickets_queue_sla ON tickets
	(queue_id, status, (coalesce(sla_due_at, 'infinity'::timestamptz)), id)
	INCLUDE (priority, team_id, channel, assignee_id, sla_due_at);

DROP INDEX tickets_team;
CREATE INDEX tickets_team ON tickets (team_id, status, updated_at DESC, id DESC)
	INCLUDE (priority, queue_id, channel, assignee_id);
CREATE INDEX tickets_team_age ON tickets (team_id, status, created_at, id)
	INCLUDE (priority, queue_id, channel, assignee_id);
CREATE INDEX tickets_team_priority ON tickets
	(team_id, status, ticket_priority_rank(priority) DESC, updated_at DESC, id DESC)
	INCLUDE (priority, queue_id, channel, assignee_id);
CREATE INDEX tickets_team_sla ON tickets
	(team_id, status, (coalesce(sla_due_at, 'infinity'::timestamptz)), id)
	INCLUDE (priority, queue_id, channel, assignee_id, sla_due_at);

CREATE INDEX tickets_unassigned_sla ON tickets
	(status, (coalesce(sla_due_at, 'infinity'::timestamptz)), id)
	INCLUDE (priority, queue_id, team_id, channel, sla_due_at) WHERE assignee_id IS NULL;

-- "At risk" and "breached" read their tickets from these (012), which
-- carried what the sorts need but not the id nor the filters' columns: each
-- of the thousands of tickets at risk was read from the table to be
-- sorted (40-90 ms). With them, the view is read from the index alone.
DROP INDEX tickets_sla_red;
CREATE INDEX tickets_sla_red ON tickets (status, sla_red_at)
	INCLUDE (sla_amber_at, sla_due_at, updated_at, created_at, priority, id, queue_id, team_id,
		assignee_id, channel)
	WHERE sla_red_at IS NOT NULL;
DROP INDEX tickets_sla_amber;
CREATE INDEX tickets_sla_amber ON tickets (status, sla_amber_at)
	INCLUDE (sla_red_at, sla_due_at, updated_at, created_at, priority, id, queue_id, team_id,
		assignee_id, channel)
	WHERE sla_amber_at IS NOT NULL;
