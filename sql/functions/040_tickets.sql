-- 040_tickets.sql — tickets: what "open" means, numbers, the priority rank the
-- list indexes use, the counters kept as tickets change, merging, the
-- console's cached choices and who hears about a ticket.

-- Open means someone still has work to do on it.
CREATE OR REPLACE FUNCTION ticket_is_open(status text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT status NOT IN ('resolved', 'closed', 'cancelled')
$$;

-- The next ticket number: TKT- and at least six digits, every digit kept
-- beyond that (ticket 1,000,000 is TKT-1000000, not a cut TKT-100000 that
-- the UNIQUE constraint would refuse). The column default of tickets.number.
-- PL/pgSQL, not SQL: a volatile SQL function is parsed and planned again
-- at every call, that is for every ticket.
CREATE OR REPLACE FUNCTION ticket_number_next() RETURNS text
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
	n bigint := nextval('ticket_number_seq');
BEGIN
	RETURN 'TKT-' || lpad(n::text, greatest(6, length(n::text)), '0');
END
$$;

-- The priority's rank (critical highest): the console's priority sort and
-- its indexes (008) order by it, so one walk per status gives critical
-- first, and a filter on one priority is an equality on its rank. The ranks
-- are the order of ticket_priorities in src/domain/ticket_rules.c. Changing
-- them means rebuilding the indexes that use it.
CREATE OR REPLACE FUNCTION ticket_priority_rank(priority text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE priority WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3
		WHEN 'urgent' THEN 4 WHEN 'critical' THEN 5 END
$$;

-- Runs as the owner: the portal's role creates tickets but may not touch
-- staff rows or the counters itself. The counts per queue and status are
-- appended as deltas (022): no row that concurrent creations share is
-- updated, so they do not wait for each other. staff.open_tickets is
-- still updated in place: it changes only when a ticket has an assignee,
-- and auto-assignment holds that agent's row locked anyway.
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

-- Folds the pending deltas into ticket_counts_base, for the batch's
-- "counts" step; returns how many it folded. One statement: a reader of
-- the ticket_counts view sees the deltas or their sum in the base, never
-- both or neither. Deltas appended meanwhile stay for the next run.
CREATE OR REPLACE FUNCTION ticket_counts_roll_up() RETURNS bigint
LANGUAGE sql AS $$
	WITH d AS (DELETE FROM ticket_count_deltas RETURNING queue_id, status, n),
	s AS (INSERT INTO ticket_counts_base (queue_id, status, n)
		SELECT queue_id, status, sum(n) FROM d GROUP BY queue_id, status
		ON CONFLICT (queue_id, status) DO UPDATE SET n = ticket_counts_base.n + excluded.n)
	SELECT count(*) FROM d
$$;

CREATE OR REPLACE TRIGGER tickets_counts AFTER INSERT OR DELETE ON tickets
	FOR EACH ROW EXECUTE FUNCTION tickets_keep_counts();

CREATE OR REPLACE TRIGGER tickets_counts_update AFTER UPDATE OF queue_id, status, assignee_id ON tickets
	FOR EACH ROW
	WHEN (OLD.queue_id IS DISTINCT FROM NEW.queue_id OR OLD.status IS DISTINCT FROM NEW.status
		OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id)
	EXECUTE FUNCTION tickets_keep_counts();

-- Merges ticket p_source into p_target for staff member p_staff, inside the
-- caller's transaction: the conversation and files move to the target, the
-- source is cancelled (closed when it was already resolved, which may not
-- be cancelled) with a duplicate_of link, both histories say so, and the
-- target gets a public system comment for the customer. Returns 'merged'
-- or why not: 'self', 'not_found', 'other_customer', 'target_closed' (a
-- closed or cancelled target), 'source_closed'. Both tickets are locked in
-- id order, so two merges of the same pair cannot deadlock.
CREATE OR REPLACE FUNCTION ticket_merge(p_source bigint, p_target bigint, p_staff bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	s tickets%ROWTYPE;
	t tickets%ROWTYPE;
	new_status text;
	ncomments integer;
	nfiles integer;
BEGIN
	IF p_source = p_target THEN
		RETURN 'self';
	END IF;
	PERFORM 1 FROM tickets WHERE id IN (p_source, p_target) ORDER BY id FOR UPDATE;
	SELECT * INTO s FROM tickets WHERE id = p_source;
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	SELECT * INTO t FROM tickets WHERE id = p_target;
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	IF s.customer_id <> t.customer_id THEN
		RETURN 'other_customer';
	END IF;
	IF t.status IN ('closed', 'cancelled') THEN
		RETURN 'target_closed';
	END IF;
	IF s.status IN ('closed', 'cancelled') THEN
		RETURN 'source_closed';
	END IF;
	UPDATE ticket_comments SET ticket_id = p_target WHERE ticket_id = p_source;
	GET DIAGNOSTICS ncomments = ROW_COUNT;
	UPDATE ticket_attachments SET ticket_id = p_target WHERE ticket_id = p_source;
	GET DIAGNOSTICS nfiles = ROW_COUNT;
	new_status := CASE WHEN s.status = 'resolved' THEN 'closed' ELSE 'cancelled' END;
	UPDATE tickets SET status = new_status, version = version + 1, updated_at = now(),
		closed_at = CASE WHEN new_status = 'closed' THEN now() ELSE closed_at END
	WHERE id = p_source;
	INSERT INTO ticket_links (ticket_id, other_id, kind) VALUES (p_source, p_target, 'duplicate_of')
		ON CONFLICT (ticket_id, other_id) DO UPDATE SET kind = 'duplicate_of';
	DELETE FROM ticket_links WHERE ticket_id = p_target AND other_id = p_source;
	INSERT INTO ticket_comments (ticket_id, kind, body)
		VALUES (p_target, 'system', format('Your request %s (“%s”) was a duplicate of this one'
			' and has been merged into it: its messages and files are now here.',
			s.number, s.subject));
	-- The customer following the old request learns where it went.
	INSERT INTO ticket_comments (ticket_id, kind, body)
		VALUES (p_source, 'system', format('This request was merged into %s (“%s”), where'
			' the conversation continues.', t.number, t.subject));
	UPDATE tickets SET version = version + 1, updated_at = now() WHERE id = p_target;
	INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, old_value, new_value)
	VALUES (p_source, 'staff', p_staff, 'status', s.status, new_status),
		(p_source, 'staff', p_staff, 'merged_into', NULL, t.number),
		(p_target, 'staff', p_staff, 'merged_from', NULL,
			format('%s (%s messages, %s files)', s.number, ncomments, nfiles));
	RETURN 'merged';
END
$$;

-- The console's workers keep the lists its forms offer (queues, teams,
-- agents, categories, products, resolution codes: ticket_console_choices;
-- the canned responses, each staff member's team) and read
-- them again when told they changed. A statement that changes one of them
-- tells every listening worker when it commits. staff rows change with
-- every assignment (open_tickets, last_assigned_at): only the columns the
-- lists show count there.
CREATE OR REPLACE FUNCTION console_choices_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('csdesk_choices', '');
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER queues_choices AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON queues
	FOR EACH STATEMENT EXECUTE FUNCTION console_choices_changed();

CREATE OR REPLACE TRIGGER teams_choices AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON teams
	FOR EACH STATEMENT EXECUTE FUNCTION console_choices_changed();

CREATE OR REPLACE TRIGGER categories_choices AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON categories
	FOR EACH STATEMENT EXECUTE FUNCTION console_choices_changed();

CREATE OR REPLACE TRIGGER products_choices AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON products
	FOR EACH STATEMENT EXECUTE FUNCTION console_choices_changed();

CREATE OR REPLACE TRIGGER resolution_codes_choices AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON resolution_codes FOR EACH STATEMENT EXECUTE FUNCTION console_choices_changed();

CREATE OR REPLACE TRIGGER staff_choices AFTER INSERT OR DELETE OR TRUNCATE ON staff
	FOR EACH STATEMENT EXECUTE FUNCTION console_choices_changed();

-- A team change moves the canned responses an agent may use.
CREATE OR REPLACE TRIGGER staff_choices_update AFTER UPDATE OF name, active, roles, team_id
	ON staff FOR EACH STATEMENT EXECUTE FUNCTION console_choices_changed();

-- The canned responses every ticket page offers are kept with the lists.
CREATE OR REPLACE TRIGGER canned_responses_choices AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON canned_responses FOR EACH STATEMENT EXECUTE FUNCTION console_choices_changed();

-- The staff to tell about ticket p_ticket: its assignee when the ticket has
-- one; otherwise, with p_team set, the active members of its queue's team
-- (the ticket's own team when it has no queue). Staff who are not active
-- are never told. Runs as the owner because the portal's role may not read
-- staff; for that role (no request customer, or another customer's ticket)
-- it returns nothing, so a customer learns no address of anyone working on
-- someone else's request. PL/pgSQL, not SQL: a SQL function that is not
-- inlined (SECURITY DEFINER never is) plans its query again at every call,
-- and planning a read of tickets (forty indexes) was 0.8 ms of a 0.85 ms
-- call, once for each reply the mail consumer tells the team about.
CREATE OR REPLACE FUNCTION ticket_staff_recipients(p_ticket bigint, p_team boolean)
RETURNS TABLE (staff_id bigint, name text, email text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	WITH t AS (
		SELECT t.assignee_id, coalesce(q.team_id, t.team_id) AS team_id
		FROM tickets t LEFT JOIN queues q ON q.id = t.queue_id
		WHERE t.id = p_ticket
			AND (t.customer_id = request_customer()
				OR (request_customer() IS NULL AND session_user <> 'csdesk_portal'))
	)
	SELECT s.id, s.name, s.email FROM t JOIN staff s ON s.id = t.assignee_id
	WHERE s.active
	UNION ALL
	SELECT s.id, s.name, s.email FROM t JOIN staff s ON s.team_id = t.team_id
	WHERE p_team AND t.assignee_id IS NULL AND s.active
	ORDER BY 1;
END
$$;
