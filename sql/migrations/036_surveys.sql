-- 036_surveys.sql — asking customers what they thought: the rules that say
-- which survey follows which event, the invitations the batch sends (a
-- single-use link whose token is stored hashed), the surveys it did not
-- send and why, and the follow-ups a low score or a negative comment opens
-- for the team's supervisors. The answers themselves are rows of
-- survey_responses (031). And quality reviews: scorecards, samples of
-- tickets, scores (at the end). See docs/surveys.md.

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
-- The periodic rule's "skipped within its period".
CREATE INDEX survey_skips_rule ON survey_skips (rule_id, customer_id, created_at);

-- At most one survey per customer per this many days (0: no limit).
INSERT INTO settings (key, value) VALUES ('survey_min_days', '30')
ON CONFLICT (key) DO NOTHING;

-- Quality reviews. A scorecard is criteria with weights that admins
-- define; it is not edited once made (a review's score must stay
-- comparable with the others of its scorecard): admins retire it and make
-- another. Supervisors draw samples of settled tickets (random, one per
-- agent per week, or chosen by number) and score each criterion 0–4; the
-- review's score is stored when it is made: Σ(weight × points ÷ 4) ÷
-- Σ weight × 100. agent_id and team_id are who resolved the ticket.
CREATE TABLE qa_scorecards (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
	active boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE qa_criteria (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	scorecard_id bigint NOT NULL REFERENCES qa_scorecards (id) ON DELETE CASCADE,
	position integer NOT NULL CHECK (position BETWEEN 1 AND 50),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	weight integer NOT NULL CHECK (weight BETWEEN 1 AND 100),
	UNIQUE (scorecard_id, position)
);

CREATE TABLE qa_reviews (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	scorecard_id bigint NOT NULL REFERENCES qa_scorecards (id),
	ticket_id bigint NOT NULL REFERENCES tickets (id),
	agent_id bigint NOT NULL REFERENCES staff (id),
	team_id bigint REFERENCES teams (id),
	sample text NOT NULL CHECK (sample IN ('random', 'weekly', 'chosen')),
	status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done')),
	reviewer_id bigint REFERENCES staff (id),
	score numeric(5, 2) CHECK (score BETWEEN 0 AND 100),
	comment text CHECK (length(comment) <= 4000),
	created_at timestamptz NOT NULL DEFAULT now(),
	reviewed_at timestamptz,
	CHECK ((status = 'done') = (score IS NOT NULL AND reviewed_at IS NOT NULL
		AND reviewer_id IS NOT NULL)),
	UNIQUE (ticket_id, scorecard_id)
);
CREATE INDEX qa_reviews_status ON qa_reviews (status, id DESC);
CREATE INDEX qa_reviews_agent ON qa_reviews (agent_id, status, id DESC);
CREATE INDEX qa_reviews_team ON qa_reviews (team_id, reviewed_at);
CREATE INDEX qa_reviews_reviewed ON qa_reviews (reviewed_at);
CREATE INDEX qa_reviews_reviewer ON qa_reviews (reviewer_id);
CREATE INDEX qa_reviews_scorecard ON qa_reviews (scorecard_id);

CREATE TABLE qa_review_scores (
	review_id bigint NOT NULL REFERENCES qa_reviews (id) ON DELETE CASCADE,
	criterion_id bigint NOT NULL REFERENCES qa_criteria (id),
	points smallint NOT NULL CHECK (points BETWEEN 0 AND 4),
	PRIMARY KEY (review_id, criterion_id)
);
CREATE INDEX qa_review_scores_criterion ON qa_review_scores (criterion_id);
