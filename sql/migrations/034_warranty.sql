-- 034_warranty.sql — what customers own and what covers it: warranty
-- registrations (one per serial), service contracts, the coverage stored per
-- registration (computed by warranty_coverage_refresh, never typed), and
-- warranty claims with their costs.
--
-- Coverage is read by hot pages (the portal's "my products", the ticket
-- page, the claim queue), so it is a row per registration written when an
-- input changes (triggers in sql/functions/140_warranty.sql) and when a day
-- boundary passes (next_change_at, walked by the batch's coverage step).

-- Coverage ends at midnight where the customer lives.
ALTER TABLE customers ADD COLUMN IF NOT EXISTS time_zone text
	CHECK (length(time_zone) BETWEEN 1 AND 64);

-- A product's picture for the catalogue admin and the customers' pages.
ALTER TABLE products
	ADD COLUMN image bytea CHECK (octet_length(image) <= 2097152),
	ADD COLUMN image_type text CHECK (image_type IN ('image/png', 'image/jpeg', 'image/gif',
		'image/webp'));

-- Admin-set amounts: claims whose total is at most auto_approve_max (and
-- whose serial is covered) are approved by the batch; contracts get their
-- renewal reminder renewal_notice_days before they end.
INSERT INTO settings (key, value) VALUES
	('warranty_auto_approve_max', '150.00'),
	('warranty_renewal_notice_days', '30')
ON CONFLICT (key) DO NOTHING;

CREATE TABLE warranty_registrations (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer_id bigint NOT NULL REFERENCES customers (id),
	product_id bigint NOT NULL REFERENCES products (id),
	serial text NOT NULL CHECK (length(serial) BETWEEN 1 AND 100),
	-- One registration per serial, whatever its case or spaces.
	serial_key text GENERATED ALWAYS AS (upper(regexp_replace(serial, '\s', '', 'g'))) STORED,
	-- The date the product's terms count from (its warranty_basis: delivery,
	-- invoice or installation), as the customer or staff gave it.
	start_date date NOT NULL,
	proof_name text CHECK (length(proof_name) <= 200),
	proof_type text CHECK (length(proof_type) <= 100),
	proof bytea CHECK (octet_length(proof) <= 5242880),
	source text NOT NULL DEFAULT 'portal' CHECK (source IN ('portal', 'console', 'replacement')),
	replaces_id bigint REFERENCES warranty_registrations (id),
	created_by_staff bigint REFERENCES staff (id),
	created_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (serial_key)
);
-- "My products", newest first (keyset on id).
CREATE INDEX warranty_registrations_customer ON warranty_registrations (customer_id, id DESC);
CREATE INDEX warranty_registrations_product ON warranty_registrations (product_id, created_at);
CREATE INDEX warranty_registrations_replaces ON warranty_registrations (replaces_id)
	WHERE replaces_id IS NOT NULL;

-- A serial another customer tried to register: refused, and kept for review.
CREATE TABLE warranty_serial_flags (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	registration_id bigint NOT NULL REFERENCES warranty_registrations (id),
	customer_id bigint NOT NULL REFERENCES customers (id),
	reviewed boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX warranty_serial_flags_open ON warranty_serial_flags (id) WHERE NOT reviewed;
CREATE INDEX warranty_serial_flags_registration ON warranty_serial_flags (registration_id);
CREATE INDEX warranty_serial_flags_customer ON warranty_serial_flags (customer_id);

CREATE TABLE service_contracts (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer_id bigint NOT NULL REFERENCES customers (id),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	starts_on date NOT NULL,
	ends_on date NOT NULL CHECK (ends_on >= starts_on),
	parts boolean NOT NULL DEFAULT true,
	labour boolean NOT NULL DEFAULT true,
	travel boolean NOT NULL DEFAULT false,
	visits integer NOT NULL DEFAULT 0 CHECK (visits BETWEEN 0 AND 1000),
	-- The response-time tier the SLA policy choice reads.
	response_tier text NOT NULL DEFAULT 'standard'
		CHECK (response_tier IN ('standard', 'premium', 'vip')),
	-- The ends_on a renewal reminder went out for: one reminder per period.
	reminded_for date,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_contracts_customer ON service_contracts (customer_id, ends_on);
CREATE INDEX service_contracts_ends ON service_contracts (ends_on, id);

-- What a contract covers: every registration of a product the customer
-- has, or one registration (serial).
CREATE TABLE service_contract_items (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	contract_id bigint NOT NULL REFERENCES service_contracts (id) ON DELETE CASCADE,
	product_id bigint REFERENCES products (id),
	registration_id bigint REFERENCES warranty_registrations (id),
	CHECK ((product_id IS NULL) <> (registration_id IS NULL))
);
CREATE INDEX service_contract_items_contract ON service_contract_items (contract_id);
CREATE INDEX service_contract_items_product ON service_contract_items (product_id);
CREATE INDEX service_contract_items_registration ON service_contract_items (registration_id);

-- Per registration and component: the last covered day (NULL: never
-- covered), whether it is covered at as_of, and by what ('warranty' or
-- 'contract'). next_change_at is the next midnight (customer's zone) at
-- which any of it changes: the batch recomputes rows whose time has come.
CREATE TABLE warranty_coverage (
	registration_id bigint PRIMARY KEY REFERENCES warranty_registrations (id)
		ON DELETE CASCADE,
	parts_until date,
	labour_until date,
	travel_until date,
	parts_on boolean NOT NULL,
	labour_on boolean NOT NULL,
	travel_on boolean NOT NULL,
	parts_by text CHECK (parts_by IN ('warranty', 'contract')),
	labour_by text CHECK (labour_by IN ('warranty', 'contract')),
	travel_by text CHECK (travel_by IN ('warranty', 'contract')),
	as_of timestamptz NOT NULL,
	next_change_at timestamptz
);
CREATE INDEX warranty_coverage_next ON warranty_coverage (next_change_at)
	WHERE next_change_at IS NOT NULL;

CREATE TABLE warranty_claims (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	registration_id bigint NOT NULL REFERENCES warranty_registrations (id),
	customer_id bigint NOT NULL REFERENCES customers (id),
	ticket_id bigint REFERENCES tickets (id),
	state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'under_review',
		'approved', 'rejected', 'fulfilled', 'closed')),
	problem text NOT NULL CHECK (length(problem) BETWEEN 1 AND 4000),
	fulfilment text CHECK (fulfilment IN ('repair', 'replacement', 'refund', 'credit')),
	labour_cost numeric(12, 2) NOT NULL DEFAULT 0 CHECK (labour_cost >= 0),
	parts_cost numeric(12, 2) NOT NULL DEFAULT 0 CHECK (parts_cost >= 0),
	shipping_cost numeric(12, 2) NOT NULL DEFAULT 0 CHECK (shipping_cost >= 0),
	-- What coverage said when the claim was submitted: the covered share of
	-- each cost (labour, parts; shipping follows travel).
	labour_covered boolean NOT NULL DEFAULT false,
	parts_covered boolean NOT NULL DEFAULT false,
	shipping_covered boolean NOT NULL DEFAULT false,
	-- Staff who accepted a serial coverage refused, and why (audited).
	override_reason text CHECK (length(override_reason) <= 1000),
	override_by bigint REFERENCES staff (id),
	replacement_id bigint REFERENCES warranty_registrations (id),
	last_reason text CHECK (length(last_reason) <= 1000),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
-- The review queue (by state, oldest first) and reports (by time).
CREATE INDEX warranty_claims_state ON warranty_claims (state, id);
CREATE INDEX warranty_claims_registration ON warranty_claims (registration_id);
CREATE INDEX warranty_claims_customer ON warranty_claims (customer_id, id DESC);
CREATE INDEX warranty_claims_ticket ON warranty_claims (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX warranty_claims_created ON warranty_claims (created_at);
CREATE INDEX warranty_claims_replacement ON warranty_claims (replacement_id)
	WHERE replacement_id IS NOT NULL;
CREATE INDEX warranty_claims_override_by ON warranty_claims (override_by)
	WHERE override_by IS NOT NULL;
CREATE INDEX warranty_registrations_staff ON warranty_registrations (created_by_staff)
	WHERE created_by_staff IS NOT NULL;

-- The portal sees its customer's rows only; the console sees all.
ALTER TABLE warranty_registrations ENABLE ROW LEVEL SECURITY;
ALTER TABLE warranty_coverage ENABLE ROW LEVEL SECURITY;
ALTER TABLE warranty_claims ENABLE ROW LEVEL SECURITY;
ALTER TABLE service_contracts ENABLE ROW LEVEL SECURITY;
ALTER TABLE warranty_serial_flags ENABLE ROW LEVEL SECURITY;
CREATE POLICY warranty_registrations_portal ON warranty_registrations TO csdesk_portal
	USING (customer_id = request_customer());
CREATE POLICY warranty_coverage_portal ON warranty_coverage TO csdesk_portal
	USING (registration_id IN (SELECT id FROM warranty_registrations
		WHERE customer_id = request_customer()));
CREATE POLICY warranty_claims_portal ON warranty_claims TO csdesk_portal
	USING (customer_id = request_customer());
CREATE POLICY service_contracts_portal ON service_contracts TO csdesk_portal
	USING (customer_id = request_customer());
CREATE POLICY warranty_serial_flags_portal ON warranty_serial_flags TO csdesk_portal
	USING (customer_id = request_customer());
CREATE POLICY warranty_registrations_console ON warranty_registrations TO csdesk_console
	USING (true);
CREATE POLICY warranty_coverage_console ON warranty_coverage TO csdesk_console USING (true);
CREATE POLICY warranty_claims_console ON warranty_claims TO csdesk_console USING (true);
CREATE POLICY service_contracts_console ON service_contracts TO csdesk_console USING (true);
CREATE POLICY warranty_serial_flags_console ON warranty_serial_flags TO csdesk_console
	USING (true);
