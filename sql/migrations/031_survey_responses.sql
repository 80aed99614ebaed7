-- 031_survey_responses.sql — one row per answer to a CSAT, NPS or CES
-- question: the one place every satisfaction figure (dashboards, reports,
-- exports, alerts) is computed from. Who sends the questions, and when, is
-- the surveys' own business; this table is what they leave behind.
--
-- team_id and agent_id are who held the ticket when the survey was sent,
-- copied then: a ticket reassigned later still counts for the people who
-- handled it.

CREATE TABLE survey_responses (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind text NOT NULL CHECK (kind IN ('csat', 'nps', 'ces')),
	score smallint NOT NULL CHECK (
		(kind = 'csat' AND score BETWEEN 1 AND 5) OR
		(kind = 'nps' AND score BETWEEN 0 AND 10) OR
		(kind = 'ces' AND score BETWEEN 1 AND 7)),
	comment text CHECK (length(comment) <= 4000),
	sentiment text CHECK (sentiment IN ('positive', 'neutral', 'negative')),
	customer_id bigint NOT NULL REFERENCES customers (id),
	ticket_id bigint REFERENCES tickets (id),
	team_id bigint REFERENCES teams (id),
	agent_id bigint REFERENCES staff (id),
	answered_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX survey_responses_answered ON survey_responses (answered_at);
CREATE INDEX survey_responses_ticket ON survey_responses (ticket_id);
CREATE INDEX survey_responses_customer ON survey_responses (customer_id, answered_at);
CREATE INDEX survey_responses_agent ON survey_responses (agent_id, answered_at);
CREATE INDEX survey_responses_team ON survey_responses (team_id, answered_at);
