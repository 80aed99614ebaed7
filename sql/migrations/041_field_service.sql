-- 041_field_service.sql — technicians and their appointments at the
-- customer's site, and the technician's day (check-in, check-out,
-- signature, completion).
--
-- No double booking is a rule of the database, not of a page: an exclusion
-- constraint over the technician and the time the job keeps them busy
-- (the window widened by the travel buffer on both sides), so two agents
-- booking the same slot at the same moment cannot both commit.

-- The exclusion constraint compares a bigint with = inside a GiST index.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Whether a job can be completed without the customer's signature.
INSERT INTO settings (key, value) VALUES ('field_signature_required', 'true')
ON CONFLICT (key) DO NOTHING;

-- A technician's field profile; staff.work_days/work_start/work_end and
-- time_zone are their working hours.
CREATE TABLE technicians (
	staff_id bigint PRIMARY KEY REFERENCES staff (id),
	-- Postcode prefixes the technician covers ('75', 'SW1').
	territory text[] NOT NULL DEFAULT '{}'
		CHECK (cardinality(territory) <= 100),
	home_base text NOT NULL DEFAULT '' CHECK (length(home_base) <= 200),
	-- Minutes kept free before and after every job (getting there, leaving).
	travel_buffer_min integer NOT NULL DEFAULT 30 CHECK (travel_buffer_min BETWEEN 0 AND 240),
	active boolean NOT NULL DEFAULT true,
	-- The secret in the URL of the technician's iCalendar feed.
	calendar_token uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE technician_skills (
	staff_id bigint NOT NULL REFERENCES technicians (staff_id) ON DELETE CASCADE,
	skill text NOT NULL CHECK (length(skill) BETWEEN 1 AND 100),
	level smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
	PRIMARY KEY (staff_id, skill)
);
CREATE INDEX technician_skills_skill ON technician_skills (skill, level);

CREATE TABLE technician_certifications (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	staff_id bigint NOT NULL REFERENCES technicians (staff_id) ON DELETE CASCADE,
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	expires_on date
);
CREATE INDEX technician_certifications_staff ON technician_certifications (staff_id);

-- Time off never overlaps itself (the same constraint as appointments).
CREATE TABLE technician_time_off (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	staff_id bigint NOT NULL REFERENCES technicians (staff_id) ON DELETE CASCADE,
	during tstzrange NOT NULL CHECK (NOT isempty(during) AND NOT lower_inf(during)
		AND NOT upper_inf(during)),
	reason text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
	EXCLUDE USING gist (staff_id WITH =, during WITH &&)
);

CREATE TABLE appointments (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ticket_id bigint NOT NULL REFERENCES tickets (id),
	customer_id bigint NOT NULL REFERENCES customers (id),
	technician_id bigint REFERENCES technicians (staff_id),
	-- What the job needs and where it is.
	skill text NOT NULL DEFAULT '' CHECK (length(skill) <= 100),
	postcode text NOT NULL DEFAULT '' CHECK (length(postcode) <= 20),
	address text NOT NULL DEFAULT '' CHECK (length(address) <= 500),
	summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 500),
	-- The window promised to the customer, and the time the technician is
	-- kept busy by it: the window widened by the travel buffer, computed
	-- by the booking (timestamptz arithmetic is not immutable, so it
	-- cannot be a generated column); it always contains the window.
	starts_at timestamptz NOT NULL,
	ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
	busy tstzrange NOT NULL,
	status text NOT NULL DEFAULT 'booked'
		CHECK (status IN ('booked', 'checked_in', 'checked_out', 'completed', 'cancelled')),
	-- The iCalendar identity: the UID never changes, SEQUENCE rises on every change.
	sequence integer NOT NULL DEFAULT 0,
	reason text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
	-- Check-in and check-out: coordinates and accuracy when the browser
	-- gave them, else the typed reason; the form's token makes a second
	-- post of the same form a no-op.
	checkin_at timestamptz,
	checkin_lat double precision CHECK (checkin_lat BETWEEN -90 AND 90),
	checkin_lon double precision CHECK (checkin_lon BETWEEN -180 AND 180),
	checkin_accuracy_m double precision CHECK (checkin_accuracy_m >= 0),
	checkin_note text CHECK (length(checkin_note) <= 500),
	checkin_token text CHECK (length(checkin_token) <= 64),
	checkout_at timestamptz CHECK (checkout_at >= checkin_at),
	checkout_lat double precision CHECK (checkout_lat BETWEEN -90 AND 90),
	checkout_lon double precision CHECK (checkout_lon BETWEEN -180 AND 180),
	checkout_accuracy_m double precision CHECK (checkout_accuracy_m >= 0),
	checkout_note text CHECK (length(checkout_note) <= 500),
	checkout_token text CHECK (length(checkout_token) <= 64),
	work_notes text NOT NULL DEFAULT '' CHECK (length(work_notes) <= 5000),
	labour_min integer CHECK (labour_min BETWEEN 0 AND 1440),
	travel_min integer CHECK (travel_min BETWEEN 0 AND 1440),
	signature_png bytea CHECK (octet_length(signature_png) <= 524288),
	signature_sha256 text CHECK (signature_sha256 ~ '^[0-9a-f]{64}$'),
	completed_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CHECK (busy @> tstzrange(starts_at, ends_at)),
	CHECK (status <> 'completed' OR checkout_at IS NOT NULL),
	-- One technician, one place at a time.
	CONSTRAINT appointments_no_double_booking EXCLUDE USING gist
		(technician_id WITH =, busy WITH &&)
		WHERE (technician_id IS NOT NULL AND status <> 'cancelled')
);
-- The technician's day and the dispatch board: a technician's jobs by time.
CREATE INDEX appointments_technician_day ON appointments (technician_id, starts_at, id);
CREATE INDEX appointments_ticket ON appointments (ticket_id, id);
CREATE INDEX appointments_customer ON appointments (customer_id, starts_at DESC, id DESC);
-- Unassigned jobs on the board.
CREATE INDEX appointments_unassigned ON appointments (starts_at, id)
	WHERE technician_id IS NULL AND status = 'booked';

-- A customer's portal session sees only their own appointments.
ALTER TABLE appointments ENABLE ROW LEVEL SECURITY;
CREATE POLICY appointments_portal ON appointments TO csdesk_portal
	USING (customer_id = request_customer());
CREATE POLICY appointments_console ON appointments TO csdesk_console USING (true);
