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

