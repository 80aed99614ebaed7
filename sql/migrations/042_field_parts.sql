-- 042_field_parts.sql — service parts: the catalogue, stock per location
-- (warehouses and technicians' vans), every movement of stock, parts used
-- on jobs (with loaners), part requests, replenishment transfers and van
-- audits.
--
-- Stock never goes negative: the domain takes stock with a guarded UPDATE
-- (on_hand - reserved >= the quantity) and names the shortage when it
-- moves nothing; the CHECKs below are the backstop.

-- What labour and travel are charged per hour on a job report (before cover).
INSERT INTO settings (key, value) VALUES
	('field_labour_rate', '90.00'),
	('field_travel_rate', '45.00')
ON CONFLICT (key) DO NOTHING;

CREATE TABLE parts (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	number text NOT NULL CHECK (length(number) BETWEEN 1 AND 40),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	-- What a unit costs us, and what it is charged on a job when not covered.
	cost numeric(12, 2) NOT NULL DEFAULT 0 CHECK (cost >= 0),
	price numeric(12, 2) NOT NULL DEFAULT 0 CHECK (price >= 0),
	serial_tracked boolean NOT NULL DEFAULT false,
	-- An obsolete part names the part that replaces it.
	replaced_by bigint REFERENCES parts (id) CHECK (replaced_by <> id),
	active boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX parts_number ON parts (upper(number));
-- The catalogue's pages, by number.
CREATE INDEX parts_number_order ON parts (number);
CREATE INDEX parts_replaced_by ON parts (replaced_by) WHERE replaced_by IS NOT NULL;

-- The products a part fits.
CREATE TABLE part_products (
	part_id bigint NOT NULL REFERENCES parts (id) ON DELETE CASCADE,
	product_id bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
	PRIMARY KEY (part_id, product_id)
);
CREATE INDEX part_products_product ON part_products (product_id);

-- A warehouse, or a technician's van (one per technician).
CREATE TABLE stock_locations (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
	kind text NOT NULL CHECK (kind IN ('warehouse', 'van')),
	technician_id bigint UNIQUE REFERENCES technicians (staff_id),
	-- Where replenishment comes from; NULL: bought from a supplier.
	source_id bigint REFERENCES stock_locations (id),
	active boolean NOT NULL DEFAULT true,
	CHECK ((kind = 'van') = (technician_id IS NOT NULL))
);
CREATE INDEX stock_locations_source ON stock_locations (source_id);

-- Stock of a part at a location, and its replenishment rule.
CREATE TABLE stock_levels (
	location_id bigint NOT NULL REFERENCES stock_locations (id),
	part_id bigint NOT NULL REFERENCES parts (id),
	on_hand integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
	-- Promised to approved transfers out of here, not yet shipped.
	reserved integer NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= on_hand),
	min_qty integer NOT NULL DEFAULT 0 CHECK (min_qty >= 0),
	max_qty integer NOT NULL DEFAULT 0 CHECK (max_qty >= min_qty),
	order_multiple integer NOT NULL DEFAULT 1 CHECK (order_multiple >= 1),
	-- The last time stock left: slow movers are the parts that rarely move.
	last_out_at timestamptz,
	PRIMARY KEY (location_id, part_id)
);
CREATE INDEX stock_levels_part ON stock_levels (part_id);
-- The nightly proposal walks only the levels with a rule.
CREATE INDEX stock_levels_ruled ON stock_levels (location_id, part_id) WHERE max_qty > 0;

-- A transfer between locations (or a receipt from a supplier: from_id NULL):
-- proposed by the nightly batch (replenishment) or made by a part request;
-- a supervisor approves (with the quantity edited), rejects; it is received.
CREATE TABLE stock_transfers (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind text NOT NULL CHECK (kind IN ('replenishment', 'request')),
	part_id bigint NOT NULL REFERENCES parts (id),
	from_id bigint REFERENCES stock_locations (id),
	to_id bigint NOT NULL REFERENCES stock_locations (id),
	proposed_qty integer NOT NULL CHECK (proposed_qty > 0),
	qty integer NOT NULL CHECK (qty > 0),
	status text NOT NULL DEFAULT 'proposed'
		CHECK (status IN ('proposed', 'approved', 'rejected', 'received')),
	reason text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
	decided_by bigint REFERENCES staff (id),
	decided_at timestamptz,
	received_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	CHECK (from_id IS DISTINCT FROM to_id)
);
-- One open replenishment per location and part: the batch never proposes twice.
CREATE UNIQUE INDEX stock_transfers_open ON stock_transfers (to_id, part_id)
	WHERE kind = 'replenishment' AND status IN ('proposed', 'approved');
CREATE INDEX stock_transfers_status ON stock_transfers (status, id);
CREATE INDEX stock_transfers_part ON stock_transfers (part_id);
CREATE INDEX stock_transfers_from ON stock_transfers (from_id);

-- A part used on a job (or a ticket without a visit).
CREATE TABLE part_usages (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ticket_id bigint NOT NULL REFERENCES tickets (id),
	appointment_id bigint REFERENCES appointments (id),
	customer_id bigint NOT NULL REFERENCES customers (id),
	technician_id bigint REFERENCES staff (id),
	part_id bigint NOT NULL REFERENCES parts (id),
	location_id bigint NOT NULL REFERENCES stock_locations (id),
	kind text NOT NULL CHECK (kind IN ('installed', 'consumed', 'loaner')),
	qty integer NOT NULL CHECK (qty BETWEEN 1 AND 1000),
	serial text CHECK (length(serial) <= 100),
	-- What a unit cost and was priced at then, and what covered it
	-- ('warranty', 'contract', or '' charged to the customer).
	unit_cost numeric(12, 2) NOT NULL,
	unit_price numeric(12, 2) NOT NULL,
	covered_by text NOT NULL DEFAULT '' CHECK (covered_by IN ('', 'warranty', 'contract')),
	due_on date,
	returned_at timestamptz,
	-- The overdue reminder of a loaner is sent once.
	reminded_at timestamptz,
	-- The form's idempotency token: the same form sent again records nothing.
	token text NOT NULL UNIQUE CHECK (length(token) BETWEEN 1 AND 64),
	created_at timestamptz NOT NULL DEFAULT now(),
	CHECK ((kind = 'loaner') = (due_on IS NOT NULL))
);
CREATE INDEX part_usages_appointment ON part_usages (appointment_id, id);
CREATE INDEX part_usages_ticket ON part_usages (ticket_id, id);
CREATE INDEX part_usages_customer ON part_usages (customer_id, created_at);
CREATE INDEX part_usages_technician ON part_usages (technician_id, created_at);
CREATE INDEX part_usages_part ON part_usages (part_id, created_at);
CREATE INDEX part_usages_loans_due ON part_usages (due_on)
	WHERE kind = 'loaner' AND returned_at IS NULL AND reminded_at IS NULL;

-- A part the technician did not have: its transfer, and the ticket it holds.
CREATE TABLE part_requests (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ticket_id bigint NOT NULL REFERENCES tickets (id),
	appointment_id bigint REFERENCES appointments (id),
	part_id bigint NOT NULL REFERENCES parts (id),
	qty integer NOT NULL CHECK (qty BETWEEN 1 AND 1000),
	transfer_id bigint NOT NULL REFERENCES stock_transfers (id),
	requested_by bigint REFERENCES staff (id),
	token text NOT NULL UNIQUE CHECK (length(token) BETWEEN 1 AND 64),
	created_at timestamptz NOT NULL DEFAULT now(),
	received_at timestamptz
);
CREATE INDEX part_requests_ticket ON part_requests (ticket_id);
CREATE INDEX part_requests_transfer ON part_requests (transfer_id);
CREATE INDEX part_requests_part ON part_requests (part_id, created_at);

-- A count of a location's stock; each line its variance.
CREATE TABLE stock_audits (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	location_id bigint NOT NULL REFERENCES stock_locations (id),
	counted_by bigint REFERENCES staff (id),
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stock_audits_location ON stock_audits (location_id, id DESC);

CREATE TABLE stock_audit_lines (
	audit_id bigint NOT NULL REFERENCES stock_audits (id) ON DELETE CASCADE,
	part_id bigint NOT NULL REFERENCES parts (id),
	expected integer NOT NULL,
	counted integer NOT NULL CHECK (counted >= 0),
	variance integer GENERATED ALWAYS AS (counted - expected) STORED,
	PRIMARY KEY (audit_id, part_id)
);
CREATE INDEX stock_audit_lines_part ON stock_audit_lines (part_id);

-- Every change of stock: what, how many, from where to where, and its cause.
CREATE TABLE stock_movements (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind text NOT NULL CHECK (kind IN ('receipt', 'transfer', 'use', 'return', 'adjustment')),
	part_id bigint NOT NULL REFERENCES parts (id),
	from_id bigint REFERENCES stock_locations (id),
	to_id bigint REFERENCES stock_locations (id),
	qty integer NOT NULL CHECK (qty > 0),
	usage_id bigint REFERENCES part_usages (id),
	transfer_id bigint REFERENCES stock_transfers (id),
	audit_id bigint REFERENCES stock_audits (id),
	staff_id bigint REFERENCES staff (id),
	created_at timestamptz NOT NULL DEFAULT now(),
	CHECK (from_id IS NOT NULL OR to_id IS NOT NULL)
);
CREATE INDEX stock_movements_part ON stock_movements (part_id, created_at);
CREATE INDEX stock_movements_from ON stock_movements (from_id, created_at) WHERE from_id IS NOT NULL;
CREATE INDEX stock_movements_to ON stock_movements (to_id, created_at) WHERE to_id IS NOT NULL;
CREATE INDEX stock_movements_usage ON stock_movements (usage_id) WHERE usage_id IS NOT NULL;
CREATE INDEX stock_movements_transfer ON stock_movements (transfer_id) WHERE transfer_id IS NOT NULL;
CREATE INDEX stock_movements_audit ON stock_movements (audit_id) WHERE audit_id IS NOT NULL;

-- The charges of a completed job, written when it completes (the reports
-- read them): each component's amount, and what covered it.
CREATE TABLE job_charges (
	appointment_id bigint PRIMARY KEY REFERENCES appointments (id),
	labour numeric(12, 2) NOT NULL,
	travel numeric(12, 2) NOT NULL,
	parts numeric(12, 2) NOT NULL,
	parts_cost numeric(12, 2) NOT NULL,
	-- What cover paid (the customer was charged 0 for it).
	covered numeric(12, 2) NOT NULL,
	covered_warranty numeric(12, 2) NOT NULL,
	covered_contract numeric(12, 2) NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);

-- A customer's portal session sees only their own parts used.
ALTER TABLE part_usages ENABLE ROW LEVEL SECURITY;
CREATE POLICY part_usages_portal ON part_usages TO csdesk_portal
	USING (customer_id = request_customer());
CREATE POLICY part_usages_console ON part_usages TO csdesk_console USING (true);

-- The reports read a period of days.
CREATE INDEX appointments_starts ON appointments (starts_at);
CREATE INDEX part_usages_created ON part_usages (created_at);
CREATE INDEX part_requests_created ON part_requests (created_at);

-- The portal's job report computes the cover of the job's serial on the
-- day it was done (warranty_coverage_for at a time), which reads the items
-- of the customer's contracts: its own only, as service_contracts' policy
-- already keeps it to its own contracts.
ALTER TABLE service_contract_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_contract_items_portal ON service_contract_items TO csdesk_portal
	USING (EXISTS (SELECT 1 FROM service_contracts k WHERE k.id = contract_id));
CREATE POLICY service_contract_items_console ON service_contract_items TO csdesk_console
	USING (true);
