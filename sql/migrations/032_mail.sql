-- E-mail in and out (docs/mail.md).

-- A contact made from a mail or through the API for someone who never
-- registered has no password (NULL) until it sets one through its
-- invitation link; no sign-in path accepts it before (020: auth_token_issue).
ALTER TABLE portal_users ALTER COLUMN password_hash DROP NOT NULL;
-- A bounce (DSN) of mail sent to the address marks it on the customer card.
ALTER TABLE portal_users
	ADD COLUMN mail_bounced_at timestamptz,
	ADD COLUMN mail_bounce text CHECK (length(mail_bounce) <= 300);
ALTER TABLE auth_tokens DROP CONSTRAINT auth_tokens_purpose_check;
ALTER TABLE auth_tokens ADD CONSTRAINT auth_tokens_purpose_check
	CHECK (purpose IN ('verify_email', 'reset_password', 'signin_link', 'invite'));

-- The addresses mail arrives at, each routing a new ticket to a queue
-- (support@ → General, returns@ → Returns).
CREATE TABLE mail_addresses (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	address text NOT NULL UNIQUE CHECK (address = lower(address) AND address LIKE '%_@_%'
		AND length(address) <= 254),
	queue_id bigint NOT NULL REFERENCES queues (id),
	active boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mail_addresses_queue ON mail_addresses (queue_id);

-- Every message received, kept whole (compressed) before it is parsed, so
-- a parser fix can run it again. Stored once: the same Message-ID with the
-- same bytes is the same message (an MTA's retry, LMTP and a pipe both).
CREATE TABLE mail_messages (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	message_id text NOT NULL DEFAULT '' CHECK (length(message_id) <= 998),
	raw_sha256 bytea NOT NULL CHECK (length(raw_sha256) = 32),
	raw bytea NOT NULL,
	size integer NOT NULL CHECK (size >= 0),
	recipient text NOT NULL DEFAULT '' CHECK (length(recipient) <= 254),
	from_addr text NOT NULL DEFAULT '' CHECK (length(from_addr) <= 254),
	subject text NOT NULL DEFAULT '' CHECK (length(subject) <= 300),
	status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'ticket', 'reply',
		'note', 'bounce', 'ignored', 'failed')),
	why text NOT NULL DEFAULT '' CHECK (length(why) <= 500),
	ticket_id bigint REFERENCES tickets (id) ON DELETE SET NULL,
	comment_id bigint REFERENCES ticket_comments (id) ON DELETE SET NULL,
	sender_id bigint REFERENCES portal_users (id) ON DELETE SET NULL,
	-- Not from a party of the ticket: an internal note an agent should look at.
	review boolean NOT NULL DEFAULT false,
	-- Threading was unsure: a new ticket, and the one it may belong to.
	suggested_ticket_id bigint REFERENCES tickets (id) ON DELETE SET NULL,
	-- May be answered automatically (not a robot, a list, a bounce, ourselves).
	auto_reply boolean NOT NULL DEFAULT false,
	bounce_of bigint REFERENCES notifications (id) ON DELETE SET NULL,
	received_at timestamptz NOT NULL DEFAULT now(),
	processed_at timestamptz
);
ALTER TABLE mail_messages ALTER COLUMN raw SET COMPRESSION lz4;
CREATE UNIQUE INDEX mail_messages_once ON mail_messages (message_id, raw_sha256);
CREATE INDEX mail_messages_thread ON mail_messages (message_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX mail_messages_ticket ON mail_messages (ticket_id, id);
CREATE INDEX mail_messages_comment ON mail_messages (comment_id);
CREATE INDEX mail_messages_sender ON mail_messages (sender_id);
CREATE INDEX mail_messages_suggested ON mail_messages (suggested_ticket_id);
CREATE INDEX mail_messages_bounce ON mail_messages (bounce_of);
CREATE INDEX mail_messages_status ON mail_messages (status, id);

-- Mail out: which ticket a message belongs to (its thread headers and its
-- Reply-To come from it), and whether it is automatic or a person's reply.
ALTER TABLE notifications
	ADD COLUMN ticket_id bigint REFERENCES tickets (id) ON DELETE SET NULL,
	ADD COLUMN automatic boolean NOT NULL DEFAULT true;
CREATE INDEX notifications_ticket ON notifications (ticket_id, id);

-- The unguessable part of a ticket's reply address (support+<token>@…),
-- made the first time a mail for the ticket is sent.
CREATE TABLE ticket_mail_tokens (
	ticket_id bigint PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
	token text NOT NULL UNIQUE CHECK (token ~ '^[a-z0-9]{24,64}$')
);

-- A team's address and signature for agents' replies by e-mail.
CREATE TABLE team_mail (
	team_id bigint PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
	address text NOT NULL CHECK (address = lower(address) AND address LIKE '%_@_%'
		AND length(address) <= 254),
	signature text NOT NULL DEFAULT '' CHECK (length(signature) <= 2000)
);

INSERT INTO settings (key, value) VALUES
	('mail_attachment_max_bytes', '10485760'),
	('mail_attachment_types', 'image/*, application/pdf, text/plain, application/zip,'
		' application/ms-tnef, application/vnd.ms-tnef, message/rfc822,'
		' application/vnd.openxmlformats-officedocument.*, application/msword'),
	('mail_autoreply_per_hour', '3'),
	('mail_autoreply_text', 'We received your message and opened request {{ticket.number}}.'
		' Reply to this mail to add to it.')
ON CONFLICT (key) DO NOTHING;
