-- 011_automation.sql — what a newcomer needs to see assignment, on-call,
-- escalation by target and automations at work: a ticket in each of the
-- five queues of 003 (routed as the portal would: routing, assignment when
-- someone is on shift, the SLA clock from now), Sam on call for the
-- Service Desk tonight, an escalation rule for the resolution target, and
-- the follow-up rules of the seed documents. Safe to load again.

DO $$
DECLARE
	d record;
	tid bigint;
	uid bigint;
	cid bigint;
BEGIN
	FOR d IN SELECT * FROM (VALUES
		('pat@demo.csdesk.test', 'Password reset link never arrives', 'Account access',
		 E'I asked for a new password three times; no e-mail came. I checked the spam folder.'),
		('carol@northwind.demo.csdesk.test', 'Change the address of order 10517', 'Orders and delivery',
		 E'Please send order 10517 to our new office: 12 Harbour Street, Leeds.'),
		('pat@demo.csdesk.test', 'Where is my delivery?', NULL,
		 E'The tracking page has said "out for delivery" since Monday.'),
		('carol@northwind.demo.csdesk.test', 'Invoice shows the wrong VAT number', 'Payments and refunds',
		 E'Invoice 2026-0871 carries our old VAT number. Could you issue a corrected one?'),
		('pat@demo.csdesk.test', 'Refund for the returned vacuum', NULL,
		 E'I returned the Breeze vacuum two weeks ago and have not seen the refund yet.')
	) AS v (email, subject, category, body)
	LOOP
		SELECT u.id, u.customer_id INTO uid, cid FROM portal_users u WHERE u.email = d.email;
		CONTINUE WHEN uid IS NULL OR EXISTS (SELECT 1 FROM tickets
			WHERE customer_id = cid AND subject = d.subject);
		INSERT INTO tickets (customer_id, requester_id, channel, category_id, subject,
				description, urgency, priority)
			VALUES (cid, uid, 'portal', (SELECT id FROM categories WHERE name = d.category),
				d.subject, d.body, 'normal', 'medium')
			RETURNING id INTO tid;
		INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, new_value)
			VALUES (tid, 'customer', uid, 'created', 'portal');
		PERFORM ticket_route(tid);
		PERFORM ticket_auto_assign(tid);
		PERFORM sla_ticket_start(tid);
	END LOOP;
END
$$;

-- Sam takes the Service Desk's urgent tickets tonight (17:00 to 09:00 in
-- his zone), when nobody is on shift.
INSERT INTO oncall_shifts (team_id, staff_id, starts_at, ends_at, note)
SELECT s.team_id, s.id, (current_date + time '17:00') AT TIME ZONE s.time_zone,
	(current_date + 1 + time '09:00') AT TIME ZONE s.time_zone, 'Demo rota'
FROM staff s WHERE s.email = 'sam@demo.csdesk.test'
	AND NOT EXISTS (SELECT 1 FROM oncall_shifts o WHERE o.staff_id = s.id
		AND o.ends_at > now());

INSERT INTO escalation_rules (position, name, on_event, if_target, notify, reassign_next_level)
SELECT 15, 'Resolution at risk: up a level, managers told', 'at_risk', 'resolution',
	'manager', true
WHERE NOT EXISTS (SELECT 1 FROM escalation_rules
	WHERE name = 'Resolution at risk: up a level, managers told');

-- The seed documents' follow-up: no answer from the customer in three
-- days → a reminder, again three days later, then resolved with a note;
-- the customer told when work starts; VIP tickets tagged.
INSERT INTO automation_rules (position, name, on_event, time_basis, time_hours, if_status,
	set_status, note, mail_to, mail_subject, mail_body, checked_until)
SELECT v.pos, v.name, 'time', 'status', v.hours, 'pending_customer', v.status, v.note,
	'customer', v.subject, v.body, now() - make_interval(hours => v.hours, days => 30)
FROM (VALUES
	(10, 'Pending customer: first reminder', 72, NULL, NULL, 'Are you still there?',
	 E'We are waiting for your answer to go on with your request. Reply to the ticket when you can.'),
	(20, 'Pending customer: second reminder', 144, NULL, NULL, 'A last reminder',
	 E'We still need your answer. Without it we will close the request in three days.'),
	(30, 'Pending customer: resolve after two reminders', 216, 'resolved',
	 'No answer after two reminders: resolved by the automation.', 'We closed your request',
	 E'We did not hear back, so we resolved the request. Reply to it to open it again.'))
	AS v (pos, name, hours, status, note, subject, body)
WHERE NOT EXISTS (SELECT 1 FROM automation_rules r WHERE r.name = v.name);

INSERT INTO automation_rules (position, name, on_event, if_status, mail_to, mail_subject,
	mail_body)
SELECT 40, 'Tell the customer work has started', 'status_changed', 'in_progress', 'customer',
	'We are working on it', E'An agent has started on your request.'
WHERE NOT EXISTS (SELECT 1 FROM automation_rules
	WHERE name = 'Tell the customer work has started');
INSERT INTO automation_rules (position, name, on_event, if_tier, add_tags, note)
SELECT 50, 'Tag VIP tickets', 'created', 'vip', '{vip}', 'A VIP customer: answer first.'
WHERE NOT EXISTS (SELECT 1 FROM automation_rules WHERE name = 'Tag VIP tickets');

-- Carol reads the portal's promises on London time.
UPDATE customers SET time_zone = 'Europe/London'
WHERE time_zone IS NULL AND id = (SELECT customer_id FROM portal_users
	WHERE email = 'carol@northwind.demo.csdesk.test');
