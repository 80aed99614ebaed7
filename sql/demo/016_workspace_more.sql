-- 016_workspace_more.sql — the workspace's mail review in the demo: on
-- Carol's newest open request, an e-mail from someone who is not a party
-- of it, waiting for an agent to accept or dismiss it; and on her newer
-- request a merge suggested into the older one (the same sender, the
-- subject and a day apart, as mail intake suggests it). Open either
-- ticket in the console to see them (docs/workspace.md). Safe to load again.
DO $$
DECLARE
	v_new bigint;
	v_old bigint;
	v_comment bigint;
BEGIN
	SELECT t.id INTO v_new FROM tickets t JOIN portal_users u ON u.id = t.requester_id
	WHERE u.email = 'carol@northwind.demo.csdesk.test'
		AND t.status NOT IN ('resolved', 'closed', 'cancelled')
	ORDER BY t.id DESC LIMIT 1;
	SELECT t.id INTO v_old FROM tickets t JOIN portal_users u ON u.id = t.requester_id
	WHERE u.email = 'carol@northwind.demo.csdesk.test' AND t.id <> v_new
		AND t.status NOT IN ('resolved', 'closed', 'cancelled')
	ORDER BY t.id DESC LIMIT 1;
	IF v_new IS NULL OR EXISTS (SELECT 1 FROM mail_messages
		WHERE message_id = 'demo-review@else.example') THEN
		RETURN;
	END IF;
	INSERT INTO ticket_comments (ticket_id, kind, body)
	VALUES (v_new, 'internal', E'E-mail from Dan Reseller <dan@reseller.example>, who is '
		'not a party of this ticket: review it before answering.\n\nHello, I sold Carol '
		'this unit: the serial is on the invoice I sent her last month.')
	RETURNING id INTO v_comment;
	INSERT INTO mail_messages (message_id, raw_sha256, raw, size, from_addr, subject, status,
		why, ticket_id, comment_id, review, processed_at)
	VALUES ('demo-review@else.example', sha256('demo-review'::bytea),
		convert_to('From: dan@reseller.example', 'UTF8'), 26, 'dan@reseller.example',
		'Carol''s unit', 'note', 'Internal note for review (demo).', v_new, v_comment, true,
		now());
	IF v_old IS NOT NULL THEN
		INSERT INTO mail_messages (message_id, raw_sha256, raw, size, from_addr, subject,
			status, why, ticket_id, suggested_ticket_id, received_at, processed_at)
		SELECT 'demo-merge@northwind.example', sha256('demo-merge'::bytea),
			convert_to('From: carol', 'UTF8'), 11, 'carol@northwind.demo.csdesk.test',
			'Re: ' || o.subject, 'ticket', 'New ticket; merge suggested (demo).', v_new,
			v_old, o.updated_at + interval '1 hour', now()
		FROM tickets o WHERE o.id = v_old;
	END IF;
END
$$;
