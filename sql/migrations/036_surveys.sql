-- 036_surveys.sql — asking customers what they thought: the rules that say
-- which survey follows which event, the invitations the batch sends (a
-- single-use link whose token is stored hashed), the surveys it did not
-- send and why, and the follow-ups a low score or a negative comment opens
-- for the team's supervisors. The answers themselves are rows of
-- survey_responses (031); see docs/surveys.md.

-- Which survey follows which event. trigger names an event the surveys
-- module knows (src/domain/survey_triggers.c: ticket.resolved,
-- ticket.auto_closed, periodic, and those that later features add), so
-- the list grows without a schema change; periodic rules ask every
-- customer again every every_days days.
CREATE TABLE survey_rules (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	trigger text NOT NULL CHECK (trigger ~ '^[a-z][a-z_.]*$' AND length(trigger) <= 60),
	kind text NOT NULL CHECK (kind IN ('csat', 'nps', 'ces')),
	every_days integer CHECK (every_days BETWEEN 1 AND 3650),
	active boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CHECK ((trigger = 'periodic') = (every_days IS NOT NULL))
);
CREATE UNIQUE INDEX survey_rules_trigger ON survey_rules (trigger, kind);

-- One invitation per person asked. ticket_id and resolution (the ticket's
-- reopen_count when it was resolved) make "one survey per resolution" a
-- constraint; team_id and agent_id are who held the ticket when it was
-- sent. answer_version counts the answers given through the link, so a
-- form sent twice is told apart from a change of mind.
CREATE TABLE survey_invitations (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	rule_id bigint REFERENCES survey_rules (id) ON DELETE SET NULL,
	trigger text NOT NULL,
	kind text NOT NULL CHECK (kind IN ('csat', 'nps', 'ces')),
	token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	customer_id bigint NOT NULL REFERENCES customers (id),
	portal_user_id bigint NOT NULL REFERENCES portal_users (id),
	ticket_id bigint REFERENCES tickets (id),
	resolution integer,
	team_id bigint REFERENCES teams (id),
	agent_id bigint REFERENCES staff (id),
	sent_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	answered_at timestamptz,
	answer_version integer NOT NULL DEFAULT 0,
	CHECK ((ticket_id IS NULL) = (resolution IS NULL))
);
CREATE UNIQUE INDEX survey_invitations_resolution ON survey_invitations (ticket_id, resolution);
-- The throttle (the customer's last invitation) and the periodic rule's
-- "asked within every_days" read these.
CREATE INDEX survey_invitations_customer ON survey_invitations (customer_id, sent_at);
CREATE INDEX survey_invitations_rule ON survey_invitations (rule_id, customer_id, sent_at);
-- Response rate by period, team and agent.
CREATE INDEX survey_invitations_sent ON survey_invitations (sent_at);
CREATE INDEX survey_invitations_agent ON survey_invitations (agent_id, sent_at);
CREATE INDEX survey_invitations_team ON survey_invitations (team_id, sent_at);

-- The answer an invitation got (NULL for a rating given on the portal
-- without one); source tells a survey's answer from that rating.
ALTER TABLE survey_responses
	ADD COLUMN invitation_id bigint UNIQUE REFERENCES survey_invitations (id),
	ADD COLUMN source text NOT NULL DEFAULT 'survey'
		CHECK (source IN ('survey', 'portal_rating'));

-- A survey a rule called for and the batch did not send, with why (the
-- words are made in C): the admins' page lists them, newest first (by id).
CREATE TABLE survey_skips (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	rule_id bigint REFERENCES survey_rules (id) ON DELETE SET NULL,
	trigger text NOT NULL,
	kind text NOT NULL CHECK (kind IN ('csat', 'nps', 'ces')),
	customer_id bigint NOT NULL REFERENCES customers (id),
	ticket_id bigint REFERENCES tickets (id),
	reason text NOT NULL CHECK (reason IN ('throttled', 'no_address', 'reopened',
		'already_asked')),
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX survey_skips_customer ON survey_skips (customer_id);
CREATE INDEX survey_skips_ticket ON survey_skips (ticket_id);

-- What a low score or a negative comment opens: one per invitation (or
-- portal rating), for the supervisors of the team that held the ticket
-- (team_id NULL: any supervisor), worked on the follow-up list.
CREATE TABLE survey_followups (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	response_id bigint NOT NULL UNIQUE REFERENCES survey_responses (id),
	customer_id bigint NOT NULL REFERENCES customers (id),
	ticket_id bigint REFERENCES tickets (id),
	team_id bigint REFERENCES teams (id),
	agent_id bigint REFERENCES staff (id),
	low_score boolean NOT NULL,
	negative_comment boolean NOT NULL,
	status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
	note text CHECK (length(note) <= 2000),
	done_by bigint REFERENCES staff (id),
	done_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	CHECK ((status = 'done') = (done_at IS NOT NULL))
);
CREATE INDEX survey_followups_list ON survey_followups (status, id DESC);
CREATE INDEX survey_followups_team ON survey_followups (team_id, status, id DESC);
CREATE INDEX survey_followups_customer ON survey_followups (customer_id);
CREATE INDEX survey_followups_ticket ON survey_followups (ticket_id);
CREATE INDEX survey_followups_agent ON survey_followups (agent_id);
CREATE INDEX survey_followups_done_by ON survey_followups (done_by);
CREATE INDEX survey_invitations_user ON survey_invitations (portal_user_id);
CREATE INDEX survey_skips_rule ON survey_skips (rule_id);

-- At most one survey per customer per this many days (0: no limit).
INSERT INTO settings (key, value) VALUES ('survey_min_days', '30')
ON CONFLICT (key) DO NOTHING;
