-- 030_audit.sql — the audit chain: what a row's hash covers, the trigger that
-- links each row to the one before it, and the refusal of any change.

-- The one definition of what a row's hash covers: sha256 of a JSON array
-- of a layout tag, the previous row's hash and the row's fields. JSON
-- quotes and escapes every string and writes NULL as null, so NULL and ''
-- differ and no field can spill into its neighbour; jsonb prints a value
-- the same way whatever the session's settings, and the time goes in as
-- microseconds since 1970 UTC, not as text in the session's time zone.
-- A different layout would get a new tag. A single SELECT without FROM,
-- so the planner inlines it into the trigger's and the verifier's plans.
CREATE OR REPLACE FUNCTION audit_row_digest(p_prev_hash bytea, p_id bigint, p_at timestamptz,
	p_actor_kind text, p_actor_id bigint, p_action text, p_object_type text,
	p_object_id text, p_detail jsonb, p_ip inet)
RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT sha256(convert_to(jsonb_build_array(
		'csdesk-audit-1',
		encode(p_prev_hash, 'hex'),
		p_id,
		(extract(epoch FROM p_at) * 1000000)::bigint,
		p_actor_kind,
		p_actor_id,
		p_action,
		p_object_type,
		p_object_id,
		p_detail,
		text(p_ip)
	)::text, 'UTF8'))
$$;

-- Links each new row to the newest one. Runs as the owner: the portal's
-- role may add rows but not read them.
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	last_id bigint;
	last_hash bytea;
BEGIN
	-- One writer at a time until its transaction ends (727003: "csdesk
	-- audit"; `csdesk migrate` uses 727001).
	PERFORM pg_advisory_xact_lock(727003);
	SELECT id, hash INTO last_id, last_hash FROM audit_log ORDER BY id DESC LIMIT 1;
	-- The identity value was drawn before the lock was ours: a writer
	-- that drew a larger one may have got in first. Ids must grow along
	-- the chain, so draw again then — and when the INSERT chose its own
	-- id (OVERRIDING SYSTEM VALUE) beyond what the sequence gave out.
	IF NEW.id <= coalesce(last_id, 0)
		OR NEW.id > (SELECT s.last_value FROM audit_log_id_seq s) THEN
		NEW.id := nextval('audit_log_id_seq');
	END IF;
	NEW.at := clock_timestamp();
	NEW.prev_hash := last_hash;
	NEW.hash := audit_row_digest(NEW.prev_hash, NEW.id, NEW.at, NEW.actor_kind,
		NEW.actor_id, NEW.action, NEW.object_type, NEW.object_id, NEW.detail, NEW.ip);
	RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

CREATE OR REPLACE FUNCTION audit_log_refuse() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
		USING ERRCODE = 'UA001';
END
$$;

CREATE OR REPLACE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_refuse();

CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse();
