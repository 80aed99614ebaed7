-- 015_enum_domains.sql — the value lists of priority, customer tier, ticket
-- status and channel as domains, written once, used by every column that
-- holds one; and the SLA functions whose sentences moved into C.
--
-- Until now each column repeated its list in a CHECK of its own (eleven of
-- them), and some columns of the same kind had none (ticket_counts.status,
-- ticket_escalations.old_priority/new_priority, sla_recompute_queue.priority).
--
-- Cost on a large tickets table: a column changed to a domain *with* a
-- constraint is rewritten whole (PostgreSQL checks each value by rewriting:
-- 43 s and new files for the table and every index at a million tickets).
-- So the domains are made bare, the columns changed to them (a change of
-- label only: the table keeps its files), and the constraint added to the
-- domain afterwards, which only reads the columns (0.2 s at a million).
-- The two indexes on ticket_priority_rank(priority) are rebuilt (their
-- expression now reads the domain: about 15 s at a million tickets); the
-- others are kept as they are.
--
-- tickets.status cannot change type: the generated columns of 009 and 012
-- read it, and PostgreSQL refuses to retype such a column (dropping and
-- adding them back would rewrite the table). Its CHECK now casts to the
-- domain instead of repeating the list, so the list is still written once.
--
-- The triggers whose column lists or WHEN clauses name a retyped column
-- must be dropped first; they are made again at the end, the same, so the
-- tables are never without them between this transaction and the next
-- run of sql/functions/ (which defines them too).

CREATE DOMAIN ticket_priority AS text;
CREATE DOMAIN customer_tier AS text;
CREATE DOMAIN ticket_status AS text;
CREATE DOMAIN ticket_channel AS text;

DROP TRIGGER tickets_sla ON tickets;
DROP TRIGGER tickets_counts_update ON tickets;
DROP TRIGGER customers_sla_tier ON customers;

ALTER TABLE tickets DROP CONSTRAINT tickets_priority_check,
	DROP CONSTRAINT tickets_channel_check;
ALTER TABLE customers DROP CONSTRAINT customers_tier_check;
ALTER TABLE routing_rules DROP CONSTRAINT routing_rules_if_channel,
	DROP CONSTRAINT routing_rules_if_priority, DROP CONSTRAINT routing_rules_set_priority,
	DROP CONSTRAINT routing_rules_if_tier;
ALTER TABLE sla_policies DROP CONSTRAINT sla_policies_priority_check,
	DROP CONSTRAINT sla_policies_tier_check;
ALTER TABLE escalation_rules DROP CONSTRAINT escalation_rules_if_priority_check,
	DROP CONSTRAINT escalation_rules_if_tier_check;

ALTER TABLE tickets ALTER COLUMN priority TYPE ticket_priority,
	ALTER COLUMN channel TYPE ticket_channel;
ALTER TABLE customers ALTER COLUMN tier TYPE customer_tier;
ALTER TABLE routing_rules ALTER COLUMN if_channel TYPE ticket_channel,
	ALTER COLUMN if_priority TYPE ticket_priority,
	ALTER COLUMN set_priority TYPE ticket_priority,
	ALTER COLUMN if_tier TYPE customer_tier;
ALTER TABLE sla_policies ALTER COLUMN priority TYPE ticket_priority,
	ALTER COLUMN tier TYPE customer_tier;
ALTER TABLE escalation_rules ALTER COLUMN if_priority TYPE ticket_priority,
	ALTER COLUMN if_tier TYPE customer_tier;
ALTER TABLE ticket_escalations ALTER COLUMN old_priority TYPE ticket_priority,
	ALTER COLUMN new_priority TYPE ticket_priority;
ALTER TABLE sla_recompute_queue ALTER COLUMN priority TYPE ticket_priority;
ALTER TABLE ticket_counts ALTER COLUMN status TYPE ticket_status;

-- The lists, in the order the programs show them (src/domain/ticket_rules.c).
ALTER DOMAIN ticket_priority ADD CONSTRAINT ticket_priority_values
	CHECK (VALUE IN ('low', 'medium', 'high', 'urgent', 'critical'));
ALTER DOMAIN customer_tier ADD CONSTRAINT customer_tier_values
	CHECK (VALUE IN ('standard', 'premium', 'vip'));
ALTER DOMAIN ticket_status ADD CONSTRAINT ticket_status_values
	CHECK (VALUE IN ('new', 'assigned', 'in_progress', 'pending_customer', 'pending_parts',
		'resolved', 'closed', 'reopened', 'cancelled'));
ALTER DOMAIN ticket_channel ADD CONSTRAINT ticket_channel_values
	CHECK (VALUE IN ('portal', 'email', 'phone', 'chat', 'social', 'api', 'walk-in'));

-- tickets.status: the domain's list through a cast (see above). The old
-- CHECK held the same list, so validating reads the table and finds nothing.
ALTER TABLE tickets ADD CONSTRAINT tickets_status_values
	CHECK (status::ticket_status IS NOT NULL);
ALTER TABLE tickets DROP CONSTRAINT tickets_status_check;

CREATE TRIGGER tickets_sla BEFORE UPDATE OF status, priority, category_id, first_response_at
	ON tickets FOR EACH ROW
	WHEN (NEW.sla_started_at IS NOT NULL AND (OLD.status IS DISTINCT FROM NEW.status
		OR OLD.priority IS DISTINCT FROM NEW.priority
		OR OLD.category_id IS DISTINCT FROM NEW.category_id
		OR OLD.first_response_at IS DISTINCT FROM NEW.first_response_at))
	EXECUTE FUNCTION sla_ticket_changed();
CREATE TRIGGER tickets_counts_update AFTER UPDATE OF queue_id, status, assignee_id ON tickets
	FOR EACH ROW
	WHEN (OLD.queue_id IS DISTINCT FROM NEW.queue_id OR OLD.status IS DISTINCT FROM NEW.status
		OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id)
	EXECUTE FUNCTION tickets_keep_counts();
CREATE TRIGGER customers_sla_tier AFTER UPDATE OF tier ON customers
	FOR EACH ROW WHEN (OLD.tier IS DISTINCT FROM NEW.tier)
	EXECUTE FUNCTION sla_tier_changed();

-- The SLA badge's and the customer's sentences are made in C now
-- (src/domain/sla_words.c) from numbers sql/functions/090_sla_state.sql
-- returns: the functions that made them in SQL go.
DROP FUNCTION sla_left(tickets);
DROP FUNCTION sla_left_at(timestamptz, boolean);
DROP FUNCTION sla_left_text(bigint);
DROP FUNCTION sla_promise(bigint);
