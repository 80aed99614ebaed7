-- 180_automation.sql — assignment after creation: the on-call rota and
-- the batch step that gives waiting tickets to agents as they come on
-- shift or free capacity (038_automation.sql has the tables).

-- Who is on call for team p_team at p_at: an active agent whose slot
-- covers that moment, an override before the regular rota, the latest
-- entered first among equals. NULL when the rota has nobody.
CREATE OR REPLACE FUNCTION oncall_at(p_team bigint, p_at timestamptz) RETURNS bigint
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
	SELECT o.staff_id FROM oncall_shifts o JOIN staff s ON s.id = o.staff_id
	WHERE o.team_id = p_team AND o.ends_at > p_at AND o.starts_at <= p_at
		AND s.active AND 'agent' = ANY (s.roles)
	ORDER BY o.override DESC, o.id DESC
	LIMIT 1
$$;

CREATE OR REPLACE FUNCTION oncall_now(p_team bigint) RETURNS bigint
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
	SELECT oncall_at(p_team, now())
$$;

-- Gives waiting tickets (unassigned, new or reopened, in a queue that
-- assigns automatically) to agents by ticket_auto_assign's rules: per
-- queue, highest priority first and then oldest. A queue is left after
-- p_misses tickets in a row that found nobody, so a tick in which nobody
-- is free costs a few probes per queue however many tickets wait (a
-- ticket nobody can take, in a language no agent speaks, does not hold
-- back those behind it for longer than that). At most p_limit tickets are
-- assigned; rows another session holds are skipped. Returns what it
-- assigned.
CREATE OR REPLACE FUNCTION ticket_assign_waiting(p_limit integer, p_misses integer)
RETURNS TABLE (ticket_id bigint, agent_id bigint, number text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	q bigint;
	t record;
	agent bigint;
	misses integer;
	done integer := 0;
BEGIN
	FOR q IN SELECT x.id FROM queues x WHERE x.active AND x.auto_assign ORDER BY x.id LOOP
		misses := 0;
		FOR t IN SELECT w.id, w.number FROM tickets w
			WHERE w.queue_id = q AND w.assignee_id IS NULL AND w.status IN ('new', 'reopened')
			ORDER BY ticket_priority_rank(w.priority) DESC, w.created_at, w.id
			FOR UPDATE SKIP LOCKED LOOP
			EXIT WHEN done >= p_limit OR misses >= p_misses;
			agent := ticket_auto_assign(t.id);
			IF agent IS NULL THEN
				misses := misses + 1;
			ELSE
				misses := 0;
				done := done + 1;
				ticket_id := t.id; agent_id := agent; number := t.number;
				RETURN NEXT;
			END IF;
		END LOOP;
		EXIT WHEN done >= p_limit;
	END LOOP;
END
$$;
