-- 053_job_photos.sql — photos a technician takes on a visit, and a part's
-- movement history read a page at a time.
--
-- Photos are kept as ticket attachments and returns' photos are: the bytes
-- in a bytea with their SHA-256, the name as sent (cleaned), the type the
-- program found in the first bytes (never the browser's word). One visit
-- holds at most 12 (checked under the appointment's row lock by the use
-- case); the same picture sent twice to one visit is stored once, which is
-- what makes a form sent again on a poor connection harmless.
CREATE TABLE job_photos (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	appointment_id bigint NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
	-- The appointment's customer, copied so the portal's policy is one comparison.
	customer_id bigint NOT NULL REFERENCES customers (id),
	staff_id bigint REFERENCES staff (id),
	filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
	content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
	size integer NOT NULL CHECK (size BETWEEN 1 AND 8388608),
	sha256 bytea NOT NULL CHECK (length(sha256) = 32),
	data bytea NOT NULL,
	caption text NOT NULL DEFAULT '' CHECK (length(caption) <= 200),
	-- The technician's choice: shown to the customer in the portal.
	shared boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (appointment_id, sha256)
);
CREATE INDEX job_photos_appointment ON job_photos (appointment_id, id);
CREATE INDEX job_photos_customer ON job_photos (customer_id);
CREATE INDEX job_photos_staff ON job_photos (staff_id) WHERE staff_id IS NOT NULL;

-- A customer's portal session sees the shared photos of its own visits only.
ALTER TABLE job_photos ENABLE ROW LEVEL SECURITY;
CREATE POLICY job_photos_portal ON job_photos TO csdesk_portal
	USING (shared AND customer_id = request_customer());
CREATE POLICY job_photos_console ON job_photos TO csdesk_console USING (true);

-- A part's movement history, newest first, a page at a time: the keyset
-- (created_at, id) walks this index backwards and stops at the page
-- (042's (part_id, created_at) could not order ties by id without a sort).
CREATE INDEX stock_movements_part_time ON stock_movements (part_id, created_at, id);
DROP INDEX stock_movements_part;
