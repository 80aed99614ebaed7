-- E-mail in and out (docs/mail.md).

-- The reply token of a ticket, made on first use: 32 hex digits from the
-- server's random generator (gen_random_uuid is version 4: 122 random bits).
CREATE OR REPLACE FUNCTION ticket_mail_token(p_ticket bigint) RETURNS text
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
	t text;
BEGIN
	IF p_ticket IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT token INTO t FROM ticket_mail_tokens WHERE ticket_id = p_ticket;
	IF FOUND THEN
		RETURN t;
	END IF;
	INSERT INTO ticket_mail_tokens (ticket_id, token)
		VALUES (p_ticket, replace(gen_random_uuid()::text, '-', ''))
		ON CONFLICT (ticket_id) DO NOTHING;
	SELECT token INTO t FROM ticket_mail_tokens WHERE ticket_id = p_ticket;
	RETURN t;
END
$$;
