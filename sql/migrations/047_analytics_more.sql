-- 047_analytics_more.sql — mailed reports carry their XLSX or PDF, and
-- the rollup counts what the survey response rate and the QA score are
-- computed from.

-- A file attached to an outbox message (one per message today: a mailed
-- report's export). Kept apart from notifications so the outbox's own
-- rows stay narrow for the mailer's claim; gone with its message.
CREATE TABLE notification_files (
	notification_id bigint PRIMARY KEY REFERENCES notifications (id) ON DELETE CASCADE,
	filename text NOT NULL CHECK (filename ~ '^[A-Za-z0-9._-]{1,100}$'),
	content_type text NOT NULL CHECK (content_type ~ '^[a-z]+/[a-z0-9.+-]{1,100}$'),
	data bytea NOT NULL CHECK (length(data) <= 10485760)
);

-- Which export a subscription's mail carries.
ALTER TABLE report_subscriptions
	ADD COLUMN attachment text NOT NULL DEFAULT 'xlsx' CHECK (attachment IN ('xlsx', 'pdf'));

-- Survey invitations sent that day, and how many of those were answered
-- (before their link expired); quality reviews scored that day and the
-- sum of their scores in hundredths (a score is 0-100 with 2 decimals).
ALTER TABLE analytics_daily
	ADD COLUMN surveys_sent integer NOT NULL DEFAULT 0,
	ADD COLUMN surveys_answered integer NOT NULL DEFAULT 0,
	ADD COLUMN qa_reviews integer NOT NULL DEFAULT 0,
	ADD COLUMN qa_score_sum bigint NOT NULL DEFAULT 0;

-- Their KPI tiles, with a starting target and alert line for admins to
-- change (Admin → KPI targets): half the invitations answered, alert
-- under a quarter; a QA score of 85, alert under 75.
INSERT INTO kpi_targets (metric, target, alert) VALUES
	('response_rate', 50, 25),
	('qa_score', 85, 75);

-- Utilisation: minutes each agent was scheduled to work that day (their
-- working days and hours, less time off), and the labour and travel
-- minutes of the field visits completed that day (041), under the
-- technician. Cost per resolution prices the work time at the hourly cost
-- admins set (empty: not set, so not measured).
ALTER TABLE analytics_daily
	ADD COLUMN scheduled_minutes bigint NOT NULL DEFAULT 0,
	ADD COLUMN field_labour_minutes bigint NOT NULL DEFAULT 0,
	ADD COLUMN field_travel_minutes bigint NOT NULL DEFAULT 0;
CREATE INDEX appointments_completed ON appointments (completed_at) WHERE status = 'completed';
INSERT INTO settings (key, value) VALUES ('analytics_hourly_cost', '');
INSERT INTO kpi_targets (metric, target, alert) VALUES
	('utilisation', 70, 60),
	('cost_per_resolution', 40, 60);

-- The field service report reads the visits planned in a range of days
-- through appointments_starts (042).
