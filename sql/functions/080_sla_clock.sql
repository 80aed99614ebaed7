-- 080_sla_clock.sql — the clock follows the ticket: triggers that pause,
-- resume and stop it as the status changes, decide targets on replies and
-- resolution, and move due times when the priority, category or tier changes.

-- Before a ticket's row changes: status changes pause, resume or stop the
-- clock; the first public staff reply and resolving decide their targets
-- once; a new priority or category recomputes the due times.
CREATE OR REPLACE FUNCTION sla_ticket_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	p sla_policies%ROWTYPE;
	was_paused boolean := NEW.sla_paused_at IS NOT NULL;
	pause boolean;
	open_now boolean := NEW.status NOT IN ('resolved', 'closed', 'cancelled');
	open_before boolean := OLD.status NOT IN ('resolved', 'closed', 'cancelled');
	spent double precision;
	at timestamptz := now();
BEGIN
	SELECT * INTO p FROM sla_policies WHERE id = NEW.sla_policy_id;
	IF NOT FOUND THEN
		-- No policy covered it: a new priority or category may bring one.
		IF open_now AND (OLD.priority IS DISTINCT FROM NEW.priority
			OR OLD.category_id IS DISTINCT FROM NEW.category_id) THEN
			NEW := sla_compute(NEW);
			IF NEW.sla_policy_id IS NOT NULL THEN
				INSERT INTO ticket_sla_clock (ticket_id, state, started_at, reason)
					VALUES (NEW.id, 'running', NEW.sla_started_at, 'a policy applies');
			END IF;
		END IF;
		RETURN NEW;
	END IF;
	-- The first public staff reply decides the first-response target.
	IF OLD.first_response_at IS NULL AND NEW.first_response_at IS NOT NULL
		AND NEW.first_response_met IS NULL THEN
		-- A reply while the clock stands still counts at the pause.
		NEW.first_response_met := NEW.first_response_stage <> 'breached'
			AND (NEW.first_response_due_at IS NULL
				OR coalesce(NEW.sla_paused_at, NEW.first_response_at) <= NEW.first_response_due_at);
		PERFORM sla_log(NEW.id, 'first_response',
			CASE WHEN NEW.first_response_met THEN 'met' ELSE 'missed' END,
			NEW.first_response_at, NEW.first_response_due_at, 'first public reply');
	END IF;
	IF OLD.status IS DISTINCT FROM NEW.status THEN
		pause := open_now AND NEW.status = ANY (p.pause_statuses);
		IF was_paused AND NOT pause THEN
			-- Resuming (or stopping from a pause): due times move by the
			-- business time spent paused.
			spent := business_minutes_between(p.calendar_id, NEW.sla_paused_at, at);
			NEW.sla_paused_minutes := NEW.sla_paused_minutes + spent;
			UPDATE ticket_response_targets r SET paused_minutes = r.paused_minutes
				+ business_minutes_between(p.calendar_id, greatest(NEW.sla_paused_at, r.asked_at), at)
			WHERE r.ticket_id = NEW.id AND r.answered_at IS NULL;
			UPDATE ticket_sla_clock SET ended_at = at
				WHERE ticket_id = NEW.id AND ended_at IS NULL;
			NEW.sla_paused_at := NULL;
			NEW := sla_compute(NEW);
			NEW := sla_next_response(NEW);
			PERFORM sla_log(NEW.id, 'all', 'moved', at, NULL,
				round(spent::numeric, 1) || ' business minutes paused');
			IF open_now THEN
				INSERT INTO ticket_sla_clock (ticket_id, state, started_at, reason)
					VALUES (NEW.id, 'running', at, 'status ' || NEW.status);
			END IF;
		ELSIF NOT was_paused AND pause THEN
			UPDATE ticket_sla_clock SET ended_at = at
				WHERE ticket_id = NEW.id AND ended_at IS NULL;
			INSERT INTO ticket_sla_clock (ticket_id, state, started_at, reason)
				VALUES (NEW.id, 'paused', at, 'status ' || NEW.status);
			NEW.sla_paused_at := at;
		END IF;
		IF open_before AND NOT open_now THEN
			UPDATE ticket_sla_clock SET ended_at = at
				WHERE ticket_id = NEW.id AND ended_at IS NULL;
			INSERT INTO ticket_sla_clock (ticket_id, state, started_at, reason)
				VALUES (NEW.id, 'stopped', at, 'status ' || NEW.status);
			IF NEW.status = 'resolved' AND NEW.resolution_met IS NULL THEN
				NEW.resolution_met := NEW.resolution_stage <> 'breached'
					AND (NEW.resolution_due_at IS NULL OR at <= NEW.resolution_due_at);
				PERFORM sla_log(NEW.id, 'resolution',
					CASE WHEN NEW.resolution_met THEN 'met' ELSE 'missed' END,
					at, NEW.resolution_due_at, 'resolved');
				-- Resolved before a breach was recorded: escalations are over.
				IF NEW.resolution_met AND NEW.first_response_stage <> 'breached'
					AND NEW.next_response_stage <> 'breached' THEN
					UPDATE ticket_escalations SET deescalated_at = at
						WHERE ticket_id = NEW.id AND deescalated_at IS NULL;
					IF FOUND THEN
						INSERT INTO ticket_events (ticket_id, actor_kind, field, old_value,
							new_value) VALUES (NEW.id, 'system', 'escalation', 'escalated',
							'de-escalated: resolved before breach');
					END IF;
				END IF;
			END IF;
		ELSIF NOT open_before AND open_now THEN
			UPDATE ticket_sla_clock SET ended_at = at
				WHERE ticket_id = NEW.id AND ended_at IS NULL;
			INSERT INTO ticket_sla_clock (ticket_id, state, started_at, reason)
				VALUES (NEW.id, CASE WHEN pause THEN 'paused' ELSE 'running' END, at,
					'status ' || NEW.status);
			NEW.sla_paused_at := CASE WHEN pause THEN at END;
		END IF;
	END IF;
	IF (OLD.priority IS DISTINCT FROM NEW.priority
		OR OLD.category_id IS DISTINCT FROM NEW.category_id) AND open_now THEN
		NEW := sla_compute(NEW);
		NEW := sla_next_response(NEW);
		PERFORM sla_log(NEW.id, 'all', 'moved', at, NULL,
			'priority ' || NEW.priority || ', policy '
			|| coalesce((SELECT name FROM sla_policies WHERE id = NEW.sla_policy_id), 'none'));
	END IF;
	RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER tickets_sla BEFORE UPDATE OF status, priority, category_id, first_response_at
	ON tickets FOR EACH ROW
	WHEN (NEW.sla_started_at IS NOT NULL AND (OLD.status IS DISTINCT FROM NEW.status
		OR OLD.priority IS DISTINCT FROM NEW.priority
		OR OLD.category_id IS DISTINCT FROM NEW.category_id
		OR OLD.first_response_at IS DISTINCT FROM NEW.first_response_at))
	EXECUTE FUNCTION sla_ticket_changed();

-- A public message: from the customer it waits for staff (after the first
-- response; before it the first-response target covers it); from staff it
-- answers every message waiting.
CREATE OR REPLACE FUNCTION sla_comment_added() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	t tickets%ROWTYPE;
BEGIN
	SELECT * INTO t FROM tickets WHERE id = NEW.ticket_id;
	IF NOT FOUND OR t.sla_policy_id IS NULL THEN
		RETURN NULL;
	END IF;
	IF NEW.author_user_id IS NOT NULL THEN
		IF t.first_response_at IS NULL THEN
			RETURN NULL;
		END IF;
		INSERT INTO ticket_response_targets (ticket_id, comment_id, asked_at)
			VALUES (t.id, NEW.id, NEW.created_at);
	ELSIF NEW.author_staff_id IS NOT NULL THEN
		UPDATE ticket_response_targets r SET answered_at = NEW.created_at,
			met = t.next_response_stage <> 'breached' AND (r.due_at IS NULL
				OR coalesce(t.sla_paused_at, NEW.created_at) <= r.due_at)
		WHERE r.ticket_id = t.id AND r.answered_at IS NULL;
		IF NOT FOUND THEN
			RETURN NULL;
		END IF;
		PERFORM sla_log(t.id, 'next_response',
			CASE WHEN t.next_response_stage = 'breached' THEN 'missed' ELSE 'met' END,
			NEW.created_at, t.next_response_due_at, 'staff replied');
	ELSE
		RETURN NULL;
	END IF;
	t := sla_next_response(t);
	UPDATE tickets SET next_response_due_at = t.next_response_due_at,
		next_response_warn_at = t.next_response_warn_at,
		next_response_stage = t.next_response_stage
	WHERE id = t.id;
	IF NEW.author_user_id IS NOT NULL THEN
		PERFORM sla_log(t.id, 'next_response', 'set', NEW.created_at, t.next_response_due_at,
			'customer wrote');
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER ticket_comments_sla AFTER INSERT ON ticket_comments
	FOR EACH ROW WHEN (NEW.kind = 'public')
	EXECUTE FUNCTION sla_comment_added();

-- A customer's new tier changes the policy of their open tickets.
CREATE OR REPLACE FUNCTION sla_tier_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	tid bigint;
BEGIN
	FOR tid IN SELECT id FROM tickets WHERE customer_id = NEW.id
		AND sla_started_at IS NOT NULL AND status NOT IN ('resolved', 'closed', 'cancelled')
	LOOP
		PERFORM sla_ticket_recompute(tid, 'customer tier now ' || NEW.tier);
	END LOOP;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER customers_sla_tier AFTER UPDATE OF tier ON customers
	FOR EACH ROW WHEN (OLD.tier IS DISTINCT FROM NEW.tier)
	EXECUTE FUNCTION sla_tier_changed();
