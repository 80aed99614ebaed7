-- 045_workspace_more.sql — the rest of the agent's personal settings:
-- the language of the interface strings (a catalogue per language,
-- static/locale/ and src/web/i18n.c; English only so far) and which ticket
-- events mail the agent. Defaults keep what every agent got before:
-- assignment and customer replies mailed, and no mail when a ticket of
-- theirs turns at risk (escalation rules tell supervisors of that).
ALTER TABLE staff_prefs
	ADD COLUMN language text NOT NULL DEFAULT 'en' CHECK (language ~ '^[a-z]{2}$'),
	ADD COLUMN mail_assigned boolean NOT NULL DEFAULT true,
	ADD COLUMN mail_replied boolean NOT NULL DEFAULT true,
	ADD COLUMN mail_at_risk boolean NOT NULL DEFAULT false;

-- Mail that needs an agent's eye, decided on the ticket page: a message
-- from someone who is not a party of the ticket (filed as an internal note,
-- 032's review) is accepted (the note becomes a public comment) or
-- dismissed (it stays internal); a suggested merge (032's
-- suggested_ticket_id) may be dismissed. Who decided and when is kept.
ALTER TABLE mail_messages
	ADD COLUMN review_outcome text CHECK (review_outcome IN ('accepted', 'dismissed')),
	ADD COLUMN reviewed_by bigint REFERENCES staff (id) ON DELETE SET NULL,
	ADD COLUMN reviewed_at timestamptz,
	ADD COLUMN merge_dismissed_at timestamptz;
-- A staff member's deletion finds their decisions by this index.
CREATE INDEX mail_messages_reviewed_by ON mail_messages (reviewed_by);

-- One-click unsubscribe (RFC 8058) from the mail customers may turn off
-- (notify.c's optional kinds): such a message carries its token and the
-- address that takes it (List-Unsubscribe); an opt-out is kept per address
-- and kind, and that kind is not queued to the address again.
ALTER TABLE notifications
	ADD COLUMN unsubscribe_token text CHECK (unsubscribe_token ~ '^[0-9a-f]{32}$'),
	ADD COLUMN unsubscribe_url text CHECK (length(unsubscribe_url) <= 600);
CREATE UNIQUE INDEX notifications_unsubscribe ON notifications (unsubscribe_token)
	WHERE unsubscribe_token IS NOT NULL;
CREATE TABLE mail_opt_outs (
	address text NOT NULL CHECK (address = lower(address) AND length(address) <= 254),
	kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{0,63}$'),
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (address, kind)
);
