-- 009_surveys.sql — surveys and quality reviews to look at in the demo:
-- the rules (CSAT after a resolution, NPS every 90 days), the CSAT of the
-- demo's closed ticket rated 5 on the portal, one unhappy answer with its
-- follow-up for Sam, a scorecard and a review of one of Alex's tickets.
-- Resolve a ticket as Alex and run the batch: the invitation with its link
-- appears in the outbox (Admin → Mail outbox). Safe to load again.

INSERT INTO survey_rules (trigger, kind, every_days) VALUES
	('ticket.resolved', 'csat', NULL),
	('periodic', 'nps', 90)
ON CONFLICT (trigger, kind) DO NOTHING;

-- The demo's closed tickets carry the rating given when they were
-- confirmed: the same CSAT answer the surveys' consumer records for one.
INSERT INTO survey_responses (kind, score, customer_id, ticket_id, team_id, agent_id,
	answered_at, source)
SELECT 'csat', t.rating, t.customer_id, t.id, t.team_id, t.assignee_id, t.closed_at,
	'portal_rating'
FROM tickets t
WHERE t.rating IS NOT NULL AND t.requester_id IN (SELECT id FROM portal_users
	WHERE email LIKE '%demo.csdesk.test')
	AND NOT EXISTS (SELECT 1 FROM survey_responses r WHERE r.ticket_id = t.id);

-- Dev answered an NPS invitation with a 4 and a complaint: a follow-up for
-- the Service Desk's supervisor. Its link's token is not known (only a
-- hash is kept), so it cannot be opened; a new invitation can.
DO $$
DECLARE
	inv bigint;
	resp bigint;
	u record;
BEGIN
	IF EXISTS (SELECT 1 FROM survey_invitations i JOIN portal_users p ON p.id = i.portal_user_id
		WHERE p.email = 'dev@northwind.demo.csdesk.test') THEN
		RETURN;
	END IF;
	SELECT p.id, p.customer_id INTO u FROM portal_users p
	WHERE p.email = 'dev@northwind.demo.csdesk.test';
	IF NOT FOUND THEN
		RETURN;
	END IF;
	INSERT INTO survey_invitations (rule_id, trigger, kind, token_hash, customer_id,
		portal_user_id, sent_at, expires_at, answered_at, answer_version)
	SELECT r.id, 'periodic', 'nps', sha256(convert_to(random()::text || clock_timestamp(),
		'UTF8')), u.customer_id, u.id, now() - interval '3 days', now() + interval '11 days',
		now() - interval '2 days', 1
	FROM survey_rules r WHERE r.trigger = 'periodic' AND r.kind = 'nps'
	RETURNING id INTO inv;
	INSERT INTO survey_responses (kind, score, comment, sentiment, customer_id, invitation_id,
		answered_at)
	VALUES ('nps', 4, 'The router still drops the connection every evening and nobody called back.',
		'negative', u.customer_id, inv, now() - interval '2 days')
	RETURNING id INTO resp;
	INSERT INTO survey_followups (response_id, customer_id, team_id, low_score, negative_comment)
	SELECT resp, u.customer_id, t.id, true, true FROM teams t WHERE t.name = 'Service Desk';
END
$$;

INSERT INTO qa_scorecards (name) VALUES ('Phone and e-mail handling')
ON CONFLICT (name) DO NOTHING;
INSERT INTO qa_criteria (scorecard_id, position, name, weight)
SELECT s.id, v.position, v.name, v.weight
FROM qa_scorecards s, (VALUES (1, 'Greeting and tone', 15), (2, 'Understood the problem', 25),
	(3, 'Right and complete answer', 40), (4, 'Clear next steps', 20))
	AS v (position, name, weight)
WHERE s.name = 'Phone and e-mail handling'
ON CONFLICT (scorecard_id, position) DO NOTHING;

-- One of Alex's settled tickets waits for Sam's review.
INSERT INTO qa_reviews (scorecard_id, ticket_id, agent_id, team_id, sample)
SELECT s.id, t.id, t.assignee_id, t.team_id, 'chosen'
FROM qa_scorecards s, tickets t JOIN staff a ON a.id = t.assignee_id
WHERE s.name = 'Phone and e-mail handling' AND a.email = 'alex@demo.csdesk.test'
	AND t.status IN ('resolved', 'closed')
ORDER BY t.id LIMIT 1
ON CONFLICT (ticket_id, scorecard_id) DO NOTHING;
