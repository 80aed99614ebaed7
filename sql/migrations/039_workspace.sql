-- 039_workspace.sql — the agent's workspace: personal settings (theme,
-- keyboard shortcuts, what happens after an action) and reply drafts that
-- follow the agent from one machine to the next. The time zone stays in
-- staff.time_zone (002), where working hours already read it.
CREATE TABLE staff_prefs (
	staff_id bigint PRIMARY KEY REFERENCES staff (id) ON DELETE CASCADE,
	-- 'system' follows the browser's prefers-color-scheme.
	theme text NOT NULL DEFAULT 'system' CHECK (theme IN ('system', 'light', 'dark')),
	-- WCAG 2.1.4: single-key shortcuts can be turned off.
	shortcuts boolean NOT NULL DEFAULT true,
	-- After sending or changing a ticket: stay on it, or open the next one
	-- of the view the agent came from.
	after_action text NOT NULL DEFAULT 'stay' CHECK (after_action IN ('stay', 'next')),
	updated_at timestamptz NOT NULL DEFAULT now()
);

-- One draft per agent and ticket: the reply box as last typed. Removed when
-- the reply is sent; at most a ticket reply's length.
CREATE TABLE ticket_drafts (
	staff_id bigint NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
	ticket_id bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	body text NOT NULL CHECK (length(body) <= 50000),
	internal boolean NOT NULL DEFAULT false,
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (staff_id, ticket_id)
);
-- A ticket's deletion finds its drafts by this index, not a scan.
CREATE INDEX ticket_drafts_ticket ON ticket_drafts (ticket_id);

-- Macros: a canned response may also change the ticket it is sent on —
-- a status, a priority, tags added, and taking it for the agent who uses
-- it. NULL and '' change nothing. The tags are kept as an admin typed them
-- and checked in C (ticket_tags_parse) as a ticket's are.
ALTER TABLE canned_responses
	ADD COLUMN set_status text CHECK (set_status IN ('in_progress', 'pending_customer',
		'pending_parts', 'resolved', 'cancelled')),
	ADD COLUMN set_priority text CHECK (set_priority IN ('low', 'medium', 'high', 'urgent',
		'critical')),
	ADD COLUMN add_tags text NOT NULL DEFAULT '' CHECK (length(add_tags) <= 1000),
	ADD COLUMN take boolean NOT NULL DEFAULT false;
