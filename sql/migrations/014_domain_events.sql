-- Domain events and their consumers' cursors: the transactional outbox.
--
-- A use case appends what happened to domain_events in the transaction of
-- the change itself, so an event exists exactly when its change does.
-- Consumers (mail, audit, webhooks, surveys, …) read the events later, each
-- from its own cursor in event_cursors, and move the cursor in the same
-- transaction as what they do with the events: a consumer sees every event
-- once, whichever process dies when.
--
-- Why the cursor is (tx, id), not id alone: ids come from a sequence when
-- the row is inserted, but become visible when the transaction commits, so
-- a smaller id can appear after a larger one has been read. tx is the
-- inserting transaction's id; a dispatcher reads only events whose tx is
-- older than every transaction still running (pg_snapshot_xmin of its
-- snapshot), and every such transaction has finished, so nothing can ever
-- appear behind the cursor.

CREATE TABLE domain_events (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
	occurred_at timestamptz NOT NULL DEFAULT now(),
	aggregate text NOT NULL CHECK (aggregate ~ '^[a-z][a-z_]{0,39}$'),
	aggregate_id bigint NOT NULL,
	type text NOT NULL CHECK (type ~ '^[a-z][a-z_.]{0,59}$'),
	actor_kind text NOT NULL CHECK (actor_kind IN ('staff', 'customer', 'system', 'api')),
	actor_id bigint,
	payload jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX domain_events_tx ON domain_events (tx, id);
CREATE INDEX domain_events_aggregate ON domain_events (aggregate, aggregate_id, id);

CREATE TABLE event_cursors (
	consumer text PRIMARY KEY CHECK (consumer ~ '^[a-z][a-z_]{0,39}$'),
	tx xid8 NOT NULL DEFAULT '0',
	last_id bigint NOT NULL DEFAULT 0,
	processed bigint NOT NULL DEFAULT 0,
	updated_at timestamptz NOT NULL DEFAULT now()
);
