-- 044_intake_speed.sql — ticket creation at a thousand a second.
--
-- A client's retry of a ticket creation (the API's Idempotency-Key, a
-- form's one-time token) is claimed by the use case that opens the ticket,
-- in its own transaction, which records the ticket it opened: a retry
-- answers with that ticket. Keys live 24 hours; none is kept longer.
ALTER TABLE idempotency_keys ADD COLUMN ticket_id bigint;
