-- Ticket numbers grow past six digits instead of being cut.
--
-- 004 padded the sequence value to six characters with lpad(), which also
-- truncates: ticket 1,000,000 would have been numbered TKT-100000 again and
-- the UNIQUE constraint would have refused it. Pad to at least six digits and
-- keep every digit beyond that.

CREATE FUNCTION ticket_number_next() RETURNS text
LANGUAGE sql VOLATILE
AS $$
	SELECT 'TKT-' || lpad(n::text, greatest(6, length(n::text)), '0')
	FROM (SELECT nextval('ticket_number_seq') AS n) s
$$;

ALTER TABLE tickets ALTER COLUMN number SET DEFAULT ticket_number_next();
