-- surveys_fill.sql — survey and quality-review rows at the scale of the
-- generated tickets, for bench_surveys.sh: an answered CSAT invitation for
-- every fifth settled ticket, a follow-up and a skip for every tenth, a
-- QA review (half scored) for every twentieth; every customer asked the
-- periodic NPS yesterday (so a batch tick finds nobody due). Set-based;
-- run once.
\set ON_ERROR_STOP on
INSERT INTO survey_rules (trigger, kind) VALUES ('ticket.resolved', 'csat')
ON CONFLICT DO NOTHING;

INSERT INTO survey_invitations (rule_id, trigger, kind, token_hash, customer_id,
	portal_user_id, ticket_id, resolution, team_id, agent_id, sent_at, expires_at,
	answered_at, answer_version)
SELECT r.id, 'ticket.resolved', 'csat', sha256(convert_to('bench' || t.id, 'UTF8')),
	t.customer_id, t.requester_id, t.id, t.reopen_count, t.team_id, t.assignee_id,
	t.resolved_at, t.resolved_at + interval '14 days', t.resolved_at + interval '1 hour', 1
FROM tickets t, survey_rules r
WHERE r.trigger = 'ticket.resolved' AND r.kind = 'csat' AND t.id % 5 = 0
	AND t.resolved_at IS NOT NULL AND t.requester_id IS NOT NULL
ON CONFLICT DO NOTHING;

INSERT INTO survey_responses (kind, score, comment, sentiment, customer_id, ticket_id,
	team_id, agent_id, invitation_id, answered_at)
SELECT 'csat', CASE WHEN i.ticket_id % 10 = 0 THEN 2 ELSE 5 END,
	CASE WHEN i.ticket_id % 10 = 0 THEN 'Slow and unhelpful.' END,
	CASE WHEN i.ticket_id % 10 = 0 THEN 'negative' END,
	i.customer_id, i.ticket_id, i.team_id, i.agent_id, i.id, i.answered_at
FROM survey_invitations i WHERE i.trigger = 'ticket.resolved' AND i.answered_at IS NOT NULL
ON CONFLICT DO NOTHING;

INSERT INTO survey_followups (response_id, customer_id, ticket_id, team_id, agent_id,
	low_score, negative_comment, status, done_at)
SELECT r.id, r.customer_id, r.ticket_id, r.team_id, r.agent_id, true, true,
	CASE WHEN r.id % 3 = 0 THEN 'done' ELSE 'open' END,
	CASE WHEN r.id % 3 = 0 THEN now() END
FROM survey_responses r WHERE r.score <= 2
ON CONFLICT DO NOTHING;

INSERT INTO survey_skips (rule_id, trigger, kind, customer_id, ticket_id, reason, created_at)
SELECT r.id, 'ticket.resolved', 'csat', t.customer_id, t.id, 'throttled', t.resolved_at
FROM tickets t, survey_rules r
WHERE r.trigger = 'ticket.resolved' AND r.kind = 'csat' AND t.id % 10 = 3
	AND t.resolved_at IS NOT NULL;

INSERT INTO qa_scorecards (name) VALUES ('Bench card') ON CONFLICT DO NOTHING;
INSERT INTO qa_criteria (scorecard_id, position, name, weight)
SELECT id, 1, 'Right answer', 1 FROM qa_scorecards WHERE name = 'Bench card'
ON CONFLICT DO NOTHING;
INSERT INTO qa_reviews (scorecard_id, ticket_id, agent_id, team_id, sample, status,
	reviewer_id, score, reviewed_at)
SELECT s.id, t.id, t.assignee_id, t.team_id, 'random',
	CASE WHEN t.id % 40 = 0 THEN 'done' ELSE 'pending' END,
	CASE WHEN t.id % 40 = 0 THEN (SELECT id FROM staff WHERE email = 'sam@demo.csdesk.test') END,
	CASE WHEN t.id % 40 = 0 THEN 75 END, CASE WHEN t.id % 40 = 0 THEN t.resolved_at END
FROM tickets t, qa_scorecards s
WHERE s.name = 'Bench card' AND t.id % 20 = 0 AND t.resolved_at IS NOT NULL
	AND t.assignee_id IS NOT NULL
ON CONFLICT DO NOTHING;
INSERT INTO survey_rules (trigger, kind, every_days) VALUES ('periodic', 'nps', 90)
ON CONFLICT DO NOTHING;
INSERT INTO survey_invitations (rule_id, trigger, kind, token_hash, customer_id,
	portal_user_id, sent_at, expires_at)
SELECT r.id, 'periodic', 'nps', sha256(convert_to('bench-nps' || u.id, 'UTF8')), u.customer_id,
	u.id, now() - interval '1 day', now() + interval '13 days'
FROM survey_rules r, (SELECT DISTINCT ON (customer_id) id, customer_id FROM portal_users
	WHERE active ORDER BY customer_id, is_account_admin DESC, id) u
WHERE r.trigger = 'periodic' AND r.kind = 'nps' AND NOT EXISTS (SELECT 1
	FROM survey_invitations i WHERE i.rule_id = r.id AND i.customer_id = u.customer_id);
ANALYZE survey_invitations, survey_responses, survey_followups, survey_skips, qa_reviews;
