-- 003_audit.sql — the audit trail (docs/security.md, "Audit"): who did
-- what, when, from where. Rows are only ever added:
--
--   * UPDATE, DELETE and TRUNCATE are refused by triggers, for every role
--     including the owner, with SQLSTATE UA001 ("audit_log is
--     append-only"); the programs' roles are not granted them either, so
--     for them the privilege check (42501) refuses first;
--   * each row carries hash = audit_row_digest(prev_hash, its fields), and
--     prev_hash is the hash of the row before it in id order, so a row
--     altered, removed or slipped in by someone able to switch the triggers
--     off (a superuser, the owner) breaks the chain at that row;
--     `csdesk audit verify` walks it. Rows cut from the end, or a chain
--     recomputed from the cut on, are only caught by comparing the newest
--     hash with a copy kept elsewhere.
--
-- Writers are serialised: the insert trigger takes a transaction-scoped
-- advisory lock, so a transaction that writes an audit row holds up every
-- other audit write until it ends, COMMIT's flush to disk included; audit
-- writes go at the pace of one commit at a time. Write the audit row last,
-- just before COMMIT. Under READ COMMITTED (the default) the trigger then sees the
-- newest row; a REPEATABLE READ or SERIALIZABLE transaction may not, and
-- the unique index on prev_hash turns that into an error (23505 on
-- audit_log_prev_hash_key: retry the transaction) rather than a fork.

CREATE TABLE audit_log (
	id bigint GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME audit_log_id_seq) PRIMARY KEY,
	-- Set by the trigger (whatever the INSERT said): the time the row
	-- joined the chain, so times never go backwards along it.
	at timestamptz NOT NULL DEFAULT clock_timestamp(),
	actor_kind text NOT NULL CHECK (actor_kind IN ('staff', 'customer', 'system', 'cli', 'api')),
	actor_id bigint,
	-- 'login.success', 'login.failure', 'logout', 'password.change', …
	action text NOT NULL CHECK (length(action) <= 64
		AND action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'),
	object_type text CHECK (length(object_type) <= 64 AND object_type ~ '^[a-z][a-z0-9_]*$'),
	object_id text CHECK (length(object_id) <= 200),
	detail jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(detail) = 'object'),
	-- An address, not a network.
	ip inet CHECK (masklen(ip) = CASE family(ip) WHEN 4 THEN 32 ELSE 128 END),
	prev_hash bytea,
	hash bytea NOT NULL,
	-- One successor per row and one first row: the chain cannot fork.
	CONSTRAINT audit_log_prev_hash_key UNIQUE NULLS NOT DISTINCT (prev_hash)
);
-- The admin page's filters, newest first.
CREATE INDEX audit_log_actor ON audit_log (actor_kind, actor_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);

-- The one definition of what a row's hash covers: sha256 of a JSON array
-- of a layout tag, the previous row's hash and the row's fields. JSON
-- quotes and escapes every string and writes NULL as null, so NULL and ''
-- differ and no field can spill into its neighbour; jsonb prints a value
-- the same way whatever the session's settings, and the time goes in as
-- microseconds since 1970 UTC, not as text in the session's time zone.
-- A different layout would get a new tag. A single SELECT without FROM,
-- so the planner inlines it into the trigger's and the verifier's plans.
CREATE FUNCTION audit_row_digest(p_prev_hash bytea, p_id bigint, p_at timestamptz,
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
CREATE FUNCTION audit_log_chain() RETURNS trigger
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

CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

CREATE FUNCTION audit_log_refuse() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
		USING ERRCODE = 'UA001';
END
$$;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_refuse();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse();
