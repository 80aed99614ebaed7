-- 006_ticket_collaboration.sql — agents working together on one ticket:
-- who else has it open or is writing (presence), links between tickets,
-- merging a duplicate into another ticket.

-- Who has a ticket open, and who is writing a reply. Rows are throwaway
-- (a crash losing them loses nothing), so the table is unlogged, and it
-- has no foreign keys: a page view's upsert checks nothing but its own key.
-- since / typing_since: when the current stretch of viewing or writing
-- began (a row older than two minutes starts a new one).
CREATE UNLOGGED TABLE ticket_presence (
	ticket_id bigint NOT NULL,
	staff_id bigint NOT NULL,
	since timestamptz NOT NULL DEFAULT now(),
	seen_at timestamptz NOT NULL DEFAULT now(),
	typing_since timestamptz,
	typing_at timestamptz,
	PRIMARY KEY (ticket_id, staff_id)
);

-- Links are read from both ends.
CREATE INDEX ticket_links_other ON ticket_links (other_id);

-- Merges ticket p_source into p_target for staff member p_staff, inside the
-- caller's transaction: the conversation and files move to the target, the
-- source is cancelled (closed when it was already resolved, which may not
-- be cancelled) with a duplicate_of link, both histories say so, and the
-- target gets a public system comment for the customer. Returns 'merged'
-- or why not: 'self', 'not_found', 'other_customer', 'target_closed' (a
-- closed or cancelled target), 'source_closed'. Both tickets are locked in
-- id order, so two merges of the same pair cannot deadlock.
CREATE FUNCTION ticket_merge(p_source bigint, p_target bigint, p_staff bigint) RETURNS text
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
