-- 410_sla_panel.sql — the SLA panel's lists (062): stored by statement
-- triggers in the transaction that changes the clock's segments, the SLA
-- events or the escalations, or a name an escalation shows.

-- Stores the lists of the given tickets as sla_panel_source computes
-- them. The tickets' rows are locked first (in id order, as a change of
-- the ticket does) and the lists read after: in READ COMMITTED the
-- statement after the lock sees what a concurrent change of the same
-- ticket committed, so two changes at once cannot store each other's
-- stale lists. PL/pgSQL so the plan is kept for the session.
CREATE OR REPLACE FUNCTION sla_panel_store(p_tickets bigint[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	PERFORM 1 FROM tickets WHERE id = ANY (p_tickets) ORDER BY id FOR NO KEY UPDATE;
	INSERT INTO ticket_sla_panels AS s (ticket_id, segments, events, escalations)
	SELECT v.ticket_id, v.segments, v.events, v.escalations FROM sla_panel_source v
	WHERE v.ticket_id = ANY (p_tickets) ORDER BY v.ticket_id
	ON CONFLICT (ticket_id) DO UPDATE SET segments = EXCLUDED.segments,
		events = EXCLUDED.events, escalations = EXCLUDED.escalations;
END
$$;

-- The trigger of the three tables: the tickets their changed rows belong
-- to (inserted or updated; a deletion only comes with the ticket's own,
-- whose panel row goes with it).
CREATE OR REPLACE FUNCTION sla_panel_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	PERFORM sla_panel_store(ARRAY(SELECT DISTINCT ticket_id FROM changed));
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER ticket_sla_clock_panel_ins AFTER INSERT ON ticket_sla_clock
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION sla_panel_changed();
CREATE OR REPLACE TRIGGER ticket_sla_clock_panel_upd AFTER UPDATE ON ticket_sla_clock
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION sla_panel_changed();
CREATE OR REPLACE TRIGGER ticket_sla_events_panel_ins AFTER INSERT ON ticket_sla_events
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION sla_panel_changed();
CREATE OR REPLACE TRIGGER ticket_sla_events_panel_upd AFTER UPDATE ON ticket_sla_events
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION sla_panel_changed();
CREATE OR REPLACE TRIGGER ticket_escalations_panel_ins AFTER INSERT ON ticket_escalations
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION sla_panel_changed();
CREATE OR REPLACE TRIGGER ticket_escalations_panel_upd AFTER UPDATE ON ticket_escalations
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION sla_panel_changed();

-- A staff member's or an escalation rule's new name: the escalations
-- that show it are stored again (few: escalations are rare, and indexed
-- by who made them, 062).
CREATE OR REPLACE FUNCTION sla_panel_staff_renamed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	PERFORM sla_panel_store(ARRAY(SELECT x.ticket_id FROM ticket_escalations x
		WHERE x.by_staff_id = NEW.id UNION SELECT x.ticket_id FROM ticket_escalations x
		WHERE x.from_assignee_id = NEW.id UNION SELECT x.ticket_id FROM ticket_escalations x
		WHERE x.to_assignee_id = NEW.id));
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
		WHERE x.rule_id = NEW.id));
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER escalation_rules_sla_panel AFTER UPDATE OF name ON escalation_rules
	FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
	EXECUTE FUNCTION sla_panel_rule_renamed();
