-- 037_analytics.sql — the analytics rollup and what it needs: who held a
-- ticket when, the daily rollup per dimension, KPI targets, report
-- subscriptions and the state of each KPI's alert. The rollup's function,
-- the trigger that keeps ticket_holders and the schedule arithmetic are
-- in sql/functions/170_analytics.sql.

-- Who held a ticket from when: one row per change of its team or agent,
-- the first at its creation. The rollup counts an event (a resolution, a
-- first response, an SLA target met or missed) under the holder at the
-- moment it happened, never under the ticket's current owner. Kept by a
-- trigger on tickets, so every path that reassigns (console, routing,
-- escalation, bulk, API) is recorded the same way.
CREATE TABLE ticket_holders (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ticket_id bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	since timestamptz NOT NULL,
	team_id bigint,
	agent_id bigint
);
CREATE INDEX ticket_holders_ticket ON ticket_holders (ticket_id, since, id);

-- Tickets already there: replayed from their assignment events. A ticket
-- starts with the holder its first "ticket.assigned" says it had before
-- (its current one when it has no such event), then takes each event's.
WITH ev AS (
	SELECT e.aggregate_id AS ticket_id, e.occurred_at, e.id,
		CASE WHEN e.payload ? 'team_id' THEN (e.payload ->> 'team_id')::bigint
			ELSE t.team_id END AS team_id,
		(e.payload ->> 'assignee_id')::bigint AS agent_id,
		row_number() OVER (PARTITION BY e.aggregate_id ORDER BY e.id) AS n,
		CASE WHEN e.payload ? 'previous_team_id'
			THEN (e.payload ->> 'previous_team_id')::bigint ELSE t.team_id END AS was_team,
		CASE WHEN e.payload ? 'previous_assignee_id'
			THEN (e.payload ->> 'previous_assignee_id')::bigint END AS was_agent
	FROM domain_events e JOIN tickets t ON t.id = e.aggregate_id
	WHERE e.aggregate = 'ticket' AND e.type = 'ticket.assigned'
)
INSERT INTO ticket_holders (ticket_id, since, team_id, agent_id)
SELECT t.id, t.created_at, coalesce(f.was_team, t.team_id),
	CASE WHEN f.ticket_id IS NULL THEN t.assignee_id ELSE f.was_agent END
FROM tickets t LEFT JOIN ev f ON f.ticket_id = t.id AND f.n = 1
UNION ALL
SELECT ticket_id, greatest(occurred_at, (SELECT created_at FROM tickets WHERE id = ticket_id)),
	team_id, agent_id
FROM ev;

-- The ranges the rollup reads for a day besides 010's: reopenings,
-- SLA targets decided, and work logged.
CREATE INDEX ticket_events_reopened ON ticket_events (created_at)
	WHERE field = 'status' AND new_value = 'reopened';
CREATE INDEX ticket_sla_events_decided ON ticket_sla_events (at)
	WHERE kind IN ('met', 'missed');
CREATE INDEX ticket_comments_work ON ticket_comments (created_at)
	WHERE minutes_spent > 0;

-- One row per calendar day (in metrics_time_zone), dimension and key.
-- Every column is a count or a sum, so weeks, months and any range add
-- up; each metric is a formula over these (src/domain/metric_defs.h),
-- written once. backlog and backlog_breached are a snapshot taken while
-- the day is today (its last minute): over a range, the last day's.
CREATE TABLE analytics_daily (
	day date NOT NULL,
	dimension text NOT NULL CHECK (dimension IN ('all', 'channel', 'team', 'agent', 'queue',
		'category', 'product', 'tier', 'priority')),
	key text NOT NULL CHECK (length(key) <= 40),
	created integer NOT NULL DEFAULT 0,
	resolved integer NOT NULL DEFAULT 0,
	first_contact integer NOT NULL DEFAULT 0,	-- resolved with one public staff reply
	reopened integer NOT NULL DEFAULT 0,		-- reopened ≤ 14 days after resolution
	first_responses integer NOT NULL DEFAULT 0,
	first_response_s bigint NOT NULL DEFAULT 0,	-- sum, created → first response
	resolution_s bigint NOT NULL DEFAULT 0,		-- sum, created → resolved
	sla_first_met integer NOT NULL DEFAULT 0,
	sla_first_decided integer NOT NULL DEFAULT 0,
	sla_next_met integer NOT NULL DEFAULT 0,
	sla_next_decided integer NOT NULL DEFAULT 0,
	sla_resolution_met integer NOT NULL DEFAULT 0,
	sla_resolution_decided integer NOT NULL DEFAULT 0,
	work_minutes bigint NOT NULL DEFAULT 0,
	-- Measured while the day is today (NULL: the day was rolled up later).
	backlog integer,
	backlog_breached integer,			-- with a target breached
	backlog_at_risk integer,			-- at risk, none breached
	csat_answers integer NOT NULL DEFAULT 0,
	csat_good integer NOT NULL DEFAULT 0,		-- 4 or 5
	nps_answers integer NOT NULL DEFAULT 0,
	nps_promoters integer NOT NULL DEFAULT 0,	-- 9 or 10
	nps_detractors integer NOT NULL DEFAULT 0,	-- 0 to 6
	ces_answers integer NOT NULL DEFAULT 0,
	ces_sum integer NOT NULL DEFAULT 0,
	computed_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (dimension, key, day)
);
CREATE INDEX analytics_daily_day ON analytics_daily (day, dimension);

-- Targets and alert lines of the dashboard's KPI tiles, editable by
-- admins. A metric is good on the side its definition says (higher or
-- lower); the tile is green past target, red past alert, amber between.
CREATE TABLE kpi_targets (
	metric text PRIMARY KEY CHECK (metric ~ '^[a-z_]{1,40}$'),
	target numeric NOT NULL,
	alert numeric NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO kpi_targets (metric, target, alert) VALUES
	('first_response_avg', 120, 180),	-- minutes: < 2 h, alert > 3 h
	('fcr', 70, 60),
	('csat', 85, 80),			-- 8.5/10 and 8.0/10 as a share of 4-5
	('sla_compliance', 95, 90),
	('aht', 30, 45),			-- minutes: baseline 30, alert at 150 %
	('reopen_rate', 5, 8);

-- Where each KPI stood at the last check, so an alert mails once when the
-- line is crossed, not at every tick while it stays crossed.
CREATE TABLE kpi_alert_state (
	metric text PRIMARY KEY REFERENCES kpi_targets (metric) ON DELETE CASCADE,
	alerting boolean NOT NULL,
	value numeric,
	changed_at timestamptz NOT NULL DEFAULT now()
);

-- A person's subscription to a report: its filters, a schedule read in
-- their time zone, and the next time it is due (UTC), which the batch
-- moves on after sending. alerts: the person also hears when a KPI
-- crosses its alert line.
CREATE TABLE report_subscriptions (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	staff_id bigint NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
	report text NOT NULL CHECK (report ~ '^[a-z_]{1,40}$'),
	dimension text NOT NULL DEFAULT 'all',
	grain text NOT NULL DEFAULT 'day' CHECK (grain IN ('day', 'week', 'month')),
	frequency text NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly')),
	weekday smallint CHECK (weekday BETWEEN 1 AND 7),	-- ISO: 1 Monday
	monthday smallint CHECK (monthday BETWEEN 1 AND 28),
	hour smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
	time_zone text NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
	skip_empty boolean NOT NULL DEFAULT false,
	alerts boolean NOT NULL DEFAULT false,
	next_run_at timestamptz NOT NULL,
	last_sent_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	CHECK ((frequency = 'weekly') = (weekday IS NOT NULL)),
	CHECK ((frequency = 'monthly') = (monthday IS NOT NULL))
);
CREATE INDEX report_subscriptions_due ON report_subscriptions (next_run_at);
CREATE INDEX report_subscriptions_staff ON report_subscriptions (staff_id, id);

-- The dashboards, read on every refresh: the open critical and urgent
-- tickets by their resolution due time, and an agent's open tickets by
-- due time.
CREATE INDEX tickets_open_critical ON tickets (resolution_due_at, id)
	WHERE priority IN ('critical', 'urgent')
		AND status IN ('new', 'assigned', 'in_progress', 'pending_customer', 'pending_parts',
			'reopened');
CREATE INDEX tickets_open_assignee_due ON tickets (assignee_id, resolution_due_at, id)
	WHERE status IN ('new', 'assigned', 'in_progress', 'pending_customer', 'pending_parts',
		'reopened');
