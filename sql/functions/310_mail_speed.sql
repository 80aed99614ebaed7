-- Mail intake in fewer round trips (docs/mail.md, "Measured").

-- Everything a received message's filing looks up before it changes
-- anything, in one call inside the filing transaction (src/domain/
-- mail_filing.c calls it once a message, where it made five to eight
-- statements): the stored row, locked (two deliveries file it once), and
-- its status; whether the sender is one of csdesk's own addresses (a
-- loop); the ticket it answers, by the threading rules in their order —
-- p_sent, the outbox ids of the Message-IDs csdesk made that it refers
-- to, then p_refs, the Message-IDs it refers to that csdesk received
-- (both JSON arrays, the newest reference first), then the subject's tag
-- p_tag, then the reply address's token p_token; the sender's login
-- (p_from, as portal_login_lookup reads it); the queue of the address it
-- came to (p_rcpts, a JSON array of the addresses it was sent to, the
-- envelope's p_recipient first); and, when it found no ticket and the
-- subject without its "Re:" (p_base) is given, the sender's latest ticket
-- with that subject, a merge to suggest. A row that is not there: no row.
-- Only the row's status comes back when it was filed before (p_force:
-- file it whatever its status).
CREATE OR REPLACE FUNCTION mail_route(p_id bigint, p_force boolean, p_from text,
	p_sent jsonb, p_refs jsonb, p_tag text, p_token text, p_rcpts jsonb, p_recipient text,
	p_base text)
RETURNS TABLE (status text, own boolean, ticket_id bigint, ticket_number text,
	ticket_customer bigint, how text, user_id bigint, customer_id bigint,
	user_active boolean, queue_id bigint, similar_id bigint)
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
	SELECT m.status INTO status FROM mail_messages m WHERE m.id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF status <> 'received' AND NOT p_force THEN
		RETURN NEXT;
		RETURN;
	END IF;
	own := p_from <> '' AND (EXISTS (SELECT 1 FROM mail_addresses a
			WHERE a.address = lower(p_from))
		OR EXISTS (SELECT 1 FROM team_mail w WHERE w.address = lower(p_from)));
	IF own THEN
		RETURN NEXT;
		RETURN;
	END IF;
	IF jsonb_array_length(p_sent) > 0 OR jsonb_array_length(p_refs) > 0 THEN
		SELECT t.id, t.number, t.customer_id, 'In-Reply-To/References'
		INTO ticket_id, ticket_number, ticket_customer, how
		FROM (SELECT n.ticket_id AS tid, 1 AS o, n.id AS k FROM notifications n
				WHERE n.id IN (SELECT jsonb_array_elements_text(p_sent)::bigint)
				AND n.ticket_id IS NOT NULL
			UNION ALL SELECT m.ticket_id, 2, m.id FROM mail_messages m
				WHERE m.message_id IN (SELECT jsonb_array_elements_text(p_refs))
				AND m.ticket_id IS NOT NULL) x
		JOIN tickets t ON t.id = x.tid ORDER BY x.o, x.k DESC LIMIT 1;
	END IF;
	IF ticket_id IS NULL AND p_tag IS NOT NULL THEN
		SELECT t.id, t.number, t.customer_id, 'the subject''s tag'
		INTO ticket_id, ticket_number, ticket_customer, how
		FROM tickets t WHERE t.number = p_tag;
	END IF;
	IF ticket_id IS NULL AND p_token IS NOT NULL THEN
		SELECT t.id, t.number, t.customer_id, 'the reply address'
		INTO ticket_id, ticket_number, ticket_customer, how
		FROM ticket_mail_tokens k JOIN tickets t ON t.id = k.ticket_id
		WHERE k.token = p_token;
	END IF;
	IF p_from <> '' THEN
		SELECT l.user_id, l.customer_id, l.active INTO user_id, customer_id, user_active
		FROM portal_login_lookup(p_from) l;
	END IF;
	SELECT a.queue_id INTO queue_id FROM mail_addresses a
	WHERE a.active AND a.address IN (SELECT jsonb_array_elements_text(p_rcpts))
	ORDER BY a.address = lower(p_recipient) DESC, a.id LIMIT 1;
	IF ticket_id IS NULL AND user_id IS NOT NULL AND p_base IS NOT NULL THEN
		SELECT t.id INTO similar_id FROM tickets t
		WHERE t.requester_id = user_id AND lower(t.subject) = lower(p_base)
		ORDER BY t.updated_at DESC, t.id DESC LIMIT 1;
	END IF;
	RETURN NEXT;
END
$$;
