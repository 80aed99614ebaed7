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
-- chooses; the seed documents' chain by default. The names are saved all
-- five at once (escalation_levels.h checks they differ), so that two can
-- swap names.
ALTER TABLE staff DROP CONSTRAINT staff_escalation_level_check,
	ADD CONSTRAINT staff_escalation_level_check CHECK (escalation_level BETWEEN 1 AND 5);
CREATE TABLE escalation_levels (
	level smallint PRIMARY KEY CHECK (level BETWEEN 1 AND 5),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 40)
);
INSERT INTO escalation_levels (level, name) VALUES (1, 'frontline'), (2, 'senior'),
	(3, 'team lead'), (4, 'manager'), (5, 'director');

-- A rule may hold for one target only: "80 % of the resolution target →
-- manager" is no longer also a response rule. NULL: any target.
ALTER TABLE escalation_rules ADD COLUMN if_target text
	CHECK (if_target IN ('first_response', 'next_response', 'resolution'));

-- When a ticket's status last changed (180_automation.sql keeps it): the
-- basis of "N hours in pending customer" automations. Existing tickets
-- count from now.
ALTER TABLE tickets ADD COLUMN status_changed_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX tickets_status_changed ON tickets (status, status_changed_at);

-- Triggers and automations: ordered rules, each "when" (an event of the
-- ticket, or "time": hours since creation, the last update or the last
-- status change, checked by the batch), "if" (conditions; NULL matches
-- anything) and "then" (actions). checked_until is how far the batch has
-- looked for a time rule, so each ticket is found once per basis.
CREATE TABLE automation_rules (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	position integer NOT NULL DEFAULT 0 CHECK (position BETWEEN 0 AND 10000),
	name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
	active boolean NOT NULL DEFAULT true,
	on_event text NOT NULL CHECK (on_event IN ('created', 'customer_replied',
		'status_changed', 'priority_changed', 'updated', 'sla_at_risk', 'sla_breached',
		'time')),
	time_basis text CHECK (time_basis IN ('created', 'updated', 'status')),
	time_hours integer CHECK (time_hours BETWEEN 1 AND 8760),
	checked_until timestamptz NOT NULL DEFAULT now(),
	if_status text CHECK (if_status IN ('new', 'assigned', 'in_progress', 'pending_customer',
		'pending_parts', 'resolved', 'closed', 'reopened', 'cancelled')),
	if_priority ticket_priority,
	if_tier text CHECK (if_tier IN ('standard', 'premium', 'vip')),
	if_channel text CHECK (length(if_channel) <= 20),
	if_queue_id bigint REFERENCES queues (id) ON DELETE CASCADE,
	if_tag text CHECK (length(if_tag) <= 40),
	if_no_tag text CHECK (length(if_no_tag) <= 40),
	if_text text CHECK (length(if_text) BETWEEN 1 AND 100),
	-- Inside ('open') or outside ('closed') the business hours of the
	-- ticket's SLA calendar (a ticket without one is always inside).
	if_hours text CHECK (if_hours IN ('open', 'closed')),
	set_status text CHECK (set_status IN ('resolved', 'closed')),
	set_priority ticket_priority,
	set_queue_id bigint REFERENCES queues (id) ON DELETE SET NULL,
	add_tags text[] NOT NULL DEFAULT '{}',
	assign_to bigint REFERENCES staff (id) ON DELETE SET NULL,
	note text CHECK (length(note) BETWEEN 1 AND 2000),
	mail_to text CHECK (mail_to IN ('customer', 'assignee', 'team', 'address')),
	mail_address text CHECK (length(mail_address) <= 254),
	mail_subject text CHECK (length(mail_subject) <= 200),
	mail_body text CHECK (length(mail_body) <= 5000),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CHECK ((on_event = 'time') = (time_basis IS NOT NULL AND time_hours IS NOT NULL)),
	CHECK ((mail_to IS NULL) = (mail_body IS NULL)),
	CHECK ((mail_to = 'address') = (mail_address IS NOT NULL))
);
CREATE INDEX automation_rules_active ON automation_rules (on_event, position, id) WHERE active;

-- Each rule fires at most once per ticket per basis: the event that
-- triggered it ("e" and its id) or the moment a time rule counted from
-- ("t" and the time). The primary key is what makes two dispatchers, or
-- a batch run again, fire once.
CREATE TABLE automation_firings (
	rule_id bigint NOT NULL REFERENCES automation_rules (id) ON DELETE CASCADE,
	ticket_id bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	basis text NOT NULL CHECK (length(basis) <= 60),
	depth smallint NOT NULL DEFAULT 0,
	fired_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (rule_id, ticket_id, basis)
);
CREATE INDEX automation_firings_ticket ON automation_firings (ticket_id);

-- The event rules are a consumer of domain events (automation_run.h). On a
-- database with history, they start with the events after this
-- migration: a rule must not fire on years of old events the first time
-- the batch runs.
INSERT INTO event_cursors (consumer, tx, last_id)
SELECT 'automation', coalesce(max(e.tx), '0'), coalesce(max(e.id), 0)
FROM (SELECT tx, id FROM domain_events WHERE tx < pg_snapshot_xmin(pg_current_snapshot())
	ORDER BY tx DESC, id DESC LIMIT 1) e
ON CONFLICT (consumer) DO NOTHING;

-- Flags an agent sets on a ticket, each with its own escalation path: the
-- level it jumps to (an agent there takes it) and who is told. Clearing
-- the flag de-escalates.
ALTER TABLE tickets ADD COLUMN flags text[] NOT NULL DEFAULT '{}'
	CHECK (flags <@ ARRAY['vip', 'legal', 'media', 'outage']);
CREATE TABLE escalation_flags (
	flag text PRIMARY KEY CHECK (flag IN ('vip', 'legal', 'media', 'outage')),
	label text NOT NULL CHECK (length(label) BETWEEN 1 AND 40),
	level smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
	notify text NOT NULL CHECK (notify IN ('none', 'supervisor', 'manager'))
);
INSERT INTO escalation_flags (flag, label, level, notify) VALUES
	('vip', 'VIP', 2, 'supervisor'), ('outage', 'Outage', 3, 'supervisor'),
	('legal', 'Legal', 4, 'manager'), ('media', 'Media attention', 5, 'manager');
ALTER TABLE ticket_escalations DROP CONSTRAINT ticket_escalations_trigger_check,
	ADD CONSTRAINT ticket_escalations_trigger_check
	CHECK (trigger IN ('at_risk', 'breached', 'no_update', 'manual', 'flag'));

-- Low-priority automatic answers: the articles mailed to a new
-- low-priority ticket's requester, and the secret of its "this solved it"
-- link (only its SHA-256 is kept). solved_at is the self-service
-- deflection: set once, when the link resolved the ticket.
CREATE TABLE kb_auto_answers (
	ticket_id bigint PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
	token_sha256 text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
	article_ids bigint[] NOT NULL,
	sent_at timestamptz NOT NULL DEFAULT now(),
	solved_at timestamptz
);
CREATE INDEX kb_auto_answers_solved ON kb_auto_answers (solved_at) WHERE solved_at IS NOT NULL;

-- The customer's own time zone, for the times the portal promises (NULL:
-- the SLA calendar's); sla_promise_due gains the resolution time and the
-- agent's name (its result changes: dropped here, made again by
-- sql/functions/090_sla_state.sql).
-- (034 may have made it already, the same.)
ALTER TABLE customers ADD COLUMN IF NOT EXISTS time_zone text CHECK (length(time_zone) BETWEEN 1 AND 64);
DROP FUNCTION IF EXISTS sla_promise_due(bigint);
