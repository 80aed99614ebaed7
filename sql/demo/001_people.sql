-- 001_people.sql — the demo's people, so that `make run` has someone to sign
-- in as. Every demo login's password is "orange harbour lantern" (the hash
-- below is Argon2id of it). Safe to load again: nothing is duplicated.

INSERT INTO teams (name) VALUES ('Service Desk'), ('Field Service'), ('Returns')
ON CONFLICT (name) DO NOTHING;

INSERT INTO skills (name) VALUES ('billing'), ('hardware'), ('networking'), ('returns'),
	('warranty')
ON CONFLICT (name) DO NOTHING;

INSERT INTO staff (email, name, password_hash, roles, team_id, languages, escalation_level)
SELECT v.email, v.name,
	'$argon2id$v=19$m=65536,t=2,p=1$SAxTiCFAv6mrH/WfI5Y3dw$dwGJPx5jbUf5KoC/U8KBx7wtFvttwtgpjYiBCrdOxig',
	v.roles, t.id, v.languages, v.level
FROM (VALUES
	('admin@demo.csdesk.test', 'Ada Admin', ARRAY['admin', 'supervisor'], 'Service Desk', ARRAY['en'], 3),
	('sam@demo.csdesk.test', 'Sam Supervisor', ARRAY['supervisor', 'agent'], 'Service Desk', ARRAY['en', 'de'], 2),
	('alex@demo.csdesk.test', 'Alex Agent', ARRAY['agent'], 'Service Desk', ARRAY['en', 'fr'], 1),
	('tina@demo.csdesk.test', 'Tina Technician', ARRAY['technician'], 'Field Service', ARRAY['en'], 1)
) AS v (email, name, roles, team, languages, level)
JOIN teams t ON t.name = v.team
ON CONFLICT (email) DO NOTHING;

INSERT INTO staff_skills (staff_id, skill_id)
SELECT s.id, k.id FROM staff s JOIN skills k ON
	(s.email = 'alex@demo.csdesk.test' AND k.name IN ('billing', 'returns')) OR
	(s.email = 'sam@demo.csdesk.test' AND k.name IN ('billing', 'networking', 'warranty')) OR
	(s.email = 'tina@demo.csdesk.test' AND k.name IN ('hardware', 'networking'))
ON CONFLICT DO NOTHING;

-- A company account with an account admin and a colleague, and a person.
DO $$
DECLARE
	pw constant text := '$argon2id$v=19$m=65536,t=2,p=1$SAxTiCFAv6mrH/WfI5Y3dw$dwGJPx5jbUf5KoC/U8KBx7wtFvttwtgpjYiBCrdOxig';
	cid bigint;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM portal_users WHERE email = 'carol@northwind.demo.csdesk.test') THEN
		INSERT INTO customers (name, kind, tier, language, phone)
			VALUES ('Northwind Traders', 'company', 'premium', 'en', '+44 20 7946 0000')
			RETURNING id INTO cid;
		INSERT INTO portal_users (customer_id, email, name, password_hash, is_account_admin,
				email_verified_at)
			VALUES (cid, 'carol@northwind.demo.csdesk.test', 'Carol Chen', pw, true, now()),
				(cid, 'dev@northwind.demo.csdesk.test', 'Dev Patel', pw, false, now());
	END IF;
	IF NOT EXISTS (SELECT 1 FROM portal_users WHERE email = 'pat@demo.csdesk.test') THEN
		INSERT INTO customers (name, kind, tier, language)
			VALUES ('Pat Morgan', 'person', 'standard', 'en')
			RETURNING id INTO cid;
		INSERT INTO portal_users (customer_id, email, name, password_hash, is_account_admin,
				email_verified_at)
			VALUES (cid, 'pat@demo.csdesk.test', 'Pat Morgan', pw, true, now());
	END IF;
END
$$;
