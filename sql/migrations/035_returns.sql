-- 035_returns.sql — returns (RMA): what a customer sends back, why, what the
-- warehouse found and did with each unit, and what the customer got for it.
--
-- A return (`returns`) belongs to a customer and the portal user who asked
-- (or staff asking for them); its lines say what is coming back, from which
-- order and delivery, at what unit price, why, and what the customer wants.
-- Each unit received becomes a row of `return_units`, where inspection,
-- disposition (what the warehouse does with it) and outcome (what the
-- customer gets for it) are kept per unit: units are counted, never typed
-- as a total, so more units than were received cannot be refunded.
--
-- The policy admins edit: one row of `return_policy` (auto-approve
-- threshold, the window of a product without a category), windows per
-- product category, which reasons need inspection, and restocking fees per
-- reason from a number of days since delivery.
--
-- Warehouse staff (a new role) receive and inspect.

ALTER TABLE staff DROP CONSTRAINT staff_roles_check;
ALTER TABLE staff ADD CONSTRAINT staff_roles_check CHECK (cardinality(roles) > 0
	AND roles <@ ARRAY['agent', 'supervisor', 'technician', 'admin', 'warehouse']);

CREATE TABLE return_policy (
	id boolean PRIMARY KEY DEFAULT true CHECK (id),
	-- A request worth at most this much is approved at once; 0: never.
	auto_approve_max numeric(12, 2) NOT NULL DEFAULT 0 CHECK (auto_approve_max >= 0),
	-- Days from delivery for a product without a category window.
	default_window_days integer NOT NULL DEFAULT 30
		CHECK (default_window_days BETWEEN 0 AND 3650),
	-- Where customers send what they return (printed on the authorisation).
	ship_to text NOT NULL DEFAULT 'Returns department' CHECK (length(ship_to) BETWEEN 1 AND 500)
);
INSERT INTO return_policy DEFAULT VALUES;

CREATE TABLE return_windows (
	category_id bigint PRIMARY KEY REFERENCES product_categories (id) ON DELETE CASCADE,
	days integer NOT NULL CHECK (days BETWEEN 0 AND 3650)
);

CREATE TABLE return_reasons (
	reason text PRIMARY KEY
		CHECK (reason IN ('defective', 'wrong_item', 'damaged_in_transit', 'not_needed')),
	needs_inspection boolean NOT NULL DEFAULT true
);
INSERT INTO return_reasons (reason, needs_inspection) VALUES
	('defective', true), ('wrong_item', false), ('damaged_in_transit', true),
	('not_needed', true);

-- A fee for a reason from from_days days after delivery on, until the next
-- row of the same reason: fixed (an amount) or percent (of the credit).
CREATE TABLE return_fees (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	reason text NOT NULL REFERENCES return_reasons (reason),
	from_days integer NOT NULL CHECK (from_days BETWEEN 0 AND 3650),
	kind text NOT NULL CHECK (kind IN ('fixed', 'percent')),
	amount numeric(12, 2) NOT NULL CHECK (amount >= 0 AND (kind = 'fixed' OR amount <= 100)),
	UNIQUE (reason, from_days)
);

CREATE SEQUENCE return_number_seq;

CREATE TABLE returns (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	number text NOT NULL UNIQUE
		DEFAULT 'RMA-' || lpad(nextval('return_number_seq')::text, 6, '0'),
	customer_id bigint NOT NULL REFERENCES customers (id),
	requester_id bigint REFERENCES portal_users (id),
	ticket_id bigint REFERENCES tickets (id) ON DELETE SET NULL,
	state text NOT NULL DEFAULT 'requested' CHECK (state IN ('requested', 'approved',
		'awaiting_shipment', 'received', 'inspected', 'dispositioned', 'refunded',
		'replaced', 'credited', 'closed', 'rejected', 'cancelled')),
	note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
	-- Why it was rejected or cancelled, as told to the customer.
	outcome_note text NOT NULL DEFAULT '' CHECK (length(outcome_note) <= 1000),
	refund_total numeric(12, 2) NOT NULL DEFAULT 0,
	credit_total numeric(12, 2) NOT NULL DEFAULT 0,
	fee_total numeric(12, 2) NOT NULL DEFAULT 0,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
-- The console queue (all, or one state) and the portal's list, newest first.
CREATE INDEX returns_queue_idx ON returns (id DESC);
CREATE INDEX returns_state_idx ON returns (state, id DESC);
CREATE INDEX returns_customer_idx ON returns (customer_id, id DESC);
CREATE INDEX returns_requester_idx ON returns (requester_id, id DESC);
CREATE INDEX returns_ticket_idx ON returns (ticket_id) WHERE ticket_id IS NOT NULL;

CREATE TABLE return_lines (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	return_id bigint NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
	position smallint NOT NULL CHECK (position BETWEEN 1 AND 20),
	product_id bigint NOT NULL REFERENCES products (id),
	serial text NOT NULL DEFAULT '' CHECK (length(serial) <= 100),
	quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
	order_ref text NOT NULL CHECK (length(order_ref) BETWEEN 1 AND 100),
	delivered_on date NOT NULL,
	unit_price numeric(12, 2) NOT NULL CHECK (unit_price >= 0),
	reason text NOT NULL REFERENCES return_reasons (reason),
	request_type text NOT NULL CHECK (request_type IN ('return', 'repair', 'exchange', 'credit')),
	-- The window and fee as they stood when asked: a policy edited later
	-- does not change what a customer was told.
	window_until date NOT NULL,
	fee_kind text CHECK (fee_kind IN ('fixed', 'percent')),
	fee_amount numeric(12, 2) NOT NULL DEFAULT 0,
	needs_inspection boolean NOT NULL,
	received integer NOT NULL DEFAULT 0,
	refund numeric(12, 2) NOT NULL DEFAULT 0,
	credit numeric(12, 2) NOT NULL DEFAULT 0,
	fee numeric(12, 2) NOT NULL DEFAULT 0,
	CHECK (received BETWEEN 0 AND quantity),
	UNIQUE (return_id, position)
);
CREATE INDEX return_lines_product_idx ON return_lines (product_id);
-- The warehouse finds a return by a serial on the box.
CREATE INDEX return_lines_serial_idx ON return_lines (serial, return_id) WHERE serial <> '';

CREATE TABLE return_units (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	line_id bigint NOT NULL REFERENCES return_lines (id) ON DELETE CASCADE,
	unit smallint NOT NULL CHECK (unit >= 1),
	condition text NOT NULL DEFAULT '' CHECK (length(condition) <= 1000),
	inspected boolean NOT NULL DEFAULT false,
	disposition text CHECK (disposition IN ('restock', 'repair', 'scrap', 'return_to_vendor')),
	outcome text CHECK (outcome IN ('refund', 'replace', 'credit', 'none')),
	UNIQUE (line_id, unit)
);

CREATE TABLE return_photos (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	return_id bigint NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
	-- Taken by the customer when asking, or by the warehouse at receiving.
	stage text NOT NULL CHECK (stage IN ('request', 'warehouse')),
	filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
	content_type text NOT NULL CHECK (length(content_type) <= 100),
	size integer NOT NULL CHECK (size >= 0),
	sha256 bytea NOT NULL,
	data bytea NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX return_photos_return_idx ON return_photos (return_id, id);

-- Every step: from, to, who, why; the customer's timeline.
CREATE TABLE return_steps (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	return_id bigint NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
	from_state text,
	to_state text NOT NULL,
	actor_kind text NOT NULL CHECK (actor_kind IN ('staff', 'customer', 'system')),
	actor_id bigint,
	note text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX return_steps_return_idx ON return_steps (return_id, id);

-- Row-level security: the portal sees its customer's returns and what
-- hangs off them; the console sees everything. The rows hanging off a
-- return are checked against their own return (EXISTS, one key lookup per
-- row read), not against the set of the customer's returns, which a
-- customer with many returns would build for every page.
ALTER TABLE returns ENABLE ROW LEVEL SECURITY;
ALTER TABLE return_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE return_units ENABLE ROW LEVEL SECURITY;
ALTER TABLE return_photos ENABLE ROW LEVEL SECURITY;
ALTER TABLE return_steps ENABLE ROW LEVEL SECURITY;
CREATE POLICY returns_portal ON returns TO csdesk_portal
	USING (customer_id = request_customer());
CREATE POLICY return_lines_portal ON return_lines TO csdesk_portal
	USING (EXISTS (SELECT 1 FROM returns r WHERE r.id = return_id
		AND r.customer_id = request_customer()));
CREATE POLICY return_units_portal ON return_units TO csdesk_portal
	USING (EXISTS (SELECT 1 FROM return_lines l JOIN returns r ON r.id = l.return_id
		WHERE l.id = line_id AND r.customer_id = request_customer()));
CREATE POLICY return_photos_portal ON return_photos TO csdesk_portal
	USING (stage = 'request' AND EXISTS (SELECT 1 FROM returns r WHERE r.id = return_id
		AND r.customer_id = request_customer()));
CREATE POLICY return_steps_portal ON return_steps TO csdesk_portal
	USING (EXISTS (SELECT 1 FROM returns r WHERE r.id = return_id
		AND r.customer_id = request_customer()));
CREATE POLICY returns_console ON returns TO csdesk_console USING (true);
CREATE POLICY return_lines_console ON return_lines TO csdesk_console USING (true);
CREATE POLICY return_units_console ON return_units TO csdesk_console USING (true);
CREATE POLICY return_photos_console ON return_photos TO csdesk_console USING (true);
CREATE POLICY return_steps_console ON return_steps TO csdesk_console USING (true);
