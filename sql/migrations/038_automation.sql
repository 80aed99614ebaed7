-- 038_automation.sql — assignment that keeps working, and escalation in
-- five named levels.
--
-- Waiting tickets: a ticket that found nobody at creation (off shift,
-- everyone at capacity) waits in its queue; the batch's "assign" step
-- gives each queue's waiting tickets, highest priority and oldest first,
-- to agents as they come on shift or free capacity. tickets_waiting is the
-- index that step walks: only unassigned open tickets, so a tick with
-- nothing to give costs a probe per queue, whatever the table holds.
CREATE INDEX tickets_waiting ON tickets
	(queue_id, ticket_priority_rank(priority) DESC, created_at, id)
	WHERE assignee_id IS NULL AND status IN ('new', 'reopened');

-- The on-call rota: who takes a team's urgent tickets when nobody is on
-- shift, by period. A regular slot is the rota; an override (someone
-- standing in) wins over the regular slots it overlaps.
CREATE TABLE oncall_shifts (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	team_id bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	staff_id bigint NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
	starts_at timestamptz NOT NULL,
	ends_at timestamptz NOT NULL,
	override boolean NOT NULL DEFAULT false,
	note text NOT NULL DEFAULT '' CHECK (length(note) <= 200),
	created_at timestamptz NOT NULL DEFAULT now(),
	CHECK (ends_at > starts_at AND ends_at <= starts_at + interval '7 days')
);
-- "Who is on call for team T now": the slots of T not yet ended.
CREATE INDEX oncall_shifts_team ON oncall_shifts (team_id, ends_at);
CREATE INDEX oncall_shifts_staff ON oncall_shifts (staff_id);
-- The admin page: every slot not yet ended, the next to end first.
CREATE INDEX oncall_shifts_ends ON oncall_shifts (ends_at);

-- Five escalation levels (staff.escalation_level) with names an admin
-- chooses; the seed documents' chain by default.
ALTER TABLE staff DROP CONSTRAINT staff_escalation_level_check,
	ADD CONSTRAINT staff_escalation_level_check CHECK (escalation_level BETWEEN 1 AND 5);
CREATE TABLE escalation_levels (
	level smallint PRIMARY KEY CHECK (level BETWEEN 1 AND 5),
	name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 40)
);
INSERT INTO escalation_levels (level, name) VALUES (1, 'frontline'), (2, 'senior'),
	(3, 'team lead'), (4, 'manager'), (5, 'director');

-- A rule may hold for one target only: "80 % of the resolution target →
-- manager" is no longer also a response rule. NULL: any target.
ALTER TABLE escalation_rules ADD COLUMN if_target text
	CHECK (if_target IN ('first_response', 'next_response', 'resolution'));
