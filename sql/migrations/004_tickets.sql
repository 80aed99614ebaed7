-- 004_tickets.sql — tickets and everything that hangs off them: queues,
-- categories, routing rules, comments, attachments, history, links, canned
-- responses, saved views, API keys, and the counters that keep the console
-- fast at a million tickets.
--
-- Row-level security: the portal's role sees a ticket only when it belongs
-- to request_customer(), and never an internal note or what hangs off one.

CREATE TABLE categories (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
	position integer NOT NULL DEFAULT 0,
	active boolean NOT NULL DEFAULT true
);

CREATE TABLE products (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	sku text NOT NULL UNIQUE CHECK (length(sku) BETWEEN 1 AND 64),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	active boolean NOT NULL DEFAULT true
);

CREATE TABLE queues (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
	team_id bigint REFERENCES teams (id),
	-- Tickets entering the queue are given to an agent automatically.
	auto_assign boolean NOT NULL DEFAULT true,
	required_skill_id bigint REFERENCES skills (id),
	active boolean NOT NULL DEFAULT true
);

CREATE TABLE resolution_codes (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9_]{1,40}$'),
	label text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
	active boolean NOT NULL DEFAULT true
);

-- Routing: the first active rule (by position) whose conditions all hold
-- decides; a NULL condition matches anything.
CREATE TABLE routing_rules (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	position integer NOT NULL DEFAULT 0,
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	active boolean NOT NULL DEFAULT true,
	if_category_id bigint REFERENCES categories (id),
	if_channel text,
	if_priority text,
	if_tier text,
	if_language text,
	if_keyword text CHECK (length(if_keyword) <= 100),
	set_queue_id bigint REFERENCES queues (id),
	set_team_id bigint REFERENCES teams (id),
	set_priority text,
	set_tags text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX routing_rules_order ON routing_rules (position, id) WHERE active;

-- Agents' load, kept as tickets change (trigger below), so choosing the
-- least-loaded agent reads a handful of staff rows, not the ticket table.
ALTER TABLE staff
	ADD COLUMN open_tickets integer NOT NULL DEFAULT 0,
	ADD COLUMN last_assigned_at timestamptz NOT NULL DEFAULT '-infinity';

CREATE SEQUENCE ticket_number_seq;

CREATE TABLE tickets (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	number text NOT NULL UNIQUE
		DEFAULT 'TKT-' || lpad(nextval('ticket_number_seq')::text, 6, '0'),
	customer_id bigint NOT NULL REFERENCES customers (id),
	requester_id bigint REFERENCES portal_users (id),
	channel text NOT NULL CHECK (channel IN ('portal', 'email', 'phone', 'chat', 'social',
		'api', 'walk-in')),
	type text NOT NULL DEFAULT 'question' CHECK (type IN ('question', 'incident', 'problem',
		'request')),
	category_id bigint REFERENCES categories (id),
	product_id bigint REFERENCES products (id),
	serial text CHECK (length(serial) <= 100),
	subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
	description text NOT NULL CHECK (length(description) <= 20000),
	urgency text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('low', 'normal', 'high')),
	priority text NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high',
		'urgent', 'critical')),
	status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'assigned', 'in_progress',
		'pending_customer', 'pending_parts', 'resolved', 'closed', 'reopened', 'cancelled')),
	queue_id bigint REFERENCES queues (id),
	team_id bigint REFERENCES teams (id),
	assignee_id bigint REFERENCES staff (id),
	tags text[] NOT NULL DEFAULT '{}',
	language text NOT NULL DEFAULT 'en',
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	first_response_at timestamptz,
	resolved_at timestamptz,
	closed_at timestamptz,
	resolution_code_id bigint REFERENCES resolution_codes (id),
	root_cause text CHECK (length(root_cause) <= 2000),
	rating smallint CHECK (rating BETWEEN 1 AND 5),
	rating_comment text CHECK (length(rating_comment) <= 2000),
	reopen_count integer NOT NULL DEFAULT 0,
	-- Bumped on every change: a reply to an older version is shown the change.
	version integer NOT NULL DEFAULT 1,
	search tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('simple', subject), 'A') ||
		setweight(to_tsvector('simple', description), 'B')) STORED
);
CREATE INDEX tickets_customer ON tickets (customer_id, updated_at DESC, id DESC);
CREATE INDEX tickets_requester ON tickets (requester_id, updated_at DESC, id DESC);
CREATE INDEX tickets_queue ON tickets (queue_id, status, updated_at DESC, id DESC);
CREATE INDEX tickets_assignee ON tickets (assignee_id, status, updated_at DESC, id DESC);
CREATE INDEX tickets_status ON tickets (status, updated_at DESC, id DESC);
CREATE INDEX tickets_search ON tickets USING gin (search);

-- Open means someone still has work to do on it.
CREATE FUNCTION ticket_is_open(status text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT status NOT IN ('resolved', 'closed', 'cancelled')
$$;

CREATE TABLE ticket_comments (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ticket_id bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	kind text NOT NULL CHECK (kind IN ('public', 'internal', 'system')),
	author_staff_id bigint REFERENCES staff (id),
	author_user_id bigint REFERENCES portal_users (id),
	body text NOT NULL CHECK (length(body) BETWEEN 1 AND 50000),
	minutes_spent integer NOT NULL DEFAULT 0 CHECK (minutes_spent BETWEEN 0 AND 10000),
	created_at timestamptz NOT NULL DEFAULT now(),
	search tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED
);
CREATE INDEX ticket_comments_ticket ON ticket_comments (ticket_id, id);
CREATE INDEX ticket_comments_search ON ticket_comments USING gin (search);

CREATE TABLE ticket_attachments (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ticket_id bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	comment_id bigint REFERENCES ticket_comments (id) ON DELETE CASCADE,
	filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
	content_type text NOT NULL CHECK (length(content_type) <= 100),
	size integer NOT NULL CHECK (size >= 0),
	sha256 bytea NOT NULL,
	data bytea NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_attachments_ticket ON ticket_attachments (ticket_id, id);

-- Every change: who, which field, before, after.
CREATE TABLE ticket_events (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ticket_id bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	actor_kind text NOT NULL CHECK (actor_kind IN ('staff', 'customer', 'system', 'api')),
	actor_id bigint,
	field text NOT NULL,
	old_value text,
	new_value text,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);

CREATE TABLE ticket_links (
	ticket_id bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	other_id bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	kind text NOT NULL CHECK (kind IN ('related', 'duplicate_of')),
	PRIMARY KEY (ticket_id, other_id),
	CHECK (ticket_id <> other_id)
);

CREATE TABLE canned_responses (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	title text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
	body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
	team_id bigint REFERENCES teams (id),
	created_by bigint REFERENCES staff (id),
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE saved_views (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	staff_id bigint NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	query text NOT NULL CHECK (length(query) <= 2000),
	UNIQUE (staff_id, name)
);

-- Keys for /api/v1: only the hash is kept; revoked keys stay for the record.
CREATE TABLE api_keys (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	key_hash bytea NOT NULL UNIQUE,
	prefix text NOT NULL,
	created_by bigint REFERENCES staff (id),
	created_at timestamptz NOT NULL DEFAULT now(),
	last_used_at timestamptz,
	revoked_at timestamptz
);

-- Counts per queue and status for the console home, kept as tickets change
-- so that no page view counts the ticket table.
CREATE TABLE ticket_counts (
	queue_id bigint NOT NULL DEFAULT 0,
	status text NOT NULL,
	n bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (queue_id, status)
);

-- Runs as the owner: the portal's role creates tickets but may not touch
-- staff rows or the counters itself.
CREATE FUNCTION tickets_keep_counts() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		UPDATE ticket_counts SET n = n - 1
			WHERE queue_id = coalesce(OLD.queue_id, 0) AND status = OLD.status;
		IF OLD.assignee_id IS NOT NULL AND ticket_is_open(OLD.status) THEN
			UPDATE staff SET open_tickets = open_tickets - 1 WHERE id = OLD.assignee_id;
		END IF;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO ticket_counts (queue_id, status, n)
			VALUES (coalesce(NEW.queue_id, 0), NEW.status, 1)
			ON CONFLICT (queue_id, status) DO UPDATE SET n = ticket_counts.n + 1;
		IF NEW.assignee_id IS NOT NULL AND ticket_is_open(NEW.status) THEN
			UPDATE staff SET open_tickets = open_tickets + 1 WHERE id = NEW.assignee_id;
		END IF;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER tickets_counts AFTER INSERT OR DELETE ON tickets
	FOR EACH ROW EXECUTE FUNCTION tickets_keep_counts();
CREATE TRIGGER tickets_counts_update AFTER UPDATE OF queue_id, status, assignee_id ON tickets
	FOR EACH ROW
	WHEN (OLD.queue_id IS DISTINCT FROM NEW.queue_id OR OLD.status IS DISTINCT FROM NEW.status
		OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id)
	EXECUTE FUNCTION tickets_keep_counts();

-- Row-level security: the portal sees its customer's tickets, their public
-- conversation and public attachments; the console sees everything.
ALTER TABLE tickets ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket_comments ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket_attachments ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket_events ENABLE ROW LEVEL SECURITY;

CREATE POLICY tickets_portal ON tickets TO csdesk_portal
	USING (customer_id = request_customer());
CREATE POLICY ticket_comments_portal ON ticket_comments TO csdesk_portal
	USING (kind <> 'internal'
		AND ticket_id IN (SELECT id FROM tickets WHERE customer_id = request_customer()));
CREATE POLICY ticket_attachments_portal ON ticket_attachments TO csdesk_portal
	USING (ticket_id IN (SELECT id FROM tickets WHERE customer_id = request_customer())
		AND (comment_id IS NULL OR comment_id IN
			(SELECT id FROM ticket_comments WHERE kind <> 'internal')));
CREATE POLICY ticket_events_portal ON ticket_events TO csdesk_portal
	USING (ticket_id IN (SELECT id FROM tickets WHERE customer_id = request_customer()));
CREATE POLICY tickets_console ON tickets TO csdesk_console USING (true);
CREATE POLICY ticket_comments_console ON ticket_comments TO csdesk_console USING (true);
CREATE POLICY ticket_attachments_console ON ticket_attachments TO csdesk_console USING (true);
CREATE POLICY ticket_events_console ON ticket_events TO csdesk_console USING (true);

-- Routing and assignment, written once here and used by every channel
-- (portal, console, API, e-mail). Both run as the owner: the portal's role
-- cannot read rules or staff.

-- Applies the first matching routing rule to a ticket. Returns the rule's
-- id, or NULL when none matched.
CREATE FUNCTION ticket_route(p_ticket bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	t tickets%ROWTYPE;
	tier text;
	r routing_rules%ROWTYPE;
BEGIN
	SELECT * INTO t FROM tickets WHERE id = p_ticket FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	SELECT c.tier INTO tier FROM customers c WHERE c.id = t.customer_id;
	SELECT * INTO r FROM routing_rules rr
	WHERE rr.active
		AND (rr.if_category_id IS NULL OR rr.if_category_id = t.category_id)
		AND (rr.if_channel IS NULL OR rr.if_channel = t.channel)
		AND (rr.if_priority IS NULL OR rr.if_priority = t.priority)
		AND (rr.if_tier IS NULL OR rr.if_tier = tier)
		AND (rr.if_language IS NULL OR rr.if_language = t.language)
		AND (rr.if_keyword IS NULL OR strpos(lower(t.subject), lower(rr.if_keyword)) > 0)
	ORDER BY rr.position, rr.id
	LIMIT 1;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	UPDATE tickets SET
		queue_id = coalesce(r.set_queue_id, queue_id),
		team_id = coalesce(r.set_team_id, (SELECT q.team_id FROM queues q
			WHERE q.id = r.set_queue_id), team_id),
		priority = coalesce(r.set_priority, priority),
		tags = ARRAY(SELECT DISTINCT unnest(tags || r.set_tags) ORDER BY 1)
	WHERE id = p_ticket;
	INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value, new_value)
		VALUES (p_ticket, 'system', 'routing', NULL, r.name);
	RETURN r.id;
END
$$;

-- Gives a ticket to an agent when its queue assigns automatically: among
-- active agents of the queue's team, with the queue's skill, the ticket's
-- language, spare capacity and on shift now; the customer's preferred
-- agent first, then for VIP customers the most senior, then the least
-- loaded, and among equals whoever waited longest (round-robin). The
-- chosen agent's row is locked, and its load re-checked after the lock,
-- so concurrent creations never push anyone past capacity. Returns the
-- agent's id, or NULL (the ticket waits in its queue).
CREATE FUNCTION ticket_auto_assign(p_ticket bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	t tickets%ROWTYPE;
	q queues%ROWTYPE;
	c customers%ROWTYPE;
	agent bigint;
BEGIN
	SELECT * INTO t FROM tickets WHERE id = p_ticket;
	IF NOT FOUND OR t.assignee_id IS NOT NULL OR t.queue_id IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT * INTO q FROM queues WHERE id = t.queue_id;
	IF NOT q.auto_assign OR NOT q.active THEN
		RETURN NULL;
	END IF;
	SELECT * INTO c FROM customers WHERE id = t.customer_id;
	SELECT s.id INTO agent FROM staff s
	WHERE s.active AND 'agent' = ANY (s.roles)
		AND s.open_tickets < s.capacity
		AND (q.team_id IS NULL OR s.team_id = q.team_id)
		AND (q.required_skill_id IS NULL OR EXISTS (SELECT 1 FROM staff_skills k
			WHERE k.staff_id = s.id AND k.skill_id = q.required_skill_id))
		AND t.language = ANY (s.languages)
		AND extract(isodow FROM now() AT TIME ZONE s.time_zone)::smallint = ANY (s.work_days)
		AND (now() AT TIME ZONE s.time_zone)::time >= s.work_start
		AND (now() AT TIME ZONE s.time_zone)::time < s.work_end
	ORDER BY (s.id = c.preferred_agent_id) DESC,
		CASE WHEN c.tier = 'vip' THEN -s.escalation_level ELSE 0 END,
		s.open_tickets::float / greatest(s.capacity, 1),
		s.last_assigned_at, s.id
	LIMIT 1
	FOR UPDATE OF s;
	IF agent IS NULL THEN
		RETURN NULL;
	END IF;
	UPDATE staff SET last_assigned_at = clock_timestamp() WHERE id = agent;
	UPDATE tickets SET assignee_id = agent, team_id = coalesce(team_id, q.team_id),
		status = CASE WHEN status = 'new' THEN 'assigned' ELSE status END,
		version = version + 1
	WHERE id = p_ticket;
	INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value, new_value)
		VALUES (p_ticket, 'system', 'assignee', NULL, agent::text);
	RETURN agent;
END
$$;
