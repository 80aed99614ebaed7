-- 020_site_more.sql — a ticket at the wrong site, to correct: Northwind
-- telephoned about damaged shelving and the call was filed against their
-- head office, though it arrived at the Leeds warehouse. Open it in the
-- console (in Returns, which nobody is given automatically: subject
-- "Shelving arrived damaged"), choose the site "Warehouse" in the Fields
-- form: while nobody has picked it up, 017's rule for the Leeds warehouse
-- (before 002's rule for returns) moves it to Deliveries, and the history
-- says by which rule. Safe to load again.
DO $$
DECLARE
	uid bigint;
	cid bigint;
	tid bigint;
BEGIN
	SELECT u.id, u.customer_id INTO uid, cid FROM portal_users u
	WHERE u.email = 'carol@northwind.demo.csdesk.test';
	IF uid IS NULL OR EXISTS (SELECT 1 FROM tickets WHERE subject = 'Shelving arrived damaged')
	THEN
		RETURN;
	END IF;
	INSERT INTO tickets (customer_id, requester_id, channel, type, category_id, site_id,
			subject, description)
		VALUES (cid, uid, 'phone', 'incident',
			(SELECT id FROM categories WHERE name = 'Warranty and returns'),
			(SELECT id FROM customer_sites WHERE customer_id = cid AND name = 'Head office'),
			'Shelving arrived damaged',
			'Carol called: two of the six shelving units delivered yesterday are bent. '
			'She wants replacements sent.')
		RETURNING id INTO tid;
	INSERT INTO ticket_events (ticket_id, actor_kind, field, new_value)
		VALUES (tid, 'system', 'created', 'phone');
	PERFORM ticket_route(tid);
	PERFORM sla_ticket_start(tid);
END
$$;
