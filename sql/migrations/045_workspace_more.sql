-- 045_workspace_more.sql — the rest of the agent's personal settings:
-- the language of the interface strings (a catalogue per language,
-- static/locale/ and src/web/i18n.c; English only so far) and which ticket
-- events mail the agent. Defaults keep what every agent got before:
-- assignment and customer replies mailed, and no mail when a ticket of
-- theirs turns at risk (escalation rules tell supervisors of that).
ALTER TABLE staff_prefs
	ADD COLUMN language text NOT NULL DEFAULT 'en' CHECK (language ~ '^[a-z]{2}$'),
	ADD COLUMN mail_assigned boolean NOT NULL DEFAULT true,
	ADD COLUMN mail_replied boolean NOT NULL DEFAULT true,
	ADD COLUMN mail_at_risk boolean NOT NULL DEFAULT false;
