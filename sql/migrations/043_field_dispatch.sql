-- 043_field_dispatch.sql — technician profiles kept from the console, the
-- customer's own booking in the portal, and the appointment mail's .ics.
--
-- A certification may name the skill it certifies: a skill whose every
-- certification has expired no longer counts when dispatch ranks (the
-- ranking is in src/domain/field_appointments.c).
ALTER TABLE technician_certifications
	ADD COLUMN skill text NOT NULL DEFAULT '' CHECK (length(skill) <= 100);

-- The van a technician drives, as the dispatcher names it ("Van 3").
ALTER TABLE technicians
	ADD COLUMN van_label text NOT NULL DEFAULT '' CHECK (length(van_label) <= 100);

-- One file attached to an outbox message (the appointment's .ics): its
-- name, MIME type and text, sent base64-encoded.
ALTER TABLE notifications
	ADD COLUMN attachment_name text CHECK (attachment_name ~ '^[A-Za-z0-9._-]{1,100}$'),
	ADD COLUMN attachment_type text CHECK (length(attachment_type) <= 200),
	ADD COLUMN attachment text CHECK (octet_length(attachment) <= 262144),
	ADD CHECK ((attachment IS NULL) = (attachment_name IS NULL));


-- A visit lasts at most a day. Dispatch relies on it: whether a
-- technician is free then is read from their jobs starting in a bounded
-- time before and after (the index below, without touching the table),
-- not by probing the exclusion constraint's GiST index per technician.
ALTER TABLE appointments ADD CONSTRAINT appointments_within_a_day
	CHECK (ends_at <= starts_at + interval '24 hours');

-- A technician's jobs by time, carrying what "free then" and "jobs that
-- day" read, so dispatch ranks 200 technicians from the index alone; the
-- technician's day and the board walk it as they walked the index it
-- replaces.
CREATE INDEX appointments_technician_time ON appointments (technician_id, starts_at, id)
	INCLUDE (ends_at, busy, status);
DROP INDEX appointments_technician_day;
