-- 410_sla_panel.sql — the SLA panel's lists (062): stored by statement
-- triggers in the transaction that changes the clock's segments, the SLA
-- events or the escalations, or a name an escalation shows.

-- Stores list p_list ('segments', 'events' or 'escalations'; NULL: all
-- three) of the given tickets as sla_panel_source computes it: a trigger
-- stores only the list its table makes (the view's other columns are not
-- computed), so a creation's clock row and two events cost three short
-- reads, not nine. The tickets' rows are locked first (in id order, as a
-- change of the ticket does) and the lists read after: in READ COMMITTED
-- the statement after the lock sees what a concurrent change of the same
-- ticket committed, so two changes at once cannot store each other's
-- stale lists. PL/pgSQL so the plans are kept for the session.
CREATE OR REPLACE FUNCTION sla_panel_store(p_tickets bigint[], p_list text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	PERFORM 1 FROM tickets WHERE id = ANY (p_tickets) ORDER BY id FOR NO KEY UPDATE;
	IF p_list = 'segments' THEN
		INSERT INTO ticket_sla_panels AS s (ticket_id, segments)
		SELECT v.ticket_id, v.segments FROM sla_panel_source v
		WHERE v.ticket_id = ANY (p_tickets) ORDER BY v.ticket_id
		ON CONFLICT (ticket_id) DO UPDATE SET segments = EXCLUDED.segments;
	ELSIF p_list = 'events' THEN
		INSERT INTO ticket_sla_panels AS s (ticket_id, events)
		SELECT v.ticket_id, v.events FROM sla_panel_source v
		WHERE v.ticket_id = ANY (p_tickets) ORDER BY v.ticket_id
		ON CONFLICT (ticket_id) DO UPDATE SET events = EXCLUDED.events;
	ELSIF p_list = 'escalations' THEN
		INSERT INTO ticket_sla_panels AS s (ticket_id, escalations)
		SELECT v.ticket_id, v.escalations FROM sla_panel_source v
		WHERE v.ticket_id = ANY (p_tickets) ORDER BY v.ticket_id
		ON CONFLICT (ticket_id) DO UPDATE SET escalations = EXCLUDED.escalations;
	ELSE
		INSERT INTO ticket_sla_panels AS s (ticket_id, segments, events, escalations)
		SELECT v.ticket_id, v.segments, v.events, v.escalations FROM sla_panel_source v
		WHERE v.ticket_id = ANY (p_tickets) ORDER BY v.ticket_id
		ON CONFLICT (ticket_id) DO UPDATE SET segments = EXCLUDED.segments,
			events = EXCLUDED.events, escalations = EXCLUDED.escalations;
	END IF;
END
$$;

-- The trigger of the three tables (its argument: the list the table
-- makes): the tickets their changed rows belong to (inserted or updated;
-- a deletion only comes with the ticket's own, whose panel row goes with
-- it).
CREATE OR REPLACE FUNCTION sla_panel_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	-- A ticket being opened by ticket_open_row, which stores its panel
	-- once when its clock and events are written.
	opening bigint := nullif(current_setting('csdesk.sla_panel_opening', true), '')::bigint;
	tickets bigint[];
BEGIN
	tickets := ARRAY(SELECT DISTINCT ticket_id FROM changed
		WHERE ticket_id IS DISTINCT FROM opening);
	IF cardinality(tickets) > 0 THEN
		PERFORM sla_panel_store(tickets, TG_ARGV[0]);
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER ticket_sla_clock_panel_ins AFTER INSERT ON ticket_sla_clock
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION sla_panel_changed('segments');
CREATE OR REPLACE TRIGGER ticket_sla_clock_panel_upd AFTER UPDATE ON ticket_sla_clock
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION sla_panel_changed('segments');
CREATE OR REPLACE TRIGGER ticket_sla_events_panel_ins AFTER INSERT ON ticket_sla_events
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION sla_panel_changed('events');
CREATE OR REPLACE TRIGGER ticket_sla_events_panel_upd AFTER UPDATE ON ticket_sla_events
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION sla_panel_changed('events');
CREATE OR REPLACE TRIGGER ticket_escalations_panel_ins AFTER INSERT ON ticket_escalations
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION sla_panel_changed('escalations');
CREATE OR REPLACE TRIGGER ticket_escalations_panel_upd AFTER UPDATE ON ticket_escalations
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
	EXECUTE FUNCTION sla_panel_changed('escalations');

-- A staff member's or an escalation rule's new name: the escalations
-- that show it are stored again (few: escalations are rare, and indexed
-- by who made them, 062).
CREATE OR REPLACE FUNCTION sla_panel_staff_renamed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	PERFORM sla_panel_store(ARRAY(SELECT x.ticket_id FROM ticket_escalations x
		WHERE x.by_staff_id = NEW.id UNION SELECT x.ticket_id FROM ticket_escalations x
		WHERE x.from_assignee_id = NEW.id UNION SELECT x.ticket_id FROM ticket_escalations x
		WHERE x.to_assignee_id = NEW.id), 'escalations');
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER staff_sla_panel AFTER UPDATE OF name ON staff
	FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
	EXECUTE FUNCTION sla_panel_staff_renamed();

CREATE OR REPLACE FUNCTION sla_panel_rule_renamed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	PERFORM sla_panel_store(ARRAY(SELECT DISTINCT x.ticket_id FROM ticket_escalations x
		WHERE x.rule_id = NEW.id), 'escalations');
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER escalation_rules_sla_panel AFTER UPDATE OF name ON escalation_rules
	FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
	EXECUTE FUNCTION sla_panel_rule_renamed();
