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
