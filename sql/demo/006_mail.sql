-- 006_mail.sql — e-mail in the demo: the desk's two inbound addresses, each
-- routing new requests to its queue, and the teams' addresses and
-- signatures for agents' replies. Feed a message to see the rest:
--   build/csdesk mail-in --recipient returns@demo.csdesk.test < message.eml
-- (docs/mail.md). Safe to load again.

INSERT INTO mail_addresses (address, queue_id)
SELECT v.address, q.id
FROM (VALUES ('support@demo.csdesk.test', 'General'),
	('returns@demo.csdesk.test', 'Returns')) AS v (address, queue)
JOIN queues q ON q.name = v.queue
ON CONFLICT (address) DO NOTHING;

INSERT INTO team_mail (team_id, address, signature)
SELECT t.id, v.address, v.signature
FROM (VALUES ('Service Desk', 'support@demo.csdesk.test',
		E'The Service Desk\nDemo Appliances · +1 555 0100'),
	('Returns', 'returns@demo.csdesk.test',
		E'The Returns team\nDemo Appliances · returns within 30 days')) AS v (team, address,
		signature)
JOIN teams t ON t.name = v.team
ON CONFLICT (team_id) DO NOTHING;
