-- 046_types_sites.sql — ticket types an admin keeps, categories with one
-- level of sub-categories, and a customer's sites on the customer and the
-- ticket.
--
-- Types were a fixed CHECK (question, incident, problem, request); the
-- seed documents also name complaint and feature request, and a desk adds
-- its own. tickets.type keeps the code (no rewrite of the ticket table):
-- the CHECK becomes a foreign key to ticket_types(code). A code is
-- renamed ON UPDATE CASCADE (rare, an admin's act); a type is never
-- deleted, only deactivated: the forms stop offering it, tickets keep it.
CREATE TABLE ticket_types (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9_]{1,40}$'),
	label text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
	position integer NOT NULL DEFAULT 0 CHECK (position BETWEEN 0 AND 10000),
	active boolean NOT NULL DEFAULT true
);
INSERT INTO ticket_types (code, label, position) VALUES
	('question', 'Question', 10), ('incident', 'Incident', 20), ('problem', 'Problem', 30),
	('request', 'Request', 40), ('complaint', 'Complaint', 50),
	('feature_request', 'Feature request', 60);

ALTER TABLE tickets DROP CONSTRAINT tickets_type_check,
	ADD CONSTRAINT tickets_type_fkey FOREIGN KEY (type) REFERENCES ticket_types (code)
		ON UPDATE CASCADE;

-- Reports count by type: a dimension of the daily rollup (037).
ALTER TABLE analytics_daily DROP CONSTRAINT analytics_daily_dimension_check,
	ADD CONSTRAINT analytics_daily_dimension_check CHECK (dimension IN ('all', 'channel',
		'team', 'agent', 'queue', 'category', 'product', 'tier', 'priority', 'type'));

-- Routing may decide by type.
ALTER TABLE routing_rules ADD COLUMN if_type text REFERENCES ticket_types (code)
	ON UPDATE CASCADE;

-- Categories with one level of sub-categories: a category may have a
-- parent, which itself has none (260_types_sites.sql's trigger keeps it
-- one level). A ticket points at the most precise one it has; a routing
-- rule, SLA policy or report for a category takes its sub-categories in.
ALTER TABLE categories ADD COLUMN parent_id bigint REFERENCES categories (id),
	ADD CONSTRAINT categories_not_own_parent CHECK (parent_id <> id);
CREATE INDEX categories_parent ON categories (parent_id) WHERE parent_id IS NOT NULL;

-- A customer's sites (addresses): an account with several offices or
-- stores says which one a request is about. Never deleted (tickets point
-- at them), deactivated instead. The (id, customer_id) key lets a ticket's
-- site be only one of its own customer's.
CREATE TABLE customer_sites (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	address text NOT NULL CHECK (length(address) BETWEEN 1 AND 500),
	active boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (customer_id, name),
	UNIQUE (id, customer_id)
);
ALTER TABLE tickets ADD COLUMN site_id bigint,
	ADD CONSTRAINT tickets_site_fkey FOREIGN KEY (site_id, customer_id)
		REFERENCES customer_sites (id, customer_id);
ALTER TABLE customer_sites ENABLE ROW LEVEL SECURITY;
CREATE POLICY customer_sites_portal ON customer_sites TO csdesk_portal
	USING (customer_id = request_customer());
CREATE POLICY customer_sites_console ON customer_sites TO csdesk_console USING (true);

-- Routing may decide by the site: words its name or address contains
-- ("Berlin" → the Berlin team's queue).
ALTER TABLE routing_rules ADD COLUMN if_site text CHECK (length(if_site) BETWEEN 1 AND 100);

-- Skill levels: how well an agent knows a skill (1 … 5), the level a
-- queue requires of its skill, and a routing rule that asks more of a
-- ticket ("VIP billing disputes need billing at level 4"): the ticket
-- keeps the level asked for (NULL: the queue's), and assignment, at
-- creation or later by the batch, gives it only to agents at that level.
ALTER TABLE staff_skills ADD COLUMN level smallint NOT NULL DEFAULT 1
	CHECK (level BETWEEN 1 AND 5);
ALTER TABLE queues ADD COLUMN required_skill_level smallint NOT NULL DEFAULT 1
	CHECK (required_skill_level BETWEEN 1 AND 5);
ALTER TABLE routing_rules ADD COLUMN set_skill_level smallint
	CHECK (set_skill_level BETWEEN 2 AND 5);
ALTER TABLE tickets ADD COLUMN skill_level smallint CHECK (skill_level BETWEEN 2 AND 5);

-- Automations counted in business hours ("pending customer for 24
-- business hours → a reminder"): on the calendar of the ticket's queue,
-- else of its SLA policy, else wall-clock hours (180_automation.sql).
ALTER TABLE automation_rules ADD COLUMN time_business boolean NOT NULL DEFAULT false;
ALTER TABLE queues ADD COLUMN calendar_id bigint REFERENCES business_calendars (id);

-- The knowledge base's report of automatic answers reads a range of them.
CREATE INDEX kb_auto_answers_sent ON kb_auto_answers (sent_at);

-- Webhooks: an admin registers a URL and the ticket events it wants; the
-- webhooks consumer of domain events queues one delivery per event and
-- webhook (the unique key makes it once), and the batch's webhooks step
-- posts it, signed with HMAC-SHA256 of the body under the webhook's
-- secret, retrying with a growing wait until it is taken or given up.
-- A trigger's "call a webhook" queues a delivery of its own.
CREATE TABLE webhooks (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
	url text NOT NULL CHECK (url ~ '^https?://[^\s/?#]+' AND length(url) <= 500),
	events text[] NOT NULL DEFAULT '{}' CHECK (events <@ ARRAY['ticket.created',
		'ticket.replied', 'ticket.noted', 'ticket.status_changed', 'ticket.assigned',
		'ticket.fields_changed', 'ticket.merged']),
	secret text NOT NULL CHECK (secret ~ '^[0-9a-f]{64}$'),
	active boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE webhook_deliveries (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	webhook_id bigint NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
	-- What it delivers, once: "e:<domain event id>", or a trigger's firing
	-- "r:<rule>:<ticket>:<basis>".
	source text NOT NULL CHECK (length(source) <= 120),
	event text NOT NULL CHECK (length(event) <= 60),
	payload jsonb NOT NULL,
	state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
	attempts integer NOT NULL DEFAULT 0,
	next_attempt_at timestamptz NOT NULL DEFAULT now(),
	last_status integer,
	last_error text CHECK (length(last_error) <= 300),
	created_at timestamptz NOT NULL DEFAULT now(),
	delivered_at timestamptz,
	UNIQUE (webhook_id, source)
);
-- The sender's queue: only what is still to be tried.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id)
	WHERE state = 'pending';
-- The delivery log of one webhook, newest first (keyset).
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, id DESC);
ALTER TABLE automation_rules ADD COLUMN call_webhook_id bigint
	REFERENCES webhooks (id) ON DELETE SET NULL;
-- The consumer starts with the events after this migration.
INSERT INTO event_cursors (consumer, tx, last_id)
SELECT 'webhooks', coalesce(max(e.tx), '0'), coalesce(max(e.id), 0)
FROM (SELECT tx, id FROM domain_events WHERE tx < pg_snapshot_xmin(pg_current_snapshot())
	ORDER BY tx DESC, id DESC LIMIT 1) e
ON CONFLICT (consumer) DO NOTHING;
